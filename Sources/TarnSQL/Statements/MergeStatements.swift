// MERGE INTO: the source (a table, path or subquery) runs through the engine; the ON
// condition is split into equi-join keys (target column = source column) and an extra
// match condition; WHEN clauses map one to one onto TarnTables' MergeBuilder with SQL
// expressions. A MERGE without an equality between a target and a source column is refused.
import TarnColumnar
import TarnExpression
import TarnTables

enum MergeStatements {
    static func merge(_ context: StatementContext, _ statement: MergeStatement) throws(SQLError) -> StatementResult {
        let table = try StatementExecutor.open(statement.target, context)
        let targetSchema = try context.table { () throws(TableError) in try table.schema() }
        let targetAlias = statement.targetAlias ?? statement.target.name
        guard let sourceAlias = statement.source.alias ?? sourceName(statement.source) else {
            throw context.error(.syntax, "the MERGE source needs an alias: USING (…) AS s", at: statement.source.location)
        }
        if sourceAlias.lowercased() == targetAlias.lowercased() {
            throw context.error(.binding, "the MERGE target and source are both called \(targetAlias); give one an alias",
                                at: statement.source.location)
        }
        let star = Expression.star(qualifier: [], at: statement.source.location ?? SourceLocation.start)
        let sourceQuery = Query(SelectCore(items: [SelectItem(star)], from: statement.source, location: statement.source.location))
        let (sourceSchema, sourceBatches) = try QueryExecution.run(sourceQuery, context: context)

        // Target columns may also be written as ns.table.column when the target has no alias.
        let targetQualifiers: [[String]] = statement.targetAlias == nil
            ? [[statement.target.resolvedNamespace(default: context.options.defaultNamespace), statement.target.name]]
            : []
        func normalized(_ e: Expression) -> Expression {
            ExpressionTranslation.rewriteColumns(e) { parts in
                for q in targetQualifiers where parts.count == q.count + 1
                    && zip(parts, q).allSatisfy({ $0.lowercased() == $1.lowercased() }) {
                    return [targetAlias, parts[parts.count - 1]]
                }
                return parts
            }
        }

        // Split ON into keys and the rest.
        var keys: [(target: String, source: String)] = []
        var rest: [Expression] = []
        for conjunct in conjuncts(normalized(statement.condition)) {
            if let key = equiKey(conjunct, targetSchema: targetSchema, sourceSchema: sourceSchema,
                                 targetAlias: targetAlias, sourceAlias: sourceAlias) {
                keys.append(key)
            } else {
                rest.append(conjunct)
            }
        }
        guard !keys.isEmpty else {
            throw context.error(.unsupported, """
                MERGE needs at least one equality between a target column and a source column in ON \
                (e.g. ON \(targetAlias).id = \(sourceAlias).id); `\(statement.condition.sql)` has none
                """, at: statement.condition.location)
        }

        var builder = table.merge(source: sourceBatches.isEmpty ? [RecordBatch.empty(sourceSchema)] : sourceBatches, on: keys)
            .withAliases(target: targetAlias, source: sourceAlias)
        if statement.schemaEvolution { builder = builder.withSchemaEvolution() }
        if let extra = rest.dropFirst().reduce(rest.first, { combined, next in
            combined.map { Expression.binary(.and, $0, next, at: $0.location) }
        }) {
            builder = builder.withMatchCondition(.expression(extra))
        }
        for clause in statement.clauses {
            let condition = clause.condition.map { MergeCondition.expression(normalized($0)) }
            switch (clause.match, clause.action) {
            case let (.matched, .update(assignments)):
                builder = builder.whenMatched(condition: condition,
                                              update: try values(assignments, targetSchema: targetSchema, targetAlias: targetAlias,
                                                                 normalize: normalized, context: context))
            case (.matched, .updateAll):
                builder = builder.whenMatchedUpdateAll(condition: condition)
            case (.matched, .delete):
                builder = builder.whenMatchedDelete(condition: condition)
            case let (.notMatchedByTarget, .insert(columns, values)):
                let names = columns.isEmpty ? targetSchema.names : columns
                guard names.count == values.count else {
                    throw context.error(.binding, "the INSERT of a WHEN NOT MATCHED clause names \(names.count) columns but gives \(values.count) values",
                                        at: clause.location)
                }
                var insert: [String: MergeValue] = [:]
                for (name, value) in zip(names, values) {
                    guard let index = targetSchema.lookup(name) else {
                        throw context.error(.binding, "table \(table.name) has no column \(name); columns: \(targetSchema.names.joined(separator: ", "))",
                                            at: clause.location)
                    }
                    let column = targetSchema.fields[index].name
                    guard insert[column] == nil else {
                        throw context.error(.binding, "column \(column) is inserted twice", at: clause.location)
                    }
                    insert[column] = .expression(normalized(value))
                }
                builder = builder.whenNotMatched(condition: condition, insert: insert)
            case (.notMatchedByTarget, .insertAll):
                builder = builder.whenNotMatchedInsertAll(condition: condition)
            case let (.notMatchedBySource, .update(assignments)):
                builder = builder.whenNotMatchedBySource(condition: condition,
                                                         update: try values(assignments, targetSchema: targetSchema, targetAlias: targetAlias,
                                                                            normalize: normalized, context: context))
            case (.notMatchedBySource, .delete):
                builder = builder.whenNotMatchedBySourceDelete(condition: condition)
            default:
                throw context.error(.syntax, "a \(clause.match.rawValue) clause cannot \(clause.action.word)", at: clause.location)
            }
        }
        let metrics = try context.table { () throws(TableError) in try builder.execute() }
        let affected = metrics.numTargetRowsInserted + metrics.numTargetRowsUpdated + metrics.numTargetRowsDeleted
        var rows = ResultRows([("num_affected_rows", .int64), ("num_updated_rows", .int64),
                               ("num_deleted_rows", .int64), ("num_inserted_rows", .int64)])
        rows.append([.int(Int64(affected)), .int(Int64(metrics.numTargetRowsUpdated)),
                     .int(Int64(metrics.numTargetRowsDeleted)), .int(Int64(metrics.numTargetRowsInserted))])
        return try rows.result(statement: context.statementText, kind: .rowsAffected, rowsAffected: affected, message: """
            merged into \(table.name): \(metrics.numTargetRowsUpdated) updated, \(metrics.numTargetRowsDeleted) deleted, \
            \(metrics.numTargetRowsInserted) inserted\(metrics.version.map { " (version \($0))" } ?? "")
            """)
    }

    /// The name a source without an alias is known by (its table name).
    static func sourceName(_ source: TableReference) -> String? {
        switch source {
        case let .table(t): return t.name.name
        default: return nil
        }
    }

    static func conjuncts(_ e: Expression) -> [Expression] {
        if case let .binary(.and, a, b, _) = e { return conjuncts(a) + conjuncts(b) }
        return [e]
    }

    /// `t.a = s.b` (either order; unqualified names when only one side has the column) as a key pair.
    static func equiKey(_ e: Expression, targetSchema: Schema, sourceSchema: Schema, targetAlias: String,
                        sourceAlias: String) -> (target: String, source: String)? {
        guard case let .binary(.equal, a, b, _) = e else { return nil }
        enum Side { case target(String), source(String) }
        func side(_ x: Expression) -> Side? {
            guard case let .column(parts, _) = x else { return nil }
            if parts.count == 2 {
                let q = parts[0].lowercased()
                if q == targetAlias.lowercased(), let i = targetSchema.lookup(parts[1]) { return .target(targetSchema.fields[i].name) }
                if q == sourceAlias.lowercased(), let i = sourceSchema.lookup(parts[1]) { return .source(sourceSchema.fields[i].name) }
                return nil
            }
            guard parts.count == 1 else { return nil }
            let inTarget = targetSchema.lookup(parts[0])
            let inSource = sourceSchema.lookup(parts[0])
            switch (inTarget, inSource) {
            case let (t?, nil): return .target(targetSchema.fields[t].name)
            case let (nil, s?): return .source(sourceSchema.fields[s].name)
            default: return nil
            }
        }
        switch (side(a), side(b)) {
        case let (.target(t)?, .source(s)?), let (.source(s)?, .target(t)?): return (t, s)
        default: return nil
        }
    }

    static func values(_ assignments: [Assignment], targetSchema: Schema, targetAlias: String,
                       normalize: (Expression) -> Expression, context: StatementContext) throws(SQLError) -> [String: MergeValue] {
        var out: [String: MergeValue] = [:]
        for assignment in assignments {
            if let qualifier = assignment.qualifier, qualifier.lowercased() != targetAlias.lowercased() {
                throw context.error(.binding, "\(qualifier).\(assignment.column): only columns of the target (\(targetAlias)) can be set",
                                    at: assignment.location)
            }
            guard let index = targetSchema.lookup(assignment.column) else {
                throw context.error(.binding, "the target has no column \(assignment.column); columns: \(targetSchema.names.joined(separator: ", "))",
                                    at: assignment.location)
            }
            let name = targetSchema.fields[index].name
            guard out[name] == nil else { throw context.error(.binding, "column \(name) is assigned twice", at: assignment.location) }
            out[name] = .expression(normalize(assignment.value))
        }
        return out
    }
}

extension MergeAction {
    var word: String {
        switch self {
        case .update: return "UPDATE"
        case .updateAll: return "UPDATE SET *"
        case .delete: return "DELETE"
        case .insert: return "INSERT"
        case .insertAll: return "INSERT *"
        }
    }
}
