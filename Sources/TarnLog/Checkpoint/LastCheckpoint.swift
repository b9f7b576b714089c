// LastCheckpoint: the `_delta_log/_last_checkpoint` hint (version, size, parts).
// Owns its JSON form; must never be trusted beyond a hint — readers verify by listing.

/// The content of `_last_checkpoint`.
public struct LastCheckpoint: Sendable, Hashable {
    public var version: Int64
    /// Number of actions in the checkpoint.
    public var size: Int64
    /// Number of parts of a multi-part checkpoint.
    public var parts: Int?
    public var sizeInBytes: Int64?
    public var numOfAddFiles: Int64?

    public init(version: Int64, size: Int64, parts: Int? = nil, sizeInBytes: Int64? = nil, numOfAddFiles: Int64? = nil) {
        self.version = version
        self.size = size
        self.parts = parts
        self.sizeInBytes = sizeInBytes
        self.numOfAddFiles = numOfAddFiles
    }

    /// Parses the file; nil when it is not a valid hint (a stale or torn hint is ignored).
    public static func parse(_ bytes: [UInt8]) -> LastCheckpoint? {
        guard let json = try? JSONParser.parse(bytes), let version = json["version"]?.int64Value, version >= 0 else { return nil }
        return LastCheckpoint(version: version, size: json["size"]?.int64Value ?? 0,
                              parts: json["parts"]?.int64Value.map { Int($0) },
                              sizeInBytes: json["sizeInBytes"]?.int64Value, numOfAddFiles: json["numOfAddFiles"]?.int64Value)
    }

    public var bytes: [UInt8] {
        var b = ActionObjectBuilder()
        b.add("version", version)
        b.add("size", size)
        b.add("parts", parts.map { Int64($0) })
        b.add("sizeInBytes", sizeInBytes)
        b.add("numOfAddFiles", numOfAddFiles)
        return JSONWriter.bytes(b.value)
    }
}
