// `tarn parquet cat FILE`: print rows of a Parquet file as a table, CSV or JSON lines,
// reading row group by row group and stopping once --limit rows are out.
import ArgumentParser
import TarnColumnar
import TarnParquet
import TarnTables

struct ParquetCatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print the rows of a Parquet file.",
        discussion: """
        --format json writes one JSON object per row: timestamps as ISO-8601 with
        microseconds ('Z' for UTC), floats with full precision (NaN and infinities as
        strings), binary as base64.
        """
    )

    @Argument(help: "The Parquet file.")
    var file: String

    @Option(name: .long, help: "Comma-separated columns to print (nested leaves as a.b).")
    var columns: String?

    @Option(name: .long, help: "Print at most this many rows.")
    var limit: Int?

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: RowFormat = .table

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more, got \(limit)") }
    }

    func run() throws {
        try reportingErrors {
            let reader = try ParquetFileReader(input: try StoreParquetInput(localFile: file), name: file)
            let selected = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            var remaining = limit ?? Int.max
            var batches: [RecordBatch] = []
            var schema = reader.schema
            var first = true
            for group in 0..<reader.rowGroupCount where remaining > 0 {
                var batch = try reader.readRowGroup(group, columns: selected)
                if batch.rowCount > remaining { batch = try batch.slice(0..<remaining) }
                remaining -= batch.rowCount
                schema = batch.schema
                switch format {
                case .table:
                    batches.append(batch)
                case .csv:
                    var out: [UInt8] = []
                    let writer = CSVWriter()
                    if first { writer.writeHeader(batch.schema, into: &out) }
                    writer.writeRows(batch, into: &out)
                    writeOut(out)
                case .json:
                    var out: [UInt8] = []
                    JSONLinesWriter().writeRows(batch, into: &out)
                    writeOut(out)
                }
                first = false
            }
            switch format {
            case .table:
                if reader.rowGroupCount == 0 || batches.isEmpty, let selected {
                    schema = try projectedSchema(reader.schema, selected)
                }
                writeOut(PrettyTableWriter().write(batches, schema: schema))
            case .csv where first:
                var out: [UInt8] = []
                CSVWriter().writeHeader(selected.map { (try? projectedSchema(reader.schema, $0)) ?? reader.schema } ?? reader.schema, into: &out)
                writeOut(out)
            default:
                break
            }
        }
    }

    private func projectedSchema(_ schema: Schema, _ names: [String]) throws -> Schema {
        Schema(try names.map { name in
            guard let field = schema.field(named: name.split(separator: ".").first.map(String.init) ?? name) else {
                throw CLIError("no column '\(name)'; the file has: \(schema.names.joined(separator: ", "))")
            }
            return field
        })
    }
}

import Foundation
