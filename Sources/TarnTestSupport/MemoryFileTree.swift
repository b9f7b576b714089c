// MemoryFileTree: the in-memory model of a file tree behind the test FileStores.
// Owns the FileStore semantics (errors, sorting, implicit parents) as pure value
// operations, matching LocalFileStore case for case; must never lock or do IO.

import Foundation
import TarnIO

/// Files and directories as plain values. Paths are already validated by the caller.
struct MemoryFileTree: Sendable {
    struct StoredFile: Sendable, Equatable {
        var bytes: [UInt8]
        var modificationTime: Int64
    }

    private(set) var files: [String: StoredFile] = [:]
    /// Every directory, including the root `""`.
    private(set) var directories: Set<String> = [""]

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: Reading

    func file(at path: String) throws(StorageError) -> StoredFile {
        if let file = files[path] { return file }
        if directories.contains(path) { throw .invalidPath(path: path, reason: "names a directory, not a file") }
        throw .notFound(path: path)
    }

    func info(at path: String) throws(StorageError) -> FileInfo {
        let file = try file(at: path)
        return FileInfo(path: path, size: file.bytes.count, modificationTime: file.modificationTime)
    }

    func read(_ path: String, range: Range<Int>?) throws(StorageError) -> [UInt8] {
        let bytes = try file(at: path).bytes
        guard let range else { return bytes }
        if range.lowerBound < 0 || range.upperBound > bytes.count {
            throw .rangeOutOfBounds(path: path, range: range, fileSize: bytes.count)
        }
        return Array(bytes[range])
    }

    func list(directory: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo] {
        if files[directory] != nil { throw .invalidPath(path: directory, reason: "names a file, not a directory") }
        if !directories.contains(directory) { return [] }
        let prefix = directory.isEmpty ? "" : directory + "/"
        var found: [FileInfo] = []
        for (path, file) in files where path.hasPrefix(prefix) {
            if !recursive && StoragePath.parent(of: path) != directory { continue }
            if let after, !StoragePath.precedes(after, path) { continue }
            found.append(FileInfo(path: path, size: file.bytes.count, modificationTime: file.modificationTime))
        }
        found.sort { StoragePath.precedes($0.path, $1.path) }
        return found
    }

    func listDirectories(directory: String) throws(StorageError) -> [String] {
        if files[directory] != nil { throw .invalidPath(path: directory, reason: "names a file, not a directory") }
        return directories
            .filter { !$0.isEmpty && $0 != directory && StoragePath.parent(of: $0) == directory }
            .sorted(by: StoragePath.precedes)
    }

    // MARK: Checks before writing

    /// Throws unless every ancestor of `path` is a directory or missing.
    func checkParents(of path: String) throws(StorageError) {
        var ancestor = StoragePath.parent(of: path)
        while !ancestor.isEmpty {
            if files[ancestor] != nil {
                throw .invalidPath(path: path, reason: "a parent of the path is a file, not a directory")
            }
            ancestor = StoragePath.parent(of: ancestor)
        }
    }

    func checkCanCreate(_ path: String) throws(StorageError) {
        try checkParents(of: path)
        if files[path] != nil || directories.contains(path) { throw .alreadyExists(path: path) }
    }

    func checkCanReplace(_ path: String) throws(StorageError) {
        try checkParents(of: path)
        if directories.contains(path) { throw .invalidPath(path: path, reason: "names a directory, not a file") }
    }

    /// Whether `delete(path)` has something to remove; throws if `path` is a directory.
    func checkDelete(_ path: String) throws(StorageError) -> Bool {
        if directories.contains(path) {
            throw .invalidPath(path: path, reason: "names a directory; use deleteDirectory")
        }
        return files[path] != nil
    }

    func checkCreateDirectory(_ directory: String) throws(StorageError) {
        if files[directory] != nil { throw .invalidPath(path: directory, reason: "a file exists at this path") }
        try checkParents(of: directory)
    }

    /// Whether `deleteDirectory` has something to remove; throws as LocalFileStore does.
    func checkDeleteDirectory(_ directory: String, recursively: Bool) throws(StorageError) -> Bool {
        if directory.isEmpty {
            throw .invalidPath(path: directory, reason: "the store root cannot be deleted through the store")
        }
        if files[directory] != nil {
            throw .invalidPath(path: directory, reason: "not a directory; use delete for files")
        }
        guard directories.contains(directory) else { return false }
        if !recursively {
            let hasFile = files.keys.contains { StoragePath.parent(of: $0) == directory }
            let hasDirectory = directories.contains { !$0.isEmpty && $0 != directory && StoragePath.parent(of: $0) == directory }
            if hasFile || hasDirectory { throw .directoryNotEmpty(path: directory) }
        }
        return true
    }

    // MARK: Changes (after the checks above passed)

    /// Adds `directory` and all its ancestors.
    mutating func addDirectoryChain(_ directory: String) {
        var current = directory
        while !current.isEmpty, directories.insert(current).inserted {
            current = StoragePath.parent(of: current)
        }
    }

    mutating func setFile(_ path: String, _ file: StoredFile) {
        addDirectoryChain(StoragePath.parent(of: path))
        files[path] = file
    }

    mutating func removeFile(_ path: String) {
        files[path] = nil
    }

    /// Removes `directory` and everything below it.
    mutating func removeDirectoryTree(_ directory: String) {
        let prefix = directory + "/"
        files = files.filter { !$0.key.hasPrefix(prefix) }
        directories = directories.filter { $0 != directory && !$0.hasPrefix(prefix) }
    }
}
