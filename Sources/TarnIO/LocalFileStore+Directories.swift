// LocalFileStore+Directories: listing, creating and removing directories on disk.
// Owns directory creation with fsync of each new directory's parent, sorted listings
// that hide temporary files, and recursive removal that never follows symbolic links.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalFileStore {
    public func list(prefix: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        var files: [FileInfo] = []
        try collectFiles(in: directory, recursive: recursive, into: &files, isTop: true)
        if let after {
            files.removeAll { !StoragePath.precedes(after, $0.path) }
        }
        files.sort { StoragePath.precedes($0.path, $1.path) }
        return files
    }

    public func listDirectories(prefix: String) throws(StorageError) -> [String] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        guard let entries = try entries(of: directory, isTop: true) else { return [] }
        var names: [String] = []
        for entry in entries {
            if entry.name.hasPrefix(StoragePath.temporaryPrefix) { continue }
            let path = StoragePath.join(directory, entry.name)
            if try kind(of: entry, at: path) == .directory { names.append(path) }
        }
        names.sort(by: StoragePath.precedes)
        return names
    }

    public func createDirectory(_ path: String) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        switch FileStatus.of(absolutePath(directory)) {
        case .success(let status) where status.kind == .directory:
            return
        case .success:
            throw .invalidPath(path: path, reason: "a file exists at this path")
        case .failure:
            try makeDirectoryChain(directory, for: path)
        }
    }

    public func deleteDirectory(_ path: String, recursively: Bool) throws(StorageError) {
        let directory = try StoragePath.normalizedDirectory(path)
        if directory.isEmpty {
            throw .invalidPath(path: path, reason: "the store root cannot be deleted through the store")
        }
        let parent = StoragePath.parent(of: directory)
        let name = StoragePath.lastComponent(of: directory)
        let parentHandle: FileDescriptor
        switch FileDescriptor.openDirectory(absolutePath(parent)) {
        case .success(let handle): parentHandle = handle
        case .failure(let error) where error.code == ENOENT || error.code == ENOTDIR: return
        case .failure(let error): throw error.storageError(path: parent, operation: "open directory")
        }
        switch FileStatus.of(name, in: parentHandle.raw, followingLinks: false) {
        case .failure(let error) where error.code == ENOENT: return
        case .failure(let error): throw error.storageError(path: directory, operation: "stat")
        case .success(let status) where status.kind != .directory:
            throw .invalidPath(path: directory, reason: "not a directory; use delete for files")
        case .success:
            break
        }
        if recursively {
            try removeContents(of: name, in: parentHandle, path: directory)
        }
        switch Syscall.retrying({ unlinkat(parentHandle.raw, name, AT_REMOVEDIR) }) {
        case .success: break
        case .failure(let error) where error.code == ENOENT: return
        case .failure(let error) where error.code == ENOTEMPTY || error.code == EEXIST:
            throw .directoryNotEmpty(path: directory)
        case .failure(let error): throw error.storageError(path: directory, operation: "rmdir")
        }
        try mapped(parentHandle.sync(), directory, "fsync directory")
    }

    // MARK: Helpers

    /// Creates `directory` and every missing ancestor (the root included), fsyncing the
    /// parent of each directory created so its entry is durable.
    func makeDirectoryChain(_ directory: String, for path: String) throws(StorageError) {
        try makeDirectory(absolutePath(directory), for: path, depth: 0)
    }

    private func makeDirectory(_ absolute: String, for path: String, depth: Int) throws(StorageError) {
        if depth > StoragePath.maximumPathLength {
            throw .invalidPath(path: path, reason: "too many missing parent directories")
        }
        let parent = LocalFileStore.parentOfAbsolute(absolute)
        var createdParent = false
        while true {
            switch Syscall.retrying({ mkdir(absolute, 0o755) }) {
            case .success, .failure(Errno(EEXIST)):
                if case .success(let status) = FileStatus.of(absolute), status.kind != .directory {
                    throw .invalidPath(path: path, reason: "a parent of the path is a file, not a directory")
                }
                // Also on EEXIST: a concurrent creator may not have fsynced the parent yet.
                try syncAbsoluteDirectory(parent, for: path)
                return
            case .failure(let error) where error.code == ENOENT && !createdParent && parent != absolute:
                try makeDirectory(parent, for: path, depth: depth + 1)
                createdParent = true
            case .failure(let error) where error.code == ENOTDIR:
                throw .invalidPath(path: path, reason: "a parent of the path is a file, not a directory")
            case .failure(let error):
                throw error.storageError(path: path, operation: "mkdir")
            }
        }
    }

    private func syncAbsoluteDirectory(_ absolute: String, for path: String) throws(StorageError) {
        let handle: FileDescriptor
        switch FileDescriptor.openDirectory(absolute) {
        case .success(let opened): handle = opened
        case .failure(let error): throw error.storageError(path: path, operation: "open directory for fsync")
        }
        switch handle.sync() {
        case .success: return
        case .failure(let error) where error.code == EINVAL: return
        case .failure(let error): throw .io(path: path, operation: "fsync directory", errno: error.code, detail: error.text)
        }
    }

    static func parentOfAbsolute(_ absolute: String) -> String {
        guard let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "/" }
        if slash == absolute.startIndex { return "/" }
        return String(absolute[..<slash])
    }

    /// Entries of store directory `directory`, or nil if it does not exist.
    private func entries(of directory: String, isTop: Bool) throws(StorageError) -> [DirectoryEntry]? {
        let handle: FileDescriptor
        switch FileDescriptor.openDirectory(absolutePath(directory)) {
        case .success(let opened): handle = opened
        case .failure(let error) where error.code == ENOENT: return nil
        case .failure(let error) where error.code == ENOTDIR:
            if isTop, case .success(let status) = FileStatus.of(absolutePath(directory)), status.kind != .directory {
                throw .invalidPath(path: directory, reason: "names a file, not a directory")
            }
            return nil
        case .failure(let error): throw error.storageError(path: directory, operation: "open directory")
        }
        return try mapped(DirectoryEntries.read(handle), directory, "read directory")
    }

    /// What `entry` is once a symbolic link is followed (`.other` for a dangling link).
    private func kind(of entry: DirectoryEntry, at path: String) throws(StorageError) -> FileStatus.Kind {
        if entry.status.kind != .symbolicLink { return entry.status.kind }
        switch FileStatus.of(absolutePath(path)) {
        case .success(let target): return target.kind
        case .failure: return .other
        }
    }

    private func collectFiles(
        in directory: String, recursive: Bool, into files: inout [FileInfo], isTop: Bool
    ) throws(StorageError) {
        guard let entries = try entries(of: directory, isTop: isTop) else { return }
        for entry in entries {
            if entry.name.hasPrefix(StoragePath.temporaryPrefix) { continue }
            let path = StoragePath.join(directory, entry.name)
            var status = entry.status
            if status.kind == .symbolicLink {
                // Linked files are listed as files; linked directories are not descended
                // into, so a link cycle cannot make a listing endless.
                guard case .success(let target) = FileStatus.of(absolutePath(path)), target.kind == .file else { continue }
                status = target
            }
            switch status.kind {
            case .file:
                files.append(FileInfo(path: path, size: status.size, modificationTime: status.modificationTime))
            case .directory where recursive:
                try collectFiles(in: path, recursive: true, into: &files, isTop: false)
            default:
                continue
            }
        }
    }

    /// Removes everything inside directory `name` of the open directory `parent`,
    /// descending with `openat(O_NOFOLLOW)` so a symbolic link is removed, never followed.
    private func removeContents(of name: String, in parent: FileDescriptor, path: String) throws(StorageError) {
        let handle: FileDescriptor
        switch Syscall.retrying({ openat(parent.raw, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }) {
        case .success(let fd): handle = FileDescriptor(adopting: fd)
        case .failure(let error) where error.code == ENOENT: return
        case .failure(let error): throw error.storageError(path: path, operation: "open directory")
        }
        let entries = try mapped(DirectoryEntries.read(handle), path, "read directory")
        for entry in entries {
            let childPath = path + "/" + entry.name
            if entry.status.kind == .directory {
                try removeContents(of: entry.name, in: handle, path: childPath)
                switch Syscall.retrying({ unlinkat(handle.raw, entry.name, AT_REMOVEDIR) }) {
                case .success, .failure(Errno(ENOENT)): break
                case .failure(let error): throw error.storageError(path: childPath, operation: "rmdir")
                }
            } else {
                switch Syscall.retrying({ unlinkat(handle.raw, entry.name, 0) }) {
                case .success, .failure(Errno(ENOENT)): break
                case .failure(let error): throw error.storageError(path: childPath, operation: "unlink")
                }
            }
        }
    }
}
