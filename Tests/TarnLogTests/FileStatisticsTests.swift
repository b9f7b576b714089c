// FileStatisticsTests: stats JSON written and read as true bounds, and file skipping.
import Testing
import TarnColumnar
@testable import TarnLog

@Suite("File statistics")
struct FileStatisticsTests {
    static let schema = Schema([
        Field("id", .int64), Field("name", .string), Field("ts", .timestamp(.utc)),
        Field("s", .structure([Field("x", .float64), Field("d", .date32)])), Field("amount", .decimal(precision: 10, scale: 2)),
    ])

    @Test("stats round-trip with nested structs, numRecords and null counts")
    func roundTrip() throws {
        let stats = FileStatistics(numRecords: 10, columns: [
            "id": ColumnBounds(min: .int(1), max: .int(9), nullCount: 0, rowCount: nil),
            "name": ColumnBounds(min: .string("a"), max: .string("z"), nullCount: 2, rowCount: nil),
            "s.x": ColumnBounds(min: .float(-1.5), max: .float(2.25), nullCount: 1, rowCount: nil),
            "s.d": ColumnBounds(min: .date(0), max: .date(10), nullCount: 0, rowCount: nil),
            "amount": ColumnBounds(min: .decimal(-100, scale: 2), max: .decimal(12345, scale: 2), nullCount: 0, rowCount: nil),
        ])
        let text = stats.json(schema: Self.schema)
        #expect(text.contains(#""minValues":{"id":1,"name":"a","s":{"x":-1.5,"d":"1970-01-01"},"amount":-1.00}"#))
        let parsed = try #require(FileStatistics.parse(text, schema: Self.schema))
        #expect(parsed.numRecords == 10)
        #expect(parsed.bounds("s.x") == ColumnBounds(min: .float(-1.5), max: .float(2.25), nullCount: 1, rowCount: 10))
        #expect(parsed.bounds("amount")?.max == .decimal(12345, scale: 2))
        #expect(parsed.bounds("name")?.nullCount == 2)
    }

    @Test("timestamps are written at millisecond precision, min rounded down and max up")
    func timestampRounding() throws {
        let micros: Int64 = 1_764_410_400_123_456  // 2025-11-29T10:00:00.123456Z
        let stats = FileStatistics(numRecords: 1, columns: ["ts": ColumnBounds(min: .timestamp(micros, .utc), max: .timestamp(micros, .utc), nullCount: 0, rowCount: nil)])
        let text = stats.json(schema: Self.schema)
        #expect(text.contains(#""minValues":{"ts":"2025-11-29T10:00:00.123Z"}"#))
        #expect(text.contains(#""maxValues":{"ts":"2025-11-29T10:00:00.124Z"}"#))
        let parsed = try #require(FileStatistics.parse(text, schema: Self.schema))
        let b = try #require(parsed.bounds("ts"))
        #expect(ScalarValue.order(try #require(b.min), .timestamp(micros, .utc))! <= 0)
        #expect(ScalarValue.order(try #require(b.max), .timestamp(micros, .utc))! >= 0)
        // A max written truncated by another writer is widened to cover the whole millisecond.
        let peer = try #require(FileStatistics.parse(#"{"numRecords":1,"maxValues":{"ts":"2025-11-29T10:00:00.123Z"}}"#, schema: Self.schema))
        #expect(peer.bounds("ts")?.max == .timestamp(1_764_410_400_123_999, .utc))
    }

    @Test("long strings are cut to a prefix with the max bumped so both stay bounds")
    func stringTruncation() throws {
        let long = String(repeating: "a", count: 40)
        let stats = FileStatistics(numRecords: 1, columns: ["name": ColumnBounds(min: .string(long), max: .string(long + "zz"), nullCount: 0, rowCount: nil)])
        let parsed = try #require(FileStatistics.parse(stats.json(schema: Self.schema), schema: Self.schema))
        let b = try #require(parsed.bounds("name"))
        #expect(b.min == .string(String(repeating: "a", count: 32)))
        #expect(b.max == .string(String(repeating: "a", count: 31) + "b"))
        #expect(ScalarValue.order(b.max!, .string(long + "zz"))! > 0)
    }

    @Test("only the first indexed leaf columns get stats")
    func indexedColumns() throws {
        let stats = FileStatistics(numRecords: 1, columns: [
            "id": ColumnBounds(min: .int(1), max: .int(1), nullCount: 0, rowCount: nil),
            "name": ColumnBounds(min: .string("a"), max: .string("a"), nullCount: 0, rowCount: nil),
        ])
        let parsed = try #require(FileStatistics.parse(stats.json(schema: Self.schema, indexedColumns: 1), schema: Self.schema))
        #expect(parsed.bounds("id") != nil)
        #expect(parsed.bounds("name") == nil)
    }

    @Test("unreadable stats disable skipping instead of failing")
    func badStats() {
        #expect(FileStatistics.parse("nope", schema: Self.schema) == nil)
        #expect(FileStatistics.parse(#"{"numRecords":1,"minValues":{"id":"x"}}"#, schema: Self.schema)?.bounds("id") == nil)
    }

    @Test("files are skipped by stats and partition values", arguments: [
        (Predicate.comparison(column: "id", op: .greater, value: .int(50)), ["b", "c"]),
        (.comparison(column: "id", op: .equal, value: .int(5)), ["a", "c"]),
        (.comparison(column: "p", op: .equal, value: .string("x")), ["a", "b"]),
        (.isNull(column: "p"), ["c"]),
        (.and(.comparison(column: "p", op: .equal, value: .string("x")), .comparison(column: "id", op: .less, value: .int(20))), ["a"]),
    ])
    func skipping(_ predicate: Predicate, _ expected: [String]) throws {
        let schema = Schema([Field("id", .int64), Field("p", .string)])
        let skipping = FileSkipping(schema: schema, partitionColumns: ["p"])
        let files: [(String, String?, String)] = [
            ("a", "x", #"{"numRecords":5,"minValues":{"id":1},"maxValues":{"id":10},"nullCount":{"id":0}}"#),
            ("b", "x", #"{"numRecords":5,"minValues":{"id":100},"maxValues":{"id":200},"nullCount":{"id":0}}"#),
            ("c", nil, "garbage"),
        ]
        let kept = files.filter { skipping.mayMatch(predicate, partitionValues: ["p": $0.1], stats: $0.2) }.map(\.0)
        #expect(kept == expected)
    }
}
