// DirectoryEntries: reads the names in one open directory through readdir.
// Owns the DIR* lifetime, the conversion of d_name to String and the d_type hint.
// Must never follow an entry or decide what is listed; callers filter and stat.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One name in a directory and, when the file system reports it (d_type), what kind of
/// entry it is, without following a link. `kind` is nil when the type is unknown and
/// the caller must stat the entry.
struct DirectoryEntry {
    let name: String
    let kind: FileStatus.Kind?
}

enum DirectoryEntries {
    /// The entries of the directory open as `directory`, excluding `.` and `..`.
    /// Names that are not valid UTF-8 are skipped: no store path can name them.
    /// The descriptor stays open and owned by the caller.
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
            // the next readdir/closedir on this stream; we copy what we need before either.
            var rawName = entry.pointee.d_name
            let type = Int(entry.pointee.d_type)
            let nameBytes: [UInt8] = withUnsafeBytes(of: &rawName) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            // Decoding repairs invalid UTF-8; a name that does not round-trip is unaddressable.
            if !name.utf8.elementsEqual(nameBytes) { continue }
            entries.append(DirectoryEntry(name: name, kind: kind(ofDirectoryEntryType: type)))
        }
        return .success(entries)
    }

    private static func kind(ofDirectoryEntryType type: Int) -> FileStatus.Kind? {
        switch type {
        case Int(DT_REG): return .file
        case Int(DT_DIR): return .directory
        case Int(DT_LNK): return .symbolicLink
        case Int(DT_UNKNOWN): return nil
        default: return .other
        }
    }
}
