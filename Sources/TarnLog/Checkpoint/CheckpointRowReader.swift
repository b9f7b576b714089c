// CheckpointRowReader: turns the struct columns of a decoded checkpoint batch into
// actions by reading the typed buffers directly (no per-value ScalarValue or JSON).
// Owns tolerance of checkpoint schemas written by other engines (missing optional
// children, int or long versions); must never index a buffer without checking the
// offsets against the child's length first.
import TarnColumnar

/// Typed access to the children of one struct column of a checkpoint.
struct StructColumnView {
    let column: Column
    let children: [String: Column]

    init?(_ column: Column) {
        guard case let .structure(fields) = column.type, case let .structure(columns) = column.storage,
              fields.count == columns.count else { return nil }
        var children: [String: Column] = [:]
        for (f, c) in zip(fields, columns) { children[f.name] = c }
        self.column = column
        self.children = children
    }

    func child(_ name: String) -> StructColumnView? { children[name].flatMap(StructColumnView.init) }

    func isNull(_ row: Int) -> Bool { column.isNull(row) }

    func string(_ name: String, _ row: Int) -> String? {
        guard let c = children[name], row < c.count, !c.isNull(row) else { return nil }
        return c.string(at: row)
    }

    func int64(_ name: String, _ row: Int) -> Int64? {
        guard let c = children[name], row < c.count, !c.isNull(row) else { return nil }
        switch c.storage {
        case let .int64(v): return v[row]
        case let .int32(v): return Int64(v[row])
        case let .int16(v): return Int64(v[row])
        case let .int8(v): return Int64(v[row])
        default: return nil
        }
    }

    func bool(_ name: String, _ row: Int) -> Bool? {
        guard let c = children[name], row < c.count, !c.isNull(row), case let .boolean(bits) = c.storage else { return nil }
        return bits[row]
    }

    /// Entries of a `map<string,string>` child; nil when the map is null or malformed.
    func stringMap(_ name: String, _ row: Int) -> [String: String?]? {
        guard let c = children[name], row < c.count, !c.isNull(row), case let .map(offsets, keys, values) = c.storage,
              row + 1 < offsets.count else { return nil }
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        guard start >= 0, start <= end, end <= keys.count, end <= values.count else { return nil }
        var out: [String: String?] = [:]
        out.reserveCapacity(end - start)
        for i in start..<end {
            guard let key = keys.string(at: i) else { continue }
            out[key] = .some(values.string(at: i))
        }
        return out
    }

    func stringList(_ name: String, _ row: Int) -> [String]? {
        guard let c = children[name], row < c.count, !c.isNull(row), case let .list(offsets, values) = c.storage,
              row + 1 < offsets.count else { return nil }
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        guard start >= 0, start <= end, end <= values.count else { return nil }
        return (start..<end).compactMap { values.string(at: $0) }
    }
}

enum CheckpointRowReader {
    struct Missing: Error {
        var field: String
    }

    static func required<T>(_ value: T?, _ field: String) throws(Missing) -> T {
        guard let value else { throw Missing(field: field) }
        return value
    }

    static func deletionVector(_ view: StructColumnView?, _ row: Int) throws(Missing) -> DeletionVectorDescriptor? {
        guard let view, row < view.column.count, !view.isNull(row) else { return nil }
        return DeletionVectorDescriptor(
            storageType: try required(view.string(ActionKey.storageType, row), "deletionVector.storageType"),
            pathOrInlineDv: try required(view.string(ActionKey.pathOrInlineDv, row), "deletionVector.pathOrInlineDv"),
            offset: view.int64(ActionKey.offset, row),
            sizeInBytes: try required(view.int64(ActionKey.sizeInBytes, row), "deletionVector.sizeInBytes"),
            cardinality: try required(view.int64(ActionKey.cardinality, row), "deletionVector.cardinality"))
    }

    static func stringMapNonNull(_ map: [String: String?]?) -> [String: String]? {
        map.map { m in m.compactMapValues { $0 } }
    }

    /// Appends the actions of the non-null rows of column `name` to `actions`.
    static func read(column name: String, _ column: Column, into actions: inout [Action]) throws(Missing) {
        guard let v = StructColumnView(column) else { throw Missing(field: name + " (not a struct column)") }
        let rows = column.count
        switch name {
        case ActionKey.add:
            let dv = v.child(ActionKey.deletionVector)
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.add(AddFile(
                    path: try required(v.string(ActionKey.path, row), "add.path"),
                    partitionValues: v.stringMap(ActionKey.partitionValues, row) ?? [:],
                    size: try required(v.int64(ActionKey.size, row), "add.size"),
                    modificationTime: v.int64(ActionKey.modificationTime, row) ?? 0,
                    dataChange: v.bool(ActionKey.dataChange, row) ?? false,
                    stats: v.string(ActionKey.stats, row),
                    tags: stringMapNonNull(v.stringMap(ActionKey.tags, row)),
                    deletionVector: try deletionVector(dv, row),
                    baseRowId: v.int64(ActionKey.baseRowId, row),
                    defaultRowCommitVersion: v.int64(ActionKey.defaultRowCommitVersion, row),
                    clusteringProvider: v.string(ActionKey.clusteringProvider, row))))
            }
        case ActionKey.remove:
            let dv = v.child(ActionKey.deletionVector)
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.remove(RemoveFile(
                    path: try required(v.string(ActionKey.path, row), "remove.path"),
                    deletionTimestamp: v.int64(ActionKey.deletionTimestamp, row),
                    dataChange: v.bool(ActionKey.dataChange, row) ?? false,
                    extendedFileMetadata: v.bool(ActionKey.extendedFileMetadata, row),
                    partitionValues: v.stringMap(ActionKey.partitionValues, row),
                    size: v.int64(ActionKey.size, row),
                    stats: v.string(ActionKey.stats, row),
                    tags: stringMapNonNull(v.stringMap(ActionKey.tags, row)),
                    deletionVector: try deletionVector(dv, row),
                    baseRowId: v.int64(ActionKey.baseRowId, row),
                    defaultRowCommitVersion: v.int64(ActionKey.defaultRowCommitVersion, row))))
            }
        case ActionKey.metaData:
            let format = v.child(ActionKey.format)
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.metadata(Metadata(
                    id: try required(v.string(ActionKey.id, row), "metaData.id"),
                    name: v.string(ActionKey.name, row),
                    description: v.string(ActionKey.description, row),
                    formatProvider: format?.string(ActionKey.provider, row) ?? "parquet",
                    formatOptions: stringMapNonNull(format?.stringMap(ActionKey.options, row)) ?? [:],
                    schemaString: try required(v.string(ActionKey.schemaString, row), "metaData.schemaString"),
                    partitionColumns: v.stringList(ActionKey.partitionColumns, row) ?? [],
                    configuration: stringMapNonNull(v.stringMap(ActionKey.configuration, row)) ?? [:],
                    createdTime: v.int64(ActionKey.createdTime, row))))
            }
        case ActionKey.protocol:
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.tableProtocol(TableProtocol(
                    minReaderVersion: Int(try required(v.int64(ActionKey.minReaderVersion, row), "protocol.minReaderVersion")),
                    minWriterVersion: Int(try required(v.int64(ActionKey.minWriterVersion, row), "protocol.minWriterVersion")),
                    readerFeatures: v.stringList(ActionKey.readerFeatures, row),
                    writerFeatures: v.stringList(ActionKey.writerFeatures, row))))
            }
        case ActionKey.txn:
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.txn(SetTransaction(
                    appId: try required(v.string(ActionKey.appId, row), "txn.appId"),
                    version: try required(v.int64(ActionKey.version, row), "txn.version"),
                    lastUpdated: v.int64(ActionKey.lastUpdated, row))))
            }
        case ActionKey.domainMetadata:
            for row in 0..<rows where !v.isNull(row) {
                actions.append(.domainMetadata(DomainMetadata(
                    domain: try required(v.string(ActionKey.domain, row), "domainMetadata.domain"),
                    configuration: v.string(ActionKey.configuration, row) ?? "",
                    removed: v.bool(ActionKey.removed, row) ?? false)))
            }
        default:
            return
        }
    }
}
