// Table commands: import, export, history, describe, tables. Each resolves TABLE as
// `namespace.table` under the root or as a path to any Delta table, then calls
// TarnTables; formatting of rows is shared with `tarn parquet cat`.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnLog
import TarnParquet
import TarnTables

/// Reads CSV or Parquet (chosen by magic bytes, then extension) into batches.
enum InputFile {
    static func read(_ path: String) throws -> (schema: Schema, batches: [RecordBatch]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the file (missing or not readable)")
        }
        let bytes = [UInt8](data)
        if bytes.count >= 4 && Array(bytes.prefix(4)) == Array("PAR1".utf8) {
            let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: path)
            return (reader.schema, try reader.read())
        }
        if path.lowercased().hasSuffix(".parquet") {
            throw CLIError("\(path): not a Parquet file (no PAR1 magic)")
        }
        return try CSVReader.read(bytes)
    }
}

/// Parses `--timestamp` text: ISO-8601 / `YYYY-MM-DD HH:MM:SS[.f][Z|±HH:MM]` (UTC when no zone).
func parseTimestampOption(_ text: String) throws -> Int64 {
    guard let parsed = TemporalFormat.parseTimestamp(Substring(text)) else {
        throw CLIError("--timestamp '\(text)' is not a timestamp; write e.g. 2026-11-29 10:00:00 or 2026-11-29T10:00:00Z")
    }
    return parsed.micros
}

/// Writes batches in a row format to stdout or a file.
enum RowOutput {
    static func render(_ batches: [RecordBatch], schema: Schema, format: RowFormat) -> [UInt8] {
        switch format {
        case .table: return Array(PrettyTableWriter().write(batches, schema: schema).utf8)
        case .csv: return CSVWriter().write(batches, schema: schema)
        case .json: return JSONLinesWriter().write(batches)
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a CSV or Parquet file into a table (created when missing).",
        discussion: "TABLE is namespace.table under the root, or a path to a Delta table directory."
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The CSV or Parquet file.") var file: String
    @Argument(help: "The table: namespace.table or a path.") var table: String
    @Option(name: .long, help: "append (default) or overwrite.") var mode: ImportMode = .append
    @Option(name: .customLong("partition-by"), help: "Comma-separated partition columns (only when creating the table).")
    var partitionBy: String?
    @Flag(name: .customLong("merge-schema"), help: "Add the file's new columns to the table (schema evolution).")
    var mergeSchema = false

    enum ImportMode: String, ExpressibleByArgument { case append, overwrite }

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let (schema, batches) = try InputFile.read(file)
            let partitions = partitionBy.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let target: Table
            if table.contains("/") || table.hasPrefix(".") {
                do {
                    target = try Table.open(directory: table)
                } catch let error as TableError where error.code == .notFound {
                    target = try Table.create(directory: table, schema: schema, partitionColumns: partitions)
                }
            } else {
                let id = try TableIdentifier(parsing: table)
                if try catalog.tableExists(id) {
                    if !partitions.isEmpty {
                        let existing = try catalog.openTable(id).snapshot().partitionColumns
                        if existing != partitions {
                            throw CLIError("table \(id) is partitioned by [\(existing.joined(separator: ","))]; --partition-by only applies when creating a table")
                        }
                    }
                    target = try catalog.openTable(id)
                } else {
                    target = try catalog.createTable(id, schema: schema, partitionColumns: partitions)
                }
            }
            var options = WriteOptions()
            options.mergeSchema = mergeSchema
            let result = try target.write(batches, mode: mode == .append ? .append : .overwrite, options: options)
            print("\(mode == .append ? "appended" : "overwrote with") \(result.rowsWritten) rows in \(result.filesAdded) file(s) to \(target.name): version \(result.version.map(String.init) ?? "-")")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a table (any version) to a Parquet, CSV or JSON-lines file.",
        discussion: "Use --version N or --timestamp T to read an older version (time travel)."
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The table: namespace.table or a path.") var table: String
    @Argument(help: "The output file ('-' for stdout, csv/json only).") var output: String
    @Option(name: .long, help: "Read this version.") var version: Int64?
    @Option(name: .long, help: "Read the version current at this time (e.g. 2026-11-29 10:00:00).") var timestamp: String?
    @Option(name: .long, help: "parquet (default), csv or json.") var format: ExportFormat = .parquet

    enum ExportFormat: String, ExpressibleByArgument { case parquet, csv, json }

    func validate() throws {
        if version != nil && timestamp != nil { throw ValidationError("give --version or --timestamp, not both") }
        if let version, version < 0 { throw ValidationError("--version must be 0 or more") }
        if output == "-" && format == .parquet { throw ValidationError("Parquet output needs a file, not stdout") }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let target = try catalog.openTable(reference: table)
            let asOf: TimeTravel? = try version.map { .version($0) } ?? timestamp.map { .timestamp(try parseTimestampOption($0)) }
            let scan = try target.scan(asOf: asOf)
            let batches = try scan.batches()
            let bytes: [UInt8]
            switch format {
            case .parquet: bytes = try ParquetFileWriter.write(batches, schema: scan.schema)
            case .csv: bytes = RowOutput.render(batches, schema: scan.schema, format: .csv)
            case .json: bytes = RowOutput.render(batches, schema: scan.schema, format: .json)
            }
            if output == "-" {
                writeOut(bytes)
            } else {
                try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
                let rows = batches.reduce(0) { $0 + $1.rowCount }
                FileHandle.standardError.write(Data("exported \(rows) rows of \(target.name) version \(scan.snapshot.version) to \(output)\n".utf8))
            }
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show a table's commits, newest first.")

    @OptionGroup var root: RootOption
    @Argument(help: "The table: namespace.table or a path.") var table: String
    @Option(name: .long, help: "Show at most this many commits.") var limit: Int?
    @Option(name: .long, help: "table, csv or json.") var format: RowFormat = .table

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let records = try catalog.openTable(reference: table).history(limit: limit)
            let batch = try HistoryRows.batch(records)
            writeOut(RowOutput.render([batch], schema: batch.schema, format: format))
        }
    }
}

/// History records as rows (the columns of Delta's DESCRIBE HISTORY that Tarn records).
enum HistoryRows {
    static func batch(_ records: [CommitRecord]) throws -> RecordBatch {
        let schema = Schema([
            Field("version", .int64), Field("timestamp", .timestamp(.utc)), Field("operation", .string),
            Field("operationParameters", .string), Field("operationMetrics", .string),
            Field("readVersion", .int64), Field("isBlindAppend", .boolean), Field("engineInfo", .string),
        ])
        func json(_ map: [String: String]?) -> String? {
            guard let map else { return nil }
            return JSONWriter.string(.object(map.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }))
        }
        return try RecordBatch(schema: schema, columns: [
            try Column(.int64, records.map { Optional($0.version) }),
            try Column(.timestamp(.utc), records.map { Optional($0.timestamp * 1000) }),
            try Column(strings: records.map { $0.commitInfo?.operation }),
            try Column(strings: records.map { json($0.commitInfo?.operationParameters) }),
            try Column(strings: records.map { json($0.commitInfo?.operationMetrics) }),
            try Column(.int64, records.map { $0.commitInfo?.readVersion }),
            try Column(booleans: records.map { $0.commitInfo?.isBlindAppend }),
            try Column(strings: records.map { $0.commitInfo?.engineInfo }),
        ])
    }
}

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show a table's schema and detail.")

    @OptionGroup var root: RootOption
    @Argument(help: "The table: namespace.table or a path.") var table: String

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let detail = try catalog.openTable(reference: table).detail()
            var out = "table:        \(detail.name)\n"
            out += "location:     \(detail.location)\n"
            out += "id:           \(detail.id)\n"
            if let description = detail.description { out += "description:  \(description)\n" }
            out += "version:      \(detail.version)\n"
            if let modified = detail.lastModified { out += "modified:     \(TemporalFormat.timestamp(modified * 1000, zone: .utc))\n" }
            out += "files:        \(detail.numFiles) (\(detail.sizeInBytes) bytes)\n"
            out += "partitioned:  \(detail.partitionColumns.isEmpty ? "no" : detail.partitionColumns.joined(separator: ", "))\n"
            out += "protocol:     reader \(detail.minReaderVersion), writer \(detail.minWriterVersion)"
            let features = detail.readerFeatures + detail.writerFeatures.filter { !detail.readerFeatures.contains($0) }
            out += features.isEmpty ? "\n" : " (features: \(features.joined(separator: ", ")))\n"
            if !detail.properties.isEmpty {
                out += "properties:\n"
                for (k, v) in detail.properties.sorted(by: { $0.key < $1.key }) { out += "  \(k) = \(v)\n" }
            }
            out += "columns:\n"
            for field in detail.schema.fields {
                ParquetSchemaText.appendField(field, indent: 1, into: &out)
            }
            writeOut(out)
        }
    }
}

struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tables", abstract: "List the tables under the root (of one namespace).")

    @OptionGroup var root: RootOption
    @Argument(help: "Only this namespace.") var namespace: String?

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            for id in try catalog.listTables(namespace: namespace) { print(id.description) }
        }
    }
}

