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
        try collectFiles(in: directory, after: after, recursive: recursive, into: &files, isTop: true)
        files.sort { StoragePath.precedes($0.path, $1.path) }
        return files
    }

    public func listDirectories(prefix: String) throws(StorageError) -> [String] {
        let directory = try StoragePath.normalizedDirectory(prefix)
        guard let handle = try openListedDirectory(directory, isTop: true) else { return [] }
        var names: [String] = []
        for entry in try mapped(DirectoryEntries.read(handle), directory, "read directory") {
            if entry.name.hasPrefix(StoragePath.temporaryPrefix) { continue }
            if entry.kind == .file { continue }
            guard let status = followedStatus(of: entry.name, in: handle) else { continue }
            if status.kind == .directory { names.append(StoragePath.join(directory, entry.name)) }
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

    /// The open store directory `directory`, or nil if it does not exist.
    private func openListedDirectory(_ directory: String, isTop: Bool) throws(StorageError) -> FileDescriptor? {
        switch FileDescriptor.openDirectory(absolutePath(directory)) {
        case .success(let opened):
            return opened
        case .failure(let error) where error.code == ENOENT:
            return nil
        case .failure(let error) where error.code == ENOTDIR:
            if isTop, case .success(let status) = FileStatus.of(absolutePath(directory)), status.kind != .directory {
                throw .invalidPath(path: directory, reason: "names a file, not a directory")
            }
            return nil
        case .failure(let error):
            throw error.storageError(path: directory, operation: "open directory")
        }
    }

    /// Status of entry `name` of the open directory, following a symbolic link; nil if
    /// the entry vanished or is a dangling link.
    private func followedStatus(of name: String, in directory: FileDescriptor) -> FileStatus? {
        switch FileStatus.of(name, in: directory.raw, followingLinks: true) {
        case .success(let status): return status
        case .failure: return nil
        }
    }

    private func collectFiles(
        in directory: String, after: String?, recursive: Bool, into files: inout [FileInfo], isTop: Bool
    ) throws(StorageError) {
        guard let handle = try openListedDirectory(directory, isTop: isTop) else { return }
        for entry in try mapped(DirectoryEntries.read(handle), directory, "read directory") {
            if entry.name.hasPrefix(StoragePath.temporaryPrefix) { continue }
            let path = StoragePath.join(directory, entry.name)
            // A regular file that sorts at or before `after` needs no stat (Delta lists
            // `_delta_log` after a checkpoint: most entries are skipped here).
            if entry.kind == .file, let after, !StoragePath.precedes(after, path) { continue }
            if entry.kind == .directory {
                if recursive { try collectFiles(in: path, after: after, recursive: true, into: &files, isTop: false) }
                continue
            }
            guard let own = ownStatus(of: entry, in: handle) else { continue }
            switch own.kind {
            case .file:
                if let after, !StoragePath.precedes(after, path) { continue }
                files.append(FileInfo(path: path, size: own.size, modificationTime: own.modificationTime))
            case .directory:
                if recursive { try collectFiles(in: path, after: after, recursive: true, into: &files, isTop: false) }
            case .symbolicLink:
                // Linked files are listed as files; linked directories are not descended
                // into, so a link cycle cannot make a listing endless.
                guard let target = followedStatus(of: entry.name, in: handle), target.kind == .file else { continue }
                if let after, !StoragePath.precedes(after, path) { continue }
                files.append(FileInfo(path: path, size: target.size, modificationTime: target.modificationTime))
            case .other:
                continue
            }
        }
    }

    /// Status of the entry itself (a link is not followed); nil if it vanished.
    private func ownStatus(of entry: DirectoryEntry, in directory: FileDescriptor) -> FileStatus? {
        switch FileStatus.of(entry.name, in: directory.raw, followingLinks: false) {
        case .success(let status): return status
        case .failure: return nil
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
            let kind = entry.kind ?? ownStatus(of: entry, in: handle)?.kind
            if kind == .directory {
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
