// Helpers for feature-store tests: an in-memory lakehouse, a seeded random generator,
// batch builders and value extraction for assertions.
import Foundation
import TarnColumnar
import TarnFeatures
import TarnIO
import TarnTables
import TarnTestSupport

enum Fixture {
    /// A feature store over a fresh in-memory lakehouse.
    static func store() -> FeatureStore {
        FeatureStore(catalog: Catalog(store: InMemoryFileStore(), root: "memory"))
    }

    static let eventSchema = Schema([
        Field("user_id", .int64, nullable: false), Field("ts", .timestamp(.utc), nullable: false),
        Field("amount", .float64), Field("category", .string),
    ])

    /// Event feature rows (user, ts µs, amount, category).
    static func events(_ rows: [(Int64, Int64, Double?, String?)]) throws -> RecordBatch {
        try RecordBatch(schema: eventSchema, columns: [
            try Column(.int64, values: rows.map(\.0)),
            try Column(.timestamp(.utc), values: rows.map(\.1)),
            try Column(.float64, rows.map(\.2)),
            try Column(strings: rows.map(\.3)),
        ])
    }

    static let spineSchema = Schema([Field("user_id", .int64), Field("event_time", .timestamp(.utc)), Field("label", .int64)])

    static func spine(_ rows: [(Int64?, Int64?, Int64?)]) throws -> RecordBatch {
        try RecordBatch(schema: spineSchema, columns: [
            try Column(.int64, rows.map(\.0)),
            try Column(.timestamp(.utc), rows.map(\.1)),
            try Column(.int64, rows.map(\.2)),
        ])
    }

    /// Column `name` of `batch` as scalars.
    static func values(_ batch: RecordBatch, _ name: String) -> [ScalarValue] {
        guard let column = batch.column(named: name) else { return [] }
        return (0..<column.count).map { column.value(at: $0) }
    }

    /// Every row of `batches` as text, in order (for whole-table equality checks).
    static func rows(_ batches: [RecordBatch]) -> [String] {
        batches.flatMap { b in
            (0..<b.rowCount).map { i in b.columns.map { $0.value(at: i).description }.joined(separator: "|") }
        }
    }
}

/// SplitMix64: a small deterministic generator for property tests.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
