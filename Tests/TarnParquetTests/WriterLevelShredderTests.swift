// Tests of LevelShredder: definition/repetition levels and leaf values for flat and
// nested columns, with the expected levels worked out by hand from the Dremel rules
// (a definition level counts the optional/repeated ancestors that are present).

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Writer level shredding")
struct WriterLevelShredderTests {
    private func int32s(_ values: LeafValues) -> [Int32]? {
        if case let .int32(v) = values { return Array(v) }
        return nil
    }

    private func int64s(_ values: LeafValues) -> [Int64]? {
        if case let .int64(v) = values { return Array(v) }
        return nil
    }

    private func strings(_ values: LeafValues) -> [String]? {
        guard case let .byteArray(offsets, data) = values else { return nil }
        return (0..<(offsets.count - 1)).map {
            String(decoding: data[Int(offsets[$0])..<Int(offsets[$0 + 1])], as: UTF8.self)
        }
    }

    @Test("a nullable flat column has definition levels 0/1, no repetition, and only non-null values")
    func flatNullable() throws {
        let column = try writerColumn(.int64, [.int(1), nil, .int(3)])
        let leaves = try LevelShredder.shred(column, field: Field("a", .int64), rows: 0..<3)
        try #require(leaves.count == 1)
        #expect(leaves[0].definitionLevels == [1, 0, 1])
        #expect(leaves[0].repetitionLevels.isEmpty)
        #expect(leaves[0].levelCount == 3)
        #expect(int64s(leaves[0].values) == [1, 3])
    }

    @Test("a nullable flat column without nulls stores one uniform definition level, not a byte per row")
    func flatNoNulls() throws {
        let column = try Column(.int64, values: [Int64(1), 2, 3])
        var leaves = try LevelShredder.shred(column, field: Field("a", .int64), rows: 0..<3)
        #expect(leaves[0].uniformDefinitionLevel == 1)
        #expect(leaves[0].definitionLevels.isEmpty)
        // Appending a part with nulls stores every level.
        let withNull = try LevelShredder.shred(writerColumn(.int64, [nil, .int(4)]), field: Field("a", .int64), rows: 0..<2)
        try leaves[0].append(withNull[0])
        #expect(leaves[0].uniformDefinitionLevel == nil)
        #expect(leaves[0].definitionLevels == [1, 1, 1, 0, 1])
        #expect(leaves[0].levelCount == 5)
        #expect(int64s(leaves[0].values) == [1, 2, 3, 4])
    }

    @Test("a row range without nulls shares the column's buffers: byte data is not copied")
    func rangeSharesBuffers() throws {
        let column = try Column(strings: ["a", "bb", "ccc", "dddd"])
        let leaves = try LevelShredder.shred(column, field: Field("s", .string), rows: 1..<3)
        #expect(strings(leaves[0].values) == ["bb", "ccc"])
        guard case let .byteArray(offsets, data) = leaves[0].values else { Issue.record("not a byte array"); return }
        #expect(offsets == [1, 3, 6] && data.count == 10)
    }

    @Test("a required flat column has no level arrays at all")
    func flatRequired() throws {
        let column = try Column(.int32, values: [Int32(4), 5, 6])
        let leaves = try LevelShredder.shred(column, field: Field("a", .int32, nullable: false), rows: 1..<3)
        #expect(leaves[0].definitionLevels.isEmpty)
        #expect(leaves[0].repetitionLevels.isEmpty)
        #expect(leaves[0].levelCount == 2)
        #expect(int32s(leaves[0].values) == [5, 6])
    }

    @Test("a null in a required field is a schema mismatch naming the field")
    func nullInRequired() throws {
        let column = try writerColumn(.int64, [.int(1), nil])
        #expect(throws: ParquetError.self) {
            _ = try LevelShredder.shred(column, field: Field("a", .int64, nullable: false), rows: 0..<2)
        }
        do {
            _ = try LevelShredder.shred(column, field: Field("a", .int64, nullable: false), rows: 0..<2)
        } catch {
            #expect(error.code == .schemaMismatch)
            #expect(error.column == "a")
        }
    }

    @Test("list<int32>: values, a null list, an empty list and a null element")
    func listLevels() throws {
        // optional list (1) / repeated list (2) / optional element (3); max rep 1.
        let type = DataType.list(Field("element", .int32))
        let column = try writerColumn(type, [
            .list([.int(1), .int(2)]), nil, .list([]), .list([.null, .int(3)]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("l", type), rows: 0..<4)
        try #require(leaves.count == 1)
        #expect(leaves[0].definitionLevels == [3, 3, 0, 1, 2, 3])
        #expect(leaves[0].repetitionLevels == [0, 1, 0, 0, 0, 1])
        #expect(leaves[0].levelCount == 6)
        #expect(int32s(leaves[0].values) == [1, 2, 3])
    }

    @Test("a row range of a list column starts each row at repetition 0")
    func listRowRange() throws {
        let type = DataType.list(Field("element", .int32))
        let column = try writerColumn(type, [
            .list([.int(1), .int(2)]), nil, .list([]), .list([.null, .int(3)]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("l", type), rows: 2..<4)
        #expect(leaves[0].definitionLevels == [1, 2, 3])
        #expect(leaves[0].repetitionLevels == [0, 0, 1])
        #expect(int32s(leaves[0].values) == [3])
    }

    @Test("struct<a, b>: a null struct ends both leaves at level 0, a null child at level 1")
    func structLevels() throws {
        let type = DataType.structure([Field("a", .int32), Field("b", .string)])
        let column = try writerColumn(type, [
            .structure([.int(1), .string("x")]), nil, .structure([.null, .string("y")]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("s", type), rows: 0..<3)
        try #require(leaves.count == 2)
        #expect(leaves[0].definitionLevels == [2, 0, 1])
        #expect(int32s(leaves[0].values) == [1])
        #expect(leaves[1].definitionLevels == [2, 0, 2])
        #expect(strings(leaves[1].values) == ["x", "y"])
        #expect(leaves[0].repetitionLevels.isEmpty && leaves[1].repetitionLevels.isEmpty)
    }

    @Test("map<string, int64>: required keys, a null value, a null map and an empty map")
    func mapLevels() throws {
        // optional map (1) / repeated key_value (2) / required key; optional value (3).
        let type = DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .int64))
        let column = try writerColumn(type, [
            .map([.init(.string("a"), .int(1)), .init(.string("b"), .null)]), nil, .map([]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("m", type), rows: 0..<3)
        try #require(leaves.count == 2)
        #expect(leaves[0].definitionLevels == [2, 2, 0, 1])
        #expect(leaves[0].repetitionLevels == [0, 1, 0, 0])
        #expect(strings(leaves[0].values) == ["a", "b"])
        #expect(leaves[1].definitionLevels == [3, 2, 0, 1])
        #expect(leaves[1].repetitionLevels == [0, 1, 0, 0])
        #expect(int64s(leaves[1].values) == [1])
    }

    @Test("list<list<int32>>: inner empty list, inner null list, repetition at both depths")
    func nestedLists() throws {
        // outer optional (1) / outer repeated (2) / inner optional (3) / inner repeated (4)
        // / element optional (5); max rep 2.
        let inner = DataType.list(Field("element", .int32))
        let type = DataType.list(Field("element", inner))
        let column = try writerColumn(type, [
            .list([.list([.int(1)]), .list([])]),
            .list([.list([.int(2), .int(3)])]),
            nil,
            .list([.null]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("ll", type), rows: 0..<4)
        try #require(leaves.count == 1)
        #expect(leaves[0].definitionLevels == [5, 3, 5, 5, 0, 2])
        #expect(leaves[0].repetitionLevels == [0, 1, 0, 2, 0, 0])
        #expect(int32s(leaves[0].values) == [1, 2, 3])
    }

    @Test("list<struct<x, y>> with a null struct element and a required child")
    func listOfStructs() throws {
        // optional list (1) / repeated (2) / optional struct (3) / x required / y optional (4).
        let element = DataType.structure([Field("x", .int32, nullable: false), Field("y", .string)])
        let type = DataType.list(Field("element", element))
        let column = try writerColumn(type, [
            .list([.structure([.int(7), .null]), .null, .structure([.int(8), .string("z")])]),
        ])
        let leaves = try LevelShredder.shred(column, field: Field("ls", type), rows: 0..<1)
        try #require(leaves.count == 2)
        #expect(leaves[0].definitionLevels == [3, 2, 3])
        #expect(leaves[0].repetitionLevels == [0, 1, 1])
        #expect(int32s(leaves[0].values) == [7, 8])
        #expect(leaves[1].definitionLevels == [3, 2, 4])
        #expect(strings(leaves[1].values) == ["z"])
    }

    @Test("unsigned and small integers widen to INT32 bit patterns; uint64 keeps its bits")
    func physicalConversions() throws {
        let u8 = try LevelShredder.shred(Column(.uint8, values: [UInt8(255), 0]), field: Field("a", .uint8, nullable: false), rows: 0..<2)
        #expect(int32s(u8[0].values) == [255, 0])
        let u32 = try LevelShredder.shred(Column(.uint32, values: [UInt32.max]), field: Field("a", .uint32, nullable: false), rows: 0..<1)
        #expect(int32s(u32[0].values) == [-1])
        let i8 = try LevelShredder.shred(Column(.int8, values: [Int8(-128)]), field: Field("a", .int8, nullable: false), rows: 0..<1)
        #expect(int32s(i8[0].values) == [-128])
        let u64 = try LevelShredder.shred(Column(.uint64, values: [UInt64.max]), field: Field("a", .uint64, nullable: false), rows: 0..<1)
        #expect(int64s(u64[0].values) == [-1])
    }

    @Test("decimals: INT32 up to precision 9, INT64 up to 18, big-endian FLBA above", arguments: [
        (5, 4), (15, 8), (20, 9), (38, 16),
    ])
    func decimalPhysical(precision: Int, width: Int) throws {
        let type = DataType.decimal(precision: precision, scale: 2)
        let column = try Column(type, values: [Int128(-2), 300])
        let leaves = try LevelShredder.shred(column, field: Field("d", type, nullable: false), rows: 0..<2)
        switch leaves[0].values {
        case let .int32(v): #expect(width == 4 && Array(v) == [-2, 300])
        case let .int64(v): #expect(width == 8 && Array(v) == [-2, 300])
        case let .fixedLenByteArray(data, w):
            #expect(w == width)
            #expect(Array(data[0..<w]) == [UInt8](repeating: 0xFF, count: w - 1) + [0xFE])
            #expect(Array(data[w..<(2 * w)]) == [UInt8](repeating: 0, count: w - 2) + [0x01, 0x2C])
        default: Issue.record("unexpected physical values")
        }
    }

    @Test("a decimal with more digits than its precision is refused")
    func decimalOverflow() throws {
        let type = DataType.decimal(precision: 3, scale: 0)
        let column = try Column(type, values: [Int128(1000)])
        #expect(throws: ParquetError.self) {
            _ = try LevelShredder.shred(column, field: Field("d", type), rows: 0..<1)
        }
    }
}
