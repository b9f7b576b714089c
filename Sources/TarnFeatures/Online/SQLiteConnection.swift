// SQLiteConnection / SQLiteStatement: the small unsafe handles around SQLite's C API
// (sqlite3* and sqlite3_stmt*) that the online store uses. They own the handles' lifetimes
// (finalize / close in deinit) and the statement cache; they must never be used by two
// threads at once (the pool and the publish lock hand a connection to one thread) and
// never hold feature-store logic.
import CSQLite

/// A failed SQLite call: the result code, SQLite's message and the SQL involved.
/// Internal: the online store wraps it as the cause of an `FeatureError`.
struct SQLiteFailure: Error, Sendable, CustomStringConvertible {
    var code: Int32
    var message: String
    var sql: String?

    var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.count > 160 ? String(sql.prefix(160)) + "…" : sql))" }
        return text
    }

    /// The primary result code (the low byte of an extended code).
    var primaryCode: Int32 { code & 0xFF }

    /// Whether the failure says the file is not a database or is damaged (a short read
    /// means the file is truncated).
    var isCorruption: Bool {
        primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB || code == (SQLITE_IOERR | (2 << 8))  // SQLITE_IOERR_SHORT_READ
    }
}

/// SQLite's "copy the bytes now" destructor sentinel (the C macro SQLITE_TRANSIENT).
/// SAFETY: SQLite compares this pointer value with -1 and never calls it.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection to the online database. Not thread-safe by itself: a connection is
/// owned by one thread at a time (see `ConnectionPool`), which is what `@unchecked` means.
final class SQLiteConnection: @unchecked Sendable {
    let path: String
    // SAFETY: a valid sqlite3* from sqlite3_open_v2 from init until deinit closes it;
    // never shared with another object and never used after close.
    private let handle: OpaquePointer
    /// Prepared statements by SQL text, prepared once and reused (reset after each use).
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating when `create`) the database at `path` with a busy timeout.
    init(path: String, create: Bool, busyTimeoutMilliseconds: Int32 = 5000) throws(SQLiteFailure) {
        var db: OpaquePointer? = nil
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open the database"
            // SAFETY: sqlite3_open_v2 may return a handle even on failure; it must be closed.
            if let db { sqlite3_close_v2(db) }
            throw SQLiteFailure(code: rc, message: message, sql: nil)
        }
        self.path = path
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        // Statements must be finalized before the connection closes.
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    private func failure(_ rc: Int32, sql: String?) -> SQLiteFailure {
        SQLiteFailure(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows (DDL, pragmas, BEGIN/COMMIT).
    func execute(_ sql: String) throws(SQLiteFailure) {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            // SAFETY: the message was allocated by SQLite for us and is freed exactly once.
            sqlite3_free(errorMessage)
            throw SQLiteFailure(code: rc, message: message, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, preparing it on first use. The caller
    /// resets it after use (`SQLiteStatement.reset()`), which `withStatement` does.
    func statement(_ sql: String) throws(SQLiteFailure) -> SQLiteStatement {
        if let cached = cache[sql] { return cached }
        let prepared = try prepare(sql, persistent: true)
        cache[sql] = prepared
        return prepared
    }

    /// A statement prepared for one use (not cached), finalized when released.
    func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteFailure) -> SQLiteStatement {
        var stmt: OpaquePointer? = nil
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(handle, sql, -1, flags, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw failure(rc, sql: sql)
        }
        return SQLiteStatement(handle: stmt, sql: sql)
    }

    /// Drops every cached statement (after a schema change, or to release table locks).
    func clearStatementCache() {
        cache.removeAll()
    }

    /// Runs `body` with the cached statement for `sql`, resetting it afterwards.
    func withStatement<R>(_ sql: String, _ body: (SQLiteStatement) throws(SQLiteFailure) -> R) throws(SQLiteFailure) -> R {
        let stmt = try statement(sql)
        defer { stmt.reset() }
        return try body(stmt)
    }

    /// The single integer a query returns (nil when it returns no row or NULL).
    func queryInt(_ sql: String) throws(SQLiteFailure) -> Int64? {
        try withStatement(sql) { stmt throws(SQLiteFailure) in
            guard try stmt.step(), !stmt.isNull(0) else { return nil }
            return stmt.int64(0)
        }
    }

    /// The single text a query returns (nil when no row or NULL).
    func queryText(_ sql: String) throws(SQLiteFailure) -> String? {
        let stmt = try prepare(sql)
        guard try stmt.step(), !stmt.isNull(0) else { return nil }
        return stmt.text(0)
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE of this connection.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether the connection is inside an explicit transaction.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

/// One prepared statement. Owned by its connection's cache (or by the caller for a
/// one-off statement); used by the connection's current thread only.
final class SQLiteStatement: @unchecked Sendable {
    // SAFETY: a valid sqlite3_stmt* from sqlite3_prepare_v3 until deinit finalizes it;
    // column/parameter indexes are checked by SQLite itself (out of range → SQLITE_RANGE
    // for binds, NULL/0 for column reads), so no access here can read out of bounds.
    private let handle: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    private func check(_ rc: Int32) throws(SQLiteFailure) {
        guard rc == SQLITE_OK else {
            throw SQLiteFailure(code: rc, message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
        }
    }

    // MARK: Binding (1-based parameter indexes, as in SQLite)

    func bindNull(_ index: Int32) throws(SQLiteFailure) {
        try check(sqlite3_bind_null(handle, index))
    }

    func bind(_ index: Int32, _ value: Int64) throws(SQLiteFailure) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Double) throws(SQLiteFailure) {
        try check(sqlite3_bind_double(handle, index, value))
    }

    func bind(_ index: Int32, _ value: String) throws(SQLiteFailure) {
        var text = value
        let rc = text.withUTF8 { utf8 in
            // SAFETY: SQLITE_TRANSIENT makes SQLite copy the bytes before returning, so the
            // buffer only needs to live for this call.
            sqlite3_bind_text(handle, index, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                              Int32(utf8.count), transientDestructor)
        }
        try check(rc)
    }

    /// Binds UTF-8 text (or a blob when `blob`) from raw bytes; SQLite copies them.
    func bind(_ index: Int32, bytes: UnsafeRawBufferPointer, blob: Bool) throws(SQLiteFailure) {
        let rc: Int32
        if blob {
            // SAFETY: SQLITE_TRANSIENT copies; a zero-length blob is bound as an empty blob.
            rc = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
                : sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), transientDestructor)
        } else if bytes.isEmpty {
            rc = sqlite3_bind_text(handle, index, "", 0, transientDestructor)
        } else {
            // SAFETY: as above; the length is passed, so no NUL terminator is needed.
            rc = sqlite3_bind_text(handle, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                                   Int32(bytes.count), transientDestructor)
        }
        try check(rc)
    }

    // MARK: Stepping

    /// Steps once: true when a row is available, false when done.
    func step() throws(SQLiteFailure) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw SQLiteFailure(code: rc, message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteFailure) {
        while try step() {}
    }

    /// Resets for the next use and clears the bindings.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Reading the current row (0-based column indexes)

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    func double(_ index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    func text(_ index: Int32) -> String {
        // SAFETY: column_text returns a pointer valid until the next step/reset; it is
        // copied into a String here. column_bytes is called after column_text as SQLite
        // documents, so the length matches the UTF-8 form.
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Calls `body` with the bytes of a text or blob column (valid only during the call).
    func withBytes<R>(_ index: Int32, blob: Bool, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        // SAFETY: the pointer SQLite returns stays valid until the next step/reset/finalize,
        // none of which can happen during `body`; the length comes from column_bytes called
        // after the pointer conversion, as SQLite requires.
        let pointer: UnsafeRawPointer? = blob ? sqlite3_column_blob(handle, index) : sqlite3_column_text(handle, index).map { UnsafeRawPointer($0) }
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let pointer, count > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
