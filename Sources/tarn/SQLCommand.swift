// `tarn sql`: runs SQL statements given as an argument, from a file (-f), from piped stdin,
// or in an interactive shell when stdin is a terminal. Owns option parsing and turning a
// SQLError into "error: line L, column C: …" with the source line and a caret (exit 1).
import ArgumentParser
import Foundation
import TarnSQL
import TarnTables

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run SQL statements against the lakehouse (or open a SQL shell).",
        discussion: """
        Statements are separated by ';'. They are all parsed first (a syntax error runs
        nothing), then run in order; the first error stops the run with exit status 1.
        With no statements and no -f, statements are read from stdin when it is piped, and
        an interactive shell starts when it is a terminal (.help lists its commands).
        Unqualified table names are in the namespace `default` (see --namespace).
        Examples:
          tarn sql "SELECT * FROM sales.orders VERSION AS OF 3 LIMIT 10"
          tarn sql -f report.sql --format csv --output report.csv
          echo "DESCRIBE HISTORY sales.orders;" | tarn sql --format json
        """
    )

    @OptionGroup var root: RootOption

    @Argument(help: "The statements to run, separated by ';'.")
    var statements: String?

    @Option(name: [.customShort("f"), .customLong("file")], help: "Run the statements in this file.")
    var file: String?

    @Option(name: .long, help: "Output format: table, csv, json or parquet (parquet needs --output).")
    var format: SQLFormat = .table

    @Option(name: .long, help: "Write results to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "The namespace of unqualified table names.")
    var namespace: String = "default"

    @Option(name: .customLong("memory-limit"), help: "Memory a query may hold for hash tables and sorts, e.g. 512MB or 4GB.")
    var memoryLimit: String?

    func validate() throws {
        if statements != nil && file != nil {
            throw ValidationError("give the statements either as an argument or with -f FILE, not both")
        }
        if format == .parquet && output == nil {
            throw ValidationError("--format parquet writes a file; give it with --output FILE.parquet")
        }
        if let memoryLimit, SQLCommand.parseBytes(memoryLimit) == nil {
            throw ValidationError("--memory-limit '\(memoryLimit)' is not a size; write e.g. 512MB or 2GB")
        }
    }

    func run() throws {
        var options = SQLSession.Options()
        options.defaultNamespace = namespace
        options.memoryLimit = memoryLimit.flatMap(SQLCommand.parseBytes)
        options.cancellation = ShellSignals.cancellation
        let session: SQLSession
        do {
            session = SQLSession(catalog: try root.catalog(), options: options)
        } catch let error as TableError {
            SQLCommand.report(SQLError(error), source: nil)
            throw ExitCode(1)
        } catch {
            SQLCommand.report(SQLError(.io, "cannot open the lakehouse at \(root.path): \(error)"), source: nil)
            throw ExitCode(1)
        }
        let printer: SQLResultPrinter
        do {
            printer = try SQLResultPrinter(format: format, output: output)
        } catch {
            printError(error)
            throw ExitCode(1)
        }

        let script: String
        if let statements {
            script = statements
        } else if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                printError(CLIError("\(file): cannot read the file (missing or not readable)"))
                throw ExitCode(1)
            }
            script = String(decoding: data, as: UTF8.self)
        } else if isatty(STDIN_FILENO) == 1 {
            let shell = SQLShell(session: session, printer: printer, root: root.path)
            let status = shell.run()
            try finish(printer)
            if status != 0 { throw ExitCode(status) }
            return
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            script = String(decoding: data, as: UTF8.self)
        }

        let ok = SQLCommand.runScript(script, session: session, printer: printer)
        try finish(printer)
        if !ok { throw ExitCode(1) }
    }

    private func finish(_ printer: SQLResultPrinter) throws {
        do {
            try printer.finish()
        } catch {
            printError(error)
            throw ExitCode(1)
        }
    }

    /// Runs every statement of `script`, printing each result; false after the first error
    /// (which is printed with its line, column and caret).
    static func runScript(_ script: String, session: SQLSession, printer: SQLResultPrinter) -> Bool {
        // Empty input (an empty file, nothing piped) runs nothing and is not an error.
        if script.allSatisfy(\.isWhitespace) { return true }
        do {
            try session.execute(script, rows: { schema, batch in printer.rows(schema, batch) }) { result in
                printer.print(result)
            }
            return true
        } catch {
            report(error, source: script)
            return false
        }
    }

    static func report(_ error: SQLError, source: String?) {
        var text = error.rendered(source: source)
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// "512MB", "2GB", "1048576" → bytes.
    static func parseBytes(_ text: String) -> Int? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("GB", 1 << 30), ("MB", 1 << 20),
                                      ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let value = Double(upper.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)),
                  value.isFinite, value > 0, value * Double(factor) < 9e18 else { return nil }
            return Int(value * Double(factor))
        }
        guard let value = Int(upper), value > 0 else { return nil }
        return value
    }
}

/// SIGINT while a statement runs cancels the statement (the flag the session checks between
/// batches), not the process. Operators that work long without returning a batch (a big
/// aggregate, an UPDATE rewrite) see the flag late; a second Ctrl-C then ends the process.
enum ShellSignals {
    static let cancellation = CancellationFlag()

    static func installCancellingHandler() {
        signal(SIGINT) { _ in
            // Only async-signal-safe work here: an atomic load/store, write(2) and _exit(2).
            if ShellSignals.cancellation.isCancelled {
                _exit(130)
            }
            ShellSignals.cancellation.cancel()
            let note: StaticString = "\ncancelling the statement (press Ctrl-C again to quit)\n"
            // SAFETY: the buffer is the static string's own storage, valid for the call; write(2)
            // reads exactly `count` bytes from it.
            _ = note.withUTF8Buffer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    static func restoreDefaultHandler() {
        signal(SIGINT, SIG_DFL)
    }
}
