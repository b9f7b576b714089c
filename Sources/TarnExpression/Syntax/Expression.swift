// Expression: the syntax tree of one SQL expression, as parsed, with the location of
// every node. Owns the node shapes and structural equality (locations ignored); must
// never hold types or resolved columns (that is `BoundExpression`).

import TarnColumnar

/// A parsed SQL expression. Equality and hashing ignore source locations, so
/// `a + 1` written twice in one query compares equal (GROUP BY matching relies on it).
public indirect enum Expression: Sendable, Hashable {
    /// A column reference by its dotted name parts, as written (`o.amount` → ["o", "amount"]).
    case column([String], at: SourceLocation)
    case literal(Literal, at: SourceLocation)
    case unary(UnaryOperator, Expression, at: SourceLocation)
    case binary(BinaryOperator, Expression, Expression, at: SourceLocation)
    /// `x IS NULL`, or `x IS NOT NULL` when negated.
    case isNull(Expression, negated: Bool, at: SourceLocation)
    /// `x IS TRUE` / `x IS FALSE` (`value`), `x IS NOT TRUE` … when negated; never null.
    case isTruth(Expression, value: Bool, negated: Bool, at: SourceLocation)
    /// `x IN (a, b, …)`, or `x NOT IN (…)` when negated.
    case inList(Expression, [Expression], negated: Bool, at: SourceLocation)
    /// `x BETWEEN low AND high` (inclusive), or `NOT BETWEEN` when negated.
    case between(Expression, low: Expression, high: Expression, negated: Bool, at: SourceLocation)
    /// `x LIKE pattern [ESCAPE e]`; ILIKE when `caseInsensitive`; `NOT LIKE` when negated.
    case like(Expression, pattern: Expression, escape: Expression?, caseInsensitive: Bool, negated: Bool, at: SourceLocation)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`: with an operand, each `when` is
    /// compared to it (simple CASE); without, each `when` is a condition (searched CASE).
    case caseWhen(operand: Expression?, branches: [CaseBranch], otherwise: Expression?, at: SourceLocation)
    /// `CAST(x AS type)` and `x::type`.
    case cast(Expression, DataType, at: SourceLocation)
    /// A function call, aggregates included (`count(*)`, `sum(DISTINCT x)`, `lower(s)`).
    case function(FunctionCall, at: SourceLocation)
    /// `*` (empty qualifier) or `t.*` in a select list.
    case star(qualifier: [String], at: SourceLocation)
    /// `EXTRACT(field FROM x)`.
    case extract(DateTimeField, Expression, at: SourceLocation)
    /// `(SELECT …)` used as a value: one column, at most one row.
    case scalarSubquery(Subquery, at: SourceLocation)
    /// `EXISTS (SELECT …)` (`NOT EXISTS` is a NOT around it).
    case exists(Subquery, at: SourceLocation)
    /// `x IN (SELECT …)`, or `x NOT IN (SELECT …)` when negated.
    case inSubquery(Expression, Subquery, negated: Bool, at: SourceLocation)
    /// What a scalar or EXISTS subquery turned into once the SQL engine ran it: a value
    /// of a known type that prints as the subquery it came from.
    case subqueryResult(SubqueryResult, at: SourceLocation)
    /// What `x [NOT] IN (SELECT …)` turned into once the SQL engine ran the subquery:
    /// membership in a hashed set of values (SQL NULL semantics).
    case inSet(Expression, ValueSet, negated: Bool, at: SourceLocation)

    /// Where the node starts in the source text.
    public var location: SourceLocation {
        switch self {
        case let .column(_, at), let .literal(_, at), let .unary(_, _, at), let .binary(_, _, _, at),
             let .isNull(_, _, at), let .isTruth(_, _, _, at), let .inList(_, _, _, at),
             let .between(_, _, _, _, at), let .like(_, _, _, _, _, at), let .caseWhen(_, _, _, at),
             let .cast(_, _, at), let .function(_, at), let .star(_, at), let .extract(_, _, at),
             let .scalarSubquery(_, at), let .exists(_, at), let .inSubquery(_, _, _, at), let .subqueryResult(_, at),
             let .inSet(_, _, _, at):
            return at
        }
    }

    /// The direct subexpressions, in source order (a window function's PARTITION BY and
    /// ORDER BY expressions included; a subquery's own expressions are not children).
    public var children: [Expression] {
        switch self {
        case .column, .literal, .star, .scalarSubquery, .exists, .subqueryResult: return []
        case let .unary(_, x, _), let .isNull(x, _, _), let .isTruth(x, _, _, _), let .cast(x, _, _), let .extract(_, x, _),
             let .inSubquery(x, _, _, _), let .inSet(x, _, _, _):
            return [x]
        case let .binary(_, a, b, _): return [a, b]
        case let .inList(x, items, _, _): return [x] + items
        case let .between(x, low, high, _, _): return [x, low, high]
        case let .like(x, pattern, escape, _, _, _): return [x, pattern] + (escape.map { [$0] } ?? [])
        case let .caseWhen(operand, branches, otherwise, _):
            var out: [Expression] = operand.map { [$0] } ?? []
            for b in branches { out.append(b.when); out.append(b.then) }
            if let otherwise { out.append(otherwise) }
            return out
        case let .function(call, _):
            guard let window = call.window else { return call.arguments }
            return call.arguments + window.partitionBy + window.orderBy.map(\.expression)
        }
    }

    /// Whether an aggregate function call (not a window function: `sum(x) OVER (…)` is
    /// not one) appears anywhere in the tree.
    public var containsAggregate: Bool {
        if case let .function(call, _) = self, call.window == nil, FunctionCatalog.isAggregate(call.name) { return true }
        return children.contains { $0.containsAggregate }
    }

    /// Whether a window function call (`… OVER (…)`) appears anywhere in the tree.
    public var containsWindowFunction: Bool {
        if case let .function(call, _) = self, call.window != nil { return true }
        return children.contains { $0.containsWindowFunction }
    }

    /// Whether a subquery not yet run (`(SELECT …)`, EXISTS, IN (SELECT …)) appears in the tree.
    public var containsSubquery: Bool {
        switch self {
        case .scalarSubquery, .exists, .inSubquery: return true
        case .column, .literal, .star, .subqueryResult: return false  // leaves: no child array to build
        default: return children.contains { $0.containsSubquery }
        }
    }

    /// Whether the tree references no column and no star (it can be folded once).
    public var isConstant: Bool {
        switch self {
        case .column, .star, .scalarSubquery, .exists, .inSubquery: return false
        case let .function(call, _) where call.window != nil: return false
        default: return children.allSatisfy(\.isConstant)
        }
    }
}

/// A literal as written. Numbers keep their text where Int64 cannot hold them exactly.
public enum Literal: Sendable, Hashable {
    case null
    case boolean(Bool)
    /// An integer that fits Int64 (written without a sign; `-5` is a negation of 5).
    case integer(Int64)
    /// A number with a point or exponent, or an integer too large for Int64, as written.
    case decimal(String)
    case string(String)
    /// `DATE 'YYYY-MM-DD'` (the text is checked when parsed).
    case date(String)
    /// `TIMESTAMP '…'` (the text is checked when parsed).
    case timestamp(String)
    /// `INTERVAL 'n' unit` / `INTERVAL n unit`.
    case interval(Int64, IntervalUnit)
}

public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not = "NOT"
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case concat = "||"
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// `a IS DISTINCT FROM b`: null-safe inequality, never null.
    case isDistinctFrom = "IS DISTINCT FROM"
    /// `a IS NOT DISTINCT FROM b` (also `<=>`): null-safe equality, never null.
    case isNotDistinctFrom = "IS NOT DISTINCT FROM"
    case and = "AND"
    case or = "OR"

    /// The comparison kernel operator, for the six plain comparisons.
    public var comparison: ComparisonOperator? {
        switch self {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    public var isArithmetic: Bool {
        self == .add || self == .subtract || self == .multiply || self == .divide || self == .modulo
    }
}

/// One `WHEN when THEN then` of a CASE.
public struct CaseBranch: Sendable, Hashable {
    public var when: Expression
    public var then: Expression
    public init(when: Expression, then: Expression) {
        self.when = when
        self.then = then
    }
}

/// A function call's parts. `name` is lower-cased when parsed.
public struct FunctionCall: Sendable, Hashable {
    public var name: String
    public var arguments: [Expression]
    /// `f(DISTINCT x)`.
    public var distinct: Bool
    /// `f(*)` (`count(*)`); then `arguments` is empty.
    public var isStar: Bool
    /// `OVER (…)`: the call is a window function; nil for plain calls.
    public var window: WindowSpec?
    /// `f(x IGNORE NULLS)` / `f(x) IGNORE NULLS` (window value functions skip NULL values).
    public var ignoreNulls: Bool

    public init(name: String, arguments: [Expression], distinct: Bool = false, isStar: Bool = false, window: WindowSpec? = nil,
                ignoreNulls: Bool = false) {
        self.name = name.lowercased()
        self.arguments = arguments
        self.distinct = distinct
        self.isStar = isStar
        self.window = window
        self.ignoreNulls = ignoreNulls
    }
}

/// `OVER ([PARTITION BY …] [ORDER BY …] [frame])` of a window function call.
public struct WindowSpec: Sendable, Hashable {
    public var partitionBy: [Expression]
    public var orderBy: [WindowOrderItem]
    /// The frame as written; nil for the SQL default (RANGE UNBOUNDED PRECEDING to
    /// CURRENT ROW with ORDER BY, the whole partition without).
    public var frame: WindowFrame?

    public init(partitionBy: [Expression] = [], orderBy: [WindowOrderItem] = [], frame: WindowFrame? = nil) {
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `expression [ASC|DESC] [NULLS FIRST|LAST]` inside OVER; nil words were not written
/// (ASC, and NULLS LAST, as in ORDER BY).
public struct WindowOrderItem: Sendable, Hashable {
    public var expression: Expression
    /// true for DESC, false for ASC, nil when not written.
    public var descending: Bool?
    /// true for NULLS FIRST, false for NULLS LAST, nil when not written.
    public var nullsFirst: Bool?

    public init(_ expression: Expression, descending: Bool? = nil, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

/// A window frame `ROWS|RANGE BETWEEN start AND end` (or `ROWS start`, ending at CURRENT ROW).
public struct WindowFrame: Sendable, Hashable {
    public enum Unit: String, Sendable, Hashable { case rows = "ROWS", range = "RANGE" }
    public enum Bound: Sendable, Hashable {
        case unboundedPreceding
        case preceding(Int64)
        case currentRow
        case following(Int64)
        case unboundedFollowing
    }

    public var unit: Unit
    public var start: Bound
    public var end: Bound

    public init(unit: Unit, start: Bound, end: Bound) {
        self.unit = unit
        self.start = start
        self.end = end
    }
}

/// The query of a subquery inside an expression. TarnExpression never looks inside it:
/// the SQL layer that parsed it (through `TokenCursor.subqueryParser`) runs it and puts
/// the result in place (`.subqueryResult`, `.inSet`) before binding.
public protocol SubqueryPayload: Sendable {
    /// The query as SQL text, without the surrounding parentheses.
    var sql: String { get }
    /// Structural equality with another payload (false for other payload types).
    func isEqual(to other: any SubqueryPayload) -> Bool
    func hash(into hasher: inout Hasher)
}

/// A boxed `SubqueryPayload`, so that expressions holding one stay Hashable.
public struct Subquery: Sendable, Hashable {
    public let payload: any SubqueryPayload

    public init(_ payload: any SubqueryPayload) { self.payload = payload }

    public static func == (lhs: Subquery, rhs: Subquery) -> Bool { lhs.payload.isEqual(to: rhs.payload) }
    public func hash(into hasher: inout Hasher) { payload.hash(into: &hasher) }
}

/// The value a scalar subquery (NULL when it returned no row) or EXISTS (a BOOLEAN)
/// produced; `text` is how it prints: the subquery as written (`(SELECT …)`, `EXISTS (…)`).
public struct SubqueryResult: Sendable, Hashable {
    public var value: ScalarValue
    public var type: DataType
    public var text: String

    public init(value: ScalarValue, type: DataType, text: String) {
        self.value = value
        self.type = type
        self.text = text
    }
}

/// Units of INTERVAL literals.
public enum IntervalUnit: String, Sendable, Hashable, CaseIterable {
    case year = "YEAR", month = "MONTH", week = "WEEK", day = "DAY"
    case hour = "HOUR", minute = "MINUTE", second = "SECOND"
    case millisecond = "MILLISECOND", microsecond = "MICROSECOND"

    /// The unit a word names, singular or plural, any case.
    public init?(word: String) {
        var upper = word.uppercased()
        if upper.hasSuffix("S"), IntervalUnit(rawValue: String(upper.dropLast())) != nil { upper.removeLast() }
        self.init(rawValue: upper)
    }
}

/// Fields of EXTRACT, `date_trunc` and `date_part`.
public enum DateTimeField: String, Sendable, Hashable, CaseIterable {
    case year = "YEAR", quarter = "QUARTER", month = "MONTH", week = "WEEK", day = "DAY"
    case dayOfWeek = "DAYOFWEEK", dayOfYear = "DAYOFYEAR"
    case hour = "HOUR", minute = "MINUTE", second = "SECOND"
    case millisecond = "MILLISECOND", microsecond = "MICROSECOND", epoch = "EPOCH"

    /// The field a word names (any case; plurals and the common short forms
    /// `dow`, `doy`, `ms`, `us` accepted).
    public init?(word: String) {
        let upper = word.uppercased()
        switch upper {
        case "DOW", "DAYOFWEEK", "WEEKDAY": self = .dayOfWeek
        case "DOY", "DAYOFYEAR": self = .dayOfYear
        case "MS", "MILLISECONDS": self = .millisecond
        case "US", "MICROSECONDS": self = .microsecond
        case "YEARS", "QUARTERS", "MONTHS", "WEEKS", "DAYS", "HOURS", "MINUTES", "SECONDS":
            self.init(rawValue: String(upper.dropLast()))
        default:
            self.init(rawValue: upper)
        }
    }
}

// MARK: - Structural equality (locations ignored)

extension Expression {
    public static func == (lhs: Expression, rhs: Expression) -> Bool {
        switch (lhs, rhs) {
        case let (.column(a, _), .column(b, _)): return a == b
        case let (.literal(a, _), .literal(b, _)): return a == b
        case let (.unary(o1, a, _), .unary(o2, b, _)): return o1 == o2 && a == b
        case let (.binary(o1, a1, b1, _), .binary(o2, a2, b2, _)): return o1 == o2 && a1 == a2 && b1 == b2
        case let (.isNull(a, n1, _), .isNull(b, n2, _)): return n1 == n2 && a == b
        case let (.isTruth(a, v1, n1, _), .isTruth(b, v2, n2, _)): return v1 == v2 && n1 == n2 && a == b
        case let (.inList(a, l1, n1, _), .inList(b, l2, n2, _)): return n1 == n2 && a == b && l1 == l2
        case let (.between(a, lo1, hi1, n1, _), .between(b, lo2, hi2, n2, _)):
            return n1 == n2 && a == b && lo1 == lo2 && hi1 == hi2
        case let (.like(a, p1, e1, c1, n1, _), .like(b, p2, e2, c2, n2, _)):
            return c1 == c2 && n1 == n2 && a == b && p1 == p2 && e1 == e2
        case let (.caseWhen(o1, b1, e1, _), .caseWhen(o2, b2, e2, _)): return o1 == o2 && b1 == b2 && e1 == e2
        case let (.cast(a, t1, _), .cast(b, t2, _)): return t1 == t2 && a == b
        case let (.function(f1, _), .function(f2, _)): return f1 == f2
        case let (.star(q1, _), .star(q2, _)): return q1 == q2
        case let (.extract(f1, a, _), .extract(f2, b, _)): return f1 == f2 && a == b
        case let (.scalarSubquery(a, _), .scalarSubquery(b, _)): return a == b
        case let (.exists(a, _), .exists(b, _)): return a == b
        case let (.inSubquery(x1, q1, n1, _), .inSubquery(x2, q2, n2, _)): return n1 == n2 && x1 == x2 && q1 == q2
        case let (.subqueryResult(a, _), .subqueryResult(b, _)): return a == b
        case let (.inSet(x1, s1, n1, _), .inSet(x2, s2, n2, _)): return n1 == n2 && x1 == x2 && s1 == s2
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .column(parts, _): hasher.combine(0); hasher.combine(parts)
        case let .literal(l, _): hasher.combine(1); hasher.combine(l)
        case let .unary(op, x, _): hasher.combine(2); hasher.combine(op); hasher.combine(x)
        case let .binary(op, a, b, _): hasher.combine(3); hasher.combine(op); hasher.combine(a); hasher.combine(b)
        case let .isNull(x, n, _): hasher.combine(4); hasher.combine(n); hasher.combine(x)
        case let .isTruth(x, v, n, _): hasher.combine(5); hasher.combine(v); hasher.combine(n); hasher.combine(x)
        case let .inList(x, items, n, _): hasher.combine(6); hasher.combine(n); hasher.combine(x); hasher.combine(items)
        case let .between(x, lo, hi, n, _): hasher.combine(7); hasher.combine(n); hasher.combine(x); hasher.combine(lo); hasher.combine(hi)
        case let .like(x, p, e, c, n, _):
            hasher.combine(8); hasher.combine(c); hasher.combine(n); hasher.combine(x); hasher.combine(p); hasher.combine(e)
        case let .caseWhen(o, b, e, _): hasher.combine(9); hasher.combine(o); hasher.combine(b); hasher.combine(e)
        case let .cast(x, t, _): hasher.combine(10); hasher.combine(t); hasher.combine(x)
        case let .function(f, _): hasher.combine(11); hasher.combine(f)
        case let .star(q, _): hasher.combine(12); hasher.combine(q)
        case let .extract(f, x, _): hasher.combine(13); hasher.combine(f); hasher.combine(x)
        case let .scalarSubquery(q, _): hasher.combine(14); hasher.combine(q)
        case let .exists(q, _): hasher.combine(15); hasher.combine(q)
        case let .inSubquery(x, q, n, _): hasher.combine(16); hasher.combine(n); hasher.combine(x); hasher.combine(q)
        case let .subqueryResult(r, _): hasher.combine(17); hasher.combine(r)
        case let .inSet(x, set, n, _): hasher.combine(18); hasher.combine(n); hasher.combine(x); hasher.combine(set)
        }
    }
}
