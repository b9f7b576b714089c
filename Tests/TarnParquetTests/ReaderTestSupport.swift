// Helpers shared by the reader tests: open an embedded fixture, read it whole, and
// compare columns with expected scalars (NaN-aware). Test code only.

import Testing
import TarnColumnar
@testable import TarnParquet

enum ReaderTestSupport {
    static func open(_ fixture: String, options: ParquetReadOptions = .init()) throws -> ParquetFileReader {
        let bytes = try #require(ReaderFixtures.bytes(fixture), "fixture \(fixture)")
        return try ParquetFileReader(input: ParquetBytesInput(bytes), name: fixture + ".parquet", options: options)
    }

    /// All row groups of a fixture as one batch.
    static func readAll(_ fixture: String, columns: [String]? = nil, options: ParquetReadOptions = .init()) throws -> RecordBatch {
        let reader = try open(fixture, options: options)
        let batches = try reader.read(columns: columns)
        if batches.count == 1 { return batches[0] }
        return try RecordBatch.concat(batches)
    }

    static func values(_ batch: RecordBatch, _ name: String) throws -> [ScalarValue] {
        let column = try #require(batch.column(named: name), "column \(name)")
        return (0..<column.count).map { column.value(at: $0) }
    }

    /// Equality where NaN equals NaN, recursively.
    static func same(_ a: ScalarValue, _ b: ScalarValue) -> Bool {
        switch (a, b) {
        case let (.float(x), .float(y)): return x.isNaN ? y.isNaN : (x == y && x.sign == y.sign)
        case let (.list(x), .list(y)), let (.structure(x), .structure(y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.map(x), .map(y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        default: return a == b
        }
    }

    static func expectColumn(_ batch: RecordBatch, _ name: String, _ expected: [ScalarValue], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = try values(batch, name)
        #expect(actual.count == expected.count, "\(name): \(actual.count) rows", sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() where !same(a, e) {
            Issue.record("\(name)[\(i)] is \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }
}

/// Shorthands for expected values.
let N = ScalarValue.null
func I(_ v: Int64) -> ScalarValue { .int(v) }
func U(_ v: UInt64) -> ScalarValue { .uint(v) }
func F(_ v: Double) -> ScalarValue { .float(v) }
func S(_ v: String) -> ScalarValue { .string(v) }
func B(_ v: Bool) -> ScalarValue { .boolean(v) }
func L(_ v: [ScalarValue]) -> ScalarValue { .list(v) }
func St(_ v: [ScalarValue]) -> ScalarValue { .structure(v) }
func M(_ v: [(ScalarValue, ScalarValue)]) -> ScalarValue { .map(v.map { ScalarValue.MapEntry($0.0, $0.1) }) }
