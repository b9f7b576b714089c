// StoreParquetInput: a ParquetInput over a file of a FileStore, so the Parquet reader
// (which does no IO) can read table data files with ranged reads. Owns the mapping of
// storage errors to Parquet IO errors; never caches bytes beyond one call.
import TarnIO
import TarnParquet

struct StoreParquetInput: ParquetInput {
    let reader: any FileReader

    init(store: any FileStore, path: String) throws(StorageError) {
        reader = try store.openReader(path)
    }

    var size: Int { reader.size }

    func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        do {
            return try reader.read(range)
        } catch {
            throw ParquetError(.io, error.description, file: reader.path)
        }
    }
}
