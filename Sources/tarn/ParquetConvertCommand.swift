// `tarn parquet convert IN.csv OUT.parquet`: CSV (with inferred or given types) to a
// Parquet file, written atomically (a temporary file renamed into place).
import ArgumentParser
import Foundation
import TarnColumnar
import TarnParquet

struct ParquetConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CSV file to Parquet.",
        discussion: """
        Column types are inferred from the first 1,000 rows (boolean, long, double, date,
        timestamp, string) unless given with --schema, e.g. --schema "id:long,ts:timestamp,name:string".
        Types: boolean, byte, short, int, long, float, double, string, binary, date,
        timestamp, timestamp_ntz, decimal(p,s).
        """
    )

    @Argument(help: "The CSV input file (with a header row).")
    var input: String

    @Argument(help: "The Parquet file to write.")
    var output: String

    @Option(name: .long, help: "Compression codec: zstd, snappy or none.")
    var codec: CodecOption = .zstd

    @Option(name: .long, help: "Column types, as name:type pairs separated by commas.")
    var schema: String?

    @Option(name: .long, help: "Rows per row group.")
    var rowGroupRows: Int = 1_048_576

    func validate() throws {
        if rowGroupRows < 1 { throw ValidationError("--row-group-rows must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw CLIError("\(input): cannot read the file (missing or not readable)")
            }
            var options = CSVReadOptions()
            if let schema { options.columnTypes = try SchemaOption.parse(schema) }
            let (fileSchema, batches) = try CSVReader.read([UInt8](data), options: options)
            var writeOptions = ParquetWriteOptions(codec: codec.codec)
            writeOptions.rowGroupRows = rowGroupRows
            let bytes = try ParquetFileWriter.write(batches, schema: fileSchema, options: writeOptions)
            let url = URL(fileURLWithPath: output)
            try Data(bytes).write(to: url, options: .atomic)
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            FileHandle.standardError.write(Data("wrote \(rows) rows, \(fileSchema.count) columns, \(bytes.count) bytes to \(output) (\(codec.rawValue))\n".utf8))
        }
    }
}

enum CodecOption: String, ExpressibleByArgument, CaseIterable {
    case zstd, snappy, none

    var codec: CompressionCodec {
        switch self {
        case .zstd: return .zstd
        case .snappy: return .snappy
        case .none: return .uncompressed
        }
    }
}

/// Parses `name:type,...` column type lists given on the command line.
enum SchemaOption {
    static func parse(_ text: String) throws -> [String: DataType] {
        var types: [String: DataType] = [:]
        // Split on commas that are not inside parentheses (decimal(10,2)).
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { parts.append(current) }
        for part in parts {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else {
                throw CLIError("--schema entry '\(part)' is not name:type")
            }
            types[pair[0]] = try typeNamed(pair[1])
        }
        return types
    }

    static func typeNamed(_ name: String) throws -> DataType {
        let lowered = name.lowercased()
        switch lowered {
        case "boolean", "bool": return .boolean
        case "byte", "tinyint", "int8": return .int8
        case "short", "smallint", "int16": return .int16
        case "int", "integer", "int32": return .int32
        case "long", "bigint", "int64": return .int64
        case "float", "real", "float32": return .float32
        case "double", "float64": return .float64
        case "string", "varchar", "text": return .string
        case "binary": return .binary
        case "date": return .date32
        case "timestamp": return .timestamp(.utc)
        case "timestamp_ntz": return .timestamp(.ntz)
        default:
            if lowered.hasPrefix("decimal(") && lowered.hasSuffix(")") {
                let inner = lowered.dropFirst(8).dropLast().split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                if inner.count == 2, let p = inner[0], let s = inner[1], (1...38).contains(p), (0...p).contains(s) {
                    return .decimal(precision: p, scale: s)
                }
            }
            throw CLIError("unknown type '\(name)'; use boolean, byte, short, int, long, float, double, string, binary, date, timestamp, timestamp_ntz or decimal(p,s)")
        }
    }
}
