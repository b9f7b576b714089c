// VacuumTests: vacuum deletes exactly the unreferenced files older than the retention,
// keeps referenced files, tombstones inside the window, hidden paths and new files;
// refuses a short retention unless overridden; records VACUUM START / END.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
@testable import TarnTables
import TarnTestSupport

@Suite("Vacuum")
struct VacuumTests {
    static let hour: Int64 = 3_600_000

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A local table: v1 appends file A, v2 overwrites with file B (A becomes a tombstone),
    /// plus an orphan data file, hidden files, and a fresh orphan. Every file but the fresh
    /// orphan is backdated by 10 days.
    struct Fixture {
        let directory: TemporaryDirectory
        let table: Table
        let fileA: String
        let fileB: String

        init(properties: [String: String] = [:]) throws {
            directory = try TemporaryDirectory("tarn-vacuum")
            let store = LocalFileStore(root: directory.path)
            table = try Table.create(store: store, path: "", schema: Rows.schema, partitionColumns: ["day"], properties: properties)
            try table.append([try Rows.batch([0])])
            fileA = try #require(try table.snapshot().files.first).decodedPath
            try table.overwrite([try Rows.batch([3])])
            fileB = try #require(try table.snapshot().files.first).decodedPath
            try store.put("part-orphan.parquet", [1, 2, 3])
            try store.put("_tmp/hidden.parquet", [1])
            try store.put(".staging/x.parquet", [1])
            let old = Date(timeIntervalSinceNow: -10 * 86_400)
            for relative in [fileA, fileB, "part-orphan.parquet", "_tmp/hidden.parquet", ".staging/x.parquet"] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: directory.path + "/" + relative)
            }
            try store.put("part-fresh.parquet", [4])
        }

        func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: directory.path + "/" + relative) }
    }

    @Test("a dry run lists exactly the unreferenced old files; tombstones inside the retention stay")
    func dryRun() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let result = try fixture.table.vacuum(dryRun: true)
        #expect(result.files == ["part-orphan.parquet"])
        #expect(result.sizeOfData == 3)
        #expect(result.version == nil)
        #expect(result.retentionMillis == 7 * 24 * Self.hour)
        #expect(fixture.exists("part-orphan.parquet"))
        #expect(try fixture.table.snapshot().version == 2)
        // Eight days later A's tombstone is outside the window too; B stays referenced,
        // and the fresh orphan is now old enough.
        let later = try fixture.table.vacuum(retentionHours: nil, dryRun: true, enforceRetention: true,
                                             now: Self.nowMillis() + 8 * 24 * Self.hour)
        #expect(later.files == [fixture.fileA, "part-fresh.parquet", "part-orphan.parquet"].sorted())
    }

    @Test("a retention below the table's is refused unless enforceRetention is false")
    func shortRetention() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let error = try #require(throws: TableError.self) { try fixture.table.vacuum(retentionHours: 1) }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("enforceRetention: false"))
        #expect(error.message.contains("time travel"))
        #expect(try fixture.table.snapshot().version == 2)
        #expect(fixture.exists("part-orphan.parquet"))
        let negative = try #require(throws: TableError.self) { try fixture.table.vacuum(retentionHours: -1, enforceRetention: false) }
        #expect(negative.code == .invalidArgument)
    }

    @Test("vacuum deletes, commits VACUUM START/END, and time travel to a vacuumed version is notFound")
    func deletesAndCommits() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let table = fixture.table
        let result = try table.vacuum(retentionHours: 0, dryRun: false, enforceRetention: false, now: Self.nowMillis() + 1000)
        #expect(result.files == [fixture.fileA, "part-fresh.parquet", "part-orphan.parquet"].sorted())
        #expect(result.version == 4)
        #expect(!fixture.exists(fixture.fileA))
        #expect(!fixture.exists("part-orphan.parquet"))
        #expect(fixture.exists(fixture.fileB))
        #expect(fixture.exists("_tmp/hidden.parquet"))
        #expect(fixture.exists(".staging/x.parquet"))
        #expect(fixture.exists("_delta_log/" + LogFileName.commit(0)))
        let history = try table.history(limit: 2)
        let end = try #require(history.first?.commitInfo)
        let start = try #require(history.last?.commitInfo)
        #expect(start.operation == "VACUUM START")
        #expect(start.operationParameters?["retentionCheckEnabled"] == "false")
        #expect(start.operationParameters?["specifiedRetentionMillis"] == "0")
        #expect(start.operationParameters?["defaultRetentionMillis"] == String(7 * 24 * Self.hour))
        #expect(start.operationMetrics?["numFilesToDelete"] == "3")
        #expect(end.operation == "VACUUM END")
        #expect(end.operationParameters?["status"] == "COMPLETED")
        #expect(end.operationMetrics?["numDeletedFiles"] == "3")
        #expect(Rows.ids(try table.read()) == [3])
        let error = try #require(throws: TableError.self) { try table.read(asOf: .version(1)) }
        #expect(error.code == .notFound)
        #expect(error.message.contains("vacuum"))
    }

    @Test("delta.deletedFileRetentionDuration sets the default retention")
    func configuredRetention() throws {
        let fixture = try Fixture(properties: ["delta.deletedFileRetentionDuration": "interval 2 days"])
        defer { fixture.directory.remove() }
        let result = try fixture.table.vacuum(retentionHours: 48, dryRun: true, enforceRetention: true,
                                              now: Self.nowMillis() + 3 * 24 * Self.hour)
        #expect(result.retentionMillis == 48 * Self.hour)
        #expect(result.files == [fixture.fileA, "part-fresh.parquet", "part-orphan.parquet"].sorted())
        #expect(throws: TableError.self) { try fixture.table.vacuum(retentionHours: 47) }
    }

    @Test("a file referenced by an absolute file: URI inside the table is kept")
    func absolutePaths() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let store = LocalFileStore(root: fixture.directory.path)
        try store.put("abs.parquet", [9])
        let old = Date(timeIntervalSinceNow: -10 * 86_400)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: fixture.directory.path + "/abs.parquet")
        let snapshot = try fixture.table.snapshot()
        var transaction = fixture.table.log.startTransaction(operation: "WRITE", readSnapshot: snapshot)
        transaction.add(.add(AddFile(path: "file://" + fixture.directory.path + "/abs.parquet", partitionValues: ["day": nil],
                                     size: 1, modificationTime: 0, dataChange: true)))
        try transaction.commitOrThrow()
        let result = try fixture.table.vacuum(dryRun: true)
        #expect(result.files == ["part-orphan.parquet"])
    }

    @Test("hidden paths: _ and . components unless partition directories, and deletion-vector files")
    func hiddenPaths() {
        let partitions: Set<String> = ["_p"]
        #expect(Table.isHidden("_delta_log/0.json", partitionColumns: partitions))
        #expect(Table.isHidden("a/.x.parquet", partitionColumns: partitions))
        #expect(Table.isHidden("_q=1/f.parquet", partitionColumns: partitions))
        #expect(!Table.isHidden("_p=1/f.parquet", partitionColumns: partitions))
        #expect(!Table.isHidden("day=2024-01-01/f.parquet", partitionColumns: partitions))
        #expect(Table.isHidden("deletion_vector_0c5a0d7e-1111-2222-3333-444444444444.bin", partitionColumns: partitions))
    }
}
