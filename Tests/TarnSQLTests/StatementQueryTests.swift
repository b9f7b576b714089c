// SELECT and EXPLAIN as session statements: results with schema and rows, EXPLAIN as a plan
// result, time travel by timestamp, one `now()` per statement, the memory limit option,
// cancellation, and many versions read back one by one.
import Foundation
import Testing
import TarnColumnar
import TarnSQL
import TarnTables
import TarnTestSupport

@Suite("SQL queries through the session")
struct StatementQueryTests {
    @Test("a SELECT result carries its schema, rows and kind")
    func select() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT, b STRING); INSERT INTO t VALUES (1, 'x'), (2, 'y')")
        let result = try lake.one("SELECT b, a * 10 AS ten FROM t ORDER BY a DESC")
        #expect(result.kind == .query)
        #expect(result.schema.names == ["b", "ten"])
        #expect(result.cellTexts == [["y", "20"], ["x", "10"]])
        #expect(result.statementText == "SELECT b, a * 10 AS ten FROM t ORDER BY a DESC")
    }

    @Test("EXPLAIN returns the plan as text and as a one-column result")
    func explain() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
        let result = try lake.one("EXPLAIN SELECT a FROM t WHERE a > 0")
        #expect(result.kind == .plan)
        #expect(result.schema.names == ["plan"])
        let plan = try #require(result.message)
        #expect(plan.lowercased().contains("scan"), "\(plan)")
    }

    @Test("TIMESTAMP AS OF picks the version committed at or before the instant")
    func timestampAsOf() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
        let history = try lake.table("default.t").history()
        let first = try #require(history.last(where: { $0.version == 1 }))
        try lake.run("INSERT INTO t VALUES (2)")
        let text = TemporalFormat.timestamp(first.timestamp * 1000, zone: .utc)
        #expect(try lake.rows("SELECT count(*) FROM t TIMESTAMP AS OF '\(text)'") == [["1"]])
        #expect(try lake.rows("SELECT count(*) FROM t") == [["2"]])
    }

    @Test("a table with many versions reads back every version")
    func manyVersions() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        for i in 1...12 { try lake.run("INSERT INTO t VALUES (\(i))") }
        try lake.run("DELETE FROM t WHERE a % 2 = 0")                          // v13
        for version in [1, 5, 12] {
            #expect(try lake.rows("SELECT count(*), max(a) FROM t VERSION AS OF \(version)") == [["\(version)", "\(version)"]])
        }
        #expect(try lake.rows("SELECT count(*) FROM t@v13") == [["6"]])
    }

    @Test("now() is the same in every row and comes from the session clock")
    func fixedNow() throws {
        let directory = try TemporaryDirectory("tarn-sql-now")
        defer { directory.remove() }
        var options = SQLSession.Options()
        options.clock = { 1_767_225_600_000_000 }  // 2026-01-01 00:00:00 UTC
        let session = try SQLSession(root: directory.path, options: options)
        _ = try session.execute("CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2), (3)")
        let result = try #require(try session.execute("SELECT DISTINCT now() FROM t").last)
        #expect(result.cellTexts == [["2026-01-01T00:00:00.000000Z"]])
    }

    @Test("a query over the memory limit fails with memoryLimit")
    func memoryLimit() throws {
        let directory = try TemporaryDirectory("tarn-sql-memory")
        defer { directory.remove() }
        var options = SQLSession.Options()
        options.memoryLimit = 1024
        let session = try SQLSession(root: directory.path, options: options)
        let rows = (0..<2000).map { "(\($0), 'name-\($0)')" }.joined(separator: ", ")
        _ = try session.execute("CREATE TABLE t (a INT, b STRING); INSERT INTO t VALUES \(rows)")
        #expect(throws: SQLError.self) { try session.execute("SELECT b, count(*) FROM t GROUP BY b") }
        do {
            _ = try session.execute("SELECT b, count(*) FROM t GROUP BY b")
        } catch {
            #expect(error.kind == .memoryLimit)
        }
    }

    @Test("a cancelled session statement stops with the cancelled kind")
    func cancellation() throws {
        let directory = try TemporaryDirectory("tarn-sql-cancel")
        defer { directory.remove() }
        let flag = CancellationFlag()
        var options = SQLSession.Options()
        options.cancellation = flag
        let session = try SQLSession(root: directory.path, options: options)
        _ = try session.execute("CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")
        let statements = try session.parse("SELECT * FROM t")
        flag.cancel()
        // The session resets the flag when a statement starts, so a stale request from an
        // earlier Ctrl-C does not cancel the next statement.
        #expect(try session.execute(statements[0]).rowCount == 1)
        #expect(flag.isCancelled == false)
        flag.cancel()
        #expect(throws: SQLError.self) { try flag.check() }
    }
}
