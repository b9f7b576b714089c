// Round trips writer → reader: every type with nulls, nested values, all-null and empty
// columns, files without rows, several row groups, both page versions, each codec, PLAIN
// and dictionary with fallback — the values read back must be exactly the values written.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Round trips through the writer and reader")
struct RoundTripTests {
    static let matrixFields: [Field] = [
        Field("b", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
        Field("f32", .float32), Field("f64", .float64), Field("s", .string), Field("bin", .binary),
        Field("d", .date32), Field("ts", .timestamp(.utc)), Field("tsn", .timestamp(.ntz)),
        Field("dec9", .decimal(precision: 9, scale: 2)), Field("dec18", .decimal(precision: 18, scale: 3)),
        Field("dec38", .decimal(precision: 38, scale: 5)),
        Field("emb", .list(Field("element", .float32))),
        Field("st", .structure([Field("x", .int32), Field("y", .string)])),
        Field("m", .map(key: Field("key", .string, nullable: false), value: Field("value", .int64))),
        Field("allnull", .int64),
        Field("req", .int32, nullable: false),
    ]

    static let matrixRows: [[ScalarValue]] = [
        [.boolean(true), .int(-128), .int(-32768), .int(Int64(Int32.min)), .int(Int64.min), .uint(255), .uint(65535),
         .uint(UInt64(UInt32.max)), .uint(UInt64.max), .float(.nan), .float(-0.0), .string("héllo wörld ✓"), .binary([0, 255, 1]),
         .date(-1), .timestamp(-1_000_001, .utc), .timestamp(5, .ntz), .decimal(-12345, scale: 2),
         .decimal(123_456_789_012_345_678, scale: 3), .decimal(-12_345_678_901_234_567_890_123_456_789, scale: 5),
         .list([.float(1), .float(2.5)]), .structure([.int(1), .string("a")]),
         .map([.init(.string("k1"), .int(1)), .init(.string("k2"), .null)]), .null, .int(1)],
        [.null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null,
         .null, .null, .null, .null, .null, .null, .null, .int(2)],
        [.boolean(false), .int(127), .int(32767), .int(Int64(Int32.max)), .int(Int64.max), .uint(0), .uint(0), .uint(0), .uint(0),
         .float(.infinity), .float(0.0), .string(String(repeating: "long", count: 30)), .binary([]), .date(20000),
         .timestamp(1_700_000_000_123_456, .utc), .timestamp(-5, .ntz), .decimal(99, scale: 2), .decimal(-1, scale: 3),
         .decimal(0, scale: 5), .list([]), .structure([.null, .null]), .map([]), .null, .int(3)],
        [.boolean(true), .int(0), .int(0), .int(0), .int(0), .uint(1), .uint(1), .uint(1), .uint(1), .float(-1.5), .float(.nan),
         .string(""), .binary([7]), .date(0), .timestamp(0, .utc), .timestamp(0, .ntz), .decimal(0, scale: 2),
         .decimal(0, scale: 3), .decimal(1, scale: 5), .list([.null, .float(3)]), .null, .null, .null, .int(4)],
    ]

    static func matrixBatch() throws -> RecordBatch {
        var columns: [Column] = []
        for (index, field) in matrixFields.enumerated() {
            columns.append(try Column(field.type, scalars: matrixRows.map { $0[index] }))
        }
        return try RecordBatch(schema: Schema(matrixFields), columns: columns)
    }

    /// Rows of batches as text: exact for floats (NaN, -0.0), decimals and timestamps.
    static func rows(_ batches: [RecordBatch]) -> [[String]] {
        var out: [[String]] = []
        for batch in batches {
            for row in 0..<batch.rowCount {
                out.append(batch.columns.map { "\($0.value(at: row))" })
            }
        }
        return out
    }

    private func read(_ file: [UInt8]) throws -> (ParquetFileReader, [RecordBatch]) {
        let reader = try ParquetFileReader(input: ParquetBytesInput(file), name: "roundtrip.parquet")
        return (reader, try reader.read())
    }

    struct Variant: Sendable, CustomStringConvertible {
        var options: ParquetWriteOptions
        var name: String
        var description: String { name }
    }

    static let variants: [Variant] = [
        Variant(options: ParquetWriteOptions(), name: "zstd v1 dictionary"),
        Variant(options: ParquetWriteOptions(codec: .snappy), name: "snappy"),
        Variant(options: ParquetWriteOptions(codec: .uncompressed), name: "uncompressed"),
        Variant(options: ParquetWriteOptions(dataPageVersion: .v2), name: "zstd v2"),
        Variant(options: ParquetWriteOptions(codec: .uncompressed, dataPageVersion: .v2), name: "uncompressed v2"),
        Variant(options: ParquetWriteOptions(dictionaryEnabled: false), name: "plain"),
        Variant(options: ParquetWriteOptions(rowGroupRows: 1, writePageChecksums: true), name: "one row per group, checksums"),
    ]

    @Test("every type with nulls, nested values and extremes reads back exactly", arguments: variants)
    func matrix(_ variant: Variant) throws {
        let batch = try Self.matrixBatch()
        let file = try ParquetFileWriter.write([batch], schema: batch.schema, options: variant.options)
        let (reader, batches) = try read(file)
        #expect(reader.schema.fields.map(\.type) == batch.schema.fields.map(\.type))
        #expect(reader.schema.fields.map(\.nullable) == batch.schema.fields.map(\.nullable))
        #expect(reader.rowCount == 4)
        #expect(Self.rows(batches) == Self.rows([batch]))
    }

    @Test("a file without rows reads back as its schema and no rows")
    func emptyFile() throws {
        let schema = Schema(Self.matrixFields)
        let file = try ParquetFileWriter.write([], schema: schema)
        let (reader, batches) = try read(file)
        #expect(reader.schema.fields.map(\.type) == schema.fields.map(\.type))
        #expect(reader.rowCount == 0)
        #expect(batches.reduce(0) { $0 + $1.rowCount } == 0)
    }

    @Test("many rows: dictionary fallback, several row groups and pages, list<float> embeddings",
          arguments: [DataPageVersion.v1, .v2])
    func manyRows(_ version: DataPageVersion) throws {
        var random = WriterRandom(seed: 11)
        let n = 30_000
        let ids = try Column(.int64, (0..<n).map { i -> Int64? in i % 13 == 0 ? nil : Int64.random(in: -1_000_000...1_000_000, using: &random) })
        let categories = try Column(strings: (0..<n).map { i -> String? in i % 17 == 0 ? nil : "category-\(i % 41)" })
        let embeddingType = DataType.list(Field("element", .float32, nullable: false))
        var embeddings: [ScalarValue] = []
        for i in 0..<n {
            if i % 11 == 0 { embeddings.append(.null); continue }
            var vector: [ScalarValue] = []
            for _ in 0..<(i % 5) { vector.append(.float(Double(Float.random(in: -1...1, using: &random)))) }
            embeddings.append(.list(vector))
        }
        let schema = Schema([Field("id", .int64), Field("category", .string), Field("embedding", embeddingType)])
        let batch = try RecordBatch(schema: schema, columns: [ids, categories, Column(embeddingType, scalars: embeddings)])
        let options = ParquetWriteOptions(rowGroupRows: 12_000, pageSizeBytes: 8 << 10, dictionaryPageSizeLimit: 16 << 10,
                                          dataPageVersion: version)
        let file = try ParquetFileWriter.write([batch], schema: schema, options: options)
        let (reader, batches) = try read(file)
        #expect(reader.rowGroupCount == 3)
        #expect(Self.rows(batches) == Self.rows([batch]))
    }

    @Test("chunk statistics read by the reader agree with the writer's column statistics")
    func statisticsAgree() throws {
        let batch = try Self.matrixBatch()
        var writer = try ParquetFileWriter(schema: batch.schema)
        try writer.write(batch)
        let file = try writer.finish()
        let (reader, _) = try read(file)
        for name in ["i8", "i64", "u64", "f32", "f64", "s", "d", "ts", "tsn", "dec9", "dec18", "dec38", "st.x"] {
            let written = writer.columnStatistics[ColumnPath(dotted: name)]
            let readBack = reader.statistics(rowGroup: 0, column: name)
            #expect(written?.min == readBack?.min, "min of \(name)")
            #expect(written?.max == readBack?.max, "max of \(name)")
            #expect(written?.nullCount == readBack?.nullCount, "null count of \(name)")
        }
    }

    @Test("batches of several sizes written into one file read back in order")
    func severalBatches() throws {
        let field = Field("v", .int32)
        var writer = try ParquetFileWriter(schema: Schema([field]), options: ParquetWriteOptions(rowGroupRows: 7))
        var expected: [ScalarValue?] = []
        for size in [0, 3, 10, 1, 5, 4] {
            // The batches of 5 and 4 rows have no nulls (uniform definition levels).
            let values: [ScalarValue?] = (0..<size).map { size < 4 || size > 5 ? ($0 % 4 == 0 ? nil : .int(Int64(expected.count + $0))) : .int(Int64($0)) }
            expected.append(contentsOf: values)
            try writer.write(writerBatch(field, writerColumn(.int32, values)))
        }
        let (reader, batches) = try read(try writer.finish())
        #expect(reader.rowCount == expected.count)
        #expect(Self.rows(batches) == expected.map { ["\($0 ?? .null)"] })
    }

    /// A random value of `type` (nil = null when `nullable`), nested types included.
    static func randomValue(_ type: DataType, nullable: Bool, _ random: inout WriterRandom) -> ScalarValue {
        if nullable && Int.random(in: 0..<5, using: &random) == 0 { return .null }
        switch type {
        case .int64: return .int(Int64.random(in: -50...50, using: &random))
        case .int32: return .int(Int64.random(in: -5...5, using: &random))
        case .string: return .string(["", "a", "bb", "ünï", String(repeating: "z", count: 70)][Int.random(in: 0..<5, using: &random)])
        case .float64: return .float([0.0, -0.0, 1.5, .nan, -.infinity][Int.random(in: 0..<5, using: &random)])
        case let .list(element):
            let count = Int.random(in: 0..<4, using: &random)
            return .list((0..<count).map { _ in randomValue(element.type, nullable: element.nullable, &random) })
        case let .structure(fields):
            return .structure(fields.map { randomValue($0.type, nullable: $0.nullable, &random) })
        case let .map(key, value):
            let count = Int.random(in: 0..<3, using: &random)
            return .map((0..<count).map { k in
                ScalarValue.MapEntry(.string("k\(k)"), randomValue(value.type, nullable: value.nullable, &random))
            })
        default: return .null
        }
    }

    @Test("random nested values (lists of structs, maps of lists, nulls and empties at every depth) round-trip",
          arguments: [1, 2, 3, 4])
    func randomNested(seed: Int) throws {
        var random = WriterRandom(seed: UInt64(seed))
        let point = DataType.structure([Field("a", .int64), Field("b", .string), Field("c", .float64, nullable: false)])
        let fields = [
            Field("points", .list(Field("element", point))),
            Field("tags", .map(key: Field("key", .string, nullable: false), value: Field("value", .list(Field("element", .int32))))),
            Field("nested", .list(Field("element", .list(Field("element", .string))))),
            Field("flat", .int64),
            Field("wrapper", .structure([Field("inner", point), Field("values", .list(Field("element", .float64, nullable: false)), nullable: false)])),
        ]
        let rows = 700
        var columns: [Column] = []
        for field in fields {
            columns.append(try Column(field.type, scalars: (0..<rows).map { _ in Self.randomValue(field.type, nullable: field.nullable, &random) }))
        }
        let batch = try RecordBatch(schema: Schema(fields), columns: columns)
        let options = ParquetWriteOptions(
            codec: seed % 2 == 0 ? .zstd : .snappy, rowGroupRows: 250, pageSizeBytes: 512 * seed,
            dataPageRowLimit: 37 * seed, dictionaryEnabled: seed != 3, dataPageVersion: seed % 2 == 0 ? .v2 : .v1)
        let file = try ParquetFileWriter.write([batch], schema: batch.schema, options: options)
        let (reader, batches) = try read(file)
        #expect(reader.rowGroupCount == 3)
        #expect(reader.schema.fields.map(\.type) == batch.schema.fields.map(\.type))
        #expect(Self.rows(batches) == Self.rows([batch]))
    }
}
