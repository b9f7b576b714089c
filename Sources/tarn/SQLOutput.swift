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

/// Prints results as they arrive. Parquet output keeps the last result with rows and writes
/// it when `finish()` is called.
final class SQLResultPrinter {
    let format: SQLFormat
    let sink: SQLOutputSink
    let outputPath: String?
    /// Whether anything has been printed (to separate results with a blank line).
    private var printedAny = false
    private var parquetResult: StatementResult?

    init(format: SQLFormat, output: String?) throws {
        self.format = format
        self.outputPath = output
        if format == .parquet {
            guard output != nil else { throw CLIError("--format parquet writes a file; give it with --output FILE.parquet") }
            // The file is written at the end, atomically.
            sink = try SQLOutputSink(path: nil)
        } else {
            sink = try SQLOutputSink(path: output)
        }
    }

    func print(_ result: StatementResult) {
        switch format {
        case .table: printTable(result)
        case .csv:
            var out: [UInt8] = []
            if printedAny { out.append(0x0A) }
            let writer = CSVWriter()
            writer.writeHeader(result.schema, into: &out)
            for batch in result.batches { writer.writeRows(batch, into: &out) }
            sink.write(out)
        case .json:
            var out: [UInt8] = []
            for batch in result.batches { JSONLinesWriter().writeRows(batch, into: &out) }
            sink.write(out)
        case .parquet:
            parquetResult = result
        }
        printedAny = true
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
                out += "\(rows) row\(rows == 1 ? "" : "s") (\(time) ms)\n"
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
