// OptimizeTests: bin-packing compaction and z-order clustering keep the rows, reduce the
// file count or tighten min/max ranges, commit OPTIMIZE with dataChange=false, and
// rebase over concurrent appends but conflict with a concurrent removal of their files.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Optimize")
struct OptimizeTests {
    static func table(_ store: any FileStore = InMemoryFileStore(), partitionColumns: [String] = []) throws -> Table {
        try Table.create(store: store, path: "t", schema: Rows.schema, partitionColumns: partitionColumns)
    }

    @Test("compaction of an unpartitioned table: one file, same rows, dataChange=false, OPTIMIZE in history")
    func unpartitioned() throws {
        let table = try Self.table()
        for k in 0..<6 { try table.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        #expect(try table.snapshot().fileCount == 6)
        let metrics = try table.optimize()
        #expect(metrics.version == 7)
        #expect(metrics.numFilesRemoved == 6)
        #expect(metrics.numFilesAdded == 1)
        #expect(metrics.filesRemoved.totalFiles == 6)
        #expect(metrics.totalConsideredFiles == 6 && metrics.totalFilesSkipped == 0)
        let snapshot = try table.snapshot()
        #expect(snapshot.fileCount == 1)
        #expect(snapshot.files.allSatisfy { !$0.dataChange })
        #expect(snapshot.tombstones.count == 6 && snapshot.tombstones.allSatisfy { !$0.dataChange })
        #expect(Rows.ids(try table.read()) == (0..<60).map(Int64.init))
        #expect(Rows.ids(try table.read(asOf: .version(6))) == (0..<60).map(Int64.init))
        let commit = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(commit.operation == "OPTIMIZE")
        #expect(commit.operationParameters?["zOrderBy"] == "[]")
        #expect(commit.operationParameters?["predicate"] == "[]")
        #expect(commit.operationMetrics?["numFilesRemoved"] == "6")
        #expect(commit.operationMetrics?["numFilesAdded"] == "1")
        #expect(commit.operationMetrics?["filesAdded"]?.contains("\"totalFiles\":1") == true)
        // A second optimize finds nothing to do and commits nothing.
        let again = try table.optimize()
        #expect(again.version == nil && again.numFilesRemoved == 0)
        #expect(try table.snapshot().version == 7)
    }

    @Test("compaction per partition; the predicate selects partitions; single-file partitions stay")
    func partitioned() throws {
        let table = try Self.table(partitionColumns: ["day"])
        for k in 0..<4 { try table.append([try Rows.batch((k * 30)..<(k * 30 + 30))]) }
        #expect(try table.snapshot().fileCount == 12)
        let only = try table.optimize(where: .comparison(column: "day", op: .equal, value: .date(20000)))
        #expect(only.numFilesRemoved == 4 && only.numFilesAdded == 1 && only.totalConsideredFiles == 4)
        #expect(try table.snapshot().fileCount == 9)
        let rest = try table.optimize()
        #expect(rest.numFilesRemoved == 8 && rest.numFilesAdded == 2)
        #expect(rest.totalFilesSkipped == 1)
        let snapshot = try table.snapshot()
        #expect(snapshot.fileCount == 3)
        #expect(Set(snapshot.files.compactMap { $0.partitionValues["day"] ?? nil }).count == 3)
        #expect(Rows.ids(try table.read()) == (0..<120).map(Int64.init))
        #expect(Rows.ids(try table.read(predicate: .comparison(column: "day", op: .equal, value: .date(20001)))) == (0..<120).filter { $0 % 3 == 1 }.map(Int64.init))
    }

    @Test("a small target size packs files into several bins; large files are skipped")
    func targetSize() throws {
        let table = try Self.table()
        for k in 0..<6 { try table.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        let sizes = try table.snapshot().files.map(\.size)
        let largest = try #require(sizes.max())
        // Room for two of the small files per bin.
        let metrics = try table.optimize(targetFileSize: Int(largest) * 2 + 1)
        #expect(metrics.numBatches == 3)
        #expect(metrics.numFilesRemoved == 6 && metrics.numFilesAdded == 3)
        #expect(Rows.ids(try table.read()) == (0..<60).map(Int64.init))
        // Files at least the target are left alone.
        let none = try table.optimize(targetFileSize: 1)
        #expect(none.version == nil && none.totalFilesSkipped == 3)
    }

    @Test("delta.targetFileSize sets the target (bytes or kb/mb/gb); a bad value is a typed error")
    func targetFileSizeProperty() throws {
        let store = InMemoryFileStore()
        let table = try Table.create(store: store, path: "t", schema: Rows.schema, properties: ["delta.targetFileSize": "1b"])
        for k in 0..<3 { try table.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        // Every file is at least one byte: nothing to compact.
        #expect(try table.optimize().version == nil)
        let big = try Table.create(store: store, path: "u", schema: Rows.schema, properties: ["delta.targetFileSize": "64mb"])
        for k in 0..<3 { try big.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        #expect(try big.optimize().numFilesRemoved == 3)
        let bad = try Table.create(store: store, path: "w", schema: Rows.schema, properties: ["delta.targetFileSize": "large"])
        try bad.append([try Rows.batch(0..<10)])
        #expect(throws: TableError.self) { try bad.optimize() }
    }

    @Test("bad input is a typed error and commits nothing")
    func badInput() throws {
        let table = try Self.table(partitionColumns: ["day"])
        try table.append([try Rows.batch(0..<10)])
        try table.append([try Rows.batch(10..<20)])
        let cases: [() throws -> Void] = [
            { _ = try table.optimize(where: .comparison(column: "id", op: .greater, value: .int(3))) },
            { _ = try table.optimize(targetFileSize: 0) },
            { _ = try table.zOrder(by: []) },
            { _ = try table.zOrder(by: ["nope"]) },
            { _ = try table.zOrder(by: ["day"]) },
        ]
        for run in cases {
            let error = try #require(throws: TableError.self) { try run() }
            #expect(error.code == .invalidArgument)
        }
        #expect(try table.snapshot().version == 2)
    }

    @Test("z-order keeps the rows and narrows file ranges: a range predicate matches fewer files")
    func zOrder() throws {
        let table = try Self.table()
        // Eight files, each spread over the whole id range.
        for k in 0..<8 { try table.append([try Rows.batch(stride(from: k, to: 400, by: 8))]) }
        let range = TarnColumnar.Predicate.comparison(column: "id", op: .less, value: .int(50))
        let before = try table.scan(predicate: range).files.count
        #expect(before == 8)
        let total = try table.snapshot().sizeInBytes
        let metrics = try table.zOrder(by: ["id", "score"], targetFileSize: Int(total / 4))
        #expect(metrics.numFilesRemoved == 8)
        #expect(metrics.numFilesAdded >= 3)
        let after = try table.scan(predicate: range).files.count
        #expect(after < before)
        #expect(after <= 2)
        #expect(Rows.ids(try table.read()) == (0..<400).map(Int64.init))
        #expect(Rows.ids(try table.read(predicate: range)) == (0..<50).map(Int64.init))
        let commit = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(commit.operationParameters?["zOrderBy"] == #"["id","score"]"#)
        #expect(try table.snapshot().files.allSatisfy { !$0.dataChange })
    }

    @Test("an optimize racing a blind append: both commit, no rows lost")
    func concurrentAppend() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let optimizer = try Table.create(store: gate, path: "t", schema: Rows.schema)
        for k in 0..<3 { try optimizer.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        let appender = try Table.open(store: base, path: "t")
        gate.beforeNextCommit {
            let result = try appender.append([try Rows.batch(100..<105)])
            #expect(result.version == 4)
        }
        let metrics = try optimizer.optimize()
        #expect(metrics.version == 5)
        let reader = try Table.open(store: base, path: "t")
        #expect(Rows.ids(try reader.read()) == ((0..<30).map(Int64.init) + (100..<105).map(Int64.init)))
        #expect(try reader.snapshot().fileCount == 2)
    }

    @Test("an optimize racing a delete of a file it compacts: typed conflict, nothing committed")
    func concurrentDelete() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let optimizer = try Table.create(store: gate, path: "t", schema: Rows.schema)
        for k in 0..<3 { try optimizer.append([try Rows.batch((k * 10)..<(k * 10 + 10))]) }
        let deleter = try Table.open(store: base, path: "t")
        gate.beforeNextCommit {
            let snapshot = try deleter.snapshot()
            let victim = try #require(snapshot.files.first)
            var transaction = deleter.log.startTransaction(operation: "DELETE", readSnapshot: snapshot)
            transaction.add(.remove(victim.removal(deletionTimestamp: Int64(Date().timeIntervalSince1970 * 1000))))
            #expect(try transaction.commitOrThrow() == 4)
        }
        let error = try #require(throws: TableError.self) { try optimizer.optimize() }
        #expect(error.code == .conflict)
        guard case let .conflict(kind, winningVersion, _) = error.cause as? LogError else {
            Issue.record("the conflict's cause is not LogError.conflict: \(String(describing: error.cause))")
            return
        }
        #expect(kind == .concurrentDeleteDelete)
        #expect(winningVersion == 4)
        let reader = try Table.open(store: base, path: "t")
        #expect(try reader.snapshot().version == 4)
        #expect(try reader.snapshot().fileCount == 2)
    }

    @Test("appends on one thread and optimizes on another (local files): all commit, every row once")
    func threadedAppendsAndOptimize() throws {
        let directory = try TemporaryDirectory("tarn-optimize-race")
        defer { directory.remove() }
        let setup = try Table.create(store: LocalFileStore(root: directory.path), path: "", schema: Rows.schema, partitionColumns: ["day"])
        try setup.append([try Rows.batch(0..<30)])
        let appender = try Table.open(directory: directory.path)
        let optimizer = try Table.open(directory: directory.path)
        let outcomes = runTogether([
            { @Sendable () -> String? in
                do {
                    for k in 1...8 { try appender.append([try Rows.batch((k * 30)..<(k * 30 + 30))]) }
                    return nil
                } catch { return "append: \(error)" }
            },
            { @Sendable () -> String? in
                do {
                    for _ in 0..<4 { try optimizer.optimize() }
                    return nil
                } catch { return "optimize: \(error)" }
            },
        ])
        for case let failure?? in outcomes { Issue.record(Comment(rawValue: failure)) }
        let reader = try Table.open(directory: directory.path)
        #expect(Rows.ids(try reader.read()) == (0..<270).map(Int64.init))
        try reader.optimize()
        #expect(try reader.snapshot().fileCount == 3)
        #expect(Rows.ids(try reader.read()) == (0..<270).map(Int64.init))
    }
}
