// Publishing to the online store: full and incremental publishes after merges, deletes,
// overwrites and optimize agree with the table's latest row per key; incremental reads
// only changed files and falls back to full when it must; publication state is recorded.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnTables

@Suite("Online store publish")
struct OnlinePublishTests {
    @Test("a full publish holds the latest row per key by the timestamp key")
    func fullPublishLatestByTimestamp() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        // Written out of time order: the latest by ts must win, not the last written.
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([
            (1, 300, 1.5, "c", 3), (1, 100, 0.5, "a", 1), (2, 50, nil, nil, 1), (1, 200, 1.0, "b", 2),
        ]))
        let report = try f.online.publish(table: "ml.events", mode: .full)
        #expect(report.state.rowCount == 2)
        #expect(report.rowsRead == 4)
        #expect(report.state.maxEventTimestamp == .timestamp(300, .utc))
        #expect(report.state.primaryKeys == ["id"])
        #expect(report.state.timestampKey == "ts")
        let row = try #require(try f.online.lookup(table: "ml.events", key: [.int(1)]))
        #expect(row["ts"] == .timestamp(300, .utc))
        #expect(row["value"] == .float(1.5))
        #expect(row["label"] == .string("c"))
        let nullRow = try #require(try f.online.lookup(table: "ml.events", key: [.int(2)]))
        #expect(nullRow["value"] == .null)
        #expect(nullRow["label"] == .null)
        #expect(try f.online.lookup(table: "ml.events", key: [.int(3)]) == nil)
        try f.expectOnlineMatchesTable("ml.events", ids: [1, 2, 3], timestampKey: "ts")
    }

    @Test("incremental publishes after random merges, deletes and overwrites agree with the table for every key",
          arguments: [(true, UInt64(1)), (true, 2), (false, 3), (false, 4)])
    func incrementalAgreesWithTable(withTimestamp: Bool, seed: UInt64) throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        let name = "ml.random"
        let timestampKey: String? = withTimestamp ? "ts" : nil
        try f.features.createFeatureTable(name: name, primaryKeys: ["id"], timestampKey: timestampKey,
                                          schema: withTimestamp ? OnlineFixture.eventSchema : OnlineFixture.entitySchema)
        var rng = OnlineSeededGenerator(seed: seed)
        let ids = Array(Int64(0)..<40)
        var generation: Int32 = 0
        func randomRows(_ count: Int) throws -> [RecordBatch] {
            generation += 1
            var seen = Set<[Int64]>()
            var events: [(id: Int64, ts: Int64, value: Double?, label: String?, generation: Int32)] = []
            while events.count < count {
                let id = Int64.random(in: 0..<40, using: &rng)
                let ts = Int64.random(in: 0..<8, using: &rng) * 1000
                guard seen.insert(withTimestamp ? [id, ts] : [id]).inserted else { continue }
                let value: Double? = Bool.random(using: &rng) ? Double(Int.random(in: 0..<1000, using: &rng)) / 8 : nil
                events.append((id, ts, value, "g\(generation)", generation))
            }
            if withTimestamp { return try OnlineFixture.events(events) }
            return try OnlineFixture.entities(events.map { ($0.id, $0.value, $0.label, $0.generation) })
        }
        try f.features.writeFeatures(name: name, randomRows(30))
        let first = try f.online.publish(table: name, mode: .incremental)
        #expect(first.state.mode == .full)
        #expect(first.fallbackReason != nil)
        try f.expectOnlineMatchesTable(name, ids: ids + [99], timestampKey: timestampKey)
        let table = try f.features.catalog.openTable(reference: name)
        for step in 0..<12 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                // Upserts: new events and updates of existing (id, ts) rows.
                try f.features.writeFeatures(name: name, randomRows(Int.random(in: 1..<12, using: &rng)))
            case 5..<7:
                // Delete whole keys.
                let victims = (0..<3).map { _ in ScalarValue.int(Int64.random(in: 0..<40, using: &rng)) }
                _ = try table.delete(where: .inList(column: "id", values: victims))
            case 7..<9:
                if withTimestamp {
                    // Delete the newest events: keys fall back to older rows in untouched files.
                    let cut = Int64.random(in: 2..<8, using: &rng) * 1000
                    _ = try table.delete(where: .comparison(column: "ts", op: .greaterOrEqual, value: .timestamp(cut, .utc)))
                } else {
                    _ = try table.delete(where: .comparison(column: "generation", op: .equal, value: .int(Int64(generation))))
                }
            default:
                try f.features.writeFeatures(name: name, randomRows(10), mode: .overwrite)
            }
            let report = try f.online.publish(table: name, mode: .incremental)
            #expect(report.state.mode == .incremental, "step \(step): \(report.fallbackReason ?? "")")
            #expect(report.state.version == (try table.snapshot().version))
            try f.expectOnlineMatchesTable(name, ids: ids + [99], timestampKey: timestampKey)
        }
        // A full rebuild of the same version gives the same rows.
        try f.online.publish(table: name, mode: .full)
        try f.expectOnlineMatchesTable(name, ids: ids + [99], timestampKey: timestampKey)
    }

    @Test("partitioned tables: incremental publishes read partition values of added and removed files")
    func partitionedIncremental() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.parts", primaryKeys: ["id"], timestampKey: "ts",
                                          schema: OnlineFixture.eventSchema, partitionColumns: ["label"])
        try f.features.writeFeatures(name: "ml.parts", OnlineFixture.events((0..<30).map {
            (Int64($0), 100, Double($0), $0 % 2 == 0 ? "even" : "odd", 1)
        }))
        try f.online.publish(table: "ml.parts")
        // Newer events move some keys to another partition; an update rewrites a partition's file.
        try f.features.writeFeatures(name: "ml.parts", OnlineFixture.events([
            (1, 200, 1.5, "even", 2), (2, 200, 2.5, "odd", 2), (4, 100, 40.0, "even", 2),
        ]))
        let table = try f.features.catalog.openTable(reference: "ml.parts")
        _ = try table.delete(where: .inList(column: "id", values: [.int(6), .int(7)]))
        _ = try table.delete(where: .comparison(column: "ts", op: .equal, value: .timestamp(200, .utc)))
        let report = try f.online.publish(table: "ml.parts")
        #expect(report.state.mode == .incremental, "\(report.fallbackReason ?? "")")
        try f.expectOnlineMatchesTable("ml.parts", ids: Array(0..<32), timestampKey: "ts")
        #expect(try f.online.lookup(table: "ml.parts", key: [.int(1)])?["label"] == .string("odd"))
        #expect(try f.online.lookup(table: "ml.parts", key: [.int(4)])?["value"] == .float(40.0))
        #expect(try f.online.lookup(table: "ml.parts", key: [.int(6)]) == nil)
    }

    @Test("an incremental publish reads only the changed files")
    func incrementalReadsChangedFilesOnly() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        for batch in 0..<5 {
            let rows = (0..<20).map { i in (Int64(batch * 20 + i), Int64(1000), Double(i) as Double?, "x" as String?, Int32(1)) }
            try f.features.writeFeatures(name: "ml.events", OnlineFixture.events(rows))
        }
        try f.online.publish(table: "ml.events", mode: .full)
        // New events for 3 keys: one added file, no removed file.
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([
            (1, 2000, 9.0, "new", 2), (21, 2000, 9.0, "new", 2), (41, 2000, 9.0, "new", 2),
        ]))
        let report = try f.online.publish(table: "ml.events")
        #expect(report.state.mode == .incremental)
        #expect(report.filesRead == 1)
        #expect(report.rowsRead == 3)
        #expect(report.rowsWritten == 3)
        #expect(report.previousVersion == 5)
        try f.expectOnlineMatchesTable("ml.events", ids: Array(0..<101), timestampKey: "ts")
        // Nothing changed: nothing read.
        let again = try f.online.publish(table: "ml.events")
        #expect(again.state.mode == .incremental)
        #expect(again.filesRead == 0)
        #expect(again.rowsWritten == 0)
    }

    @Test("optimize moves rows without changing them: an incremental publish reads no file")
    func optimizeIsNoChange() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        for batch in 0..<3 {
            try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(Int64(batch), 10, 1.0, "a", 1)]))
        }
        try f.online.publish(table: "ml.events")
        let table = try f.features.catalog.openTable(reference: "ml.events")
        _ = try table.optimize()
        let report = try f.online.publish(table: "ml.events")
        #expect(report.state.mode == .incremental)
        #expect(report.filesRead == 0)
        try f.expectOnlineMatchesTable("ml.events", ids: [0, 1, 2, 3], timestampKey: "ts")
    }

    @Test("a schema change or a recreated table makes an incremental publish run full, saying why")
    func fallbacks() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.entities", primaryKeys: ["id"], schema: OnlineFixture.entitySchema)
        try f.features.writeFeatures(name: "ml.entities", OnlineFixture.entities([(1, 1.0, "a", 1)]))
        try f.online.publish(table: "ml.entities")
        let table = try f.features.catalog.openTable(reference: "ml.entities")
        _ = try table.addColumns([Field("extra", .int64)])
        let afterSchema = try f.online.publish(table: "ml.entities")
        #expect(afterSchema.state.mode == .full)
        #expect(afterSchema.fallbackReason?.contains("schema") == true)
        let row = try #require(try f.online.lookup(table: "ml.entities", key: [.int(1)]))
        #expect(row.names.contains("extra"))
        #expect(row["extra"] == .null)

        try f.features.dropFeatureTable(name: "ml.entities")
        try f.features.createFeatureTable(name: "ml.entities", primaryKeys: ["id"], schema: OnlineFixture.entitySchema)
        try f.features.writeFeatures(name: "ml.entities", OnlineFixture.entities([(2, 2.0, "b", 1)]))
        let recreated = try f.online.publish(table: "ml.entities")
        #expect(recreated.state.mode == .full)
        #expect(recreated.fallbackReason?.contains("recreated") == true)
        try f.expectOnlineMatchesTable("ml.entities", ids: [1, 2], timestampKey: nil)
    }

    @Test("publication state is recorded per table and removed by unpublish")
    func publicationState() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        #expect(try f.online.publicationState(table: "ml.events") == nil)
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(1, 5_000_000, 1.0, "a", 1), (2, 7_000_000, 2.0, "b", 1)]))
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let report = try f.online.publish(table: "ml.events")
        let state = try #require(try f.online.publicationState(table: "ml.events"))
        #expect(state == report.state)
        #expect(state.version == 1)
        #expect(state.rowCount == 2)
        #expect(state.maxEventTimestamp == .timestamp(7_000_000, .utc))
        #expect(state.publishedAt >= before - 1000)
        #expect(try f.online.publications().map(\.table) == ["ml.events"])
        #expect(try f.online.unpublish(table: "ml.events"))
        #expect(try f.online.publicationState(table: "ml.events") == nil)
        #expect(throws: FeatureError.self) { try f.online.lookup(table: "ml.events", key: [.int(1)]) }
    }

    @Test("tables that cannot be published are refused clearly")
    func refusals() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        let missing = #expect(throws: FeatureError.self) { try f.online.publish(table: "ml.nothing") }
        #expect(missing?.code == .notFound)
        // A plain table without the feature-table keys.
        try f.features.catalog.createTable(TableIdentifier(namespace: "ml", name: "plain"), schema: OnlineFixture.entitySchema)
        let plain = #expect(throws: FeatureError.self) { try f.online.publish(table: "ml.plain") }
        #expect(plain?.code == .notAFeatureTable)
        // A nested column cannot be held online.
        let nested = Schema([Field("id", .int64, nullable: false), Field("embedding", .list(Field("element", .float32)))])
        try f.features.catalog.createTable(TableIdentifier(namespace: "ml", name: "nested"), schema: nested,
                                           properties: ["tarn.feature.primaryKeys": #"["id"]"#])
        let refused = #expect(throws: FeatureError.self) { try f.online.publish(table: "ml.nested") }
        #expect(refused?.code == .wrongType)
        #expect(refused?.message.contains("embedding") == true)
        let notPublished = #expect(throws: FeatureError.self) { try f.online.lookup(table: "ml.plain", key: [.int(1)]) }
        #expect(notPublished?.code == .notFound)
        #expect(notPublished?.message.contains("publish") == true)
    }
}
