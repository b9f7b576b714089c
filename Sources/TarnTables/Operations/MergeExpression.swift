// MergeValue and MergeCondition: what MERGE clauses compute — built-in forms (columns of
// the target or the source, literals, comparisons, AND/OR/NOT, IS NULL) or any SQL
// expression over target and source columns — and their bulk evaluation over a set of
// joined rows with SQL three-valued logic. Must never turn an unknown (null) condition
// into true. SQL is parsed and bound with TarnExpression (SQLExpressions.swift).
import TarnColumnar
import TarnExpression

/// A value in a MERGE clause: a column of the target row, a column of the source row,
/// a literal, or a SQL expression (text or parsed) over target and source columns.
/// SQL names columns as `<alias>.<column>` — the aliases are `target` and `source`
/// unless `MergeBuilder.withAliases(target:source:)` says otherwise — or by the bare
/// column name when only one side has it (a name both sides have is ambiguous).
public enum MergeValue: Sendable, Hashable, CustomStringConvertible {
    case target(String)
    case source(String)
    case literal(ScalarValue)
    case sql(String)
    case expression(Expression)

    public var description: String {
        switch self {
        case let .sql(text): return text
        case let .expression(e): return e.sql
        case let .target(name): return "target.\(name)"
        case let .source(name): return "source.\(name)"
        case let .literal(value):
            switch value {
            case .string: return "'" + value.description.replacingQuotes() + "'"
            default: return value.description
            }
        }
    }
}

/// A condition of a MERGE clause. SQL three-valued logic: a comparison with a null is
/// unknown, and a clause applies only to rows where its condition is true. `sql` and
/// `expression` take any SQL boolean expression over target and source columns (see
/// `MergeValue` for naming); they cannot be nested inside the built-in forms.
public indirect enum MergeCondition: Sendable, Hashable, CustomStringConvertible {
    case sql(String)
    case expression(Expression)
    case compare(MergeValue, ComparisonOperator, MergeValue)
    case isNull(MergeValue)
    case isNotNull(MergeValue)
    case and(MergeCondition, MergeCondition)
    case or(MergeCondition, MergeCondition)
    case not(MergeCondition)
    case constant(Bool)

    public var description: String {
        switch self {
        case let .sql(text): return text
        case let .expression(e): return e.sql
        case let .compare(a, op, b): return "\(a) \(op.rawValue) \(b)"
        case let .isNull(v): return "\(v) IS NULL"
        case let .isNotNull(v): return "\(v) IS NOT NULL"
        case let .and(a, b): return "(\(a) AND \(b))"
        case let .or(a, b): return "(\(a) OR \(b))"
        case let .not(c): return "NOT (\(c))"
        case let .constant(b): return b ? "TRUE" : "FALSE"
        }
    }

    /// The values the condition reads.
    var values: [MergeValue] {
        switch self {
        case .sql, .expression: return []
        case let .compare(a, _, b): return [a, b]
        case let .isNull(v), let .isNotNull(v): return [v]
        case let .and(a, b), let .or(a, b): return a.values + b.values
        case let .not(c): return c.values
        case .constant: return []
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for ch in self { out += ch == "'" ? "''" : String(ch) }
        return out
    }
}

/// Rows of a clause evaluation: the target side, the source side (either may be
/// absent: not-matched clauses see only the source, not-matched-by-source only the
/// target), both with `count` rows aligned row by row.
struct MergeRows {
    var target: RecordBatch?
    var source: RecordBatch?
    var count: Int

    enum Failure: Error {
        case message(String)

        var text: String {
            switch self {
            case let .message(text): return text
            }
        }
    }

    /// The column a value refers to; a literal becomes a column of its natural type.
    func column(_ value: MergeValue) throws(Failure) -> Column {
        switch value {
        case let .target(name):
            guard let batch = target, let column = batch.column(named: name) else {
                throw .message("target column '\(name)' is not available here")
            }
            return column
        case let .source(name):
            guard let batch = source, let column = batch.column(named: name) else {
                throw .message("source column '\(name)' is not available here")
            }
            return column
        case .sql, .expression:
            throw .message("the SQL value \(value) is evaluated through its bound form, not here")
        case let .literal(scalar):
            guard let type = MergeRows.naturalType(of: scalar) else { return Column.nulls(.int64, count: count) }
            do {
                return try Column.repeating(scalar, type: type, count: count)
            } catch {
                throw .message("cannot use literal \(scalar): \(error)")
            }
        }
    }

    /// A value as a column of type `type` (for assignments): casts columns, builds
    /// literals in the target type directly when they fit.
    func column(_ value: MergeValue, as type: DataType) throws(Failure) -> Column {
        if case let .literal(scalar) = value {
            if scalar == .null { return Column.nulls(type, count: count) }
            if let direct = try? Column.repeating(scalar, type: type, count: count) { return direct }
        }
        let column = try column(value)
        if column.type == type { return column }
        do {
            return try column.cast(to: type)
        } catch {
            throw .message("\(value) (\(column.type)) cannot be converted to \(type): \(error)")
        }
    }

    /// The rows where `condition` is true (unknown and false rows are not set).
    func truth(_ condition: MergeCondition) throws(Failure) -> Truth {
        switch condition {
        case .sql, .expression:
            throw .message("the SQL condition \(condition) is evaluated through its bound form, not here")
        case let .constant(b):
            return Truth(isTrue: Bitmap(repeating: b, count: count), isFalse: Bitmap(repeating: !b, count: count))
        case let .and(a, b):
            let x = try truth(a), y = try truth(b)
            return Truth(isTrue: x.isTrue & y.isTrue, isFalse: x.isFalse | y.isFalse)
        case let .or(a, b):
            let x = try truth(a), y = try truth(b)
            return Truth(isTrue: x.isTrue | y.isTrue, isFalse: x.isFalse & y.isFalse)
        case let .not(c):
            let x = try truth(c)
            return Truth(isTrue: x.isFalse, isFalse: x.isTrue)
        case let .isNull(v):
            let nulls = try isNull(v)
            return Truth(isTrue: nulls, isFalse: ~nulls)
        case let .isNotNull(v):
            let nulls = try isNull(v)
            return Truth(isTrue: ~nulls, isFalse: nulls)
        case let .compare(a, op, b):
            return try compare(a, op, b)
        }
    }

    private func isNull(_ value: MergeValue) throws(Failure) -> Bitmap {
        if case let .literal(scalar) = value { return Bitmap(repeating: scalar == .null, count: count) }
        return try column(value).isNull()
    }

    private func compare(_ a: MergeValue, _ op: ComparisonOperator, _ b: MergeValue) throws(Failure) -> Truth {
        do {
            switch (a, b) {
            case let (.literal(x), .literal(y)):
                guard x != .null, y != .null, let order = ScalarValue.order(x, y) else {
                    return Truth(isTrue: Bitmap(repeating: false, count: count), isFalse: Bitmap(repeating: false, count: count))
                }
                let holds = MergeRows.holds(op, order)
                return Truth(isTrue: Bitmap(repeating: holds, count: count), isFalse: Bitmap(repeating: !holds, count: count))
            case let (_, .literal(y)):
                return try Truth.of(try column(a).compareThreeValued(op, y))
            case let (.literal(x), _):
                return try Truth.of(try column(b).compareThreeValued(op.flipped, x))
            default:
                let left = try column(a)
                var right = try column(b)
                if right.type != left.type { right = try right.cast(to: left.type) }
                return try Truth.of(try left.compare(op, right))
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .message("cannot evaluate \(a) \(op.rawValue) \(b): \(error)")
        }
    }

    static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }

    /// The rows laid out as a MERGE binding scope: target columns (table schema order)
    /// then source columns, each side only when the scope has it.
    func scopeBatch(target useTarget: Bool, source useSource: Bool) throws(Failure) -> RecordBatch {
        var fields: [Field] = []
        var columns: [Column] = []
        if useTarget {
            guard let target else { throw .message("there is no target row here") }
            for (field, column) in zip(target.schema.fields, target.columns) {
                fields.append(Field(field.name, field.type, nullable: true))
                columns.append(column)
            }
        }
        if useSource {
            guard let source else { throw .message("there is no source row here") }
            for (field, column) in zip(source.schema.fields, source.columns) {
                fields.append(Field(field.name, field.type, nullable: true))
                columns.append(column)
            }
        }
        do {
            return try RecordBatch(schema: Schema(fields), columns: columns, rowCount: count)
        } catch {
            throw .message("cannot lay out the merge rows: \(error)")
        }
    }

    /// The column type a literal has on its own.
    static func naturalType(of scalar: ScalarValue) -> DataType? {
        switch scalar {
        case .null: return nil
        case .boolean: return .boolean
        case .int: return .int64
        case .uint: return .uint64
        case .float: return .float64
        case .string: return .string
        case .binary: return .binary
        case .date: return .date32
        case let .timestamp(_, zone): return .timestamp(zone)
        case let .decimal(_, scale): return .decimal(precision: 38, scale: scale)
        case .list, .structure, .map: return nil
        }
    }
}

/// Rows where a condition is true, and rows where it is false (unknown: neither).
struct Truth {
    var isTrue: Bitmap
    var isFalse: Bitmap

    static func of(_ column: Column) throws(MergeRows.Failure) -> Truth {
        guard case let .boolean(bits) = column.storage else {
            throw .message("a condition produced \(column.type), not boolean")
        }
        guard let validity = column.validity else { return Truth(isTrue: bits, isFalse: ~bits) }
        return Truth(isTrue: bits & validity, isFalse: (~bits) & validity)
    }
}
