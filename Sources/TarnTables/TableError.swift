// TableError: the one error type of TarnTables.
// Owns what a table or catalog operation reports: what failed, on which table, and the
// lower-layer cause (a LogError, ParquetError or StorageError) kept as the cause, never
// re-exported as this type's own payload shape.

public struct TableError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A namespace, table or column name breaks the naming rules.
        case invalidName
        case notFound
        case alreadyExists
        /// A namespace that still holds tables cannot be dropped.
        case notEmpty
        /// Written data does not fit the table's schema.
        case schemaMismatch
        /// An option or argument is invalid (a bad predicate column, a negative limit).
        case invalidArgument
        /// Another writer changed the table in a way this operation cannot rebase onto.
        case conflict
        /// The table's files or log are damaged or unreadable.
        case corrupt
        /// The table needs a feature Tarn does not implement.
        case unsupported
        /// Storage failed (IO error, permissions, full disk).
        case storage
        case accessDenied  // the calling principal lacks a privilege; the cause is an AccessDenied (Access/)
    }

    public var code: Code
    public var message: String
    /// The table (`namespace.table` or a path) the error concerns, when known.
    public var table: String?
    /// The lower-layer error that caused this one.
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, table: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.table = table
        self.cause = cause
    }

    public var description: String {
        var text = table.map { "table \($0): " } ?? ""
        text += message
        if let cause { text += ": \(cause)" }
        return text
    }
}
