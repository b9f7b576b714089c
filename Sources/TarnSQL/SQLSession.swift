// SQLSession: runs SQL text against one lakehouse root — parses the whole text first (a
// syntax error anywhere runs nothing), then executes the statements in order, stopping at
// the first error. Holds no mutable state, so one session may serve several threads;
// every statement gets its own fixed `now` and its own memory budget.
import Foundation
import Synchronization
import TarnColumnar
import TarnExpression
import TarnTables

public final class SQLSession: Sendable {
    public struct Options: Sendable {
        /// The namespace of unqualified table names.
        public var defaultNamespace = "default"
        /// Bytes the operators of one query may hold (hash tables, sort buffers); nil: the
        /// engine's default (a quarter of physical memory, at least 256 MiB).
        public var memoryLimit: Int?
        /// Threads a query may use; nil: all cores.
        public var parallelism: Int?
        /// VACUUM refuses a retention shorter than the table's (Delta's retention check).
        public var vacuumRetentionCheck = true
        /// The clock of `now()`/`current_timestamp`, read once per statement (µs since the epoch).
        public var clock: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)) }
        /// Set to cancel the running statement (the shell's Ctrl-C); checked between batches.
        public var cancellation: CancellationFlag?

        public init() {}
    }

    public let root: String
    public let options: Options
    public let catalog: Catalog

    /// A session over the lakehouse directory `root` (created when missing).
    public init(root: String, options: Options = Options()) throws(SQLError) {
        // An absolute, normalized root: locations shown by DESCRIBE DETAIL read cleanly.
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        self.root = absolute
        self.options = options
        do {
            catalog = try Catalog(root: absolute)
        } catch {
            throw SQLError(.io, "cannot open the lakehouse root \(root): \(error.message)", cause: error)
        }
    }

    /// A session over a catalog on any store (tests use an in-memory one).
    public init(catalog: Catalog, options: Options = Options()) {
        self.root = catalog.root
        self.options = options
        self.catalog = catalog
    }

    /// Parses `text` into statements (nothing runs).
    public func parse(_ text: String) throws(SQLError) -> [ParsedStatement] {
        do {
            return try SQLParser.parse(text)
        } catch {
            var error = error
            if error.statementText == nil { error.statementText = text }
            throw error
        }
    }

    /// Runs every statement of `text` in order and returns their results.
    /// - Throws: the first statement's error (statements before it have run and committed).
    public func execute(_ text: String) throws(SQLError) -> [StatementResult] {
        var results: [StatementResult] = []
        try execute(text) { results.append($0) }
        return results
    }

    /// Runs every statement of `text`, handing each result to `body` as soon as it is ready.
    /// With `rows`, the rows of queries are handed over batch by batch as they are produced
    /// instead of being collected (see `execute(_:rows:)`), so a large result is never held whole.
    public func execute(_ text: String, rows: ((Schema, RecordBatch) -> Void)? = nil,
                        each body: (StatementResult) -> Void) throws(SQLError) {
        for statement in try parse(text) {
            body(try execute(statement, rows: rows))
        }
    }

    /// Runs one parsed statement. With `rows`, a query's batches go to it as they are produced
    /// and the result holds none (its `streamedRows` counts them); other statements are unaffected.
    public func execute(_ parsed: ParsedStatement, rows: ((Schema, RecordBatch) -> Void)? = nil) throws(SQLError) -> StatementResult {
        options.cancellation?.reset()
        let clock = ContinuousClock()
        let started = clock.now
        let context = StatementContext(catalog: catalog, options: options, statementText: parsed.text,
                                       location: parsed.location, nowMicros: options.clock())
        do {
            var result = try StatementExecutor.execute(parsed.statement, context: context, rows: rows)
            result.elapsed = clock.now - started
            result.statementText = parsed.text
            return result
        } catch {
            throw error.within(statement: parsed.text, at: parsed.location)
        }
    }
}

/// A cancellation request shared between the one who cancels (a signal handler, another
/// thread) and the running statement, which checks it between batches.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// - Throws: `.cancelled` when cancellation was requested.
    public func check() throws(SQLError) {
        if isCancelled { throw SQLError(.cancelled, "the statement was cancelled") }
    }
}
