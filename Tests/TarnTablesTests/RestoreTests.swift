// RESTORE: a new commit that makes the table equal to an older version (files and
// metadata), checked against the rows and file sets of that version; a vacuumed file
// is a notFound error naming it, and nothing is committed.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("RESTORE")
struct RestoreTests {
    /// v1 0..<10, v2 10..<20, v3 delete id < 5, v4 20..<25.
    static func table(partitioned: Bool, store: InMemoryFileStore = InMemoryFileStore()) throws -> Table {
        let table = try Table.create(store: store, path: "t", schema: Rows.schema, partitionColumns: partitioned ? ["day"] : [])
        try table.append([try Rows.batch(0..<10)])
        try table.append([try Rows.batch(10..<20)])
        try table.delete(where: .comparison(column: "id", op: .less, value: .int(5)))
        try table.append([try Rows.batch(20..<25)])
        return table
    }

    @Test("restore to a version brings back its exact files and rows; versions in between stay readable",
          arguments: [false, true])
    func restoreToVersion(partitioned: Bool) throws {
        let table = try Self.table(partitioned: partitioned)
        let old = try table.snapshot(asOf: .version(2))
        let latest = try table.snapshot()
        let metrics = try table.restore(toVersion: 2)
        #expect(metrics.version == 5)
        #expect(metrics.restoredVersion == 2)
        let now = try table.snapshot()
        #expect(Set(now.files.map(\.path)) == Set(old.files.map(\.path)))
        for file in now.files {
            let original = try #require(old.files.first { $0.path == file.path })
            #expect(file.partitionValues == original.partitionValues)
            #expect(file.stats == original.stats)
            #expect(file.size == original.size)
            #expect(file.modificationTime == original.modificationTime)
        }
        #expect(Rows.ids(try table.read()) == (0..<20).map(Int64.init))
        #expect(Rows.ids(try table.read(asOf: .version(4))) == (5..<25).map(Int64.init))
        let oldPaths = Set(old.files.map(\.path)), latestPaths = Set(latest.files.map(\.path))
        #expect(metrics.numRestoredFiles == oldPaths.subtracting(latestPaths).count)
        #expect(metrics.numRemovedFiles == latestPaths.subtracting(oldPaths).count)
        #expect(metrics.numOfFilesAfterRestore == old.files.count)
        #expect(metrics.tableSizeAfterRestore == old.sizeInBytes)
        let record = try #require(try table.history(limit: 1).first)
        #expect(record.commitInfo?.operation == "RESTORE")
        #expect(record.commitInfo?.operationParameters?["version"] == "2")
        let m = try #require(record.commitInfo?.operationMetrics)
        #expect(m["numRestoredFiles"] == String(metrics.numRestoredFiles))
        #expect(m["numRemovedFiles"] == String(metrics.numRemovedFiles))
        #expect(m["numOfFilesAfterRestore"] == String(metrics.numOfFilesAfterRestore))
        #expect(m["tableSizeAfterRestore"] == String(metrics.tableSizeAfterRestore))
        #expect(m["restoredFilesSize"] == String(metrics.restoredFilesSize))
        #expect(m["removedFilesSize"] == String(metrics.removedFilesSize))
        // Restoring again to the newest pre-restore version gives its rows back.
        try table.restore(toVersion: 4)
        #expect(Rows.ids(try table.read()) == (5..<25).map(Int64.init))
    }

    @Test("restore to a timestamp restores the version that timestamp resolves to")
    func restoreToTimestamp() throws {
        let table = try Self.table(partitioned: false)
        let history = try table.history()
        let v2 = try #require(history.first { $0.version == 2 })
        let micros = v2.timestamp * 1000
        let resolved = try table.log.resolveVersion(atTimestamp: micros)
        let expected = Rows.ids(try table.read(asOf: .version(resolved)))
        let metrics = try table.restore(toTimestamp: micros)
        #expect(metrics.restoredVersion == resolved)
        #expect(Rows.ids(try table.read()) == expected)
        let record = try #require(try table.history(limit: 1).first)
        #expect(record.commitInfo?.operationParameters?["timestamp"] != nil)
        #expect(record.commitInfo?.operationParameters?["version"] == String(resolved))
    }

    @Test("restore writes the old metadata again when it changed")
    func restoreMetadata() throws {
        let table = try Self.table(partitioned: false)
        let snapshot = try table.snapshot()
        var metadata = snapshot.metadata
        metadata.configuration["tarn.test"] = "changed"
        var transaction = table.log.startTransaction(operation: "SET TBLPROPERTIES", readSnapshot: snapshot)
        transaction.add(.metadata(metadata))
        _ = try transaction.commitOrThrow()
        #expect(try table.snapshot().configuration["tarn.test"] == "changed")
        try table.restore(toVersion: 4)
        #expect(try table.snapshot().configuration["tarn.test"] == nil)
        #expect(Rows.ids(try table.read()) == (5..<25).map(Int64.init))
    }

    @Test("a vacuumed data file makes restore a notFound error naming it; nothing is committed")
    func vacuumedFile() throws {
        let store = InMemoryFileStore()
        let table = try Self.table(partitioned: false, store: store)
        let gone = try #require(try table.snapshot(asOf: .version(1)).files.first)
        try store.delete("t/" + gone.decodedPath)
        let error = try #require(throws: TableError.self) { try table.restore(toVersion: 1) }
        #expect(error.code == .notFound)
        #expect(error.message.contains(gone.decodedPath))
        #expect(error.message.contains("vacuum"))
        #expect(try table.snapshot().version == 4)
    }

    @Test("restore to a version that does not exist is notFound; nothing is committed")
    func missingVersion() throws {
        let table = try Self.table(partitioned: false)
        let error = try #require(throws: TableError.self) { try table.restore(toVersion: 9) }
        #expect(error.code == .notFound)
        #expect(try table.snapshot().version == 4)
    }

    @Test("a restore conflicts with a data change committed after it read the table")
    func concurrentAppend() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let restorer = try Self.table(partitioned: false, store: base)
        let gated = try Table.open(store: gate, path: "t")
        gate.beforeNextCommit {
            let result = try restorer.append([try Rows.batch(100..<103)])
            #expect(result.version == 5)
        }
        let error = try #require(throws: TableError.self) { try gated.restore(toVersion: 2) }
        #expect(error.code == .conflict)
        #expect(try restorer.snapshot().version == 5)
        #expect(Rows.ids(try restorer.read()) == ((5..<25).map { $0 } + [100, 101, 102]).map(Int64.init))
    }
}
