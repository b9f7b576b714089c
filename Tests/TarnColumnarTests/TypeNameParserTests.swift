// Type names: every printed DataType parses back to itself; aliases and --schema lists.
import Testing
@testable import TarnColumnar

@Suite("Type name parsing")
struct TypeNameParserTests {
    @Test("a type's printed name parses back to the same type", arguments: KernelFixtures.types + [
        DataType.decimal(precision: 38, scale: 38), .structure([]),
    ])
    func roundTrip(type: DataType) throws {
        let parsed = try DataType(parsing: type.description)
        // Nested field names and nullability are not part of the printed form.
        #expect(parsed.description == type.description)
        #expect(parsed.storageKind == type.storageKind)
    }

    @Test("aliases and spacing", arguments: [
        ("BIGINT", DataType.int64), (" Decimal( 5 , 2 ) ", .decimal(precision: 5, scale: 2)), ("varchar", .string),
        ("array< array<int> >", .list(Field("element", .list(Field("element", .int32))))),
        ("timestamp_ntz", .timestamp(.ntz)), ("TIMESTAMP", .timestamp(.utc)),
    ])
    func aliases(text: String, expected: DataType) throws {
        #expect(try DataType(parsing: text) == expected)
    }

    @Test("bad names are errors", arguments: ["", "int64x", "decimal(39,2)", "decimal(5,6)", "array<int", "map<string>", "struct<a int>", "int,"])
    func bad(text: String) {
        #expect(throws: ColumnarError.self) { _ = try DataType(parsing: text) }
    }

    @Test("a --schema list maps names to types, commas inside types included")
    func columnList() throws {
        let types = try CSVReadOptions.parseColumnTypes("id:long, price : decimal(10,2), tags:array<string>, m:map<string,int>")
        #expect(types == [
            "id": .int64, "price": .decimal(precision: 10, scale: 2), "tags": .list(Field("element", .string)),
            "m": .map(key: Field("key", .string, nullable: false), value: Field("value", .int32)),
        ])
        #expect(throws: ColumnarError.self) { _ = try CSVReadOptions.parseColumnTypes("id:long,id:int") }
        #expect(throws: ColumnarError.self) { _ = try CSVReadOptions.parseColumnTypes("id long") }
    }
}
