// Appends and overwrites: batches are checked against the schema, split by partition
// values, written as Parquet files (fsynced by the store), then committed in one Delta
// commit with optimistic concurrency. Nothing is committed when any step fails; files
// written before a failure are unreferenced and left for vacuum.
import Dispatch
import Foundation
import TarnColumnar
import TarnIO
import TarnLog
import TarnParquet

/// How a write treats existing data.
public enum WriteMode: String, Sendable {
    case append = "Append"
    case overwrite = "Overwrite"
}

public struct WriteOptions: Sendable {
    /// Data file codec and level (zstd level 1 by default, like Arrow).
    public var codec: CompressionCodec = .zstd
    public var compressionLevel: Int = 1
    /// Rows per Parquet row group.
    public var rowGroupRows: Int = 1_048_576
    /// A data file holds at most this many rows; larger writes produce several files.
    public var maxRowsPerFile: Int = 4_194_304
    /// Idempotent write: (application id, version). A write whose version is not greater
    /// than the table's recorded version for the application is skipped.
    public var transaction: (appId: String, version: Int64)?
    /// Operation name recorded in commitInfo (WRITE unless a caller knows better).
    public var operation = "WRITE"
    /// Schema evolution: columns of the data that the table lacks are added to the
    /// table (as nullable columns, in the commit of the write), and nullable table
    /// columns the data lacks are written as nulls. Types of existing columns never change.
    public var mergeSchema = false

    public init() {}
}

/// What a committed write did.
public struct WriteResult: Sendable {
    /// The committed version; nil when an idempotent write was skipped.
    public var version: Int64?
    public var filesAdded: Int
    public var filesRemoved: Int
    public var rowsWritten: Int
    public var bytesWritten: Int64
}

extension Table {
    /// Appends `batches` to the table. See `write(_:mode:options:)`.
    @discardableResult
    public func append(_ batches: [RecordBatch], options: WriteOptions = .init()) throws(TableError) -> WriteResult {
        try write(batches, mode: .append, options: options)
    }

    /// Replaces the table's data with `batches`.
    @discardableResult
    public func overwrite(_ batches: [RecordBatch], options: WriteOptions = .init()) throws(TableError) -> WriteResult {
        try write(batches, mode: .overwrite, options: options)
    }

    /// Writes `batches` as one commit. Each batch must have the table's columns (any
    /// order; lossless integer/float widening is applied); NOT NULL columns must hold no
    /// nulls. Durable when it returns: data files are synced before the commit.
    /// - Throws: `.schemaMismatch` (nothing written); `.conflict` when a concurrent
    ///   commit cannot be rebased over (e.g. an overwrite raced this write); `.storage`.
    @discardableResult
    public func write(_ batches: [RecordBatch], mode: WriteMode, options: WriteOptions = .init()) throws(TableError) -> WriteResult {
        try access.require(.modify, action: mode.rawValue.lowercased())
        let snapshot = try loadSnapshot()
        if let txn = options.transaction, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            return WriteResult(version: nil, filesAdded: 0, filesRemoved: 0, rowsWritten: 0, bytesWritten: 0)
        }
        var schema = snapshot.schema
        var evolvedMetadata: Metadata? = nil
        var batches = batches
        if options.mergeSchema {
            schema = try TableSchemaRules.merged(schema, with: batches.map(\.schema), table: name,
                                                 allowWidening: TypeWidening.isEnabled(snapshot))
            if schema != snapshot.schema { evolvedMetadata = try evolved(snapshot.metadata, to: schema) }
            batches = try batches.map { (b) throws(TableError) -> RecordBatch in try TableSchemaRules.fillMissing(b, schema: schema, table: name) }
        }
        let target = schema
        let conformed = try batches.map { (b) throws(TableError) -> RecordBatch in
            try TableSchemaRules.conform(b, to: target, table: name)
        }.filter { $0.rowCount > 0 }
        try ConstraintEnforcer(snapshot: snapshot, schema: target, table: self).check(all: conformed)
        let adds = try writeDataFiles(conformed, schema: schema, snapshot: snapshot, options: options)

        var transaction = log.startTransaction(operation: options.operation, readSnapshot: snapshot)
        if let evolvedMetadata {
            // A widened column needs the typeWidening feature in the protocol.
            if TypeWidening.changesTypes(from: snapshot.schema, to: schema),
               let upgraded = TypeWidening.protocolWithFeature(snapshot.tableProtocol) {
                transaction.add(.tableProtocol(upgraded))
            }
            transaction.add(.metadata(evolvedMetadata))
        }
        var removed = 0
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        if mode == .overwrite {
            transaction.recordReadWholeTable()
            for file in snapshot.files {
                transaction.add(.remove(file.removal(deletionTimestamp: now)))
                removed += 1
            }
        }
        transaction.add(adds.map { .add($0) })
        if let txn = options.transaction { transaction.setTransaction(appId: txn.appId, version: txn.version) }
        let rows = conformed.reduce(0) { $0 + $1.rowCount }
        let bytes = adds.reduce(Int64(0)) { $0 + $1.size }
        transaction.operationParameters = ["mode": mode.rawValue,
                                           "partitionBy": JSONText.array(snapshot.partitionColumns)]
        transaction.operationMetrics = ["numFiles": String(adds.count), "numOutputRows": String(rows),
                                        "numOutputBytes": String(bytes), "numRemovedFiles": String(removed)]
        do {
            let version = try transaction.commitOrThrow()
            return WriteResult(version: version, filesAdded: adds.count, filesRemoved: removed, rowsWritten: rows, bytesWritten: bytes)
        } catch {
            throw wrap(error, "the \(mode.rawValue.lowercased()) was not committed")
        }
    }

    /// The table's metadata with `schema` (same id, partitioning and properties).
    func evolved(_ metadata: Metadata, to schema: Schema) throws(TableError) -> Metadata {
        do {
            return Metadata(id: metadata.id, name: metadata.name, description: metadata.description,
                            formatProvider: metadata.formatProvider, formatOptions: metadata.formatOptions,
                            schemaString: try TypeWidening.schemaString(schema), partitionColumns: metadata.partitionColumns,
                            configuration: metadata.configuration, createdTime: metadata.createdTime)
        } catch {
            throw wrap(error, "cannot serialize the evolved schema")
        }
    }

    /// Adds nullable columns to the table's schema in one commit (operation ADD COLUMNS);
    /// existing files read them as nulls.
    /// - Throws: `.invalidArgument` for an existing name (case-insensitive) or a NOT NULL
    ///   column (existing rows would break it); `.conflict` if a concurrent commit raced.
    @discardableResult
    public func addColumns(_ fields: [Field]) throws(TableError) -> Int64 {
        try access.require(.manage, action: "add columns")
        let snapshot = try loadSnapshot()
        guard !fields.isEmpty else { throw TableError(.invalidArgument, "no columns to add", table: name) }
        var schema = snapshot.schema
        for field in fields {
            guard schema.lookup(field.name) == nil else {
                throw TableError(.invalidArgument, "column '\(field.name)' already exists", table: name)
            }
            guard field.nullable else {
                throw TableError(.invalidArgument, "column '\(field.name)' is NOT NULL; existing rows would hold nulls, so added columns must be nullable", table: name)
            }
            schema.fields.append(field)
        }
        try TableSchemaRules.validateNew(schema: schema, partitionColumns: snapshot.partitionColumns, table: name)
        var transaction = log.startTransaction(operation: "ADD COLUMNS", readSnapshot: snapshot)
        transaction.add(.metadata(try evolved(snapshot.metadata, to: schema)))
        transaction.operationParameters = ["columns": JSONText.array(fields.map { "\($0.name) \($0.type)" })]
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the columns were not added")
        }
    }

    /// One Parquet file to write: rows of one partition.
    struct PendingFile {
        var partitionValues: [String: String?]
        var batches: [RecordBatch]
    }

    /// Splits by partition, writes every file (in parallel), returns their add actions.
    func writeDataFiles(_ batches: [RecordBatch], snapshot: Snapshot, options: WriteOptions) throws(TableError) -> [AddFile] {
        try writeDataFiles(batches, schema: snapshot.schema, snapshot: snapshot, options: options)
    }

    /// As above, for batches of `schema` (the snapshot's, or an evolved one).
    func writeDataFiles(_ batches: [RecordBatch], schema: Schema, snapshot: Snapshot, options: WriteOptions) throws(TableError) -> [AddFile] {
        let partitionColumns = snapshot.partitionColumns
        let dataSchema = Schema(schema.fields.filter { !partitionColumns.contains($0.name) }, metadata: schema.metadata)
        var pending = try split(batches, schema: schema, partitionColumns: partitionColumns, dataSchema: dataSchema)
        pending = pending.flatMap { chunk($0, maxRows: max(1, options.maxRowsPerFile)) }
        if pending.isEmpty { return [] }

        let indexed = snapshot.indexedColumnCount
        let results = ConcurrentResults<Result<AddFile, TableError>>(count: pending.count)
        let work = pending
        let writeOptions = ParquetWriteOptions(codec: options.codec, compressionLevel: options.compressionLevel,
                                               rowGroupRows: options.rowGroupRows)
        // Files in parallel; each file's columns are encoded on one thread then.
        var perFile = writeOptions
        perFile.parallel = work.count == 1
        let fileOptions = perFile
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            results.set(i, self.writeOneFile(work[i], dataSchema: dataSchema, partitionColumns: partitionColumns,
                                             indexedColumns: indexed, options: fileOptions, codecName: options.codec))
        }
        var adds: [AddFile] = []
        for result in results.values {
            switch result {
            case let .success(add): adds.append(add)
            case let .failure(error): throw error
            case nil: throw TableError(.storage, "a data file was not written", table: name)
            }
        }
        return adds
    }

    private func writeOneFile(_ file: PendingFile, dataSchema: Schema, partitionColumns: [String], indexedColumns: Int,
                              options: ParquetWriteOptions, codecName: CompressionCodec) -> Result<AddFile, TableError> {
        do {
            var writer = try ParquetFileWriter(schema: dataSchema, options: options)
            for batch in file.batches { try writer.write(batch) }
            let bytes = try writer.finish()
            var directory = PartitionValues.directory(partitionColumns: partitionColumns, values: file.partitionValues)
            while directory.hasSuffix("/") { directory.removeLast() }
            let suffix = codecName == .zstd ? "zstd" : (codecName == .snappy ? "snappy" : "uncompressed")
            let fileName = "part-00000-\(UUID().uuidString.lowercased())-c000.\(suffix).parquet"
            let relative = directory.isEmpty ? fileName : directory + "/" + fileName
            try store.put(storePath(relative), bytes)
            var columns: [String: ColumnBounds] = [:]
            for (path, bounds) in writer.columnStatistics { columns[path.dotted] = bounds }
            let stats = FileStatistics(numRecords: Int64(writer.rowCount), columns: columns)
            return .success(AddFile(path: AddFile.encodePath(relative), partitionValues: file.partitionValues,
                                    size: Int64(bytes.count), modificationTime: Int64(Date().timeIntervalSince1970 * 1000),
                                    dataChange: true, stats: stats.json(schema: dataSchema, indexedColumns: indexedColumns)))
        } catch let error as ParquetError {
            return .failure(TableError(.storage, "cannot encode a data file", table: name, cause: error))
        } catch let error as StorageError {
            return .failure(TableError(.storage, "cannot write a data file", table: name, cause: error))
        } catch {
            return .failure(TableError(.storage, "cannot write a data file", table: name, cause: StringError("\(error)")))
        }
    }

    /// Groups rows by their partition values (serialized as Delta does) and drops the
    /// partition columns from the data.
    private func split(_ batches: [RecordBatch], schema: Schema, partitionColumns: [String], dataSchema: Schema) throws(TableError) -> [PendingFile] {
        let dataIndices = dataSchema.fields.compactMap { schema.index(of: $0.name) }
        guard !partitionColumns.isEmpty else {
            return batches.isEmpty ? [] : [PendingFile(partitionValues: [:], batches: batches.map { $0.project(dataIndices).withSchema(dataSchema) })]
        }
        let partitionIndices = partitionColumns.compactMap { schema.index(of: $0) }
        var groups: [[String?]: (values: [String: String?], batches: [RecordBatch])] = [:]
        var order: [[String?]] = []
        for batch in batches {
            let partitionData = partitionIndices.map { batch.columns[$0] }
            let types = partitionIndices.map { schema.fields[$0].type }
            var rowsByKey: [[String?]: [Int]] = [:]
            var keyOrder: [[String?]] = []
            for (representative, rows) in try rowsByPartition(partitionData) {
                let key = zip(partitionData, types).map { column, type in
                    PartitionValues.serialize(column.value(at: representative), type: type)
                }
                if rowsByKey[key] == nil { keyOrder.append(key) }
                rowsByKey[key, default: []].append(contentsOf: rows)
            }
            for key in keyOrder {
                let rows = (rowsByKey[key] ?? []).sorted()  // groups merged by key may interleave
                let part: RecordBatch
                do {
                    part = try batch.project(dataIndices).withSchema(dataSchema).take(rows)
                } catch {
                    throw TableError(.invalidArgument, "cannot split the data by partition", table: name, cause: error)
                }
                if groups[key] == nil {
                    var values: [String: String?] = [:]
                    for (i, column) in partitionColumns.enumerated() { values[column] = .some(key[i]) }
                    groups[key] = (values, [])
                    order.append(key)
                }
                groups[key]?.batches.append(part)
            }
        }
        return order.compactMap { key in groups[key].map { PendingFile(partitionValues: $0.values, batches: $0.batches) } }
    }

    /// Rows grouped by equal partition values, as (representative row, rows ascending),
    /// in order of first appearance. Groups by row hash, then verifies every row against
    /// its group's representative with the typed equality kernel (nulls equal nulls);
    /// rows whose hash collided with another value get groups of their own. No
    /// per-row ScalarValue: values are only materialised once per group by the caller.
    func rowsByPartition(_ columns: [Column]) throws(TableError) -> [(representative: Int, rows: [Int])] {
        let count = columns.first?.count ?? 0
        do {
            let hashes = try Column.hashRows(columns)
            var firstRow: [UInt64: Int] = [:]
            var representative = [Int](repeating: 0, count: count)
            for row in 0..<count {
                if let first = firstRow[hashes[row]] {
                    representative[row] = first
                } else {
                    firstRow[hashes[row]] = row
                    representative[row] = row
                }
            }
            // Verify: a row belongs to its representative's group only if every column is equal.
            var verified = Bitmap(repeating: true, count: count)
            for column in columns {
                let equal = try column.compare(.equal, column.take(representative)).selectionMask()
                for row in 0..<count where verified[row] && !equal[row] {
                    verified[row] = column.isNull(row) && column.isNull(representative[row])
                }
            }
            var groups: [(representative: Int, rows: [Int])] = []
            var groupOfRepresentative: [Int: Int] = [:]
            var collided: [Int] = []
            for row in 0..<count {
                guard verified[row] else {
                    collided.append(row)
                    continue
                }
                let rep = representative[row]
                if let g = groupOfRepresentative[rep] {
                    groups[g].rows.append(row)
                } else {
                    groupOfRepresentative[rep] = groups.count
                    groups.append((rep, [row]))
                }
            }
            // Hash collisions (practically never): one group per row; the caller merges
            // groups whose serialized partition values are equal.
            for row in collided { groups.append((row, [row])) }
            return groups
        } catch {
            throw TableError(.invalidArgument, "cannot group the data by partition", table: name, cause: error)
        }
    }

    /// Cuts a pending file into files of at most `maxRows` rows.
    private func chunk(_ file: PendingFile, maxRows: Int) -> [PendingFile] {
        let total = file.batches.reduce(0) { $0 + $1.rowCount }
        guard total > maxRows else { return [file] }
        var out: [PendingFile] = []
        var current = PendingFile(partitionValues: file.partitionValues, batches: [])
        var currentRows = 0
        for batch in file.batches {
            var offset = 0
            while offset < batch.rowCount {
                let take = min(batch.rowCount - offset, maxRows - currentRows)
                let piece = offset == 0 && take == batch.rowCount ? batch : ((try? batch.slice(offset..<(offset + take))) ?? batch)
                current.batches.append(piece)
                currentRows += take
                offset += take
                if currentRows == maxRows {
                    out.append(current)
                    current = PendingFile(partitionValues: file.partitionValues, batches: [])
                    currentRows = 0
                }
            }
        }
        if currentRows > 0 { out.append(current) }
        return out
    }
}

/// Results written by index from concurrent workers (each index written once).
// SAFETY: @unchecked Sendable — every access to `storage` holds `lock`.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
