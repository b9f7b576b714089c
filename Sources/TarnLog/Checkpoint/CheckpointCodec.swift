// CheckpointCodec: classic (v1) checkpoint Parquet files <-> actions, through TarnParquet.
// Owns the checkpoint schema Tarn writes (the spec's struct columns, all nullable as
// Spark writes them) and reading any classic checkpoint (unknown columns ignored,
// `stats_parsed`/`partitionValues_parsed` skipped); must never read a v2 checkpoint's
// sidecars — a checkpoint holding `checkpointMetadata` or `sidecar` rows is refused.
import TarnColumnar
import TarnParquet

enum CheckpointCodec {
    static let stringMap = DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .string, nullable: true))
    static let stringList = DataType.list(Field("element", .string, nullable: true))
    static let deletionVector = DataType.structure([
        Field(ActionKey.storageType, .string), Field(ActionKey.pathOrInlineDv, .string), Field(ActionKey.offset, .int32),
        Field(ActionKey.sizeInBytes, .int32), Field(ActionKey.cardinality, .int64),
    ])

    /// The columns Tarn writes, one per action type.
    static let schema = Schema([
        Field(ActionKey.txn, .structure([
            Field(ActionKey.appId, .string), Field(ActionKey.version, .int64), Field(ActionKey.lastUpdated, .int64),
        ])),
        Field(ActionKey.add, .structure([
            Field(ActionKey.path, .string), Field(ActionKey.partitionValues, stringMap), Field(ActionKey.size, .int64),
            Field(ActionKey.modificationTime, .int64), Field(ActionKey.dataChange, .boolean), Field(ActionKey.stats, .string),
            Field(ActionKey.tags, stringMap), Field(ActionKey.deletionVector, deletionVector), Field(ActionKey.baseRowId, .int64),
            Field(ActionKey.defaultRowCommitVersion, .int64), Field(ActionKey.clusteringProvider, .string),
        ])),
        Field(ActionKey.remove, .structure([
            Field(ActionKey.path, .string), Field(ActionKey.deletionTimestamp, .int64), Field(ActionKey.dataChange, .boolean),
            Field(ActionKey.extendedFileMetadata, .boolean), Field(ActionKey.partitionValues, stringMap), Field(ActionKey.size, .int64),
            Field(ActionKey.deletionVector, deletionVector), Field(ActionKey.baseRowId, .int64),
            Field(ActionKey.defaultRowCommitVersion, .int64),
        ])),
        Field(ActionKey.metaData, .structure([
            Field(ActionKey.id, .string), Field(ActionKey.name, .string), Field(ActionKey.description, .string),
            Field(ActionKey.format, .structure([Field(ActionKey.provider, .string), Field(ActionKey.options, stringMap)])),
            Field(ActionKey.schemaString, .string), Field(ActionKey.partitionColumns, stringList),
            Field(ActionKey.configuration, stringMap), Field(ActionKey.createdTime, .int64),
        ])),
        Field(ActionKey.protocol, .structure([
            Field(ActionKey.minReaderVersion, .int32), Field(ActionKey.minWriterVersion, .int32),
            Field(ActionKey.readerFeatures, stringList), Field(ActionKey.writerFeatures, stringList),
        ])),
        Field(ActionKey.domainMetadata, .structure([
            Field(ActionKey.domain, .string), Field(ActionKey.configuration, .string), Field(ActionKey.removed, .boolean),
        ])),
    ])

    static let actionColumns: [String] = [
        ActionKey.txn, ActionKey.add, ActionKey.remove, ActionKey.metaData, ActionKey.protocol, ActionKey.domainMetadata,
        ActionKey.checkpointMetadata, ActionKey.sidecar,
    ]

    static func parquetError(_ operation: String, _ path: String, _ error: ParquetError) -> LogError {
        .storage(operation: operation, path: path, cause: "\(error)", underlying: error)
    }

    // MARK: Reading

    /// The actions of one checkpoint file (or part).
    /// - Throws: `.corrupt`/`.storage` for unreadable Parquet; `.unsupportedFeature`
    ///   (`v2Checkpoint`) when the file holds v2 checkpoint actions.
    static func readActions(_ bytes: [UInt8], path: String, version: Int64) throws(LogError) -> [Action] {
        let reader: ParquetFileReader
        do {
            reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: path)
        } catch {
            throw LogError.corrupt(path: path, version: version, line: nil, detail: "unreadable checkpoint: \(error)")
        }
        var columns: [String] = []
        for field in reader.schema.fields where actionColumns.contains(field.name) {
            if case let .structure(children) = field.type {
                for child in children where !child.name.hasSuffix("_parsed") { columns.append(field.name + "." + child.name) }
            }
        }
        guard !columns.isEmpty else { return [] }
        let batches: [RecordBatch]
        do {
            batches = try reader.read(columns: columns)
        } catch {
            throw LogError.corrupt(path: path, version: version, line: nil, detail: "unreadable checkpoint: \(error)")
        }
        var actions: [Action] = []
        actions.reserveCapacity(reader.rowCount)
        for batch in batches {
            for (field, column) in zip(batch.schema.fields, batch.columns) {
                if field.name == ActionKey.checkpointMetadata || field.name == ActionKey.sidecar {
                    if column.nullCount < column.count {
                        throw LogError.unsupportedFeature(name: "v2Checkpoint", side: .reader, tablePath: path,
                                                          detail: "the checkpoint holds \(field.name) actions")
                    }
                    continue
                }
                guard column.nullCount < column.count else { continue }
                do {
                    try CheckpointRowReader.read(column: field.name, column, into: &actions)
                } catch {
                    throw LogError.corrupt(path: path, version: version, line: nil, detail: "a checkpoint row lacks \(error.field)")
                }
            }
        }
        return actions
    }

    // MARK: Writing

    /// A classic checkpoint file holding `actions` (one action per row).
    static func write(_ actions: [Action], tableProtocol: TableProtocol, path: String) throws(LogError) -> [UInt8] {
        let batch: RecordBatch
        do {
            var builder = CheckpointBatchBuilder()
            for action in actions { try builder.append(action) }
            batch = try builder.finish()
        } catch {
            throw LogError.invalidArgument("checkpoint \(path) could not be built: \(error)")
        }
        do {
            return try ParquetFileWriter.write([batch], schema: schema, options: ParquetWriteOptions(codec: .snappy))
        } catch {
            throw parquetError("write checkpoint", path, error)
        }
    }
}
