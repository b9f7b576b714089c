// CSV input: RFC 4180 quoting, CRLF, nulls, inference, overrides, batching, and bad
// input errors that name the 1-based line (and column where a value is at fault).
import Testing
@testable import TarnColumnar

@Suite("CSV reader")
struct CSVReaderTests {
    func read(_ text: String, _ configure: (inout CSVReadOptions) -> Void = { _ in }) throws -> (Schema, RecordBatch) {
        var options = CSVReadOptions()
        configure(&options)
        let (schema, batches) = try CSVReader.read(Array(text.utf8), options: options)
        let batch = batches.isEmpty ? RecordBatch.empty(schema) : try RecordBatch.concat(batches)
        return (schema, batch)
    }

    @Test("quoted fields keep delimiters, newlines and doubled quotes")
    func quoting() throws {
        let (schema, batch) = try read("id,text\n1,\"a,b\"\n2,\"line1\nline2\"\n3,\"say \"\"hi\"\"\"\n4,plain\"quote\n")
        #expect(schema.fields.map(\.type) == [.int64, .string])
        #expect(KernelFixtures.values(batch.columns[1]) == [
            .string("a,b"), .string("line1\nline2"), .string("say \"hi\""), .string("plain\"quote"),
        ])
    }

    @Test("CRLF, LF and a missing final newline read alike; blank lines and a BOM are skipped", arguments: [
        "a,b\r\n1,x\r\n2,y\r\n", "a,b\n1,x\n2,y", "\u{FEFF}a,b\n\n1,x\r\n\r\n2,y\n\n", "a,b\r1,x\r2,y\r",
    ])
    func lineEndings(text: String) throws {
        let (schema, batch) = try read(text)
        #expect(schema.names == ["a", "b"])
        #expect(KernelFixtures.values(batch.columns[0]) == [.int(1), .int(2)])
        #expect(KernelFixtures.values(batch.columns[1]) == [.string("x"), .string("y")])
    }

    @Test("nulls: tokens in typed columns, only unquoted empty fields in string columns")
    func nulls() throws {
        let (_, batch) = try read("n,s\n1,\n,\"\"\nNULL,NULL\n\"\",x\n")
        #expect(KernelFixtures.values(batch.columns[0]) == [.int(1), .null, .null, .null])
        #expect(KernelFixtures.values(batch.columns[1]) == [.null, .string(""), .string("NULL"), .string("x")])
        let (_, custom) = try read("n\n1\nNA\n") { $0.nullTokens = ["NA"] }
        #expect(KernelFixtures.values(custom.columns[0]) == [.int(1), .null])
    }

    @Test("types are inferred from the sampled rows", arguments: [
        ("true\nFALSE\n", DataType.boolean),
        ("1\n-20\n", .int64),
        ("1\n2.5\nNaN\n", .float64),
        ("99999999999999999999\n", .float64),
        ("2024-01-31\n1969-12-31\n", .date32),
        ("2024-01-31\n2024-01-31 10:00:00\n", .timestamp(.ntz)),
        ("2024-01-31T10:00:00Z\n2024-01-31 10:00:00\n", .timestamp(.utc)),
        ("1\nx\n", .string),
        ("\n\nNULL\n", .string),
    ])
    func inference(body: String, expected: DataType) throws {
        let (schema, _) = try read("c\n" + body)
        #expect(schema.fields[0].type == expected)
    }

    @Test("inferred timestamps convert zones to UTC microseconds")
    func timestampValues() throws {
        let (_, batch) = try read("t\n1970-01-01T01:00:00+01:00\n1969-12-31 23:59:59.999999Z\n")
        #expect(KernelFixtures.values(batch.columns[0]) == [.timestamp(0, .utc), .timestamp(-1, .utc)])
    }

    @Test("an explicit type overrides inference")
    func override() throws {
        let (schema, batch) = try read("id,price,day\n1,1.50,2024-01-01\n2,,2024-01-02\n") {
            $0.columnTypes = ["id": .int16, "price": .decimal(precision: 6, scale: 2), "day": .string]
        }
        #expect(schema.fields.map(\.type) == [.int16, .decimal(precision: 6, scale: 2), .string])
        #expect(KernelFixtures.values(batch.columns[1]) == [.decimal(150, scale: 2), .null])
        #expect(batch.columns[2].value(at: 0) == .string("2024-01-01"))
    }

    @Test("an override naming a missing column is an error")
    func overrideMissing() throws {
        #expect(throws: ColumnarError.self) { _ = try read("a\n1\n") { $0.columnTypes = ["b": .int64] } }
    }

    @Test("without a header columns are numbered; other delimiters work")
    func noHeader() throws {
        let (schema, batch) = try read("1;x\n2;y\n") {
            $0.hasHeader = false
            $0.delimiter = UInt8(ascii: ";")
        }
        #expect(schema.names == ["column_1", "column_2"])
        #expect(batch.rowCount == 2)
        let (named, _) = try read("1\t2\n") {
            $0.hasHeader = false
            $0.delimiter = 0x09
            $0.columnNames = ["a", "b"]
        }
        #expect(named.names == ["a", "b"])
    }

    @Test("rows are cut into batches of the configured size")
    func batching() throws {
        let text = "n\n" + (0..<25).map(String.init).joined(separator: "\n")
        var options = CSVReadOptions()
        options.batchRowCount = 10
        let (_, batches) = try CSVReader.read(Array(text.utf8), options: options)
        #expect(batches.map(\.rowCount) == [10, 10, 5])
        #expect(batches[2].columns[0].value(at: 4) == .int(24))
    }

    @Test("a header-only or empty input gives no batches")
    func empty() throws {
        let (schema, batches) = try CSVReader.read(Array("a,b\n".utf8))
        #expect(schema.names == ["a", "b"])
        #expect(batches.isEmpty)
        let (none, noBatches) = try CSVReader.read([])
        #expect(none.count == 0 && noBatches.isEmpty)
    }

    @Test("bad input is an error naming the line (and column for bad values)", arguments: [
        ("a,b\n1,2\n3,4,5\n", 3, nil as String?, "too many fields"),
        ("a,b\n1,2\n3\n", 3, nil, "too few fields"),
        ("a,b\n1,\"open\n2,3\n", 2, nil, "unterminated"),
        ("a,b\n1,\"x\"y\n", 2, nil, "after the closing quote"),
        ("a,b\n\"multi\nline\",1\n2,x\n", 4, "b", "not a valid"),
    ])
    func errors(text: String, line: Int, column: String?, message: String) throws {
        var options = CSVReadOptions()
        options.columnTypes = column.map { [$0: .int64] } ?? [:]
        let error = #expect(throws: ColumnarError.self) {
            _ = try CSVReader.read(Array(text.utf8), options: options)
        }
        guard case let .malformedInput(gotLine, gotColumn, gotMessage)? = error else {
            Issue.record("expected malformedInput, got \(String(describing: error))")
            return
        }
        #expect(gotLine == line)
        #expect(gotColumn == column)
        #expect(gotMessage.contains(message), "\(gotMessage)")
    }

    @Test("a value past the inference sample that does not fit the inferred type is an error at its line")
    func beyondSample() throws {
        var options = CSVReadOptions()
        options.inferenceRows = 2
        let text = "n\n1\n2\n3.5\n"
        #expect(throws: ColumnarError.malformedInput(line: 4, column: "n", message: "'3.5' is not a valid long")) {
            _ = try CSVReader.read(Array(text.utf8), options: options)
        }
    }

    @Test("unicode text and header names pass through unchanged")
    func unicode() throws {
        let (schema, batch) = try read("名前,emoji\nÅsa,\"🙂,👍\"\n")
        #expect(schema.names == ["名前", "emoji"])
        #expect(KernelFixtures.values(batch.columns[1]) == [.string("🙂,👍")])
    }
}
