// The point-in-time join checked against DuckDB's ASOF JOIN and pandas.merge_asof on a
// 100,000-row spine: Tarn builds a feature table (read back by deltalake) and two
// training sets (without and with a lookback); one Python process joins with both
// peers and compares row by row (Tests/Peers/features_asof.py).
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnParquet
import TarnTestSupport

@Suite("Feature store point-in-time join against DuckDB and pandas", .serialized)
struct FeatureInteropTests {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func parquet(_ batch: RecordBatch, to url: URL) throws {
        var writer = try ParquetFileWriter(schema: batch.schema)
        try writer.write(batch)
        try Data(try writer.finish()).write(to: url)
    }

    @Test("100k spine rows: Tarn's training sets equal DuckDB ASOF JOIN and pandas merge_asof, with and without lookback")
    func matchesPeers() throws {
        let dir = try TemporaryDirectory("feature-interop")
        defer { dir.remove() }
        var random = FeatureInteropRandom(seed: 2024)
        let store = try FeatureStore(root: dir.path)
        let schema = Schema([Field("entity", .int64, nullable: false), Field("ts", .timestamp(.utc), nullable: false),
                             Field("amount", .float64), Field("category", .string)])
        // 20,000 entities x 10 events at distinct times, written in two merges.
        func events(_ range: Range<Int>) throws -> RecordBatch {
            var entity: [Int64] = [], ts: [Int64] = [], amount: [Double?] = [], category: [String?] = []
            for e in range {
                for k in 0..<10 {
                    entity.append(Int64(e))
                    ts.append(Int64(k) * 1_000_000 + Int64(e % 97) * 10 + Int64.random(in: 0..<5, using: &random))
                    amount.append(Int.random(in: 0..<10, using: &random) == 0 ? nil : Double(Int.random(in: 0..<100_000, using: &random)) / 8)
                    category.append(Int.random(in: 0..<10, using: &random) == 0 ? nil : "c\(Int.random(in: 0..<30, using: &random))")
                }
            }
            // Times within an entity are distinct: k * 1e6 dominates the small offsets.
            return try RecordBatch(schema: schema, columns: [
                try Column(.int64, values: entity), try Column(.timestamp(.utc), values: ts),
                try Column(.float64, amount), try Column(strings: category),
            ])
        }
        try store.createFeatureTable(name: "interop.events", primaryKeys: ["entity"], timestampKey: "ts", initial: [try events(0..<10_000)])
        try store.writeFeatures(name: "interop.events", [try events(10_000..<20_000)])

        // Spine: entities (some unknown), times on, between, before and after events.
        var entity: [Int64] = [], at: [Int64] = []
        for _ in 0..<100_000 {
            entity.append(Int64.random(in: 0..<21_000, using: &random))
            let k = Int64.random(in: -1..<11, using: &random)
            at.append(k * 1_000_000 + Int64.random(in: 0..<1_500, using: &random))
        }
        let spine = try RecordBatch(schema: Schema([Field("entity", .int64), Field("at", .timestamp(.utc))]),
                                    columns: [try Column(.int64, values: entity), try Column(.timestamp(.utc), values: at)])
        let lookback: Int64 = 400_000
        let plain = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "interop.events", features: ["amount", "category"], lookupKey: "entity", timestampLookupKey: "at"),
        ])
        let windowed = try store.createTrainingSet(spine: [spine], lookups: [
            FeatureLookup(table: "interop.events", features: ["amount", "category"], lookupKey: "entity", timestampLookupKey: "at",
                          lookback: lookback),
        ])
        let spineURL = dir.url.appendingPathComponent("spine.parquet")
        let plainURL = dir.url.appendingPathComponent("tarn.parquet")
        let windowedURL = dir.url.appendingPathComponent("tarn_lookback.parquet")
        try parquet(spine, to: spineURL)
        try parquet(plain.batch, to: plainURL)
        try parquet(windowed.batch, to: windowedURL)

        let output = try Peers.run("features_asof.py", [dir.url.appendingPathComponent("interop/events").path, spineURL.path,
                                                        plainURL.path, windowedURL.path, String(lookback)])
        let line = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let data = line.data(using: .utf8),
              let report = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "features_asof.py printed no report: \(output.stdout.suffix(2000)) \(output.stderr.suffix(2000))")
        }
        #expect(report["error"] == nil, "peer error: \(String(describing: report["error"]))")
        #expect(report["rows"] as? Int == 100_000)
        #expect(report["tarn_rows"] as? Int == 100_000)
        let matched = report["matched"] as? Int ?? 0
        #expect(matched > 70_000 && matched < 100_000, "matched \(matched)")
        for peer in ["duckdb", "duckdb_lookback", "pandas", "pandas_lookback"] {
            #expect(report[peer] as? Int == 0, "\(peer) mismatches; examples: \(report["examples"] ?? [])")
        }
    }
}

/// SplitMix64 (a copy of the feature tests' generator; test targets do not share code).
private struct FeatureInteropRandom: RandomNumberGenerator {
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
