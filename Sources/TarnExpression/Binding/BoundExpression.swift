// BoundExpression: an expression resolved against a scope — columns are indices, every
// node has a type, implicit casts are explicit nodes, functions are resolved. Owns the
// typed tree and its static facts; evaluation lives in Evaluation/.

import TarnColumnar

/// A typed expression ready to evaluate on batches shaped like its scope.
public indirect enum BoundExpression: Sendable {
    /// Column `index` of the batch.
    case column(index: Int, type: DataType, nullable: Bool)
    /// A constant (`.null` allowed) of `type`.
    case literal(ScalarValue, type: DataType)
    /// A struct field of a struct-typed operand (null when the struct is null).
    case field(BoundExpression, index: Int, type: DataType)
    /// Boolean NOT (three-valued).
    case not(BoundExpression)
    /// Arithmetic negation; integer overflow (`-(-2^63)`) is an error.
    case negate(BoundExpression, type: DataType)
    /// `+ - * / %` on operands already cast to the operation's input types (numbers
    /// of one type; or date ± int, date - date, date/timestamp ± interval).
    case arithmetic(BinaryOperator, BoundExpression, BoundExpression, type: DataType)
    /// A comparison; operands have one type, or one side is a literal the compare
    /// kernel relates exactly to the other's type.
    case comparison(ComparisonOperator, BoundExpression, BoundExpression)
    /// `IS [NOT] DISTINCT FROM` (never null).
    case distinctFrom(BoundExpression, BoundExpression, negated: Bool)
    /// Kleene AND / OR.
    case and(BoundExpression, BoundExpression)
    case or(BoundExpression, BoundExpression)
    /// String concatenation `||` (null if either side is null).
    case concat(BoundExpression, BoundExpression)
    case isNull(BoundExpression, negated: Bool)
    case isTruth(BoundExpression, value: Bool, negated: Bool)
    /// `x [NOT] IN (items)`; items have x's type (literals may be relatives the
    /// compare kernel handles exactly).
    case inList(BoundExpression, [BoundExpression], negated: Bool)
    /// `x [NOT] IN <hashed set>` (a subquery's values, of x's type).
    case inSet(BoundExpression, ValueSet, negated: Bool)
    /// `x [NOT] [I]LIKE pattern` with the pattern known when bound.
    case like(BoundExpression, pattern: LikePattern, negated: Bool)
    /// Searched CASE; a simple CASE is bound to this form. `otherwise` nil means NULL.
    case caseWhen([BoundCaseBranch], otherwise: BoundExpression?, type: DataType)
    /// CAST to `type` (errors on values that do not fit).
    case cast(BoundExpression, type: DataType)
    /// A scalar function on bound arguments.
    case function(ScalarFunction, [BoundExpression], type: DataType, nullable: Bool)

    /// The type of the values the expression produces.
    public var type: DataType {
        switch self {
        case let .column(_, type, _), let .literal(_, type), let .field(_, _, type), let .negate(_, type),
             let .arithmetic(_, _, _, type), let .caseWhen(_, _, type), let .cast(_, type), let .function(_, _, type, _):
            return type
        case .not, .comparison, .distinctFrom, .and, .or, .isNull, .isTruth, .inList, .like, .inSet:
            return .boolean
        case .concat:
            return .string
        }
    }

    /// Whether the expression can produce NULL (false means it never does).
    public var nullable: Bool {
        switch self {
        case let .column(_, _, nullable): return nullable
        case let .literal(value, _): return value == .null
        case .field: return true
        case let .not(x), let .negate(x, _), let .cast(x, _), let .like(x, _, _): return x.nullable
        case let .arithmetic(_, a, b, _), let .comparison(_, a, b), let .concat(a, b), let .and(a, b), let .or(a, b):
            return a.nullable || b.nullable
        case .distinctFrom, .isNull, .isTruth: return false
        case let .inList(x, items, _): return x.nullable || items.contains { $0.nullable }
        case let .inSet(x, set, _): return x.nullable || set.containsNull
        case let .caseWhen(branches, otherwise, _):
            return (otherwise?.nullable ?? true) || branches.contains { $0.then.nullable }
        case let .function(_, _, _, nullable): return nullable
        }
    }

    /// The direct operands.
    public var children: [BoundExpression] {
        switch self {
        case .column, .literal: return []
        case let .field(x, _, _), let .not(x), let .negate(x, _), let .cast(x, _), let .like(x, _, _),
             let .isNull(x, _), let .isTruth(x, _, _), let .inSet(x, _, _):
            return [x]
        case let .arithmetic(_, a, b, _), let .comparison(_, a, b), let .distinctFrom(a, b, _), let .and(a, b),
             let .or(a, b), let .concat(a, b):
            return [a, b]
        case let .inList(x, items, _): return [x] + items
        case let .caseWhen(branches, otherwise, _):
            var out: [BoundExpression] = []
            for b in branches { out.append(b.when); out.append(b.then) }
            if let otherwise { out.append(otherwise) }
            return out
        case let .function(_, arguments, _, _): return arguments
        }
    }

    /// Indices of the scope columns the expression reads.
    public var referencedColumns: Set<Int> {
        var out: Set<Int> = []
        collectColumns(into: &out)
        return out
    }

    private func collectColumns(into out: inout Set<Int>) {
        if case let .column(index, _, _) = self { out.insert(index) }
        for child in children { child.collectColumns(into: &out) }
    }

    /// Whether evaluating the expression can raise an error on some row (overflow,
    /// division by zero, a failing cast). Conservative: true when unsure.
    public var canFail: Bool {
        switch self {
        case .arithmetic, .negate: return true
        case let .cast(x, type):
            switch (x.type, type) {
            case (_, .string): break
            case (.int8, .int16), (.int8, .int32), (.int8, .int64), (.int16, .int32), (.int16, .int64), (.int32, .int64),
                 (.int8, .float64), (.int16, .float64), (.int32, .float64), (.int64, .float64), (.float32, .float64),
                 (.date32, .timestamp):
                break
            default: return true
            }
        case let .function(f, _, _, _):
            switch f {
            case .lower, .upper, .length, .octetLength, .trim, .concat, .concatWithSeparator, .startsWith, .endsWith,
                 .contains, .position, .coalesce, .nullIf, .greatest, .least, .extract, .floor, .ceil:
                break
            default: return true
            }
        default: break
        }
        return children.contains { $0.canFail }
    }

    /// Whether the expression reads no column (it has one value for every row).
    public var isConstant: Bool {
        if case .column = self { return false }
        if case let .function(f, _, _, _) = self, !f.isDeterministic { return false }
        return children.allSatisfy(\.isConstant)
    }

    /// The same expression reading column `map(i)` wherever it read column `i` (a
    /// planner moving an expression onto a projected or joined batch).
    public func remappingColumns(_ map: (Int) -> Int) -> BoundExpression {
        switch self {
        case let .column(index, type, nullable): return .column(index: map(index), type: type, nullable: nullable)
        case .literal: return self
        case let .field(x, index, type): return .field(x.remappingColumns(map), index: index, type: type)
        case let .not(x): return .not(x.remappingColumns(map))
        case let .negate(x, type): return .negate(x.remappingColumns(map), type: type)
        case let .arithmetic(op, a, b, type): return .arithmetic(op, a.remappingColumns(map), b.remappingColumns(map), type: type)
        case let .comparison(op, a, b): return .comparison(op, a.remappingColumns(map), b.remappingColumns(map))
        case let .distinctFrom(a, b, negated): return .distinctFrom(a.remappingColumns(map), b.remappingColumns(map), negated: negated)
        case let .and(a, b): return .and(a.remappingColumns(map), b.remappingColumns(map))
        case let .or(a, b): return .or(a.remappingColumns(map), b.remappingColumns(map))
        case let .concat(a, b): return .concat(a.remappingColumns(map), b.remappingColumns(map))
        case let .isNull(x, negated): return .isNull(x.remappingColumns(map), negated: negated)
        case let .isTruth(x, value, negated): return .isTruth(x.remappingColumns(map), value: value, negated: negated)
        case let .inList(x, items, negated):
            return .inList(x.remappingColumns(map), items.map { $0.remappingColumns(map) }, negated: negated)
        case let .like(x, pattern, negated): return .like(x.remappingColumns(map), pattern: pattern, negated: negated)
        case let .inSet(x, set, negated): return .inSet(x.remappingColumns(map), set, negated: negated)
        case let .caseWhen(branches, otherwise, type):
            return .caseWhen(branches.map { BoundCaseBranch(when: $0.when.remappingColumns(map), then: $0.then.remappingColumns(map)) },
                             otherwise: otherwise?.remappingColumns(map), type: type)
        case let .cast(x, type): return .cast(x.remappingColumns(map), type: type)
        case let .function(f, arguments, type, nullable):
            return .function(f, arguments.map { $0.remappingColumns(map) }, type: type, nullable: nullable)
        }
    }
}

/// One `WHEN condition THEN value` of a bound CASE.
public struct BoundCaseBranch: Sendable {
    public var when: BoundExpression
    public var then: BoundExpression
    public init(when: BoundExpression, then: BoundExpression) {
        self.when = when
        self.then = then
    }
}
