// QueryPlanner: turns a parsed `Query` into a tree of physical operators against a
// QueryContext — names bound through TarnExpression, aggregates extracted and replaced
// by column references, WHERE conjuncts and needed columns pushed into scans, equi-join
// keys split from residual conditions, ORDER BY + LIMIT as top-k. Must never read data
// (scans are planned, not run) beyond Delta logs and Parquet footers.
import TarnColumnar
import TarnExpression
import TarnLog
import TarnTables

/// A planned relation: an operator and the SQL names of its output columns.
struct Relation {
    var op: any PhysicalOperator
    var columns: [RelationColumn]
    /// Rough size used to pick a join's build side (bytes of data files; large when unknown).
    var estimatedSize: Int
    /// Columns the FROM tables have that no name in the statement asks for (scans skip
    /// them): only for unknown-column messages, which suggest the closest of all columns.
    var unread: [RelationColumn] = []

    static let unknownSize = Int.max / 4
}

public struct QueryPlanner {
    public let context: QueryContext
    let execution: ExecutionContext
    let binding: ExpressionBinding
    /// CTEs in scope, by lower-cased name (innermost definition wins).
    var ctes: [String: CommonTableExpression] = [:]

    public init(context: QueryContext) {
        self.context = context
        execution = ExecutionContext(memoryLimitBytes: context.memoryLimitBytes, parallelism: context.parallelism,
                                     cancellation: context.cancellation)
        binding = ExpressionBinding(now: context.now)
    }

    /// The operator tree of `query`; its output schema carries the result column names.
    public func plan(_ query: Query) throws(SQLError) -> any PhysicalOperator {
        let relation = try planQuery(query)
        let visible = relation.columns.indices.filter { !relation.columns[$0].hidden }
        if visible.count == relation.columns.count { return relation.op }
        return project(relation, indices: visible).op
    }

    // MARK: Queries

    func planQuery(_ query: Query) throws(SQLError) -> Relation {
        var planner = self
        for cte in query.with { planner.ctes[cte.name.lowercased()] = cte }
        if case let .select(core) = query.body {
            return try planner.planSelect(core, orderBy: query.orderBy, limit: query.limit, offset: query.offset)
        }
        var relation = try planner.planBody(query.body)
        if !query.orderBy.isEmpty {
            var keys: [SortKey] = []
            for item in query.orderBy {
                let index = try planner.outputIndex(of: item.expression, in: relation.columns, items: nil)
                let expression: PhysicalExpression
                if let index {
                    expression = .column(index, type: relation.columns[index].type, name: relation.columns[index].name)
                } else {
                    expression = try binding.physical(item.expression, relation.columns)
                }
                keys.append(SortKey(expression: expression, ascending: !item.descending, nullsFirst: item.nulls.map { $0 == .first } ?? false))
            }
            relation.op = planner.sort(relation.op, keys: keys, limit: query.limit, offset: query.offset)
        } else if query.limit != nil || query.offset != nil {
            relation.op = LimitOperator(input: relation.op, limit: query.limit.map(clampCount), offset: clampCount(query.offset ?? 0))
        }
        return relation
    }

    func planBody(_ body: QueryBody) throws(SQLError) -> Relation {
        switch body {
        case let .select(core):
            return try planSelect(core, orderBy: [], limit: nil, offset: nil)
        case let .nested(query):
            return try planQuery(query)
        case let .values(list):
            return try planValues(list)
        case let .union(left, right, all):
            let l = try planBody(left)
            let r = try planBody(right)
            let lv = visibleColumns(l), rv = visibleColumns(r)
            guard lv.count == rv.count else {
                throw SQLError(.binding, "UNION inputs have \(lv.count) and \(rv.count) columns; they must have the same number")
            }
            var fields: [Field] = []
            var columns: [RelationColumn] = []
            for (a, b) in zip(lv, rv) {
                // A bare NULL takes the other input's type.
                let type = a.untypedNull ? b.type : b.untypedNull ? a.type : try unionType(a.type, b.type, name: a.name)
                fields.append(Field(a.name, type, nullable: true))
                columns.append(RelationColumn(qualifier: nil, name: a.name, type: type, nullable: true,
                                              untypedNull: a.untypedNull && b.untypedNull))
            }
            let lp = project(l, indices: l.columns.indices.filter { !l.columns[$0].hidden })
            let rp = project(r, indices: r.columns.indices.filter { !r.columns[$0].hidden })
            var op: any PhysicalOperator = UnionAllOperator(inputs: [lp.op, rp.op], schema: Schema(fields))
            if !all { op = DistinctOperator(input: op, context: execution) }
            return Relation(op: op, columns: columns, estimatedSize: addSizes(l.estimatedSize, r.estimatedSize))
        }
    }

    func isBareNull(_ expression: Expression) -> Bool {
        if case .literal(.null, _) = expression { return true }
        return false
    }

    func unionType(_ a: DataType, _ b: DataType, name: String) throws(SQLError) -> DataType {
        if a == b { return a }
        if a.isNumeric && b.isNumeric || a == .date32 || b == .date32 { return commonKeyType(a, b) }
        if case .timestamp = a, case .timestamp = b { return a }
        if a == .string || b == .string { return .string }
        throw SQLError(.type, "UNION column \(name) has types \(a) and \(b), which have no common type")
    }

    func planValues(_ list: ValuesList) throws(SQLError) -> Relation {
        guard let width = list.rows.first?.count else { throw SQLError(.syntax, "VALUES needs at least one row") }
        let unit = try columnar("VALUES") { () throws(ColumnarError) in try RecordBatch(schema: Schema([]), columns: [], rowCount: 1) }
        var columnsByRow: [[Column]] = []
        for (r, row) in list.rows.enumerated() {
            guard row.count == width else {
                throw SQLError(.binding, "VALUES row \(r + 1) has \(row.count) values; the first row has \(width)", location: list.location)
            }
            var values: [Column] = []
            for expression in row {
                let bound = try binding.bind(expression, [])
                do {
                    values.append(try bound.evaluate(unit))
                } catch {
                    throw SQLError.from(error)
                }
            }
            columnsByRow.append(values)
        }
        var fields: [Field] = []
        var columns: [Column] = []
        var untypedNulls: [Bool] = []
        for c in 0..<width {
            // Bare NULLs take the type of the column's other rows.
            let typed = list.rows.indices.filter { !isBareNull(list.rows[$0][c]) }
            var type = columnsByRow[typed.first ?? 0][c].type
            for r in typed.dropFirst() { type = try unionType(type, columnsByRow[r][c].type, name: "col\(c)") }
            untypedNulls.append(typed.isEmpty)
            var parts: [Column] = []
            for row in columnsByRow {
                let value = row[c]
                if value.type == type {
                    parts.append(value)
                } else if value.nullCount == value.count {
                    parts.append(Column.nulls(type, count: value.count))
                } else {
                    parts.append(try columnar("VALUES") { () throws(ColumnarError) in try value.cast(to: type) })
                }
            }
            columns.append(try columnar("VALUES") { () throws(ColumnarError) in try Column.concat(parts) })
            fields.append(Field("col\(c)", type, nullable: true))
        }
        let schema = Schema(fields)
        let batch = try columnar("VALUES") { () throws(ColumnarError) in try RecordBatch(schema: schema, columns: columns, rowCount: list.rows.count) }
        let relationColumns = zip(fields, untypedNulls).map { field, untyped in
            RelationColumn(qualifier: nil, name: field.name, type: field.type, nullable: true, untypedNull: untyped)
        }
        return Relation(op: ValuesOperator(schema: schema, batches: [batch]), columns: relationColumns, estimatedSize: batch.estimatedBytes)
    }

    // MARK: SELECT

    func planSelect(_ core: SelectCore, orderBy: [OrderItem], limit: Int64?, offset: Int64?) throws(SQLError) -> Relation {
        // Columns any part of the statement names: scans read only these.
        var names: [[String]] = []
        for item in core.items { names += item.expression.referencedNames }
        if let filter = core.filter { names += filter.referencedNames }
        for e in core.groupBy { names += e.referencedNames }
        if let having = core.having { names += having.referencedNames }
        for item in orderBy { names += item.expression.referencedNames }
        if let from = core.from { names += joinConditionNames(from) }
        let required = RequiredColumns(names: names)

        // FROM and WHERE (conjuncts pushed into scans where they bind).
        let conjuncts = core.filter?.conjuncts ?? []
        for c in conjuncts where c.containsAggregate {
            throw SQLError(.binding, "aggregate functions are not allowed in WHERE; use HAVING", location: c.location)
        }
        var relation: Relation
        var consumed = Set<Int>()
        if let from = core.from {
            (relation, consumed) = try planFrom(from, required: required, conjuncts: conjuncts, pushAllowed: true)
        } else {
            let unit = try columnar("SELECT") { () throws(ColumnarError) in try RecordBatch(schema: Schema([]), columns: [], rowCount: 1) }
            relation = Relation(op: ValuesOperator(schema: Schema([]), batches: [unit], name: "OneRow"), columns: [], estimatedSize: 0)
        }
        var remaining: [Expression] = []
        for (i, c) in conjuncts.enumerated() {
            _ = try binding.bindPredicate(c, relation.columns, unread: relation.unread)  // reports unknown/ambiguous names even when pushed
            if !consumed.contains(i) { remaining.append(c) }
        }
        if let condition = conjunction(remaining) {
            relation.op = FilterOperator(input: relation.op, predicate: try binding.physicalPredicate(condition, relation.columns))
        }

        // Select list with stars expanded (against the FROM scope).
        var items: [SelectItem] = []
        for item in core.items {
            if case let .star(qualifier, at) = item.expression {
                let matches = relation.columns.indices.filter { i in
                    let column = relation.columns[i]
                    // A USING join's input columns are hidden from `*` but not from `l.*`.
                    guard !column.hidden || (column.qualifiedOnly && !qualifier.isEmpty) else { return false }
                    guard let q = qualifier.last else { return true }
                    return column.qualifier?.lowercased() == q.lowercased()
                }
                if matches.isEmpty && !qualifier.isEmpty {
                    throw SQLError(.binding, "no table named \(qualifier.joined(separator: ".")) in FROM for \(qualifier.joined(separator: ".")).*", location: at)
                }
                for i in matches {
                    let column = relation.columns[i]
                    let parts = column.qualifier.map { [$0, column.name] } ?? [column.name]
                    items.append(SelectItem(.column(parts, at: at), alias: column.name))
                }
            } else {
                try checkColumnNames(item.expression, relation)
                items.append(item)
            }
        }
        var outputNames = items.map { item -> String in
            if let alias = item.alias { return alias }
            if case let .column(parts, _) = item.expression, let last = parts.last { return last }
            return item.expression.sql
        }

        // GROUP BY and aggregates.
        var groupExpressions: [Expression] = []
        for e in core.groupBy {
            if case let .literal(.integer(n), at) = e {
                guard n >= 1, n <= items.count else {
                    throw SQLError(.binding, "GROUP BY position \(n) is not in the select list (1...\(items.count))", location: at)
                }
                groupExpressions.append(items[Int(n) - 1].expression)
            } else if case let .column(parts, _) = e, parts.count == 1,
                      (try? binding.bind(e, relation.columns)) == nil,
                      let i = outputNames.firstIndex(where: { $0.lowercased() == parts[0].lowercased() }) {
                groupExpressions.append(items[i].expression)
            } else {
                groupExpressions.append(e)
            }
        }
        for e in groupExpressions where e.containsAggregate {
            throw SQLError(.binding, "aggregate functions are not allowed in GROUP BY", location: e.location)
        }
        var aggregateCalls: [FunctionCall] = []
        for item in items {
            for call in item.expression.aggregateCalls where !aggregateCalls.contains(call) { aggregateCalls.append(call) }
        }
        if let having = core.having {
            for call in having.aggregateCalls where !aggregateCalls.contains(call) { aggregateCalls.append(call) }
        }
        for item in orderBy {
            for call in item.expression.aggregateCalls where !aggregateCalls.contains(call) { aggregateCalls.append(call) }
        }
        var orderExpressions = orderBy.map(\.expression)
        // The select items as written (EXPLAIN shows these, not the aggregate rewrites).
        let displayItems = items
        var having = core.having
        if !groupExpressions.isEmpty || !aggregateCalls.isEmpty {
            let planned = try planAggregate(relation, groups: groupExpressions, calls: aggregateCalls)
            relation = planned.relation
            let rewrite = planned.rewrite
            items = items.map { SelectItem(rewrite($0.expression), alias: $0.alias) }
            having = having.map(rewrite)
            orderExpressions = orderExpressions.map { e in
                // An ORDER BY that names an output column is resolved later, unrewritten.
                if case let .column(parts, _) = e, parts.count == 1,
                   outputNames.contains(where: { $0.lowercased() == parts[0].lowercased() }) { return e }
                return rewrite(e)
            }
        } else if having != nil {
            throw SQLError(.binding, "HAVING needs GROUP BY or an aggregate", location: having?.location)
        }
        if let having {
            let bound = try binding.bindPredicate(having, relation.columns)
            relation.op = FilterOperator(input: relation.op, predicate: binding.physical(bound, text: core.having?.sql ?? having.sql))
        }
        // Window functions: after GROUP BY and HAVING, before DISTINCT, ORDER BY and LIMIT (WindowPlanning).
        (relation, items, orderExpressions) = try planWindows(relation, items: items, orderBy: orderExpressions)

        // Projection, with hidden ORDER BY keys appended.
        var expressions: [PhysicalExpression] = []
        for (item, shown) in zip(items, displayItems) {
            expressions.append(binding.physical(try binding.bind(item.expression, relation.columns), text: shown.expression.sql))
        }
        var sortKeys: [(index: Int, item: OrderItem)] = []
        var hiddenCount = 0
        for (k, item) in orderBy.enumerated() {
            let expression = orderExpressions[k]
            if let index = try outputIndex(of: expression, in: nil, items: items, names: outputNames) {
                sortKeys.append((index, item))
                continue
            }
            if core.distinct {
                throw SQLError(.binding, "with SELECT DISTINCT, ORDER BY expressions must appear in the select list", location: item.expression.location)
            }
            expressions.append(try binding.physical(expression, relation.columns))
            outputNames.append("__order\(hiddenCount)")
            hiddenCount += 1
            sortKeys.append((expressions.count - 1, item))
        }
        let projected = ProjectOperator(input: relation.op, expressions: expressions, names: outputNames)
        var columns = zip(expressions, outputNames).map { RelationColumn(qualifier: nil, name: $1, type: $0.type, nullable: true) }
        for i in (columns.count - hiddenCount)..<columns.count { columns[i].hidden = true }
        for (i, item) in items.enumerated() where isBareNull(item.expression) { columns[i].untypedNull = true }
        var op: any PhysicalOperator = projected
        if core.distinct { op = DistinctOperator(input: op, context: execution) }
        if !sortKeys.isEmpty {
            let keys = sortKeys.map { key in
                SortKey(expression: .column(key.index, type: columns[key.index].type, name: columns[key.index].name),
                        ascending: !key.item.descending, nullsFirst: key.item.nulls.map { $0 == .first } ?? false)
            }
            op = sort(op, keys: keys, limit: limit, offset: offset)
        } else if limit != nil || offset != nil {
            op = LimitOperator(input: op, limit: limit.map(clampCount), offset: clampCount(offset ?? 0))
        }
        return Relation(op: op, columns: columns, estimatedSize: relation.estimatedSize)
    }

    /// Reports a select-list name that no FROM column has, against the FROM scope (with the
    /// closest column suggested), before aggregation replaces that scope.
    func checkColumnNames(_ expression: Expression, _ relation: Relation) throws(SQLError) {
        var references: [Expression] = []
        _ = expression.replacing { node in
            if case .column = node { references.append(node) }
            return nil
        }
        for reference in references {
            _ = try binding.bind(reference, relation.columns, unread: relation.unread)
        }
    }

    /// The output column an ORDER BY item names: a position, an output name, or an
    /// expression written exactly as a select item. Nil when it must be computed.
    func outputIndex(of expression: Expression, in columns: [RelationColumn]?, items: [SelectItem]?, names: [String]? = nil) throws(SQLError) -> Int? {
        let outputNames = names ?? columns?.filter { !$0.hidden }.map(\.name) ?? []
        if case let .literal(.integer(n), at) = expression {
            guard n >= 1, n <= outputNames.count else {
                throw SQLError(.binding, "ORDER BY position \(n) is not in the select list (1...\(outputNames.count))", location: at)
            }
            return Int(n) - 1
        }
        if case let .column(parts, _) = expression, parts.count == 1 {
            let lowered = parts[0].lowercased()
            let matches = outputNames.indices.filter { outputNames[$0].lowercased() == lowered && !outputNames[$0].hasPrefix("__order") }
            if matches.count == 1 { return matches[0] }
        }
        if let items, let index = items.firstIndex(where: { $0.expression == expression }) { return index }
        return nil
    }

    func sort(_ input: any PhysicalOperator, keys: [SortKey], limit: Int64?, offset: Int64?) -> any PhysicalOperator {
        let skip = clampCount(offset ?? 0)
        if let limit {
            let k = clampCount(limit)
            let (total, overflow) = k.addingReportingOverflow(skip)
            if !overflow && total <= 1_000_000 {
                let top = TopKOperator(input: input, keys: keys, k: total, context: execution)
                return skip > 0 ? LimitOperator(input: top, limit: k, offset: skip) : top
            }
            return LimitOperator(input: SortOperator(input: input, keys: keys, context: execution), limit: k, offset: skip)
        }
        let sorted = SortOperator(input: input, keys: keys, context: execution)
        return skip > 0 ? LimitOperator(input: sorted, limit: nil, offset: skip) : sorted
    }

    /// Plans the hash aggregate; returns the relation of group keys + aggregates and the
    /// rewrite that maps expressions over the input to expressions over that relation.
    func planAggregate(_ input: Relation, groups: [Expression], calls: [FunctionCall])
        throws(SQLError) -> (relation: Relation, rewrite: (Expression) -> Expression) {
        var keys: [PhysicalExpression] = []
        var keyNames: [String] = []
        var columns: [RelationColumn] = []
        var replacements: [(Expression, Expression)] = []
        for (i, e) in groups.enumerated() {
            let bound = try binding.bind(e, input.columns)
            keys.append(binding.physical(bound, text: e.sql))
            if case .column = e, bound.referencedColumns.count == 1, let index = bound.referencedColumns.first {
                let source = input.columns[index]
                keyNames.append(source.name)
                columns.append(RelationColumn(qualifier: source.qualifier, name: source.name, type: bound.type, nullable: true))
            } else {
                let name = "__group\(i)"
                keyNames.append(name)
                columns.append(RelationColumn(qualifier: nil, name: name, type: bound.type, nullable: true, hidden: true))
                replacements.append((e, .column([name], at: e.location)))
            }
        }
        var aggregates: [AggregateCall] = []
        for (i, call) in calls.enumerated() {
            let name = "__agg\(i)"
            let function: AggregateFunction
            var argument: PhysicalExpression?
            if call.isStar {
                guard call.name == "count" else { throw SQLError(.binding, "\(call.name)(*) is not an aggregate; only count(*)") }
                function = .countStar
            } else {
                guard let f = AggregateFunction.named(call.name) else {
                    throw SQLError(.unsupported, "aggregate function \(call.name) is not supported")
                }
                guard call.arguments.count == 1 else {
                    throw SQLError(.binding, "\(call.name) takes one argument, got \(call.arguments.count)")
                }
                if call.arguments[0].containsAggregate {
                    throw SQLError(.binding, "aggregate functions cannot be nested (\(call.name) of an aggregate)")
                }
                function = f
                argument = try binding.physical(call.arguments[0], input.columns)
            }
            let at = call.arguments.first?.location ?? .start
            let aggregate = AggregateCall(function: function, argument: argument, distinct: call.distinct, name: name)
            aggregates.append(aggregate)
            let type = try function.resultType(input: argument?.type)
            columns.append(RelationColumn(qualifier: nil, name: name, type: type, nullable: true, hidden: true))
            replacements.append((.function(call, at: at), .column([name], at: at)))
        }
        let op = try HashAggregateOperator(input: input.op, keys: keys, keyNames: keyNames, aggregates: aggregates, context: execution)
        let rewrite: (Expression) -> Expression = { e in
            e.replacing { node in
                for (from, to) in replacements where node == from {
                    if case let .column(parts, _) = to { return .column(parts, at: node.location) }
                    return to
                }
                return nil
            }
        }
        return (Relation(op: op, columns: columns, estimatedSize: input.estimatedSize), rewrite)
    }

    // MARK: FROM

    func joinConditionNames(_ reference: TableReference) -> [[String]] {
        guard case let .join(join) = reference else { return [] }
        // NATURAL joins on names only the tables know: every column is read.
        let own = join.natural ? [["*"]] : (join.condition?.referencedNames ?? []) + join.using.map { [$0.name] }
        return own + joinConditionNames(join.left) + joinConditionNames(join.right)
    }

    /// Plans a FROM item. `conjuncts` are the WHERE conjuncts; those that bind against a
    /// scan's own columns are pushed into it (when `pushAllowed`: not below the NULL-padded
    /// side of an outer join) and returned as consumed.
    func planFrom(_ reference: TableReference, required: RequiredColumns, conjuncts: [Expression],
                  pushAllowed: Bool) throws(SQLError) -> (Relation, Set<Int>) {
        switch reference {
        case let .table(named):
            if named.name.namespace == nil, let cte = ctes[named.name.name.lowercased()] {
                var inner = self
                inner.ctes[named.name.name.lowercased()] = nil  // a CTE does not see itself
                var relation = try inner.planQuery(cte.query)
                relation = visibleRelation(relation)
                if !cte.columns.isEmpty {
                    guard cte.columns.count == relation.columns.count else {
                        throw SQLError(.binding, "CTE \(cte.name) names \(cte.columns.count) columns but its query has \(relation.columns.count)", location: cte.location)
                    }
                    for i in relation.columns.indices { relation.columns[i].name = cte.columns[i] }
                    relation.op = RenameOperator(input: relation.op, names: cte.columns)
                }
                let qualifier = named.alias ?? cte.name
                for i in relation.columns.indices { relation.columns[i].qualifier = qualifier }
                return (relation, [])
            }
            let namespace = named.name.resolvedNamespace(default: context.defaultNamespace)
            let table: Table
            do {
                let id = try TableIdentifier(namespace: namespace, name: named.name.name)
                table = try context.catalog.openTable(id)
            } catch {
                throw SQLError(error, location: named.location)
            }
            return try planTableScan(table, display: named.name.description, timeTravel: named.timeTravel,
                                     qualifier: named.alias ?? named.name.name, required: required,
                                     conjuncts: conjuncts, pushAllowed: pushAllowed, location: named.location)
        case let .path(path):
            // Reading by path bypasses the catalog, so it needs READ FILES on the lakehouse
            // (access control); the catalog checks it for Delta paths, we check it for files.
            switch path.format {
            case .delta:
                let table: Table
                do {
                    table = try context.catalog.openTable(directory: path.path)
                } catch {
                    throw SQLError(error, location: path.location)
                }
                return try planTableScan(table, display: "delta.`\(path.path)`", timeTravel: path.timeTravel,
                                         qualifier: path.alias ?? lastPathComponent(path.path), required: required,
                                         conjuncts: conjuncts, pushAllowed: pushAllowed, location: path.location)
            case .parquet:
                return try planParquetScan(path, required: required, conjuncts: conjuncts, pushAllowed: pushAllowed)
            case .csv:
                return try planCSV(path, conjuncts: conjuncts, pushAllowed: pushAllowed)
            }
        case let .subquery(sub):
            var relation = visibleRelation(try planQuery(sub.query))
            for i in relation.columns.indices { relation.columns[i].qualifier = sub.alias }
            return (relation, [])
        case let .join(join):
            let kind = join.kind
            // WHERE sees only the left's columns after SEMI/ANTI: nothing is pushed to the right.
            let (left, leftConsumed) = try planFrom(join.left, required: required, conjuncts: conjuncts,
                                                    pushAllowed: pushAllowed && (kind == .inner || kind == .cross || kind == .left || kind.keepsLeftOnly))
            let (right, rightConsumed) = try planFrom(join.right, required: required, conjuncts: conjuncts,
                                                      pushAllowed: pushAllowed && (kind == .inner || kind == .cross || kind == .right))
            if join.natural || !join.using.isEmpty {
                return (try planUsingJoin(left, right, kind: kind, using: join.using, natural: join.natural, location: join.location),
                        leftConsumed.union(rightConsumed))
            }
            return (try planJoin(left, right, kind: kind, condition: join.condition), leftConsumed.union(rightConsumed))
        }
    }

    func visibleRelation(_ relation: Relation) -> Relation {
        let visible = relation.columns.indices.filter { !relation.columns[$0].hidden }
        return visible.count == relation.columns.count ? relation : project(relation, indices: visible)
    }

    func visibleColumns(_ relation: Relation) -> [RelationColumn] { relation.columns.filter { !$0.hidden } }

    /// The relation restricted to `indices` (plain column references).
    func project(_ relation: Relation, indices: [Int]) -> Relation {
        let expressions = indices.map { i in
            PhysicalExpression.column(i, type: relation.columns[i].type, name: relation.columns[i].name)
        }
        let op = ProjectOperator(input: relation.op, expressions: expressions, names: indices.map { relation.columns[$0].name })
        return Relation(op: op, columns: indices.map { relation.columns[$0] }, estimatedSize: relation.estimatedSize)
    }

    func conjunction(_ parts: [Expression]) -> Expression? {
        guard var out = parts.first else { return nil }
        for part in parts.dropFirst() { out = .binary(.and, out, part, at: part.location) }
        return out
    }

    /// WHERE conjuncts that bind against `columns` alone.
    func pushable(_ conjuncts: [Expression], _ columns: [RelationColumn], allowed: Bool) -> [(Int, BoundExpression, Expression)] {
        guard allowed else { return [] }
        var out: [(Int, BoundExpression, Expression)] = []
        for (i, c) in conjuncts.enumerated() {
            if let bound = try? binding.bindPredicate(c, columns) { out.append((i, bound, c)) }
        }
        return out
    }

    func planTableScan(_ table: Table, display: String, timeTravel: TimeTravelSpec?, qualifier: String,
                       required: RequiredColumns, conjuncts: [Expression], pushAllowed: Bool,
                       location: SourceLocation?) throws(SQLError) -> (Relation, Set<Int>) {
        let asOf = try resolve(timeTravel, location: location)
        let snapshot: Snapshot
        do {
            snapshot = try table.snapshot(asOf: asOf)
        } catch {
            throw SQLError(error, location: location)
        }
        let schema = snapshot.schema
        let fields = schema.fields.filter { required.needs($0.name, qualifier: qualifier) }
        let columns = fields.map { RelationColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: true) }
        let unread = schema.fields.filter { !required.needs($0.name, qualifier: qualifier) }
            .map { RelationColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: true) }
        let pushed = pushable(conjuncts, columns, allowed: pushAllowed)
        var predicate: Predicate?
        for (_, bound, _) in pushed {
            guard let p = bound.pushdownPredicate(columnName: { $0 < fields.count ? fields[$0].name : nil }) else { continue }
            predicate = predicate.map { .and($0, p) } ?? p
        }
        let scan: TableScan
        do {
            scan = try table.scan(columns: fields.map(\.name), predicate: predicate, asOf: .version(snapshot.version))
        } catch {
            throw SQLError(error, location: location)
        }
        let files = scan.files.map { file in
            let relative = file.decodedPath
            let storePath = table.path.isEmpty ? relative : table.path + "/" + relative
            return ScanFile.store(table.store, path: storePath, display: relative, partitionValues: file.partitionValues)
        }
        let filter = try conjunction(pushed.map(\.2)).map { e throws(SQLError) in try binding.physicalPredicate(e, columns) }
        var notes = ["version \(snapshot.version)\(timeTravel == nil ? "" : " (time travel)")"]
        if !snapshot.partitionColumns.isEmpty { notes.append("partitioned by \(snapshot.partitionColumns.joined(separator: ", "))") }
        let op = ScanOperator(name: display, files: files, totalFiles: scan.totalFiles, columns: fields,
                              partitionColumns: Set(snapshot.partitionColumns), pruning: predicate, filter: filter,
                              notes: notes, context: execution)
        let size = scan.files.reduce(0) { $0 + Int($1.size) }
        return (Relation(op: op, columns: columns, estimatedSize: size, unread: unread), Set(pushed.map(\.0)))
    }

    func resolve(_ spec: TimeTravelSpec?, location: SourceLocation?) throws(SQLError) -> TimeTravel? {
        switch spec {
        case nil: return nil
        case let .version(v):
            guard v >= 0 else { throw SQLError(.binding, "VERSION AS OF \(v): versions start at 0", location: location) }
            return .version(v)
        case let .timestamp(text):
            guard let micros = parseTimestamp(text) else {
                throw SQLError(.type, "TIMESTAMP AS OF '\(text)' is not a timestamp (expected 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]')", location: location)
            }
            return .timestamp(micros)
        }
    }

    func parseTimestamp(_ text: String) -> Int64? {
        guard let column = try? Column(strings: [text]), let cast = try? column.cast(to: .timestamp(.utc)),
              case let .timestamp(micros, _) = cast.value(at: 0) else { return nil }
        return micros
    }

    func planParquetScan(_ path: PathTableReference, required: RequiredColumns, conjuncts: [Expression],
                         pushAllowed: Bool) throws(SQLError) -> (Relation, Set<Int>) {
        try requireReadFiles(path)
        let paths = try LocalFiles.expandGlob(path.path)
        guard let first = paths.first else {
            throw SQLError(.io, "no Parquet file matches \(path.path)", location: path.location)
        }
        let files = paths.map { ScanFile.local($0) }
        let reader = try files[0].open(false)
        let qualifier = path.alias ?? "parquet"
        let fields = reader.schema.fields.filter { required.needs($0.name, qualifier: qualifier) }
        let columns = fields.map { RelationColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: true) }
        let unread = reader.schema.fields.filter { !required.needs($0.name, qualifier: qualifier) }
            .map { RelationColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: true) }
        let pushed = pushable(conjuncts, columns, allowed: pushAllowed)
        var predicate: Predicate?
        for (_, bound, _) in pushed {
            guard let p = bound.pushdownPredicate(columnName: { $0 < fields.count ? fields[$0].name : nil }) else { continue }
            predicate = predicate.map { .and($0, p) } ?? p
        }
        let filter = try conjunction(pushed.map(\.2)).map { e throws(SQLError) in try binding.physicalPredicate(e, columns) }
        let op = ScanOperator(name: "parquet.`\(path.path)`", files: files, totalFiles: files.count, columns: fields,
                              partitionColumns: [], pruning: predicate, filter: filter,
                              notes: ["\(paths.count) file(s), schema of \(first)"], context: execution)
        let size = paths.reduce(0) { $0 + LocalFiles.size($1) }
        return (Relation(op: op, columns: columns, estimatedSize: size, unread: unread), Set(pushed.map(\.0)))
    }

    func planCSV(_ path: PathTableReference, conjuncts: [Expression], pushAllowed: Bool) throws(SQLError) -> (Relation, Set<Int>) {
        try requireReadFiles(path)
        guard let data = LocalFiles.contents(path.path) else {
            throw SQLError(.io, "cannot read CSV file \(path.path)", location: path.location)
        }
        let (schema, batches) = try columnar("reading CSV \(path.path)") { () throws(ColumnarError) in
            try CSVReader.read(data)
        }
        let qualifier = path.alias ?? "csv"
        let columns = schema.fields.map { RelationColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: true) }
        var op: any PhysicalOperator = ValuesOperator(schema: schema, batches: batches, name: "CSV \(path.path)")
        let pushed = pushable(conjuncts, columns, allowed: pushAllowed)
        if let condition = conjunction(pushed.map(\.2)) {
            op = FilterOperator(input: op, predicate: try binding.physicalPredicate(condition, columns))
        }
        return (Relation(op: op, columns: columns, estimatedSize: data.count), Set(pushed.map(\.0)))
    }

    /// Files read by path are outside the catalog: the caller needs READ FILES.
    func requireReadFiles(_ path: PathTableReference) throws(SQLError) {
        do {
            try context.catalog.access.require(.readFiles, on: .lakehouse, action: "read files at \(path.path)")
        } catch {
            throw SQLError(error, location: path.location)
        }
    }

    func lastPathComponent(_ path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    // MARK: Joins

    func planJoin(_ left: Relation, _ right: Relation, kind: JoinKind, condition: Expression?) throws(SQLError) -> Relation {
        var left = left, right = right
        let combined = left.columns + right.columns
        var leftKeys: [PhysicalExpression] = []
        var rightKeys: [PhysicalExpression] = []
        var keyColumnPairs: [(left: Int, right: Int)] = []  // keys that are plain columns on both sides
        var residual: [Expression] = []
        var leftFilters: [Expression] = []
        var rightFilters: [Expression] = []
        let leftCount = left.columns.count
        for c in condition?.conjuncts ?? [] {
            let bound = try binding.bindPredicate(c, combined, unread: left.unread + right.unread)
            let refs = bound.referencedColumns
            let usesLeft = refs.contains { $0 < leftCount }, usesRight = refs.contains { $0 >= leftCount }
            if case let .binary(.equal, a, b, _) = c, usesLeft, usesRight, kind != .cross {
                if let la = try? binding.bind(a, left.columns), let rb = try? binding.bind(b, right.columns),
                   !la.referencedColumns.isEmpty, !rb.referencedColumns.isEmpty {
                    leftKeys.append(binding.physical(la, text: a.sql)); rightKeys.append(binding.physical(rb, text: b.sql))
                    if case let .column(l, _, _) = la, case let .column(r, _, _) = rb { keyColumnPairs.append((l, r)) }
                    continue
                }
                if let lb = try? binding.bind(b, left.columns), let ra = try? binding.bind(a, right.columns),
                   !lb.referencedColumns.isEmpty, !ra.referencedColumns.isEmpty {
                    leftKeys.append(binding.physical(lb, text: b.sql)); rightKeys.append(binding.physical(ra, text: a.sql))
                    if case let .column(l, _, _) = lb, case let .column(r, _, _) = ra { keyColumnPairs.append((l, r)) }
                    continue
                }
            }
            // A left-only ON conjunct filters the left for SEMI (no match without it), not for ANTI
            // (a row failing it is kept); a right-only one filters the right for both.
            if usesLeft && !usesRight && (kind == .inner || kind == .right || kind == .semi) { leftFilters.append(c); continue }
            if usesRight && !usesLeft && (kind == .inner || kind == .left || kind.keepsLeftOnly) { rightFilters.append(c); continue }
            residual.append(c)
        }
        if let f = conjunction(leftFilters) {
            left.op = FilterOperator(input: left.op, predicate: try binding.physicalPredicate(f, left.columns))
        }
        if let f = conjunction(rightFilters) {
            right.op = FilterOperator(input: right.op, predicate: try binding.physicalPredicate(f, right.columns))
        }
        let residualExpression = try conjunction(residual).map { e throws(SQLError) in try binding.physicalPredicate(e, combined) }
        let buildLeft = left.estimatedSize < right.estimatedSize
        let op = try HashJoinOperator(left: left.op, right: right.op, kind: kind, leftKeys: leftKeys, rightKeys: rightKeys,
                                      residual: residualExpression, buildLeft: buildLeft, context: execution,
                                      keyColumnPairs: keyColumnPairs)
        if kind.keepsLeftOnly {
            return Relation(op: op, columns: left.columns, estimatedSize: left.estimatedSize, unread: left.unread)
        }
        var columns = combined
        for i in columns.indices { columns[i].nullable = true }
        return Relation(op: op, columns: columns, estimatedSize: max(left.estimatedSize, right.estimatedSize),
                        unread: left.unread + right.unread)
    }

    /// `JOIN … USING (names)` and `NATURAL JOIN` (USING over the names both sides have):
    /// equality on each name, then one output column per name in the left's position
    /// (the left's value; the right's for RIGHT joins; coalesce of both for FULL), the
    /// left's other columns, then the right's other columns (DuckDB's order). The inputs'
    /// own columns stay reachable by qualified name (`l.id`, `r.id`) and by `l.*`.
    func planUsingJoin(_ left: Relation, _ right: Relation, kind: JoinKind, using: [UsingColumn], natural: Bool,
                       location: SourceLocation?) throws(SQLError) -> Relation {
        let leftCount = left.columns.count
        let reachable = { (c: RelationColumn) in !c.hidden && !c.qualifiedOnly }
        var names = using
        if natural {
            let rightNames = Set(right.columns.filter(reachable).map { $0.name.lowercased() })
            var seen = Set<String>()
            for c in left.columns where reachable(c) && rightNames.contains(c.name.lowercased()) && seen.insert(c.name.lowercased()).inserted {
                names.append(UsingColumn(c.name, location: location))
            }
            if names.isEmpty {
                let l = left.columns.filter(reachable).map(\.name).joined(separator: ", ")
                let r = right.columns.filter(reachable).map(\.name).joined(separator: ", ")
                throw SQLError(.binding, "NATURAL JOIN found no column name on both sides (left: \(l); right: \(r)); write CROSS JOIN for a cross product",
                               location: location)
            }
        }
        func index(of column: UsingColumn, in relation: Relation, side: String) throws(SQLError) -> Int {
            let bound: BoundExpression
            do {
                bound = try binding.bind(.column([column.name], at: column.location ?? SourceLocation(offset: 0, line: 1, column: 1)), relation.columns)
            } catch {
                if error.kind == .binding, error.message.contains("ambiguous") {
                    throw SQLError(.binding, "USING column \(column.name) is ambiguous on the \(side) side of the join: \(error.message)", location: column.location)
                }
                throw SQLError(.binding, "USING column \(column.name) is not a column of the \(side) side of the join", location: column.location)
            }
            guard case let .column(i, _, _) = bound else {
                throw SQLError(.binding, "USING column \(column.name) is not a column of the \(side) side of the join", location: column.location)
            }
            return i
        }
        var pairs: [(left: Int, right: Int)] = []
        for name in names {
            pairs.append((try index(of: name, in: left, side: "left"), try index(of: name, in: right, side: "right")))
        }
        let combined = left.columns + right.columns
        func columnExpression(_ i: Int) -> PhysicalExpression {
            .column(i, type: combined[i].type, name: combined[i].name)
        }
        let leftKeys = pairs.map { columnExpression($0.left) }
        let rightKeys = pairs.map { PhysicalExpression.column($0.right, type: right.columns[$0.right].type, name: right.columns[$0.right].name) }
        let op = try HashJoinOperator(left: left.op, right: right.op, kind: kind, leftKeys: leftKeys, rightKeys: rightKeys,
                                      residual: nil, buildLeft: left.estimatedSize < right.estimatedSize, context: execution,
                                      keyColumnPairs: pairs)
        if kind.keepsLeftOnly {
            return Relation(op: op, columns: left.columns, estimatedSize: left.estimatedSize, unread: left.unread)
        }

        // The output: merged USING columns where the left has them, the rest, then the
        // inputs' USING columns kept for qualified names only.
        var expressions: [PhysicalExpression] = []
        var columns: [RelationColumn] = []
        func keep(_ i: Int) {
            expressions.append(columnExpression(i))
            var column = combined[i]
            column.nullable = true
            columns.append(column)
        }
        func keepQualifiedOnly(_ i: Int) {
            keep(i)
            columns[columns.count - 1].hidden = true
            columns[columns.count - 1].qualifiedOnly = true
        }
        for i in 0..<leftCount {
            guard let pair = pairs.first(where: { $0.left == i }) else { keep(i); continue }
            let r = leftCount + pair.right
            let name = combined[i].name
            let merged: PhysicalExpression
            switch kind {
            case .right:
                merged = PhysicalExpression.column(r, type: combined[r].type, name: name)
            case .full:
                let operands = [RelationColumn(qualifier: nil, name: "l", type: combined[i].type, nullable: true),
                                RelationColumn(qualifier: nil, name: "r", type: combined[r].type, nullable: true)]
                let at = location ?? SourceLocation(offset: 0, line: 1, column: 1)
                let call = Expression.function(FunctionCall(name: "coalesce", arguments: [.column(["l"], at: at), .column(["r"], at: at)]), at: at)
                let bound = try binding.bind(call, operands).remappingColumns { $0 == 0 ? i : r }
                merged = binding.physical(bound, text: name)
            default:
                merged = PhysicalExpression.column(i, type: combined[i].type, name: name)
            }
            expressions.append(merged)
            columns.append(RelationColumn(qualifier: nil, name: name, type: merged.type, nullable: true))
            keepQualifiedOnly(i)
        }
        for j in 0..<right.columns.count {
            if pairs.contains(where: { $0.right == j }) { keepQualifiedOnly(leftCount + j) } else { keep(leftCount + j) }
        }
        let projected = ProjectOperator(input: op, expressions: expressions, names: columns.map(\.name))
        return Relation(op: projected, columns: columns, estimatedSize: max(left.estimatedSize, right.estimatedSize),
                        unread: left.unread + right.unread)
    }
}

/// Which table columns a SELECT names (by any name part), so scans read only those.
struct RequiredColumns {
    let names: [[String]]
    private let all: Bool
    private let starQualifiers: Set<String>
    private let parts: Set<String>

    init(names: [[String]]) {
        self.names = names
        var all = false
        var stars = Set<String>()
        var parts = Set<String>()
        for name in names {
            if name.last == "*" {
                if name.count == 1 { all = true } else if let q = name.dropLast().last { stars.insert(q.lowercased()) }
            } else {
                for part in name { parts.insert(part.lowercased()) }
            }
        }
        self.all = all
        starQualifiers = stars
        self.parts = parts
    }

    func needs(_ column: String, qualifier: String) -> Bool {
        all || starQualifiers.contains(qualifier.lowercased()) || parts.contains(column.lowercased())
    }
}

func clampCount(_ value: Int64) -> Int { value <= 0 ? 0 : (value >= Int64(Int.max) ? Int.max : Int(value)) }

func addSizes(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
}

struct StringError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
