// Pushdown: the part of a bound predicate that TarnColumnar's `Predicate` expresses
// exactly, for file skipping and row-group pruning — plus, for a top-level IN conjunct,
// a predicate it implies (a large set as its min/max range). Must never push a predicate
// that rejects a row the expression accepts; under OR and NOT everything must translate
// exactly or nothing does.

import TarnColumnar

extension BoundExpression {
    /// The conjuncts of this predicate that map exactly to a `Predicate` over column
    /// names (`columnName(i)` names scope column i; nil means that column cannot be
    /// pushed), AND-ed together; nil when none do. Rows the result rejects are rows
    /// this expression rejects, so scans may skip data with it and still evaluate the
    /// whole expression on what they read.
    public func pushdownPredicate(columnName: (Int) -> String?) -> Predicate? {
        switch self {
        case let .and(a, b):
            let x = a.pushdownPredicate(columnName: columnName), y = b.pushdownPredicate(columnName: columnName)
            switch (x, y) {
            case let (p?, q?): return .and(p, q)
            case let (p?, nil): return p
            case let (nil, q?): return q
            case (nil, nil): return nil
            }
        default:
            return impliedMembership(columnName) ?? exactPredicate(columnName)
        }
    }

    /// Sets of at most this many values prune as `Predicate.inList`; larger ones as their
    /// min/max range (checking every value against every file's bounds would cost more
    /// than it saves, and a range is what statistics can tell apart anyway).
    public static let inListPruningLimit = 256

    /// For `column IN (SELECT …)` (a hashed set) and a long `column IN (literals)`: a
    /// predicate every member satisfies — the values as an IN list when few, else
    /// `column >= min AND column <= max`. Nil for NOT IN, an empty set (EXPLAIN's
    /// placeholder for a subquery it does not run), anything but a plain column, and floating-point sets
    /// holding NaN (a member there, but outside every min/max). The scan still filters
    /// rows with the whole expression.
    func impliedMembership(_ columnName: (Int) -> String?) -> Predicate? {
        switch self {
        case let .inSet(.column(index, _, _), set, false):
            guard let name = columnName(index) else { return nil }
            let values = set.values
            // Empty: EXPLAIN plans with an empty placeholder set, which must not prune.
            if values.count == 0 { return nil }
            switch values.storage {
            case let .float64(v) where v.contains(where: \.isNaN): return nil
            case let .float32(v) where v.contains(where: \.isNaN): return nil
            default: break
            }
            if values.count <= Self.inListPruningLimit {
                var seen = Set<ScalarValue>()
                var list: [ScalarValue] = []
                for row in 0..<values.count {
                    let value = values.value(at: row)
                    if value != .null, seen.insert(value).inserted { list.append(value) }
                }
                return .inList(column: name, values: list)
            }
            let (low, high) = values.minMax()
            guard low != .null, high != .null else { return nil }
            return .and(.comparison(column: name, op: .greaterOrEqual, value: low),
                        .comparison(column: name, op: .lessOrEqual, value: high))
        case let .inList(.column(index, _, _), items, false) where items.count > Self.inListPruningLimit:
            guard let name = columnName(index) else { return nil }
            var low: ScalarValue?, high: ScalarValue?
            for item in items {
                guard case let .literal(value, _) = item else { return nil }
                if value == .null { continue }  // NULL never makes IN true
                if case let .float(x) = value, x.isNaN { return nil }
                guard let lo = low, let hi = high else { low = value; high = value; continue }
                guard let below = ScalarValue.order(value, lo), let above = ScalarValue.order(value, hi) else { return nil }
                if below < 0 { low = value }
                if above > 0 { high = value }
            }
            guard let low, let high else { return .constant(false) }
            return .and(.comparison(column: name, op: .greaterOrEqual, value: low),
                        .comparison(column: name, op: .lessOrEqual, value: high))
        default:
            return nil
        }
    }

    /// The whole expression as an equivalent `Predicate` (same true/false/null for
    /// every row), or nil.
    func exactPredicate(_ columnName: (Int) -> String?) -> Predicate? {
        switch self {
        case let .literal(.boolean(b), _):
            return .constant(b)
        case let .column(index, .boolean, _):
            guard let name = columnName(index) else { return nil }
            return .comparison(column: name, op: .equal, value: .boolean(true))
        case let .comparison(op, a, b):
            if case let .column(index, _, _) = a, case let .literal(value, _) = b, value != .null, let name = columnName(index) {
                return .comparison(column: name, op: op, value: value)
            }
            if case let .column(index, _, _) = b, case let .literal(value, _) = a, value != .null, let name = columnName(index) {
                return .comparison(column: name, op: op.flipped, value: value)
            }
            return nil
        case let .isNull(.column(index, _, _), negated):
            guard let name = columnName(index) else { return nil }
            return negated ? .isNotNull(column: name) : .isNull(column: name)
        case let .inList(.column(index, _, _), items, negated):
            guard let name = columnName(index) else { return nil }
            var values: [ScalarValue] = []
            for item in items {
                guard case let .literal(value, _) = item else { return nil }
                values.append(value)
            }
            // A NULL in the list makes non-matches NULL, which `inList` models the same way.
            let list = Predicate.inList(column: name, values: values)
            return negated ? .not(list) : list
        case let .and(a, b):
            guard let x = a.exactPredicate(columnName), let y = b.exactPredicate(columnName) else { return nil }
            return .and(x, y)
        case let .or(a, b):
            guard let x = a.exactPredicate(columnName), let y = b.exactPredicate(columnName) else { return nil }
            return .or(x, y)
        case let .not(x):
            return x.exactPredicate(columnName).map { .not($0) }
        default:
            return nil
        }
    }
}
