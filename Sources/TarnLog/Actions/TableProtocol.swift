// TableProtocol: the `protocol` action — reader/writer versions and table features.
// Owns its JSON form and feature queries; must never decide what Tarn supports
// (that is `ProtocolSupport`).

/// The `protocol` action: the versions and features a client needs to read/write the table.
public struct TableProtocol: Sendable, Hashable {
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    /// Present only with reader version 3.
    public var readerFeatures: [String]?
    /// Present only with writer version 7.
    public var writerFeatures: [String]?

    public init(minReaderVersion: Int, minWriterVersion: Int, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil) {
        self.minReaderVersion = minReaderVersion
        self.minWriterVersion = minWriterVersion
        self.readerFeatures = readerFeatures
        self.writerFeatures = writerFeatures
    }

    /// Whether `feature` is listed among reader features.
    public func hasReaderFeature(_ feature: String) -> Bool { readerFeatures?.contains(feature) ?? false }
    /// Whether `feature` is listed among writer features.
    public func hasWriterFeature(_ feature: String) -> Bool { writerFeatures?.contains(feature) ?? false }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        minReaderVersion = Int(try f.int64(ActionKey.minReaderVersion))
        minWriterVersion = Int(try f.int64(ActionKey.minWriterVersion))
        readerFeatures = try f.stringArray(ActionKey.readerFeatures)
        writerFeatures = try f.stringArray(ActionKey.writerFeatures)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.minReaderVersion, Int64(minReaderVersion))
        b.add(ActionKey.minWriterVersion, Int64(minWriterVersion))
        b.add(ActionKey.readerFeatures, readerFeatures)
        b.add(ActionKey.writerFeatures, writerFeatures)
        return b.value
    }
}
