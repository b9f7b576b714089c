// LocalFileWriter: streams one file into a temporary file of a LocalFileStore.
// Owns the temporary file from creation to publication (link or rename) or removal.
// Must never publish before the data is fsynced, nor leave its temporary file behind.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `FileWriter` that writes straight to a temporary file beside the final path and
/// publishes it in `finish()` exactly as `put`/`putIfAbsent` do.
final class LocalFileWriter: FileWriter {
    let path: String
    private(set) var bytesWritten = 0
    private let store: LocalFileStore
    private let mode: WriteMode
    private let directory: String
    private let temporaryPath: String
    /// The open temporary file; nil once finished or aborted.
    private var file: FileDescriptor?

    init(store: LocalFileStore, path: String, mode: WriteMode) throws(StorageError) {
        self.store = store
        self.path = path
        self.mode = mode
        self.directory = StoragePath.parent(of: path)
        let created = try store.createTemporaryFile(in: directory, for: path)
        self.temporaryPath = created.absolutePath
        self.file = created.descriptor
    }

    deinit { abort() }

    func append(_ bytes: [UInt8]) throws(StorageError) {
        guard let file else {
            throw .invalidPath(path: path, reason: "the writer is already finished or aborted")
        }
        switch bytes.withUnsafeBytes({ file.writeAll($0) }) {
        case .success:
            bytesWritten += bytes.count
        case .failure(let error):
            abort()
            throw error.storageError(path: path, operation: "write")
        }
    }

    func finish() throws(StorageError) {
        guard let file else {
            throw .invalidPath(path: path, reason: "the writer is already finished or aborted")
        }
        self.file = nil
        let synced = file.syncData()
        file.closeNow()
        if case .failure(let error) = synced {
            _ = unlink(temporaryPath)
            throw error.storageError(path: path, operation: "fsync")
        }
        switch mode {
        case .createNew: try store.publishNew(temporary: temporaryPath, at: path, in: directory)
        case .replace: try store.publishReplacing(temporary: temporaryPath, at: path, in: directory)
        }
    }

    func abort() {
        guard let file else { return }
        self.file = nil
        file.closeNow()
        _ = unlink(temporaryPath)
    }
}
