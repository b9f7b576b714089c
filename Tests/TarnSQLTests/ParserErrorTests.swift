// ParserErrorTests: typical mistakes give a syntax error at the right line and column that
// says what was expected and what was found (missing FROM item, unclosed parenthesis, bad
// time travel, trailing garbage, unknown statement, misplaced MERGE actions), and nesting
// too deep is an error rather than a stack overflow.
import Testing
import TarnExpression
@testable import TarnSQL

@Suite("Parser: errors")
struct ParserErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var sql: String
        var line: Int
        var column: Int
        var message: String
        var kind: SQLError.Kind = .syntax
        var testDescription: String { sql }
    }

    static let cases: [Case] = [
        // Misspelled or missing clause keywords.
        Case(sql: "SELECT * FORM t", line: 1, column: 10,
             message: "expected FROM or end of statement, found identifier FORM (did you mean FROM?)"),
        Case(sql: "SELECT a FORM t", line: 1, column: 15,
             message: "expected FROM or end of statement, found identifier t ('FORM' was read as an alias; did you mean FROM?)"),
        Case(sql: "SELECT a FROM t WHERE a = 1 GRUP BY a", line: 1, column: 29,
             message: "expected GROUP BY, HAVING or end of statement, found identifier GRUP (did you mean GROUP?)"),
        // Missing FROM item.
        Case(sql: "SELECT a FROM", line: 1, column: 14,
             message: "expected a table name, a subquery in '(' or a path such as parquet.`file`, found end of input"),
        Case(sql: "SELECT a\nFROM\nWHERE a = 1", line: 3, column: 1,
             message: "expected a table name, a subquery in '(' or a path such as parquet.`file`, found keyword WHERE"),
        Case(sql: "SELECT a, FROM t", line: 1, column: 11, message: "found keyword FROM"),
        // Unclosed parentheses and strings.
        Case(sql: "SELECT (a + 1 FROM t", line: 1, column: 15, message: "expected ')', found keyword FROM"),
        Case(sql: "SELECT *\nFROM (SELECT a FROM t", line: 2, column: 22, message: "expected ')', found end of input"),
        Case(sql: "SELECT a FROM t\nWHERE a = 'unclosed", line: 2, column: 11, message: "unterminated string"),
        Case(sql: "SELECT a FROM t /* never closed", line: 1, column: 17, message: "unterminated comment"),
        // Time travel.
        Case(sql: "SELECT * FROM t VERSION AS 3", line: 1, column: 28, message: "expected OF, found number 3"),
        Case(sql: "SELECT * FROM t VERSION AS OF 'x'", line: 1, column: 31,
             message: "expected a version number after VERSION AS OF, found string 'x'"),
        Case(sql: "SELECT * FROM t VERSION AS OF -1", line: 1, column: 31, message: "expected a version number after VERSION AS OF, found '-'"),
        Case(sql: "SELECT * FROM t TIMESTAMP AS OF 12", line: 1, column: 33,
             message: "expected a timestamp string such as '2026-11-29 10:00:00' after TIMESTAMP AS OF, found number 12"),
        Case(sql: "SELECT * FROM t@x", line: 1, column: 17, message: "expected a version such as @v12"),
        Case(sql: "SELECT * FROM t@v1 VERSION AS OF 2", line: 1, column: 20, message: "a table reference takes one time travel"),
        Case(sql: "SELECT * FROM parquet.`a.parquet` VERSION AS OF 1", line: 1, column: 35,
             message: "time travel needs a Delta table; parquet files have no versions"),
        Case(sql: "RESTORE TABLE t TO 3", line: 1, column: 20, message: "expected VERSION AS OF or TIMESTAMP AS OF, found number 3"),
        Case(sql: "SELECT * FROM t VERSION AS OF 99999999999999999999", line: 1, column: 31, message: "is too large"),
        // Trailing garbage.
        Case(sql: "SELECT 1 FROM t garbage more", line: 1, column: 25,
             message: "expected WHERE, GROUP BY, HAVING or end of statement, found identifier more"),
        Case(sql: "SELECT a FROM t)", line: 1, column: 16, message: "end of statement, found ')'"),
        Case(sql: "DROP TABLE t extra", line: 1, column: 14, message: "expected end of statement, found identifier extra"),
        Case(sql: "SHOW USERS now", line: 1, column: 12, message: "expected end of statement, found identifier now"),
        // Unknown statements and sub-forms.
        Case(sql: "SELEC 1", line: 1, column: 1,
             message: "expected a statement (SELECT, WITH, VALUES, INSERT, UPDATE, DELETE, MERGE, CREATE, DROP, ALTER, SHOW, DESCRIBE, OPTIMIZE, VACUUM, RESTORE, EXPLAIN, GRANT, REVOKE), found identifier SELEC (did you mean SELECT?)"),
        Case(sql: "  \n  FROBNICATE t", line: 2, column: 3, message: "expected a statement (SELECT"),
        Case(sql: "SHOW TABLE", line: 1, column: 6, message: "expected TABLES, NAMESPACES, TBLPROPERTIES, COLUMNS, GRANTS, USERS or GROUPS after SHOW, found identifier TABLE"),
        Case(sql: "DROP VIEW v", line: 1, column: 6, message: "expected TABLE, USER, GROUP or SERVICE PRINCIPAL after DROP"),
        Case(sql: "INSERT t VALUES (1)", line: 1, column: 8, message: "expected INTO or OVERWRITE after INSERT"),
        Case(sql: "CREATE TABLE t", line: 1, column: 15, message: "expected '(' with column definitions or AS SELECT, found end of input"),
        Case(sql: "CREATE TABLE t (a)", line: 1, column: 18, message: "expected a type for column a"),
        Case(sql: "CREATE TABLE t (a INT) AS SELECT 1", line: 1, column: 24, message: "takes its columns from the query"),
        Case(sql: "CREATE TABLE t (a INT) COMMENT 'x' COMMENT 'y'", line: 1, column: 36, message: "COMMENT is given twice"),
        Case(sql: "CREATE OR REPLACE TABLE t (a INT)", line: 1, column: 8, message: "CREATE OR REPLACE is not supported", kind: .unsupported),
        Case(sql: "CREATE TABLE t (a INT) USING parquet", line: 1, column: 24, message: "USING parquet is not supported", kind: .unsupported),
        Case(sql: "SELECT * FROM a NATURAL JOIN b USING (id)", line: 1, column: 32, message: "NATURAL JOIN takes no ON or USING"),
        Case(sql: "DESCRIBE HISTORY delta.`/x`", line: 1, column: 18, message: "a path table (delta.`…`) can only be read in FROM", kind: .unsupported),
        Case(sql: "SELECT a FROM x.y.z", line: 1, column: 19, message: "a table name has at most two parts"),
        Case(sql: "SELECT a FROM t JOIN u", line: 1, column: 23, message: "expected ON, found end of input"),
        Case(sql: "SELECT a FROM t CROSS JOIN u ON a", line: 1, column: 30, message: "CROSS JOIN takes no ON condition"),
        Case(sql: "SELECT * FROM t ORDER BY a NULLS", line: 1, column: 33, message: "expected FIRST or LAST after NULLS"),
        Case(sql: "VACUUM t RETAIN 5", line: 1, column: 18, message: "expected HOURS, found end of input"),
        Case(sql: "WITH x AS SELECT 1 SELECT 2", line: 1, column: 11, message: "expected '(', found keyword SELECT"),
        Case(sql: "VALUES (1, 2), (3)", line: 1, column: 16, message: "this VALUES row has 1 values but the first row has 2"),
        Case(sql: "SELECT a FROM select", line: 1, column: 15, message: "found keyword SELECT"),
        Case(sql: "SELECT a FROM t GROUP a", line: 1, column: 23, message: "expected BY, found identifier a"),
        Case(sql: "SELECT a FROM t ORDER a", line: 1, column: 23, message: "expected BY, found identifier a"),
        Case(sql: "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM)", line: 1, column: 44, message: "expected a table name"),
        Case(sql: "SELECT a FROM t WHERE a IN (SELECT b FROM u", line: 1, column: 44, message: "expected ')', found end of input"),
        Case(sql: "SELECT row_number() OVER w FROM t", line: 1, column: 26, message: "named windows (OVER name) are not supported", kind: .unsupported),
        Case(sql: "SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1 AND CURRENT ROW) FROM t", line: 1, column: 47,
             message: "expected PRECEDING or FOLLOWING after 1"),
        // MERGE.
        Case(sql: "MERGE INTO t USING s ON t.a = s.a", line: 1, column: 34, message: "expected WHEN MATCHED or WHEN NOT MATCHED, found end of input"),
        Case(sql: "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN INSERT *", line: 1, column: 53,
             message: "WHEN MATCHED takes UPDATE or DELETE, not INSERT"),
        Case(sql: "MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN DELETE", line: 1, column: 57,
             message: "WHEN NOT MATCHED takes INSERT"),
        Case(sql: "MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED BY SOURCE THEN UPDATE SET *", line: 1, column: 67,
             message: "cannot UPDATE SET *"),
        Case(sql: "MERGE INTO t USING s ON k WHEN NOT MATCHED THEN INSERT (a, b) VALUES (1)", line: 1, column: 70,
             message: "INSERT lists 2 columns but 1 values"),
        // Access control.
        Case(sql: "GRANT SELEC ON TABLE t TO a", line: 1, column: 7, message: "found identifier SELEC (did you mean SELECT?)"),
        Case(sql: "GRANT SELECT ON t TO a", line: 1, column: 17, message: "expected LAKEHOUSE, NAMESPACE or TABLE, found identifier t"),
        Case(sql: "REVOKE SELECT ON TABLE t TO a", line: 1, column: 26, message: "expected FROM, found identifier TO"),
        Case(sql: "ALTER GROUP g ADD alice", line: 1, column: 19, message: "expected MEMBER, found identifier alice"),
        Case(sql: "CREATE USER select", line: 1, column: 13, message: "a reserved word"),
        // Errors in later statements of a script point into the whole text.
        Case(sql: "SELECT 1;\nSELECT 2 FROM;", line: 2, column: 14, message: "found ';'"),
    ]

    @Test("a mistake is reported at its line and column with what was expected and found", arguments: cases)
    func mistake(_ c: Case) {
        do {
            let statements = try SQLParser.parse(c.sql)
            Issue.record("parsed without error: \(statements.map(\.statement.sql))")
        } catch {
            #expect(error.kind == c.kind)
            #expect(error.location?.line == c.line, "\(error.message)")
            #expect(error.location?.column == c.column, "\(error.message)")
            #expect(error.message.contains(c.message), "\(error.message)")
            #expect(error.cause is ExpressionError)
        }
    }

    @Test("the error carries the failing statement's own text and what was expected")
    func statementTextAndExpected() {
        let script = "SELECT 1;\n  SELECT a FROM t WHERE ) ; SELECT 3"
        do {
            _ = try SQLParser.parse(script)
            Issue.record("parsed without error")
        } catch {
            #expect(error.statementText == "SELECT a FROM t WHERE )")
            #expect(error.location?.line == 2)
            #expect(error.location?.column == 25)
            // Where the statement's text starts, so a caret can be drawn under it alone.
            #expect(error.statementLocation?.line == 2)
            #expect(error.statementLocation?.column == 3)
            #expect(error.statementLocation?.offset == 12)
        }
        do {
            _ = try SQLParser.parse("SELECT * FORM t")
        } catch {
            #expect(error.expected == "FROM or end of statement")
        }
        do {
            _ = try SQLParser.parse("SELECT 1;\nSELECT 'open")
        } catch {
            #expect(error.statementText == "SELECT 'open")
            #expect(error.statementLocation?.line == 2 && error.statementLocation?.column == 1)
        }
    }

    @Test("deeply nested subqueries are an error, not a stack overflow", arguments: [200, 5_000])
    func deepSubqueries(_ depth: Int) {
        let text = String(repeating: "SELECT * FROM (", count: depth) + "SELECT 1" + String(repeating: ")", count: depth)
        do {
            _ = try SQLParser.parse(text)
            Issue.record("parsed \(depth) levels")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.message.contains("nested too deeply"))
        }
    }

    @Test("deep parentheses, unions and EXPLAIN chains are bounded too", arguments: [
        String(repeating: "(", count: 10_000) + "SELECT 1" + String(repeating: ")", count: 10_000),
        "SELECT " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
        String(repeating: "EXPLAIN ", count: 10_000) + "SELECT 1",
        "SELECT * FROM " + String(repeating: "(", count: 10_000) + "t" + String(repeating: ")", count: 10_000),
        "WITH " + (0..<300).map { "c\($0) AS (SELECT * FROM (" }.joined() + "SELECT 1",
    ])
    func deepNesting(_ text: String) {
        #expect(throws: SQLError.self) { _ = try SQLParser.parse(text) }
    }

    @Test("moderately nested subqueries (50 levels) still parse and round-trip")
    func moderateNesting() throws {
        let text = String(repeating: "SELECT * FROM (", count: 50) + "SELECT 1 AS a" + String(repeating: ") AS x", count: 50)
        let statement = try SQLParser.parseStatement(text)
        #expect(try SQLParser.parseStatement(statement.sql) == statement)
    }

    @Test("a long flat script and a long flat list parse without deep recursion")
    func longFlatInput() throws {
        let values = "INSERT INTO t VALUES " + (0..<5_000).map { "(\($0), 'v\($0)')" }.joined(separator: ", ")
        let statement = try SQLParser.parseStatement(values)
        guard case let .insert(insert) = statement, case let .values(list) = insert.source.body else {
            Issue.record("not an INSERT … VALUES")
            return
        }
        #expect(list.rows.count == 5_000)
        let script = (0..<2_000).map { "SELECT \($0)" }.joined(separator: ";\n")
        #expect(try SQLParser.parse(script).count == 2_000)
        let unions = (0..<200).map { "SELECT \($0)" }.joined(separator: " UNION ALL ")
        #expect(throws: Never.self) { _ = try SQLParser.parse(unions) }
        let tooMany = (0..<5_000).map { "SELECT \($0)" }.joined(separator: " UNION ALL ")
        #expect { _ = try SQLParser.parse(tooMany) } throws: { ($0 as? SQLError)?.message.contains("too many UNION branches") == true }
        let joins = "SELECT * FROM t0" + (1..<5_000).map { " JOIN t\($0) ON true" }.joined()
        #expect { _ = try SQLParser.parse(joins) } throws: { ($0 as? SQLError)?.message.contains("too many joined tables") == true }
    }
}
