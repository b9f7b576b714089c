// SQLError: the one error type of TarnSQL. Owns what a SQL statement reports — the kind
// of failure, where in the statement text it happened, and the lower-layer cause (an
// ExpressionError or TableError kept as the cause, never re-exported as this type's shape).
// Rendering (line, column, the statement line and a caret) lives here; nothing here throws.
import TarnColumnar
import TarnExpression
import TarnTables

public struct SQLError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The text is not valid SQL (a token the grammar does not expect there).
        case syntax
        /// A name does not resolve: unknown table, namespace or column.
        case binding
        /// An expression's types do not fit (comparing a string with a number, a bad cast).
        case type
        /// Valid SQL that Tarn does not implement (yet).
        case unsupported
        /// Running the statement failed (division by zero, overflow, a constraint violated).
        case execution
        /// A query needed more memory than the configured limit.
        case memoryLimit
        /// A table or catalog operation failed; the TableError is the cause.
        case table
        /// The principal lacks a privilege for the statement.
        case accessDenied
        /// Reading or writing a file outside a table failed (a parquet/csv path, an output file).
        case io
        /// The statement was cancelled (Ctrl-C in the shell).
        case cancelled
    }

    public var kind: Kind
    public var message: String
    /// Where in the source text (the whole text given to the session) the error points.
    public var location: SourceLocation?
    /// The text of the statement that failed, when known (used to render the caret line).
    public var statementText: String?
    /// Where `statementText` starts in the source text (so `location` can be rebased onto it).
    public var statementLocation: SourceLocation?
    /// What the parser expected at `location` ("expected ')', found 'FROM'"), when known.
    public var expected: String?
    /// The lower-layer error that caused this one.
    public var cause: (any Error & Sendable)?

    public init(_ kind: Kind, _ message: String, location: SourceLocation? = nil, statementText: String? = nil,
                statementLocation: SourceLocation? = nil, expected: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.kind = kind
        self.statementLocation = statementLocation
        self.message = message
        self.location = location
        self.statementText = statementText
        self.expected = expected
        self.cause = cause
    }

    /// Wraps an expression error: syntax stays syntax, unknown/ambiguous names become
    /// binding, type mismatches type, evaluation failures execution.
    public init(_ error: ExpressionError, statementText: String? = nil) {
        let kind: Kind
        switch error.kind {
        case .syntax: kind = .syntax
        case .unknownColumn, .ambiguousColumn, .unknownFunction: kind = .binding
        case .typeMismatch, .invalidArgument: kind = .type
        case .evaluation: kind = .execution
        case .unsupported: kind = .unsupported
        }
        self.init(kind, error.message, location: error.location, statementText: statementText, cause: error)
    }

    /// Wraps a table error: an unknown table or namespace is a binding error, an unsupported
    /// table feature is unsupported, everything else is a table error with the TableError as cause.
    public init(_ error: TableError, statementText: String? = nil, location: SourceLocation? = nil) {
        let kind: Kind
        switch error.code {
        case .notFound: kind = .binding
        case .unsupported: kind = .unsupported
        case .accessDenied: kind = .accessDenied
        default: kind = .table
        }
        var message = error.table.map { "table \($0): " } ?? ""
        message += error.message
        self.init(kind, message, location: location, statementText: statementText, cause: error)
    }

    /// The same error with the statement text and start (and a location, when it had none)
    /// filled in.
    public func within(statement text: String, at start: SourceLocation? = nil) -> SQLError {
        var copy = self
        if copy.statementText == nil || copy.statementText == text {
            copy.statementText = text
            if copy.statementLocation == nil { copy.statementLocation = start }
        }
        if copy.location == nil { copy.location = start }
        return copy
    }

    public var description: String {
        var text = message
        if let expected, !message.contains(expected) { text += " (expected \(expected))" }
        if let cause, !(cause is TableError), !(cause is ExpressionError) { text += ": \(cause)" }
        else if let tableError = cause as? TableError, let inner = tableError.cause { text += ": \(inner)" }
        return text
    }

    /// "error: line L, column C: message", then the statement's line and a caret under the
    /// column, then "expected …" when known. Without a location: "error: message".
    ///
    /// `location` is relative to the source text the statement came from; `source` is that
    /// text when the caller has it (the whole script), else `statementText` is used and the
    /// location is taken relative to it.
    public func rendered(source: String? = nil) -> String {
        guard let location else {
            var out = "error: \(description)"
            if let statementText, !statementText.isEmpty {
                let firstLine = statementText.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                out += "\n  in: " + SQLError.printable(String(firstLine.prefix(200)))
            }
            return out
        }
        var out = "error: line \(location.line), column \(location.column): \(message)"
        if let cause = (cause as? TableError)?.cause { out += ": \(cause)" }
        // The line to show: from the whole source, else from the statement's own text with
        // the location rebased onto the statement's start.
        var text = source
        var lineNumber = location.line
        var column = max(1, location.column)
        if text == nil, let statementText {
            text = statementText
            if let start = statementLocation {
                lineNumber = location.line - start.line + 1
                if location.line == start.line { column = max(1, location.column - start.column + 1) }
            }
        }
        if let text, let line = SQLError.line(lineNumber, of: text) {
            // Clip long lines around the caret so the caret stays visible.
            let characters = Array(line)
            let window = 160
            var start = 0
            if column > window - 20 { start = column - (window - 20) }
            let end = min(characters.count, start + window)
            let shown = start < end ? String(characters[start..<end]) : ""
            let prefix = start > 0 ? "…" : ""
            out += "\n  " + prefix + SQLError.printable(shown)
            let pad = String(repeating: " ", count: prefix.count + max(0, column - 1 - start))
            out += "\n  " + pad + "^"
        }
        if let expected, !message.contains(expected) { out += "\n  expected \(expected)" }
        return out
    }

    /// Line `number` (1-based) of `text`, nil when the text has fewer lines.
    static func line(_ number: Int, of text: String) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if current == number { break }
            if text[index] == "\n" {
                current += 1
                lineStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        guard current == number else { return nil }
        let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
        return String(text[lineStart..<lineEnd]).filter { $0 != "\r" }
    }

    /// Tabs become spaces (so the caret lines up) and control characters are escaped.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\t" { out += " " }
            else if scalar.value < 0x20 || scalar.value == 0x7F { out += "?" }
            else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

