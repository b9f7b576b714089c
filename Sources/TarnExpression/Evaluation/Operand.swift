// Operand: an evaluated subexpression — a whole column or one constant for every row —
// so kernels can run column-op-constant loops without materialising constants.
// Must never broadcast a constant to a column unless a caller needs a column.

import TarnColumnar

/// A value for every row: a column, or one scalar that every row shares.
enum Operand {
    case column(Column)
    case scalar(ScalarValue, DataType)

    var type: DataType {
        switch self {
        case let .column(c): return c.type
        case let .scalar(_, t): return t
        }
    }

    var isNullScalar: Bool {
        if case .scalar(.null, _) = self { return true }
        return false
    }

    /// The operand as a column of `count` rows.
    func materialize(count: Int) throws(ExpressionError) -> Column {
        switch self {
        case let .column(c): return c
        case let .scalar(value, type):
            do {
                return try Column.repeating(value, type: type, count: count)
            } catch {
                throw ExpressionError(.evaluation, "cannot make a column of \(type.sqlName) from \(value): \(error)")
            }
        }
    }
}

extension ExpressionError {
    /// A kernel failure as an evaluation error.
    static func evaluation(_ error: ColumnarError, _ context: String) -> ExpressionError {
        switch error {
        case let .invalidValue(message): return ExpressionError(.evaluation, "\(context): \(message)")
        default: return ExpressionError(.evaluation, "\(context): \(error)")
        }
    }
}

/// Validity of a row-wise combination: valid where every input is valid.
func combinedValidity(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
    switch (a, b) {
    case let (x?, y?): return x & y
    case let (x?, nil): return x
    case let (nil, y?): return y
    case (nil, nil): return nil
    }
}

/// A column from parts the kernel guarantees consistent; a failure is reported, not trapped.
func makeColumn(_ type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage) throws(ExpressionError) -> Column {
    do {
        return try Column(type: type, count: count, validity: validity, storage: storage)
    } catch {
        throw ExpressionError(.evaluation, "internal: could not build a \(type.sqlName) column: \(error)")
    }
}

/// A boolean column of all nulls.
func nullBooleans(_ count: Int) throws(ExpressionError) -> Column {
    try makeColumn(.boolean, count: count, validity: Bitmap(repeating: false, count: count), storage: .boolean(Bitmap(repeating: false, count: count)))
}
