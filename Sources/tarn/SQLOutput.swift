// SQLOutput: how `tarn sql` prints statement results — an aligned table with "N rows (T ms)",
// CSV, JSON lines (formatted as `tarn parquet cat` does), or a Parquet file — to stdout or
// --output. Owns formatting only; never runs SQL.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnParquet
import TarnSQL

enum SQLFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, parquet
}

/// Where result text goes: stdout, or a file opened once per run.
final class SQLOutputSink {
    private let handle: FileHandle
    private let path: String?

    init(path: String?) throws {
        self.path = path
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIError("\(path): cannot create the output file")
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("\(path): cannot open the output file for writing")
            }
            self.handle = handle
        } else {
            handle = FileHandle.standardOutput
        }
    }

    func write(_ text: String) { handle.write(Data(text.utf8)) }
    func write(_ bytes: [UInt8]) { handle.write(Data(bytes)) }

    func close() {
        if path != nil { try? handle.close() }
    }
}

/// Prints results as they arrive. Query rows are streamed: csv and json write each batch as
/// the engine produces it; the table format keeps at most `maxTableRows` rows to align (and
/// says how many more there were); parquet keeps the last result with rows and writes it
/// when `finish()` is called.
final class SQLResultPrinter {
    let format: SQLFormat
    let sink: SQLOutputSink
    let outputPath: String?
    /// Rows the table format shows at most (they must all be held to align the columns).
    let maxTableRows: Int
    /// Whether anything has been printed (to separate results with a blank line).
    private var printedAny = false
    private var parquetResult: StatementResult?
    // The query being streamed.
    private var headerWritten = false
    private var kept: [RecordBatch] = []
    private var keptRows = 0

    init(format: SQLFormat, output: String?, maxTableRows: Int = 10_000) throws {
        self.format = format
        self.outputPath = output
        self.maxTableRows = maxTableRows
        if format == .parquet {
            guard output != nil else { throw CLIError("--format parquet writes a file; give it with --output FILE.parquet") }
            // The file is written at the end, atomically.
            sink = try SQLOutputSink(path: nil)
        } else {
            sink = try SQLOutputSink(path: output)
        }
    }

    /// One batch of a query's rows, as the engine produces it.
    func rows(_ schema: Schema, _ batch: RecordBatch) {
        switch format {
        case .csv:
            var out: [UInt8] = []
            if !headerWritten { startCSV(schema, into: &out) }
            CSVWriter().writeRows(batch, into: &out)
            sink.write(out)
        case .json:
            var out: [UInt8] = []
            JSONLinesWriter().writeRows(batch, into: &out)
            sink.write(out)
        case .table:
            let room = maxTableRows - keptRows
            guard room > 0 else { return }
            let piece = batch.rowCount <= room ? batch : ((try? batch.slice(0..<room)) ?? batch)
            kept.append(piece)
            keptRows += piece.rowCount
        case .parquet:
            kept.append(batch)
        }
    }

    private func startCSV(_ schema: Schema, into out: inout [UInt8]) {
        if printedAny { out.append(0x0A) }
        CSVWriter().writeHeader(schema, into: &out)
        headerWritten = true
        printedAny = true
    }

    /// A finished statement's result (for a streamed query: its schema and row count).
    func print(_ result: StatementResult) {
        defer {
            headerWritten = false
            kept = []
            keptRows = 0
            printedAny = true
        }
        var result = result
        if result.streamedRows != nil { result.batches = kept }
        switch format {
        case .table: printTable(result)
        case .csv:
            var out: [UInt8] = []
            if !headerWritten { startCSV(result.schema, into: &out) }
            if result.streamedRows == nil {
                for batch in result.batches { CSVWriter().writeRows(batch, into: &out) }
            }
            sink.write(out)
        case .json:
            guard result.streamedRows == nil else { return }
            var out: [UInt8] = []
            for batch in result.batches { JSONLinesWriter().writeRows(batch, into: &out) }
            sink.write(out)
        case .parquet:
            parquetResult = result
        }
    }

    private func printTable(_ result: StatementResult) {
        var out = printedAny ? "\n" : ""
        let time = SQLResultPrinter.millis(result.elapsed)
        switch result.kind {
        case .message where result.schema.names == ["result"]:
            out += (result.message ?? "OK") + " (\(time) ms)\n"
        case .plan:
            out += (result.message ?? "")
            if !out.hasSuffix("\n") { out += "\n" }
        default:
            var options = PrettyTableOptions()
            options.showRowCount = false
            out += PrettyTableWriter(options: options).write(result.batches, schema: result.schema)
            let rows = result.rowCount
            if result.kind == .query {
                let shown = result.batches.reduce(0) { $0 + $1.rowCount }
                out += "\(rows) row\(rows == 1 ? "" : "s")"
                if shown < rows { out += ", first \(shown) shown; use --format csv or json for all" }
                out += " (\(time) ms)\n"
            } else {
                out += (result.message ?? "\(rows) rows") + " (\(time) ms)\n"
            }
        }
        sink.write(out)
    }

    /// Writes the Parquet file (parquet format) and closes the output.
    func finish() throws {
        defer { sink.close() }
        guard format == .parquet, let outputPath else { return }
        guard let result = parquetResult else {
            throw CLIError("no statement produced rows to write to \(outputPath)")
        }
        let bytes = try ParquetFileWriter.write(result.batches, schema: result.schema)
        try Data(bytes).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
        FileHandle.standardError.write(Data("wrote \(result.rowCount) rows to \(outputPath)\n".utf8))
    }

    static func millis(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        if ms < 10 { return String(format: "%.2f", ms) }
        if ms < 100 { return String(format: "%.1f", ms) }
        return String(format: "%.0f", ms)
    }
}
