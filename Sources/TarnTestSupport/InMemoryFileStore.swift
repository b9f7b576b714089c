// InMemoryFileStore: a FileStore held in memory, for fast tests of the layers above TarnIO.
// Owns nothing but a locked MemoryFileTree; keeps every FileStore promise within one
// process (there is nothing to make durable). Must never touch the disk.

import TarnIO

/// A thread-safe `FileStore` in memory, with the same paths, errors and ordering as
/// `LocalFileStore`. Every operation is atomic (one lock), so put-if-absent races have
/// exactly one winner. Instances do not share state; share the instance instead.
public final class InMemoryFileStore: FileStore {
    private let tree = Locked(MemoryFileTree())

    public init() {}

    public func list(prefix: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        return try tree.withLock { (tree) throws(StorageError) in
            try tree.list(directory: directory, after: after, recursive: recursive)
        }
    }

    public func listDirectories(prefix: String) throws(StorageError) -> [String] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        return try tree.withLock { (tree) throws(StorageError) in try tree.listDirectories(directory: directory) }
    }

    public func read(_ path: String) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        return try tree.withLock { (tree) throws(StorageError) in try tree.read(path, range: nil) }
    }

    public func read(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        return try tree.withLock { (tree) throws(StorageError) in try tree.read(path, range: range) }
    }

    public func head(_ path: String) throws(StorageError) -> FileInfo {
        try StoragePath.validateFile(path)
        return try tree.withLock { (tree) throws(StorageError) in try tree.info(at: path) }
    }

    public func putIfAbsent(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        try tree.withLock { (tree) throws(StorageError) in
            try tree.checkCanCreate(path)
            tree.setFile(path, .init(bytes: bytes, modificationTime: MemoryFileTree.now()))
        }
    }

    public func put(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        try tree.withLock { (tree) throws(StorageError) in
            try tree.checkCanReplace(path)
            tree.setFile(path, .init(bytes: bytes, modificationTime: MemoryFileTree.now()))
        }
    }

    public func delete(_ path: String) throws(StorageError) {
        try StoragePath.validateFile(path)
        try tree.withLock { (tree) throws(StorageError) in
            if try tree.checkDelete(path) { tree.removeFile(path) }
        }
    }

    public func createDirectory(_ path: String) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        try tree.withLock { (tree) throws(StorageError) in
            try tree.checkCreateDirectory(directory)
            tree.addDirectoryChain(directory)
        }
    }

    public func deleteDirectory(_ path: String, recursively: Bool) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        try tree.withLock { (tree) throws(StorageError) in
            if try tree.checkDeleteDirectory(directory, recursively: recursively) {
                tree.removeDirectoryTree(directory)
            }
        }
    }
}
