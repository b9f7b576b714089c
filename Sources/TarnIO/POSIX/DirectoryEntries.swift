// DirectoryEntries: reads the entries of one open directory through readdir.
// Owns the DIR* lifetime and the conversion of d_name to String.
// Must never follow an entry or decide what is listed; callers filter.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a directory, with its own (not followed) status.
struct DirectoryEntry {
    let name: String
    let status: FileStatus
}

enum DirectoryEntries {
    /// The entries of the directory open as `directory` (excluding `.` and `..`), with
    /// the status of each entry itself (links not followed). Entries whose names are not
    /// valid UTF-8 are skipped: no store path can name them. Entries that vanish while
    /// being read are skipped. The descriptor stays open and owned by the caller.
    static func read(_ directory: FileDescriptor) -> Result<[DirectoryEntry], Errno> {
        // fdopendir takes ownership of the descriptor it is given, so give it a duplicate.
        let duplicate: Int32
        switch Syscall.retrying({ dup(directory.raw) }) {
        case .failure(let error): return .failure(error)
        case .success(let fd): duplicate = fd
        }
        guard let stream = fdopendir(duplicate) else {
            let error = Syscall.lastErrno
            _ = close(duplicate)
            return .failure(error)
        }
        defer { _ = closedir(stream) }
        // The duplicate shares its offset with `directory`; start from the beginning.
        rewinddir(stream)

        var entries: [DirectoryEntry] = []
        while true {
            Syscall.resetErrno()
            guard let entry = readdir(stream) else {
                let error = Syscall.lastErrno
                if error.code != 0 { return .failure(error) }
                break
            }
            // SAFETY: readdir returned a non-nil pointer to an entry that stays valid until
            // the next readdir/closedir on this stream; we copy d_name out before either.
            var rawName = entry.pointee.d_name
            let nameBytes: [UInt8] = withUnsafeBytes(of: &rawName) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            // Decoding repairs invalid UTF-8; a name that does not round-trip is unaddressable.
            if !name.utf8.elementsEqual(nameBytes) { continue }
            switch FileStatus.of(name, in: directory.raw, followingLinks: false) {
            case .success(let status): entries.append(DirectoryEntry(name: name, status: status))
            case .failure(let error) where error.code == ENOENT: continue
            case .failure(let error): return .failure(error)
            }
        }
        return .success(entries)
    }
}
