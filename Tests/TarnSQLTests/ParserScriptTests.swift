// ParserScriptTests: scripts of several statements split at top-level ';' only — never
// inside strings, quoted names or comments — with empty statements skipped, each
// statement's own text and start location kept.
import Testing
import TarnExpression
@testable import TarnSQL

@Suite("Parser: scripts")
struct ParserScriptTests {
    @Test("statements split at ';', a trailing ';' is optional, empty statements are skipped")
    func splitting() throws {
        #expect(try SQLParser.parse("SELECT 1").count == 1)
        #expect(try SQLParser.parse("SELECT 1;").count == 1)
        #expect(try SQLParser.parse("SELECT 1; SELECT 2").count == 2)
        #expect(try SQLParser.parse(";;SELECT 1;;;SELECT 2;;").count == 2)
        #expect(try SQLParser.parse("").isEmpty)
        #expect(try SQLParser.parse("  \n\t ").isEmpty)
        #expect(try SQLParser.parse("-- only a comment\n/* and another */ ;").isEmpty)
    }

    @Test("';' inside strings, quoted names and comments does not split")
    func semicolonsInsideTokens() throws {
        let script = """
            -- a comment; with a semicolon
            INSERT INTO t VALUES ('a;b', 'it''s; fine');
            /* block; comment */ SELECT "odd;name", `other;name` FROM t WHERE s = ';';
            SELECT * FROM parquet.`dir;x/*.parquet`
            """
        let statements = try SQLParser.parse(script)
        #expect(statements.count == 3)
        guard statements.count == 3 else { return }
        guard case let .insert(insert) = statements[0].statement, case let .values(values) = insert.source.body else {
            Issue.record("first statement is not INSERT … VALUES")
            return
        }
        #expect(values.rows == [[.literal(.string("a;b"), at: .start), .literal(.string("it's; fine"), at: .start)]])
        #expect(statements[0].text == "INSERT INTO t VALUES ('a;b', 'it''s; fine')")
        #expect(statements[1].text == "SELECT \"odd;name\", `other;name` FROM t WHERE s = ';'")
        #expect(statements[2].text == "SELECT * FROM parquet.`dir;x/*.parquet`")
        guard case let .query(query) = statements[2].statement, case let .path(path)? = query.singleSelect?.from else {
            Issue.record("third statement is not a path read")
            return
        }
        #expect(path.format == .parquet && path.path == "dir;x/*.parquet")
    }

    @Test("each statement keeps its own text (comments around it excluded) and start location")
    func textAndLocation() throws {
        let script = "SELECT 1; -- first\n\n  /* lead */ SELECT a\n  FROM t   ;\nDROP TABLE x"
        let statements = try SQLParser.parse(script)
        #expect(statements.map(\.text) == ["SELECT 1", "SELECT a\n  FROM t", "DROP TABLE x"])
        #expect(statements.map(\.location.line) == [1, 3, 5])
        #expect(statements.map(\.location.column) == [1, 14, 1])
        #expect(statements.map(\.location.offset) == [0, 33, 55])
    }

    @Test("a statement's text ends at its last token even when that is a quoted one")
    func textEndsAtQuotedToken() throws {
        let statements = try SQLParser.parse("SELECT 'x'';y' ; SELECT \"a\"\"b\";SELECT `c`")
        #expect(statements.map(\.text) == ["SELECT 'x'';y'", "SELECT \"a\"\"b\"", "SELECT `c`"])
    }

    @Test("non-ASCII text: locations count characters")
    func unicodeLocations() throws {
        let statements = try SQLParser.parse("SELECT 'é😀'; SELECT \"naïve\" FROM t")
        #expect(statements.count == 2)
        #expect(statements[1].location.column == 14)
        #expect(statements[1].text == "SELECT \"naïve\" FROM t")
        do {
            _ = try SQLParser.parse("SELECT 'é😀' FORM t")
            Issue.record("parsed")
        } catch {
            // FORM is read as an alias; the error is at `t`, character 18 (the emoji is one).
            #expect(error.location?.column == 18)
        }
    }

    @Test("an error in a later statement stops the script and names that statement")
    func errorInLaterStatement() {
        do {
            _ = try SQLParser.parse("SELECT 1;\nSELECT 2;\nSELEC 3;\nSELECT 4")
            Issue.record("parsed")
        } catch {
            #expect(error.location?.line == 3)
            #expect(error.statementText == "SELEC 3")
        }
    }

    @Test("parseStatement and parseQuery demand exactly one statement / one query")
    func singleStatementEntryPoints() throws {
        #expect(try SQLParser.parseStatement("SELECT 1;") == .query(Query(SelectCore(items: [SelectItem(.literal(.integer(1), at: .start))]))))
        #expect(throws: SQLError.self) { _ = try SQLParser.parseStatement("SELECT 1; SELECT 2") }
        #expect(throws: SQLError.self) { _ = try SQLParser.parseStatement("-- nothing") }
        #expect(throws: SQLError.self) { _ = try SQLParser.parseQuery("DROP TABLE t") }
        #expect(try SQLParser.parseQuery("VALUES (1)").body == .values(ValuesList(rows: [[.literal(.integer(1), at: .start)]])))
    }

    @Test("isComplete: a shell's buffer is complete when it ends with a top-level ';'", arguments: [
        ("SELECT 1;", true), ("SELECT 1", false), ("SELECT 1; -- done", true), ("SELECT 1;\n\n", true),
        ("SELECT ';", false), ("SELECT 'a;'", false), ("SELECT 1 /* ; */", false), ("SELECT 1 /* ;", false),
        ("SELECT \"a;", false), ("SELECT 1 -- ;", false), ("", false), ("SELECT 1; SELECT 2", false), ("SELECT \u{1};", true),
    ])
    func completeness(_ text: String, _ complete: Bool) {
        #expect(SQLParser.isComplete(text) == complete)
    }

    @Test("hostile input: control characters, stray quotes and huge numbers are located errors")
    func hostileInput() {
        for text in ["SELECT \u{0}", "SELECT a FROM t WHERE \"", "SELECT `", "SELECT * FROM t LIMIT 999999999999999999999",
                     "DROP TABLE ../x", "SELECT * FROM t@v99999999999999999999", String(repeating: ";", count: 10_000) + "X"] {
            #expect(throws: SQLError.self, "\(text.prefix(40))") { _ = try SQLParser.parse(text) }
        }
    }
}
