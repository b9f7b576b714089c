// ParquetFileWriter: batches in, one complete Parquet file out (PAR1, row groups,
// footer). Owns row-group cutting, parallel encoding of a row group's columns, chunk
// offsets and the footer; must never do IO (the caller stores the bytes) and never
// write anything for a batch whose schema does not match.

import Dispatch
import TarnColumnar

/// Writes record batches of one schema into a Parquet file held in memory.
///
/// Batches are buffered until a row group is full (`rowGroupRows` or `rowGroupBytes`),
/// then that row group is encoded — its columns in parallel when `options.parallel` —
/// and appended to the file bytes. `finish()` writes the footer and returns the file.
public struct ParquetFileWriter: Sendable {
    public let schema: Schema
    public let options: ParquetWriteOptions

    private let elements: [SchemaElement]
    private let leaves: [WriterLeaf]
    /// Leaves of each top-level field: `leafRanges[i]` indexes `leaves`.
    private let leafRanges: [Range<Int>]
    /// Encoded pages (headers and bodies) in file order after the leading magic; copied
    /// once into the file by `finish()`.
    private var segments: [[UInt8]] = []
    /// File size so far: the magic plus every segment.
    private var fileSize: Int
    private var rowGroups: [RowGroup] = []
    private var pending: [(batch: RecordBatch, rows: Range<Int>)] = []
    private var pendingRows = 0
    private var pendingBytes = 0
    private var finished = false

    /// Rows written so far (buffered rows included).
    public private(set) var rowCount = 0
    /// Per leaf column, the bounds over every row group written so far (min/max in the
    /// leaf's logical type: `.timestamp`, `.date`, `.decimal`, ...). Complete after `finish()`.
    public private(set) var columnStatistics: [ColumnPath: ColumnBounds] = [:]

    /// - Throws: `.invalidArgument` for an empty schema, a type Parquet cannot hold
    ///   (decimal precision outside 1...38, an empty struct) or invalid options.
    public init(schema: Schema, options: ParquetWriteOptions = .init()) throws(ParquetError) {
        try options.validate()
        guard schema.count > 0 else { throw .invalidArgument("a Parquet file needs at least one column") }
        let built = try SchemaElementsBuilder.build(schema)
        var ranges: [Range<Int>] = []
        var start = 0
        for field in schema.fields {
            let count = try SchemaElementsBuilder.build(Schema([field])).leaves.count
            ranges.append(start..<(start + count))
            start += count
        }
        self.schema = schema
        self.options = options
        self.elements = built.elements
        self.leaves = built.leaves
        self.leafRanges = ranges
        self.fileSize = ParquetFooter.magic.count
    }

    /// Buffers `batch`, writing every row group it completes.
    /// - Throws: `.schemaMismatch` naming the column when the batch's fields differ in
    ///   name or type (nothing of the batch is written), or when a required column holds
    ///   nulls; `.invalidArgument` after `finish()`.
    public mutating func write(_ batch: RecordBatch) throws(ParquetError) {
        guard !finished else { throw .invalidArgument("write after finish") }
        try checkSchema(batch.schema)
        guard batch.rowCount > 0 else { return }
        let bytesPerRow = max(1, Self.approximateBytes(batch) / batch.rowCount)
        var row = 0
        while row < batch.rowCount {
            let byRows = options.rowGroupRows - pendingRows
            let byBytes = max(1, (options.rowGroupBytes - pendingBytes + bytesPerRow - 1) / bytesPerRow)
            let take = min(batch.rowCount - row, byRows, byBytes)
            pending.append((batch, row..<(row + take)))
            pendingRows += take
            pendingBytes += take * bytesPerRow
            rowCount += take
            row += take
            if pendingRows >= options.rowGroupRows || pendingBytes >= options.rowGroupBytes {
                try flushRowGroup()
            }
        }
    }

    /// Writes buffered rows and the footer; returns the complete file.
    /// - Throws: `.invalidArgument` when called twice; encoding errors of the last row group.
    public mutating func finish() throws(ParquetError) -> [UInt8] {
        guard !finished else { throw .invalidArgument("finish called twice") }
        try flushRowGroup()
        finished = true
        var metadata: [String: String] = schema.metadata
        for (key, value) in options.keyValueMetadata { metadata[key] = value }
        let fileMetaData = FileMetaData(
            version: 2, schema: elements, numRows: Int64(rowCount), rowGroups: rowGroups,
            keyValueMetadata: metadata.isEmpty ? nil : metadata.keys.sorted().map { KeyValue(key: $0, value: metadata[$0]) },
            createdBy: options.createdBy,
            columnOrders: [ColumnOrder](repeating: .typeDefinedOrder, count: leaves.count))
        let tail = ParquetFooter.encodeTail(fileMetaData)
        var file: [UInt8] = []
        file.reserveCapacity(fileSize + tail.count)
        file.append(contentsOf: ParquetFooter.magic)
        for segment in segments { file.append(contentsOf: segment) }
        segments = []
        file.append(contentsOf: tail)
        return file
    }

    /// Writes `batches` of `schema` into one file.
    public static func write(_ batches: [RecordBatch], schema: Schema, options: ParquetWriteOptions = .init()) throws(ParquetError) -> [UInt8] {
        var writer = try ParquetFileWriter(schema: schema, options: options)
        for batch in batches { try writer.write(batch) }
        return try writer.finish()
    }

    // MARK: Schema check

    private func checkSchema(_ other: Schema) throws(ParquetError) {
        guard other.count == schema.count else {
            throw .schemaMismatch("batch has \(other.count) columns, the file \(schema.count) (\(schema.names.joined(separator: ", ")))")
        }
        for (expected, actual) in zip(schema.fields, other.fields) {
            guard expected.name == actual.name else {
                throw ParquetError.schemaMismatch("batch column '\(actual.name)' where the file has '\(expected.name)'").adding(column: expected.name)
            }
            guard expected.type == actual.type else {
                throw ParquetError.schemaMismatch("column \(expected.name) is \(actual.type) in the batch but \(expected.type) in the file").adding(column: expected.name)
            }
        }
    }

    /// Bytes of a batch's buffers, for row-group sizing.
    static func approximateBytes(_ batch: RecordBatch) -> Int {
        batch.columns.reduce(0) { $0 + approximateBytes($1) }
    }

    static func approximateBytes(_ column: Column) -> Int {
        let validity = column.validity == nil ? 0 : column.count / 8
        switch column.storage {
        case let .boolean(bits): return validity + bits.count / 8
        case let .int8(v): return validity + v.count
        case let .int16(v): return validity + v.count * 2
        case let .int32(v): return validity + v.count * 4
        case let .int64(v): return validity + v.count * 8
        case let .uint8(v): return validity + v.count
        case let .uint16(v): return validity + v.count * 2
        case let .uint32(v): return validity + v.count * 4
        case let .uint64(v): return validity + v.count * 8
        case let .float32(v): return validity + v.count * 4
        case let .float64(v): return validity + v.count * 8
        case let .int128(v): return validity + v.count * 16
        case let .bytes(offsets, data): return validity + offsets.count * 4 + data.count
        case let .list(offsets, values): return validity + offsets.count * 4 + approximateBytes(values)
        case let .structure(children): return validity + children.reduce(0) { $0 + approximateBytes($1) }
        case let .map(offsets, keys, values): return validity + offsets.count * 4 + approximateBytes(keys) + approximateBytes(values)
        }
    }

    // MARK: Row groups

    private mutating func flushRowGroup() throws(ParquetError) {
        guard pendingRows > 0 else { return }
        let buffered = pending
        let rows = pendingRows
        pending = []
        pendingRows = 0
        pendingBytes = 0

        let chunks = try encodeColumns(buffered)
        let groupStart = fileSize
        segments.reserveCapacity(segments.count + 2 * chunks.reduce(0) { $0 + $1.pages.count })
        var columnChunks: [ColumnChunk] = []
        columnChunks.reserveCapacity(chunks.count)
        var totalUncompressed = 0
        var totalCompressed = 0
        for (leaf, chunk) in zip(leaves, chunks) {
            let base = fileSize
            let dataStart = chunk.hasDictionaryPage ? base + (chunk.pages.first?.storedSize ?? 0) : base
            for page in chunk.pages {
                segments.append(page.header)
                segments.append(page.body)
                fileSize += page.storedSize
            }
            let metadata = ColumnMetaData(
                type: leaf.physicalType, encodings: chunk.encodings, pathInSchema: leaf.path, codec: options.codec,
                numValues: Int64(chunk.numValues), totalUncompressedSize: Int64(chunk.totalUncompressedSize),
                totalCompressedSize: Int64(chunk.totalCompressedSize), dataPageOffset: Int64(dataStart),
                dictionaryPageOffset: chunk.hasDictionaryPage ? Int64(base) : nil, statistics: chunk.statistics,
                encodingStats: chunk.encodingStats)
            columnChunks.append(ColumnChunk(fileOffset: Int64(base), metaData: metadata))
            totalUncompressed += chunk.totalUncompressedSize
            totalCompressed += chunk.totalCompressedSize
            let path = ColumnPath(leaf.path)
            if let previous = columnStatistics[path] {
                columnStatistics[path] = StatisticsCollector.merge(previous, chunk.bounds)
            } else {
                columnStatistics[path] = chunk.bounds
            }
        }
        rowGroups.append(RowGroup(
            columns: columnChunks, totalByteSize: Int64(totalUncompressed), numRows: Int64(rows),
            fileOffset: Int64(groupStart), totalCompressedSize: Int64(totalCompressed),
            ordinal: Int16(exactly: rowGroups.count)))
    }

    /// Shreds and encodes every top-level column of the row group, in parallel when
    /// allowed; returns the chunks in leaf order.
    private func encodeColumns(_ segments: [(batch: RecordBatch, rows: Range<Int>)]) throws(ParquetError) -> [EncodedColumnChunk] {
        let fields = schema.fields
        let leaves = self.leaves
        let leafRanges = self.leafRanges
        let options = self.options
        let work: @Sendable (Int) -> Result<[EncodedColumnChunk], ParquetError> = { column in
            do throws(ParquetError) {
                var parts: [ShreddedLeaf] = []
                for segment in segments {
                    let shredded = try LevelShredder.shred(segment.batch.columns[column], field: fields[column], rows: segment.rows)
                    if parts.isEmpty {
                        parts = shredded
                    } else {
                        for k in 0..<min(parts.count, shredded.count) { try parts[k].append(shredded[k]) }
                    }
                }
                let range = leafRanges[column]
                guard parts.count == range.count else {
                    throw ParquetError.invalidArgument("column \(fields[column].name) shredded into \(parts.count) leaves, expected \(range.count)")
                }
                var chunks: [EncodedColumnChunk] = []
                for (k, leafIndex) in range.enumerated() {
                    do throws(ParquetError) {
                        chunks.append(try ColumnChunkWriter.write(parts[k], leaf: leaves[leafIndex], options: options))
                    } catch {
                        throw error.adding(column: leaves[leafIndex].path.joined(separator: "."))
                    }
                }
                return .success(chunks)
            } catch {
                return .failure(error.adding(column: fields[column].name))
            }
        }
        var results = [Result<[EncodedColumnChunk], ParquetError>?](repeating: nil, count: fields.count)
        if options.parallel && fields.count > 1 {
            results.withUnsafeMutableBufferPointer { buffer in
                let slots = WriterResultSlots(buffer: buffer)
                DispatchQueue.concurrentPerform(iterations: fields.count) { column in
                    slots.store(work(column), at: column)
                }
            }
        } else {
            for column in 0..<fields.count { results[column] = work(column) }
        }
        var chunks: [EncodedColumnChunk] = []
        chunks.reserveCapacity(leaves.count)
        for result in results {
            switch result {
            case let .success(columnChunks)?: chunks.append(contentsOf: columnChunks)
            case let .failure(error)?: throw error
            case nil: throw .invalidArgument("a column of the row group was not encoded")
            }
        }
        return chunks
    }
}

/// Result slots written by concurrent iterations, each at its own index.
private struct WriterResultSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>

    func store(_ value: T, at index: Int) {
        // SAFETY: every iteration writes only its own index (< buffer.count), and the
        // buffer outlives concurrentPerform, which returns after all iterations finish.
        buffer[index] = value
    }
}
