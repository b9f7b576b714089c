// QueryRunner: the entry points statements call for SELECT, INSERT … SELECT, CTAS and
// MERGE … USING (subquery) — plan a Query against a QueryContext, then stream, collect
// or explain it. Owns the QueryContext defaults (memory limit, parallelism, fixed now).
import Foundation
import TarnColumnar
import TarnTables

/// What a query runs against: the catalog, the statement's fixed "now", limits.
public struct QueryContext: Sendable {
    public var catalog: Catalog
    /// The lakehouse root (for messages; the catalog holds the store).
    public var root: String
    /// now() / current_timestamp for the whole statement, µs since the epoch (UTC).
    public var now: Int64
    /// Bytes that hash tables, join build sides and sort buffers may hold together.
    public var memoryLimitBytes: Int
    /// Threads used for scans.
    public var parallelism: Int
    /// The namespace of unqualified table names.
    public var defaultNamespace: String
    /// Checked by scans, aggregation, joins and sorts between batches: a cancelled query
    /// stops with a `.cancelled` SQLError.
    public var cancellation: CancellationFlag?

    public static let defaultMemoryLimit = 4 << 30

    public init(catalog: Catalog, root: String? = nil, now: Int64? = nil, memoryLimitBytes: Int = QueryContext.defaultMemoryLimit,
                parallelism: Int? = nil, defaultNamespace: String = "default", cancellation: CancellationFlag? = nil) {
        self.catalog = catalog
        self.root = root ?? catalog.root
        self.now = now ?? Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
        self.memoryLimitBytes = memoryLimitBytes
        self.parallelism = max(1, parallelism ?? ProcessInfo.processInfo.activeProcessorCount)
        self.defaultNamespace = defaultNamespace
        self.cancellation = cancellation
    }
}

/// A query's whole result.
public struct QueryResult: Sendable {
    public var schema: Schema
    public var batches: [RecordBatch]

    public init(schema: Schema, batches: [RecordBatch]) {
        self.schema = schema
        self.batches = batches
    }

    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }
}

public enum QueryRunner {
    /// Plans and runs `query`, collecting every batch.
    public static func run(_ query: Query, context: QueryContext) throws(SQLError) -> QueryResult {
        let stream = try open(query, context: context)
        return QueryResult(schema: stream.schema, batches: try stream.drain())
    }

    /// Plans `query` and returns its output stream (pull batches with `next()`).
    public static func open(_ query: Query, context: QueryContext) throws(SQLError) -> any PhysicalOperator {
        try QueryPlanner(context: context).plan(query)
    }

    /// The plan tree of `query`, with each scan's files and row groups total and skipped.
    /// Reads Delta logs and Parquet footers, no data.
    public static func explain(_ query: Query, context: QueryContext) throws(SQLError) -> String {
        let plan = try QueryPlanner(context: context).plan(query)
        return plan.explainText()
    }
}
