// StatementExecutor: one parsed Statement → the TarnTables call or engine query that runs
// it. Dispatch only: every statement kind lives in its own *Statements file. A statement
// Tarn cannot run exactly is an `unsupported` error, never an approximation.
import TarnColumnar
import TarnExpression
import TarnLog
import TarnTables

enum StatementExecutor {
    /// Runs `statement`. With `rows`, a query's batches go to it as they are produced and the
    /// result keeps none of them (`streamedRows` counts them).
    static func execute(_ statement: Statement, context: StatementContext,
                        rows: ((Schema, RecordBatch) -> Void)? = nil) throws(SQLError) -> StatementResult {
        try context.options.cancellation?.check()
        // Subqueries in DELETE/UPDATE/MERGE expressions run once, first (SubqueryPlanning).
        let statement = try QueryRunner.resolvingSubqueries(statement, context: QueryExecution.queryContext(context))
        switch statement {
        case let .query(query):
            if let rows {
                let (schema, count) = try QueryExecution.stream(query, context: context, consume: rows)
                var result = StatementResult.rows([], schema: schema, statement: context.statementText)
                result.streamedRows = count
                return result
            }
            let (schema, batches) = try QueryExecution.run(query, context: context)
            return .rows(batches, schema: schema, statement: context.statementText)
        case let .insert(insert):
            return try DataStatements.insert(context, insert)
        case let .delete(delete):
            return try DataStatements.delete(context, delete)
        case let .update(update):
            return try DataStatements.update(context, update)
        case let .merge(merge):
            return try MergeStatements.merge(context, merge)

        case let .createTable(create):
            if let query = create.asQuery {
                return try DefinitionStatements.createTableAsSelect(context, create) { () throws(SQLError) in
                    try QueryExecution.run(query, context: context)
                }
            }
            return try DefinitionStatements.createTable(context, create)
        case let .dropTable(drop):
            return try DefinitionStatements.dropTable(context, drop)
        case let .alterTable(alter):
            if case .setOwner = alter.action { return try access(statement, context) }
            return try DefinitionStatements.alterTable(context, alter)
        case let .createNamespace(create):
            return try DefinitionStatements.createNamespace(context, create)

        case let .showTables(namespace):
            return try MetadataStatements.showTables(context, namespace: namespace?.name)
        case .showNamespaces:
            return try MetadataStatements.showNamespaces(context)
        case let .showTableProperties(name, key):
            return try MetadataStatements.showTableProperties(context, table: try open(name, context), key: key)
        case let .showColumns(name):
            return try MetadataStatements.showColumns(context, table: try open(name, context))
        case let .describeTable(name):
            return try MetadataStatements.describe(context, table: try open(name, context))
        case let .describeDetail(name):
            return try MetadataStatements.describeDetail(context, table: try open(name, context))
        case let .describeHistory(history):
            return try MetadataStatements.describeHistory(context, table: try open(history.table, context), limit: history.limit)

        case let .optimize(optimize):
            let table = try open(optimize.table, context)
            let predicate = try optimize.condition.map { (condition) throws(SQLError) -> Predicate in
                try ExpressionTranslation.partitionPredicate(condition, table: table, context: context)
            }
            return try MaintenanceStatements.optimize(context, table: table, predicate: predicate, zOrderBy: optimize.zOrderBy)
        case let .vacuum(vacuum):
            return try MaintenanceStatements.vacuum(context, table: try open(vacuum.table, context),
                                                    retainHours: vacuum.retainHours, dryRun: vacuum.dryRun)
        case let .restore(restore):
            let table = try open(restore.table, context)
            return try MaintenanceStatements.restore(context, table: table, to: try timeTravel(restore.target, context))

        case let .explain(inner):
            guard case let .query(query) = inner else {
                throw context.error(.unsupported, "EXPLAIN shows the plans of queries; EXPLAIN \(inner.kindName) is not supported")
            }
            let plan = try QueryExecution.explain(query, context: context)
            var rows = ResultRows([("plan", .string)])
            rows.append([.string(plan)])
            return try rows.result(statement: context.statementText, kind: .plan, message: plan)

        case .alterNamespaceOwner, .createPrincipal, .dropPrincipal, .alterGroup, .grant, .revoke, .showGrants,
             .showUsers, .showGroups:
            return try access(statement, context)
        }
    }

    /// Access-control statements run in AccessStatements.swift (owned by access control).
    static func access(_ statement: Statement, _ context: StatementContext) throws(SQLError) -> StatementResult {
        guard let result = try AccessStatements.execute(statement, context: context) else {
            throw context.error(.unsupported, "\(statement.kindName) is not supported")
        }
        return result
    }

    static func open(_ name: TableName, _ context: StatementContext) throws(SQLError) -> Table {
        let id = try context.identifier(namespace: name.namespace, name: name.name, at: name.location)
        return try context.openTable(id, at: name.location)
    }

    /// VERSION AS OF n / TIMESTAMP AS OF '…' as a TarnLog TimeTravel (a timestamp without a
    /// zone is UTC).
    static func timeTravel(_ spec: TimeTravelSpec, _ context: StatementContext) throws(SQLError) -> TimeTravel {
        switch spec {
        case let .version(version):
            guard version >= 0 else { throw context.error(.syntax, "a version must be zero or more, got \(version)") }
            return .version(version)
        case let .timestamp(text):
            guard let parsed = TemporalFormat.parseTimestamp(Substring(text.trimmingWhitespace)) else {
                throw context.error(.syntax, "'\(text)' is not a timestamp; write e.g. '2026-11-29 10:00:00' or '2026-11-29T10:00:00Z'")
            }
            return .timestamp(parsed.micros)
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}

