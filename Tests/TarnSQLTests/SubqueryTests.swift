// SubqueryTests: uncorrelated subqueries inside expressions — IN / NOT IN (SELECT …) with
// SQL NULL semantics, EXISTS, scalar subqueries (zero rows, too many rows), in SELECT,
// WHERE, HAVING and DML, time travel and CTEs inside them, EXPLAIN, large sets, the memory
// limit, the correlated-subquery refusal, and printing the new forms back.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

@Suite("SQL: subqueries in expressions")
struct SubqueryTests {
    /// t(id, g, x): 1 a 1.5 / 2 a NULL / 3 b 3.0 / 4 NULL 4.0; u(id, flag): 1 true / 3 false / NULL true.
    static func lakehouse() throws -> StatementLakehouse {
        let lake = try StatementLakehouse("tarn-subqueries")
        try lake.run("""
            CREATE TABLE t (id BIGINT, g STRING, x DOUBLE);
            INSERT INTO t VALUES (1, 'a', 1.5), (2, 'a', NULL), (3, 'b', 3.0), (4, NULL, 4.0);
            CREATE TABLE u (id BIGINT, flag BOOLEAN);
            INSERT INTO u VALUES (1, true), (3, false), (NULL, true);
            """)
        return lake
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let sql: String
        let rows: [[String]]
        var testDescription: String { sql }
    }

    static let cases: [Case] = [
        // IN / NOT IN, with the NULL rules of SQL.
        Case(sql: "SELECT id FROM t WHERE id IN (SELECT id FROM u) ORDER BY id", rows: [["1"], ["3"]]),
        Case(sql: "SELECT id FROM t WHERE id NOT IN (SELECT id FROM u) ORDER BY id", rows: []),
        Case(sql: "SELECT id FROM t WHERE id NOT IN (SELECT id FROM u WHERE id IS NOT NULL) ORDER BY id", rows: [["2"], ["4"]]),
        Case(sql: "SELECT id, id IN (SELECT id FROM u) AS member FROM t ORDER BY id",
             rows: [["1", "true"], ["2", "NULL"], ["3", "true"], ["4", "NULL"]]),
        Case(sql: "SELECT x IN (SELECT id FROM u WHERE id IS NOT NULL) FROM t ORDER BY id",
             rows: [["false"], ["NULL"], ["true"], ["false"]]),
        Case(sql: "SELECT NULL IN (SELECT id FROM u WHERE id > 100), 1 NOT IN (SELECT id FROM u WHERE id > 100)",
             rows: [["false", "true"]]),
        Case(sql: "SELECT g FROM t WHERE g IN (SELECT g FROM t WHERE x > 2) ORDER BY g", rows: [["b"]]),
        Case(sql: "SELECT id FROM t WHERE id IN (SELECT 3 UNION ALL SELECT 4) ORDER BY id", rows: [["3"], ["4"]]),
        // NaN equals NaN in IN as in comparisons.
        Case(sql: "SELECT CAST('NaN' AS DOUBLE) IN (SELECT CAST('NaN' AS DOUBLE)), 1.0 IN (SELECT CAST('NaN' AS DOUBLE))",
             rows: [["true", "false"]]),
        // Scalar subqueries: a value of the subquery's type, NULL for no row.
        Case(sql: "SELECT id FROM t WHERE x > (SELECT avg(x) FROM t) ORDER BY id", rows: [["3"], ["4"]]),
        Case(sql: "SELECT (SELECT max(id) FROM u) + 1, (SELECT id FROM u WHERE id = 99)", rows: [["4", "NULL"]]),
        Case(sql: "SELECT id, x - (SELECT min(x) FROM t) AS d FROM t WHERE id < 4 ORDER BY d DESC NULLS LAST",
             rows: [["3", "1.5"], ["1", "0.0"], ["2", "NULL"]]),
        Case(sql: "SELECT (SELECT g FROM t WHERE id = 3) || '!'", rows: [["b!"]]),
        // EXISTS and NOT EXISTS.
        Case(sql: "SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE flag)", rows: [["4"]]),
        Case(sql: "SELECT count(*) FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE id > 10)", rows: [["4"]]),
        Case(sql: "SELECT EXISTS (SELECT * FROM u WHERE id = 2), EXISTS (SELECT * FROM u)", rows: [["false", "true"]]),
        // HAVING, ORDER BY, CTEs visible inside, subqueries inside subqueries.
        Case(sql: "SELECT g, count(*) FROM t GROUP BY g HAVING count(*) >= (SELECT count(*) FROM u WHERE flag) ORDER BY g",
             rows: [["a", "2"]]),
        Case(sql: "WITH big AS (SELECT id FROM t WHERE x > 2) SELECT id FROM t WHERE id IN (SELECT id FROM big) ORDER BY id",
             rows: [["3"], ["4"]]),
        Case(sql: "SELECT id FROM t WHERE id IN (SELECT id FROM u WHERE id IN (SELECT id FROM t WHERE g = 'b'))", rows: [["3"]]),
        Case(sql: "SELECT id FROM (SELECT id FROM t WHERE id = (SELECT max(id) FROM u)) AS s", rows: [["3"]]),
        Case(sql: "SELECT id FROM t ORDER BY id IN (SELECT id FROM u) DESC NULLS LAST, id", rows: [["1"], ["3"], ["2"], ["4"]]),
    ]

    @Test("subqueries give SQL's answers, NULLs included", arguments: cases)
    func answers(_ c: Case) throws {
        let lake = try Self.lakehouse()
        #expect(try lake.rows(c.sql) == c.rows)
    }

    @Test("a scalar subquery with more than one row fails, naming the row count, at the subquery")
    func scalarTooManyRows() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("SELECT 1 + (SELECT id FROM u)")
        #expect(error.message.contains("scalar subquery returned 3 rows"), "\(error.message)")
        #expect(error.location?.column == 12)
    }

    @Test("IN and scalar subqueries must return one column")
    func oneColumn() throws {
        let lake = try Self.lakehouse()
        let scalar = try lake.failure("SELECT (SELECT id, flag FROM u)")
        #expect(scalar.message.contains("must return one column, but this one returns 2 (id, flag)"), "\(scalar.message)")
        let membership = try lake.failure("SELECT 1 FROM t WHERE id IN (SELECT * FROM u)")
        #expect(membership.message.contains("must return one column"), "\(membership.message)")
        #expect(membership.location?.column == 26)
    }

    @Test("a subquery naming an outer column is refused as correlated, at that name")
    func correlated() throws {
        let lake = try Self.lakehouse()
        let qualified = try lake.failure("SELECT id FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)")
        #expect(qualified.kind == .unsupported)
        #expect(qualified.message.contains("correlated subqueries are not supported: t.id"), "\(qualified.message)")
        #expect(qualified.location?.column == 61)
        let bare = try lake.failure("SELECT id FROM t AS o WHERE x > (SELECT max(id) FROM u WHERE id < g)")
        #expect(bare.message.contains("correlated"), "\(bare.message)")
        // A name that is nowhere stays an unknown-column error.
        let unknown = try lake.failure("SELECT id FROM t WHERE id IN (SELECT nope FROM u)")
        #expect(unknown.kind == .binding)
        #expect(!unknown.message.contains("correlated"))
    }

    @Test("comparing with values of an incompatible type is a located type error")
    func typeMismatch() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("SELECT id FROM t WHERE id IN (SELECT flag FROM u)")
        #expect(error.kind == .type)
        #expect(error.message.contains("cannot be compared"), "\(error.message)")
    }

    @Test("DELETE and UPDATE conditions and SET values may hold subqueries")
    func dml() throws {
        let lake = try Self.lakehouse()
        try lake.run("DELETE FROM t WHERE id IN (SELECT id FROM u WHERE flag)")
        #expect(try lake.rows("SELECT id FROM t ORDER BY id") == [["2"], ["3"], ["4"]])
        try lake.run("UPDATE t SET x = (SELECT max(id) FROM u) * 10 WHERE id NOT IN (SELECT id FROM u WHERE id IS NOT NULL)")
        #expect(try lake.rows("SELECT id, x FROM t ORDER BY id") == [["2", "30.0"], ["3", "3.0"], ["4", "30.0"]])
        try lake.run("DELETE FROM t AS d WHERE EXISTS (SELECT 1 FROM u WHERE id = 3) AND d.x > (SELECT min(x) FROM t)")
        #expect(try lake.rows("SELECT id FROM t ORDER BY id") == [["3"]])
    }

    @Test("MERGE conditions and values and INSERT … VALUES may hold subqueries")
    func mergeAndInsert() throws {
        let lake = try Self.lakehouse()
        try lake.run("""
            MERGE INTO t USING u ON t.id = u.id
            WHEN MATCHED AND u.id IN (SELECT id FROM t WHERE x > 2) THEN UPDATE SET x = (SELECT max(x) FROM t) + 1
            """)
        #expect(try lake.rows("SELECT id, x FROM t ORDER BY id") == [["1", "1.5"], ["2", "NULL"], ["3", "5.0"], ["4", "4.0"]])
        try lake.run("INSERT INTO u VALUES ((SELECT max(id) FROM t) + 1, EXISTS (SELECT 1 FROM t WHERE g = 'b'))")
        #expect(try lake.rows("SELECT id, flag FROM u WHERE id = 5") == [["5", "true"]])
    }

    @Test("a DML subquery that names the target table's row is refused as correlated")
    func correlatedDML() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)")
        #expect(error.message.contains("correlated"), "\(error.message)")
    }

    @Test("time travel inside a subquery reads the old version")
    func timeTravel() throws {
        let lake = try Self.lakehouse()
        try lake.run("DELETE FROM t WHERE id > 2")
        #expect(try lake.rows("SELECT count(*) FROM t WHERE id IN (SELECT id FROM t VERSION AS OF 1)") == [["2"]])
        #expect(try lake.rows("SELECT (SELECT count(*) FROM t VERSION AS OF 1) - count(*) FROM t") == [["2"]])
    }

    @Test("EXPLAIN lists each subquery's plan and runs none")
    func explain() throws {
        let lake = try Self.lakehouse()
        let plan = try lake.one("EXPLAIN SELECT id FROM t WHERE id IN (SELECT id FROM u) AND x > (SELECT avg(x) FROM t)").message ?? ""
        #expect(plan.contains("id IN (SELECT id FROM u)"), "\(plan)")
        #expect(plan.contains("Subquery 1 (IN subquery"), "\(plan)")
        #expect(plan.contains("Subquery 2 (scalar subquery"), "\(plan)")
        #expect(plan.contains("Scan default.u") || plan.contains("Scan u"), "\(plan)")
    }

    @Test("a large IN set of integers and of strings is probed by hashing, with the right answer")
    func largeSets() throws {
        let lake = try Self.lakehouse()
        let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
        try lake.run("""
            CREATE TABLE big AS SELECT a.col0 * 1000 + b.col0 * 100 + c.col0 * 10 + d.col0 AS n,
              CAST(a.col0 * 1000 + b.col0 * 100 + c.col0 * 10 + d.col0 AS STRING) AS s
            FROM \(digits) AS a, \(digits) AS b, \(digits) AS c, \(digits) AS d
            """)
        #expect(try lake.rows("SELECT count(*) FROM big WHERE n IN (SELECT n FROM big WHERE n % 3 = 0)") == [["3334"]])
        #expect(try lake.rows("SELECT count(*) FROM big WHERE s NOT IN (SELECT s FROM big WHERE n < 9000)") == [["1000"]])
        #expect(try lake.rows("SELECT count(*) FROM big WHERE n * 1.0 IN (SELECT n * 0.5 FROM big)") == [["5000"]])
    }

    @Test("an IN set larger than the memory limit fails with memoryLimit")
    func memoryLimit() throws {
        let lake = try Self.lakehouse()
        let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
        try lake.run("CREATE TABLE big AS SELECT a.col0 * 100 + b.col0 * 10 + c.col0 AS n FROM \(digits) AS a, \(digits) AS b, \(digits) AS c")
        var options = SQLSession.Options()
        options.memoryLimit = 4096
        let limited = try SQLSession(root: lake.root, options: options)
        do {
            _ = try limited.execute("SELECT count(*) FROM big WHERE n IN (SELECT n FROM big)")
            Issue.record("expected the memory limit to be hit")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error.message)")
        }
    }

    @Test("subqueries print back as written and parse to equal trees", arguments: [
        "SELECT a FROM t WHERE a IN (SELECT b FROM u)",
        "SELECT a FROM t WHERE a NOT IN (SELECT b FROM u WHERE c > 1) AND EXISTS (SELECT 1 FROM v)",
        "SELECT a FROM t WHERE NOT EXISTS (SELECT * FROM u)",
        "SELECT (SELECT max(b) FROM u) + 1 AS m FROM t",
        "SELECT a FROM t WHERE a = (WITH w AS (SELECT 1 AS k) SELECT k FROM w)",
        "DELETE FROM t WHERE a IN (SELECT a FROM u)",
        "UPDATE t SET a = (SELECT min(a) FROM u) WHERE b IN (SELECT b FROM u)",
    ])
    func roundTrip(_ sql: String) throws {
        let statement = try SQLParser.parseStatement(sql)
        #expect(statement.sql == sql)
        #expect(try SQLParser.parseStatement(statement.sql) == statement)
    }

    @Test("outside SQL statements, an expression with a subquery is refused at the subquery")
    func plainExpression() throws {
        #expect(throws: ExpressionError.self) { _ = try ExpressionParser.parse("a IN (SELECT b FROM u)") }
        do {
            _ = try ExpressionParser.parse("x + (SELECT 1)")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.location?.column == 6)
        }
    }
}
