// StorageError: the one error type of TarnIO.
// Owns what a storage failure says: which path, which operation, the OS reason and a remedy.
// Must never wrap another library's error type; an OS error is kept as its errno and text.

/// An error from a `FileStore`.
///
/// Every case carries the store-relative path it concerns. Callers branch on the case
/// (`.alreadyExists` is how a lost put-if-absent race is reported); people read
/// `description`, which says what failed, where, and what to do about it.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at `path` (or, for `list`, a path component is missing where one is required).
    case notFound(path: String)
    /// `putIfAbsent` lost: a file already exists at `path` (another writer won).
    case alreadyExists(path: String)
    /// The path is not a valid store key, or names the wrong kind of entry
    /// (a directory where a file is needed, a file where a directory is needed).
    case invalidPath(path: String, reason: String)
    /// A ranged read asked for bytes outside the file.
    case rangeOutOfBounds(path: String, range: Range<Int>, fileSize: Int)
    /// `deleteDirectory(recursively: false)` on a directory that still has entries.
    case directoryNotEmpty(path: String)
    /// The operating system refused or failed an operation. `errno` is the POSIX error
    /// number when there is one (0 otherwise); `detail` is its text or an explanation.
    case io(path: String, operation: String, errno: Int32, detail: String)
    /// The bytes on disk disagree with what the file system reported (for example the
    /// file shrank while it was being read).
    case corrupt(path: String, detail: String)

    /// The store-relative path the error concerns.
    public var path: String {
        switch self {
        case .notFound(let path), .alreadyExists(let path), .directoryNotEmpty(let path):
            return path
        case .invalidPath(let path, _), .rangeOutOfBounds(let path, _, _),
             .io(let path, _, _, _), .corrupt(let path, _):
            return path
        }
    }

    public var description: String {
        let shown = path.isEmpty ? "<store root>" : "'\(path)'"
        switch self {
        case .notFound:
            return "no file at \(shown); check the path, or whether another writer removed it"
        case .alreadyExists:
            return "a file already exists at \(shown) (another writer created it first); "
                + "re-read the current state and retry with a new path or version"
        case .invalidPath(_, let reason):
            return "invalid storage path \(shown): \(reason)"
        case .rangeOutOfBounds(_, let range, let fileSize):
            return "read of bytes \(range.lowerBound)..<\(range.upperBound) from \(shown) is outside the file "
                + "(\(fileSize) bytes); the file is truncated or the offset is wrong"
        case .directoryNotEmpty:
            return "directory \(shown) is not empty; delete its entries first or delete recursively"
        case .io(_, let operation, let errno, let detail):
            let code = errno == 0 ? "" : " (errno \(errno))"
            return "\(operation) failed for \(shown): \(detail)\(code); "
                + "check permissions, free space and that the storage root is mounted"
        case .corrupt(_, let detail):
            return "file \(shown) is inconsistent: \(detail); another process may be rewriting it, retry the read"
        }
    }
}
