// FeatureWriteValidation: checks a feature write before anything is written — key
// columns present and non-null, types that fit the table (lossless widening only), no
// unknown columns, no (primary keys + timestamp key) twice in one write.
// Must never let a refused write reach storage: it runs before any file is written.
import TarnColumnar

enum FeatureWriteValidation {
    /// The write's rows as one batch with the table's types, holding the written columns
    /// in table order (key columns always; other columns only when the data has them).
    static func prepare(_ batches: [RecordBatch], tableSchema: Schema, metadata: FeatureTableMetadata,
                        table: String) throws(FeatureError) -> RecordBatch {
        guard let first = batches.first else {
            throw FeatureError(.invalidArgument, "no batches were given", table: table, remedy: "pass at least one batch")
        }
        for batch in batches.dropFirst() where batch.schema.names != first.schema.names {
            throw FeatureError(.invalidArgument, "the batches do not share one set of columns (\(first.schema.names.joined(separator: ", ")) vs \(batch.schema.names.joined(separator: ", ")))",
                               table: table)
        }
        let names = first.schema.names
        for key in metadata.fullKey where !names.contains(key) {
            let what = key == metadata.timestampKey ? "timestamp key" : "primary key"
            throw FeatureError(.missingKeyColumn, "the data lacks \(what) column '\(key)'; it has \(names.joined(separator: ", "))",
                               table: table, remedy: "every write must carry all key columns: \(metadata.fullKey.joined(separator: ", "))")
        }
        for name in names where tableSchema.index(of: name) == nil {
            throw FeatureError(.unknownColumn, "the data has column '\(name)', which the table does not have; the table has \(tableSchema.names.joined(separator: ", "))",
                               table: table, remedy: "drop the column from the data or add it to the table first")
        }
        var fields: [Field] = []
        var columnsPerBatch: [[Column]] = Array(repeating: [], count: batches.count)
        for field in tableSchema.fields {
            guard let index = first.schema.index(of: field.name) else {
                if !field.nullable {
                    throw FeatureError(.missingKeyColumn, "the data lacks NOT NULL column '\(field.name)'", table: table)
                }
                continue
            }
            let given = first.schema.fields[index].type
            if given != field.type && !canWiden(given, to: field.type) {
                throw FeatureError(.wrongType, "column '\(field.name)' is \(given) in the data but \(field.type) in the table",
                                   table: table, remedy: "cast the column to \(field.type) before writing")
            }
            fields.append(Field(field.name, field.type, nullable: true))
            for (b, batch) in batches.enumerated() {
                var column = batch.columns[index]
                if column.type != field.type {
                    do {
                        column = try column.cast(to: field.type)
                    } catch {
                        throw FeatureError(.wrongType, "column '\(field.name)' cannot be converted to \(field.type)", table: table, cause: error)
                    }
                }
                columnsPerBatch[b].append(column)
            }
        }
        let batch: RecordBatch
        do {
            let parts = try columnsPerBatch.map { (columns) throws(ColumnarError) -> RecordBatch in
                try RecordBatch(schema: Schema(fields), columns: columns)
            }
            batch = parts.count == 1 ? parts[0] : try RecordBatch.concat(parts)
        } catch {
            throw FeatureError(.invalidArgument, "the batches cannot be combined", table: table, cause: error)
        }
        try checkKeys(batch, metadata: metadata, table: table)
        return batch
    }

    /// Lossless conversions a write may apply: wider integers, float32 → float64,
    /// small integers → float64.
    static func canWiden(_ from: DataType, to: DataType) -> Bool {
        func rank(_ t: DataType) -> (signed: Bool, bits: Int)? {
            switch t {
            case .int8: return (true, 8)
            case .int16: return (true, 16)
            case .int32: return (true, 32)
            case .int64: return (true, 64)
            case .uint8: return (false, 8)
            case .uint16: return (false, 16)
            case .uint32: return (false, 32)
            case .uint64: return (false, 64)
            default: return nil
            }
        }
        if let a = rank(from), let b = rank(to) {
            if a.signed == b.signed { return b.bits >= a.bits }
            return !a.signed && b.signed && b.bits > a.bits
        }
        if from == .float32 && to == .float64 { return true }
        if let a = rank(from), to == .float64 { return a.bits <= 32 }
        return false
    }

    /// No nulls in key columns; no key twice.
    static func checkKeys(_ batch: RecordBatch, metadata: FeatureTableMetadata, table: String) throws(FeatureError) {
        var keyColumns: [Column] = []
        for key in metadata.fullKey {
            guard let column = batch.column(named: key) else {
                throw FeatureError(.missingKeyColumn, "the data lacks key column '\(key)'", table: table)
            }
            if let validity = column.validity, let row = (0..<column.count).first(where: { !validity[$0] }) {
                throw FeatureError(.nullKey, "key column '\(key)' holds a null at row \(row) (and \(column.nullCount - 1) more)",
                                   table: table, remedy: "key columns are NOT NULL; drop or fill those rows")
            }
            keyColumns.append(column)
        }
        guard batch.rowCount > 1 else { return }
        guard batch.rowCount < Int(Int32.max) else {
            throw FeatureError(.invalidArgument, "one write holds \(batch.rowCount) rows; split it into writes of fewer than 2^31 rows",
                               table: table)
        }
        let keys = try KeyColumns(keyColumns)
        var index = KeyHashIndex(capacity: batch.rowCount)
        for row in 0..<batch.rowCount {
            if let earlier = index.findOrInsert(hash: keys.hashes[row], row: row, isEqual: { keys.equal($0, keys, row) }) {
                let values = zip(metadata.fullKey, keyColumns).map { "\($0.0)=\($0.1.value(at: row))" }.joined(separator: ", ")
                throw FeatureError(.duplicateKey, "the write holds key (\(values)) twice, at rows \(earlier) and \(row)",
                                   table: table, remedy: "one write may hold each (primary keys + timestamp key) once; deduplicate it first")
            }
        }
    }
}
