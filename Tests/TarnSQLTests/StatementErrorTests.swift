// Statement errors: unknown tables and namespaces name what exists, locations point into
// the script (also for the second statement), rendering shows the line and a caret, a
// syntax error runs nothing, and an error stops the statements after it.
import Testing
import TarnColumnar
import TarnExpression
import TarnSQL
import TarnTables

@Suite("SQL statement errors")
struct StatementErrorTests {
    @Test("an unknown table is a binding error at the table name that lists the namespace's tables", arguments: [
        "DESCRIBE nope", "DESCRIBE HISTORY nope", "INSERT INTO nope VALUES (1)", "DELETE FROM nope",
        "UPDATE nope SET a = 1", "OPTIMIZE nope", "VACUUM nope", "ALTER TABLE nope ADD COLUMNS (x INT)",
    ])
    func unknownTable(sql: String) throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE known (a INT)")
        let error = try lake.failure(sql)
        #expect(error.kind == .binding)
        #expect(error.message.contains("nope"))
        #expect(error.message.contains("known"), "\(error.message)")
        let location = try #require(error.location)
        let column = try #require(sql.range(of: "nope")).lowerBound.utf16Offset(in: sql) + 1
        #expect(location.line == 1 && location.column == column)
    }

    @Test("SHOW TABLES IN an unknown namespace names the known ones")
    func unknownNamespace() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE NAMESPACE here")
        let error = try lake.failure("SHOW TABLES IN there")
        #expect(error.message.contains("there"))
        #expect(error.message.contains("here"))
    }

    @Test("rendering shows the line of the script, a caret under the column, and the message")
    func rendering() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        let script = "SELECT 1;\nDELETE FROM t\n  WHERE nope = 2;"
        let error = try lake.failure(script)
        let location = try #require(error.location)
        #expect(location.line == 3)
        #expect(location.column == 9)
        let lines = error.rendered(source: script).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("error: line 3, column 9: "))
        #expect(lines[1] == "    WHERE nope = 2;")
        #expect(lines[2] == "          ^")
        // Without the script, the statement's own text is shown with the caret rebased onto it.
        let own = error.rendered().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(own[0].hasPrefix("error: line 3, column 9: "))
        #expect(own[1] == "    WHERE nope = 2")
        #expect(own[2] == "          ^")
    }

    @Test("a syntax error anywhere runs nothing")
    func syntaxRunsNothing() throws {
        let lake = try StatementLakehouse()
        let error = try lake.failure("CREATE TABLE t (a INT); SELEC 1")
        #expect(error.kind == .syntax)
        #expect(error.location?.column == 25)
        #expect(try lake.session.catalog.listTables().isEmpty)
    }

    @Test("statements before a failing one commit; those after it do not run")
    func stopsAtFirstError() throws {
        let lake = try StatementLakehouse()
        _ = try lake.failure("CREATE TABLE t (a INT); INSERT INTO nope VALUES (1); CREATE TABLE u (a INT)")
        #expect(try lake.session.catalog.listTables().map(\.name) == ["t"])
    }

    @Test("EXPLAIN of a non-query and access-control statements are unsupported, not wrong")
    func unsupported() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        #expect(try lake.failure("EXPLAIN DELETE FROM t").kind == .unsupported)
    }

    @Test("SQLError wraps TableError and ExpressionError with the right kinds")
    func wrapping() {
        #expect(SQLError(TableError(.notFound, "x")).kind == .binding)
        #expect(SQLError(TableError(.conflict, "x")).kind == .table)
        #expect(SQLError(TableError(.unsupported, "x")).kind == .unsupported)
        #expect(SQLError(ExpressionError(.unknownColumn, "x")).kind == .binding)
        #expect(SQLError(ExpressionError(.evaluation, "division by zero")).kind == .execution)
        #expect(SQLError(ExpressionError(.syntax, "x")).kind == .syntax)
    }
}
