// FileWriter: a handle that streams one file into a FileStore and publishes it at the end.
// Owns the append/finish/abort lifecycle; must never make a partial file visible.

/// A file being written. Bytes appended are invisible to readers until `finish()`
/// returns, which publishes the file atomically and durably (per the `WriteMode` it was
/// opened with). Used by one thread at a time; not `Sendable`.
///
/// A writer that is dropped without `finish()` is aborted: its temporary data is removed.
public protocol FileWriter: AnyObject {
    /// Store-relative path the file will be published at.
    var path: String { get }
    /// Bytes appended so far.
    var bytesWritten: Int { get }
    /// Appends `bytes` to the file.
    /// - Throws: `.io` on OS failure; `.invalidPath` after `finish()` or `abort()`.
    func append(_ bytes: [UInt8]) throws(StorageError)
    /// Makes the file durable and visible at `path`.
    /// - Throws: `.alreadyExists` for `.createNew` when a file exists there (nothing of
    ///   this writer is visible then); `.io` on OS failure; `.invalidPath` if already finished.
    func finish() throws(StorageError)
    /// Discards everything written; nothing becomes visible. Safe to call more than once.
    func abort()
}

/// The default `FileWriter`: collects bytes in memory and publishes with one `put` or
/// `putIfAbsent`. Right for in-memory stores and small files.
public final class BufferingFileWriter: FileWriter {
    public let path: String
    public let mode: WriteMode
    private let store: any FileStore
    private var buffer: [UInt8] = []
    private var closed = false

    public init(store: any FileStore, path: String, mode: WriteMode) {
        self.store = store
        self.path = path
        self.mode = mode
    }

    public var bytesWritten: Int { buffer.count }

    public func append(_ bytes: [UInt8]) throws(StorageError) {
        if closed { throw .invalidPath(path: path, reason: "the writer is already finished or aborted") }
        buffer.append(contentsOf: bytes)
    }

    public func finish() throws(StorageError) {
        if closed { throw .invalidPath(path: path, reason: "the writer is already finished or aborted") }
        closed = true
        let bytes = buffer
        buffer = []
        switch mode {
        case .createNew: try store.putIfAbsent(path, bytes)
        case .replace: try store.put(path, bytes)
        }
    }

    public func abort() {
        closed = true
        buffer = []
    }
}
