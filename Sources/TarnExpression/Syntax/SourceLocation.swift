// SourceLocation and ExpressionError: where in SQL text something is, and the one
// error type of TarnExpression. Owns rendering an error with its source line and a
// caret; must never include anything but the offending text in a message.

/// A position in source text: `offset` counts characters (Swift `Character`s) from the
/// start, 0-based; `line` and `column` are 1-based and count characters too.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The start of a text.
    public static let start = SourceLocation(offset: 0, line: 1, column: 1)

    public var description: String { "line \(line), column \(column)" }
}

/// The error of the expression language: lexing, parsing, binding and evaluation.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Malformed text: bad token, unexpected token, nesting too deep.
        case syntax
        /// A column name that the scope does not have.
        case unknownColumn
        /// A column name that more than one scope column matches.
        case ambiguousColumn
        /// A function name the catalog does not know (or an aggregate where none is allowed).
        case unknownFunction
        /// Operand types that an operator or function does not accept.
        case typeMismatch
        /// A wrong number or form of arguments, a bad literal, a bad pattern.
        case invalidArgument
        /// A failure while computing values: overflow, division by zero, bad cast.
        case evaluation
        /// Valid syntax that Tarn does not implement.
        case unsupported
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// "line L, column C: message" (or just the message without a location).
    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    /// The description, then the source line the location points into and a caret
    /// under the column. Without a location (or outside `source`) only the description.
    public func rendered(source: String) -> String {
        guard let location else { return description }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line >= 1, location.line <= lines.count else { return description }
        var line = String(lines[location.line - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        lines = []
        // Tabs keep their width in the caret line so the caret lines up.
        var caret = ""
        for (i, ch) in line.enumerated() where i < location.column - 1 {
            caret.append(ch == "\t" ? "\t" : " ")
        }
        let shown = min(line.count, location.column - 1)
        if location.column - 1 > shown { caret += String(repeating: " ", count: min(location.column - 1 - shown, 1)) }
        caret.append("^")
        return description + "\n" + line + "\n" + caret
    }
}
