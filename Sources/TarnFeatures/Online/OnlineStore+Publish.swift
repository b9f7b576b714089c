// Publishing a feature table to the online store: full (rebuild the table's online copy
// from a snapshot) or incremental (apply only the data files the log added or removed
// since the last published version). Each publish is one SQLite transaction, so readers
// see the old copy or the new one, never half. Must never write to the offline table.
import Foundation
import TarnColumnar
import TarnLog
import TarnTables

/// The feature-table metadata convention (table configuration) the online store reads.
enum FeatureTableProperties {
    static let primaryKeys = "tarn.feature.primaryKeys"
    static let timestampKey = "tarn.feature.timestampKey"

    /// Primary keys and timestamp key from a table's configuration.
    /// - Throws: `.notAFeatureTable` when the keys are missing or not a JSON array of names.
    static func keys(_ configuration: [String: String], table: String) throws(FeatureError) -> (primaryKeys: [String], timestampKey: String?) {
        guard let text = configuration[primaryKeys] else {
            throw FeatureError(.notAFeatureTable, "the table is not a feature table (no \(primaryKeys) in its properties); create it as a feature table", table: table)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(text)
        } catch {
            throw FeatureError(.notAFeatureTable, "\(primaryKeys) is not valid JSON: \(text)", table: table, cause: error)
        }
        guard let elements = parsed.elements, !elements.isEmpty else {
            throw FeatureError(.notAFeatureTable, "\(primaryKeys) must be a non-empty JSON array of column names, found \(text)", table: table)
        }
        var keys: [String] = []
        for element in elements {
            guard let name = element.stringValue else {
                throw FeatureError(.notAFeatureTable, "\(primaryKeys) must be a JSON array of column names, found \(text)", table: table)
            }
            keys.append(name)
        }
        let timestamp = configuration[timestampKey].flatMap { $0.isEmpty ? nil : $0 }
        return (keys, timestamp)
    }
}

extension OnlineStore {
    /// Publishes feature table `table` (`namespace.table`) to the online store.
    ///
    /// `.full` rebuilds the table's online copy from the latest snapshot (and first
    /// recreates the database when it is missing or not trusted). `.incremental` replays the
    /// commits since the last published version: rows of added files are upserted when they
    /// are at least as recent as the online row; keys whose online row was in a removed file
    /// and has no newer replacement are re-resolved from the table (the latest remaining row,
    /// or deleted online when none is left). It falls back to `.full` (and says why in the
    /// report) on a first publish, a schema or key change, a recreated table, cleaned-up
    /// commits or vacuumed files. Cost: full reads the table; incremental reads the changed
    /// files (plus the files that may hold re-resolved keys).
    /// - Throws: `.notAFeatureTable`, `.wrongType` (nested columns), `.table` (the
    ///   offline table cannot be read), `.corrupt` (incremental on an untrusted database),
    ///   `.accessDenied` (publishing needs MODIFY on the table, and reading it SELECT),
    ///   `.storage`. Nothing is changed online when it throws.
    @discardableResult
    public func publish(table reference: String, mode: PublishMode = .incremental) throws(FeatureError) -> PublishReport {
        let started = Date()
        let name = try canonicalName(reference)
        try authorize(.modify, table: name, action: "PUBLISH")
        let table: Table
        let snapshot: Snapshot
        do {
            table = try catalog.openTable(TableIdentifier(parsing: name))
            snapshot = try table.snapshot()
        } catch {
            if error.code == .notFound {
                throw FeatureError(.notFound, "no such feature table", table: name, cause: error)
            }
            throw FeatureError(error, "cannot open the table", table: name)
        }
        let keys = try FeatureTableProperties.keys(snapshot.configuration, table: name)
        let layout = try OnlineLayout(table: name, schema: snapshot.schema, primaryKeys: keys.primaryKeys, timestampKey: keys.timestampKey)

        return try writer.withLock { state throws(FeatureError) -> PublishReport in
            if let corruption = self.corruption {
                guard mode == .full else { throw corruptError(corruption, table: name) }
                try recreateDatabase(&state)
            }
            guard let connection = state.connection else { throw corruptError("the database is not open", table: name) }
            var work = PublishWork(store: self, connection: connection, table: table, snapshot: snapshot, layout: layout)
            do throws(SQLiteFailure) {
                try connection.execute("BEGIN IMMEDIATE")
            } catch {
                throw wrap(error, "cannot start the publish transaction (another publish holds the database?)", table: name)
            }
            do {
                let previous = try work.storedPublication()
                var fallback: String? = nil
                var effective = PublishMode.full
                if mode == .incremental {
                    if let previous {
                        if let reason = work.incrementalObstacle(previous) {
                            fallback = reason
                        } else {
                            switch try work.applyIncremental(from: previous.state.version) {
                            case .success: effective = .incremental
                            case let .failure(reason): fallback = reason.description
                            }
                        }
                    } else {
                        fallback = "the table was never published"
                    }
                }
                if effective == .full {
                    work.resetCounters()
                    try work.rebuild()
                }
                let published = try work.recordPublication(mode: effective)
                try connection.execute("COMMIT")
                return PublishReport(state: published, requestedMode: mode, fallbackReason: fallback,
                                     previousVersion: previous?.state.version, filesRead: work.filesRead,
                                     rowsRead: work.rowsRead, rowsWritten: work.rowsWritten, rowsDeleted: work.rowsDeleted,
                                     elapsed: Date().timeIntervalSince(started))
            } catch let error as FeatureError {
                try? connection.execute("ROLLBACK")
                connection.clearStatementCache()
                throw error
            } catch let error as SQLiteFailure {
                try? connection.execute("ROLLBACK")
                connection.clearStatementCache()
                throw wrap(error, "the publish failed and was rolled back", table: name)
            } catch {
                try? connection.execute("ROLLBACK")
                connection.clearStatementCache()
                throw FeatureError(.storage, "the publish failed and was rolled back", table: name, cause: OnlineMessage("\(error)"))
            }
        }
    }
}

/// One publish in progress, inside the writer's transaction.
struct PublishWork {
    let store: OnlineStore
    let connection: SQLiteConnection
    let table: Table
    let snapshot: Snapshot
    let layout: OnlineLayout
    var filesRead = 0
    var rowsRead = 0
    var rowsWritten = 0
    var rowsDeleted = 0

    init(store: OnlineStore, connection: SQLiteConnection, table: Table, snapshot: Snapshot, layout: OnlineLayout) {
        self.store = store
        self.connection = connection
        self.table = table
        self.snapshot = snapshot
        self.layout = layout
    }

    mutating func resetCounters() {
        filesRead = 0
        rowsRead = 0
        rowsWritten = 0
        rowsDeleted = 0
    }

    func storedPublication() throws -> OnlineStore.StoredPublication? {
        let stmt = try connection.statement(OnlineStore.selectPublicationSQL)
        defer { stmt.reset() }
        try stmt.bind(1, layout.table)
        guard try stmt.step() else { return nil }
        return try? OnlineStore.readPublication(stmt)
    }

    /// Why the last publication cannot be advanced incrementally (nil when it can).
    func incrementalObstacle(_ previous: OnlineStore.StoredPublication) -> String? {
        if previous.state.tableId != snapshot.metadata.id { return "the table was dropped and recreated since the last publish" }
        if previous.state.version > snapshot.version { return "the published version \(previous.state.version) is newer than the table's \(snapshot.version)" }
        if previous.state.primaryKeys != layout.primaryKeys || previous.state.timestampKey != layout.timestampKey {
            return "the primary keys or timestamp key changed"
        }
        if previous.schema != snapshot.schema { return "the table's schema changed" }
        let exists = (try? connection.queryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '\(layout.sqlTable.dropFirst().dropLast().replacingOccurrences(of: "'", with: "''"))'")) ?? 0
        if exists == 0 { return "the online table is missing" }
        return nil
    }

    // MARK: Full

    /// Replaces the online table with the latest row per key of the snapshot.
    mutating func rebuild() throws {
        var latest = LatestRows(keyIndexes: layout.keyIndexes, timestampIndex: layout.timestampIndex)
        let scan: TableScan
        do {
            scan = try table.scan(asOf: .version(snapshot.version))
        } catch {
            throw FeatureError(.storage, "cannot scan the table", table: layout.table, cause: error)
        }
        filesRead = scan.files.count
        var rows = 0
        do {
            try scan.forEachBatch { batch in
                rows += batch.rowCount
                try latest.add(batch)
            }
        } catch let error as TableError {
            throw FeatureError(.storage, "cannot read the table", table: layout.table, cause: error)
        } catch let error as ColumnarError {
            throw FeatureError(.storage, "cannot read the table", table: layout.table, cause: error)
        }
        rowsRead = rows
        connection.clearStatementCache()
        try connection.execute(layout.dropSQL)
        try connection.execute(layout.createSQL)
        let insert = try connection.statement(layout.insertSQL)
        let width = layout.schema.count
        var written = 0
        try latest.forEach { batch, row, _ in
            for column in 0..<width {
                try bindSlot(batch.columns[column], row: row, to: insert, index: Int32(column + 1))
            }
            try insert.run()
            insert.reset()
            written += 1
        }
        rowsWritten = written
    }

    // MARK: Incremental

    /// Applies the changes of the commits after `from`; a failure result means "do a full
    /// publish instead" (nothing was changed online then).
    mutating func applyIncremental(from: Int64) throws -> Result<Void, FallbackReason> {
        let changes: LogChanges
        switch try LogChanges.between(table: table, from: from, to: snapshot.version) {
        case let .success(c): changes = c
        case let .failure(reason): return .failure(reason)
        }
        let reader = DataFileReader(table: table, snapshot: snapshot)
        let addedBatches: [RecordBatch]
        switch reader.read(changes.added.map { ($0.path, $0.partitionValues) }, columns: layout.schema.names) {
        case let .success(b): addedBatches = b
        case let .failure(.missing(path)): return .failure(FallbackReason("added file \(path) is gone"))
        case let .failure(.error(e)): throw e
        }
        let keyColumns = layout.primaryKeys + (layout.timestampKey.map { [$0] } ?? [])
        let removedBatches: [RecordBatch]
        switch reader.read(changes.removed.map { ($0.path, $0.partitionValues ?? [:]) }, columns: keyColumns) {
        case let .success(b): removedBatches = b
        case let .failure(.missing(path)): return .failure(FallbackReason("removed file \(path) was vacuumed"))
        case let .failure(.error(e)): throw e
        }
        filesRead = changes.added.count + changes.removed.count

        var added = LatestRows(keyIndexes: layout.keyIndexes, timestampIndex: layout.timestampIndex)
        for batch in addedBatches {
            rowsRead += batch.rowCount
            try added.add(batch)
        }
        // Newest removed ordering per key (key columns first, then the timestamp key).
        var removed: [RowKey: Int64] = [:]
        let removedKeyIndexes = Array(0..<layout.primaryKeys.count)
        let removedTimestamp: Int? = layout.timestampKey == nil ? nil : layout.primaryKeys.count
        for batch in removedBatches {
            rowsRead += batch.rowCount
            let keys = RowKeyReader(batch: batch, keyIndexes: removedKeyIndexes)
            let ordering = OrderingReader(batch: batch, timestampIndex: removedTimestamp)
            for row in 0..<batch.rowCount {
                let key = keys.key(at: row)
                let t = ordering.value(at: row)
                if let old = removed[key], old >= t { continue }
                removed[key] = t
            }
        }

        let upsert = try connection.statement(layout.upsertSQL)
        let width = layout.schema.count
        var reresolve: [RowKey] = []
        var written = 0
        try added.forEach { batch, row, key in
            let candidate = added.row(of: key)?.ordering ?? Int64.min
            if layout.timestampKey != nil, let online = try onlineOrdering(key) {
                if candidate < online {
                    // The online row is newer; it stays unless it was in a removed file.
                    if let r = removed[key], r >= online { reresolve.append(key) }
                    return
                }
            }
            for column in 0..<width {
                try bindSlot(batch.columns[column], row: row, to: upsert, index: Int32(column + 1))
            }
            try upsert.run()
            upsert.reset()
            written += 1
        }
        for (key, newestRemoved) in removed where added.row(of: key) == nil {
            if layout.timestampKey != nil {
                // Only when the online row itself was removed does the key need re-resolving.
                guard let online = try onlineOrdering(key), newestRemoved >= online else { continue }
            }
            reresolve.append(key)
        }
        rowsWritten = written
        if !reresolve.isEmpty { try reresolveKeys(reresolve) }
        return .success(())
    }

    /// The stored timestamp-key value of `key` online, or nil when the key is not online.
    func onlineOrdering(_ key: RowKey) throws -> Int64? {
        guard let sql = layout.selectTimestampSQL else { return nil }
        let stmt = try connection.statement(sql)
        defer { stmt.reset() }
        try key.bind(to: stmt)
        guard try stmt.step() else { return nil }
        return stmt.isNull(0) ? Int64.min : stmt.int64(0)
    }

    /// Sets each key's online row to its latest row in the snapshot, deleting keys that
    /// have no row left.
    mutating func reresolveKeys(_ keys: [RowKey]) throws {
        let wanted = Set(keys)
        var predicate: TarnColumnar.Predicate? = nil
        if wanted.count <= 1000 {
            var conjuncts: [TarnColumnar.Predicate] = []
            for (i, name) in layout.primaryKeys.enumerated() {
                let type = layout.schema.fields[layout.keyIndexes[i]].type
                var values: [ScalarValue] = []
                var seen = Set<KeyPart>()
                for key in wanted {
                    let part = key.parts[i]
                    if seen.insert(part).inserted, let scalar = part.scalar(type: type) { values.append(scalar) }
                }
                conjuncts.append(.inList(column: name, values: values))
            }
            predicate = conjuncts.dropFirst().reduce(conjuncts[0]) { .and($0, $1) }
        }
        let scan: TableScan
        do {
            scan = try table.scan(predicate: predicate, asOf: .version(snapshot.version))
        } catch {
            throw FeatureError(.storage, "cannot scan the table for removed keys", table: layout.table, cause: error)
        }
        filesRead += scan.files.count
        var latest = LatestRows(keyIndexes: layout.keyIndexes, timestampIndex: layout.timestampIndex)
        let keyIndexes = layout.keyIndexes
        do {
            try scan.forEachBatch { batch in
                let reader = RowKeyReader(batch: batch, keyIndexes: keyIndexes)
                var mask = Bitmap(repeating: false, count: batch.rowCount)
                var any = false
                for row in 0..<batch.rowCount where wanted.contains(reader.key(at: row)) {
                    mask[row] = true
                    any = true
                }
                if any { try latest.add(try batch.filter(mask)) }
            }
        } catch let error as TableError {
            throw FeatureError(.storage, "cannot read the table for removed keys", table: layout.table, cause: error)
        }
        let upsert = try connection.statement(layout.upsertSQL)
        let delete = try connection.statement(layout.deleteSQL)
        let width = layout.schema.count
        for key in keys {
            if let found = latest.row(of: key) {
                for column in 0..<width {
                    try bindSlot(found.batch.columns[column], row: found.row, to: upsert, index: Int32(column + 1))
                }
                try upsert.run()
                upsert.reset()
                rowsWritten += 1
            } else {
                try key.bind(to: delete)
                try delete.run()
                rowsDeleted += connection.changes
                delete.reset()
            }
        }
    }

    // MARK: Publication record

    /// Writes `_publications` for this publish and returns the state.
    func recordPublication(mode: PublishMode) throws -> PublicationState {
        let rowCount = Int(try connection.queryInt(layout.countSQL) ?? 0)
        let maxEvent: Int64? = try layout.maxTimestampSQL.flatMap { sql throws -> Int64? in try connection.queryInt(sql) }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let keysJSON = JSONWriter.string(.array(layout.primaryKeys.map { .string($0) }))
        let stmt = try connection.statement("""
            INSERT OR REPLACE INTO _publications (feature_table, table_id, version, published_at, mode,
              max_event_timestamp, row_count, primary_keys, timestamp_key, table_schema)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """)
        defer { stmt.reset() }
        try stmt.bind(1, layout.table)
        try stmt.bind(2, snapshot.metadata.id)
        try stmt.bind(3, snapshot.version)
        try stmt.bind(4, now)
        try stmt.bind(5, mode.rawValue)
        if let maxEvent { try stmt.bind(6, maxEvent) } else { try stmt.bindNull(6) }
        try stmt.bind(7, Int64(rowCount))
        try stmt.bind(8, keysJSON)
        if let ts = layout.timestampKey { try stmt.bind(9, ts) } else { try stmt.bindNull(9) }
        try stmt.bind(10, snapshot.metadata.schemaString)
        try stmt.run()
        var maxScalar: ScalarValue? = nil
        if let maxEvent, let index = layout.timestampIndex {
            maxScalar = OnlineStore.orderingScalar(maxEvent, type: layout.schema.fields[index].type)
        }
        return PublicationState(table: layout.table, version: snapshot.version, publishedAt: now, mode: mode,
                                maxEventTimestamp: maxScalar, rowCount: rowCount, primaryKeys: layout.primaryKeys,
                                timestampKey: layout.timestampKey, tableId: snapshot.metadata.id)
    }
}

extension KeyPart {
    /// The scalar of a key column of `type` holding this part (for predicates).
    func scalar(type: DataType) -> ScalarValue? {
        switch (self, type) {
        case (.null, _): return .null
        case let (.int(v), .boolean): return .boolean(v != 0)
        case let (.int(v), .uint64): return .uint(UInt64(bitPattern: v))
        case let (.int(v), .uint8), let (.int(v), .uint16), let (.int(v), .uint32): return .uint(UInt64(v))
        case let (.int(v), .date32): return .date(Int32(truncatingIfNeeded: v))
        case let (.int(v), .timestamp(zone)): return .timestamp(v, zone)
        case let (.int(v), _): return .int(v)
        case let (.real(v), _): return .float(v)
        case let (.text(s), .decimal(p, sc)): return DecimalFormat.parse(Substring(s), precision: p, scale: sc).map { .decimal($0, scale: sc) }
        case let (.text(s), _): return .string(s)
        case let (.bytes(b), _): return .binary(b)
        }
    }
}
