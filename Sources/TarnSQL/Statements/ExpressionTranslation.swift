// ExpressionTranslation: what statements do to parsed expressions before TarnTables sees
// them — dropping the target table's alias from column references, binding early for
// located errors, and the exact translation of partition conditions (OPTIMIZE WHERE) to a
// TarnColumnar Predicate. Must never approximate: an untranslatable condition is an error.
import TarnColumnar
import TarnExpression
import TarnTables

enum ExpressionTranslation {
    /// `expression` with every column reference `q.c` (or `ns.t.c`) whose qualifier names the
    /// target table — `qualifiers`, compared case-insensitively — written as plain `c`.
    static func unqualified(_ expression: Expression, qualifiers: [[String]]) -> Expression {
        let lowered = qualifiers.map { $0.map { $0.lowercased() } }
        return rewriteColumns(expression) { parts in
            for qualifier in lowered where parts.count > qualifier.count {
                if Array(parts.prefix(qualifier.count)).map({ $0.lowercased() }) == qualifier {
                    return Array(parts.dropFirst(qualifier.count))
                }
            }
            return parts
        }
    }

    /// The qualifiers that name a target table: its alias when given (then only that, as in
    /// SQL), else `name` and `namespace.name`.
    static func qualifiers(of name: TableName, alias: String?, defaultNamespace: String) -> [[String]] {
        if let alias { return [[alias]] }
        return [[name.resolvedNamespace(default: defaultNamespace), name.name], [name.name]]
    }

    /// Rebuilds `expression` with column references mapped by `map`.
    static func rewriteColumns(_ expression: Expression, _ map: ([String]) -> [String]) -> Expression {
        func go(_ e: Expression) -> Expression {
            switch e {
            case let .column(parts, at): return .column(map(parts), at: at)
            case .literal, .star, .scalarSubquery, .exists, .subqueryResult: return e
            case let .inSubquery(x, query, negated, at): return .inSubquery(go(x), query, negated: negated, at: at)
            case let .inSet(x, set, negated, at): return .inSet(go(x), set, negated: negated, at: at)
            case let .unary(op, x, at): return .unary(op, go(x), at: at)
            case let .binary(op, a, b, at): return .binary(op, go(a), go(b), at: at)
            case let .isNull(x, negated, at): return .isNull(go(x), negated: negated, at: at)
            case let .isTruth(x, value, negated, at): return .isTruth(go(x), value: value, negated: negated, at: at)
            case let .inList(x, items, negated, at): return .inList(go(x), items.map(go), negated: negated, at: at)
            case let .between(x, low, high, negated, at):
                return .between(go(x), low: go(low), high: go(high), negated: negated, at: at)
            case let .like(x, pattern, escape, caseInsensitive, negated, at):
                return .like(go(x), pattern: go(pattern), escape: escape.map(go), caseInsensitive: caseInsensitive,
                             negated: negated, at: at)
            case let .caseWhen(operand, branches, otherwise, at):
                return .caseWhen(operand: operand.map(go),
                                 branches: branches.map { CaseBranch(when: go($0.when), then: go($0.then)) },
                                 otherwise: otherwise.map(go), at: at)
            case let .cast(x, type, at): return .cast(go(x), type, at: at)
            case let .function(call, at):
                return .function(FunctionCall(name: call.name, arguments: call.arguments.map(go), distinct: call.distinct,
                                              isStar: call.isStar, window: call.window, ignoreNulls: call.ignoreNulls), at: at)
            case let .extract(field, x, at): return .extract(field, go(x), at: at)
            }
        }
        return go(expression)
    }

    /// Binds `expression` against the columns of `schema` (unqualified names) so that unknown
    /// columns, functions and type errors are reported at their place in the statement.
    @discardableResult
    static func bind(_ expression: Expression, schema: Schema, role: String, context: StatementContext,
                     requireBoolean: Bool = false) throws(SQLError) -> BoundExpression {
        if expression.containsAggregate {
            throw context.error(.binding, "\(role) cannot use an aggregate function", at: expression.location)
        }
        let bound: BoundExpression
        do {
            bound = try ExpressionBinder(scope: BindingScope(schema: schema), options: .init(now: context.nowMicros)).bind(expression)
        } catch {
            throw SQLError(error, statementText: context.statementText)
        }
        if requireBoolean, bound.type != .boolean {
            throw context.error(.type, "\(role) must be a BOOLEAN condition, but `\(expression.sql)` is \(bound.type)",
                                at: expression.location)
        }
        return bound
    }

    /// An exact Predicate of a condition on partition columns (OPTIMIZE WHERE): comparisons of
    /// a column with a literal, IN lists, IS [NOT] NULL, BETWEEN, AND/OR/NOT.
    static func partitionPredicate(_ condition: Expression, table: Table, context: StatementContext) throws(SQLError) -> Predicate {
        let snapshot = try context.table { () throws(TableError) in try table.snapshot() }
        let stripped = unqualified(condition, qualifiers: [[table.name], [String(table.name.split(separator: ".").last ?? "")]])
        try bind(stripped, schema: snapshot.schema, role: "the OPTIMIZE condition", context: context, requireBoolean: true)
        let partitions = Set(snapshot.partitionColumns.map { $0.lowercased() })
        guard let predicate = predicate(stripped, schema: snapshot.schema) else {
            throw context.error(.unsupported, """
                OPTIMIZE WHERE takes comparisons of partition columns with literals (=, <>, <, <=, >, >=, IN, \
                BETWEEN, IS NULL) joined by AND/OR/NOT; `\(condition.sql)` is not one
                """, at: condition.location)
        }
        for column in predicate.columns where !partitions.contains(column.lowercased()) {
            throw context.error(.binding, """
                OPTIMIZE WHERE may only use partition columns; \(column) is not one (partition columns: \
                \(snapshot.partitionColumns.isEmpty ? "none" : snapshot.partitionColumns.joined(separator: ", ")))
                """, at: condition.location)
        }
        return predicate
    }

    /// The exact Predicate of `expression` over `schema`'s columns, nil when any part has none.
    static func predicate(_ expression: Expression, schema: Schema) -> Predicate? {
        func column(_ e: Expression) -> Field? {
            guard case let .column(parts, _) = e, parts.count == 1, let index = schema.lookup(parts[0]) else { return nil }
            return schema.fields[index]
        }
        func value(_ e: Expression, as type: DataType) -> ScalarValue? {
            guard case let .literal(literal, _) = e else { return nil }
            return scalar(literal, as: type)
        }
        switch expression {
        case let .binary(op, a, b, _):
            switch op {
            case .and:
                guard let l = predicate(a, schema: schema), let r = predicate(b, schema: schema) else { return nil }
                return .and(l, r)
            case .or:
                guard let l = predicate(a, schema: schema), let r = predicate(b, schema: schema) else { return nil }
                return .or(l, r)
            default:
                guard let comparison = op.comparison else { return nil }
                if let field = column(a), let v = value(b, as: field.type), !v.isNull {
                    return .comparison(column: field.name, op: comparison, value: v)
                }
                if let field = column(b), let v = value(a, as: field.type), !v.isNull {
                    return .comparison(column: field.name, op: comparison.flipped, value: v)
                }
                return nil
            }
        case let .unary(.not, x, _):
            return predicate(x, schema: schema).map { .not($0) }
        case let .isNull(x, negated, _):
            guard let field = column(x) else { return nil }
            return negated ? .isNotNull(column: field.name) : .isNull(column: field.name)
        case let .inList(x, items, negated, _):
            guard let field = column(x) else { return nil }
            var values: [ScalarValue] = []
            for item in items {
                guard let v = value(item, as: field.type), !v.isNull else { return nil }
                values.append(v)
            }
            let p = Predicate.inList(column: field.name, values: values)
            return negated ? .not(p) : p
        case let .between(x, low, high, negated, _):
            guard let field = column(x), let lo = value(low, as: field.type), let hi = value(high, as: field.type),
                  !lo.isNull, !hi.isNull else { return nil }
            let p = Predicate.and(.comparison(column: field.name, op: .greaterOrEqual, value: lo),
                                  .comparison(column: field.name, op: .lessOrEqual, value: hi))
            return negated ? .not(p) : p
        case let .literal(.boolean(b), _):
            return .constant(b)
        default:
            return nil
        }
    }

    /// A literal as a value of `type` (through the cast kernel, so text, numbers, dates and
    /// timestamps convert exactly as CAST does); nil when it does not convert.
    static func scalar(_ literal: Literal, as type: DataType) -> ScalarValue? {
        let text: String
        switch literal {
        case .null: return .null
        case let .boolean(b): text = b ? "true" : "false"
        case let .integer(i): text = String(i)
        case let .decimal(d): text = d
        case let .string(s): text = s
        case let .date(d): text = d
        case let .timestamp(t): text = t
        case .interval: return nil
        }
        guard let column = try? Column(strings: [text]).cast(to: type), column.count == 1 else { return nil }
        return column.value(at: 0)
    }
}
