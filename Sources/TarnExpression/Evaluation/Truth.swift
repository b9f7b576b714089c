// Truth: three-valued booleans as two bitmaps (true rows, false rows; neither = null)
// for Kleene AND/OR/NOT over whole columns word by word. Must never report a null row
// as true or false.

import TarnColumnar

struct Truth {
    var isTrue: Bitmap
    var isFalse: Bitmap

    static func of(_ column: Column) throws(ExpressionError) -> Truth {
        guard case let .boolean(bits) = column.storage else {
            throw ExpressionError(.evaluation, "internal: expected a boolean column, found \(column.type.sqlName)")
        }
        guard let validity = column.validity else { return Truth(isTrue: bits, isFalse: ~bits) }
        return Truth(isTrue: bits & validity, isFalse: (~bits) & validity)
    }

    static func of(_ operand: Operand, count: Int) throws(ExpressionError) -> Truth {
        switch operand {
        case let .column(c): return try of(c)
        case let .scalar(.boolean(b), _):
            return Truth(isTrue: Bitmap(repeating: b, count: count), isFalse: Bitmap(repeating: !b, count: count))
        case .scalar:
            return Truth(isTrue: Bitmap(repeating: false, count: count), isFalse: Bitmap(repeating: false, count: count))
        }
    }

    func column() throws(ExpressionError) -> Column {
        let known = isTrue | isFalse
        return try makeColumn(.boolean, count: isTrue.count, validity: known, storage: .boolean(isTrue))
    }
}
