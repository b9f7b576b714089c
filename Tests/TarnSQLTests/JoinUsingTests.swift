// JoinUsingTests: JOIN … USING (columns) and NATURAL JOIN for every join kind — one
// output column per USING name in the left's position (coalesced for FULL), DuckDB's
// column order for *, qualified l.id / r.id and l.* still reaching the inputs, located
// errors for names one side lacks, and printing the forms back.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

@Suite("SQL: JOIN … USING and NATURAL JOIN")
struct JoinUsingTests {
    /// l(id, name, x): 1 a 10 / 2 b 20 / NULL n 30 / 4 d 40;
    /// r(id, name2, y): 1 A 100 / 1 A2 101 / 3 C 300 / NULL N 400;
    /// r2(name, z, id): a 7 1 / z 8 2 (the same rows DuckDB was asked about).
    static func lakehouse() throws -> StatementLakehouse {
        try StatementLakehouse.joinSides("tarn-join-using", extra: """

            CREATE TABLE r2 (name STRING, z INT, id BIGINT);
            INSERT INTO r2 VALUES ('a', 7, 1), ('z', 8, 2);
            """)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let sql: String
        let columns: [String]
        let rows: [[String]]
        var testDescription: String { sql }
    }

    // Expected columns and rows are DuckDB 2.0's for the same statements.
    static let cases: [Case] = [
        Case(sql: "SELECT * FROM l JOIN r USING (id) ORDER BY y", columns: ["id", "name", "x", "name2", "y"],
             rows: [["1", "a", "10", "A", "100"], ["1", "a", "10", "A2", "101"]]),
        Case(sql: "SELECT * FROM l LEFT JOIN r USING (id) ORDER BY x, y", columns: ["id", "name", "x", "name2", "y"],
             rows: [["1", "a", "10", "A", "100"], ["1", "a", "10", "A2", "101"], ["2", "b", "20", "NULL", "NULL"],
                    ["NULL", "n", "30", "NULL", "NULL"], ["4", "d", "40", "NULL", "NULL"]]),
        Case(sql: "SELECT * FROM l RIGHT JOIN r USING (id) ORDER BY y", columns: ["id", "name", "x", "name2", "y"],
             rows: [["1", "a", "10", "A", "100"], ["1", "a", "10", "A2", "101"], ["3", "NULL", "NULL", "C", "300"],
                    ["NULL", "NULL", "NULL", "N", "400"]]),
        Case(sql: "SELECT * FROM l FULL JOIN r USING (id) ORDER BY id NULLS LAST, x NULLS LAST, y",
             columns: ["id", "name", "x", "name2", "y"],
             rows: [["1", "a", "10", "A", "100"], ["1", "a", "10", "A2", "101"], ["2", "b", "20", "NULL", "NULL"],
                    ["3", "NULL", "NULL", "C", "300"], ["4", "d", "40", "NULL", "NULL"],
                    ["NULL", "n", "30", "NULL", "NULL"], ["NULL", "NULL", "NULL", "N", "400"]]),
        // The merged name and both inputs' columns.
        Case(sql: "SELECT id, l.id, r.id FROM l FULL JOIN r USING (id) ORDER BY id NULLS LAST, l.id NULLS LAST",
             columns: ["id", "id", "id"],
             rows: [["1", "1", "1"], ["1", "1", "1"], ["2", "2", "NULL"], ["3", "NULL", "3"], ["4", "4", "NULL"],
                    ["NULL", "NULL", "NULL"], ["NULL", "NULL", "NULL"]]),
        Case(sql: "SELECT l.*, r.* FROM l JOIN r USING (id) ORDER BY y", columns: ["id", "name", "x", "id", "name2", "y"],
             rows: [["1", "a", "10", "1", "A", "100"], ["1", "a", "10", "1", "A2", "101"]]),
        // Several names; the left's order wins; the right's other columns follow.
        Case(sql: "SELECT * FROM l JOIN r2 USING (name, id)", columns: ["id", "name", "x", "z"], rows: [["1", "a", "10", "7"]]),
        Case(sql: "SELECT * FROM r2 JOIN l USING (id, name)", columns: ["name", "z", "id", "x"], rows: [["a", "7", "1", "10"]]),
        Case(sql: "SELECT * FROM l FULL JOIN r2 USING (name, id) ORDER BY id NULLS LAST, name",
             columns: ["id", "name", "x", "z"],
             rows: [["1", "a", "10", "7"], ["2", "b", "20", "NULL"], ["2", "z", "NULL", "8"], ["4", "d", "40", "NULL"],
                    ["NULL", "n", "30", "NULL"]]),
        // A chain: the second USING finds the merged id of the first join.
        Case(sql: "SELECT * FROM l JOIN r2 USING (id) JOIN l AS l3 USING (id) ORDER BY id",
             columns: ["id", "name", "x", "name", "z", "name", "x"],
             rows: [["1", "a", "10", "a", "7", "a", "10"], ["2", "b", "20", "z", "8", "b", "20"]]),
        Case(sql: "SELECT id, sum(y) AS s FROM l JOIN r USING (id) WHERE id = 1 GROUP BY id", columns: ["id", "s"],
             rows: [["1", "201"]]),
        // Keys of different integer widths join; FULL coalesces into the wider type.
        Case(sql: "SELECT * FROM l JOIN (SELECT CAST(id AS INT) AS id, z FROM r2) AS s USING (id) ORDER BY id",
             columns: ["id", "name", "x", "z"], rows: [["1", "a", "10", "7"], ["2", "b", "20", "8"]]),
        Case(sql: "SELECT id, z FROM (SELECT CAST(id AS INT) AS id, z FROM r2) AS s FULL JOIN r USING (id) ORDER BY id NULLS LAST, z",
             columns: ["id", "z"], rows: [["1", "7"], ["1", "7"], ["2", "8"], ["3", "NULL"], ["NULL", "NULL"]]),
        // NATURAL joins: USING over every shared name.
        Case(sql: "SELECT * FROM l NATURAL JOIN r2", columns: ["id", "name", "x", "z"], rows: [["1", "a", "10", "7"]]),
        Case(sql: "SELECT * FROM l NATURAL LEFT JOIN r2 ORDER BY x", columns: ["id", "name", "x", "z"],
             rows: [["1", "a", "10", "7"], ["2", "b", "20", "NULL"], ["NULL", "n", "30", "NULL"], ["4", "d", "40", "NULL"]]),
        Case(sql: "SELECT * FROM r NATURAL JOIN r2 ORDER BY y", columns: ["id", "name2", "y", "name", "z"],
             rows: [["1", "A", "100", "a", "7"], ["1", "A2", "101", "a", "7"]]),
        Case(sql: "SELECT z FROM r2 NATURAL INNER JOIN l", columns: ["z"], rows: [["7"]]),
        Case(sql: "SELECT count(*) AS n FROM l NATURAL FULL OUTER JOIN r2", columns: ["n"], rows: [["5"]]),
    ]

    @Test("USING and NATURAL joins give DuckDB's columns and rows", arguments: cases)
    func answers(_ c: Case) throws {
        let lake = try Self.lakehouse()
        let result = try lake.one(c.sql)
        #expect(result.schema.fields.map(\.name) == c.columns)
        #expect(result.cellTexts == c.rows)
    }

    @Test("a USING name one side lacks is an error naming that side, at the name", arguments: [
        ("SELECT * FROM l JOIN r USING (name)", "right", 31),
        ("SELECT * FROM l JOIN r USING (id, name2)", "left", 35),
    ])
    func missingName(_ sql: String, side: String, column: Int) throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure(sql)
        #expect(error.message.contains("is not a column of the \(side) side of the join"), "\(error.message)")
        #expect(error.location?.column == column)
    }

    @Test("an unqualified name both inputs have beside the USING names stays ambiguous")
    func otherNamesStayAmbiguous() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("SELECT name FROM l JOIN r2 USING (id)")
        #expect(error.message.contains("ambiguous"), "\(error.message)")
    }

    @Test("a NATURAL JOIN with no shared name is refused with the CROSS JOIN remedy (as DuckDB does)")
    func naturalWithoutSharedNames() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("SELECT * FROM l NATURAL JOIN (SELECT 5 AS q) AS s")
        #expect(error.message.contains("NATURAL JOIN found no column name on both sides"), "\(error.message)")
        #expect(error.message.contains("CROSS JOIN"))
    }

    @Test("USING and NATURAL print back to statements that parse equal", arguments: [
        "SELECT * FROM l JOIN r USING (id)",
        "SELECT * FROM l LEFT JOIN r USING (id, name) FULL JOIN s USING (k)",
        "SELECT * FROM l NATURAL JOIN r",
        "SELECT * FROM l NATURAL RIGHT JOIN r",
        "SELECT * FROM l NATURAL FULL OUTER JOIN r AS x",
    ])
    func roundTrip(_ sql: String) throws {
        let statement = try SQLParser.parseStatement(sql)
        let printed = statement.sql
        #expect(try SQLParser.parseStatement(printed) == statement, "\(printed)")
    }

    @Test("USING syntax errors are located", arguments: [
        ("SELECT * FROM l JOIN r USING (id, id)", 35, "named twice"),
        ("SELECT * FROM l JOIN r USING ()", 31, "expected a column name"),
        ("SELECT * FROM l CROSS JOIN r USING (id)", 30, "CROSS JOIN takes no ON condition"),
        ("SELECT * FROM l NATURAL t", 25, "JOIN after NATURAL"),
    ])
    func syntaxErrors(_ sql: String, column: Int, message: String) throws {
        do {
            _ = try SQLParser.parseStatement(sql)
            Issue.record("expected \(sql) to fail")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.location?.column == column, "\(error)")
        }
    }
}
