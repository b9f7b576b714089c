// AddFile: the `add` action — a data file that is part of the table.
// Owns its JSON form, path encoding and replay key; must never parse stats eagerly
// (see `FileStatistics`).

/// The identity of a logical file in log replay: its path plus deletion vector id.
public struct FileKey: Sendable, Hashable {
    public var path: String
    public var deletionVectorId: String?
    public init(path: String, deletionVectorId: String? = nil) {
        self.path = path
        self.deletionVectorId = deletionVectorId
    }
}

/// The `add` action.
public struct AddFile: Sendable, Hashable {
    /// The path as written in the log: relative to the table root (or an absolute URI),
    /// percent-encoded as an RFC 2396 URI. See `decodedPath` and `encodePath(_:)`.
    public var path: String
    /// Partition column name to serialized value; nil is a null partition value.
    public var partitionValues: [String: String?]
    public var size: Int64
    /// Milliseconds since the epoch.
    public var modificationTime: Int64
    public var dataChange: Bool
    /// The statistics JSON (see `FileStatistics`).
    public var stats: String?
    public var tags: [String: String]?
    public var deletionVector: DeletionVectorDescriptor?
    public var baseRowId: Int64?
    public var defaultRowCommitVersion: Int64?
    public var clusteringProvider: String?

    public init(path: String, partitionValues: [String: String?] = [:], size: Int64, modificationTime: Int64,
                dataChange: Bool = true, stats: String? = nil, tags: [String: String]? = nil,
                deletionVector: DeletionVectorDescriptor? = nil, baseRowId: Int64? = nil,
                defaultRowCommitVersion: Int64? = nil, clusteringProvider: String? = nil) {
        self.path = path
        self.partitionValues = partitionValues
        self.size = size
        self.modificationTime = modificationTime
        self.dataChange = dataChange
        self.stats = stats
        self.tags = tags
        self.deletionVector = deletionVector
        self.baseRowId = baseRowId
        self.defaultRowCommitVersion = defaultRowCommitVersion
        self.clusteringProvider = clusteringProvider
    }

    public var key: FileKey { FileKey(path: path, deletionVectorId: deletionVector?.uniqueId) }

    /// The path with percent-escapes decoded (a relative store path or an absolute URI).
    public var decodedPath: String { PathEncoding.decode(path) }

    /// Percent-encodes a relative file path for the log (keeps `/`, `=` and unreserved characters).
    public static func encodePath(_ relativePath: String) -> String { PathEncoding.encode(relativePath) }

    /// A `remove` action that deletes this file at `deletionTimestamp` (ms).
    public func removal(deletionTimestamp: Int64, dataChange: Bool = true) -> RemoveFile {
        RemoveFile(path: path, deletionTimestamp: deletionTimestamp, dataChange: dataChange, extendedFileMetadata: true,
                   partitionValues: partitionValues, size: size, stats: stats, tags: tags, deletionVector: deletionVector,
                   baseRowId: baseRowId, defaultRowCommitVersion: defaultRowCommitVersion)
    }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        path = try f.string(ActionKey.path)
        partitionValues = try f.nullableStringMap(ActionKey.partitionValues) ?? [:]
        size = try f.int64(ActionKey.size)
        modificationTime = try f.optionalInt64(ActionKey.modificationTime) ?? 0
        dataChange = try f.bool(ActionKey.dataChange, default: true)
        stats = try f.optionalString(ActionKey.stats)
        tags = try f.stringMap(ActionKey.tags)
        if let dv = f.present(ActionKey.deletionVector) {
            deletionVector = try DeletionVectorDescriptor(fields: ActionFields("add.deletionVector", dv))
        } else {
            deletionVector = nil
        }
        baseRowId = try f.optionalInt64(ActionKey.baseRowId)
        defaultRowCommitVersion = try f.optionalInt64(ActionKey.defaultRowCommitVersion)
        clusteringProvider = try f.optionalString(ActionKey.clusteringProvider)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.path, path)
        b.add(ActionKey.partitionValues, nullable: partitionValues)
        b.add(ActionKey.size, size)
        b.add(ActionKey.modificationTime, modificationTime)
        b.add(ActionKey.dataChange, dataChange)
        b.add(ActionKey.stats, stats)
        b.add(ActionKey.tags, tags)
        if let deletionVector { b.add(ActionKey.deletionVector, deletionVector.json) }
        b.add(ActionKey.baseRowId, baseRowId)
        b.add(ActionKey.defaultRowCommitVersion, defaultRowCommitVersion)
        b.add(ActionKey.clusteringProvider, clusteringProvider)
        return b.value
    }
}

/// Percent-encoding of file paths in add/remove actions.
enum PathEncoding {
    static func isKept(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"),
             UInt8(ascii: "="): return true
        default: return false
        }
    }

    static func encode(_ s: String) -> String {
        if s.utf8.allSatisfy(isKept) { return s }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        for b in s.utf8 {
            if isKept(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
