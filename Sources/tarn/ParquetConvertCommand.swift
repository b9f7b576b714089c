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
            if let schema { options.columnTypes = try CSVReadOptions.parseColumnTypes(schema) }
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
