// DeltaSchemaTests: schema JSON <-> Schema, and partition value serialization.
import Testing
import TarnColumnar
@testable import TarnLog

@Suite("Delta schema and partition values")
struct DeltaSchemaTests {
    @Test("the spec's example schema parses with nesting and nullability")
    func specExample() throws {
        let text = #"{"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},{"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"c","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{}},{"name":"f","type":{"type":"map","keyType":"string","valueType":"string","valueContainsNull":true},"nullable":true,"metadata":{"comment":"x","delta.columnMapping.id":5}}]}"#
        let schema = try DeltaSchema.parse(text)
        #expect(schema.fields[0] == Field("a", .int32, nullable: false))
        #expect(schema.fields[1].type == .structure([Field("d", .int32, nullable: false)]))
        #expect(schema.fields[2].type == .list(Field("element", .int32, nullable: false)))
        #expect(schema.fields[3].type == .map(key: Field("key", .string, nullable: false), value: Field("value", .string, nullable: true)))
        #expect(schema.fields[3].metadata == ["comment": "x", "delta.columnMapping.id": "5"])
        // Round trip: numeric metadata goes back as a number.
        let again = try DeltaSchema.parse(DeltaSchema.jsonString(schema))
        #expect(again == schema)
        #expect(try DeltaSchema.jsonString(schema).contains(#""delta.columnMapping.id":5"#))
    }

    @Test("every primitive type round-trips", arguments: [
        DataType.string, .int64, .int32, .int16, .int8, .float32, .float64, .boolean, .binary, .date32,
        .timestamp(.utc), .timestamp(.ntz), .decimal(precision: 38, scale: 10), .decimal(precision: 5, scale: 0),
    ])
    func primitives(_ type: DataType) throws {
        let schema = Schema([Field("c", type)])
        #expect(try DeltaSchema.parse(DeltaSchema.jsonString(schema)) == schema)
    }

    @Test("bad schemas are errors naming the column", arguments: [
        #"{"type":"struct","fields":[{"name":"x","type":"decimal(40,2)","nullable":true}]}"#,
        #"{"type":"struct","fields":[{"name":"x","type":"interval","nullable":true}]}"#,
        #"{"type":"array"}"#,
        #"not json"#,
    ])
    func badSchemas(_ text: String) {
        #expect(throws: LogError.self) { try DeltaSchema.parse(text) }
    }

    @Test("unsigned columns cannot be stored in a Delta schema")
    func unsigned() {
        #expect(throws: LogError.self) { try DeltaSchema.jsonString(Schema([Field("u", .uint32)])) }
    }

    @Test("partition values serialize per the spec and parse back", arguments: [
        (ScalarValue.int(-5), DataType.int32, "-5"),
        (.string("a b/c"), .string, "a b/c"),
        (.date(0), .date32, "1970-01-01"),
        (.timestamp(1_500_000, .utc), .timestamp(.utc), "1970-01-01 00:00:01.500000"),
        (.timestamp(0, .ntz), .timestamp(.ntz), "1970-01-01 00:00:00.000000"),
        (.boolean(true), .boolean, "true"),
        (.decimal(12345, scale: 2), .decimal(precision: 10, scale: 2), "123.45"),
        (.float(1.5), .float64, "1.5"),
    ])
    func partitionValues(_ value: ScalarValue, _ type: DataType, _ text: String) throws {
        #expect(PartitionValues.serialize(value, type: type) == text)
        #expect(try PartitionValues.parse(text, type: type, column: "p") == value)
    }

    @Test("null, empty and ISO-8601 partition values parse; garbage is an error")
    func partitionParsing() throws {
        #expect(try PartitionValues.parse(nil, type: .int64, column: "p") == .null)
        #expect(try PartitionValues.parse("", type: .string, column: "p") == .null)
        #expect(try PartitionValues.parse("1970-01-01T00:00:00.123456Z", type: .timestamp(.utc), column: "p") == .timestamp(123_456, .utc))
        #expect(throws: LogError.self) { try PartitionValues.parse("x", type: .int64, column: "p") }
        #expect(PartitionValues.directory(partitionColumns: ["a", "b"], values: ["a": "x/y", "b": nil]) == "a=x%2Fy/b=__HIVE_DEFAULT_PARTITION__/")
    }
}
