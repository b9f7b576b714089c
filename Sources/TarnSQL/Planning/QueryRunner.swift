// QueryRunner: the entry points statements call for SELECT, INSERT … SELECT, CTAS and
// MERGE … USING (subquery) — run the subqueries inside its expressions, plan a Query
// against a QueryContext, then stream, collect or explain it. Owns the QueryContext defaults (memory limit, parallelism, fixed now).
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

    /// Plans `query` and returns its output stream (pull batches with `next()`). Subqueries
    /// inside its expressions run here, once each, before the stream is returned.
    public static func open(_ query: Query, context: QueryContext) throws(SQLError) -> any PhysicalOperator {
        try prepare(query, context: context, explainOnly: false).plan
    }

    /// The plan tree of `query`, with each scan's files and row groups total and skipped,
    /// followed by the plans of the subqueries inside its expressions.
    /// Reads Delta logs and Parquet footers, no data.
    public static func explain(_ query: Query, context: QueryContext) throws(SQLError) -> String {
        let prepared = try prepare(query, context: context, explainOnly: true)
        return prepared.plan.explainText() + prepared.subqueries.joined()
    }

    /// Runs the subqueries inside `query`'s expressions (or, explaining, plans them and
    /// puts placeholders of their types in place), then plans the query with the memory
    /// limit less what their results hold.
    static func prepare(_ query: Query, context: QueryContext,
                        explainOnly: Bool) throws(SQLError) -> (plan: any PhysicalOperator, subqueries: [String]) {
        let resolver = SubqueryResolver(context: context, explainOnly: explainOnly)
        let resolved = try resolver.resolve(query)
        var remaining = context
        remaining.memoryLimitBytes = max(0, context.memoryLimitBytes - resolver.heldBytes)
        return (try QueryPlanner(context: remaining).plan(resolved), resolver.explained)
    }

    /// `statement` (DELETE, UPDATE or MERGE) with the subqueries in its conditions and
    /// values run once and replaced by their results; other statements are returned as is.
    static func resolvingSubqueries(_ statement: Statement, context: QueryContext) throws(SQLError) -> Statement {
        try SubqueryResolver(context: context).resolve(statement)
    }
}
