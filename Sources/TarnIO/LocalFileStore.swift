// LocalFileStore: the FileStore over a local POSIX file system, Tarn's embedded default.
// Owns how each FileStore promise is kept with syscalls (see spec/filestore.md):
// temp file + fsync, then link (create) or rename (replace), then fsync of the directory.
// Must never return before a write is durable, nor make a partial file visible.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `FileStore` whose paths are files under a directory `root` on the local file system.
///
/// Thread-safe and stateless: any number of instances, threads and processes may share
/// a root; put-if-absent is decided by the file system (`link(2)` fails with EEXIST),
/// so it is exclusive across processes too. Needs a file system with hard links and
/// working `fsync` (ext4, xfs, btrfs, apfs, tmpfs).
public struct LocalFileStore: FileStore {
    /// Absolute path of the root directory, without a trailing '/' (except for "/").
    public let root: String

    /// A store rooted at `root` (absolute, or relative to the current directory at the
    /// time of the call). Touches nothing: the root is created by the first write.
    public init(root: String) {
        var absolute = root
        if !absolute.hasPrefix("/") {
            absolute = LocalFileStore.currentDirectory() + "/" + absolute
        }
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        self.root = absolute
    }

    /// Absolute file-system path of a (validated) store path.
    public func absolutePath(_ path: String) -> String {
        if path.isEmpty { return root }
        return root == "/" ? "/" + path : root + "/" + path
    }

    // MARK: Reading

    public func read(_ path: String) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        let (file, size) = try openRegularFile(path)
        return try LocalFileStore.readBytes(of: file.raw, path: path, range: 0..<size, fileSize: size)
    }

    public func read(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] {
        try StoragePath.validateFile(path)
        let (file, size) = try openRegularFile(path)
        if range.lowerBound < 0 || range.upperBound > size {
            throw .rangeOutOfBounds(path: path, range: range, fileSize: size)
        }
        return try LocalFileStore.readBytes(of: file.raw, path: path, range: range, fileSize: size)
    }

    public func openReader(_ path: String) throws(StorageError) -> any FileReader {
        try StoragePath.validateFile(path)
        let (file, size) = try openRegularFile(path)
        return LocalFileReader(path: path, size: size, descriptor: file.release())
    }

    public func head(_ path: String) throws(StorageError) -> FileInfo {
        try StoragePath.validateFile(path)
        switch FileStatus.of(absolutePath(path)) {
        case .failure(let error) where error.code == ENOTDIR:
            throw .notFound(path: path)
        case .failure(let error):
            throw error.storageError(path: path, operation: "stat")
        case .success(let status):
            switch status.kind {
            case .file: break
            case .directory: throw .invalidPath(path: path, reason: "names a directory, not a file")
            case .symbolicLink, .other: throw .invalidPath(path: path, reason: "not a regular file")
            }
            return FileInfo(path: path, size: status.size, modificationTime: status.modificationTime)
        }
    }

    /// Opens the file at `path` for reading and returns it with its size.
    private func openRegularFile(_ path: String) throws(StorageError) -> (FileDescriptor, Int) {
        let file: FileDescriptor
        // O_NONBLOCK: opening a FIFO planted in the tree must not hang; it has no
        // effect on regular files, and anything else is refused below.
        switch FileDescriptor.open(absolutePath(path), O_RDONLY | O_NONBLOCK) {
        case .success(let opened):
            file = opened
        case .failure(let error) where error.code == ENOTDIR:
            throw .notFound(path: path)
        case .failure(let error):
            throw error.storageError(path: path, operation: "open for reading")
        }
        let status = try mapped(file.status(), path, "stat")
        switch status.kind {
        case .file: return (file, status.size)
        case .directory: throw .invalidPath(path: path, reason: "names a directory, not a file")
        case .symbolicLink, .other: throw .invalidPath(path: path, reason: "not a regular file")
        }
    }

    /// Exactly `range` of the open file `descriptor` (already checked against `fileSize`).
    static func readBytes(
        of descriptor: Int32, path: String, range: Range<Int>, fileSize: Int
    ) throws(StorageError) -> [UInt8] {
        let wanted = range.count
        if wanted == 0 { return [] }
        var failure: StorageError?
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            switch FileDescriptor.read(descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: range.lowerBound) {
            case .success(let count):
                initialized = count
                if count < wanted {
                    failure = .corrupt(
                        path: path,
                        detail: "the file ended after \(range.lowerBound + count) bytes while \(fileSize) were expected (it shrank during the read)"
                    )
                }
            case .failure(let error):
                initialized = 0
                failure = error.storageError(path: path, operation: "read")
            }
        }
        if let failure { throw failure }
        return bytes
    }

    // MARK: Writing

    public func putIfAbsent(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        // A writer that has already lost learns it with one stat instead of writing and
        // syncing a file first. `link` below still decides every race.
        if case .success = FileStatus.of(absolutePath(path)) { throw .alreadyExists(path: path) }
        let directory = StoragePath.parent(of: path)
        let temporary = try writeTemporaryFile(in: directory, for: path) { file throws(StorageError) in
            try self.mapped(bytes.withUnsafeBytes { file.writeAll($0) }, path, "write")
        }
        try publishNew(temporary: temporary, at: path, in: directory)
    }

    public func put(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        try StoragePath.validateFile(path)
        let directory = StoragePath.parent(of: path)
        let temporary = try writeTemporaryFile(in: directory, for: path) { file throws(StorageError) in
            try self.mapped(bytes.withUnsafeBytes { file.writeAll($0) }, path, "write")
        }
        try publishReplacing(temporary: temporary, at: path, in: directory)
    }

    public func openWriter(_ path: String, mode: WriteMode) throws(StorageError) -> any FileWriter {
        try StoragePath.validateFile(path)
        return try LocalFileWriter(store: self, path: path, mode: mode)
    }

    public func delete(_ path: String) throws(StorageError) {
        try StoragePath.validateFile(path)
        switch Syscall.retrying({ unlink(absolutePath(path)) }) {
        case .success:
            try syncDirectory(StoragePath.parent(of: path), for: path)
        case .failure(let error) where error.code == ENOENT || error.code == ENOTDIR:
            return
        case .failure(let error) where error.code == EISDIR || error.code == EPERM:
            if case .success(let status) = FileStatus.of(absolutePath(path)), status.kind == .directory {
                throw .invalidPath(path: path, reason: "names a directory; use deleteDirectory")
            }
            throw error.storageError(path: path, operation: "unlink")
        case .failure(let error):
            throw error.storageError(path: path, operation: "unlink")
        }
    }

    // MARK: Steps shared by put, putIfAbsent and LocalFileWriter

    /// Creates a new temporary file in `directory` (creating missing directories), lets
    /// `fill` write its content, fsyncs and closes it. Returns its absolute path.
    /// On any failure the temporary file is removed.
    func writeTemporaryFile(
        in directory: String, for path: String,
        fill: (FileDescriptor) throws(StorageError) -> Void
    ) throws(StorageError) -> String {
        let created = try createTemporaryFile(in: directory, for: path)
        let temporary = created.absolutePath
        do {
            try fill(created.descriptor)
            try mapped(created.descriptor.syncData(), path, "fsync")
            created.descriptor.closeNow()
        } catch {
            created.descriptor.closeNow()
            _ = unlink(temporary)
            throw error
        }
        return temporary
    }

    /// Opens a fresh, uniquely named temporary file in `directory`, creating the
    /// directory chain if it is missing.
    func createTemporaryFile(in directory: String, for path: String) throws(StorageError) -> TemporaryFile {
        let temporary = absolutePath(StoragePath.join(directory, LocalFileStore.temporaryName()))
        var createdParents = false
        while true {
            switch FileDescriptor.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644) {
            case .success(let file):
                return TemporaryFile(descriptor: file, absolutePath: temporary)
            case .failure(let error) where error.code == ENOENT && !createdParents:
                try makeDirectoryChain(directory, for: path)
                createdParents = true
            case .failure(let error) where error.code == ENOTDIR:
                throw .invalidPath(path: path, reason: "a parent of the path is a file, not a directory")
            case .failure(let error):
                throw error.storageError(path: path, operation: "create temporary file")
            }
        }
    }

    /// Publishes a synced temporary file at `path` only if nothing is there: `link(2)`
    /// fails with EEXIST if another writer won. Then removes the temporary name and
    /// fsyncs the directory so the new entry is durable.
    func publishNew(temporary: String, at path: String, in directory: String) throws(StorageError) {
        let result = Syscall.retrying({ link(temporary, absolutePath(path)) })
        _ = unlink(temporary)
        switch result {
        case .success:
            try syncDirectory(directory, for: path)
        case .failure(let error) where error.code == EEXIST:
            throw .alreadyExists(path: path)
        case .failure(let error) where error.code == EPERM || error.code == EOPNOTSUPP || error.code == EXDEV:
            throw .io(path: path, operation: "link", errno: error.code,
                      detail: "the file system refused a hard link, which put-if-absent needs (\(error.text))")
        case .failure(let error):
            throw error.storageError(path: path, operation: "link")
        }
    }

    /// Publishes a synced temporary file at `path`, replacing any file there atomically
    /// with `rename(2)`, then fsyncs the directory.
    func publishReplacing(temporary: String, at path: String, in directory: String) throws(StorageError) {
        switch Syscall.retrying({ rename(temporary, absolutePath(path)) }) {
        case .success:
            try syncDirectory(directory, for: path)
        case .failure(let error):
            _ = unlink(temporary)
            throw error.storageError(path: path, operation: "rename")
        }
    }

    /// fsyncs a directory so entries created or removed in it are durable. File systems
    /// that cannot fsync a directory (EINVAL) are accepted, as they persist entries
    /// with the metadata journal.
    func syncDirectory(_ directory: String, for path: String) throws(StorageError) {
        let absolute = absolutePath(directory)
        let handle: FileDescriptor
        switch FileDescriptor.openDirectory(absolute) {
        case .success(let opened): handle = opened
        case .failure(let error): throw error.storageError(path: directory, operation: "open directory for fsync")
        }
        switch handle.sync() {
        case .success: return
        case .failure(let error) where error.code == EINVAL: return
        case .failure(let error): throw .io(path: path, operation: "fsync directory", errno: error.code, detail: error.text)
        }
    }

    /// A temporary file name unique across threads and processes.
    static func temporaryName() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return StoragePath.temporaryPrefix + hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    func mapped<Value>(_ result: Result<Value, Errno>, _ path: String, _ operation: String) throws(StorageError) -> Value {
        switch result {
        case .success(let value): return value
        case .failure(let error): throw error.storageError(path: path, operation: operation)
        }
    }

    private static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let found = buffer.withUnsafeMutableBufferPointer { pointer -> Bool in
            guard let base = pointer.baseAddress else { return false }
            return getcwd(base, pointer.count) != nil
        }
        guard found else { return "." }
        let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A temporary file just created for writing, before it is published.
struct TemporaryFile {
    let descriptor: FileDescriptor
    let absolutePath: String
}
