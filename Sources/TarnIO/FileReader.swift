// FileReader: an open file for repeated ranged reads (Parquet footers, then column chunks).
// Owns the promise that every read sees the file as it was when opened; must never
// return fewer bytes than asked.

/// A file opened for reading. `size` is fixed at open time and every `read` sees the
/// content the file had then, even if the path is replaced or deleted meanwhile (as an
/// open POSIX descriptor does). Thread-safe: reads from many threads may overlap.
public protocol FileReader: Sendable {
    /// Store-relative path the file was opened at.
    var path: String { get }
    /// Size in bytes when the file was opened.
    var size: Int { get }
    /// Exactly the bytes `range` of the file.
    /// - Throws: `.rangeOutOfBounds` if `range` is not within `0..<size`; `.corrupt` if
    ///   the file turned out shorter; `.io` on OS failure.
    func read(_ range: Range<Int>) throws(StorageError) -> [UInt8]
}

/// A `FileReader` over bytes read at open time: the default for stores without file
/// handles (in memory, and object stores later, for small files).
public struct BytesFileReader: FileReader {
    public let path: String
    public let bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    public var size: Int { bytes.count }

    public func read(_ range: Range<Int>) throws(StorageError) -> [UInt8] {
        if range.lowerBound < 0 || range.upperBound > bytes.count {
            throw .rangeOutOfBounds(path: path, range: range, fileSize: bytes.count)
        }
        if range.count == bytes.count { return bytes }
        return Array(bytes[range])
    }
}
