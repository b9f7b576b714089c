// Training-set semantics on small hand-checked cases: boundary ties, lookback edges,
// latest-value lookups, renames, label and exclusions, several lookups, and bad
// lookups refused with clear errors.
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnTables

@Suite("Training sets")
struct TrainingSetTests {
    /// user 1: ts 10 (1.0), 20 (2.0), 30 (null); user 2: ts 15 (5.0).
    func makeStore() throws -> FeatureStore {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts",
                                     initial: [try Fixture.events([(1, 10, 1, "a"), (1, 20, 2, "b"), (1, 30, nil, "c"), (2, 15, 5, "d")])])
        return store
    }

    @Test("point in time: greatest ts <= t, ties at the boundary included, nothing before the first row")
    func boundaries() throws {
        let store = try makeStore()
        let spine = try Fixture.spine([(1, 9, 0), (1, 10, 1), (1, 19, 0), (1, 20, 1), (1, 35, 0), (2, 15, 1), (3, 50, 0), (nil, 50, 0), (1, nil, 0)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time"),
        ])
        #expect(Fixture.values(set.batch, "amount") == [.null, .float(1), .float(1), .float(2), .null, .float(5), .null, .null, .null])
        #expect(set.schema.names == ["user_id", "event_time", "label", "amount"])
    }

    @Test("lookback bounds are inclusive", arguments: [
        (Int64(0), [ScalarValue.null, .float(1), .null, .float(2)]),
        (Int64(5), [.float(1), .float(1), .null, .float(2)]),
        (Int64(4), [.null, .float(1), .null, .float(2)]),
        (Int64(100), [.float(1), .float(1), .float(1), .float(2)]),
    ])
    func lookback(lookback: Int64, expected: [ScalarValue]) throws {
        let store = try makeStore()
        let spine = try Fixture.spine([(1, 15, 0), (1, 10, 0), (1, 17, 0), (1, 20, 0)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time",
                          lookback: lookback),
        ])
        #expect(Fixture.values(set.batch, "amount") == expected.enumerated().map { i, v in
            // spine (1,17): last row <= 17 is ts 10 (1.0); within lookback only if 17 - lookback <= 10.
            i == 2 && lookback >= 7 ? .float(1) : v
        })
    }

    @Test("without a timestamp lookup key the latest row per key is used")
    func latestValues() throws {
        let store = try makeStore()
        let spine = try Fixture.spine([(1, 0, 0), (2, 0, 0)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["category"], lookupKey: "user_id"),
        ])
        #expect(Fixture.values(set.batch, "category") == [.string("c"), .string("d")])
    }

    @Test("renames, label last, exclusions and two lookups of one table")
    func shapeOfOutput() throws {
        let store = try makeStore()
        let spine = try Fixture.spine([(1, 25, 1)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time"),
            FeatureLookup(table: "risk.events", features: ["amount", "category"], lookupKey: "user_id",
                          rename: ["amount": "latest_amount", "category": "latest_category"]),
        ], label: "label", exclude: ["event_time"])
        #expect(set.schema.names == ["user_id", "amount", "latest_amount", "latest_category", "label"])
        #expect(Fixture.values(set.batch, "amount") == [.float(2)])
        #expect(Fixture.values(set.batch, "latest_amount") == [.null])
        #expect(Fixture.values(set.batch, "latest_category") == [.string("c")])
        #expect(set.metadata.lookups.map(\.version) == [1, 1])
    }

    static let badLookups: [(String, FeatureError.Code)] = [
        ("unknown feature", .unknownColumn),
        ("key column as feature", .unknownColumn),
        ("spine without timestamp column", .missingKeyColumn),
        ("spine without key column", .missingKeyColumn),
        ("key of another type", .wrongType),
        ("duplicate output name", .duplicateOutputColumn),
        ("unknown table", .notFound),
        ("wrong key count", .invalidArgument),
        ("negative lookback", .invalidArgument),
        ("unknown rename", .unknownColumn),
        ("unknown label", .unknownColumn),
        ("unknown exclusion", .unknownColumn),
    ]

    @Test("bad lookups are clear errors and record nothing", arguments: badLookups)
    func badLookup(name: String, code: FeatureError.Code) throws {
        let store = try makeStore()
        var spine = try Fixture.spine([(1, 25, 1)])
        var lookup = FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time")
        var label: String? = nil
        var exclude: [String] = []
        switch name {
        case "unknown feature": lookup.features = ["amount", "nope"]
        case "key column as feature": lookup.features = ["ts"]
        case "spine without timestamp column": lookup.timestampLookupKey = "when"
        case "spine without key column": lookup.lookupKey = ["customer"]
        case "key of another type":
            spine = try RecordBatch(schema: Schema([Field("user_id", .string), Field("event_time", .timestamp(.utc))]),
                                    columns: [try Column(strings: ["1"]), try Column(.timestamp(.utc), values: [Int64(1)])])
        case "duplicate output name": lookup.rename = ["amount": "label"]
        case "unknown table": lookup.table = "risk.nothing"
        case "wrong key count": lookup.lookupKey = ["user_id", "label"]
        case "negative lookback": lookup.lookback = -1
        case "unknown rename": lookup.rename = ["category": "c"]
        case "unknown label": label = "target"
        default: exclude = ["nothing"]
        }
        let error = #expect(throws: FeatureError.self) {
            try store.createTrainingSet(spine: [spine], lookups: [lookup], label: label, exclude: exclude)
        }
        #expect(error?.code == code, "\(name): \(String(describing: error))")
        #expect(try store.catalog.listTables(namespace: "risk").count == 1)
        #expect(try !store.catalog.tableExists(TableIdentifier(namespace: "_system", name: "training_sets")))
    }

    @Test("asOf a commit timestamp reads the version committed at that time")
    func asOfTimestamp() throws {
        let store = try makeStore()
        let table = try store.catalog.openTable(reference: "risk.events")
        let v1Time = try #require(try table.snapshot().commitTime)
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 20, 99, "late backfill")])])
        let spine = try Fixture.spine([(1, 25, 0)])
        let pinned = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time",
                          asOf: .timestamp(v1Time * 1000)),
        ])
        #expect(pinned.metadata.lookups.first?.version == 1)
        #expect(Fixture.values(pinned.batch, "amount") == [.float(2)])
        let latest = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "risk.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time"),
        ])
        #expect(latest.metadata.lookups.first?.version == 2)
        #expect(Fixture.values(latest.batch, "amount") == [.float(99)])
    }

    @Test("date timestamp keys compare with timestamp spines at midnight UTC; integer keys compare as numbers")
    func otherTimeAxes() throws {
        let store = Fixture.store()
        let daily = Schema([Field("user_id", .int64, nullable: false), Field("day", .date32, nullable: false), Field("visits", .int64)])
        try store.createFeatureTable(name: "web.daily", primaryKeys: ["user_id"], timestampKey: "day", initial: [
            try RecordBatch(schema: daily, columns: [try Column(.int64, values: [Int64(1), 1]), try Column(.date32, values: [Int32(10), 12]),
                                                     try Column(.int64, values: [Int64(100), 120])]),
        ])
        let day: Int64 = 86_400_000_000
        let spine = try Fixture.spine([(1, 11 * day, 0), (1, 12 * day - 1, 0), (1, 12 * day, 0), (1, 9 * day, 0)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "web.daily", lookupKey: "user_id", timestampLookupKey: "event_time", lookback: day),
        ])
        #expect(Fixture.values(set.batch, "visits") == [.int(100), .null, .int(120), .null])

        let counters = Schema([Field("user_id", .int32, nullable: false), Field("seq", .int64, nullable: false), Field("score", .float64)])
        try store.createFeatureTable(name: "web.counters", primaryKeys: ["user_id"], timestampKey: "seq", initial: [
            try RecordBatch(schema: counters, columns: [try Column(.int32, values: [Int32(1), 1, 2]), try Column(.int64, values: [Int64(5), 9, 1]),
                                                        try Column(.float64, values: [0.5, 0.9, 0.1])]),
        ])
        let seqSpine = try RecordBatch(schema: Schema([Field("user_id", .int64), Field("at", .int32)]),
                                       columns: [try Column(.int64, values: [Int64(1), 1, 2, 1]), try Column(.int32, values: [Int32(8), 9, 0, 4])])
        let seqSet = try store.createTrainingSet(spine: [seqSpine], lookups: [
            FeatureLookup(table: "web.counters", lookupKey: "user_id", timestampLookupKey: "at"),
        ])
        #expect(Fixture.values(seqSet.batch, "score") == [.float(0.5), .float(0.9), .null, .null])
        let mixed = #expect(throws: FeatureError.self) {
            try store.createTrainingSet(spine: [spine], lookups: [
                FeatureLookup(table: "web.counters", lookupKey: "user_id", timestampLookupKey: "event_time"),
            ])
        }
        #expect(mixed?.code == .wrongType)
    }

    @Test("describe lists the training sets that read a table")
    func lineage() throws {
        let store = try makeStore()
        let set = try store.createTrainingSet(spine: [try Fixture.spine([(1, 25, 0)])], lookups: [
            FeatureLookup(table: "risk.events", lookupKey: "user_id", timestampLookupKey: "event_time"),
        ])
        #expect(try store.describe(name: "risk.events").trainingSets == [set.id])
    }
}
