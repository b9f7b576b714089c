// Row-group statistics as typed bounds (per logical type, NaN-aware, unsigned order,
// decimals, all-null chunks) and row-group pruning with predicates; multi-page chunks.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: statistics and pruning")
struct ReaderStatisticsTests {
    @Test("reads three row groups of multi-page chunks in order")
    func rowGroups() throws {
        let reader = try ReaderTestSupport.open("row_groups")
        #expect(reader.rowGroupCount == 3)
        #expect(reader.rowCount == 12)
        let batch = try ReaderTestSupport.readAll("row_groups")
        try ReaderTestSupport.expectColumn(batch, "x", (0..<12).map { I(Int64($0)) })
        try ReaderTestSupport.expectColumn(batch, "f", (0..<12).map { $0 == 5 ? F(.nan) : F(Double($0) / 2) })
        try ReaderTestSupport.expectColumn(batch, "nul", Array(repeating: N, count: 12))
        try ReaderTestSupport.expectColumn(batch, "u", (0..<12).map { U((1 << 63) + UInt64($0)) })
        try ReaderTestSupport.expectColumn(batch, "dec", (0..<12).map { .decimal(Int128($0 * 25), scale: 2) })
    }

    @Test("chunk statistics decode to typed bounds for every logical type")
    func bounds() throws {
        let reader = try ReaderTestSupport.open("row_groups")
        #expect(reader.statistics(rowGroup: 0, column: "x") == ColumnBounds(min: I(0), max: I(3), nullCount: 0, rowCount: 4))
        #expect(reader.statistics(rowGroup: 2, column: "s") == ColumnBounds(min: S("g08"), max: S("g11"), nullCount: 0, rowCount: 4))
        #expect(reader.statistics(rowGroup: 1, column: "dt")?.min == .date(18004))
        #expect(reader.statistics(rowGroup: 1, column: "ts")?.max == .timestamp(1700000000007000, .utc))
        #expect(reader.statistics(rowGroup: 0, column: "dec")?.max == .decimal(75, scale: 2))
        #expect(reader.statistics(rowGroup: 0, column: "u")?.min == U(1 << 63))
        #expect(reader.statistics(rowGroup: 0, column: "u")?.max == U((1 << 63) + 3))
        #expect(reader.statistics(rowGroup: 1, column: "f")?.max == F(3.5))
        #expect(reader.statistics(rowGroup: 0, column: "b") == ColumnBounds(min: B(false), max: B(true), nullCount: 0, rowCount: 4))
        let allNull = try #require(reader.statistics(rowGroup: 0, column: "nul"))
        #expect(allNull.min == nil && allNull.max == nil)
        #expect(allNull.nullCount == 4)
        #expect(reader.statistics(rowGroup: 0, column: "missing") == nil)
        #expect(reader.statistics(rowGroup: 7, column: "x") == nil)
    }

    static let pruning: [(Predicate, [Int])] = [
        (.comparison(column: "x", op: .greater, value: I(5)), [1, 2]),
        (.comparison(column: "x", op: .equal, value: I(9)), [2]),
        (.comparison(column: "s", op: .equal, value: S("g05")), [1]),
        (.comparison(column: "u", op: .greaterOrEqual, value: U((1 << 63) + 8)), [2]),
        (.comparison(column: "ts", op: .lessOrEqual, value: .timestamp(1700000000004000, .utc)), [0, 1]),
        (.comparison(column: "dec", op: .greater, value: .decimal(200, scale: 2)), [2]),
        (.comparison(column: "f", op: .greater, value: F(3)), [1, 2]),
        (.comparison(column: "dt", op: .less, value: .date(18001)), [0]),
        (.isNotNull(column: "nul"), []),
        (.isNull(column: "nul"), [0, 1, 2]),
        (.and(.comparison(column: "x", op: .greaterOrEqual, value: I(4)), .comparison(column: "s", op: .less, value: S("g08"))), [1]),
        (.comparison(column: "unknown", op: .equal, value: I(1)), [0, 1, 2]),
    ]

    @Test("prunes row groups whose statistics rule the predicate out", arguments: pruning)
    func prune(predicate: Predicate, expected: [Int]) throws {
        let reader = try ReaderTestSupport.open("row_groups")
        #expect(reader.rowGroupsMatching(predicate) == expected)
    }

    @Test("read(predicate:) returns only matching row groups, rows unfiltered")
    func readWithPredicate() throws {
        let reader = try ReaderTestSupport.open("row_groups")
        let batches = try reader.read(columns: ["x"], predicate: .comparison(column: "x", op: .equal, value: I(9)))
        #expect(batches.count == 1)
        try ReaderTestSupport.expectColumn(batches[0], "x", [I(8), I(9), I(10), I(11)])
    }

    @Test("read(rowGroups:) decodes the chosen row groups in the order given")
    func chosenRowGroups() throws {
        let reader = try ReaderTestSupport.open("row_groups")
        let batches = try reader.read(rowGroups: [2, 0], columns: ["x"])
        try ReaderTestSupport.expectColumn(batches[0], "x", [I(8), I(9), I(10), I(11)])
        try ReaderTestSupport.expectColumn(batches[1], "x", [I(0), I(1), I(2), I(3)])
        #expect(throws: ParquetError.self) { try reader.read(rowGroups: [3]) }
    }

    @Test("legacy min/max are ignored for strings and unsigned, kept for signed integers")
    func legacyOrder() throws {
        let stats = Statistics(max: [9, 0, 0, 0], min: [1, 0, 0, 0], nullCount: 0)
        let schema = try ParquetSchema(elements: [
            SchemaElement(name: "root", numChildren: 3),
            SchemaElement(name: "i", type: .int32, repetitionType: .optional),
            SchemaElement(name: "u", type: .int32, repetitionType: .optional, convertedType: .uint32),
            SchemaElement(name: "s", type: .byteArray, repetitionType: .optional, convertedType: .utf8),
        ])
        let signed = StatisticsDecoding.bounds(stats, descriptor: schema.columns[0], columnOrder: nil, valueCount: 3)
        #expect(signed?.min == I(1) && signed?.max == I(9))
        let unsigned = StatisticsDecoding.bounds(stats, descriptor: schema.columns[1], columnOrder: nil, valueCount: 3)
        #expect(unsigned?.min == nil && unsigned?.nullCount == 0)
        let text = StatisticsDecoding.bounds(Statistics(max: Array("b".utf8), min: Array("a".utf8)), descriptor: schema.columns[2], columnOrder: nil, valueCount: 3)
        #expect(text?.min == nil)
        let unknownOrder = StatisticsDecoding.bounds(Statistics(maxValue: [9, 0, 0, 0], minValue: [1, 0, 0, 0]), descriptor: schema.columns[0], columnOrder: .other(fieldID: 9), valueCount: 3)
        #expect(unknownOrder?.min == nil)
        let nanBound = StatisticsDecoding.bounds(
            Statistics(maxValue: withUnsafeBytes(of: Double.nan.bitPattern.littleEndian, Array.init), minValue: withUnsafeBytes(of: (1.0).bitPattern.littleEndian, Array.init)),
            descriptor: try ParquetSchema(elements: [SchemaElement(name: "r", numChildren: 1), SchemaElement(name: "d", type: .double, repetitionType: .optional)]).columns[0],
            columnOrder: .typeDefinedOrder, valueCount: 1)
        #expect(nanBound?.max == nil)
    }
}
