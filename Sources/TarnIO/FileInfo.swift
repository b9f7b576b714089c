// FileInfo: what a FileStore reports about one file without reading it.
// Owns the value only; must never hold a handle or touch storage.

/// The size and modification time of one file in a store.
public struct FileInfo: Sendable, Hashable, CustomStringConvertible {
    /// Store-relative path, the same form the caller passes in (`dir/name`).
    public var path: String
    /// Size in bytes.
    public var size: Int
    /// Last modification time in milliseconds since the Unix epoch (Delta's
    /// `add.modificationTime` unit).
    public var modificationTime: Int64

    public init(path: String, size: Int, modificationTime: Int64) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
    }

    public var description: String { "\(path) (\(size) bytes, modified \(modificationTime) ms)" }
}

/// How a streaming writer publishes its file when it finishes.
public enum WriteMode: Sendable, Hashable {
    /// Like `FileStore.putIfAbsent`: `finish()` throws `.alreadyExists` if the file exists.
    case createNew
    /// Like `FileStore.put`: `finish()` replaces any existing file atomically.
    case replace
}
