// StoreParquetInput: a ParquetInput over a file of a FileStore, so the Parquet reader
// (which does no IO) can read table data files — and any local Parquet file the CLI is
// given — with ranged reads. Owns the mapping of storage errors to Parquet IO errors;
// never caches bytes beyond one call.
import TarnIO
import TarnParquet

public struct StoreParquetInput: ParquetInput {
    let reader: any FileReader

    /// The file at `path` of `store`.
    /// - Throws: `StorageError` (`.notFound`, `.invalidPath` for a directory, `.io`).
    public init(store: any FileStore, path: String) throws(StorageError) {
        reader = try store.openReader(path)
    }

    /// A file of the local file system, by absolute or relative path.
    /// - Throws: `StorageError` as above.
    public init(localFile path: String) throws(StorageError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        do {
            try self.init(store: LocalFileStore(root: directory.isEmpty ? "/" : directory), path: name)
        } catch .notFound {
            throw .notFound(path: path)  // name the path as given, not relative to its directory
        } catch .invalidPath(_, let reason) {
            throw .invalidPath(path: path, reason: reason)
        }
    }

    public var size: Int { reader.size }

    public func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        do {
            return try reader.read(range)
        } catch {
            throw ParquetError(.io, error.description, file: reader.path)
        }
    }
}
