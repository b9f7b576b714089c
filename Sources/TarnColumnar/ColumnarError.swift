// ColumnarError: the one error type of TarnColumnar.
// Owns the failure cases of building, combining and converting columns and of CSV
// input; cases carry the column, row or line they concern.

public enum ColumnarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Columns of one batch disagree on length, or a column disagrees with its field.
    case invalidBatch(String)
    /// An operation got a column of a type it cannot handle.
    case typeMismatch(expected: String, actual: String, context: String)
    /// An index, mask or slice is out of range for the column.
    case outOfRange(String)
    /// A value does not fit the target type (overflow, NaN to int, bad text).
    case invalidValue(String)
    /// Malformed CSV or JSON text at a line (1-based) and column name where known.
    case malformedInput(line: Int, column: String?, message: String)
    /// A string/binary column would exceed the 2 GiB offset limit of one column buffer.
    case capacityExceeded(String)

    public var description: String {
        switch self {
        case let .invalidBatch(message): return "invalid batch: \(message)"
        case let .typeMismatch(expected, actual, context):
            return "type mismatch in \(context): expected \(expected), found \(actual)"
        case let .outOfRange(message): return "out of range: \(message)"
        case let .invalidValue(message): return "invalid value: \(message)"
        case let .malformedInput(line, column, message):
            let where_ = column.map { "line \(line), column \($0)" } ?? "line \(line)"
            return "malformed input at \(where_): \(message)"
        case let .capacityExceeded(message):
            return "\(message); split the data into smaller batches"
        }
    }
}
