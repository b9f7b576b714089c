// The reader on files Tarn's own writer produces: every type, nested values with nulls at
// each level, several row groups and pages, dictionary and PLAIN, pages v1/v2, each
// codec the writer has, checksums on; values must come back exactly.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: files written by ParquetFileWriter")
struct ReaderRoundTripTests {
    static let rows = 300

    static let schema = Schema([
        Field("a", .int64),
        Field("b", .boolean),
        Field("s", .string),
        Field("d", .decimal(precision: 20, scale: 3)),
        Field("ts", .timestamp(.utc)),
        Field("u8", .uint8, nullable: false),
        Field("emb", .list(Field("element", .float32))),
        Field("st", .structure([Field("x", .int32), Field("tags", .list(Field("element", .string)))])),
        Field("m", .map(key: Field("key", .string, nullable: false), value: Field("value", .int64))),
    ])

    static func row(_ i: Int) -> [ScalarValue] {
        let emb: ScalarValue = i % 8 == 0 ? N : (i % 8 == 1 ? L([]) : L([F(Double(i)), i % 3 == 0 ? N : F(Double(-i))]))
        let tags: ScalarValue = i % 3 == 0 ? N : L((0..<(i % 3)).map { S("t\(($0 + i) % 5)") })
        let st: ScalarValue = i % 10 == 5 ? N : St([i % 4 == 0 ? N : I(Int64(i)), tags])
        let m: ScalarValue = i % 11 == 0 ? N : M((0..<(i % 4)).map { j in (S("k\(j)"), j % 2 == 0 ? N : I(Int64(j * i))) })
        return [
            i % 7 == 3 ? N : I(Int64(i * i) - 5000),
            i % 5 == 0 ? N : B(i % 3 == 0),
            i % 4 == 1 ? N : S("s\(i % 13)"),
            i % 6 == 2 ? N : .decimal(Int128(i) * 1_000_000_007 - 500, scale: 3),
            i % 9 == 0 ? N : .timestamp(Int64(i) * 1_000_003 - 1_000_000, .utc),
            U(UInt64(i % 256)),
            emb, st, m,
        ]
    }

    static func batch() throws -> RecordBatch {
        let table = (0..<rows).map(row)
        let columns = try schema.fields.enumerated().map { k, field in
            try Column(field.type, scalars: table.map { $0[k] })
        }
        return try RecordBatch(schema: schema, columns: columns)
    }

    static let variants: [(String, ParquetWriteOptions)] = [
        ("zstd v1 dictionary", ParquetWriteOptions(codec: .zstd, rowGroupRows: 128, dataPageRowLimit: 37)),
        ("snappy v2 plain", ParquetWriteOptions(codec: .snappy, rowGroupRows: 100, dataPageRowLimit: 29, dictionaryEnabled: false, dataPageVersion: .v2)),
        ("uncompressed v2 dictionary checksums", ParquetWriteOptions(codec: .uncompressed, rowGroupRows: 1000, dataPageRowLimit: 50, dataPageVersion: .v2, writePageChecksums: true)),
        ("zstd v1 checksums one page", ParquetWriteOptions(codec: .zstd, writePageChecksums: true)),
    ]

    @Test("reads back exactly what the writer wrote", arguments: variants)
    func roundTrip(name: String, options: ParquetWriteOptions) throws {
        let bytes = try ParquetFileWriter.write([try Self.batch()], schema: Self.schema, options: options)
        let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: name)
        #expect(reader.schema.fields.map(\.type) == Self.schema.fields.map(\.type))
        #expect(reader.rowCount == Self.rows)
        let batches = try reader.read()
        let all = batches.count == 1 ? batches[0] : try RecordBatch.concat(batches)
        for (k, field) in Self.schema.fields.enumerated() {
            try ReaderTestSupport.expectColumn(all, field.name, (0..<Self.rows).map { Self.row($0)[k] })
        }
    }

    @Test("statistics the writer collected prune row groups")
    func pruning() throws {
        let options = ParquetWriteOptions(codec: .zstd, rowGroupRows: 100)
        let bytes = try ParquetFileWriter.write([try Self.batch()], schema: Self.schema, options: options)
        let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "pruning")
        #expect(reader.rowGroupCount == 3)
        // u8 is i % 256: row groups hold 0..<100, 100..<200, 200..<256 + 0..<44.
        #expect(reader.rowGroupsMatching(.comparison(column: "u8", op: .greaterOrEqual, value: U(150))) == [1, 2])
        #expect(reader.rowGroupsMatching(.comparison(column: "a", op: .less, value: I(0))) == [0])
        #expect(reader.rowGroupsMatching(.comparison(column: "st.x", op: .greater, value: I(250))) == [2])
    }
}
