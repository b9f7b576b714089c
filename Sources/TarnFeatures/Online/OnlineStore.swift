// OnlineStore: the embedded online feature store — one SQLite database
// (`_online/features.sqlite` under the lakehouse root, WAL mode) holding the latest row
// per primary key of each published feature table, plus `_publications`. Owns opening,
// checking and rebuilding the database and the publication records; publishing and
// lookups live in OnlineStore+Publish.swift and OnlineStore+Lookup.swift. The database is
// derived data: it is never trusted when damaged, only rebuilt. Thread-safe.
import Foundation
import Synchronization
import TarnColumnar
import TarnLog
import TarnTables

public final class OnlineStore: Sendable {
    /// Where the database lives, relative to the lakehouse root.
    public static let databaseRelativePath = "_online/features.sqlite"
    /// SQLite `application_id` marking a Tarn online store ("TARN").
    static let applicationId: Int64 = 0x5441_524E
    static let publicationsTable = "_publications"

    public let catalog: Catalog
    /// The SQLite database file.
    public let databasePath: String

    struct WriterState {
        var connection: SQLiteConnection?
    }

    /// The one writing connection; publishes in this process take turns on it.
    let writer: Mutex<WriterState>
    /// Why the database is not trusted (nil when it opened and checked fine). Apart from
    /// `writer` so lookups never wait for a publish to read it.
    let distrust = Mutex<String?>(nil)
    let pool: ConnectionPool

    /// The online store of the lakehouse at `root` (database `root/_online/features.sqlite`).
    /// - Throws: `.storage` when the root or the database cannot be created or opened. A
    ///   damaged database does not throw here: lookups report it (`.corrupt`) and
    ///   `publish(mode: .full)` rebuilds it.
    public convenience init(root: String) throws(FeatureError) {
        let catalog: Catalog
        do {
            catalog = try Catalog(root: root)
        } catch {
            throw FeatureError(.storage, "cannot open the lakehouse root \(root)", cause: error)
        }
        try self.init(catalog: catalog, databasePath: (root.hasSuffix("/") ? root : root + "/") + OnlineStore.databaseRelativePath)
    }

    /// The online store over `catalog`'s tables, with its database at `databasePath`
    /// (its directory is created when missing).
    public init(catalog: Catalog, databasePath: String) throws(FeatureError) {
        self.catalog = catalog
        self.databasePath = databasePath
        self.pool = ConnectionPool(path: databasePath)
        self.writer = Mutex(WriterState())
        let directory = (databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw FeatureError(.storage, "cannot create the online store directory \(directory)",
                                       cause: OnlineMessage(error.localizedDescription))
            }
        }
        try writer.withLock { state throws(FeatureError) in
            try openDatabase(&state)
        }
    }

    /// Why the database is not trusted, or nil when it opened and passed its check.
    public var corruption: String? {
        distrust.withLock { $0 }
    }

    func markCorrupt(_ reason: String) {
        distrust.withLock { $0 = $0 ?? reason }
    }

    // MARK: Opening, checking, rebuilding

    /// Opens the writer connection, switches to WAL, checks integrity and the schema of
    /// the publication records. A damaged database sets `corruption` instead of throwing.
    func openDatabase(_ state: inout WriterState) throws(FeatureError) {
        state.connection = nil
        distrust.withLock { $0 = nil }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: databasePath, create: true, busyTimeoutMilliseconds: 60_000)
        } catch {
            if error.isCorruption {
                markCorrupt("the database file is not a readable SQLite database (\(error.message))")
                return
            }
            throw FeatureError(.storage, "cannot open the online database \(databasePath)", cause: error)
        }
        do {
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = NORMAL")
            // A publish rewrites a whole table in one transaction: a page cache that holds it
            // avoids spilling to the WAL mid-transaction and re-reading pages for upserts.
            try connection.execute("PRAGMA cache_size = -131072")
            try connection.execute("PRAGMA temp_store = MEMORY")
            let check = try connection.queryText("PRAGMA quick_check")
            guard check == "ok" else {
                markCorrupt("the integrity check failed: \(check ?? "no answer")")
                return
            }
            let application = try connection.queryInt("PRAGMA application_id") ?? 0
            let tableCount = try connection.queryInt("SELECT count(*) FROM sqlite_master") ?? 0
            if application == 0 && tableCount == 0 {
                try connection.execute("PRAGMA application_id = \(OnlineStore.applicationId)")
            } else if application != OnlineStore.applicationId {
                markCorrupt("the file is a SQLite database but not a Tarn online store (application_id \(application))")
                return
            }
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS \(OnlineStore.publicationsTable) (
                  feature_table TEXT PRIMARY KEY NOT NULL,
                  table_id TEXT NOT NULL,
                  version INTEGER NOT NULL,
                  published_at INTEGER NOT NULL,
                  mode TEXT NOT NULL,
                  max_event_timestamp INTEGER,
                  row_count INTEGER NOT NULL,
                  primary_keys TEXT NOT NULL,
                  timestamp_key TEXT,
                  table_schema TEXT NOT NULL
                )
                """)
        } catch {
            if error.isCorruption {
                markCorrupt("the database is damaged (\(error.message))")
                return
            }
            throw FeatureError(.storage, "cannot prepare the online database \(databasePath)", cause: error)
        }
        state.connection = connection
    }

    /// Deletes the database files and creates an empty database (every table must be
    /// published again). Used by a full publish when the database is not trusted.
    func recreateDatabase(_ state: inout WriterState) throws(FeatureError) {
        state.connection = nil
        pool.reset()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = databasePath + suffix
            if FileManager.default.fileExists(atPath: path) {
                do {
                    try FileManager.default.removeItem(atPath: path)
                } catch {
                    throw FeatureError(.storage, "cannot delete the damaged online database file \(path)",
                                           cause: OnlineMessage(error.localizedDescription))
                }
            }
        }
        try openDatabase(&state)
        if let corruption = self.corruption {
            throw FeatureError(.corrupt, "the recreated online database is still unusable: \(corruption)")
        }
    }

    /// The error lookups and incremental publishes report for an untrusted database.
    func corruptError(_ reason: String, table: String? = nil) -> FeatureError {
        FeatureError(.corrupt,
                         "the online database \(databasePath) is not trusted: \(reason); rebuild it with a full publish (`tarn features publish <table> --mode full`, or OnlineStore.publish(table:mode: .full))",
                         table: table)
    }

    /// Maps a SQLite failure to the store's error, marking the database untrusted when it is damaged.
    func wrap(_ failure: SQLiteFailure, _ what: String, table: String?) -> FeatureError {
        if failure.isCorruption {
            markCorrupt("the database is damaged (\(failure.message))")
            return corruptError("the database is damaged (\(failure.message))", table: table)
        }
        return FeatureError(.storage, what, table: table, cause: failure)
    }

    // MARK: Publication records

    static let selectPublicationSQL = """
        SELECT feature_table, table_id, version, published_at, mode, max_event_timestamp, row_count,
               primary_keys, timestamp_key, table_schema
        FROM _publications WHERE feature_table = ?1
        """
    static let selectPublicationsSQL = """
        SELECT feature_table, table_id, version, published_at, mode, max_event_timestamp, row_count,
               primary_keys, timestamp_key, table_schema
        FROM _publications ORDER BY feature_table
        """

    /// A publication record with the stored schema it was built with.
    struct StoredPublication {
        var state: PublicationState
        var schemaJSON: String
        var schema: Schema
    }

    /// Reads the current row of a publications query.
    static func readPublication(_ stmt: SQLiteStatement) throws(FeatureError) -> StoredPublication {
        let table = stmt.text(0)
        let keysJSON = stmt.text(7)
        let schemaJSON = stmt.text(9)
        let keys: [String]
        do {
            keys = try JSONParser.parse(keysJSON).elements?.compactMap(\.stringValue) ?? []
        } catch {
            throw FeatureError(.corrupt, "the publication record has unreadable primary keys; republish with mode full", table: table, cause: error)
        }
        let schema: Schema
        do {
            schema = try DeltaSchema.parse(schemaJSON)
        } catch {
            throw FeatureError(.corrupt, "the publication record has an unreadable schema; republish with mode full", table: table, cause: error)
        }
        let timestampKey: String? = stmt.isNull(8) ? nil : stmt.text(8)
        var maxEvent: ScalarValue? = nil
        if !stmt.isNull(5), let tsKey = timestampKey, let field = schema.field(named: tsKey) {
            maxEvent = orderingScalar(stmt.int64(5), type: field.type)
        }
        let state = PublicationState(table: table, version: stmt.int64(2), publishedAt: stmt.int64(3),
                                     mode: PublishMode(rawValue: stmt.text(4)) ?? .full, maxEventTimestamp: maxEvent,
                                     rowCount: Int(stmt.int64(6)), primaryKeys: keys, timestampKey: timestampKey,
                                     tableId: stmt.text(1))
        return StoredPublication(state: state, schemaJSON: schemaJSON, schema: schema)
    }

    /// The publication state of `table` (`namespace.table`), or nil when it was never published.
    /// - Throws: `.corrupt` when the database is not trusted; `.storage`.
    public func publicationState(table: String) throws(FeatureError) -> PublicationState? {
        let name = try canonicalName(table)
        return try pool.withConnection { reader throws(FeatureError) in
            try checkTrusted(table: name)
            do throws(SQLiteFailure) {
                return try reader.connection.withStatement(OnlineStore.selectPublicationSQL) { stmt throws(SQLiteFailure) -> PublicationState? in
                    try stmt.bind(1, name)
                    guard try stmt.step() else { return nil }
                    return try? OnlineStore.readPublication(stmt).state
                }
            } catch {
                throw wrap(error, "cannot read the publication state", table: name)
            }
        }
    }

    /// Every published feature table's state, sorted by name.
    public func publications() throws(FeatureError) -> [PublicationState] {
        try pool.withConnection { reader throws(FeatureError) in
            try checkTrusted(table: nil)
            do throws(SQLiteFailure) {
                return try reader.connection.withStatement(OnlineStore.selectPublicationsSQL) { stmt throws(SQLiteFailure) -> [PublicationState] in
                    var out: [PublicationState] = []
                    while try stmt.step() {
                        if let record = try? OnlineStore.readPublication(stmt) { out.append(record.state) }
                    }
                    return out
                }
            } catch {
                throw wrap(error, "cannot read the publication states", table: nil)
            }
        }
    }

    /// Removes `table`'s online copy and publication record (e.g. when the feature table is
    /// dropped). Returns whether it was published. Works on an untrusted database only by
    /// reporting it: rebuild first.
    @discardableResult
    public func unpublish(table: String) throws(FeatureError) -> Bool {
        let name = try canonicalName(table)
        // Removing a dropped table's copy needs no privilege on a table that is gone.
        if (try? catalog.tableExists(TableIdentifier(parsing: name))) == true {
            try authorize(.modify, table: name, action: "UNPUBLISH")
        }
        return try writer.withLock { state throws(FeatureError) -> Bool in
            if let corruption = self.corruption { throw corruptError(corruption, table: name) }
            guard let connection = state.connection else { throw corruptError("the database is not open", table: name) }
            do throws(SQLiteFailure) {
                try connection.execute("BEGIN IMMEDIATE")
                do throws(SQLiteFailure) {
                    let existed = try connection.withStatement("DELETE FROM _publications WHERE feature_table = ?1") { stmt throws(SQLiteFailure) -> Bool in
                        try stmt.bind(1, name)
                        try stmt.run()
                        return connection.changes > 0
                    }
                    connection.clearStatementCache()
                    try connection.execute("DROP TABLE IF EXISTS " + OnlineLayout.quote("features/" + name))
                    try connection.execute("COMMIT")
                    return existed
                } catch {
                    try? connection.execute("ROLLBACK")
                    throw error
                }
            } catch {
                throw wrap(error, "cannot remove the online copy", table: name)
            }
        }
    }

    /// Refuses unless the catalog's principal holds `privilege` on `table` (access control
    /// of TarnTables; denials are audited there).
    /// - Throws: `.accessDenied`; `.invalidArgument` for a bad name.
    func authorize(_ privilege: Privilege, table: String, action: String) throws(FeatureError) {
        let id: TableIdentifier
        do {
            id = try TableIdentifier(parsing: table)
        } catch {
            throw FeatureError(.invalidArgument, "'\(table)' is not a feature table name (namespace.table)", table: table, cause: error)
        }
        do {
            try catalog.access.require(privilege, on: .table(id), action: action)
        } catch {
            throw FeatureError(error, "\(action) needs \(privilege.rawValue) on the table", table: id.description)
        }
    }

    func checkTrusted(table: String?) throws(FeatureError) {
        if let corruption = self.corruption { throw corruptError(corruption, table: table) }
    }

    /// `namespace.table` for a reference (validated).
    func canonicalName(_ table: String) throws(FeatureError) -> String {
        do {
            return try TableIdentifier(parsing: table).description
        } catch {
            throw FeatureError(.invalidArgument, "'\(table)' is not a feature table name (namespace.table)", table: table, cause: error)
        }
    }

    /// An ordering value (raw stored timestamp key) as a scalar of the key's type.
    static func orderingScalar(_ raw: Int64, type: DataType) -> ScalarValue {
        switch type {
        case let .timestamp(zone): return .timestamp(raw, zone)
        case .date32: return .date(Int32(truncatingIfNeeded: raw))
        default: return .int(raw)
        }
    }
}

/// A plain message kept as an error cause (Foundation errors are not Sendable).
struct OnlineMessage: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
