// Property test of the point-in-time join: on random feature tables (multi-column and
// string keys, several files, nulls in features) and random spines (duplicate keys,
// missing keys, null keys and times, times on row boundaries), every output value
// equals a brute-force reference that scans all feature rows for each spine row.
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog

@Suite("Point-in-time join against a brute-force reference")
struct PointInTimeJoinPropertyTests {
    struct FeatureRow {
        var region: Int32
        var user: String
        var ts: Int64
        var score: Double?
        var tag: String?
    }

    struct SpineRow {
        var region: Int32?
        var user: String?
        var t: Int64?
    }

    static let featureSchema = Schema([
        Field("region", .int32, nullable: false), Field("user", .string, nullable: false),
        Field("ts", .timestamp(.utc), nullable: false), Field("score", .float64), Field("tag", .string),
    ])

    func featureBatch(_ rows: [FeatureRow]) throws -> RecordBatch {
        try RecordBatch(schema: Self.featureSchema, columns: [
            try Column(.int32, values: rows.map(\.region)),
            try Column(strings: rows.map(\.user)),
            try Column(.timestamp(.utc), values: rows.map(\.ts)),
            try Column(.float64, rows.map(\.score)),
            try Column(strings: rows.map(\.tag)),
        ])
    }

    /// The reference: greatest ts <= t (and >= t - lookback), keys equal and non-null.
    func reference(_ spine: SpineRow, _ rows: [FeatureRow], lookback: Int64?) -> FeatureRow? {
        guard let region = spine.region, let user = spine.user, let t = spine.t else { return nil }
        var best: FeatureRow? = nil
        for row in rows where row.region == region && row.user == user && row.ts <= t {
            if let lookback, row.ts < t - lookback { continue }
            if best.map({ row.ts > $0.ts }) ?? true { best = row }
        }
        return best
    }

    @Test("every spine row gets exactly the brute-force match", arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func matchesReference(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let store = Fixture.store()
        try store.createFeatureTable(name: "prop.features", primaryKeys: ["region", "user"], timestampKey: "ts",
                                     schema: Self.featureSchema)
        // Unique (region, user, ts); written in several merges so the table has several files.
        var byKey: [String: FeatureRow] = [:]
        for _ in 0..<3 {
            var batch: [String: FeatureRow] = [:]
            for _ in 0..<Int.random(in: 50...200, using: &random) {
                let row = FeatureRow(region: Int32.random(in: 0..<4, using: &random), user: "u\(Int.random(in: 0..<6, using: &random))",
                                     ts: Int64.random(in: 0..<60, using: &random) * 5,
                                     score: Bool.random(using: &random) && Bool.random(using: &random) ? nil : Double(Int.random(in: 0..<1000, using: &random)),
                                     tag: Int.random(in: 0..<5, using: &random) == 0 ? nil : "t\(Int.random(in: 0..<9, using: &random))")
                batch["\(row.region)|\(row.user)|\(row.ts)"] = row
            }
            try store.writeFeatures(name: "prop.features", [try featureBatch(Array(batch.values))])
            for (key, row) in batch { byKey[key] = row }
        }
        let rows = Array(byKey.values)
        // Spine: keys inside and outside the domain, nulls, times on and between row times.
        var spine: [SpineRow] = []
        for _ in 0..<400 {
            let region: Int32? = Int.random(in: 0..<15, using: &random) == 0 ? nil : Int32.random(in: 0..<5, using: &random)
            let user: String? = Int.random(in: 0..<20, using: &random) == 0 ? nil : "u\(Int.random(in: 0..<7, using: &random))"
            let t: Int64? = Int.random(in: 0..<20, using: &random) == 0 ? nil : Int64.random(in: -10..<320, using: &random)
            spine.append(SpineRow(region: region, user: user, t: t))
        }
        spine += spine.prefix(50)  // duplicate spine rows
        let spineBatch = try RecordBatch(schema: Schema([Field("r", .int32), Field("u", .string), Field("at", .timestamp(.utc))]), columns: [
            try Column(.int32, spine.map(\.region)), try Column(strings: spine.map(\.user)), try Column(.timestamp(.utc), spine.map(\.t)),
        ])
        for lookback in [nil, Int64(0), 7, 25] as [Int64?] {
            let set = try store.createTrainingSet(spine: [spineBatch], lookups: [
                FeatureLookup(table: "prop.features", lookupKey: ["r", "u"], timestampLookupKey: "at", lookback: lookback),
            ])
            #expect(set.rowCount == spine.count)
            #expect(set.schema.names == ["r", "u", "at", "score", "tag"])
            let scores = Fixture.values(set.batch, "score"), tags = Fixture.values(set.batch, "tag")
            let regions = Fixture.values(set.batch, "r")
            for (i, row) in spine.enumerated() {
                let expected = reference(row, rows, lookback: lookback)
                let score: ScalarValue = expected?.score.map { .float($0) } ?? .null
                let tag: ScalarValue = expected?.tag.map { .string($0) } ?? .null
                #expect(scores[i] == score, "seed \(seed) lookback \(String(describing: lookback)) row \(i): \(row)")
                #expect(tags[i] == tag, "seed \(seed) lookback \(String(describing: lookback)) row \(i)")
                #expect(regions[i] == (row.region.map { .int(Int64($0)) } ?? .null))
            }
        }
    }

    @Test("single integer keys (the direct-compare path) match the brute-force reference", arguments: [UInt64(11), 12, 13])
    func integerKeys(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let store = Fixture.store()
        try store.createFeatureTable(name: "prop.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema)
        var rows: [String: (Int64, Int64, Double?, String?)] = [:]
        for _ in 0..<4 {
            var batch: [String: (Int64, Int64, Double?, String?)] = [:]
            for _ in 0..<150 {
                let user = Int64.random(in: 0..<30, using: &random), ts = Int64.random(in: 0..<40, using: &random) * 10
                batch["\(user)@\(ts)"] = (user, ts, Int.random(in: 0..<4, using: &random) == 0 ? nil : Double(Int.random(in: 0..<500, using: &random)), nil)
            }
            try store.writeFeatures(name: "prop.events", [try Fixture.events(Array(batch.values))])
            for (k, v) in batch { rows[k] = v }
        }
        let spineRows: [(Int64?, Int64?, Int64?)] = (0..<500).map { _ in
            (Int.random(in: 0..<25, using: &random) == 0 ? nil : Int64.random(in: -2..<35, using: &random),
             Int64.random(in: -5..<420, using: &random), 0)
        }
        // A second spine with one time per key (each key once, some rows repeated exactly),
        // which takes the running-best path of the join.
        var seen = Set<Int64?>()
        var singles = spineRows.filter { seen.insert($0.0).inserted }
        singles += singles.prefix(5)
        for spineRows in [spineRows, singles] {
            let lookback = Int64.random(in: 0..<60, using: &random)
            let set = try store.createTrainingSet(spine: [try Fixture.spine(spineRows)], lookups: [
                FeatureLookup(table: "prop.events", features: ["amount"], lookupKey: "user_id", timestampLookupKey: "event_time",
                              lookback: lookback),
            ])
            let amounts = Fixture.values(set.batch, "amount")
            for (i, spine) in spineRows.enumerated() {
                var best: (Int64, Int64, Double?, String?)? = nil
                if let user = spine.0, let t = spine.1 {
                    for row in rows.values where row.0 == user && row.1 <= t && row.1 >= t - lookback {
                        if best.map({ row.1 > $0.1 }) ?? true { best = row }
                    }
                }
                #expect(amounts[i] == (best?.2.map { ScalarValue.float($0) } ?? .null), "seed \(seed) row \(i)")
            }
        }
    }

    @Test("a table without a timestamp key joins on keys exactly, latest write wins")
    func exactKeyJoin() throws {
        var random = SeededRandom(seed: 99)
        let store = Fixture.store()
        let schema = Schema([Field("user", .string, nullable: false), Field("level", .int64)])
        try store.createFeatureTable(name: "prop.profile", primaryKeys: ["user"], schema: schema)
        var expected: [String: Int64] = [:]
        for _ in 0..<3 {
            var batch: [String: Int64] = [:]
            for _ in 0..<30 { batch["u\(Int.random(in: 0..<40, using: &random))"] = Int64.random(in: 0..<100, using: &random) }
            try store.writeFeatures(name: "prop.profile", [try RecordBatch(schema: schema, columns: [
                try Column(strings: Array(batch.keys)), try Column(.int64, values: Array(batch.keys).map { batch[$0] ?? 0 }),
            ])])
            for (k, v) in batch { expected[k] = v }
        }
        let users = (0..<200).map { _ in "u\(Int.random(in: 0..<50, using: &random))" }
        let spine = try RecordBatch(schema: Schema([Field("user", .string)]), columns: [try Column(strings: users)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [FeatureLookup(table: "prop.profile", lookupKey: "user")])
        let levels = Fixture.values(set.batch, "level")
        for (i, user) in users.enumerated() {
            #expect(levels[i] == (expected[user].map { .int($0) } ?? .null))
        }
    }
}
