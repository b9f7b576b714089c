// Tests of SchemaElementsBuilder: for each Tarn type the physical, logical and converted
// type written, the 3-level list and map layouts, repetition and levels of the leaves.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Writer schema elements")
struct WriterSchemaElementsTests {
    struct LeafCase: Sendable, CustomStringConvertible {
        var type: DataType
        var physical: PhysicalType
        var logical: LogicalType?
        var converted: ConvertedType?
        var typeLength: Int32? = nil
        var description: String { "\(type)" }
    }

    static let leafCases: [LeafCase] = [
        LeafCase(type: .boolean, physical: .boolean, logical: nil, converted: nil),
        LeafCase(type: .int8, physical: .int32, logical: .integer(bitWidth: 8, isSigned: true), converted: .int8),
        LeafCase(type: .int16, physical: .int32, logical: .integer(bitWidth: 16, isSigned: true), converted: .int16),
        LeafCase(type: .int32, physical: .int32, logical: .integer(bitWidth: 32, isSigned: true), converted: .int32),
        LeafCase(type: .int64, physical: .int64, logical: .integer(bitWidth: 64, isSigned: true), converted: .int64),
        LeafCase(type: .uint8, physical: .int32, logical: .integer(bitWidth: 8, isSigned: false), converted: .uint8),
        LeafCase(type: .uint16, physical: .int32, logical: .integer(bitWidth: 16, isSigned: false), converted: .uint16),
        LeafCase(type: .uint32, physical: .int32, logical: .integer(bitWidth: 32, isSigned: false), converted: .uint32),
        LeafCase(type: .uint64, physical: .int64, logical: .integer(bitWidth: 64, isSigned: false), converted: .uint64),
        LeafCase(type: .float32, physical: .float, logical: nil, converted: nil),
        LeafCase(type: .float64, physical: .double, logical: nil, converted: nil),
        LeafCase(type: .string, physical: .byteArray, logical: .string, converted: .utf8),
        LeafCase(type: .binary, physical: .byteArray, logical: nil, converted: nil),
        LeafCase(type: .date32, physical: .int32, logical: .date, converted: .date),
        LeafCase(type: .timestamp(.utc), physical: .int64, logical: .timestamp(isAdjustedToUTC: true, unit: .micros), converted: .timestampMicros),
        LeafCase(type: .timestamp(.ntz), physical: .int64, logical: .timestamp(isAdjustedToUTC: false, unit: .micros), converted: nil),
        LeafCase(type: .decimal(precision: 9, scale: 2), physical: .int32, logical: .decimal(scale: 2, precision: 9), converted: .decimal),
        LeafCase(type: .decimal(precision: 18, scale: 0), physical: .int64, logical: .decimal(scale: 0, precision: 18), converted: .decimal),
        LeafCase(type: .decimal(precision: 38, scale: 10), physical: .fixedLenByteArray, logical: .decimal(scale: 10, precision: 38), converted: .decimal, typeLength: 16),
        LeafCase(type: .decimal(precision: 19, scale: 3), physical: .fixedLenByteArray, logical: .decimal(scale: 3, precision: 19), converted: .decimal, typeLength: 9),
    ]

    @Test("each primitive type maps to its physical, logical and converted type", arguments: leafCases)
    func leafMapping(_ leafCase: LeafCase) throws {
        let (elements, leaves) = try SchemaElementsBuilder.build(Schema([Field("c", leafCase.type)]))
        try #require(elements.count == 2)
        #expect(elements[0].name == "schema" && elements[0].numChildren == 1)
        let element = elements[1]
        #expect(element.name == "c")
        #expect(element.type == leafCase.physical)
        #expect(element.logicalType == leafCase.logical)
        #expect(element.convertedType == leafCase.converted)
        #expect(element.typeLength == leafCase.typeLength)
        #expect(element.repetitionType == .optional)
        #expect(element.numChildren == nil)
        if case let .decimal(precision, scale) = leafCase.type {
            #expect(element.precision == Int32(precision) && element.scale == Int32(scale))
        }
        #expect(leaves.count == 1 && leaves[0].maxDefinitionLevel == 1 && leaves[0].maxRepetitionLevel == 0)
    }

    @Test("a list is <name> (LIST) { repeated group list { element } } with levels 3/1")
    func listLayout() throws {
        let schema = Schema([Field("emb", .list(Field("element", .float32, nullable: false)), nullable: false)])
        let (elements, leaves) = try SchemaElementsBuilder.build(schema)
        #expect(elements.map(\.name) == ["schema", "emb", "list", "element"])
        #expect(elements[1].repetitionType == .required && elements[1].logicalType == .list && elements[1].convertedType == .list)
        #expect(elements[2].repetitionType == .repeated && elements[2].numChildren == 1)
        #expect(elements[3].repetitionType == .required && elements[3].type == .float)
        #expect(leaves[0].path == ["emb", "list", "element"])
        #expect(leaves[0].maxDefinitionLevel == 1 && leaves[0].maxRepetitionLevel == 1)
    }

    @Test("a map is <name> (MAP) { repeated group key_value { required key; value } }")
    func mapLayout() throws {
        let schema = Schema([Field("m", .map(key: Field("key", .string), value: Field("value", .int64)))])
        let (elements, leaves) = try SchemaElementsBuilder.build(schema)
        #expect(elements.map(\.name) == ["schema", "m", "key_value", "key", "value"])
        #expect(elements[1].logicalType == .map && elements[1].convertedType == .map && elements[1].numChildren == 1)
        #expect(elements[2].repetitionType == .repeated && elements[2].numChildren == 2)
        #expect(elements[3].repetitionType == .required)
        #expect(elements[4].repetitionType == .optional)
        #expect(leaves.map(\.path) == [["m", "key_value", "key"], ["m", "key_value", "value"]])
        #expect(leaves.map(\.maxDefinitionLevel) == [2, 3])
        #expect(leaves.map(\.maxRepetitionLevel) == [1, 1])
    }

    @Test("a struct is a plain group; field ids come from parquet.field_id metadata")
    func structAndFieldIDs() throws {
        let schema = Schema([
            Field("s", .structure([Field("a", .int32, metadata: ["parquet.field_id": "7"]), Field("b", .string)]),
                  metadata: ["parquet.field_id": "3"]),
        ])
        let (elements, leaves) = try SchemaElementsBuilder.build(schema)
        #expect(elements.map(\.name) == ["schema", "s", "a", "b"])
        #expect(elements[1].numChildren == 2 && elements[1].logicalType == nil && elements[1].fieldID == 3)
        #expect(elements[2].fieldID == 7 && elements[3].fieldID == nil)
        #expect(leaves.map(\.path) == [["s", "a"], ["s", "b"]])
        #expect(leaves.map(\.maxDefinitionLevel) == [2, 2])
    }

    @Test("types Parquet cannot hold are refused", arguments: [
        DataType.decimal(precision: 39, scale: 0), .decimal(precision: 5, scale: 6), .structure([]),
    ])
    func refused(_ type: DataType) {
        #expect(throws: ParquetError.self) { _ = try SchemaElementsBuilder.build(Schema([Field("x", type)])) }
    }
}
