// CheckpointActions: `checkpointMetadata` and `sidecar`, the actions of v2 checkpoints.
// Owns recognising them so a v2 checkpoint is refused with a clear error; must never
// follow a sidecar (Tarn does not read v2 checkpoints).

/// The `checkpointMetadata` action (v2 checkpoints only).
public struct CheckpointMetadata: Sendable, Hashable {
    public var version: Int64
    public var tags: [String: String]?

    init(fields f: ActionFields) throws(ActionDecodeError) {
        version = try f.int64(ActionKey.version)
        tags = try f.stringMap(ActionKey.tags)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.version, version)
        b.add(ActionKey.tags, tags)
        return b.value
    }
}

/// The `sidecar` action (v2 checkpoints only).
public struct Sidecar: Sendable, Hashable {
    public var path: String
    public var sizeInBytes: Int64
    public var modificationTime: Int64
    public var tags: [String: String]?

    init(fields f: ActionFields) throws(ActionDecodeError) {
        path = try f.string(ActionKey.path)
        sizeInBytes = try f.int64(ActionKey.sizeInBytes)
        modificationTime = try f.int64(ActionKey.modificationTime)
        tags = try f.stringMap(ActionKey.tags)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.path, path)
        b.add(ActionKey.sizeInBytes, sizeInBytes)
        b.add(ActionKey.modificationTime, modificationTime)
        b.add(ActionKey.tags, tags)
        return b.value
    }
}
