// Expression.sql: prints an expression as SQL text that parses back to an equal tree
// (locations aside), parenthesising by precedence. Also the SQL spelling of types and
// names. Must never print text whose reading differs from the tree.

import TarnColumnar

extension Expression {
    /// SQL text for this expression; `ExpressionParser.parse(e.sql) == e`.
    /// (A negative number built directly as a literal prints as `(-5)` and reads back
    /// as a negation of 5.)
    public var sql: String { sql(minimum: 0) }

    /// Binding strength of the node's outermost operator (higher binds tighter).
    var precedence: Int {
        switch self {
        case let .binary(op, _, _, _):
            switch op {
            case .or: return 1
            case .and: return 2
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .isDistinctFrom, .isNotDistinctFrom:
                return 4
            case .concat: return 5
            case .add, .subtract: return 6
            case .multiply, .divide, .modulo: return 7
            }
        case let .unary(op, _, _): return op == .not ? 3 : 8
        case .isNull, .isTruth, .inList, .between, .like, .inSubquery, .inSet: return 4
        case let .literal(literal, _):
            switch literal {
            case let .integer(v) where v < 0: return 8
            case let .decimal(text) where text.hasPrefix("-"): return 8
            default: return 10
            }
        default: return 10
        }
    }

    func sql(minimum: Int) -> String {
        let text = unparenthesized
        return precedence < minimum ? "(" + text + ")" : text
    }

    private var unparenthesized: String {
        switch self {
        case let .column(parts, _):
            return parts.map(SQLText.identifier).joined(separator: ".")
        case let .literal(literal, _):
            return literal.sql
        case let .unary(.not, x, _):
            return "NOT " + x.sql(minimum: 3)
        case let .unary(.negate, x, _):
            let inner = x.sql(minimum: 8)
            // `--` would start a comment.
            return inner.hasPrefix("-") ? "-(" + inner + ")" : "-" + inner
        case let .binary(op, a, b, _):
            let p = precedence
            // Comparisons do not chain in the printed form: both sides bind tighter.
            let left = p == 4 ? a.sql(minimum: 5) : a.sql(minimum: p)
            return left + " " + op.rawValue + " " + b.sql(minimum: p + 1)
        case let .isNull(x, negated, _):
            return x.sql(minimum: 5) + (negated ? " IS NOT NULL" : " IS NULL")
        case let .isTruth(x, value, negated, _):
            return x.sql(minimum: 5) + " IS " + (negated ? "NOT " : "") + (value ? "TRUE" : "FALSE")
        case let .inList(x, items, negated, _):
            return x.sql(minimum: 5) + (negated ? " NOT IN (" : " IN (") + items.map(\.sql).joined(separator: ", ") + ")"
        case let .between(x, low, high, negated, _):
            return x.sql(minimum: 5) + (negated ? " NOT BETWEEN " : " BETWEEN ") + low.sql(minimum: 5) + " AND " + high.sql(minimum: 5)
        case let .like(x, pattern, escape, caseInsensitive, negated, _):
            var text = x.sql(minimum: 5) + (negated ? " NOT " : " ") + (caseInsensitive ? "ILIKE " : "LIKE ") + pattern.sql(minimum: 5)
            if let escape { text += " ESCAPE " + escape.sql(minimum: 5) }
            return text
        case let .caseWhen(operand, branches, otherwise, _):
            var text = "CASE"
            if let operand { text += " " + operand.sql }
            for branch in branches { text += " WHEN " + branch.when.sql + " THEN " + branch.then.sql }
            if let otherwise { text += " ELSE " + otherwise.sql }
            return text + " END"
        case let .cast(x, type, _):
            return "CAST(" + x.sql + " AS " + type.sqlName + ")"
        case let .function(call, _):
            let name = SQLText.functionName(call.name)
            let text = call.isStar ? name + "(*)"
                : name + "(" + (call.distinct ? "DISTINCT " : "") + call.arguments.map(\.sql).joined(separator: ", ")
                    + (call.ignoreNulls ? " IGNORE NULLS" : "") + ")"
            return text + (call.window.map { " OVER (" + $0.sql + ")" } ?? "")
        case let .star(qualifier, _):
            return (qualifier.map(SQLText.identifier) + ["*"]).joined(separator: ".")
        case let .extract(field, x, _):
            return "EXTRACT(" + field.rawValue + " FROM " + x.sql + ")"
        case let .scalarSubquery(query, _):
            return "(" + query.payload.sql + ")"
        case let .exists(query, _):
            return "EXISTS (" + query.payload.sql + ")"
        case let .inSubquery(x, query, negated, _):
            return x.sql(minimum: 5) + (negated ? " NOT IN (" : " IN (") + query.payload.sql + ")"
        case let .subqueryResult(result, _):
            return result.text
        case let .inSet(x, set, negated, _):
            return x.sql(minimum: 5) + (negated ? " NOT IN (" : " IN (") + set.text + ")"
        }
    }
}

extension WindowSpec {
    /// The text inside `OVER (…)`.
    public var sql: String {
        var parts: [String] = []
        if !partitionBy.isEmpty { parts.append("PARTITION BY " + partitionBy.map(\.sql).joined(separator: ", ")) }
        if !orderBy.isEmpty {
            parts.append("ORDER BY " + orderBy.map { item in
                var text = item.expression.sql
                if let descending = item.descending { text += descending ? " DESC" : " ASC" }
                if let nullsFirst = item.nullsFirst { text += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
                return text
            }.joined(separator: ", "))
        }
        if let frame { parts.append(frame.sql) }
        return parts.joined(separator: " ")
    }
}

extension WindowFrame {
    /// `ROWS BETWEEN … AND …` / `RANGE BETWEEN … AND …`.
    public var sql: String {
        unit.rawValue + " BETWEEN " + Self.sql(start) + " AND " + Self.sql(end)
    }

    static func sql(_ bound: Bound) -> String {
        switch bound {
        case .unboundedPreceding: return "UNBOUNDED PRECEDING"
        case let .preceding(n): return "\(n) PRECEDING"
        case .currentRow: return "CURRENT ROW"
        case let .following(n): return "\(n) FOLLOWING"
        case .unboundedFollowing: return "UNBOUNDED FOLLOWING"
        }
    }
}

extension Literal {
    /// The literal as SQL text.
    public var sql: String {
        switch self {
        case .null: return "NULL"
        case let .boolean(b): return b ? "TRUE" : "FALSE"
        case let .integer(v): return String(v)
        case let .decimal(text): return text
        case let .string(s): return SQLText.string(s)
        case let .date(text): return "DATE " + SQLText.string(text)
        case let .timestamp(text): return "TIMESTAMP " + SQLText.string(text)
        case let .interval(count, unit): return "INTERVAL " + SQLText.string(String(count)) + " " + unit.rawValue
        }
    }
}

/// Quoting of names and strings in printed SQL.
public enum SQLText {
    /// `name` as is when it is a plain unreserved word, else double-quoted (`"a b"`, `"from"`).
    public static func identifier(_ name: String) -> String {
        if isPlainWord(name), !Keywords.isReserved(name) { return name }
        return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// `'text'` with single quotes doubled.
    public static func string(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "''") + "'"
    }

    /// A function name as printed: plain words as is, others quoted are not callable,
    /// so they are printed as written (the parser lower-cases names).
    static func functionName(_ name: String) -> String { name }

    static func isPlainWord(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic) else { return false }
        return name.allSatisfy { $0 == "_" || $0 == "$" || $0.isLetter || $0.isNumber }
            && !(name.first.map { $0.isNumber } ?? true)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}

extension DataType {
    /// The SQL type name `ExpressionParser.parseType` reads back as this type.
    public var sqlName: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .int8: return "TINYINT"
        case .int16: return "SMALLINT"
        case .int32: return "INT"
        case .int64: return "BIGINT"
        case .uint8: return "UTINYINT"
        case .uint16: return "USMALLINT"
        case .uint32: return "UINTEGER"
        case .uint64: return "UBIGINT"
        case .float32: return "FLOAT"
        case .float64: return "DOUBLE"
        case .string: return "STRING"
        case .binary: return "BINARY"
        case .date32: return "DATE"
        case .timestamp(.utc): return "TIMESTAMP"
        case .timestamp(.ntz): return "TIMESTAMP_NTZ"
        case let .decimal(p, s): return "DECIMAL(\(p),\(s))"
        case let .list(element): return "ARRAY<" + element.type.sqlName + ">"
        case let .map(key, value): return "MAP<" + key.type.sqlName + "," + value.type.sqlName + ">"
        case let .structure(fields):
            return "STRUCT<" + fields.map {
                SQLText.identifier($0.name) + ": " + $0.type.sqlName + ($0.nullable ? "" : " NOT NULL")
            }.joined(separator: ", ") + ">"
        }
    }
}
