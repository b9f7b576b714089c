// ParquetFileReader: the public entry point for reading a Parquet file from a ParquetInput —
// footer validation, schema, projection, row-group pruning by statistics, and parallel
// decoding of row groups × columns into RecordBatches.
// Never trusts the footer: every chunk range is checked against the file before any read;
// every error leaving here names the file (and the column when one is involved).

import Dispatch
import TarnColumnar

/// Reads one Parquet file.
///
/// Thread safety: a value type; all methods may be called concurrently.
public struct ParquetFileReader: Sendable {
    public let input: any ParquetInput
    /// Name used in errors (a path or key).
    public let name: String
    public let options: ParquetReadOptions
    public let metadata: FileMetaData
    /// The file's schema as Tarn types (see spec/parquet.md for the mapping).
    public let schema: Schema
    /// The Parquet schema tree and leaf descriptors.
    public let parquetSchema: ParquetSchema
    /// Byte ranges of every column chunk, validated at open: `[rowGroup][leaf]`.
    let chunkRanges: [[Range<Int>]]
    let rowGroupRows: [Int]

    /// Opens a file: reads and validates the footer (magic at both ends, footer length,
    /// metadata, schema, and every row group's row count and column chunk ranges).
    /// - Throws: `ParquetError` (`.corrupt` for a damaged footer, `.unsupported` for
    ///   encrypted files or unmappable schemas, `.io` from the input) naming `name`.
    /// - Cost: two or three reads (tail, head magic, footer).
    public init(input: any ParquetInput, name: String, options: ParquetReadOptions = .init()) throws(ParquetError) {
        do throws(ParquetError) {
            self.input = input
            self.name = name
            self.options = options
            let size = input.size
            guard size >= ParquetFooter.minimumFileSize else {
                throw ParquetError.corrupt("file of \(size) bytes is too small to be Parquet", offset: 0)
            }
            let tail = try input.read((size - ParquetFooter.tailLength)..<size)
            let footerLength = try ParquetFooter.footerLength(tail: tail, fileSize: size)
            guard footerLength <= options.maxFooterSize else {
                throw ParquetError.corrupt("footer of \(footerLength) bytes exceeds the limit of \(options.maxFooterSize)", offset: size - 8)
            }
            let head = try input.read(0..<4)
            try ParquetFooter.checkLeadingMagic(head)
            let footerStart = size - ParquetFooter.tailLength - footerLength
            let footer = try input.read(footerStart..<(size - ParquetFooter.tailLength))
            let metadata = try FileMetaData.decode(footerBytes: footer, fileOffset: footerStart)
            var keyValues: [String: String] = [:]
            for pair in metadata.keyValueMetadata ?? [] { keyValues[pair.key] = pair.value ?? "" }
            let parquetSchema = try ParquetSchema(elements: metadata.schema, metadata: keyValues)
            let (ranges, rows) = try Self.validate(metadata, schema: parquetSchema, dataEnd: footerStart)
            self.metadata = metadata
            self.parquetSchema = parquetSchema
            self.schema = parquetSchema.schema
            self.chunkRanges = ranges
            self.rowGroupRows = rows
        } catch {
            throw error.adding(file: name)
        }
    }

    /// Checks row counts and column chunk ranges against the schema and the file.
    static func validate(_ metadata: FileMetaData, schema: ParquetSchema, dataEnd: Int) throws(ParquetError) -> ([[Range<Int>]], [Int]) {
        guard metadata.numRows >= 0 else {
            throw .corrupt("the file declares \(metadata.numRows) rows")
        }
        var ranges: [[Range<Int>]] = []
        var rows: [Int] = []
        ranges.reserveCapacity(metadata.rowGroups.count)
        var total: Int64 = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            guard group.numRows >= 0, group.numRows <= Int64(Int32.max) else {
                throw .corrupt("row group \(groupIndex) declares \(group.numRows) rows")
            }
            total += group.numRows
            guard group.columns.count == schema.columns.count else {
                throw .corrupt("row group \(groupIndex) has \(group.columns.count) column chunks for \(schema.columns.count) leaf columns")
            }
            var groupRanges: [Range<Int>] = []
            groupRanges.reserveCapacity(group.columns.count)
            for (leaf, chunk) in group.columns.enumerated() {
                let descriptor = schema.columns[leaf]
                guard chunk.filePath == nil else {
                    throw ParquetError.unsupported("column chunks in other files (file_path \(chunk.filePath ?? ""))").adding(column: descriptor.dottedPath)
                }
                guard let meta = chunk.metaData else {
                    throw ParquetError.corrupt("row group \(groupIndex) has no metadata for the column chunk").adding(column: descriptor.dottedPath)
                }
                guard meta.type == descriptor.physicalType else {
                    throw ParquetError.corrupt("column chunk of type \(meta.type) for a \(descriptor.physicalType) column").adding(column: descriptor.dottedPath)
                }
                guard meta.numValues >= 0, meta.numValues <= Int64(Int32.max) else {
                    throw ParquetError.corrupt("column chunk declares \(meta.numValues) values").adding(column: descriptor.dottedPath)
                }
                if descriptor.maxRepetitionLevel == 0, meta.numValues != group.numRows {
                    throw ParquetError.corrupt("column chunk holds \(meta.numValues) values for \(group.numRows) rows in row group \(groupIndex)").adding(column: descriptor.dottedPath)
                }
                if meta.numValues == 0 {
                    // Nothing to decode; writers leave the offsets of empty chunks loose.
                    groupRanges.append(0..<0)
                    continue
                }
                var start = meta.dataPageOffset
                if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
                let length = meta.totalCompressedSize
                guard start >= 4, length >= 0, start <= Int64(dataEnd), length <= Int64(dataEnd) - start else {
                    throw ParquetError.corrupt(
                        "column chunk bytes \(start)..<\(start &+ length) of row group \(groupIndex) fall outside the data (4..<\(dataEnd))",
                        offset: Int(clamping: start)).adding(column: descriptor.dottedPath)
                }
                groupRanges.append(Int(start)..<Int(start + length))
            }
            ranges.append(groupRanges)
            rows.append(Int(group.numRows))
        }
        guard total == metadata.numRows else {
            throw .corrupt("the row groups hold \(total) rows but the file declares \(metadata.numRows)")
        }
        return (ranges, rows)
    }

    /// Rows in the file.
    public var rowCount: Int { rowGroupRows.reduce(0, +) }
    public var rowGroupCount: Int { rowGroupRows.count }

    /// Rows of one row group.
    public func rowCount(rowGroup: Int) -> Int? {
        rowGroup >= 0 && rowGroup < rowGroupRows.count ? rowGroupRows[rowGroup] : nil
    }

    // MARK: Projection

    /// A resolved projection: the top-level fields to produce and the leaves they need.
    struct Projection {
        var nodes: [AssemblyNode]
        var leaves: [Int]
        var schema: Schema
    }

    func projection(_ columns: [String]?) throws(ParquetError) -> Projection {
        guard let columns else {
            let leaves = Array(0..<parquetSchema.columns.count)
            return Projection(nodes: parquetSchema.nodes, leaves: leaves, schema: schema)
        }
        var order: [Int] = []
        var wanted: [Int: Set<Int>] = [:]
        for path in columns {
            let leaves: [Int]
            do throws(ParquetError) {
                leaves = try parquetSchema.leafColumns(forPath: path)
            } catch {
                throw error.adding(file: name)
            }
            for leaf in leaves {
                let top = parquetSchema.columns[leaf].topLevelFieldIndex
                if wanted[top] == nil {
                    order.append(top)
                    wanted[top] = []
                }
                wanted[top]?.insert(leaf)
            }
        }
        var nodes: [AssemblyNode] = []
        var allLeaves: [Int] = []
        for top in order {
            guard let keep = wanted[top], let node = parquetSchema.nodes[top].pruned(keeping: keep) else { continue }
            nodes.append(node)
            allLeaves.append(contentsOf: node.leafColumns)
        }
        return Projection(nodes: nodes, leaves: allLeaves, schema: Schema(nodes.map(\.field), metadata: schema.metadata))
    }

    // MARK: Reading

    /// Decodes one row group.
    /// - Parameter columns: top-level names or dotted nested paths (`st.x`); nil reads all.
    ///   A nested path yields its top-level field with only the selected children.
    /// - Throws: `.invalidArgument` for an unknown column or row group; decoding errors
    ///   name the file, the column and the byte offset.
    public func readRowGroup(_ index: Int, columns: [String]? = nil) throws(ParquetError) -> RecordBatch {
        guard index >= 0, index < rowGroupCount else {
            throw ParquetError.invalidArgument("row group \(index) does not exist (the file has \(rowGroupCount))").adding(file: name)
        }
        let projection = try self.projection(columns)
        return try decode(rowGroups: [index], projection: projection)[0]
    }

    /// Decodes the row groups that may match `predicate` (all when nil), one batch per
    /// row group, in file order.
    ///
    /// Pruning only: row groups whose statistics prove that no row matches are skipped,
    /// but rows of the groups that are read are NOT filtered — apply the predicate to
    /// the batches to get exact results.
    public func read(columns: [String]? = nil, predicate: Predicate? = nil) throws(ParquetError) -> [RecordBatch] {
        let projection = try self.projection(columns)
        let groups = predicate.map { rowGroupsMatching($0) } ?? Array(0..<rowGroupCount)
        return try decode(rowGroups: groups, projection: projection)
    }

    /// Decodes the given row groups, one batch each, in the order given (for callers
    /// that prune or split work themselves).
    /// - Throws: `.invalidArgument` for an index outside the file's row groups.
    public func read(rowGroups: [Int], columns: [String]? = nil) throws(ParquetError) -> [RecordBatch] {
        for group in rowGroups where group < 0 || group >= rowGroupCount {
            throw ParquetError.invalidArgument("row group \(group) does not exist (the file has \(rowGroupCount))").adding(file: name)
        }
        return try decode(rowGroups: rowGroups, projection: try projection(columns))
    }

    /// Indices of the row groups whose statistics do not rule out `predicate`.
    public func rowGroupsMatching(_ predicate: Predicate) -> [Int] {
        (0..<rowGroupCount).filter { group in
            predicate.mayMatch { column in
                guard let descriptor = parquetSchema.column(path: column), descriptor.maxRepetitionLevel == 0 else { return nil }
                return statistics(rowGroup: group, leaf: descriptor.index)
            }
        }
    }

    /// Statistics of one column chunk as typed bounds; nil when the row group or column
    /// does not exist or the chunk has no statistics. `path` is a top-level name, a dotted
    /// struct path (`st.x`) or a Parquet leaf path (`emb.list.element`).
    public func statistics(rowGroup: Int, column path: String) -> ColumnBounds? {
        guard let descriptor = parquetSchema.column(path: path) else { return nil }
        return statistics(rowGroup: rowGroup, leaf: descriptor.index)
    }

    func statistics(rowGroup: Int, leaf: Int) -> ColumnBounds? {
        guard rowGroup >= 0, rowGroup < metadata.rowGroups.count,
              leaf < metadata.rowGroups[rowGroup].columns.count,
              let meta = metadata.rowGroups[rowGroup].columns[leaf].metaData else { return nil }
        let order = metadata.columnOrders.flatMap { leaf < $0.count ? $0[leaf] : nil }
        return StatisticsDecoding.bounds(
            meta.statistics, descriptor: parquetSchema.columns[leaf], columnOrder: order, valueCount: Int(meta.numValues))
    }

    /// Decodes `rowGroups` × `projection.leaves`, in parallel when allowed, then assembles.
    func decode(rowGroups: [Int], projection: Projection) throws(ParquetError) -> [RecordBatch] {
        let leaves = projection.leaves
        let tasks = rowGroups.count * leaves.count
        let slots = ResultSlots(count: tasks)
        let work: @Sendable (Int) -> Void = { task in
            let group = rowGroups[task / leaves.count]
            let leaf = leaves[task % leaves.count]
            slots.store(Result { () throws(ParquetError) in try self.decodeLeaf(rowGroup: group, leaf: leaf) }, at: task)
        }
        if options.parallel && tasks > 1 {
            DispatchQueue.concurrentPerform(iterations: tasks, execute: work)
        } else {
            for task in 0..<tasks { work(task) }
        }
        var decoded = slots.take()
        var batches: [RecordBatch] = []
        batches.reserveCapacity(rowGroups.count)
        for (position, group) in rowGroups.enumerated() {
            var groupLeaves: [Int: DecodedLeaf] = [:]
            for (k, leaf) in leaves.enumerated() {
                let task = position * leaves.count + k
                guard let result = decoded[task] else {
                    throw ParquetError.corrupt("column chunk was not decoded").adding(file: name)
                }
                decoded[task] = nil
                groupLeaves[leaf] = try result.get()
            }
            batches.append(try assemble(rowGroup: group, projection: projection, leaves: groupLeaves))
        }
        return batches
    }

    /// Reads and decodes one column chunk.
    func decodeLeaf(rowGroup: Int, leaf: Int) throws(ParquetError) -> DecodedLeaf {
        let descriptor = parquetSchema.columns[leaf]
        do throws(ParquetError) {
            guard let meta = metadata.rowGroups[rowGroup].columns[leaf].metaData else {
                throw ParquetError.corrupt("column chunk has no metadata")
            }
            guard let codec = meta.codec else {
                throw ParquetError.unsupported("compression codec \(meta.codecValue)")
            }
            let range = chunkRanges[rowGroup][leaf]
            let bytes = try input.read(range)
            guard bytes.count == range.count else {
                throw ParquetError(.io, "read of \(range.count) bytes returned \(bytes.count)", offset: range.lowerBound)
            }
            let reader = ColumnChunkReader(
                descriptor: descriptor, codec: codec, options: options,
                keepLevels: !(descriptor.path.count == 1 && descriptor.maxRepetitionLevel == 0),
                declaredValues: Int(meta.numValues), rows: rowGroupRows[rowGroup])
            return try reader.read(bytes, fileOffset: range.lowerBound)
        } catch {
            throw error.adding(column: descriptor.dottedPath).adding(file: name)
        }
    }

    /// Builds the batch of one row group from its decoded leaves.
    func assemble(rowGroup: Int, projection: Projection, leaves: [Int: DecodedLeaf]) throws(ParquetError) -> RecordBatch {
        let rows = rowGroupRows[rowGroup]
        let assembler = LevelAssembler(descriptors: parquetSchema.columns, leaves: leaves)
        var columns: [Column] = []
        columns.reserveCapacity(projection.nodes.count)
        for node in projection.nodes {
            do throws(ParquetError) {
                let column: Column
                if case let .leaf(field, levels, leaf) = node, levels.repetition == 0, parquetSchema.columns[leaf].path.count == 1,
                   let decoded = leaves[leaf], decoded.definition.isEmpty, decoded.repetition.isEmpty {
                    let plain: Column
                    if case let .bytes(offsets, data) = decoded.storage, field.type.storageKind == .bytes {
                        // ByteArraySink's offsets are produced by the decoders, never copied
                        // from the file: each is data.count after a value was appended (every
                        // length from the file was checked non-negative and within the page),
                        // and the null spread repeats the previous end. So they rise by
                        // construction; the init checks the ends only.
                        do {
                            plain = try Column(producedOffsets: field.type, count: decoded.count, validity: decoded.validity,
                                               offsets: offsets, data: data)
                        } catch {
                            throw ParquetError.corrupt("decoded byte arrays are inconsistent: \(error)")
                        }
                    } else {
                        plain = try LevelAssembler.column(field.type, count: decoded.count, validity: decoded.validity, storage: decoded.storage)
                    }
                    column = try Self.attachingDictionary(to: plain, decoded)
                } else {
                    column = try assembler.assemble(node)
                }
                guard column.count == rows else {
                    throw ParquetError.corrupt("column has \(column.count) rows, the row group declares \(rows)")
                }
                columns.append(column)
            } catch {
                throw error.adding(column: node.field.name).adding(file: name)
            }
        }
        do throws(ColumnarError) {
            return try RecordBatch(schema: projection.schema, columns: columns, rowCount: rows)
        } catch {
            throw ParquetError.corrupt("decoded columns do not form a batch: \(error)").adding(file: name)
        }
    }
}

extension ParquetFileReader {
    /// `column` with the chunk's dictionary side-car when the decoder kept one. The codes
    /// are not scanned again: every present code passed `DictionaryDecoding.checkIndices`
    /// against this dictionary page (the chunk has exactly one) and null rows hold 0, which
    /// is in range because the decoder keeps codes only for a non-empty dictionary.
    static func attachingDictionary(to column: Column, _ decoded: DecodedLeaf) throws(ParquetError) -> Column {
        guard let codes = decoded.dictionaryCodes, let storage = decoded.dictionaryValues else { return column }
        do {
            let values = try Column(type: column.type, count: storage.valueCount, validity: nil, storage: storage)
            return try column.withDictionary(rangeCheckedCodes: codes, values: values)
        } catch {
            throw .corrupt("dictionary codes do not fit the dictionary page: \(error)")
        }
    }
}

/// One result slot per task of a concurrentPerform, written by exactly one task each.
private final class ResultSlots: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Result<DecodedLeaf, ParquetError>?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ result: Result<DecodedLeaf, ParquetError>, at index: Int) {
        // SAFETY: each index is written by exactly one task of the concurrentPerform, and
        // read only after it has returned, so no two threads touch the same slot.
        buffer[index] = result
    }

    /// The results, once every task has finished.
    func take() -> [Result<DecodedLeaf, ParquetError>?] {
        Array(buffer)
    }
}
