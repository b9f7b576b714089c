// Tests of ParquetFileWriter as a whole: row-group cutting, chunk offsets and sizes,
// page versions, codecs, checksums, footer contents and the schema-mismatch contract.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Writer files")
struct WriterFileTests {
    private let schema = Schema([Field("id", .int64, nullable: false), Field("name", .string)])

    private func batch(_ ids: Range<Int>) throws -> RecordBatch {
        let idColumn = try Column(.int64, values: ids.map { Int64($0) })
        let names = try Column(strings: ids.map { $0 % 3 == 0 ? nil : "n\($0 % 7)" })
        return try RecordBatch(schema: schema, columns: [idColumn, names])
    }

    @Test("row groups are cut at rowGroupRows across batch boundaries")
    func rowGroupSplitting() throws {
        var writer = try ParquetFileWriter(schema: schema, options: ParquetWriteOptions(rowGroupRows: 4))
        try writer.write(batch(0..<3))
        try writer.write(batch(3..<6))
        try writer.write(batch(6..<10))
        #expect(writer.rowCount == 10)
        let file = try writer.finish()
        let metadata = try writerFooter(file)
        #expect(metadata.numRows == 10)
        #expect(metadata.rowGroups.map(\.numRows) == [4, 4, 2])
        #expect(metadata.rowGroups.map(\.ordinal) == [0, 1, 2])
        for (index, group) in metadata.rowGroups.enumerated() {
            let ids = try writerChunkMeta(metadata, rowGroup: index, column: 0)
            #expect(ids.numValues == group.numRows)
            #expect(ids.pathInSchema == ["id"])
        }
    }

    @Test("rowGroupBytes cuts row groups by the estimated in-memory size")
    func rowGroupBytes() throws {
        let field = Field("x", .int64, nullable: false)
        let column = try Column(.int64, values: (0..<1000).map { Int64($0) })
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]),
                                               options: ParquetWriteOptions(rowGroupBytes: 2000))
        let metadata = try writerFooter(file)
        #expect(metadata.rowGroups.map(\.numRows) == [250, 250, 250, 250])
    }

    @Test("chunks are contiguous: each starts where the previous ended, sizes add up")
    func chunkLayout() throws {
        let file = try ParquetFileWriter.write([batch(0..<100)], schema: schema, options: ParquetWriteOptions(rowGroupRows: 40))
        let metadata = try writerFooter(file)
        var position: Int64 = 4
        for group in metadata.rowGroups {
            #expect(group.fileOffset == position)
            var groupCompressed: Int64 = 0
            for chunk in group.columns {
                let optionalMeta: ColumnMetaData? = chunk.metaData
                let meta = try #require(optionalMeta)
                let start = meta.dictionaryPageOffset ?? meta.dataPageOffset
                #expect(start == position)
                #expect(chunk.fileOffset == position)
                #expect(meta.dataPageOffset >= start)
                position += meta.totalCompressedSize
                groupCompressed += meta.totalCompressedSize
            }
            #expect(group.totalCompressedSize == groupCompressed)
        }
        let footerLength = file[(file.count - 8)..<(file.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(Int(position) == file.count - 8 - footerLength)
    }

    @Test("a file without rows has the schema and no row groups")
    func emptyFile() throws {
        var writer = try ParquetFileWriter(schema: schema)
        try writer.write(RecordBatch.empty(schema))
        let file = try writer.finish()
        let metadata = try writerFooter(file)
        #expect(metadata.numRows == 0 && metadata.rowGroups.isEmpty)
        #expect(metadata.schema.map(\.name) == ["schema", "id", "name"])
        #expect(metadata.createdBy == "tarn version 0.1.0")
    }

    @Test("a batch whose schema differs is refused naming the column, and nothing of it is written")
    func schemaMismatch() throws {
        var writer = try ParquetFileWriter(schema: schema)
        let other = Schema([Field("id", .int64, nullable: false), Field("label", .string)])
        let bad = try RecordBatch(schema: other, columns: [Column(.int64, values: [Int64(1)]), Column(strings: ["x"])])
        do {
            try writer.write(bad)
            Issue.record("expected a schema mismatch")
        } catch {
            #expect(error.code == .schemaMismatch)
            #expect(error.column == "name")
        }
        let retyped = Schema([Field("id", .int32, nullable: false), Field("name", .string)])
        let wrongType = try RecordBatch(schema: retyped, columns: [Column(.int32, values: [Int32(1)]), Column(strings: ["x"])])
        #expect(throws: ParquetError.self) { try writer.write(wrongType) }
        try writer.write(batch(0..<2))
        let metadata = try writerFooter(try writer.finish())
        #expect(metadata.numRows == 2)
    }

    @Test("data page v2: levels outside the compressed values, rows and nulls counted")
    func pageV2() throws {
        let file = try ParquetFileWriter.write([batch(0..<9)], schema: schema, options: ParquetWriteOptions(dataPageVersion: .v2))
        let metadata = try writerFooter(file)
        let headers = try writerPageHeaders(file, metadata, column: 1)
        let data = try #require(headers.last?.dataPageHeaderV2)
        #expect(headers.last?.type == .dataPageV2)
        #expect(data.numRows == 9 && data.numValues == 9 && data.numNulls == 3)
        #expect(data.repetitionLevelsByteLength == 0 && data.definitionLevelsByteLength > 0)
        #expect(data.isCompressed)
    }

    @Test("each writable codec is recorded in the column metadata", arguments: [
        CompressionCodec.zstd, .snappy, .uncompressed,
    ])
    func codecs(_ codec: CompressionCodec) throws {
        let file = try ParquetFileWriter.write([batch(0..<50)], schema: schema, options: ParquetWriteOptions(codec: codec))
        let metadata = try writerFooter(file)
        #expect(try writerChunkMeta(metadata).codec == codec)
        #expect(try writerChunkMeta(metadata, column: 1).codec == codec)
    }

    @Test("GZIP is refused at construction: Tarn does not write it")
    func unwritableCodec() {
        #expect(throws: ParquetError.self) { _ = try ParquetFileWriter(schema: schema, options: ParquetWriteOptions(codec: .gzip)) }
    }

    @Test("page checksums are the CRC-32 of each page's stored bytes")
    func checksums() throws {
        let file = try ParquetFileWriter.write([batch(0..<30)], schema: schema, options: ParquetWriteOptions(writePageChecksums: true))
        let metadata = try writerFooter(file)
        let meta = try writerChunkMeta(metadata, column: 1)
        var position = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
        let end = position + Int(meta.totalCompressedSize)
        var pages = 0
        while position < end {
            let slice = Array(file[position..<end])
            let (header, length) = try slice.withUnsafeBytes { try PageHeader.decode($0) }
            let body = Array(file[(position + length)..<(position + length + Int(header.compressedPageSize))])
            #expect(header.crc == Int32(bitPattern: CRC32.checksum(body)))
            position += length + Int(header.compressedPageSize)
            pages += 1
        }
        #expect(pages == 2)
    }

    @Test("key/value metadata joins the schema's metadata; finish twice is an error")
    func keyValueMetadata() throws {
        let tagged = Schema(schema.fields, metadata: ["origin": "schema", "shared": "schema"])
        let idColumn = try Column(.int64, values: [Int64(1)])
        let batch = try RecordBatch(schema: tagged, columns: [idColumn, Column(strings: ["a"])])
        var writer = try ParquetFileWriter(schema: tagged, options: ParquetWriteOptions(keyValueMetadata: ["shared": "options"]))
        try writer.write(batch)
        let metadata = try writerFooter(try writer.finish())
        let pairs = (metadata.keyValueMetadata ?? []).map { "\($0.key)=\($0.value ?? "")" }
        #expect(pairs == ["origin=schema", "shared=options"])
        #expect(throws: ParquetError.self) { _ = try writer.finish() }
    }

    @Test("parallel and sequential encoding produce identical files")
    func parallelDeterministic() throws {
        let parallel = try ParquetFileWriter.write([batch(0..<500)], schema: schema, options: ParquetWriteOptions(parallel: true))
        let sequential = try ParquetFileWriter.write([batch(0..<500)], schema: schema, options: ParquetWriteOptions(parallel: false))
        #expect(parallel == sequential)
    }
}
