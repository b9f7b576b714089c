// WindowFunctionTests: row_number, rank, dense_rank, lag/lead, first_value/last_value and
// the aggregates with OVER (PARTITION BY … ORDER BY …) — default frames (peers included),
// ROWS frames, NULLs in keys and values, several windows in one query, interplay with GROUP
// BY / DISTINCT / ORDER BY / LIMIT, errors with positions, and printing back.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

@Suite("SQL: window functions")
struct WindowFunctionTests {
    /// s(g, o, v): a 1 10 / a 2 20 / a 2 5 / a 3 NULL / b 1 7 / b NULL 1 / NULL 1 100.
    static func lakehouse() throws -> StatementLakehouse {
        let lake = try StatementLakehouse("tarn-windows")
        try lake.run("""
            CREATE TABLE s (g STRING, o BIGINT, v BIGINT);
            INSERT INTO s VALUES ('a', 1, 10), ('a', 2, 20), ('a', 2, 5), ('a', 3, NULL), ('b', 1, 7), ('b', NULL, 1), (NULL, 1, 100);
            """)
        return lake
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let sql: String
        let rows: [[String]]
        var testDescription: String { sql }
    }

    static let cases: [Case] = [
        Case(sql: "SELECT g, o, v, row_number() OVER (PARTITION BY g ORDER BY o, v) AS n FROM s ORDER BY g NULLS FIRST, n",
             rows: [["NULL", "1", "100", "1"], ["a", "1", "10", "1"], ["a", "2", "5", "2"], ["a", "2", "20", "3"], ["a", "3", "NULL", "4"],
                    ["b", "1", "7", "1"], ["b", "NULL", "1", "2"]]),
        Case(sql: "SELECT g, o, rank() OVER (PARTITION BY g ORDER BY o) AS r, dense_rank() OVER (PARTITION BY g ORDER BY o) AS d FROM s WHERE g = 'a' ORDER BY o, r",
             rows: [["a", "1", "1", "1"], ["a", "2", "2", "2"], ["a", "2", "2", "2"], ["a", "3", "4", "3"]]),
        // The default frame with ORDER BY includes the current row's peers.
        Case(sql: "SELECT o, sum(v) OVER (ORDER BY o) FROM s WHERE g = 'a' ORDER BY o, 2",
             rows: [["1", "10"], ["2", "35"], ["2", "35"], ["3", "35"]]),
        Case(sql: "SELECT o, v, sum(v) OVER (ORDER BY o, v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "10"], ["2", "5", "15"], ["2", "20", "35"], ["3", "NULL", "35"]]),
        Case(sql: "SELECT o, v, sum(v) OVER (ORDER BY o, v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "10"], ["2", "5", "15"], ["2", "20", "25"], ["3", "NULL", "20"]]),
        // Without ORDER BY the frame is the whole partition.
        Case(sql: "SELECT g, v, count(*) OVER (PARTITION BY g), count(v) OVER (PARTITION BY g), avg(v) OVER (PARTITION BY g) FROM s WHERE g = 'a' ORDER BY v NULLS FIRST",
             rows: [["a", "NULL", "4", "3", "11.666666666666666"], ["a", "5", "4", "3", "11.666666666666666"],
                    ["a", "10", "4", "3", "11.666666666666666"], ["a", "20", "4", "3", "11.666666666666666"]]),
        Case(sql: "SELECT g, min(v) OVER (PARTITION BY g), max(v) OVER (PARTITION BY g) FROM s WHERE o = 1 ORDER BY g NULLS LAST",
             rows: [["a", "10", "10"], ["b", "7", "7"], ["NULL", "100", "100"]]),
        Case(sql: "SELECT o, v, min(v) OVER (ORDER BY o, v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), max(v) OVER (ORDER BY o, v) FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "10", "10"], ["2", "5", "5", "10"], ["2", "20", "5", "20"], ["3", "NULL", "20", "20"]]),
        // lag / lead with offsets and defaults, NULL values kept.
        Case(sql: "SELECT o, v, lag(v) OVER (ORDER BY o, v), lead(v, 2, -1) OVER (ORDER BY o, v) FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "NULL", "20"], ["2", "5", "10", "NULL"], ["2", "20", "5", "-1"], ["3", "NULL", "20", "-1"]]),
        Case(sql: "SELECT g, o, lag(o, 1, 0) OVER (PARTITION BY g ORDER BY o NULLS FIRST) FROM s WHERE g = 'b' ORDER BY o NULLS FIRST",
             rows: [["b", "NULL", "0"], ["b", "1", "NULL"]]),
        // first_value / last_value over the default frame (last_value sees the current peers).
        Case(sql: "SELECT o, v, first_value(v) OVER (ORDER BY o, v DESC), last_value(v) OVER (ORDER BY o) FROM s WHERE g = 'a' ORDER BY o, v DESC NULLS LAST",
             rows: [["1", "10", "10", "10"], ["2", "20", "10", "5"], ["2", "5", "10", "5"], ["3", "NULL", "10", "NULL"]]),
        // DESC and NULLS FIRST in the window's ORDER BY.
        Case(sql: "SELECT o, row_number() OVER (ORDER BY o DESC NULLS FIRST) AS n FROM s WHERE g = 'b' ORDER BY n",
             rows: [["NULL", "1"], ["1", "2"]]),
        // After GROUP BY: windows over aggregates; then ORDER BY and LIMIT.
        Case(sql: "SELECT g, sum(v) AS t, rank() OVER (ORDER BY sum(v) DESC) AS r FROM s GROUP BY g ORDER BY r LIMIT 2",
             rows: [["NULL", "100", "1"], ["a", "35", "2"]]),
        Case(sql: "SELECT DISTINCT g, count(*) OVER (PARTITION BY g) FROM s ORDER BY g NULLS LAST",
             rows: [["a", "4"], ["b", "2"], ["NULL", "1"]]),
        Case(sql: "SELECT g, v FROM s WHERE g IS NOT NULL ORDER BY row_number() OVER (PARTITION BY g ORDER BY v DESC NULLS LAST), g LIMIT 2",
             rows: [["a", "20"], ["b", "7"]]),
        Case(sql: "SELECT v * 2 + row_number() OVER (ORDER BY v) FROM s WHERE g = 'b' ORDER BY 1", rows: [["3"], ["16"]]),
        Case(sql: "SELECT sum(v) OVER (PARTITION BY g ORDER BY o ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM s WHERE g = 'b'",
             rows: [["8"], ["8"]]),
        // ROWS frames reaching forward: centred, and to the partition's end.
        Case(sql: "SELECT o, v, sum(v) OVER (ORDER BY o, v ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY o, v ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "15", "4"], ["2", "5", "35", "3"], ["2", "20", "25", "2"], ["3", "NULL", "20", "1"]]),
        Case(sql: "SELECT o, v, max(v) OVER (ORDER BY o, v ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING), last_value(v) OVER (ORDER BY o, v ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING) FROM s WHERE g = 'a' ORDER BY o, v NULLS LAST",
             rows: [["1", "10", "10", "20"], ["2", "5", "20", "NULL"], ["2", "20", "20", "NULL"], ["3", "NULL", "NULL", "NULL"]]),
        // RANGE frames from the current row's peers.
        Case(sql: "SELECT o, sum(v) OVER (ORDER BY o RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), count(*) OVER (ORDER BY o RANGE BETWEEN CURRENT ROW AND CURRENT ROW) FROM s WHERE g = 'a' ORDER BY o",
             rows: [["1", "35", "1"], ["2", "25", "2"], ["2", "25", "2"], ["3", "NULL", "1"]]),
        // IGNORE NULLS: forward fill, and lag/lead/first_value skipping NULL values.
        Case(sql: "SELECT o, v, last_value(v IGNORE NULLS) OVER (ORDER BY o DESC, v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM s WHERE g = 'a' ORDER BY o, v",
             rows: [["1", "10", "10"], ["2", "5", "5"], ["2", "20", "20"], ["3", "NULL", "NULL"]]),
        Case(sql: "SELECT o, v, lag(v IGNORE NULLS) OVER (ORDER BY o DESC, v), lead(v) IGNORE NULLS OVER (ORDER BY o DESC, v), first_value(v IGNORE NULLS) OVER (ORDER BY o DESC, v) FROM s WHERE g = 'a' ORDER BY o DESC, v",
             rows: [["3", "NULL", "NULL", "5", "NULL"], ["2", "5", "NULL", "20", "5"], ["2", "20", "5", "10", "5"], ["1", "10", "20", "NULL", "5"]]),
        // percent_rank, cume_dist (peers share the larger fraction) and ntile (first buckets larger).
        Case(sql: "SELECT o, percent_rank() OVER (ORDER BY o), cume_dist() OVER (ORDER BY o), ntile(3) OVER (ORDER BY o, v) FROM s WHERE g = 'a' ORDER BY o, v",
             rows: [["1", "0.0", "0.25", "1"], ["2", "0.3333333333333333", "0.75", "1"], ["2", "0.3333333333333333", "0.75", "2"],
                    ["3", "1.0", "1.0", "3"]]),
        Case(sql: "SELECT ntile(5) OVER (ORDER BY v) AS b FROM s WHERE g = 'b' ORDER BY b", rows: [["1"], ["2"]]),
    ]

    @Test("window functions give SQL's answers", arguments: cases)
    func answers(_ c: Case) throws {
        let lake = try Self.lakehouse()
        #expect(try lake.rows(c.sql) == c.rows)
    }

    @Test("a window function in WHERE, GROUP BY or HAVING is an error at the call")
    func placement() throws {
        let lake = try Self.lakehouse()
        let inWhere = try lake.failure("SELECT g FROM s WHERE row_number() OVER (ORDER BY o) = 1")
        #expect(inWhere.message.contains("only allowed in the select list and ORDER BY"), "\(inWhere.message)")
        #expect(inWhere.location?.column == 23)
        let inGroup = try lake.failure("SELECT count(*) FROM s GROUP BY rank() OVER (ORDER BY o)")
        #expect(inGroup.message.contains("window function"), "\(inGroup.message)")
        let inHaving = try lake.failure("SELECT g FROM s GROUP BY g HAVING sum(v) OVER () > 1")
        #expect(inHaving.message.contains("window function"), "\(inHaving.message)")
    }

    @Test("unsupported frames, functions and argument lists are refused at the call", arguments: [
        ("SELECT sum(v) OVER (ORDER BY o ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) FROM s", "is not supported"),
        ("SELECT sum(v) OVER (ORDER BY o ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM s", "is not supported"),
        ("SELECT sum(v) OVER (ORDER BY o RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM s", "is not supported"),
        ("SELECT lower(g) OVER (ORDER BY o) FROM s", "lower is not supported as a window function"),
        ("SELECT row_number(v) OVER (ORDER BY o) FROM s", "row_number takes no arguments"),
        ("SELECT lag(v, -1) OVER (ORDER BY o) FROM s", "offset of lag"),
        ("SELECT ntile(0) OVER (ORDER BY o) FROM s", "positive whole number of buckets"),
        ("SELECT sum(v IGNORE NULLS) OVER (ORDER BY o) FROM s", "IGNORE NULLS is supported for lag"),
        ("SELECT count(DISTINCT v) OVER () FROM s", "DISTINCT in a window function"),
        ("SELECT sum(g) OVER () FROM s", "numeric"),
        ("SELECT sum(row_number() OVER ()) OVER () FROM s", "cannot be nested"),
    ])
    func refused(_ sql: String, _ message: String) throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure(sql)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.location != nil)
    }

    @Test("window calls print back as written and parse to equal trees", arguments: [
        "SELECT row_number() OVER (PARTITION BY g ORDER BY o DESC NULLS FIRST) FROM s",
        "SELECT sum(v) OVER (ORDER BY o ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS m FROM s",
        "SELECT count(*) OVER (), lag(v, 2, 0) OVER (PARTITION BY g, o) FROM s",
        "SELECT avg(v) OVER (PARTITION BY g ORDER BY o ASC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM s",
        "SELECT g FROM s ORDER BY rank() OVER (ORDER BY v)",
        "SELECT last_value(v IGNORE NULLS) OVER (ORDER BY o), lag(v, 2 IGNORE NULLS) OVER (ORDER BY o) FROM s",
    ])
    func roundTrip(_ sql: String) throws {
        let statement = try SQLParser.parseStatement(sql)
        #expect(statement.sql == sql)
        #expect(try SQLParser.parseStatement(statement.sql) == statement)
    }

    @Test("Spark's f(x) IGNORE NULLS reads as f(x IGNORE NULLS); RESPECT NULLS is the default")
    func ignoreNullsForms() throws {
        let spark = try SQLParser.parseStatement("SELECT last_value(v) IGNORE NULLS OVER (ORDER BY o) FROM s")
        #expect(spark.sql == "SELECT last_value(v IGNORE NULLS) OVER (ORDER BY o) FROM s")
        let respect = try SQLParser.parseStatement("SELECT lag(v RESPECT NULLS) OVER (ORDER BY o) FROM s")
        #expect(respect.sql == "SELECT lag(v) OVER (ORDER BY o) FROM s")
    }

    @Test("EXPLAIN shows one Window operator per distinct window")
    func explain() throws {
        let lake = try Self.lakehouse()
        let plan = try lake.one("""
            EXPLAIN SELECT row_number() OVER (PARTITION BY g ORDER BY o), sum(v) OVER (PARTITION BY g ORDER BY o),
              rank() OVER (ORDER BY v) FROM s
            """).message ?? ""
        #expect(plan.components(separatedBy: "Window [").count == 3, "\(plan)")
        #expect(plan.contains("PARTITION BY g ORDER BY o ASC NULLS LAST"), "\(plan)")
    }

    @Test("rows buffered for a window count against the memory limit")
    func memoryLimit() throws {
        let lake = try Self.lakehouse()
        let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
        try lake.run("CREATE TABLE big AS SELECT a.col0 * 100 + b.col0 * 10 + c.col0 AS n FROM \(digits) AS a, \(digits) AS b, \(digits) AS c")
        var options = SQLSession.Options()
        options.memoryLimit = 16 * 1024
        let limited = try SQLSession(root: lake.root, options: options)
        do {
            _ = try limited.execute("SELECT n, row_number() OVER (ORDER BY n) FROM big")
            Issue.record("expected the memory limit to be hit")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error.message)")
            #expect(error.message.contains("window functions"), "\(error.message)")
        }
    }

    @Test("window functions over many rows and partitions stay exact")
    func manyRows() throws {
        let lake = try Self.lakehouse()
        let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
        try lake.run("""
            CREATE TABLE big AS SELECT a.col0 * 1000 + b.col0 * 100 + c.col0 * 10 + d.col0 AS n
            FROM \(digits) AS a, \(digits) AS b, \(digits) AS c, \(digits) AS d
            """)
        let rows = try lake.rows("""
            SELECT count(*), sum(rn), max(running), min(prev) FROM (
              SELECT row_number() OVER (PARTITION BY n % 10 ORDER BY n) AS rn,
                     sum(n) OVER (PARTITION BY n % 10 ORDER BY n) AS running,
                     n - lag(n) OVER (PARTITION BY n % 10 ORDER BY n) AS prev
              FROM big) AS w
            """)
        // 10 partitions of 1000 rows: row numbers sum to 10 * 500500; the largest running sum is
        // partition 9's total (sum of 9, 19, …, 9999); consecutive members differ by 10.
        #expect(rows == [["10000", "5005000", "5004000", "10"]])
    }
}
