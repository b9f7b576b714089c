// SemiAntiJoinTests: Spark's [LEFT] SEMI JOIN and [LEFT] ANTI JOIN — the left's columns
// only, a left row once however many right rows match (SEMI) or only without any match
// (ANTI, NULL keys never matching), ON residuals, USING, the hash join's fast paths, and
// printing the forms back.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

@Suite("SQL: SEMI and ANTI joins")
struct SemiAntiJoinTests {
    /// l(id, name, x): 1 a 10 / 2 b 20 / NULL n 30 / 4 d 40;
    /// r(id, name2, y): 1 A 100 / 1 A2 101 / 3 C 300 / NULL N 400; u(id): 2 (unique keys).
    static func lakehouse() throws -> StatementLakehouse {
        try StatementLakehouse.joinSides("tarn-semi-anti", extra: """

            CREATE TABLE u (id BIGINT);
            INSERT INTO u VALUES (2);
            """)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let sql: String
        let columns: [String]
        let rows: [[String]]
        var testDescription: String { sql }
    }

    // Expected rows are DuckDB 2.0's (SEMI JOIN / ANTI JOIN) for the same data.
    static let cases: [Case] = [
        Case(sql: "SELECT * FROM l LEFT SEMI JOIN r ON l.id = r.id", columns: ["id", "name", "x"], rows: [["1", "a", "10"]]),
        Case(sql: "SELECT * FROM l SEMI JOIN r USING (id)", columns: ["id", "name", "x"], rows: [["1", "a", "10"]]),
        Case(sql: "SELECT * FROM l LEFT ANTI JOIN r ON l.id = r.id ORDER BY x", columns: ["id", "name", "x"],
             rows: [["2", "b", "20"], ["NULL", "n", "30"], ["4", "d", "40"]]),
        Case(sql: "SELECT name FROM l ANTI JOIN r USING (id) ORDER BY name", columns: ["name"], rows: [["b"], ["d"], ["n"]]),
        // Unique build keys take the open-addressing table.
        Case(sql: "SELECT l.id FROM l LEFT SEMI JOIN u ON l.id = u.id", columns: ["id"], rows: [["2"]]),
        Case(sql: "SELECT id FROM l LEFT ANTI JOIN u ON l.id = u.id ORDER BY x", columns: ["id"], rows: [["1"], ["NULL"], ["4"]]),
        // Residuals decide what a match is; left-only ON conjuncts differ between SEMI and ANTI.
        Case(sql: "SELECT id FROM l LEFT SEMI JOIN r ON l.id = r.id AND r.y > 100", columns: ["id"], rows: [["1"]]),
        Case(sql: "SELECT id FROM l LEFT SEMI JOIN r ON l.id = r.id AND r.y > 200", columns: ["id"], rows: []),
        Case(sql: "SELECT id FROM l LEFT ANTI JOIN r ON l.id = r.id AND l.x > 10 ORDER BY x", columns: ["id"],
             rows: [["1"], ["2"], ["NULL"], ["4"]]),
        Case(sql: "SELECT id FROM l LEFT SEMI JOIN r ON l.id = r.id AND l.x > 10", columns: ["id"], rows: []),
        Case(sql: "SELECT id FROM l LEFT SEMI JOIN r ON l.x * 10 < r.y ORDER BY x", columns: ["id"],
             rows: [["1"], ["2"], ["NULL"]]),
        // WHERE, aggregates and further joins over the left's columns.
        Case(sql: "SELECT count(*) AS n FROM l LEFT ANTI JOIN r ON l.id = r.id WHERE x > 20", columns: ["n"], rows: [["2"]]),
        Case(sql: "SELECT l.name, u2.id FROM l LEFT SEMI JOIN r ON l.id = r.id JOIN r AS u2 ON l.id = u2.id ORDER BY u2.name2",
             columns: ["name", "id"], rows: [["a", "1"], ["a", "1"]]),
    ]

    @Test("SEMI and ANTI joins keep the left's rows and columns as DuckDB does", arguments: cases)
    func answers(_ c: Case) throws {
        let lake = try Self.lakehouse()
        let result = try lake.one(c.sql)
        #expect(result.schema.fields.map(\.name) == c.columns)
        #expect(result.cellTexts == c.rows)
    }

    @Test("the operator's SEMI and ANTI match a reference on every path (unique table, chained, split batches)",
          arguments: [JoinKind.semi, .anti], [false, true])
    func operatorPaths(kind: JoinKind, duplicates: Bool) throws {
        let sides = try HashJoinFastPathTests.sides(keyType: .int64, factRows: 5_000, batchRows: 2_048, dimRows: 900,
                                                    duplicates: duplicates)
        let dimKeys = Set(rows(sides.dim).map(\.[0]).filter { $0 != .null })
        let expected = canonical(rows(sides.facts).filter { row in (row[0] != .null && dimKeys.contains(row[0])) == (kind == .semi) })
        for fast in [false, true] {
            let out = try HashJoinFastPathTests.join(sides, kind: kind, buildLeft: false, fast: fast, parallelRows: 1_000)
            #expect(out.rows == expected, "fast \(fast)")
            #expect(out.usedUniqueTable == (fast && !duplicates))
        }
    }

    @Test("the right's columns are out of scope after SEMI and ANTI")
    func rightColumnsOutOfScope() throws {
        let lake = try Self.lakehouse()
        let error = try lake.failure("SELECT r.y FROM l LEFT SEMI JOIN r ON l.id = r.id")
        #expect(error.kind == .binding, "\(error)")
    }

    @Test("EXPLAIN shows the SEMI hash join")
    func explain() throws {
        let lake = try Self.lakehouse()
        let plan = try lake.rows("EXPLAIN SELECT * FROM l LEFT SEMI JOIN r ON l.id = r.id").flatMap { $0 }.joined(separator: "\n")
        #expect(plan.contains("HashJoin SEMI"), "\(plan)")
    }

    @Test("SEMI and ANTI print back as LEFT SEMI / LEFT ANTI JOIN and parse equal", arguments: [
        ("SELECT * FROM l LEFT SEMI JOIN r ON l.id = r.id", "SELECT * FROM l LEFT SEMI JOIN r ON l.id = r.id"),
        ("SELECT * FROM l SEMI JOIN r USING (id)", "SELECT * FROM l LEFT SEMI JOIN r USING (id)"),
        ("SELECT * FROM l ANTI JOIN r ON l.id = r.id", "SELECT * FROM l LEFT ANTI JOIN r ON l.id = r.id"),
        ("SELECT * FROM l left anti join r using (id, k)", "SELECT * FROM l LEFT ANTI JOIN r USING (id, k)"),
    ])
    func roundTrip(_ sql: String, printed: String) throws {
        let statement = try SQLParser.parseStatement(sql)
        #expect(statement.sql == printed)
        #expect(try SQLParser.parseStatement(statement.sql) == statement)
    }

    @Test("RIGHT SEMI JOIN is refused with the remedy")
    func rightSemi() throws {
        do {
            _ = try SQLParser.parseStatement("SELECT * FROM l RIGHT SEMI JOIN r ON l.id = r.id")
            Issue.record("expected RIGHT SEMI JOIN to fail")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.message.contains("LEFT SEMI JOIN"), "\(error.message)")
        }
    }
}
