// Online lookups: the latest feature values of given primary keys, from prepared
// statements on a pooled reader connection. A batch lookup reads inside one read
// transaction, so all its keys see the same publish. Must never write and never wait for
// a publish (WAL readers read the last committed state).
import Dispatch
import TarnColumnar
import TarnLog
import TarnTables

/// A prepared way to look up one set of features of one table (cached per connection).
struct LookupPlan {
    let layout: OnlineLayout
    /// Schema indexes of the output features, in output order.
    let featureIndexes: [Int]
    let featureNames: [String]
    let featureTypes: [DataType]
    let keyTypes: [DataType]
    let selectSQL: String
    /// The prepared select on the plan's connection (plans are per connection).
    let statement: SQLiteStatement
}

extension OnlineStore {
    /// How long an allowed SELECT check stays valid on a reader connection (ns).
    static let authorizationInterval: UInt64 = 5_000_000_000

    /// The latest values of one primary key (values in key-column order, typed like the
    /// key columns; integers, strings, dates and timestamps as `ScalarValue`s). Returns nil
    /// when the key is not online. `features` selects columns (default: every non-key column).
    /// - Throws: `.notFound` (not published), `.invalidArgument`/`.wrongType`/`.unknownColumn`
    ///   (wrong key arity or type, unknown feature), `.accessDenied` (lookups need SELECT on
    ///   the table), `.corrupt`, `.storage`.
    public func lookup(table: String, key: [ScalarValue], features: [String]? = nil) throws(FeatureError) -> OnlineRow? {
        try pool.withConnection { reader throws(FeatureError) -> OnlineRow? in
            let plan = try self.plan(reader, table: table, features: features)
            guard key.count == plan.keyTypes.count else {
                throw FeatureError(.invalidArgument,
                                       "a key has \(plan.keyTypes.count) value(s) (\(plan.layout.primaryKeys.joined(separator: ", "))), got \(key.count)",
                                       table: plan.layout.table)
            }
            do {
                let stmt = plan.statement
                defer { stmt.reset() }
                for (i, value) in key.enumerated() {
                    guard let part = KeyPart.from(value, type: plan.keyTypes[i]) else {
                        throw FeatureError(.wrongType,
                                               "key value \(value) does not fit key column '\(plan.layout.primaryKeys[i])' of type \(plan.keyTypes[i])",
                                               table: plan.layout.table)
                    }
                    if part == .null { return nil }
                    try part.bind(to: stmt, index: Int32(i + 1))
                }
                guard try stmt.step() else { return nil }
                var values: [ScalarValue] = []
                values.reserveCapacity(plan.featureTypes.count)
                for (j, type) in plan.featureTypes.enumerated() {
                    values.append(scalarValue(stmt, Int32(j), type: type))
                }
                return OnlineRow(names: plan.featureNames, values: values)
            } catch let error as SQLiteFailure {
                throw wrap(error, "the lookup failed", table: plan.layout.table)
            } catch let error as FeatureError {
                throw error
            } catch {
                throw FeatureError(.storage, "the lookup failed", table: plan.layout.table, cause: OnlineMessage("\(error)"))
            }
        }
    }

    /// Looks up every row of `keys` (which must hold the primary-key columns by name; other
    /// columns are ignored; key types are cast to the table's). Returns one row per key row,
    /// in the same order: the key columns, the features (`features`, default every non-key
    /// column; nulls for missing keys) and a non-null boolean `found`. All keys are read from
    /// the same published state.
    /// - Throws: `.notFound` (not published), `.accessDenied`, `.missingKeyColumn`, `.wrongType`, `.unknownColumn` (uncastable key type,
    ///   unknown feature), `.corrupt`, `.storage`.
    public func lookup(table: String, keys: RecordBatch, features: [String]? = nil) throws(FeatureError) -> RecordBatch {
        try pool.withConnection { reader throws(FeatureError) -> RecordBatch in
            let connection = reader.connection
            do throws(SQLiteFailure) {
                try connection.withStatement("BEGIN") { stmt throws(SQLiteFailure) in try stmt.run() }
            } catch {
                throw wrap(error, "cannot start a read transaction", table: table)
            }
            defer { try? connection.withStatement("COMMIT") { stmt throws(SQLiteFailure) in try stmt.run() } }
            let plan = try self.plan(reader, table: table, features: features)
            let layout = plan.layout
            // Key columns of the request, cast to the table's key types.
            var keyColumns: [Column] = []
            var keyFields: [Field] = []
            for (i, name) in layout.primaryKeys.enumerated() {
                guard let column = keys.column(named: name) else {
                    throw FeatureError(.missingKeyColumn,
                                           "the keys have no column '\(name)' (primary keys: \(layout.primaryKeys.joined(separator: ", ")); given: \(keys.schema.names.joined(separator: ", ")))",
                                           table: layout.table)
                }
                let type = plan.keyTypes[i]
                do {
                    keyColumns.append(column.type == type ? column : try column.cast(to: type))
                } catch {
                    throw FeatureError(.wrongType, "key column '\(name)' of type \(column.type) cannot be cast to the table's \(type)",
                                           table: layout.table, cause: error)
                }
                keyFields.append(Field(name, type, nullable: true))
            }
            let rows = keys.rowCount
            let keyBatch: RecordBatch
            do {
                keyBatch = try RecordBatch(schema: Schema(keyFields), columns: keyColumns, rowCount: rows)
            } catch {
                throw FeatureError(.invalidArgument, "the key columns do not line up", table: layout.table, cause: error)
            }
            let keyReader = RowKeyReader(batch: keyBatch, keyIndexes: Array(0..<keyColumns.count))
            var outputs: [any ResultColumn] = []
            for type in plan.featureTypes {
                guard let column = makeResultColumn(type, capacity: rows) else {
                    throw FeatureError(.wrongType, "feature of type \(type) cannot be looked up", table: layout.table)
                }
                outputs.append(column)
            }
            var found = BooleanColumnBuilder(capacity: rows)
            do {
                let stmt = plan.statement
                for row in 0..<rows {
                    let key = keyReader.key(at: row)
                    var hit = false
                    if !key.parts.contains(.null) {
                        try key.bind(to: stmt)
                        hit = try stmt.step()
                        if hit {
                            for (j, output) in outputs.enumerated() { try output.append(from: stmt, Int32(j)) }
                        }
                        stmt.reset()
                    }
                    if !hit {
                        for output in outputs { try output.appendNull() }
                    }
                    found.append(hit)
                }
            } catch let error as SQLiteFailure {
                throw wrap(error, "the lookup failed", table: layout.table)
            } catch {
                throw FeatureError(.storage, "the lookup failed", table: layout.table, cause: OnlineMessage("\(error)"))
            }
            var fields = keyFields
            var columns = keyColumns
            for (j, output) in outputs.enumerated() {
                fields.append(Field(plan.featureNames[j], plan.featureTypes[j], nullable: true))
                do {
                    columns.append(try output.finish())
                } catch {
                    throw FeatureError(.storage, "cannot build the result", table: layout.table, cause: error)
                }
            }
            fields.append(Field("found", .boolean, nullable: false))
            do {
                columns.append(try found.finish())
                return try RecordBatch(schema: Schema(fields), columns: columns, rowCount: rows)
            } catch {
                throw FeatureError(.storage, "cannot build the result", table: layout.table, cause: error)
            }
        }
    }

    /// The cached lookup plan of `table` and `features` on this connection (after checking
    /// that the database schema did not change under the cache).
    func plan(_ reader: ReaderConnection, table: String, features: [String]?) throws(FeatureError) -> LookupPlan {
        try checkTrusted(table: table)
        // SELECT on the table, re-checked at most every few seconds per connection so the
        // hot path pays a clock read (a revoke takes effect within that interval).
        let now = DispatchTime.now().uptimeNanoseconds
        if let checked = reader.authorizedAt[table], now &- checked < OnlineStore.authorizationInterval {
            // recently allowed
        } else {
            try authorize(.select, table: table, action: "ONLINE LOOKUP")
            reader.authorizedAt[table] = now
        }
        do {
            try reader.refreshIfSchemaChanged()
        } catch {
            throw wrap(error, "cannot read the online database", table: table)
        }
        let cacheKey = features.map { table + "\u{0}" + $0.joined(separator: "\u{1}") } ?? table
        if let plan = reader.plans[cacheKey] { return plan }
        let name = try canonicalName(table)
        let stored: StoredPublication?
        do {
            stored = try reader.connection.withStatement(OnlineStore.selectPublicationSQL) { stmt throws(SQLiteFailure) -> StoredPublication? in
                try stmt.bind(1, name)
                guard try stmt.step() else { return nil }
                return try? OnlineStore.readPublication(stmt)
            }
        } catch {
            throw wrap(error, "cannot read the publication state", table: name)
        }
        guard let stored else {
            throw FeatureError(.notFound, "the table is not published to the online store; run `tarn features publish \(name)` (or OnlineStore.publish(table:))", table: name)
        }
        let layout = try OnlineLayout(table: name, schema: stored.schema, primaryKeys: stored.state.primaryKeys,
                                      timestampKey: stored.state.timestampKey)
        let featureIndexes: [Int]
        if let features {
            var indexes: [Int] = []
            var seen = Set<String>()
            for feature in features {
                guard seen.insert(feature).inserted else {
                    throw FeatureError(.invalidArgument, "feature '\(feature)' is requested twice", table: name)
                }
                guard let index = layout.schema.index(of: feature) else {
                    throw FeatureError(.unknownColumn,
                                           "no feature '\(feature)'; the table has \(layout.featureNames.joined(separator: ", "))",
                                           table: name)
                }
                indexes.append(index)
            }
            featureIndexes = indexes
        } else {
            let keys = Set(layout.keyIndexes)
            featureIndexes = layout.schema.fields.indices.filter { !keys.contains($0) }
        }
        let selectSQL = layout.selectSQL(columns: featureIndexes)
        let statement: SQLiteStatement
        do {
            statement = try reader.connection.statement(selectSQL)
        } catch {
            throw wrap(error, "cannot prepare the lookup (the online table is missing or damaged: publish with mode full)", table: name)
        }
        let plan = LookupPlan(layout: layout, featureIndexes: featureIndexes,
                              featureNames: featureIndexes.map { layout.schema.fields[$0].name },
                              featureTypes: featureIndexes.map { layout.schema.fields[$0].type },
                              keyTypes: layout.keyIndexes.map { layout.schema.fields[$0].type },
                              selectSQL: selectSQL, statement: statement)
        reader.plans[cacheKey] = plan
        return plan
    }
}
