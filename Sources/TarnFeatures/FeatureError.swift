// FeatureError: the one error type of TarnFeatures.
// Owns what a feature-store call reports: what failed, on which feature table, the
// remedy, and the lower-layer cause (TableError, ColumnarError, ExpressionError) kept
// as the cause; it never re-exports a dependency's error type as its own shape.
import TarnColumnar
import TarnLog
import TarnTables

public struct FeatureError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// An argument is invalid (empty key list, negative lookback, bad name).
        case invalidArgument
        /// A feature table, training set, column or version does not exist.
        case notFound
        case alreadyExists
        /// The table exists but carries no feature-table metadata (`tarn.feature.primaryKeys`).
        case notAFeatureTable
        /// Written data or a spine lacks a key (or timestamp) column.
        case missingKeyColumn
        /// A column has a type that does not fit (a key, timestamp or feature column).
        case wrongType
        /// A key column holds a null.
        case nullKey
        /// One write holds the same (primary keys + timestamp key) twice.
        case duplicateKey
        /// A lookup names a feature the table does not have, or the data has a column
        /// the table does not have.
        case unknownColumn
        /// Two output columns of a training set would have the same name.
        case duplicateOutputColumn
        /// `loadTrainingSet` got a spine whose digest differs from the recorded one.
        case spineMismatch
        /// A pinned table version cannot be read any more (log cleaned up or files vacuumed).
        case versionUnavailable
        /// An on-demand feature expression does not parse, bind or evaluate.
        case expression
        /// A concurrent writer changed the table in a way this write cannot rebase onto.
        case conflict
        /// Stored files or metadata are damaged.
        case corrupt
        /// Storage failed.
        case storage
        /// The calling principal lacks a privilege on the table (access control).
        case accessDenied
    }

    public var code: Code
    public var message: String
    /// The feature table (`namespace.table`) concerned, when known.
    public var table: String?
    /// What the caller can do about it.
    public var remedy: String?
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, table: String? = nil, remedy: String? = nil,
                cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.table = table
        self.remedy = remedy
        self.cause = cause
    }

    public var description: String {
        var text = table.map { "feature table \($0): " } ?? ""
        text += message
        if let remedy { text += "; \(remedy)" }
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Wraps a table error, keeping it as the cause.
    init(_ error: TableError, _ what: String, table: String? = nil) {
        let code: Code
        switch error.code {
        case .notFound: code = .notFound
        case .alreadyExists: code = .alreadyExists
        case .schemaMismatch: code = .wrongType
        case .conflict: code = .conflict
        case .corrupt: code = .corrupt
        case .storage: code = .storage
        case .accessDenied: code = .accessDenied
        case .invalidName, .notEmpty, .invalidArgument, .unsupported: code = .invalidArgument
        }
        self.init(code, what, table: table ?? error.table, cause: error)
    }

    /// Wraps an error of any lower layer.
    static func wrapping(_ error: any Error, _ what: String, table: String? = nil) -> FeatureError {
        if let e = error as? FeatureError { return e }
        if let e = error as? TableError { return FeatureError(e, what, table: table) }
        if let e = error as? ColumnarError { return FeatureError(.invalidArgument, what, table: table, cause: e) }
        if let e = error as? LogError {
            if case .conflict = e { return FeatureError(.conflict, what, table: table, remedy: "retry the call", cause: e) }
            return FeatureError(.storage, what, table: table, cause: e)
        }
        return FeatureError(.storage, what, table: table, cause: ErrorText(String(describing: error)))
    }
}

/// A lower-layer error kept only as text (for errors that are not Sendable types).
struct ErrorText: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
