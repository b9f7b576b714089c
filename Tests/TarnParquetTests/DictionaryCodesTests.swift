// The reader's dictionary side-car (`keepDictionaryCodes`): dictionary-encoded flat
// chunks yield per-row codes that reproduce the values (nulls included, several row
// groups and pages); PLAIN fallback, PLAIN-only, nested and converted chunks yield none.
// The pyarrow half lives in TarnInteropTests/ParquetDictionaryCodesInteropTests.swift.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Parquet reader dictionary codes")
struct DictionaryCodesTests {
    static let keep = ParquetReadOptions(keepDictionaryCodes: true)

    /// Reads every row group of `file` with codes kept.
    static func read(_ file: [UInt8], options: ParquetReadOptions = keep) throws -> [RecordBatch] {
        try ParquetFileReader(input: ParquetBytesInput(file), name: "codes.parquet", options: options).read()
    }

    /// Every valid row's value equals the dictionary value its code names.
    static func expectCodesReproduceValues(_ column: Column, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dictionary = try #require(column.dictionary, sourceLocation: sourceLocation)
        #expect(dictionary.codes.count == column.count, sourceLocation: sourceLocation)
        #expect(dictionary.values.validity == nil, sourceLocation: sourceLocation)
        for row in 0..<column.count where column.isValid(row) {
            let value = dictionary.values.value(at: Int(dictionary.codes[row]))
            if value != column.value(at: row) {
                Issue.record("row \(row): code names \(value), the column holds \(column.value(at: row))", sourceLocation: sourceLocation)
                return
            }
        }
    }

    static func strings(_ count: Int) -> [String?] {
        var out: [String?] = []
        for i in 0..<count {
            let name: String = i % 11 == 0 ? "" : "segment-\(i % 37)"
            out.append(i % 7 == 3 ? nil : name)
        }
        return out
    }

    @Test("strings with nulls over several row groups and small pages: codes reproduce the values")
    func strings() throws {
        let field = Field("s", .string)
        let column = try Column(strings: Self.strings(5000))
        let options = ParquetWriteOptions(rowGroupRows: 2000, pageSizeBytes: 700, dataPageRowLimit: 300)
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]), options: options)
        let batches = try Self.read(file)
        #expect(batches.count == 3)
        for batch in batches {
            let read = batch.columns[0]
            #expect(read.hasNulls)
            try Self.expectCodesReproduceValues(read)
            let dictionary = try #require(read.dictionary)
            #expect(dictionary.values.count == 38)  // 37 segments and ""
        }
        let all = try RecordBatch.concat(batches).columns[0]
        #expect((0..<all.count).map { all.string(at: $0) } == Self.strings(5000))
    }

    @Test("data page v2 and integer columns carry codes too", arguments: [DataType.int32, .int64, .date32])
    func integers(type: DataType) throws {
        let field = Field("k", type)
        var values: [ScalarValue?] = []
        for i in 0..<3000 {
            let value: ScalarValue = type == .date32 ? .date(Int32(i % 40)) : .int(Int64(i % 40) - 20)
            values.append(i % 5 == 1 ? nil : value)
        }
        let column = try writerColumn(type, values)
        let options = ParquetWriteOptions(dataPageRowLimit: 500, dataPageVersion: .v2)
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]), options: options)
        let read = try Self.read(file)[0].columns[0]
        try Self.expectCodesReproduceValues(read)
        // i % 40 values with i % 5 == 1 are always null: 40 - 8 distinct values are written.
        #expect(read.dictionary?.values.count == 32)
        #expect((0..<read.count).map { read.value(at: $0) } == values.map { $0 ?? .null })
    }

    @Test("a column of only nulls has no codes (the dictionary is empty or absent)")
    func allNulls() throws {
        let field = Field("s", .string)
        let column = try Column(strings: [nil, nil, nil])
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]))
        let read = try Self.read(file)[0].columns[0]
        #expect(read.dictionary == nil)
        #expect(read.nullCount == 3)
    }

    @Test("without keepDictionaryCodes no column carries codes")
    func optIn() throws {
        let field = Field("s", .string)
        let column = try Column(strings: Self.strings(100))
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]))
        #expect(try Self.read(file, options: ParquetReadOptions())[0].columns[0].dictionary == nil)
        #expect(try Self.read(file)[0].columns[0].dictionary != nil)
    }

    @Test("a chunk that falls back to PLAIN mid-way has no codes; its values are intact")
    func plainFallback() throws {
        let field = Field("id", .int64, nullable: false)
        let values = (0..<10_000).map { Int64($0 / 4) }
        let column = try Column(.int64, values: values)
        let options = ParquetWriteOptions(dictionaryPageSizeLimit: 4096)
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]), options: options)
        let read = try Self.read(file)[0].columns[0]
        #expect(read.dictionary == nil)
        #expect((0..<read.count).map { read.value(at: $0) } == values.map { ScalarValue.int($0) })
    }

    @Test("PLAIN-only chunks, converted leaves and nested leaves have no codes")
    func noCodes() throws {
        let plainField = Field("s", .string)
        let plain = try ParquetFileWriter.write(
            [writerBatch(plainField, try Column(strings: Self.strings(100)))], schema: Schema([plainField]),
            options: ParquetWriteOptions(dictionaryEnabled: false))
        #expect(try Self.read(plain)[0].columns[0].dictionary == nil)

        // int16 is stored as INT32 and converted on read.
        let smallField = Field("k", .int16)
        let small = try ParquetFileWriter.write(
            [writerBatch(smallField, try writerColumn(.int16, (0..<100).map { i -> ScalarValue? in .int(Int64(i % 3)) }))],
            schema: Schema([smallField]))
        #expect(try Self.read(small)[0].columns[0].dictionary == nil)

        let listType = DataType.list(Field("element", .string))
        let listField = Field("l", listType)
        let lists = try writerColumn(listType, (0..<100).map { i -> ScalarValue? in .list([.string("x\(i % 3)"), .string("y")]) })
        let nested = try ParquetFileWriter.write([writerBatch(listField, lists)], schema: Schema([listField]))
        let read = try Self.read(nested)[0].columns[0]
        #expect(read.dictionary == nil)
        guard case let .list(_, elements) = read.storage else {
            Issue.record("expected a list column")
            return
        }
        #expect(elements.dictionary == nil)
    }

    @Test("codes survive slicing and taking read columns")
    func sliceTake() throws {
        let field = Field("s", .string)
        let column = try Column(strings: Self.strings(1000))
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]))
        let read = try Self.read(file)[0].columns[0]
        try Self.expectCodesReproduceValues(try read.slice(100..<400))
        try Self.expectCodesReproduceValues(try read.take([999, 3, 0, 500, 500]))
    }
}
