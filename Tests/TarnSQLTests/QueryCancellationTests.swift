// Cooperative cancellation: a query whose QueryContext carries a cancelled flag stops
// with a `.cancelled` SQLError at the next batch boundary (scan, aggregate, sort, join),
// and the same query runs once the flag is reset.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Query cancellation")
struct QueryCancellationTests {
    let fixture: QueryFixture
    init() throws { fixture = try QueryFixture() }

    func run(_ sql: String, cancellation: CancellationFlag) throws -> QueryResult {
        let parsed = try SQLParser.parse(sql)
        guard case let .query(query) = parsed[0].statement else { throw SQLError(.syntax, "not a query") }
        return try QueryRunner.run(query, context: QueryContext(catalog: fixture.catalog, cancellation: cancellation))
    }

    @Test("a cancelled flag stops every kind of pipeline with .cancelled",
          arguments: [
              "SELECT id FROM s.items",
              "SELECT g, count(*) FROM s.items GROUP BY g",
              "SELECT id FROM s.items ORDER BY v DESC LIMIT 3",
              "SELECT id FROM s.items ORDER BY v",
              "SELECT i.id, t.tag FROM s.items i JOIN s.tags t ON i.id = t.id",
          ])
    func cancelledQueryStops(sql: String) throws {
        let flag = CancellationFlag()
        flag.cancel()
        do {
            _ = try run(sql, cancellation: flag)
            Issue.record("expected \(sql) to be cancelled")
        } catch let error as SQLError {
            #expect(error.kind == .cancelled)
        }
        flag.reset()
        #expect(try run(sql, cancellation: flag).rowCount > 0)
    }

    @Test("operators check the execution context's flag between batches")
    func operatorChecksFlag() throws {
        let flag = CancellationFlag()
        flag.cancel()
        let source = CountingSource([try batch([("k", try int64Column([1, 2, 1]))])])
        let aggregate = try HashAggregateOperator(
            input: source, keys: [columnRef(0, .int64, "k")], keyNames: ["k"],
            aggregates: [AggregateCall(function: .countStar, argument: nil, name: "n")],
            context: ExecutionContext(memoryLimitBytes: 1 << 20, parallelism: 1, cancellation: flag))
        #expect(throws: SQLError.self) { _ = try aggregate.next() }
    }
}
