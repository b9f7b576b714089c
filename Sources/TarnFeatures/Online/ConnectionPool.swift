// ConnectionPool: the online store's reader connections — each lookup borrows one
// connection for its thread, so readers run in parallel with each other and with a
// publish (WAL). Owns connection reuse and per-connection caches (layouts, lookup plans,
// prepared statements); must never hand one connection to two threads at once.
import Synchronization
import TarnColumnar

/// A reader connection with the caches that belong to it.
final class ReaderConnection: @unchecked Sendable {
    // SAFETY (@unchecked): a ReaderConnection is used by one thread at a time — the pool
    // hands it out under its lock and takes it back when the borrower is done.
    let connection: SQLiteConnection
    let generation: Int
    /// `PRAGMA schema_version` when the caches were filled; a publish that rebuilds a
    /// table (or a schema change from another process) changes it and drops the caches.
    var schemaVersion: Int64 = -1
    var plans: [String: LookupPlan] = [:]
    /// When (uptime ns) the caller's SELECT on a table was last checked on this connection.
    var authorizedAt: [String: UInt64] = [:]

    init(connection: SQLiteConnection, generation: Int) {
        self.connection = connection
        self.generation = generation
    }

    /// Drops cached plans and statements when the database schema changed since they were made.
    func refreshIfSchemaChanged() throws(SQLiteFailure) {
        if schemaStatement == nil { schemaStatement = try connection.prepare("PRAGMA schema_version", persistent: true) }
        guard let stmt = schemaStatement else { return }
        defer { stmt.reset() }
        let version = try stmt.step() ? stmt.int64(0) : 0
        if version != schemaVersion {
            plans.removeAll()
            connection.clearStatementCache()
            schemaVersion = version
        }
    }

    /// `PRAGMA schema_version`, prepared once (kept apart from the statement cache, which a
    /// schema change clears).
    private var schemaStatement: SQLiteStatement?
}

final class ConnectionPool: Sendable {
    let path: String
    private struct State {
        var idle: [ReaderConnection] = []
        var generation = 0
    }

    private let state = Mutex(State())
    /// Connections kept open when idle; more may be open while many threads read.
    let maximumIdle: Int

    init(path: String, maximumIdle: Int = 16) {
        self.path = path
        self.maximumIdle = maximumIdle
    }

    /// Runs `body` with a connection of its own.
    func withConnection<R>(_ body: (ReaderConnection) throws(FeatureError) -> R) throws(FeatureError) -> R {
        let borrowed = state.withLock { s -> (ReaderConnection?, Int) in
            (s.idle.popLast(), s.generation)
        }
        let connection: ReaderConnection
        if let reused = borrowed.0 {
            connection = reused
        } else {
            do {
                connection = ReaderConnection(connection: try SQLiteConnection(path: path, create: false), generation: borrowed.1)
            } catch {
                throw FeatureError(error.isCorruption ? .corrupt : .storage,
                                       "cannot open the online database \(path); publish a table with mode full to (re)create it",
                                       cause: error)
            }
        }
        defer {
            state.withLock { s in
                if connection.generation == s.generation && s.idle.count < maximumIdle && !connection.connection.inTransaction {
                    s.idle.append(connection)
                }
            }
        }
        return try body(connection)
    }

    /// Forgets every idle connection; connections in use are closed when returned.
    func reset() {
        let dropped = state.withLock { s -> [ReaderConnection] in
            s.generation += 1
            let idle = s.idle
            s.idle = []
            return idle
        }
        _ = dropped  // closed here, outside the lock
    }
}
