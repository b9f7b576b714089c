// INSERT INTO/OVERWRITE, DELETE and UPDATE: rows from the engine laid out as the table's
// columns, and SQL conditions/assignments handed to TarnTables' row filters and update
// expressions. Results are one-row batches with Databricks' metric columns
// (num_affected_rows, num_inserted_rows, …). Never commits when a value does not fit.
import TarnColumnar
import TarnExpression
import TarnTables

enum DataStatements {
    static func insert(_ context: StatementContext, _ statement: InsertStatement) throws(SQLError) -> StatementResult {
        let id = try context.identifier(namespace: statement.table.namespace, name: statement.table.name, at: statement.table.location)
        let table = try context.openTable(id, at: statement.table.location)
        let schema = try context.table { () throws(TableError) in try table.schema() }
        let (querySchema, batches) = try source(statement, tableSchema: schema, context: context)
        let rows = try InsertRows.conform(batches, querySchema: querySchema, to: schema,
                                          columns: statement.columns.isEmpty ? nil : statement.columns,
                                          tableName: id.description, context: context)
        var options = WriteOptions()
        options.operation = "WRITE"
        let written = try context.table { () throws(TableError) -> WriteResult in
            statement.overwrite ? try table.overwrite(rows, options: options) : try table.append(rows, options: options)
        }
        var result = ResultRows([("num_affected_rows", .int64), ("num_inserted_rows", .int64)])
        result.append([.int(Int64(written.rowsWritten)), .int(Int64(written.rowsWritten))])
        let verb = statement.overwrite ? "overwrote \(id) with" : "inserted"
        return try result.result(statement: context.statementText, kind: .rowsAffected, rowsAffected: written.rowsWritten,
                                 message: "\(verb) \(written.rowsWritten) rows\(written.version.map { " (version \($0))" } ?? "")")
    }

    /// The INSERT's rows: a plain VALUES list is evaluated here with each value cast to its
    /// target column; anything else is a query for the engine.
    static func source(_ statement: InsertStatement, tableSchema: Schema,
                       context: StatementContext) throws(SQLError) -> (schema: Schema, batches: [RecordBatch]) {
        let query = statement.source
        guard query.with.isEmpty, query.orderBy.isEmpty, query.limit == nil, query.offset == nil,
              case let .values(list) = query.body else {
            return try QueryExecution.run(query, context: context)
        }
        let targetTypes: [DataType] = statement.columns.isEmpty
            ? tableSchema.fields.map(\.type)
            : statement.columns.map { name in tableSchema.lookup(name).map { tableSchema.fields[$0].type } ?? .string }
        let targetNames = statement.columns.isEmpty ? tableSchema.names : statement.columns
        let columns = try InsertRows.values(list, columnTypes: targetTypes, columnNames: targetNames, context: context)
        let schema = Schema(columns.enumerated().map { Field("col\($0.offset + 1)", $0.element.type) })
        do {
            return (schema, [try RecordBatch(schema: schema, columns: columns, rowCount: list.rows.count)])
        } catch {
            throw context.error(.execution, "cannot assemble the VALUES rows: \(error)")
        }
    }

    /// The table a DELETE or UPDATE changes, its schema, the names it may be qualified
    /// by, and its WHERE condition with those qualifiers removed, bound and checked to be
    /// boolean (so a bad condition fails before anything is read).
    static func target(_ name: TableName, alias: String?, condition: Expression?, role: String, _ context: StatementContext)
        throws(SQLError) -> (table: Table, schema: Schema, qualifiers: [[String]], condition: Expression?) {
        let table = try StatementExecutor.open(name, context)
        let schema = try context.table { () throws(TableError) in try table.schema() }
        let qualifiers = ExpressionTranslation.qualifiers(of: name, alias: alias, defaultNamespace: context.options.defaultNamespace)
        let condition = condition.map { ExpressionTranslation.unqualified($0, qualifiers: qualifiers) }
        if let condition {
            try ExpressionTranslation.bind(condition, schema: schema, role: role, context: context, requireBoolean: true)
        }
        return (table, schema, qualifiers, condition)
    }

    static func delete(_ context: StatementContext, _ statement: DeleteStatement) throws(SQLError) -> StatementResult {
        let (table, _, _, condition) = try target(statement.table, alias: statement.alias, condition: statement.condition,
                                                  role: "the DELETE condition", context)
        let metrics = try context.table { () throws(TableError) in
            try table.delete(matching: condition.map { RowFilter($0) })
        }
        var rows = ResultRows([("num_affected_rows", .int64)])
        rows.append([.int(Int64(metrics.numDeletedRows))])
        return try rows.result(statement: context.statementText, kind: .rowsAffected, rowsAffected: metrics.numDeletedRows,
                               message: "deleted \(metrics.numDeletedRows) rows\(metrics.version.map { " (version \($0))" } ?? "")")
    }

    static func update(_ context: StatementContext, _ statement: UpdateStatement) throws(SQLError) -> StatementResult {
        let (table, schema, qualifiers, condition) = try target(statement.table, alias: statement.alias, condition: statement.condition,
                                                                role: "the UPDATE condition", context)
        let assignments = try assignmentValues(statement.assignments, schema: schema, qualifiers: qualifiers,
                                               tableName: table.name, context: context)
        let metrics = try context.table { () throws(TableError) in
            try table.update(matching: condition.map { RowFilter($0) }, set: assignments)
        }
        var rows = ResultRows([("num_affected_rows", .int64)])
        rows.append([.int(Int64(metrics.numUpdatedRows))])
        return try rows.result(statement: context.statementText, kind: .rowsAffected, rowsAffected: metrics.numUpdatedRows,
                               message: "updated \(metrics.numUpdatedRows) rows\(metrics.version.map { " (version \($0))" } ?? "")")
    }

    /// SET c = expr, … as TarnTables update values; a column set twice, an unknown column or
    /// a qualifier that is not the target table is an error at its place.
    static func assignmentValues(_ assignments: [Assignment], schema: Schema, qualifiers: [[String]], tableName: String,
                                 context: StatementContext) throws(SQLError) -> [String: UpdateValue] {
        var out: [String: UpdateValue] = [:]
        for assignment in assignments {
            if let qualifier = assignment.qualifier,
               !qualifiers.contains(where: { $0.last?.lowercased() == qualifier.lowercased() }) {
                throw context.error(.binding, "\(qualifier).\(assignment.column): \(qualifier) is not the updated table", at: assignment.location)
            }
            guard let index = schema.lookup(assignment.column) else {
                throw context.error(.binding, "table \(tableName) has no column \(assignment.column); columns: \(schema.names.joined(separator: ", "))",
                                    at: assignment.location)
            }
            let name = schema.fields[index].name
            guard out[name] == nil else {
                throw context.error(.binding, "column \(name) is assigned twice", at: assignment.location)
            }
            let value = ExpressionTranslation.unqualified(assignment.value, qualifiers: qualifiers)
            try ExpressionTranslation.bind(value, schema: schema, role: "the value of \(name)", context: context)
            out[name] = .expression(value)
        }
        return out
    }
}
