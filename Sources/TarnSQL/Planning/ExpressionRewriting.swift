// Syntax-tree helpers the planner needs before binding: splitting conjunctions, finding
// aggregate and window calls and column references, and replacing subtrees (aggregates and GROUP BY
// expressions become references to the aggregate's output columns). Pure functions over
// `Expression`; must never resolve names (the binder does).
import TarnExpression

extension Expression {
    /// The AND-ed parts of the expression (itself when it is not an AND).
    var conjuncts: [Expression] {
        if case let .binary(.and, a, b, _) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// Aggregate calls in the tree, outermost first, without duplicates (structural equality).
    var aggregateCalls: [FunctionCall] {
        var out: [FunctionCall] = []
        collectAggregates(into: &out)
        return out
    }

    private func collectAggregates(into out: inout [FunctionCall]) {
        // A window call (`sum(x) OVER (…)`) is not an aggregate; its arguments may hold some.
        if case let .function(call, _) = self, call.window == nil, FunctionCatalog.isAggregate(call.name) {
            if !out.contains(call) { out.append(call) }
            return
        }
        for child in children { child.collectAggregates(into: &out) }
    }

    /// Window function calls (`f(…) OVER (…)`) in the tree, outermost first, without
    /// duplicates (structural equality); calls nested inside another's arguments are listed
    /// too, after it.
    var windowCalls: [Expression] {
        var out: [Expression] = []
        collectWindows(into: &out)
        return out
    }

    private func collectWindows(into out: inout [Expression]) {
        if case let .function(call, _) = self, call.window != nil, !out.contains(self) { out.append(self) }
        for child in children { child.collectWindows(into: &out) }
    }

    /// Name parts of every column reference and star in the tree.
    var referencedNames: [[String]] {
        switch self {
        case let .column(parts, _): return [parts]
        case let .star(qualifier, _): return [qualifier + ["*"]]
        default: return children.flatMap(\.referencedNames)
        }
    }

    /// The tree with every subtree for which `replacement` returns a value replaced by it
    /// (outermost match wins; replaced subtrees are not visited further).
    func replacing(_ replacement: (Expression) -> Expression?) -> Expression {
        if let replaced = replacement(self) { return replaced }
        func r(_ e: Expression) -> Expression { e.replacing(replacement) }
        switch self {
        case .column, .literal, .star, .scalarSubquery, .exists, .subqueryResult: return self
        case let .unary(op, x, at): return .unary(op, r(x), at: at)
        case let .binary(op, a, b, at): return .binary(op, r(a), r(b), at: at)
        case let .isNull(x, negated, at): return .isNull(r(x), negated: negated, at: at)
        case let .isTruth(x, value, negated, at): return .isTruth(r(x), value: value, negated: negated, at: at)
        case let .inList(x, items, negated, at): return .inList(r(x), items.map(r), negated: negated, at: at)
        case let .between(x, low, high, negated, at): return .between(r(x), low: r(low), high: r(high), negated: negated, at: at)
        case let .like(x, pattern, escape, ci, negated, at):
            return .like(r(x), pattern: r(pattern), escape: escape.map(r), caseInsensitive: ci, negated: negated, at: at)
        case let .caseWhen(operand, branches, otherwise, at):
            return .caseWhen(operand: operand.map(r), branches: branches.map { CaseBranch(when: r($0.when), then: r($0.then)) },
                             otherwise: otherwise.map(r), at: at)
        case let .cast(x, type, at): return .cast(r(x), type, at: at)
        case let .function(call, at):
            var copy = call
            copy.arguments = call.arguments.map(r)
            if var window = call.window {
                window.partitionBy = window.partitionBy.map(r)
                for i in window.orderBy.indices { window.orderBy[i].expression = r(window.orderBy[i].expression) }
                copy.window = window
            }
            return .function(copy, at: at)
        case let .extract(field, x, at): return .extract(field, r(x), at: at)
        case let .inSubquery(x, query, negated, at): return .inSubquery(r(x), query, negated: negated, at: at)
        case let .inSet(x, set, negated, at): return .inSet(r(x), set, negated: negated, at: at)
        }
    }

    /// Whether the tree holds `other` as a subtree (structural equality).
    func contains(_ other: Expression) -> Bool {
        if self == other { return true }
        return children.contains { $0.contains(other) }
    }
}
