// Syscall: the thin layer between TarnIO and the C library.
// Owns the EINTR retry, errno capture and the open-file handle that closes itself.
// Must never interpret paths or promise durability; LocalFileStore decides the order.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Result of one system call: the return value, or the errno it failed with.
enum Syscall {
    /// Runs `call` again while it fails with EINTR; returns its value, or the errno of a
    /// failure (a return of -1). Every syscall of TarnIO goes through here.
    @inline(__always)
    static func retrying<Value: FixedWidthInteger>(_ call: () -> Value) -> Result<Value, Errno> {
        while true {
            let value = call()
            if value != -1 { return .success(value) }
            let code = errno
            if code != EINTR { return .failure(Errno(code)) }
        }
    }

    /// The calling thread's errno, for calls (readdir, opendir) that do not return -1.
    static var lastErrno: Errno { Errno(errno) }

    static func resetErrno() { errno = 0 }
}

/// A POSIX error number with its text.
struct Errno: Error, Equatable {
    let code: Int32
    init(_ code: Int32) { self.code = code }

    var text: String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }

    /// The usual StorageError for this errno; call sites that know better map first.
    func storageError(path: String, operation: String) -> StorageError {
        switch code {
        case ENOENT: return .notFound(path: path)
        case EEXIST: return .alreadyExists(path: path)
        case ENOTDIR: return .invalidPath(path: path, reason: "a parent of the path is a file, not a directory")
        case EISDIR: return .invalidPath(path: path, reason: "names a directory, not a file")
        case ENAMETOOLONG: return .invalidPath(path: path, reason: "too long for the file system")
        case ENOTEMPTY: return .directoryNotEmpty(path: path)
        default: return .io(path: path, operation: operation, errno: code, detail: text)
        }
    }
}

/// An open file descriptor, closed when the last reference goes away (a class, so the
/// descriptor has exactly one owner and one close).
final class FileDescriptor {
    private(set) var raw: Int32

    /// Opens `absolutePath`; `O_CLOEXEC` is always added.
    static func open(_ absolutePath: String, _ flags: Int32, mode: mode_t = 0o644) -> Result<FileDescriptor, Errno> {
        Syscall.retrying({ openFile(absolutePath, flags | O_CLOEXEC, mode) }).map { FileDescriptor(adopting: $0) }
    }

    /// Opens a directory for fsync or listing.
    static func openDirectory(_ absolutePath: String) -> Result<FileDescriptor, Errno> {
        open(absolutePath, O_RDONLY | O_DIRECTORY)
    }

    /// Takes over a descriptor returned by `openat` and friends.
    init(adopting raw: Int32) { self.raw = raw }

    deinit { closeNow() }

    /// Closes the descriptor now (later calls and deinit do nothing).
    func closeNow() {
        if raw >= 0 { _ = close(raw) }
        raw = -1
    }

    /// Writes all of `bytes` at the current offset, looping over short writes.
    func writeAll(_ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
        guard var next = bytes.baseAddress else { return .success(()) }
        var remaining = bytes.count
        while remaining > 0 {
            // Cap each write: Linux transfers at most 0x7ffff000 bytes per call anyway.
            let chunk = min(remaining, 1 << 30)
            switch Syscall.retrying({ write(raw, next, chunk) }) {
            case .failure(let error): return .failure(error)
            case .success(let written):
                if written == 0 { return .failure(Errno(EIO)) }
                // SAFETY: 0 < written <= chunk <= remaining, so `next` stays inside `bytes`.
                next = next.advanced(by: written)
                remaining -= written
            }
        }
        return .success(())
    }

    /// Reads exactly `buffer.count` bytes starting at file `offset`, looping over short
    /// reads. Returns how many bytes were read; fewer than asked means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<Int, Errno> {
        FileDescriptor.read(raw, into: buffer, at: offset)
    }

    /// Gives up ownership: returns the descriptor, which this object will no longer close.
    func release() -> Int32 {
        let released = raw
        raw = -1
        return released
    }

    /// `read(into:at:)` on a raw descriptor (for owners that are not FileDescriptors).
    static func read(_ raw: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<Int, Errno> {
        guard let base = buffer.baseAddress else { return .success(0) }
        var done = 0
        while done < buffer.count {
            let chunk = min(buffer.count - done, 1 << 30)
            // SAFETY: done < buffer.count, so base + done is inside `buffer` and `chunk`
            // bytes from there end at or before its end.
            switch Syscall.retrying({ pread(raw, base.advanced(by: done), chunk, off_t(offset + done)) }) {
            case .failure(let error): return .failure(error)
            case .success(let count):
                if count == 0 { return .success(done) }
                done += count
            }
        }
        return .success(done)
    }

    /// Flushes the file's data and metadata to stable storage (for directories).
    func sync() -> Result<Void, Errno> {
        Syscall.retrying({ fsync(raw) }).map { _ in () }
    }

    /// Flushes the file's data, and the metadata needed to read it back (its size), to
    /// stable storage: `fdatasync` on Linux, which skips the timestamp-only update
    /// `fsync` would also write; `fsync` elsewhere.
    func syncData() -> Result<Void, Errno> {
        #if os(Linux)
        return Syscall.retrying({ fdatasync(raw) }).map { _ in () }
        #else
        return Syscall.retrying({ fsync(raw) }).map { _ in () }
        #endif
    }

    /// The file's metadata.
    func status() -> Result<FileStatus, Errno> {
        var info = stat()
        return Syscall.retrying({ fstat(raw, &info) }).map { _ in FileStatus(info) }
    }
}

/// The parts of `struct stat` TarnIO uses.
struct FileStatus {
    enum Kind { case file, directory, symbolicLink, other }
    let kind: Kind
    let size: Int
    /// Milliseconds since the Unix epoch.
    let modificationTime: Int64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        size = Int(info.st_size)
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        modificationTime = Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Status of `absolutePath`, following symbolic links.
    static func of(_ absolutePath: String) -> Result<FileStatus, Errno> {
        var info = stat()
        return Syscall.retrying({ stat(absolutePath, &info) }).map { _ in FileStatus(info) }
    }

    /// Status of `name` inside the open directory `directory`.
    static func of(_ name: String, in directory: Int32, followingLinks: Bool) -> Result<FileStatus, Errno> {
        var info = stat()
        let flags = followingLinks ? 0 : AT_SYMLINK_NOFOLLOW
        return Syscall.retrying({ fstatat(directory, name, &info, flags) }).map { _ in FileStatus(info) }
    }
}

/// `open(2)` with an explicit mode, under a name that does not clash with
/// `FileDescriptor.open`.
@inline(__always)
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.open(path, flags, mode)
    #elseif canImport(Musl)
    return Musl.open(path, flags, mode)
    #else
    return Darwin.open(path, flags, mode)
    #endif
}
