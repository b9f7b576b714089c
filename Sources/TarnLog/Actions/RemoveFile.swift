// RemoveFile: the `remove` action — a file logically deleted from the table (a tombstone).
// Owns its JSON form; must never delete anything from storage (that is vacuum's job).

/// The `remove` action.
public struct RemoveFile: Sendable, Hashable {
    public var path: String
    /// Milliseconds since the epoch.
    public var deletionTimestamp: Int64?
    public var dataChange: Bool
    public var extendedFileMetadata: Bool?
    public var partitionValues: [String: String?]?
    public var size: Int64?
    public var stats: String?
    public var tags: [String: String]?
    public var deletionVector: DeletionVectorDescriptor?
    public var baseRowId: Int64?
    public var defaultRowCommitVersion: Int64?

    public init(path: String, deletionTimestamp: Int64?, dataChange: Bool = true, extendedFileMetadata: Bool? = nil,
                partitionValues: [String: String?]? = nil, size: Int64? = nil, stats: String? = nil,
                tags: [String: String]? = nil, deletionVector: DeletionVectorDescriptor? = nil,
                baseRowId: Int64? = nil, defaultRowCommitVersion: Int64? = nil) {
        self.path = path
        self.deletionTimestamp = deletionTimestamp
        self.dataChange = dataChange
        self.extendedFileMetadata = extendedFileMetadata
        self.partitionValues = partitionValues
        self.size = size
        self.stats = stats
        self.tags = tags
        self.deletionVector = deletionVector
        self.baseRowId = baseRowId
        self.defaultRowCommitVersion = defaultRowCommitVersion
    }

    public var key: FileKey { FileKey(path: path, deletionVectorId: deletionVector?.uniqueId) }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        path = try f.string(ActionKey.path)
        deletionTimestamp = try f.optionalInt64(ActionKey.deletionTimestamp)
        dataChange = try f.bool(ActionKey.dataChange, default: true)
        extendedFileMetadata = try f.optionalBool(ActionKey.extendedFileMetadata)
        partitionValues = try f.nullableStringMap(ActionKey.partitionValues)
        size = try f.optionalInt64(ActionKey.size)
        stats = try f.optionalString(ActionKey.stats)
        tags = try f.stringMap(ActionKey.tags)
        if let dv = f.present(ActionKey.deletionVector) {
            deletionVector = try DeletionVectorDescriptor(fields: ActionFields("remove.deletionVector", dv))
        } else {
            deletionVector = nil
        }
        baseRowId = try f.optionalInt64(ActionKey.baseRowId)
        defaultRowCommitVersion = try f.optionalInt64(ActionKey.defaultRowCommitVersion)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.path, path)
        b.add(ActionKey.deletionTimestamp, deletionTimestamp)
        b.add(ActionKey.dataChange, dataChange)
        b.add(ActionKey.extendedFileMetadata, extendedFileMetadata)
        b.add(ActionKey.partitionValues, nullable: partitionValues)
        b.add(ActionKey.size, size)
        b.add(ActionKey.stats, stats)
        b.add(ActionKey.tags, tags)
        if let deletionVector { b.add(ActionKey.deletionVector, deletionVector.json) }
        b.add(ActionKey.baseRowId, baseRowId)
        b.add(ActionKey.defaultRowCommitVersion, defaultRowCommitVersion)
        return b.value
    }
}
