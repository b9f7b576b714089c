// StoragePath: the rules for store keys, shared by every FileStore.
// Owns validation (no escape from the root, no control bytes, no reserved names),
// joining and the byte order listings use. Must never touch storage.

/// Store keys are relative, '/'-separated paths under a store's root, e.g.
/// `sales/orders/_delta_log/00000000000000000000.json`.
///
/// A valid file path is non-empty, has no leading or trailing '/', no empty segment,
/// no `.` or `..` segment, no NUL or other control character, no segment longer than
/// 255 bytes or starting with `temporaryPrefix`, and at most 4096 bytes in all.
/// A directory path follows the same rules, except that `""` names the root and one
/// trailing '/' is accepted and dropped.
public enum StoragePath {
    /// Name prefix of the temporary files stores write before publishing a file.
    /// No valid path has a segment starting with it, and listings never return one.
    public static let temporaryPrefix = ".tarn-tmp-"

    /// Longest accepted segment, in UTF-8 bytes (POSIX NAME_MAX on common file systems).
    public static let maximumSegmentLength = 255
    /// Longest accepted path, in UTF-8 bytes.
    public static let maximumPathLength = 4096

    /// Checks that `path` is a valid file key.
    /// - Throws: `.invalidPath` naming the first rule the path breaks.
    public static func validateFile(_ path: String) throws(StorageError) {
        if path.isEmpty {
            throw .invalidPath(path: path, reason: "the path is empty; name a file under the store root")
        }
        try validateSegments(Substring(path), original: path)
    }

    /// Checks that `path` is a valid directory key and returns it normalized:
    /// `""` for the root, otherwise without a trailing '/'.
    /// - Throws: `.invalidPath` naming the first rule the path breaks.
    public static func normalizedDirectory(_ path: String) throws(StorageError) -> String {
        if path.isEmpty { return "" }
        var trimmed = Substring(path)
        if trimmed.utf8.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty {
            throw .invalidPath(path: path, reason: "an absolute path; store paths are relative to the store root")
        }
        try validateSegments(trimmed, original: path)
        return String(trimmed)
    }

    /// `directory` and `name` joined with '/'; `name` alone when `directory` is the root.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }

    /// The directory containing `path` (`""` for a top-level entry).
    public static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// The last segment of `path`.
    public static func lastComponent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The order of every listing: by the UTF-8 bytes of the path (as object stores
    /// and Delta's zero-padded version numbers expect), not by Unicode collation.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func validateSegments(_ path: Substring, original: String) throws(StorageError) {
        let bytes = path.utf8
        if bytes.count > maximumPathLength {
            throw .invalidPath(path: original, reason: "longer than \(maximumPathLength) bytes")
        }
        if bytes.first == UInt8(ascii: "/") {
            throw .invalidPath(path: original, reason: "an absolute path; store paths are relative to the store root")
        }
        for byte in bytes where byte < 0x20 || byte == 0x7F {
            throw .invalidPath(
                path: original,
                reason: "contains the control character 0x\(String(byte, radix: 16)) (\(original.debugDescription)); names must be printable"
            )
        }
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if segment.isEmpty {
                throw .invalidPath(path: original, reason: "has an empty segment ('//' or a trailing '/')")
            }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) {
                throw .invalidPath(path: original, reason: "has a '.' or '..' segment; paths may not leave or alias the store root")
            }
            if segment.count > maximumSegmentLength {
                throw .invalidPath(path: original, reason: "has a segment longer than \(maximumSegmentLength) bytes")
            }
            if segment.starts(with: temporaryPrefix.utf8) {
                throw .invalidPath(path: original, reason: "a segment starts with '\(temporaryPrefix)', which stores reserve for temporary files")
            }
        }
    }
}
