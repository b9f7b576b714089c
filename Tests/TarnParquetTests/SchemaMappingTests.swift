// The Parquet schema tree on read: legacy 2-level lists, un-annotated repeated fields,
// legacy maps, field ids, levels per leaf, and hostile element lists (bad num_children,
// unbounded nesting, leftovers) that must throw instead of crashing or recursing forever.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Schema: Parquet → Tarn mapping")
struct SchemaMappingTests {
    static func root(_ children: Int) -> SchemaElement { SchemaElement(name: "schema", numChildren: Int32(children)) }
    static func group(_ name: String, _ repetition: FieldRepetitionType, children: Int, converted: ConvertedType? = nil, logical: LogicalType? = nil) -> SchemaElement {
        SchemaElement(name: name, repetitionType: repetition, numChildren: Int32(children), convertedType: converted, logicalType: logical)
    }
    static func leaf(_ name: String, _ type: PhysicalType, _ repetition: FieldRepetitionType, converted: ConvertedType? = nil, logical: LogicalType? = nil) -> SchemaElement {
        SchemaElement(name: name, type: type, repetitionType: repetition, convertedType: converted, logicalType: logical)
    }

    static let legacyLists: [(String, [SchemaElement], DataType)] = [
        ("repeated primitive", [group("a", .optional, children: 1, converted: .list), leaf("array", .int32, .repeated)],
         .list(Field("element", .int32, nullable: false))),
        ("repeated group of two fields", [group("a", .optional, children: 1, converted: .list), group("element", .repeated, children: 2),
                                          leaf("x", .int32, .required), leaf("y", .byteArray, .optional, converted: .utf8)],
         .list(Field("element", .structure([Field("x", .int32, nullable: false), Field("y", .string)]), nullable: false))),
        ("repeated group named array", [group("a", .optional, children: 1, logical: .list), group("array", .repeated, children: 1), leaf("x", .int64, .optional)],
         .list(Field("element", .structure([Field("x", .int64)]), nullable: false))),
        ("repeated group named a_tuple", [group("a", .optional, children: 1, converted: .list), group("a_tuple", .repeated, children: 1), leaf("x", .int64, .optional)],
         .list(Field("element", .structure([Field("x", .int64)]), nullable: false))),
        ("3-level with legacy names", [group("a", .optional, children: 1, converted: .list), group("bag", .repeated, children: 1), leaf("item", .double, .optional)],
         .list(Field("element", .float64))),
    ]

    @Test("legacy list forms follow the backward-compatibility rules", arguments: legacyLists)
    func legacyList(name: String, elements: [SchemaElement], expected: DataType) throws {
        let schema = try ParquetSchema(elements: [Self.root(1)] + elements)
        #expect(schema.schema.fields[0].type == expected, "\(name)")
        #expect(schema.columns.allSatisfy { $0.maxRepetitionLevel == 1 })
    }

    @Test("an un-annotated repeated field is a required list of its values")
    func repeatedField() throws {
        let schema = try ParquetSchema(elements: [Self.root(2), Self.leaf("r", .int32, .repeated), Self.leaf("x", .boolean, .required)])
        #expect(schema.schema.fields[0] == Field("r", .list(Field("element", .int32, nullable: false)), nullable: false))
        #expect(schema.schema.fields[1] == Field("x", .boolean, nullable: false))
        #expect(schema.columns[0].maxDefinitionLevel == 1 && schema.columns[0].maxRepetitionLevel == 1)
        #expect(schema.columns[1].maxDefinitionLevel == 0)
    }

    @Test("MAP_KEY_VALUE maps, logical types and field ids")
    func mapsAndAnnotations() throws {
        var id = Self.leaf("ts", .int64, .optional, logical: .timestamp(isAdjustedToUTC: false, unit: .millis))
        id.fieldID = 7
        let schema = try ParquetSchema(elements: [
            Self.root(6),
            Self.group("m", .optional, children: 1, converted: .mapKeyValue), Self.group("map", .repeated, children: 2),
            Self.leaf("key", .byteArray, .required, converted: .utf8), Self.leaf("value", .int32, .optional, converted: .int16),
            id,
            Self.leaf("legacy", .int64, .optional, converted: .timestampMillis),
            Self.leaf("u", .int64, .required, logical: .integer(bitWidth: 64, isSigned: false)),
            SchemaElement(name: "dec", type: .fixedLenByteArray, typeLength: 9, repetitionType: .optional, convertedType: .decimal, scale: 3, precision: 20),
            Self.leaf("j", .byteArray, .optional, logical: .json),
        ])
        let types = schema.schema.fields.map(\.type)
        #expect(types == [
            .map(key: Field("key", .string, nullable: false), value: Field("value", .int16)),
            .timestamp(.ntz), .timestamp(.utc), .uint64, .decimal(precision: 20, scale: 3), .string,
        ])
        #expect(schema.schema.fields[1].metadata["parquet.field_id"] == "7")
        #expect(schema.column(path: "m.map.key")?.maxRepetitionLevel == 1)
        #expect(schema.column(path: "m.value")?.maxDefinitionLevel == 3)
    }

    static let hostile: [(String, [SchemaElement])] = [
        ("no elements", []),
        ("root is a leaf", [leaf("x", .int32, .required)]),
        ("root claims more children than exist", [root(5), leaf("x", .int32, .required)]),
        ("group claims more children than exist", [root(1), group("g", .optional, children: 1_000_000)]),
        ("negative children", [root(1), group("g", .optional, children: -3)]),
        ("group without children", [root(1), group("g", .optional, children: 0)]),
        ("leftover elements", [root(1), leaf("x", .int32, .required), leaf("y", .int32, .required)]),
        ("LIST with a non-repeated child", [root(1), group("a", .optional, children: 1, converted: .list), leaf("x", .int32, .optional)]),
        ("MAP with one field per entry", [root(1), group("m", .optional, children: 1, logical: .map), group("kv", .repeated, children: 1), leaf("k", .int32, .required)]),
        ("decimal precision 50", [root(1), SchemaElement(name: "d", type: .fixedLenByteArray, typeLength: 30, repetitionType: .optional, logicalType: .decimal(scale: 2, precision: 50))]),
        ("fixed length 0", [root(1), SchemaElement(name: "f", type: .fixedLenByteArray, typeLength: 0, repetitionType: .optional)]),
        ("nesting 10,000 groups deep", [root(1)] + (0..<10_000).map { group("g\($0)", .optional, children: 1) } + [leaf("x", .int32, .optional)]),
    ]

    @Test("hostile element lists throw instead of crashing", arguments: hostile)
    func hostileLists(name: String, elements: [SchemaElement]) {
        #expect(throws: ParquetError.self, "\(name)") { try ParquetSchema(elements: elements) }
    }

    @Test("nesting up to the limit is accepted with the right levels")
    func deepButAllowed() throws {
        let depth = 60
        let elements = [Self.root(1)] + (0..<depth).map { Self.group("g\($0)", .optional, children: 1) } + [Self.leaf("x", .int32, .optional)]
        let schema = try ParquetSchema(elements: elements)
        #expect(schema.columns[0].maxDefinitionLevel == depth + 1)
        #expect(schema.columns[0].path.count == depth + 1)
    }
}
