// Feature writes: merge upserts on the full key in one commit, overwrite replaces,
// partial columns, idempotent retries, and bad input refused with nothing written.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnTables

@Suite("Feature writes")
struct FeatureWriteTests {
    func makeStore() throws -> FeatureStore {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema)
        return store
    }

    func sorted(_ store: FeatureStore) throws -> [String] {
        Fixture.rows(try store.readFeatures(name: "risk.events")).sorted()
    }

    @Test("merge upserts on primary keys + timestamp key in one commit")
    func mergeUpserts() throws {
        let store = try makeStore()
        let first = try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a"), (1, 20, 2, "a"), (2, 10, 3, "b")])])
        #expect(first.version == 1)
        #expect(first.rowsInserted == 3)
        let second = try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 20, 20, "z"), (3, 10, 30, nil)])])
        #expect(second.version == 2)
        #expect(second.rowsUpdated == 1)
        #expect(second.rowsInserted == 1)
        let rows = try store.readFeatures(name: "risk.events")
        var byKey: [String: ScalarValue] = [:]
        for batch in rows {
            let users = Fixture.values(batch, "user_id"), times = Fixture.values(batch, "ts"), amounts = Fixture.values(batch, "amount")
            for i in 0..<batch.rowCount { byKey["\(users[i])@\(times[i])"] = amounts[i] }
        }
        #expect(byKey.count == 4)
        #expect(byKey["1@\(ScalarValue.timestamp(20, .utc))"] == .float(20))
        #expect(byKey["1@\(ScalarValue.timestamp(10, .utc))"] == .float(1))
        let history = try store.catalog.openTable(reference: "risk.events").history()
        #expect(history.first?.commitInfo?.operation == "MERGE")
    }

    @Test("a merge with only some feature columns updates those and leaves the others")
    func partialMerge() throws {
        let store = try makeStore()
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a")])])
        let partial = try RecordBatch(schema: Schema([Field("user_id", .int64), Field("ts", .timestamp(.utc)), Field("amount", .float64)]),
                                      columns: [try Column(.int64, values: [Int64(1), 2]), try Column(.timestamp(.utc), values: [Int64(10), 10]),
                                                try Column(.float64, values: [5.0, 6.0])])
        try store.writeFeatures(name: "risk.events", [partial])
        let all = try RecordBatch.concat(try store.readFeatures(name: "risk.events"))
        var found: [String: (ScalarValue, ScalarValue)] = [:]
        let users = Fixture.values(all, "user_id"), amounts = Fixture.values(all, "amount"), categories = Fixture.values(all, "category")
        for i in 0..<all.rowCount { found[users[i].description] = (amounts[i], categories[i]) }
        #expect(found["1"]?.0 == .float(5))
        #expect(found["1"]?.1 == .string("a"))
        #expect(found["2"]?.0 == .float(6))
        #expect(found["2"]?.1 == .null)
    }

    @Test("overwrite replaces every row")
    func overwrite() throws {
        let store = try makeStore()
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a"), (2, 10, 2, "b")])])
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(9, 10, 9, "z")])], mode: .overwrite)
        #expect(try sorted(store).count == 1)
        #expect(try sorted(store).first?.hasPrefix("9|") == true)
    }

    @Test("a retried write with the same idempotency token is applied once", arguments: FeatureWriteMode.allCases)
    func idempotentRetry(mode: FeatureWriteMode) throws {
        let store = try makeStore()
        let token = IdempotencyToken(appId: "nightly-job", version: 7)
        let first = try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a")])], mode: mode, idempotencyToken: token)
        #expect(!first.skipped)
        // Someone else writes in between; the retry must not undo it.
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 100, "b")])])
        let versionBefore = try store.catalog.openTable(reference: "risk.events").snapshot().version
        let retry = try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a")])], mode: mode, idempotencyToken: token)
        #expect(retry.skipped)
        #expect(retry.version == nil)
        let table = try store.catalog.openTable(reference: "risk.events")
        #expect(try table.snapshot().version == versionBefore)
        #expect(try table.snapshot().transactionVersion(appId: "nightly-job") == 7)
        let amounts = try store.readFeatures(name: "risk.events").flatMap { Fixture.values($0, "amount") }
        #expect(amounts == [.float(100)])
        // A newer version of the job is applied.
        let next = try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 2, "a")])], mode: mode,
                                           idempotencyToken: IdempotencyToken(appId: "nightly-job", version: 8))
        #expect(!next.skipped)
        #expect(try table.snapshot().transactionVersion(appId: "nightly-job") == 8)
    }

    static let badWrites: [(String, FeatureError.Code)] = [
        ("missing key column", .missingKeyColumn),
        ("missing timestamp key", .missingKeyColumn),
        ("wrong key type", .wrongType),
        ("wrong feature type", .wrongType),
        ("null key", .nullKey),
        ("duplicate key", .duplicateKey),
        ("unknown column", .unknownColumn),
    ]

    func badBatch(_ name: String) throws -> RecordBatch {
        switch name {
        case "missing key column":
            return try RecordBatch(schema: Schema([Field("ts", .timestamp(.utc)), Field("amount", .float64)]),
                                   columns: [try Column(.timestamp(.utc), values: [Int64(1)]), try Column(.float64, values: [1.0])])
        case "missing timestamp key":
            return try RecordBatch(schema: Schema([Field("user_id", .int64), Field("amount", .float64)]),
                                   columns: [try Column(.int64, values: [Int64(1)]), try Column(.float64, values: [1.0])])
        case "wrong key type":
            return try RecordBatch(schema: Schema([Field("user_id", .string), Field("ts", .timestamp(.utc))]),
                                   columns: [try Column(strings: ["u1"]), try Column(.timestamp(.utc), values: [Int64(1)])])
        case "wrong feature type":
            return try RecordBatch(schema: Schema([Field("user_id", .int64), Field("ts", .timestamp(.utc)), Field("amount", .string)]),
                                   columns: [try Column(.int64, values: [Int64(1)]), try Column(.timestamp(.utc), values: [Int64(1)]),
                                             try Column(strings: ["x"])])
        case "null key":
            return try RecordBatch(schema: Schema([Field("user_id", .int64), Field("ts", .timestamp(.utc))]),
                                   columns: [try Column(.int64, [Int64(1), nil]), try Column(.timestamp(.utc), values: [Int64(1), 2])])
        case "duplicate key":
            return try Fixture.events([(1, 10, 1, "a"), (2, 10, 2, "b"), (1, 10, 3, "c")])
        default:
            return try RecordBatch(schema: Schema([Field("user_id", .int64), Field("ts", .timestamp(.utc)), Field("extra", .int64)]),
                                   columns: [try Column(.int64, values: [Int64(1)]), try Column(.timestamp(.utc), values: [Int64(1)]),
                                             try Column(.int64, values: [Int64(1)])])
        }
    }

    @Test("bad writes are refused with a clear error and nothing written", arguments: badWrites)
    func badWrite(name: String, code: FeatureError.Code) throws {
        for mode in FeatureWriteMode.allCases {
            let store = try makeStore()
            try store.writeFeatures(name: "risk.events", [try Fixture.events([(5, 5, 5, "e")])])
            let table = try store.catalog.openTable(reference: "risk.events")
            let version = try table.snapshot().version
            let error = #expect(throws: FeatureError.self) {
                try store.writeFeatures(name: "risk.events", [try badBatch(name)], mode: mode)
            }
            #expect(error?.code == code, "\(name) in \(mode)")
            #expect(error?.table == "risk.events")
            #expect(try table.snapshot().version == version)
            #expect(try sorted(store).count == 1)
        }
    }

    @Test("the duplicate-key error names the key")
    func duplicateKeyMessage() throws {
        let store = try makeStore()
        let error = #expect(throws: FeatureError.self) {
            try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1, "a"), (1, 10, 3, "c")])])
        }
        #expect(error?.description.contains("user_id=1") == true)
        #expect(error?.description.contains("rows 0 and 1") == true)
    }

    @Test("createFeatureTable with an initial batch refuses duplicate keys and leaves no table")
    func initialBatchRefused() throws {
        let store = Fixture.store()
        #expect(throws: FeatureError.self) {
            try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts",
                                         initial: [try Fixture.events([(1, 10, 1, "a"), (1, 10, 2, "b")])])
        }
        #expect(try store.listFeatureTables().isEmpty)
        let info = try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts",
                                                initial: [try Fixture.events([(1, 10, 1, "a"), (1, 11, 2, "b")])])
        #expect(info.version == 1)
        #expect(try sorted(store).count == 2)
    }

    @Test("writes from CSV files take the table's types")
    func csvFile() throws {
        let store = try makeStore()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("features-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "user_id,ts,amount,category\n1,2024-01-01 00:00:00,1.5,a\n2,2024-01-02 00:00:00,,b\n".write(to: url, atomically: true, encoding: .utf8)
        let result = try store.writeFeatures(name: "risk.events", file: url)
        #expect(result.rowsInserted == 2)
        #expect(try sorted(store).count == 2)
    }
}
