// Snapshot: an immutable view of a table at one version — protocol, metadata, schema,
// live files, txn versions, commit timestamps — plus file skipping over its files.
// Owns answering questions about one version; must never do IO.
import TarnColumnar

/// The state of a table at one version.
public struct Snapshot: Sendable {
    public let tablePath: String
    public let version: Int64
    public let tableProtocol: TableProtocol
    public let metadata: Metadata
    public let schema: Schema
    /// The reconciled log state this snapshot was built from.
    public let state: TableState
    /// Live data files sorted by path, computed on first use (commits that never look at
    /// the files do not pay for the sort).
    public var files: [AddFile] {
        sortedFiles.withLock { cached in
            if let cached { return cached }
            var files = Array(state.files.values)
            files.sort { $0.path < $1.path }
            cached = files
            return files
        }
    }
    private let sortedFiles = LogLock<[AddFile]?>(nil)

    /// Builds a snapshot from replayed state.
    /// - Throws: `.corrupt` when the state has no protocol or metadata; `.unsupportedFeature`
    ///   when Tarn cannot read the table; schema errors.
    public init(tablePath: String, state: TableState) throws(LogError) {
        guard let p = state.tableProtocol else {
            throw LogError.corrupt(path: tablePath + "/_delta_log", version: state.version, line: nil, detail: "no protocol action up to this version")
        }
        guard let m = state.metadata else {
            throw LogError.corrupt(path: tablePath + "/_delta_log", version: state.version, line: nil, detail: "no metaData action up to this version")
        }
        let hasDV = state.files.values.contains { $0.deletionVector != nil }
        try ProtocolSupport.checkRead(p, metadata: m, anyFileHasDeletionVector: hasDV, tablePath: tablePath)
        self.tablePath = tablePath
        self.version = state.version
        self.tableProtocol = p
        self.metadata = m
        self.schema = try m.schema()
        self.state = state
    }

    public var partitionColumns: [String] { metadata.partitionColumns }
    public var configuration: [String: String] { metadata.configuration }

    /// `delta.checkpointInterval` (default 10).
    public var checkpointInterval: Int {
        metadata.configuration[TableProperty.checkpointInterval].flatMap(Int.init).map { max(1, $0) } ?? 10
    }

    /// `delta.dataSkippingNumIndexedCols` (default 32; -1 means all).
    public var indexedColumnCount: Int {
        metadata.configuration[TableProperty.dataSkippingNumIndexedCols].flatMap(Int.init) ?? FileStatistics.defaultIndexedColumns
    }

    /// The schema of the data columns (partition columns removed): what data files hold
    /// and what stats describe.
    public var dataSchema: Schema {
        let partitions = Set(partitionColumns)
        return Schema(schema.fields.filter { !partitions.contains($0.name) }, metadata: schema.metadata)
    }

    /// The last version committed by application `appId`, if any.
    public func transactionVersion(appId: String) -> Int64? { state.transactions[appId]?.version }

    public var transactions: [String: SetTransaction] { state.transactions }
    public var domainMetadata: [String: DomainMetadata] { state.domainMetadata }
    public var tombstones: [RemoveFile] { Array(state.tombstones.values) }

    /// Total bytes of live files.
    public var sizeInBytes: Int64 { state.files.values.reduce(0) { $0 + $1.size } }

    /// Number of live data files.
    public var fileCount: Int { state.files.count }

    /// The commit time (ms) of this version when it was replayed from a commit file.
    public var commitTime: Int64? { state.commitTime(of: version) }

    /// Files that may hold rows matching `predicate`: pruned by partition values and by
    /// min/max/null-count statistics (never pruned when a file's stats are unknown).
    public func files(matching predicate: Predicate?) -> [AddFile] {
        guard let predicate else { return files }
        let skipping = FileSkipping(schema: schema, partitionColumns: partitionColumns)
        return files.filter { skipping.mayMatch(predicate, add: $0) }
    }
}

/// Evaluates predicates against one file's partition values and statistics.
public struct FileSkipping: Sendable {
    public let schema: Schema
    public let partitionColumns: [String]
    let partitionTypes: [String: DataType]
    let dataSchema: Schema

    public init(schema: Schema, partitionColumns: [String]) {
        self.schema = schema
        self.partitionColumns = partitionColumns
        var types: [String: DataType] = [:]
        for c in partitionColumns { if let f = schema.field(named: c) { types[c] = f.type } }
        partitionTypes = types
        let set = Set(partitionColumns)
        dataSchema = Schema(schema.fields.filter { !set.contains($0.name) })
    }

    /// Whether rows of a file with `partitionValues` and `stats` may match `predicate`.
    public func mayMatch(_ predicate: Predicate, partitionValues: [String: String?]?, stats: String?) -> Bool {
        let parsed = stats.flatMap { FileStatistics.parse($0, schema: dataSchema) }
        return predicate.mayMatch { column in
            if let type = partitionTypes[column] {
                guard let values = partitionValues else { return nil }
                let text: String? = values[column] ?? nil
                guard let value = try? PartitionValues.parse(text, type: type, column: column) else { return nil }
                if value == .null { return ColumnBounds(min: nil, max: nil, nullCount: 1, rowCount: 1) }
                return ColumnBounds(min: value, max: value, nullCount: 0, rowCount: 1)
            }
            return parsed?.bounds(column)
        }
    }

    public func mayMatch(_ predicate: Predicate, add: AddFile) -> Bool {
        mayMatch(predicate, partitionValues: add.partitionValues, stats: add.stats)
    }
}
