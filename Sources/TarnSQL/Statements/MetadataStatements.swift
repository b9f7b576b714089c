// SHOW TABLES, SHOW NAMESPACES, DESCRIBE, DESCRIBE DETAIL and DESCRIBE HISTORY: catalog
// and log metadata as result rows, with the column names Delta/Databricks use. Read-only:
// nothing here writes to a table.
import TarnColumnar
import TarnLog
import TarnTables

enum MetadataStatements {
    static func showTables(_ context: StatementContext, namespace: String?) throws(SQLError) -> StatementResult {
        var rows = ResultRows([("namespace", .string), ("tableName", .string)])
        let tables = try context.table { () throws(TableError) in try context.catalog.listTables(namespace: namespace) }
        for id in tables { rows.append([.string(id.namespace), .string(id.name)]) }
        return try rows.result(statement: context.statementText)
    }

    static func showNamespaces(_ context: StatementContext) throws(SQLError) -> StatementResult {
        var rows = ResultRows([("namespace", .string)])
        for ns in try context.table({ () throws(TableError) in try context.catalog.listNamespaces() }) {
            rows.append([.string(ns)])
        }
        return try rows.result(statement: context.statementText)
    }

    /// The table's properties as `key`, `value` rows in key order (Delta's own settings
    /// included); with a key, that one property — a missing key is an error naming the
    /// keys there are, as Spark reports it.
    static func showTableProperties(_ context: StatementContext, table: Table, key: String?) throws(SQLError) -> StatementResult {
        let properties = try context.table { () throws(TableError) in try table.detail() }.properties
        var rows = ResultRows([("key", .string), ("value", .string)])
        if let key {
            guard let value = properties[key] else {
                let known = properties.keys.sorted()
                throw context.error(.binding, "table \(table.name) has no property '\(key)'"
                                    + (known.isEmpty ? " (it has none)" : "; it has: \(known.joined(separator: ", "))"))
            }
            rows.append([.string(key), .string(value)])
        } else {
            for name in properties.keys.sorted() { rows.append([.string(name), .text(properties[name])]) }
        }
        return try rows.result(statement: context.statementText)
    }

    /// One `col_name` row per column, in table order.
    static func showColumns(_ context: StatementContext, table: Table) throws(SQLError) -> StatementResult {
        let snapshot = try context.table { () throws(TableError) in try table.snapshot() }
        var rows = ResultRows([("col_name", .string)])
        for field in snapshot.schema.fields { rows.append([.string(field.name)]) }
        return try rows.result(statement: context.statementText)
    }

    /// Columns (name, type, comment), then a "# Partition Information" section when partitioned,
    /// as Databricks shows them.
    static func describe(_ context: StatementContext, table: Table, asOf: TimeTravel? = nil) throws(SQLError) -> StatementResult {
        let snapshot = try context.table { () throws(TableError) in try table.snapshot(asOf: asOf) }
        var rows = ResultRows([("col_name", .string), ("data_type", .string), ("comment", .string)])
        for field in snapshot.schema.fields {
            rows.append([.string(field.name), .string(typeText(field)), .text(field.metadata["comment"])])
        }
        if !snapshot.partitionColumns.isEmpty {
            rows.append([.string(""), .string(""), .string("")])
            rows.append([.string("# Partition Information"), .string(""), .string("")])
            rows.append([.string("# col_name"), .string("data_type"), .string("comment")])
            for name in snapshot.partitionColumns {
                let field = snapshot.schema.field(named: name)
                rows.append([.string(name), .text(field.map(typeText)), .text(field?.metadata["comment"])])
            }
        }
        return try rows.result(statement: context.statementText)
    }

    static func typeText(_ field: Field) -> String {
        field.nullable ? field.type.description : field.type.description + " not null"
    }

    /// One row with the columns of Delta's DESCRIBE DETAIL.
    static func describeDetail(_ context: StatementContext, table: Table) throws(SQLError) -> StatementResult {
        let detail = try context.table { () throws(TableError) in try table.detail() }
        var rows = ResultRows([
            ("format", .string), ("id", .string), ("name", .string), ("description", .string),
            ("location", .string), ("createdAt", .timestamp(.utc)), ("lastModified", .timestamp(.utc)),
            ("partitionColumns", .stringList), ("numFiles", .int64), ("sizeInBytes", .int64),
            ("properties", .stringMap), ("minReaderVersion", .int32), ("minWriterVersion", .int32),
            ("tableFeatures", .stringList), ("version", .int64),
        ])
        var features = detail.readerFeatures
        for feature in detail.writerFeatures where !features.contains(feature) { features.append(feature) }
        rows.append([
            .string("delta"), .string(detail.id), .string(detail.name), .text(detail.description),
            .string(detail.location), detail.createdTime.map { .timestamp($0 * 1000, .utc) } ?? .null,
            detail.lastModified.map { .timestamp($0 * 1000, .utc) } ?? .null,
            .stringList(detail.partitionColumns), .int(Int64(detail.numFiles)), .int(detail.sizeInBytes),
            .stringMap(detail.properties), .int(Int64(detail.minReaderVersion)), .int(Int64(detail.minWriterVersion)),
            .stringList(features), .int(detail.version),
        ])
        return try rows.result(statement: context.statementText)
    }

    /// Commits newest first, with the columns of Delta's DESCRIBE HISTORY that Tarn records.
    static func describeHistory(_ context: StatementContext, table: Table, limit: Int?) throws(SQLError) -> StatementResult {
        if let limit, limit < 0 {
            throw context.error(.syntax, "DESCRIBE HISTORY LIMIT must be zero or more, got \(limit)")
        }
        let records = try context.table { () throws(TableError) in try table.history(limit: limit) }
        var rows = ResultRows([
            ("version", .int64), ("timestamp", .timestamp(.utc)), ("userName", .string), ("operation", .string),
            ("operationParameters", .stringMap), ("readVersion", .int64), ("isolationLevel", .string),
            ("isBlindAppend", .boolean), ("operationMetrics", .stringMap), ("engineInfo", .string),
        ])
        for record in records {
            let info = record.commitInfo
            rows.append([
                .int(record.version), .timestamp(record.timestamp * 1000, .utc), .text(info?.userName), .text(info?.operation),
                .stringMap(info?.operationParameters), .integer(info?.readVersion), .text(info?.isolationLevel),
                info?.isBlindAppend.map { .boolean($0) } ?? .null, .stringMap(info?.operationMetrics),
                .text(info?.engineInfo),
            ])
        }
        return try rows.result(statement: context.statementText)
    }
}
