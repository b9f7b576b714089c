// QueryExecution: the one place statements hand a Query to the engine (QueryRunner) — for
// SELECT, EXPLAIN, INSERT … SELECT/VALUES, CTAS and MERGE sources — with the statement's
// fixed `now`, memory limit, parallelism and default namespace. Pulls the result batch by
// batch so a cancellation request stops it between batches. Owns no planning itself.
import TarnColumnar
import TarnExpression
import TarnTables

enum QueryExecution {
    static func queryContext(_ context: StatementContext) -> QueryContext {
        QueryContext(catalog: context.catalog, root: context.catalog.root, now: context.nowMicros,
                     memoryLimitBytes: context.options.memoryLimit ?? QueryContext.defaultMemoryLimit,
                     parallelism: context.options.parallelism, defaultNamespace: context.options.defaultNamespace)
    }

    /// Runs `query`; the rows come back materialized (schema + non-empty batches).
    static func run(_ query: Query, context: StatementContext) throws(SQLError) -> (schema: Schema, batches: [RecordBatch]) {
        let stream = try QueryRunner.open(query, context: queryContext(context))
        var batches: [RecordBatch] = []
        while let batch = try stream.next() {
            try context.options.cancellation?.check()
            if batch.rowCount > 0 { batches.append(batch) }
        }
        try context.options.cancellation?.check()
        return (stream.schema, batches)
    }

    /// The plan of `query` as text (EXPLAIN).
    static func explain(_ query: Query, context: StatementContext) throws(SQLError) -> String {
        try QueryRunner.explain(query, context: queryContext(context))
    }
}
