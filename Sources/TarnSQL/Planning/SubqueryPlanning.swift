// SubqueryPlanning: uncorrelated subqueries inside expressions — `(SELECT …)`, EXISTS and
// IN (SELECT …). Each distinct subquery runs once, before the statement that holds it, through
// QueryRunner (same catalog, access checks, time travel), and its result takes its place:
// a typed value, TRUE/FALSE, or a hashed ValueSet. Must never run a subquery per outer row;
// a subquery that names an outer column is refused (correlated subqueries are not supported).
import TarnColumnar
import TarnExpression
import TarnTables

/// A parsed query is what a subquery inside an expression carries (TarnExpression sees it
/// only as an opaque `SubqueryPayload`).
extension Query: SubqueryPayload {
    public func isEqual(to other: any SubqueryPayload) -> Bool {
        guard let other = other as? Query else { return false }
        return other == self
    }
}

/// Runs the subqueries of one statement and puts their results in place.
///
/// With `explainOnly`, subqueries are planned, not run: each gets a placeholder of its
/// type (NULL, TRUE, an empty set) and `explained` lists their plans for EXPLAIN.
final class SubqueryResolver {
    let context: QueryContext
    let explainOnly: Bool
    /// EXPLAIN text of each subquery, in the order they were met.
    private(set) var explained: [String] = []
    /// Bytes the results hold for the rest of the statement (IN sets), charged against
    /// the query memory limit: the outer query runs with the limit less these.
    private(set) var heldBytes = 0
    private var values: [Subquery: SubqueryResult] = [:]
    private var exists: [Subquery: SubqueryResult] = [:]
    private var sets: [Subquery: ValueSet] = [:]

    init(context: QueryContext, explainOnly: Bool = false) {
        self.context = context
        self.explainOnly = explainOnly
    }

    /// What a subquery sees of the statement around it: the WITH queries in scope (it may
    /// read them) and the outer FROM tables (naming their columns makes it correlated).
    struct Scope {
        var ctes: [CommonTableExpression] = []
        var outer: [OuterTable] = []
    }

    /// A table of the outer query: the names that qualify it and how to get its columns.
    struct OuterTable {
        var qualifiers: [String]
        var display: String
        var columns: () -> [String]
    }

    // MARK: Statements

    /// `query` with every subquery inside its expressions (at any depth of WITH, FROM
    /// subqueries and unions) replaced by its result.
    func resolve(_ query: Query) throws(SQLError) -> Query {
        try resolve(query, Scope())
    }

    /// The DELETE / UPDATE / MERGE (and INSERT … VALUES) with the subqueries in its
    /// conditions and values run (the statement's target table is the outer scope); other
    /// statements unchanged.
    func resolve(_ statement: Statement) throws(SQLError) -> Statement {
        switch statement {
        case var .insert(insert):
            // INSERT … VALUES is evaluated by the statement itself, not by QueryRunner.
            guard case .values = insert.source.body else { return statement }
            insert.source = try resolve(insert.source, Scope())
            return .insert(insert)
        case var .delete(delete):
            guard let condition = delete.condition, condition.containsSubquery else { return statement }
            let scope = Scope(outer: [outerTable(delete.table, alias: delete.alias)])
            delete.condition = try resolve(condition, scope)
            return .delete(delete)
        case var .update(update):
            let scope = Scope(outer: [outerTable(update.table, alias: update.alias)])
            if let condition = update.condition { update.condition = try resolve(condition, scope) }
            for i in update.assignments.indices {
                update.assignments[i].value = try resolve(update.assignments[i].value, scope)
            }
            return .update(update)
        case var .merge(merge):
            var outer = [outerTable(merge.target, alias: merge.targetAlias)]
            outer += outerTables(merge.source, Scope())
            let scope = Scope(outer: outer)
            merge.condition = try resolve(merge.condition, scope)
            if case let .subquery(sub) = merge.source {
                var resolvedSource = sub
                resolvedSource.query = try resolve(sub.query, Scope())
                merge.source = .subquery(resolvedSource)
            }
            for i in merge.clauses.indices {
                if let condition = merge.clauses[i].condition { merge.clauses[i].condition = try resolve(condition, scope) }
                switch merge.clauses[i].action {
                case let .update(assignments):
                    var resolvedAssignments = assignments
                    for k in resolvedAssignments.indices {
                        resolvedAssignments[k].value = try resolve(resolvedAssignments[k].value, scope)
                    }
                    merge.clauses[i].action = .update(resolvedAssignments)
                case let .insert(columns, values):
                    var resolvedValues: [Expression] = []
                    for value in values { resolvedValues.append(try resolve(value, scope)) }
                    merge.clauses[i].action = .insert(columns: columns, values: resolvedValues)
                case .updateAll, .delete, .insertAll:
                    break
                }
            }
            return .merge(merge)
        default:
            return statement
        }
    }

    // MARK: Walking the query tree

    private func resolve(_ query: Query, _ outerScope: Scope) throws(SQLError) -> Query {
        var result = query
        var scope = outerScope
        result.with = []
        for cte in query.with {
            var resolved = cte
            resolved.query = try resolve(cte.query, scope)
            result.with.append(resolved)
            scope.ctes.append(resolved)
        }
        result.body = try resolve(query.body, scope)
        if !query.orderBy.isEmpty {
            var orderScope = scope
            if case let .select(core) = query.body, let from = core.from { orderScope.outer = outerTables(from, scope) }
            for i in result.orderBy.indices {
                result.orderBy[i].expression = try resolve(result.orderBy[i].expression, orderScope)
            }
        }
        return result
    }

    private func resolve(_ body: QueryBody, _ scope: Scope) throws(SQLError) -> QueryBody {
        switch body {
        case let .select(core):
            var result = core
            var inner = scope
            if let from = core.from {
                result.from = try resolve(from, scope)
                inner.outer = outerTables(from, scope)
            }
            for i in result.items.indices { result.items[i].expression = try resolve(result.items[i].expression, inner) }
            if let filter = core.filter { result.filter = try resolve(filter, inner) }
            for i in result.groupBy.indices { result.groupBy[i] = try resolve(result.groupBy[i], inner) }
            if let having = core.having { result.having = try resolve(having, inner) }
            return .select(result)
        case let .values(list):
            var result = list
            for r in result.rows.indices {
                for c in result.rows[r].indices { result.rows[r][c] = try resolve(result.rows[r][c], scope) }
            }
            return .values(result)
        case let .nested(query):
            return .nested(try resolve(query, scope))
        case let .union(left, right, all):
            return .union(left: try resolve(left, scope), right: try resolve(right, scope), all: all)
        }
    }

    private func resolve(_ reference: TableReference, _ scope: Scope) throws(SQLError) -> TableReference {
        switch reference {
        case .table, .path:
            return reference
        case var .subquery(sub):
            sub.query = try resolve(sub.query, scope)
            return .subquery(sub)
        case var .join(join):
            join.left = try resolve(join.left, scope)
            join.right = try resolve(join.right, scope)
            if let condition = join.condition {
                var inner = scope
                inner.outer = outerTables(reference, scope)
                join.condition = try resolve(condition, inner)
            }
            return .join(join)
        }
    }

    /// `expression` with its subqueries replaced by their results.
    func resolve(_ expression: Expression, _ scope: Scope) throws(SQLError) -> Expression {
        guard expression.containsSubquery else { return expression }
        var failure: SQLError?
        let result = expression.replacing { node in
            if failure != nil { return node }
            do throws(SQLError) {
                switch node {
                case let .scalarSubquery(query, at):
                    return .subqueryResult(try scalar(query, at: at, scope), at: at)
                case let .exists(query, at):
                    return .subqueryResult(try exists(query, at: at, scope), at: at)
                case let .inSubquery(x, query, negated, at):
                    let probe = try resolve(x, scope)
                    return .inSet(probe, try valueSet(query, at: at, scope), negated: negated, at: at)
                default:
                    return nil
                }
            } catch {
                failure = error
                return node
            }
        }
        if let failure { throw failure }
        return result
    }

    // MARK: Running one subquery

    /// `(SELECT v …)`: its one value, NULL when it returns no row.
    private func scalar(_ subquery: Subquery, at: SourceLocation, _ scope: Scope) throws(SQLError) -> SubqueryResult {
        if let known = values[subquery] { return known }
        let query = try fullQuery(subquery, scope, at: at)
        let text = "(" + subquery.payload.sql + ")"
        let (schema, batches) = try run(query, scope, at: at, what: "scalar subquery", display: text)
        let field = try singleColumn(schema, at: at, what: "a scalar subquery")
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        guard rows <= 1 else {
            throw SQLError(.execution, "scalar subquery returned \(rows) rows; it must return at most one (add an aggregate, a WHERE that picks one row, or LIMIT 1)", location: at)
        }
        let value = batches.first(where: { $0.rowCount > 0 }).map { $0.columns[0].value(at: 0) } ?? .null
        let result = SubqueryResult(value: value, type: field.type, text: text)
        values[subquery] = result
        return result
    }

    /// `EXISTS (…)`: whether the query returns a row (it stops at the first).
    private func exists(_ subquery: Subquery, at: SourceLocation, _ scope: Scope) throws(SQLError) -> SubqueryResult {
        if let known = exists[subquery] { return known }
        var query = try fullQuery(subquery, scope, at: at)
        query.limit = min(query.limit ?? 1, 1)
        let text = "EXISTS (" + subquery.payload.sql + ")"
        let (_, batches) = try run(query, scope, at: at, what: "EXISTS", display: text)
        let found = explainOnly || batches.contains { $0.rowCount > 0 }
        let result = SubqueryResult(value: .boolean(found), type: .boolean, text: text)
        exists[subquery] = result
        return result
    }

    /// `x IN (SELECT v …)`: the values, hashed once.
    private func valueSet(_ subquery: Subquery, at: SourceLocation, _ scope: Scope) throws(SQLError) -> ValueSet {
        if let known = sets[subquery] { return known }
        let query = try fullQuery(subquery, scope, at: at)
        let (schema, batches) = try run(query, scope, at: at, what: "IN subquery", display: "IN (" + subquery.payload.sql + ")")
        let field = try singleColumn(schema, at: at, what: "an IN subquery")
        let parts = batches.map { $0.columns[0] }
        let values: Column
        if parts.isEmpty {
            values = Column.nulls(field.type, count: 0)
        } else {
            values = try columnar("IN subquery") { () throws(ColumnarError) in try Column.concat(parts) }
        }
        let set: ValueSet
        do {
            set = try ValueSet(values, text: subquery.payload.sql)
        } catch {
            throw SQLError(error.kind == .unsupported ? .unsupported : .execution, error.message, location: at, cause: error)
        }
        try hold(values.estimatedBytes + set.estimatedBytes, what: "IN (SELECT …) with \(set.count) values", at: at)
        sets[subquery] = set
        return set
    }

    /// The subquery with the WITH queries in scope prepended (it may read them).
    private func fullQuery(_ subquery: Subquery, _ scope: Scope, at: SourceLocation) throws(SQLError) -> Query {
        guard var query = subquery.payload as? Query else {
            throw SQLError(.execution, "internal: a subquery whose payload is not a SQL query", location: at)
        }
        query.with = scope.ctes + query.with
        return query
    }

    private func singleColumn(_ schema: Schema, at: SourceLocation, what: String) throws(SQLError) -> Field {
        guard schema.fields.count == 1, let field = schema.fields.first else {
            throw SQLError(.binding, "\(what) must return one column, but this one returns \(schema.fields.count) (\(schema.names.joined(separator: ", ")))",
                           location: at)
        }
        return field
    }

    /// Runs (or, explaining, plans) `query` with the memory the statement has left; an
    /// unknown column that names an outer table becomes the "correlated" error.
    private func run(_ query: Query, _ scope: Scope, at: SourceLocation, what: String,
                     display: String) throws(SQLError) -> (Schema, [RecordBatch]) {
        var inner = context
        inner.memoryLimitBytes = max(0, context.memoryLimitBytes - heldBytes)
        do {
            if explainOnly {
                let prepared = try QueryRunner.prepare(query, context: inner, explainOnly: true)
                var text = "Subquery \(explained.count + 1) (\(what), run once before the statement): \(display)\n"
                text += prepared.plan.explainText(indent: 1)
                explained.append(text)
                explained += prepared.subqueries
                return (prepared.plan.schema, [])
            }
            let stream = try QueryRunner.open(query, context: inner)
            var batches: [RecordBatch] = []
            var bytes = 0
            while let batch = try stream.next() {
                try context.cancellation?.check()
                guard batch.rowCount > 0 else { continue }
                batches.append(batch)
                bytes += batch.estimatedBytes
                if bytes + heldBytes > context.memoryLimitBytes {
                    try hold(bytes, what: "the rows of a \(what)", at: at)
                }
            }
            return (stream.schema, batches)
        } catch {
            throw correlated(error, query: query, scope: scope) ?? error
        }
    }

    /// Charges `bytes` against the statement's memory limit for the rest of the statement.
    private func hold(_ bytes: Int, what: String, at: SourceLocation) throws(SQLError) {
        let total = heldBytes + bytes
        guard total <= context.memoryLimitBytes else {
            throw SQLError(.memoryLimit, "\(what) needs about \(MemoryBudget.format(total)) but the query memory limit is \(MemoryBudget.format(context.memoryLimitBytes)); filter the subquery, join it in FROM instead, or raise the limit",
                           location: at)
        }
        heldBytes = total
    }

    // MARK: Correlation

    /// The "correlated subquery" error when `error` is an unknown column of `query` that
    /// names a table or column of the outer query; nil otherwise.
    private func correlated(_ error: SQLError, query: Query, scope: Scope) -> SQLError? {
        guard let cause = error.cause as? ExpressionError, cause.kind == .unknownColumn,
              let location = error.location else { return nil }
        var reference: [String]?
        for expression in query.allExpressions {
            expression.visitColumns { parts, at in
                if at.offset == location.offset { reference = parts }
            }
            if reference != nil { break }
        }
        guard let parts = reference else { return nil }
        for table in scope.outer {
            let named: Bool
            if parts.count >= 2 {
                named = table.qualifiers.contains { $0.lowercased() == parts[parts.count - 2].lowercased() }
            } else {
                named = table.columns().contains { $0.lowercased() == parts[0].lowercased() }
            }
            if named {
                return SQLError(
                    .unsupported,
                    "correlated subqueries are not supported: \(parts.joined(separator: ".")) names a column of \(table.display) in the outer query; rewrite the subquery as a JOIN (or IN over a subquery that does not depend on the outer row)",
                    location: location, cause: error)
            }
        }
        return nil
    }

    private func outerTable(_ name: TableName, alias: String?) -> OuterTable {
        let context = self.context
        let qualifiers = [alias ?? name.name] + (alias == nil ? [] : [name.name])
        return OuterTable(qualifiers: qualifiers, display: name.description) {
            guard let id = try? TableIdentifier(namespace: name.resolvedNamespace(default: context.defaultNamespace), name: name.name),
                  let table = try? context.catalog.openTable(id), let schema = try? table.schema() else { return [] }
            return schema.names
        }
    }

    private func outerTables(_ reference: TableReference, _ scope: Scope) -> [OuterTable] {
        switch reference {
        case let .table(named):
            if named.name.namespace == nil, scope.ctes.contains(where: { $0.name.lowercased() == named.name.name.lowercased() }) {
                return [OuterTable(qualifiers: [named.alias ?? named.name.name], display: named.name.name) { [] }]
            }
            return [outerTable(named.name, alias: named.alias)]
        case let .path(path):
            return [OuterTable(qualifiers: path.alias.map { [$0] } ?? [], display: path.path) { [] }]
        case let .subquery(sub):
            let names = sub.query.outputNames
            return [OuterTable(qualifiers: sub.alias.map { [$0] } ?? [], display: sub.alias ?? "a subquery") { names }]
        case let .join(join):
            return outerTables(join.left, scope) + outerTables(join.right, scope)
        }
    }
}

extension Query {
    /// Every expression written in the query, at any depth (WITH, FROM subqueries, join
    /// conditions, unions, and the queries of subqueries inside expressions).
    var allExpressions: [Expression] {
        var out: [Expression] = []
        for cte in with { out += cte.query.allExpressions }
        out += body.allExpressions
        out += orderBy.map(\.expression)
        return out
    }

    /// The names of the columns a simple SELECT outputs (aliases and plain column names).
    var outputNames: [String] {
        guard case let .select(core) = body else { return [] }
        return core.items.compactMap { item in
            if let alias = item.alias { return alias }
            if case let .column(parts, _) = item.expression { return parts.last }
            return nil
        }
    }
}

extension QueryBody {
    var allExpressions: [Expression] {
        switch self {
        case let .select(core):
            var out = core.items.map(\.expression)
            if let from = core.from { out += from.allExpressions }
            if let filter = core.filter { out.append(filter) }
            out += core.groupBy
            if let having = core.having { out.append(having) }
            return out
        case let .values(list): return list.rows.flatMap { $0 }
        case let .nested(query): return query.allExpressions
        case let .union(left, right, _): return left.allExpressions + right.allExpressions
        }
    }
}

extension TableReference {
    var allExpressions: [Expression] {
        switch self {
        case .table, .path: return []
        case let .subquery(sub): return sub.query.allExpressions
        case let .join(join):
            return join.left.allExpressions + join.right.allExpressions + (join.condition.map { [$0] } ?? [])
        }
    }
}

extension Expression {
    /// Calls `body` with every column reference in the tree, inside subqueries too.
    func visitColumns(_ body: ([String], SourceLocation) -> Void) {
        switch self {
        case let .column(parts, at):
            body(parts, at)
        case let .scalarSubquery(query, _), let .exists(query, _):
            if let inner = query.payload as? Query { for e in inner.allExpressions { e.visitColumns(body) } }
        case let .inSubquery(x, query, _, _):
            x.visitColumns(body)
            if let inner = query.payload as? Query { for e in inner.allExpressions { e.visitColumns(body) } }
        default:
            for child in children { child.visitColumns(body) }
        }
    }
}
