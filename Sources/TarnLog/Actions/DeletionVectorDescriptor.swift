// DeletionVectorDescriptor: the `deletionVector` field of add/remove.
// Owns parsing and the unique id used as part of a file's replay key; must never read
// deletion vector bytes (Tarn refuses tables that need them).

/// Where the deletion vector of a data file lives.
public struct DeletionVectorDescriptor: Sendable, Hashable {
    /// `u` (relative path with random prefix), `i` (inline) or `p` (absolute path).
    public var storageType: String
    public var pathOrInlineDv: String
    public var offset: Int64?
    public var sizeInBytes: Int64
    public var cardinality: Int64

    public init(storageType: String, pathOrInlineDv: String, offset: Int64?, sizeInBytes: Int64, cardinality: Int64) {
        self.storageType = storageType
        self.pathOrInlineDv = pathOrInlineDv
        self.offset = offset
        self.sizeInBytes = sizeInBytes
        self.cardinality = cardinality
    }

    /// The spec's unique id: storage type + path or inline data, plus `@offset` when present.
    public var uniqueId: String {
        let base = storageType + pathOrInlineDv
        if let offset { return base + "@" + String(offset) }
        return base
    }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        storageType = try f.string(ActionKey.storageType)
        pathOrInlineDv = try f.string(ActionKey.pathOrInlineDv)
        offset = try f.optionalInt64(ActionKey.offset)
        sizeInBytes = try f.int64(ActionKey.sizeInBytes)
        cardinality = try f.int64(ActionKey.cardinality)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.storageType, storageType)
        b.add(ActionKey.pathOrInlineDv, pathOrInlineDv)
        b.add(ActionKey.offset, offset)
        b.add(ActionKey.sizeInBytes, sizeInBytes)
        b.add(ActionKey.cardinality, cardinality)
        return b.value
    }
}
