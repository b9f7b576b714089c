// FileStore: the storage contract every Tarn layer above TarnIO relies on.
// Owns the obligations (atomic visibility, mutual exclusion on create, durability on
// return, sorted listing); must never carry table or Delta knowledge.

/// A tree of files under one root, addressed by store-relative paths (see `StoragePath`).
///
/// The Delta log's correctness rests on three promises every implementation keeps:
/// - **Atomic visibility**: a file written by `put`, `putIfAbsent` or a finished
///   `FileWriter` is seen complete or not at all; readers never see a partial file.
/// - **Mutual exclusion on create**: of several concurrent `putIfAbsent` calls for one
///   path (threads or processes), exactly one succeeds; every other throws `.alreadyExists`.
/// - **Durable on return**: when a mutating method returns, its effect survives a crash
///   or power loss (file data synced, then the directory entry synced). A method that
///   throws promises nothing: its effect may be absent, or visible but not yet durable.
///
/// Listings are consistent with completed writes: once a write has returned, every later
/// `list` on any instance sharing the storage includes the file.
///
/// Every method validates its paths first and throws `.invalidPath` for a bad one
/// without touching storage. Methods are synchronous and thread-safe; callers that want
/// parallelism call them from several threads. Temporary files a store creates while
/// writing (names starting with `StoragePath.temporaryPrefix`) are never listed.
public protocol FileStore: Sendable {
    /// Files directly in directory `prefix` (or anywhere below it if `recursive`),
    /// sorted by the UTF-8 bytes of their paths (`StoragePath.precedes`), keeping only
    /// paths that sort strictly after `after` when it is given.
    ///
    /// `prefix` is a directory path (`""` for the root, a trailing '/' is accepted).
    /// A missing directory lists as empty. Subdirectories are not returned (see
    /// `listDirectories`). Returned paths include the prefix: listing `t/_delta_log`
    /// returns `t/_delta_log/00000000000000000000.json`, ...
    /// Cost: one directory read per directory visited, one metadata call per entry.
    /// - Throws: `.invalidPath` if `prefix` is invalid or names a file; `.io` on OS failure.
    func list(prefix: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo]

    /// Paths of the directories directly inside `prefix` (`""` for the root), sorted by
    /// UTF-8 bytes. A missing directory lists as empty.
    /// - Throws: `.invalidPath` if `prefix` is invalid or names a file; `.io` on OS failure.
    func listDirectories(prefix: String) throws(StorageError) -> [String]

    /// The whole content of the file at `path`.
    /// - Throws: `.notFound` if there is no such file; `.invalidPath` if `path` names a
    ///   directory; `.corrupt` if the file changed size while being read; `.io` on OS failure.
    func read(_ path: String) throws(StorageError) -> [UInt8]

    /// Exactly the bytes `range` of the file at `path` (for Parquet footers and column
    /// chunks). An empty range inside the file returns no bytes.
    /// - Throws: `.rangeOutOfBounds` if the range starts below 0 or ends past the end of
    ///   the file (never a silently short result); otherwise as `read(_:)`.
    func read(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8]

    /// Size and modification time of the file at `path`.
    /// - Throws: `.notFound` if there is no such file; `.invalidPath` if it is a directory.
    func head(_ path: String) throws(StorageError) -> FileInfo

    /// Whether a file (not a directory) exists at `path`.
    /// - Throws: `.invalidPath` for a bad path; `.io` on OS failure (never `.notFound`).
    func exists(_ path: String) throws(StorageError) -> Bool

    /// Creates the file at `path` with `bytes` only if no file exists there, atomically:
    /// of concurrent callers exactly one wins. Missing parent directories are created.
    /// When it returns the file is complete, visible and durable.
    /// - Throws: `.alreadyExists` if a file (or directory) is already at `path`: another
    ///   writer won and nothing of this call is visible. `.invalidPath` if a parent is a
    ///   file; `.io` on OS failure (then nothing of this call is durable).
    func putIfAbsent(_ path: String, _ bytes: [UInt8]) throws(StorageError)

    /// Writes `bytes` to `path`, atomically replacing any existing file (readers see the
    /// old or the new content, never a mix). Missing parent directories are created.
    /// When it returns the new content is durable.
    /// - Throws: `.invalidPath` if `path` is a directory or a parent is a file; `.io` on OS failure.
    func put(_ path: String, _ bytes: [UInt8]) throws(StorageError)

    /// The file at `path` opened for repeated ranged reads, all of which see the content
    /// it had when opened. Cheaper than `read(_:range:)` per range (one open, one stat).
    /// - Throws: as `read(_:)`.
    func openReader(_ path: String) throws(StorageError) -> any FileReader

    /// A writer that streams a file to `path` and publishes it, atomically and durably,
    /// when `finish()` returns (with `mode`'s semantics). Until then nothing is visible.
    /// For data files too large to hold in memory; one thread uses a writer at a time.
    /// - Throws: `.invalidPath`, `.io` (publication errors come from `finish()`).
    func openWriter(_ path: String, mode: WriteMode) throws(StorageError) -> any FileWriter

    /// Removes the file at `path`; removing a missing file is not an error (idempotent).
    /// When it returns the removal is durable.
    /// - Throws: `.invalidPath` if `path` names a directory; `.io` on OS failure.
    func delete(_ path: String) throws(StorageError)

    /// Creates the directory `path` and any missing parents; an existing directory is
    /// not an error. When it returns the directories are durable.
    /// - Throws: `.invalidPath` if `path` or a parent is a file; `.io` on OS failure.
    func createDirectory(_ path: String) throws(StorageError)

    /// Removes the directory `path`. A missing directory is not an error. With
    /// `recursively`, everything inside is removed first (symbolic links are removed,
    /// never followed). When it returns the removal is durable.
    /// - Throws: `.directoryNotEmpty` if not `recursively` and it has entries;
    ///   `.invalidPath` if `path` is the root or names a file; `.io` on OS failure.
    func deleteDirectory(_ path: String, recursively: Bool) throws(StorageError)
}

extension FileStore {
    /// Files directly in `prefix`, sorted by path bytes, after `after` if given.
    public func list(prefix: String, after: String? = nil) throws(StorageError) -> [FileInfo] {
        try list(prefix: prefix, after: after, recursive: false)
    }

    /// Files in `prefix` (and below it if `recursive`), sorted by path bytes.
    public func list(prefix: String, recursive: Bool) throws(StorageError) -> [FileInfo] {
        try list(prefix: prefix, after: nil, recursive: recursive)
    }

    /// Default: reads the whole file once and serves ranges from memory.
    public func openReader(_ path: String) throws(StorageError) -> any FileReader {
        BytesFileReader(path: path, bytes: try read(path))
    }

    /// Default: a writer that buffers in memory and calls `put`/`putIfAbsent` in `finish()`.
    public func openWriter(_ path: String, mode: WriteMode) throws(StorageError) -> any FileWriter {
        try StoragePath.validateFile(path)
        return BufferingFileWriter(store: self, path: path, mode: mode)
    }

    /// The whole file at `path`, or nil if there is no file there (for files whose
    /// absence is normal, such as `_last_checkpoint`).
    /// - Throws: as `read(_:)`, except that a missing file is nil rather than `.notFound`.
    public func readIfExists(_ path: String) throws(StorageError) -> [UInt8]? {
        do {
            return try read(path)
        } catch .notFound {
            return nil
        }
    }

    /// Default: `head`, mapping "no such file" and "is a directory" to `false`.
    public func exists(_ path: String) throws(StorageError) -> Bool {
        try StoragePath.validateFile(path)
        do {
            _ = try head(path)
            return true
        } catch .notFound, .invalidPath {
            return false
        }
    }
}
