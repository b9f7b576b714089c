// LocalFileReader: an open local file for ranged reads with pread.
// Owns one descriptor from open to deinit; must never read outside 0..<size.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `FileReader` holding an open descriptor. `pread` does not move a shared offset,
/// so concurrent reads from many threads are safe. The descriptor keeps the file's
/// content reachable even if its path is replaced or deleted.
final class LocalFileReader: FileReader {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(path: String, size: Int, descriptor: Int32) {
        self.path = path
        self.size = size
        self.descriptor = descriptor
    }

    deinit { _ = close(descriptor) }

    func read(_ range: Range<Int>) throws(StorageError) -> [UInt8] {
        if range.lowerBound < 0 || range.upperBound > size {
            throw .rangeOutOfBounds(path: path, range: range, fileSize: size)
        }
        return try LocalFileStore.readBytes(of: descriptor, path: path, range: range, fileSize: size)
    }
}
