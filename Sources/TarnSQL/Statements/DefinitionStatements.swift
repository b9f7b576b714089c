// CREATE TABLE (with columns, or AS SELECT), DROP TABLE, CREATE NAMESPACE and ALTER TABLE
// (ADD COLUMNS, ADD/DROP CONSTRAINT, SET/UNSET TBLPROPERTIES): the data-definition
// statements mapped to Catalog and Table calls. Must never leave a half-made table on a
// refused definition: everything is checked before the first commit.
import TarnColumnar
import TarnExpression
import TarnLog
import TarnTables

enum DefinitionStatements {
    static func createNamespace(_ context: StatementContext, _ statement: CreateNamespaceStatement) throws(SQLError) -> StatementResult {
        let name = statement.name.name
        let existed = try context.table { () throws(TableError) in try context.catalog.namespaceExists(name) }
        try context.table { () throws(TableError) in
            try context.catalog.createNamespace(name, ifNotExists: statement.ifNotExists)
        }
        return .message(existed ? "namespace \(name) already exists" : "created namespace \(name)", statement: context.statementText)
    }

    static func dropTable(_ context: StatementContext, _ statement: DropTableStatement) throws(SQLError) -> StatementResult {
        let id = try context.identifier(namespace: statement.name.namespace, name: statement.name.name, at: statement.name.location)
        let existed = try context.table { () throws(TableError) in try context.catalog.tableExists(id) }
        if !existed && !statement.ifExists {
            throw context.error(.binding, "table \(id) does not exist", at: statement.name.location)
        }
        try context.table { () throws(TableError) in try context.catalog.dropTable(id, ifExists: statement.ifExists) }
        return .message(existed ? "dropped table \(id)" : "table \(id) does not exist; nothing dropped", statement: context.statementText)
    }

    /// The Tarn schema of column definitions (comments kept as the `comment` field metadata,
    /// as Delta does). Duplicate names (case-insensitive) are refused.
    static func schema(of columns: [ColumnDefinition], context: StatementContext) throws(SQLError) -> Schema {
        var seen = Set<String>()
        var fields: [Field] = []
        for column in columns {
            guard seen.insert(column.name.lowercased()).inserted else {
                throw context.error(.binding, "column \(column.name) is defined twice", at: column.location)
            }
            var metadata: [String: String] = [:]
            if let comment = column.comment { metadata["comment"] = comment }
            fields.append(Field(column.name, column.type, nullable: !column.notNull, metadata: metadata))
        }
        return Schema(fields)
    }

    static func properties(_ entries: [PropertyEntry], context: StatementContext) throws(SQLError) -> [String: String] {
        var out: [String: String] = [:]
        for entry in entries {
            if entry.key.lowercased().hasPrefix(TableCheckConstraint.prefix) {
                throw context.error(.unsupported, "'\(entry.key)' is a CHECK constraint; declare it as CONSTRAINT name CHECK (…)")
            }
            out[entry.key] = entry.value
        }
        return out
    }

    /// CREATE TABLE with a column list. CHECK constraints are added right after the create,
    /// each in its own commit (ADD CONSTRAINT), so they are validated exactly as ALTER TABLE does.
    static func createTable(_ context: StatementContext, _ statement: CreateTableStatement) throws(SQLError) -> StatementResult {
        let id = try context.identifier(namespace: statement.name.namespace, name: statement.name.name, at: statement.name.location)
        guard !statement.columns.isEmpty else {
            throw context.error(.syntax, "CREATE TABLE needs at least one column (or AS SELECT …)", at: statement.name.location)
        }
        let schema = try schema(of: statement.columns, context: context)
        let properties = try properties(statement.properties, context: context)
        try checkPartitionColumns(statement.partitionedBy, schema: schema, context: context)
        let existed = try context.table { () throws(TableError) in try context.catalog.tableExists(id) }
        if existed {
            if statement.ifNotExists {
                return .message("table \(id) already exists", statement: context.statementText)
            }
            throw context.error(.table, "table \(id) already exists; use CREATE TABLE IF NOT EXISTS, or DROP TABLE first",
                                at: statement.name.location)
        }
        let table = try context.table { () throws(TableError) in
            try context.catalog.createTable(id, schema: schema, partitionColumns: statement.partitionedBy,
                                            properties: properties, description: statement.comment)
        }
        do {
            for constraint in statement.constraints {
                try ConstraintStatements.add(constraint, to: table, context: context)
            }
        } catch {
            // A table whose constraints could not all be added was never asked for.
            try? context.catalog.dropTable(id, ifExists: true)
            throw error
        }
        return .message("created table \(id)", statement: context.statementText)
    }

    static func checkPartitionColumns(_ columns: [String], schema: Schema, context: StatementContext) throws(SQLError) {
        for column in columns where schema.index(of: column) == nil {
            throw context.error(.binding, "partition column \(column) is not a column of the table; columns: \(schema.names.joined(separator: ", "))")
        }
    }

    /// CREATE TABLE … AS query: the query's schema (all columns nullable) and rows.
    static func createTableAsSelect(_ context: StatementContext, _ statement: CreateTableStatement,
                                    result: () throws(SQLError) -> (schema: Schema, batches: [RecordBatch])) throws(SQLError) -> StatementResult {
        let id = try context.identifier(namespace: statement.name.namespace, name: statement.name.name, at: statement.name.location)
        let properties = try properties(statement.properties, context: context)
        let existed = try context.table { () throws(TableError) in try context.catalog.tableExists(id) }
        if existed {
            if statement.ifNotExists { return .message("table \(id) already exists", statement: context.statementText) }
            throw context.error(.table, "table \(id) already exists; use CREATE TABLE IF NOT EXISTS, or DROP TABLE first",
                                at: statement.name.location)
        }
        let (querySchema, batches) = try result()
        var seen = Set<String>()
        for field in querySchema.fields {
            guard seen.insert(field.name.lowercased()).inserted else {
                throw context.error(.binding, "the query has two columns named \(field.name); give them distinct aliases (AS name)")
            }
        }
        let schema = Schema(querySchema.fields.map { Field($0.name, $0.type, nullable: true, metadata: $0.metadata) })
        try checkPartitionColumns(statement.partitionedBy, schema: schema, context: context)
        let table = try context.table { () throws(TableError) in
            try context.catalog.createTable(id, schema: schema, partitionColumns: statement.partitionedBy,
                                            properties: properties, description: statement.comment)
        }
        let relaxed = try batches.map { (batch) throws(SQLError) -> RecordBatch in
            do {
                return try RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
            } catch {
                throw context.error(.execution, "the query's rows do not fit its schema: \(error)")
            }
        }
        var options = WriteOptions()
        options.operation = "CREATE TABLE AS SELECT"
        let written: WriteResult
        do {
            written = try table.append(relaxed, options: options)
        } catch {
            // The table was made for these rows only; do not leave it behind empty.
            try? context.catalog.dropTable(id, ifExists: true)
            throw SQLError(error, statementText: context.statementText, location: context.location)
        }
        var rows = ResultRows([("num_affected_rows", .int64), ("num_inserted_rows", .int64)])
        rows.append([.int(Int64(written.rowsWritten)), .int(Int64(written.rowsWritten))])
        return try rows.result(statement: context.statementText, kind: .rowsAffected, rowsAffected: written.rowsWritten,
                               message: "created table \(id) with \(written.rowsWritten) rows")
    }

    static func alterTable(_ context: StatementContext, _ statement: AlterTableStatement) throws(SQLError) -> StatementResult {
        let id = try context.identifier(namespace: statement.name.namespace, name: statement.name.name, at: statement.name.location)
        let table = try context.openTable(id, at: statement.name.location)
        switch statement.action {
        case let .addColumns(columns):
            let schema = try schema(of: columns, context: context)
            let version = try context.table { () throws(TableError) in try table.addColumns(schema.fields) }
            return .message("added \(columns.count) column(s) to \(id) (version \(version))", statement: context.statementText)
        case let .addConstraint(constraint):
            let version = try ConstraintStatements.add(constraint, to: table, context: context)
            return .message("added constraint \(constraint.name) to \(id) (version \(version))", statement: context.statementText)
        case let .dropConstraint(name, ifExists):
            let version = try ConstraintStatements.drop(name, ifExists: ifExists, from: table, context: context)
            return .message(version.map { "dropped constraint \(name) from \(id) (version \($0))" }
                                ?? "table \(id) has no constraint \(name); nothing dropped", statement: context.statementText)
        case let .setProperties(entries):
            _ = try properties(entries, context: context)  // refuses delta.constraints.* with the SQL remedy
            let version = try context.table { () throws(TableError) in try table.setProperties(entries.map { (key: $0.key, value: $0.value) }) }
            return .message("set \(entries.count) propert\(entries.count == 1 ? "y" : "ies") of \(id) (version \(version))",
                            statement: context.statementText)
        case let .unsetProperties(keys, ifExists):
            let version = try context.table { () throws(TableError) in try table.unsetProperties(keys, ifExists: ifExists) }
            return .message("unset \(keys.count) propert\(keys.count == 1 ? "y" : "ies") of \(id) (version \(version))",
                            statement: context.statementText)
        case let .alterColumnType(column, type):
            let version = try context.table { () throws(TableError) in try table.changeColumnType(column: column, to: type) }
            return .message("changed the type of \(column) in \(id) to \(type.sqlName) (version \(version))", statement: context.statementText)
        case let .alterColumnNullability(column, nullable):
            let version = try context.table { () throws(TableError) in try table.setNullability(column: column, nullable: nullable) }
            let state = nullable ? "nullable" : "NOT NULL"
            return .message(version.map { "made \(column) of \(id) \(state) (version \($0))" }
                                ?? "column \(column) of \(id) already is \(state); nothing changed", statement: context.statementText)
        case .setOwner:
            // StatementExecutor routes OWNER TO to AccessStatements before this point.
            throw context.error(.unsupported, "ALTER TABLE … OWNER TO is executed by access control, not here")
        }
    }
}
