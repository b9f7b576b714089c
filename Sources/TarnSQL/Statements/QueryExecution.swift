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
                     parallelism: context.options.parallelism, defaultNamespace: context.options.defaultNamespace, cancellation: context.options.cancellation)
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

    /// Runs `query`, handing each non-empty batch to `consume` as the engine produces it
    /// (nothing is kept); returns the schema and the number of rows.
    static func stream(_ query: Query, context: StatementContext,
                       consume: (Schema, RecordBatch) -> Void) throws(SQLError) -> (schema: Schema, rows: Int) {
        let stream = try QueryRunner.open(query, context: queryContext(context))
        var rows = 0
        while let batch = try stream.next() {
            try context.options.cancellation?.check()
            guard batch.rowCount > 0 else { continue }
            rows += batch.rowCount
            consume(stream.schema, batch)
        }
        try context.options.cancellation?.check()
        return (stream.schema, rows)
    }

    /// The plan of `query` as text (EXPLAIN).
    static func explain(_ query: Query, context: StatementContext) throws(SQLError) -> String {
        try QueryRunner.explain(query, context: queryContext(context))
    }
}
