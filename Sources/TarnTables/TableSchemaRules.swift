// TableSchemaRules: what a table's schema and partitioning may be, and how written
// batches are checked and conformed to the schema. Owns every "schema mismatch" the
// write path reports; must never let a batch through that the schema does not allow.
import TarnColumnar

enum TableSchemaRules {
    /// Types that may be partition columns (their values become directory names).
    static func isPartitionable(_ type: DataType) -> Bool {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .string, .date32, .timestamp, .decimal, .binary:
            return true
        default:
            return false
        }
    }

    static func validateNew(schema: Schema, partitionColumns: [String], table: String) throws(TableError) {
        guard !schema.fields.isEmpty else {
            throw TableError(.invalidArgument, "a table needs at least one column", table: table)
        }
        var seen = Set<String>()
        for field in schema.fields {
            guard !field.name.isEmpty, !field.name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw TableError(.invalidName, "column name '\(field.name)' is empty or has control characters", table: table)
            }
            guard seen.insert(field.name.lowercased()).inserted else {
                throw TableError(.invalidArgument, "column '\(field.name)' appears twice (names are case-insensitive)", table: table)
            }
        }
        var partitionSeen = Set<String>()
        for column in partitionColumns {
            guard let field = schema.field(named: column) else {
                throw TableError(.invalidArgument, "partition column '\(column)' is not a column of the schema (\(schema.names.joined(separator: ", ")))", table: table)
            }
            guard isPartitionable(field.type) else {
                throw TableError(.invalidArgument, "column '\(column)' of type \(field.type) cannot be a partition column", table: table)
            }
            guard partitionSeen.insert(column).inserted else {
                throw TableError(.invalidArgument, "partition column '\(column)' is listed twice", table: table)
            }
        }
        if partitionColumns.count == schema.count {
            throw TableError(.invalidArgument, "every column is a partition column; at least one column must hold data", table: table)
        }
    }

    /// The batch with columns in the table's order and types, or a schema-mismatch error
    /// naming the column (and row, for nulls in NOT NULL columns). Columns may come in
    /// any order; lossless widenings (int8→int16→int32→int64, float32→float64) are applied.
    static func conform(_ batch: RecordBatch, to schema: Schema, table: String) throws(TableError) -> RecordBatch {
        if batch.schema.fields == schema.fields { return try checkNulls(batch, schema: schema, table: table) }
        var columns: [Column] = []
        let incoming = Set(batch.schema.names)
        let expected = Set(schema.names)
        let extra = incoming.subtracting(expected)
        if !extra.isEmpty {
            throw TableError(.schemaMismatch,
                             "the data has column(s) \(extra.sorted().joined(separator: ", ")) that the table does not; the table has \(schema.names.joined(separator: ", "))",
                             table: table)
        }
        for field in schema.fields {
            guard let index = batch.schema.index(of: field.name) else {
                throw TableError(.schemaMismatch, "the data lacks column '\(field.name)' (\(field.type))", table: table)
            }
            var column = batch.columns[index]
            if column.type != field.type {
                guard isLosslessWidening(from: column.type, to: field.type) || TypeWidening.isAllowed(from: column.type, to: field.type) else {
                    throw TableError(.schemaMismatch,
                                     "column '\(field.name)' is \(column.type) in the data but \(field.type) in the table",
                                     table: table)
                }
                do {
                    column = try column.cast(to: field.type)
                } catch {
                    throw TableError(.schemaMismatch, "column '\(field.name)' cannot be converted to \(field.type)", table: table, cause: error)
                }
            }
            columns.append(column)
        }
        let conformed: RecordBatch
        do {
            conformed = try RecordBatch(schema: Schema(schema.fields.map { f in
                var relaxed = f
                relaxed.nullable = true
                return relaxed
            }), columns: columns, rowCount: batch.rowCount)
        } catch {
            throw TableError(.schemaMismatch, "the data does not fit the table's schema", table: table, cause: error)
        }
        return try checkNulls(conformed, schema: schema, table: table).withSchema(schema)
    }

    /// The table schema extended by the columns of `incoming` schemas it lacks (nullable,
    /// in order of first appearance). A column present in both with another type is a
    /// schema mismatch unless the data's type widens losslessly to the table's — or, with
    /// `allowWidening` (the table has `delta.enableTypeWidening`), the table's type widens
    /// automatically to the data's (`TypeWidening.isAutomatic`; recorded in `delta.typeChanges`).
    static func merged(_ schema: Schema, with incoming: [Schema], table: String, allowWidening: Bool = false) throws(TableError) -> Schema {
        var out = schema
        for batchSchema in incoming {
            for field in batchSchema.fields {
                if let index = out.index(of: field.name) {
                    let existing = out.fields[index].type
                    if allowWidening && TypeWidening.isAutomatic(from: existing, to: field.type) {
                        out.fields[index] = TypeWidening.widened(out.fields[index], to: field.type)
                        continue
                    }
                    if existing != field.type && !isLosslessWidening(from: field.type, to: existing) && !TypeWidening.isAllowed(from: field.type, to: existing) {
                        throw TableError(.schemaMismatch,
                                         "column '\(field.name)' is \(field.type) in the data but \(existing) in the table; mergeSchema adds columns and widens types only on tables with delta.enableTypeWidening = true (see Table.changeColumnType)",
                                         table: table)
                    }
                } else if out.lookup(field.name) != nil {
                    throw TableError(.schemaMismatch, "column '\(field.name)' differs from an existing column only in case", table: table)
                } else {
                    var added = field
                    added.nullable = true
                    out.fields.append(added)
                }
            }
        }
        return out
    }

    /// The batch with every nullable column of `schema` it lacks added as nulls.
    static func fillMissing(_ batch: RecordBatch, schema: Schema, table: String) throws(TableError) -> RecordBatch {
        let missing = schema.fields.filter { batch.schema.index(of: $0.name) == nil }
        if missing.isEmpty { return batch }
        if let required = missing.first(where: { !$0.nullable }) {
            throw TableError(.schemaMismatch, "the data lacks NOT NULL column '\(required.name)'", table: table)
        }
        do {
            return try RecordBatch(schema: Schema(batch.schema.fields + missing),
                                   columns: batch.columns + missing.map { Column.nulls($0.type, count: batch.rowCount) },
                                   rowCount: batch.rowCount)
        } catch {
            throw TableError(.schemaMismatch, "cannot add the missing columns", table: table, cause: error)
        }
    }

    /// The batch, or a schema-mismatch naming the NOT NULL column and the first row
    /// holding NULL there (cause: `ConstraintViolation` with the row's values).
    static func checkNulls(_ batch: RecordBatch, schema: Schema, table: String) throws(TableError) -> RecordBatch {
        for (field, column) in zip(schema.fields, batch.columns) where !field.nullable && column.nullCount > 0 {
            let row = (0..<column.count).first { column.isNull($0) } ?? 0
            let violation = ConstraintViolation(kind: .notNull, name: field.name, expression: "\(field.name) IS NOT NULL",
                                                row: ConstraintViolation.render(batch, row: row))
            throw TableError(.schemaMismatch, "column '\(field.name)' is NOT NULL but row \(row) of the data is null: \(violation)",
                             table: table, cause: violation)
        }
        return batch
    }

    static func isLosslessWidening(from: DataType, to: DataType) -> Bool {
        let order: [DataType] = [.int8, .int16, .int32, .int64]
        if let a = order.firstIndex(of: from), let b = order.firstIndex(of: to) { return a <= b }
        if from == .float32 && to == .float64 { return true }
        if [DataType.int8, .int16, .int32].contains(from) && to == .float64 { return true }
        return false
    }
}

extension RecordBatch {
    /// The same columns under `schema` (same names and types; nullability may differ).
    func withSchema(_ schema: Schema) -> RecordBatch {
        (try? RecordBatch(schema: schema, columns: columns, rowCount: rowCount)) ?? self
    }
}
