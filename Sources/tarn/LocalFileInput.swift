// LocalFileInput: a ParquetInput over a file path given on the command line, read with
// ranged reads. Owned by the CLI because TarnParquet does no IO of its own; tables go
// through TarnIO's FileStore instead.
import Foundation
import TarnParquet

struct LocalFileInput: ParquetInput {
    let path: String
    let size: Int

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw CLIError("\(path): is a directory, expected a Parquet file") }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        self.path = path
        self.size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw ParquetError(.io, "read of bytes \(range) beyond the end of the file (\(size) bytes)", file: path)
        }
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            let data = try handle.read(upToCount: range.count) ?? Data()
            guard data.count == range.count else {
                throw ParquetError(.io, "short read: \(data.count) of \(range.count) bytes at offset \(range.lowerBound)", file: path)
            }
            return [UInt8](data)
        } catch let error as ParquetError {
            throw error
        } catch {
            throw ParquetError(.io, "\(error.localizedDescription)", file: path)
        }
    }
}
