// Reproducibility: a training set is recorded in _system.training_sets with pinned
// versions and a spine digest; loadTrainingSet rebuilds identical rows after merges,
// overwrites and optimize, refuses another spine, and reports vacuumed versions.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnTables

@Suite("Training set reproducibility")
struct ReproducibilityTests {
    func makeStore() throws -> FeatureStore {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts",
                                     initial: [try Fixture.events((0..<50).map { (i: Int) -> (Int64, Int64, Double?, String?) in (Int64(i % 10), Int64(i * 3), Double(i), "c\(i % 4)") })])
        try store.writeFeatures(name: "risk.events", [try Fixture.events((50..<80).map { (i: Int) -> (Int64, Int64, Double?, String?) in (Int64(i % 10), Int64(i * 3), Double(i), nil) })])
        let profile = Schema([Field("user_id", .int64, nullable: false), Field("segment", .string)])
        try store.createFeatureTable(name: "risk.profile", primaryKeys: ["user_id"], initial: [
            try RecordBatch(schema: profile, columns: [try Column(.int64, values: (0..<8).map { Int64($0) }),
                                                       try Column(strings: (0..<8).map { "s\($0 % 3)" })]),
        ])
        return store
    }

    func spine() throws -> RecordBatch {
        try Fixture.spine((0..<60).map { (i: Int) -> (Int64?, Int64?, Int64?) in (Int64(i % 12), Int64(i * 4), Int64(i % 2)) })
    }

    let lookups = [
        FeatureLookup(table: "risk.events", lookupKey: "user_id", timestampLookupKey: "event_time", lookback: 60),
        FeatureLookup(table: "risk.profile", lookupKey: "user_id"),
    ]

    @Test("loadTrainingSet returns identical rows after merge, overwrite and optimize")
    func identicalAfterChanges() throws {
        let store = try makeStore()
        let original = try store.createTrainingSet(spine: [try spine()], lookups: lookups, label: "label")
        let recorded = try store.trainingSetMetadata(id: original.id)
        #expect(recorded == original.metadata)
        #expect(recorded.lookups.map(\.table) == ["risk.events", "risk.profile"])
        #expect(recorded.spineDigest.count == 64)
        #expect(try store.listTrainingSets().map(\.id) == [original.id])

        try store.writeFeatures(name: "risk.events", [try Fixture.events((0..<40).map { (i: Int) -> (Int64, Int64, Double?, String?) in (Int64(i % 10), Int64(i * 3 + 1), -1, "new") })])
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 0, 1000, "changed")])])
        let profile = Schema([Field("user_id", .int64, nullable: false), Field("segment", .string)])
        try store.writeFeatures(name: "risk.profile", [try RecordBatch(schema: profile, columns: [
            try Column(.int64, values: (0..<12).map { Int64($0) }), try Column(strings: (0..<12).map { _ in "other" }),
        ])], mode: .overwrite)
        try store.catalog.openTable(reference: "risk.events").optimize()
        try store.catalog.openTable(reference: "risk.profile").optimize()

        let fresh = try store.createTrainingSet(spine: [try spine()], lookups: lookups, label: "label")
        #expect(Fixture.rows(fresh.batches) != Fixture.rows(original.batches))
        let reloaded = try store.loadTrainingSet(id: original.id, spine: [try spine()])
        #expect(reloaded.schema == original.schema)
        #expect(Fixture.rows(reloaded.batches) == Fixture.rows(original.batches))
        #expect(reloaded.metadata == original.metadata)
        // The spine split differently is the same spine.
        let split = try spine()
        let parts = [try split.slice(0..<25), try split.slice(25..<60)]
        #expect(Fixture.rows(try store.loadTrainingSet(id: original.id, spine: parts).batches) == Fixture.rows(original.batches))
    }

    @Test("another spine is refused by its digest")
    func spineMismatch() throws {
        let store = try makeStore()
        let original = try store.createTrainingSet(spine: [try spine()], lookups: lookups)
        let other = try Fixture.spine((0..<60).map { (i: Int) -> (Int64?, Int64?, Int64?) in (Int64(i % 12), Int64(i * 4), Int64(i == 59 ? 7 : i % 2)) })
        let error = #expect(throws: FeatureError.self) { try store.loadTrainingSet(id: original.id, spine: [other]) }
        #expect(error?.code == .spineMismatch)
        let unknown = #expect(throws: FeatureError.self) { try store.loadTrainingSet(id: "nope", spine: [other]) }
        #expect(unknown?.code == .notFound)
    }

    @Test("a spine read from a table is re-read at its recorded version")
    func spineTable() throws {
        let store = try makeStore()
        let table = try store.catalog.createTable(TableIdentifier(parsing: "risk.labels"), schema: Fixture.spineSchema)
        try table.append([try spine()])
        let original = try store.createTrainingSet(spineTable: "risk.labels", lookups: lookups)
        try table.append([try spine()])
        let reloaded = try store.loadTrainingSet(id: original.id)
        #expect(reloaded.rowCount == 60)
        #expect(Fixture.rows(reloaded.batches) == Fixture.rows(original.batches))
    }

    @Test("a pinned version whose files were vacuumed is reported, not silently changed")
    func vacuumedVersion() throws {
        let store = try makeStore()
        let original = try store.createTrainingSet(spine: [try spine()], lookups: lookups)
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 1, 1, "x")])], mode: .overwrite)
        // Vacuum keeps files removed in the current millisecond; let the clock move past it.
        Thread.sleep(forTimeInterval: 0.01)
        try store.catalog.openTable(reference: "risk.events").vacuum(retentionHours: 0, enforceRetention: false)
        let error = #expect(throws: FeatureError.self) { try store.loadTrainingSet(id: original.id, spine: [try spine()]) }
        #expect(error?.code == .versionUnavailable)
        #expect(error?.table == "risk.events")
    }
}
