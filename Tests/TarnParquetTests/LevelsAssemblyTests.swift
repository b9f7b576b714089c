// LevelAssembly on hand-written level streams: legacy 2-level lists, repeated groups,
// structs with required children, and inconsistent streams that must be `.corrupt`.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Levels: assembling nested columns")
struct LevelsAssemblyTests {
    static func leaf(_ storage: ColumnStorage, def: [Int32], rep: [Int32]) -> DecodedLeaf {
        DecodedLeaf(storage: storage, validity: nil, count: max(def.count, rep.count), definition: def, repetition: rep)
    }

    static func assemble(_ elements: [SchemaElement], _ leaves: [Int: DecodedLeaf]) throws(ParquetError) -> [ScalarValue] {
        let schema = try ParquetSchema(elements: elements)
        let assembler = LevelAssembler(descriptors: schema.columns, leaves: leaves)
        let column = try assembler.assemble(schema.nodes[0])
        return (0..<column.count).map { column.value(at: $0) }
    }

    @Test("a 2-level list of a repeated primitive: values, empty and null lists")
    func twoLevelPrimitive() throws {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "a", repetitionType: .optional, numChildren: 1, convertedType: .list),
            SchemaElement(name: "array", type: .int32, repetitionType: .repeated),
        ]
        let values = try Self.assemble(elements, [0: Self.leaf(.int32([1, 2, 3]), def: [2, 2, 1, 0, 2], rep: [0, 1, 0, 0, 0])])
        #expect(values == [L([I(1), I(2)]), L([]), N, L([I(3)])])
    }

    @Test("an un-annotated repeated group is a list of structs")
    func repeatedGroup() throws {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "r", repetitionType: .repeated, numChildren: 2),
            SchemaElement(name: "x", type: .int32, repetitionType: .required),
            SchemaElement(name: "s", type: .byteArray, repetitionType: .optional, convertedType: .utf8),
        ]
        let values = try Self.assemble(elements, [
            0: Self.leaf(.int32([1, 2, 3]), def: [1, 1, 0, 1], rep: [0, 1, 0, 0]),
            1: Self.leaf(.bytes(offsets: [0, 1, 3], data: Array("abc".utf8)), def: [2, 1, 0, 2], rep: [0, 1, 0, 0]),
        ])
        #expect(values == [L([St([I(1), S("a")]), St([I(2), N])]), L([]), L([St([I(3), S("bc")])])])
    }

    @Test("struct validity comes from the struct's own level; children of a null struct are null")
    func structLevels() throws {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "s", repetitionType: .optional, numChildren: 2),
            SchemaElement(name: "a", type: .int64, repetitionType: .required),
            SchemaElement(name: "b", type: .double, repetitionType: .optional),
        ]
        let values = try Self.assemble(elements, [
            0: Self.leaf(.int64([10, 20]), def: [1, 0, 1], rep: []),
            1: Self.leaf(.float64([0.5]), def: [2, 0, 1], rep: []),
        ])
        #expect(values == [St([I(10), F(0.5)]), N, St([I(20), N])])
    }

    static let inconsistent: [(String, DecodedLeaf)] = [
        ("first entry continues a list", leaf(.int32([1]), def: [2], rep: [1])),
        ("fewer values than non-null levels", leaf(.int32([1]), def: [2, 2], rep: [0, 1])),
        ("more values than non-null levels", leaf(.int32([1, 2, 3]), def: [2, 2], rep: [0, 1])),
        ("continuation of an empty list", leaf(.int32([]), def: [1, 1], rep: [0, 1])),
    ]

    @Test("inconsistent level streams are corrupt", arguments: inconsistent)
    func corruptStreams(name: String, leaf: DecodedLeaf) {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "a", repetitionType: .optional, numChildren: 1, convertedType: .list),
            SchemaElement(name: "list", repetitionType: .repeated, numChildren: 1),
            SchemaElement(name: "element", type: .int32, repetitionType: .required),
        ]
        #expect(throws: ParquetError.self, "\(name)") { try Self.assemble(elements, [0: leaf]) }
    }

    @Test("struct children with different lengths are corrupt")
    func childLengths() {
        let elements = [
            SchemaElement(name: "schema", numChildren: 1),
            SchemaElement(name: "s", repetitionType: .optional, numChildren: 2),
            SchemaElement(name: "a", type: .int64, repetitionType: .optional),
            SchemaElement(name: "b", type: .int64, repetitionType: .optional),
        ]
        #expect(throws: ParquetError.self) {
            try Self.assemble(elements, [0: Self.leaf(.int64([1]), def: [2], rep: []), 1: Self.leaf(.int64([1, 2]), def: [2, 2], rep: [])])
        }
    }
}

@Suite("Levels: decoding level sections")
struct LevelsDecodingTests {
    @Test("the deprecated BIT_PACKED level encoding reads most significant bit first")
    func bitPacked() throws {
        var out = [Int32](repeating: -1, count: 9)
        let consumed = try [UInt8]([0xB1, 0x80, 0xFF]).withUnsafeBytes { input in
            try out.withUnsafeMutableBufferPointer { target in
                try LevelDecoding.decode(input, encoding: .bitPacked, lengthPrefixed: true, maxLevel: 1, into: target, base: 0)
            }
        }
        #expect(consumed == 2)
        #expect(out == [1, 0, 1, 1, 0, 0, 0, 1, 1])
    }

    @Test("RLE levels above the column's maximum are corrupt")
    func levelAboveMaximum() {
        // Length-prefixed RLE run: 4 values of 3 at bit width 2, for a maximum level of 2.
        let section: [UInt8] = [2, 0, 0, 0, 0x08, 0x03]
        var out = [Int32](repeating: 0, count: 4)
        #expect(throws: ParquetError.self) {
            try section.withUnsafeBytes { input in
                try out.withUnsafeMutableBufferPointer { target in
                    try LevelDecoding.decode(input, encoding: .rle, lengthPrefixed: true, maxLevel: 2, into: target, base: 0)
                }
            }
        }
    }
}
