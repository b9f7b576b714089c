// Output formats: exact text of JSON lines, CSV and the pretty table, including
// escaping, NaN/Infinity, timestamps before 1970, binary, nested values and unicode.
import Testing
@testable import TarnColumnar

@Suite("Output writers")
struct OutputWriterTests {
    static func wideBatch() throws -> RecordBatch {
        let schema = Schema([
            Field("id", .int64), Field("name", .string), Field("score", .float64),
            Field("ts", .timestamp(.utc)), Field("ntz", .timestamp(.ntz)), Field("day", .date32),
            Field("price", .decimal(precision: 5, scale: 2)), Field("raw", .binary),
            Field("tags", .list(Field("element", .string))),
            Field("attrs", .map(key: Field("key", .string, nullable: false), value: Field("value", .int32))),
            Field("point", .structure([Field("x", .float32), Field("y", .float32)])), Field("flag", .boolean),
        ])
        let rows: [[ScalarValue]] = [
            [.int(1), .string("a\"b\\c\n\u{1}é\t"), .float(0.1), .timestamp(-1, .utc), .timestamp(0, .ntz), .date(-1),
             .decimal(-5, scale: 2), .binary([0, 1, 2, 255]), .list([.string("x"), .null]), .map([.init(.string("k"), .int(1))]),
             .structure([.float(1.5), .null]), .boolean(true)],
            [.int(2), .null, .float(.nan), .null, .null, .null, .null, .null, .null, .null, .null, .null],
            [.int(Int64.min), .string(""), .float(-.infinity), .timestamp(1_764_410_400_123_456, .utc),
             .timestamp(-62_135_596_800_000_000, .ntz), .date(20_000), .decimal(12_345, scale: 2), .binary([]),
             .list([]), .map([]), .structure([.null, .float(-0.25)]), .boolean(false)],
        ]
        let columns = try schema.fields.enumerated().map { c, field in
            try Column(field.type, scalars: rows.map { $0[c] })
        }
        return try RecordBatch(schema: schema, columns: columns)
    }

    @Test("JSON lines: one object per row with every type's documented encoding")
    func jsonLines() throws {
        let text = String(decoding: JSONLinesWriter().write([try Self.wideBatch()]), as: UTF8.self)
        let expected = """
        {"id":1,"name":"a\\"b\\\\c\\n\\u0001é\\t","score":0.1,"ts":"1969-12-31T23:59:59.999999Z","ntz":"1970-01-01T00:00:00.000000","day":"1969-12-31","price":-0.05,"raw":"AAEC/w==","tags":["x",null],"attrs":{"k":1},"point":{"x":1.5,"y":null},"flag":true}
        {"id":2,"name":null,"score":"NaN","ts":null,"ntz":null,"day":null,"price":null,"raw":null,"tags":null,"attrs":null,"point":null,"flag":null}
        {"id":-9223372036854775808,"name":"","score":"-Infinity","ts":"2025-11-29T10:00:00.123456Z","ntz":"0001-01-01T00:00:00.000000","day":"2024-10-04","price":123.45,"raw":"","tags":[],"attrs":{},"point":{"x":null,"y":-0.25},"flag":false}

        """
        #expect(text == expected)
    }

    @Test("JSON maps with non-string keys become arrays of key/value objects; base64 pads")
    func jsonMapsAndBase64() throws {
        let type = DataType.map(key: Field("key", .int32, nullable: false), value: Field("value", .string))
        let batch = try RecordBatch(schema: Schema([Field("m", type), Field("b", .binary)]), columns: [
            try Column(type, scalars: [.map([.init(.int(1), .string("a")), .init(.int(2), .null)]), .map([])]),
            try Column(.binary, scalars: [.binary(Array("f".utf8)), .binary(Array("fo".utf8))]),
        ])
        let text = String(decoding: JSONLinesWriter().write([batch]), as: UTF8.self)
        #expect(text == """
        {"m":[{"key":1,"value":"a"},{"key":2,"value":null}],"b":"Zg=="}
        {"m":[],"b":"Zm8="}

        """)
    }

    @Test("JSON strings replace invalid UTF-8 with U+FFFD and keep valid multi-byte text")
    func jsonInvalidUTF8() throws {
        let column = try Column(type: .string, count: 1, validity: nil,
                                storage: .bytes(offsets: [0, 9], data: [0x61, 0xFF, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0xF0, 0x9F]))
        #expect(ValueFormatter.string(column, row: 0, style: .json) == "\"a\u{FFFD}é\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"")
    }

    @Test("floats print the shortest text that round-trips", arguments: [
        (0.1, "0.1"), (1.0, "1.0"), (1e20, "1e+20"), (-0.0, "-0.0"), (5e-324, "5e-324"), (123456789.123, "123456789.123"),
    ])
    func floatText(value: Double, text: String) throws {
        let column = try Column(.float64, [value] as [Double?])
        #expect(ValueFormatter.string(column, row: 0) == text)
        #expect(Double(text) == value)
    }

    @Test("CSV quotes only where needed, writes nulls empty and empty strings quoted")
    func csv() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string), Field("score", .float64), Field("tags", .list(Field("element", .int32)))])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column(.int64, [1, 2, 3, nil, 5] as [Int64?]),
            try Column(strings: ["plain", "has,comma", "say \"hi\"", "", "line\nbreak"]),
            try Column(.float64, [1.5, .nan, nil, -0.0, 1e20] as [Double?]),
            try Column(.list(Field("element", .int32)), scalars: [.list([.int(1), .int(2)]), .list([]), .null, .list([.int(3)]), .null]),
        ])
        let text = String(decoding: CSVWriter().write([batch], schema: schema), as: UTF8.self)
        let expected = [
            "id,name,score,tags",
            "1,plain,1.5,\"[1,2]\"",
            "2,\"has,comma\",NaN,[]",
            "3,\"say \"\"hi\"\"\",,",
            ",\"\",-0.0,[3]",
            "5,\"line\nbreak\",1e+20,",
            "",
        ].joined(separator: "\n")
        #expect(text == expected)
        // What the writer wrote, the reader reads back to the same strings and nulls.
        var options = CSVReadOptions()
        options.columnTypes = ["tags": .string]
        let (_, batches) = try CSVReader.read(Array(text.utf8), options: options)
        let back = try #require(batches.first)
        #expect(KernelFixtures.values(back.columns[1]) == KernelFixtures.values(batch.columns[1]))
        #expect(KernelFixtures.values(back.columns[0]) == KernelFixtures.values(batch.columns[0]))
    }

    @Test("CSV options: delimiter, CRLF, no header, null text")
    func csvOptions() throws {
        var options = CSVWriteOptions()
        options.delimiter = UInt8(ascii: ";")
        options.lineTerminator = [0x0D, 0x0A]
        options.header = false
        options.nullText = "NULL"
        let schema = Schema([Field("a", .string), Field("b", .int32)])
        let batch = try RecordBatch(schema: schema, columns: [try Column(strings: ["x;y", "z"]), try Column(.int32, [nil, 2] as [Int32?])])
        let text = String(decoding: CSVWriter(options: options).write([batch], schema: schema), as: UTF8.self)
        #expect(text == "\"x;y\";NULL\r\nz;2\r\n")
    }

    @Test("numbers are quoted when the delimiter can occur in them")
    func csvUnusualDelimiter() throws {
        var options = CSVWriteOptions()
        options.delimiter = UInt8(ascii: ".")
        let schema = Schema([Field("f", .float64), Field("d", .date32)])
        let batch = try RecordBatch(schema: schema, columns: [try Column(.float64, [1.5] as [Double?]), try Column(.date32, scalars: [.date(0)])])
        let text = String(decoding: CSVWriter(options: options).write([batch], schema: schema), as: UTF8.self)
        #expect(text == "f.d\n\"1.5\".1970-01-01\n")
    }

    @Test("the pretty table aligns numbers right, shows NULL and truncates long cells")
    func prettyTable() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string), Field("score", .float64)])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column(.int64, [1, 22, 3] as [Int64?]),
            try Column(strings: ["alice", nil, "a very long name that goes on"]),
            try Column(.float64, [1.5, -0.25, .nan] as [Double?]),
        ])
        var options = PrettyTableOptions()
        options.maxColumnWidth = 10
        let text = PrettyTableWriter(options: options).write([batch], schema: schema)
        #expect(text == """
        +----+------------+-------+
        | id | name       | score |
        +----+------------+-------+
        |  1 | alice      |   1.5 |
        | 22 | NULL       | -0.25 |
        |  3 | a very lo… |   NaN |
        +----+------------+-------+
        (3 rows)

        """)
    }

    @Test("the pretty table escapes control characters, counts unicode characters and shows types")
    func prettyTableEscapes() throws {
        let schema = Schema([Field("s", .string), Field("t", .timestamp(.utc))])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column(strings: ["é\nx\t"]), try Column(.timestamp(.utc), scalars: [.timestamp(-1, .utc)]),
        ])
        var options = PrettyTableOptions()
        options.showTypes = true
        let text = PrettyTableWriter(options: options).write([batch], schema: schema)
        #expect(text == """
        +--------+-----------------------------+
        | s      | t                           |
        | string | timestamp                   |
        +--------+-----------------------------+
        | é\\nx\\t | 1969-12-31T23:59:59.999999Z |
        +--------+-----------------------------+
        (1 row)

        """)
    }

    @Test("an empty result still prints its header")
    func emptyTable() throws {
        let schema = Schema([Field("id", .int64)])
        #expect(PrettyTableWriter().write([], schema: schema) == "+----+\n| id |\n+----+\n(0 rows)\n")
        #expect(JSONLinesWriter().write([RecordBatch.empty(schema)]).isEmpty)
        #expect(String(decoding: CSVWriter().write([], schema: schema), as: UTF8.self) == "id\n")
    }
}
