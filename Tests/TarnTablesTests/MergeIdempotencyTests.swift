// Idempotent MERGE: WriteOptions.transaction (application id, version) is recorded as a
// Delta `txn` action inside the MERGE commit, and a merge whose version the table
// already holds is skipped without committing anything.
import Testing
import TarnColumnar
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("MERGE idempotency")
struct MergeIdempotencyTests {
    private static let schema = Schema([Field("key", .int64), Field("value", .int64)])

    private static func batch(_ rows: [(Int64, Int64)]) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: rows.map(\.0)), try Column(.int64, values: rows.map(\.1)),
        ])
    }

    private static func table() throws -> Table {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema)
        try table.append([try batch([(1, 10), (2, 20)])])
        return table
    }

    private static func upsert(_ table: Table, _ rows: [(Int64, Int64)], app: String, version: Int64) throws -> MergeMetrics {
        var options = WriteOptions()
        options.transaction = (appId: app, version: version)
        return try table.merge(source: [try batch(rows)], on: [(target: "key", source: "key")])
            .whenMatchedUpdateAll().whenNotMatchedInsertAll().withWriteOptions(options).execute()
    }

    @Test("the txn action is part of the MERGE commit: one new version holds both the data and the app version")
    func txnInMergeCommit() throws {
        let table = try Self.table()
        let before = try table.snapshot().version
        let metrics = try Self.upsert(table, [(2, 21), (3, 30)], app: "loader", version: 7)
        #expect(metrics.version == before + 1)
        #expect(!metrics.skippedByTransaction)
        let snapshot = try table.snapshot()
        #expect(snapshot.version == before + 1)
        #expect(snapshot.transactionVersion(appId: "loader") == 7)
        #expect(try table.history(limit: 1).first?.commitInfo?.operation == "MERGE")
    }

    @Test("a version the table already holds (equal or older) is skipped: nothing committed, metrics say so",
          arguments: [Int64(7), 5])
    func replaySkipped(version: Int64) throws {
        let table = try Self.table()
        _ = try Self.upsert(table, [(2, 21)], app: "loader", version: 7)
        let before = try table.snapshot().version
        let metrics = try Self.upsert(table, [(2, 99), (4, 40)], app: "loader", version: version)
        #expect(metrics.skippedByTransaction)
        #expect(metrics.version == nil)
        #expect(metrics.numTargetRowsUpdated == 0 && metrics.numTargetRowsInserted == 0)
        #expect(try table.snapshot().version == before)
    }

    @Test("a newer version or another application's version is applied")
    func newerApplied() throws {
        let table = try Self.table()
        _ = try Self.upsert(table, [(2, 21)], app: "loader", version: 7)
        let newer = try Self.upsert(table, [(2, 22)], app: "loader", version: 8)
        #expect(newer.version != nil && newer.numTargetRowsUpdated == 1)
        let other = try Self.upsert(table, [(5, 50)], app: "other", version: 1)
        #expect(other.version != nil && other.numTargetRowsInserted == 1)
        let snapshot = try table.snapshot()
        #expect(snapshot.transactionVersion(appId: "loader") == 8)
        #expect(snapshot.transactionVersion(appId: "other") == 1)
    }

    @Test("a merge that changes no row still records its app version, so a retry is skipped")
    func noChangeStillRecordsVersion() throws {
        let table = try Self.table()
        var options = WriteOptions()
        options.transaction = (appId: "loader", version: 3)
        let metrics = try table.merge(source: [try Self.batch([(9, 90)])], on: [(target: "key", source: "key")])
            .whenMatchedUpdateAll().withWriteOptions(options).execute()
        #expect(metrics.version != nil)
        #expect(try table.snapshot().transactionVersion(appId: "loader") == 3)
    }
}
