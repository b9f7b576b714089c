// Pushdown: the part of a bound predicate that TarnColumnar's `Predicate` expresses
// exactly, for file skipping and row-group pruning. Must never translate a conjunct it
// cannot express exactly; under OR and NOT everything must translate or nothing does.

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
            return exactPredicate(columnName)
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
