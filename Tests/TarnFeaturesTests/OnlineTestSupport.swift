// Helpers for the online-store tests: a lakehouse in a temporary directory, feature
// tables of events, a seeded random generator, and the reference "latest row per key"
// computed by brute force from a full table read.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables
import TarnTestSupport

/// A lakehouse directory with a feature store and an online store over it.
struct OnlineFixture {
    let directory: TemporaryDirectory
    let features: FeatureStore
    let online: OnlineStore

    init() throws {
        directory = try TemporaryDirectory("tarn-online")
        features = try FeatureStore(root: directory.path)
        online = try OnlineStore(root: directory.path)
    }

    var root: String { directory.path }

    /// Schema of the event tables: key `id`, timestamp `ts`, features `value`, `label`, `generation`.
    static let eventSchema = Schema([
        Field("id", .int64, nullable: false),
        Field("ts", .timestamp(.utc), nullable: false),
        Field("value", .float64),
        Field("label", .string),
        Field("generation", .int32),
    ])

    /// Without a timestamp key: key `id`, features `value`, `label`, `generation`.
    static let entitySchema = Schema([
        Field("id", .int64, nullable: false),
        Field("value", .float64),
        Field("label", .string),
        Field("generation", .int32),
    ])

    /// Event rows (id, ts, value, label, generation).
    static func events(_ rows: [(id: Int64, ts: Int64, value: Double?, label: String?, generation: Int32)]) throws -> [RecordBatch] {
        [try RecordBatch(schema: eventSchema, columns: [
            Column(.int64, values: rows.map(\.id)),
            Column(.timestamp(.utc), values: rows.map(\.ts)),
            Column(.float64, rows.map(\.value)),
            Column(.string, scalars: rows.map { $0.label.map(ScalarValue.string) ?? .null }),
            Column(.int32, values: rows.map(\.generation)),
        ])]
    }

    /// Entity rows (id, value, label, generation).
    static func entities(_ rows: [(id: Int64, value: Double?, label: String?, generation: Int32)]) throws -> [RecordBatch] {
        [try RecordBatch(schema: entitySchema, columns: [
            Column(.int64, values: rows.map(\.id)),
            Column(.float64, rows.map(\.value)),
            Column(.string, scalars: rows.map { $0.label.map(ScalarValue.string) ?? .null }),
            Column(.int32, values: rows.map(\.generation)),
        ])]
    }

    /// A batch of the `id` key column.
    static func keys(_ ids: [Int64]) throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("id", .int64, nullable: false)]), columns: [Column(.int64, values: ids)])
    }

    /// The latest row per key of `table` (by `timestampKey` when given), as name → value
    /// maps of every non-key column, from a full read of the table.
    func reference(_ table: String, keys: [String], timestampKey: String?) throws -> [[ScalarValue]: [String: ScalarValue]] {
        let batches = try features.readFeatures(name: table)
        var latest: [[ScalarValue]: (ts: ScalarValue, row: [String: ScalarValue])] = [:]
        for batch in batches {
            for row in 0..<batch.rowCount {
                let key = keys.map { batch.column(named: $0)?.value(at: row) ?? .null }
                var values: [String: ScalarValue] = [:]
                for (i, field) in batch.schema.fields.enumerated() where !keys.contains(field.name) {
                    values[field.name] = batch.columns[i].value(at: row)
                }
                let ts = timestampKey.flatMap { batch.column(named: $0)?.value(at: row) } ?? .null
                if let existing = latest[key], OnlineScalarOrder.less(ts, existing.ts) { continue }
                latest[key] = (ts, values)
            }
        }
        return latest.mapValues(\.row)
    }

    /// Checks that a lookup of `ids` (every id ever written plus some never written)
    /// returns exactly the reference's latest values, and `found` only for present keys.
    func expectOnlineMatchesTable(_ table: String, ids: [Int64], timestampKey: String?,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try reference(table, keys: ["id"], timestampKey: timestampKey)
        let result = try online.lookup(table: table, keys: OnlineFixture.keys(ids))
        #expect(result.rowCount == ids.count, sourceLocation: sourceLocation)
        let found = try #require(result.column(named: "found"), sourceLocation: sourceLocation)
        var mismatches: [String] = []
        for (row, id) in ids.enumerated() {
            let want = expected[[.int(id)]]
            let isFound = found.value(at: row) == .boolean(true)
            if isFound != (want != nil) {
                mismatches.append("id \(id): found \(isFound), expected \(want != nil)")
                continue
            }
            guard let want else { continue }
            for (name, value) in want {
                let got = result.column(named: name)?.value(at: row)
                if got != value { mismatches.append("id \(id) \(name): online \(got.map(\.description) ?? "-"), table \(value)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))", sourceLocation: sourceLocation)
        let state = try #require(try online.publicationState(table: table), sourceLocation: sourceLocation)
        #expect(state.rowCount == expected.count, sourceLocation: sourceLocation)
    }
}

/// Orders timestamp scalars for the reference (nulls first).
enum OnlineScalarOrder {
    static func less(_ a: ScalarValue, _ b: ScalarValue) -> Bool {
        switch (a, b) {
        case let (.timestamp(x, _), .timestamp(y, _)): return x < y
        case let (.int(x), .int(y)): return x < y
        case let (.date(x), .date(y)): return x < y
        case (.null, .null): return false
        case (.null, _): return true
        default: return false
        }
    }
}

/// SplitMix64: a small seeded generator so random operation sequences are reproducible.
struct OnlineSeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
