// DML statements against a temporary lakehouse: INSERT (VALUES with casts, column lists,
// SELECT, OVERWRITE), UPDATE, DELETE and MERGE — rows checked through TarnTables, the
// Databricks metric columns, the commit each makes, and time travel to versions before.
import Testing
import TarnColumnar
import TarnSQL
import TarnTables

@Suite("SQL data statements")
struct StatementDataTests {
    static func people() throws -> StatementLakehouse {
        let lake = try StatementLakehouse()
        try lake.run("""
            CREATE TABLE p (id BIGINT NOT NULL, name STRING, score INT, born DATE);
            INSERT INTO p VALUES (1, 'ada', 10, '1815-12-10'), (2, 'bob', 20, NULL), (3, 'cy', NULL, DATE '2001-01-01');
            """)
        return lake
    }

    @Test("INSERT VALUES casts each value to its column's type and reports num_inserted_rows")
    func insertValues() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT, b DOUBLE, c DATE, d DECIMAL(6, 2), e TIMESTAMP)")
        let result = try lake.one("INSERT INTO t VALUES (1, 2, '2026-11-01', 3.456, '2026-11-01 10:00:00'), (NULL, 1.5, NULL, 7, NULL)")
        #expect(result.kind == .rowsAffected)
        #expect(result.rowsAffected == 2)
        #expect(result.schema.names == ["num_affected_rows", "num_inserted_rows"])
        #expect(result.cellTexts == [["2", "2"]])
        let schema = try lake.table("default.t").schema()
        #expect(schema.fields.map(\.type) == [.int32, .float64, .date32, .decimal(precision: 6, scale: 2), .timestamp(.utc)])
        #expect(try lake.tableRows("default.t") == [
            ["1", "2.0", "2026-11-01", "3.46", "2026-11-01T10:00:00.000000Z"],
            ["NULL", "1.5", "NULL", "7.00", "NULL"],
        ].sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test("INSERT VALUES mixes literals, negative numbers, expressions and NULLs in one column")
    func insertMixedValues() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE m (a BIGINT, b STRING)")
        try lake.run("INSERT INTO m VALUES (1, 'a'), (-2, upper('b')), (3 + 4, NULL), (NULL, 'd')")
        #expect(try lake.tableRows("default.m") == [["-2", "B"], ["1", "a"], ["7", "NULL"], ["NULL", "d"]])
    }

    @Test("INSERT with a column list fills the other columns with NULL")
    func insertColumnList() throws {
        let lake = try Self.people()
        try lake.run("INSERT INTO p (score, id) VALUES (5, 9)")
        #expect(try lake.tableRows("default.p").contains(["9", "NULL", "5", "NULL"]))
    }

    @Test("INSERT errors: wrong value count, unknown column, NOT NULL column left out, value that does not fit", arguments: [
        ("INSERT INTO p VALUES (1, 'x')", "4 columns"),
        ("INSERT INTO p (id, nope) VALUES (1, 2)", "no column nope"),
        ("INSERT INTO p (name) VALUES ('x')", "NOT NULL"),
        ("INSERT INTO p (id, born) VALUES (1, 'not a date')", "born"),
    ])
    func insertErrors(sql: String, message: String) throws {
        let lake = try Self.people()
        let error = try lake.failure(sql)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(try lake.table("default.p").snapshot().version == 1, "a failed INSERT must not commit")
    }

    @Test("INSERT … SELECT and INSERT OVERWRITE")
    func insertSelect() throws {
        let lake = try Self.people()
        try lake.run("CREATE TABLE q (id BIGINT, name STRING)")
        let inserted = try lake.one("INSERT INTO q SELECT id, name FROM p WHERE id >= 2")
        #expect(inserted.rowsAffected == 2)
        #expect(try lake.tableRows("default.q") == [["2", "bob"], ["3", "cy"]])
        try lake.run("INSERT OVERWRITE q SELECT id, upper(name) FROM p WHERE id = 1")
        #expect(try lake.tableRows("default.q") == [["1", "ADA"]])
        #expect(try lake.tableRows("default.q", asOf: 1) == [["2", "bob"], ["3", "cy"]])
    }

    @Test("UPDATE with expressions and a WHERE; NULL conditions leave rows alone")
    func update() throws {
        let lake = try Self.people()
        let result = try lake.one("UPDATE p SET score = score * 2 + 1, name = upper(name) WHERE score > 10 OR name = 'cy'")
        #expect(result.cellTexts == [["2"]])
        #expect(result.schema.names == ["num_affected_rows"])
        #expect(try lake.tableRows("default.p") == [
            ["1", "ada", "10", "1815-12-10"], ["2", "BOB", "41", "NULL"], ["3", "CY", "NULL", "2001-01-01"],
        ])
        #expect(try lake.table("default.p").history(limit: 1).first?.commitInfo?.operation == "UPDATE")
    }

    @Test("UPDATE and DELETE accept the table's alias and qualified names")
    func aliases() throws {
        let lake = try Self.people()
        try lake.run("UPDATE p AS x SET score = x.score + 1 WHERE x.id = 1")
        try lake.run("DELETE FROM default.p WHERE p.id = 2")
        #expect(try lake.tableRows("default.p") == [["1", "ada", "11", "1815-12-10"], ["3", "cy", "NULL", "2001-01-01"]])
    }

    @Test("DELETE reports num_affected_rows; a DELETE matching nothing commits nothing")
    func delete() throws {
        let lake = try Self.people()
        let result = try lake.one("DELETE FROM p WHERE born < DATE '2000-01-01'")
        #expect(result.cellTexts == [["1"]])
        #expect(try lake.tableRows("default.p").map { $0[0] } == ["2", "3"])
        let none = try lake.one("DELETE FROM p WHERE id > 100")
        #expect(none.cellTexts == [["0"]])
        #expect(try lake.table("default.p").snapshot().version == 2)
    }

    @Test("DML errors point at the unknown column", arguments: [
        "UPDATE p SET nope = 1",
        "UPDATE p SET score = nope + 1",
        "DELETE FROM p WHERE nope = 1",
    ])
    func unknownColumns(sql: String) throws {
        let lake = try Self.people()
        let error = try lake.failure(sql)
        #expect(error.kind == .binding)
        #expect(error.message.contains("nope"))
        let location = try #require(error.location)
        #expect(location.line == 1)
        let column = try #require(sql.range(of: "nope")).lowerBound.utf16Offset(in: sql) + 1
        #expect(location.column == column || location.column == 1, "caret at \(location.column), nope at \(column)")
    }

    @Test("MERGE updates, deletes and inserts with the Databricks metric columns")
    func merge() throws {
        let lake = try Self.people()
        try lake.run("""
            CREATE TABLE changes (id BIGINT, name STRING, op STRING);
            INSERT INTO changes VALUES (1, 'ADA', 'upsert'), (2, NULL, 'delete'), (7, 'gus', 'upsert');
            """)
        let result = try lake.one("""
            MERGE INTO p AS t USING changes AS s ON t.id = s.id
            WHEN MATCHED AND s.op = 'delete' THEN DELETE
            WHEN MATCHED THEN UPDATE SET name = s.name, score = t.score + 100
            WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.name)
            """)
        #expect(result.schema.names == ["num_affected_rows", "num_updated_rows", "num_deleted_rows", "num_inserted_rows"])
        #expect(result.cellTexts == [["3", "1", "1", "1"]])
        #expect(try lake.tableRows("default.p") == [
            ["1", "ADA", "110", "1815-12-10"], ["3", "cy", "NULL", "2001-01-01"], ["7", "gus", "NULL", "NULL"],
        ])
        #expect(try lake.table("default.p").history(limit: 1).first?.commitInfo?.operation == "MERGE")
    }

    @Test("MERGE with UPDATE SET * / INSERT * and a subquery source")
    func mergeStar() throws {
        let lake = try Self.people()
        try lake.run("""
            MERGE INTO p USING (SELECT id, 'z' AS name, 0 AS score, born FROM p WHERE id = 3
                                UNION ALL SELECT 4, 'dee', 4, NULL) AS s
            ON p.id = s.id
            WHEN MATCHED THEN UPDATE SET *
            WHEN NOT MATCHED THEN INSERT *
            """)
        #expect(try lake.tableRows("default.p") == [
            ["1", "ada", "10", "1815-12-10"], ["2", "bob", "20", "NULL"], ["3", "z", "0", "2001-01-01"], ["4", "dee", "4", "NULL"],
        ])
    }

    @Test("MERGE WITH SCHEMA EVOLUTION adds the source's new columns; plain MERGE ignores them")
    func mergeSchemaEvolution() throws {
        let lake = try Self.people()
        let source = "(SELECT id, 'z' AS name, 0 AS score, born, 'gold' AS tier FROM p WHERE id = 3 UNION ALL SELECT 4, 'dee', 4, NULL, 'new') AS s"
        try lake.run("MERGE INTO p USING \(source) ON p.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
        #expect(try lake.table("default.p").schema().names == ["id", "name", "score", "born"])
        try lake.run("MERGE WITH SCHEMA EVOLUTION INTO p USING \(source) ON p.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
        #expect(try lake.table("default.p").schema().names == ["id", "name", "score", "born", "tier"])
        #expect(try lake.rows("SELECT id, tier FROM p ORDER BY id") == [["1", "NULL"], ["2", "NULL"], ["3", "gold"], ["4", "new"]])
    }

    @Test("MERGE without an equality key is refused as unsupported")
    func mergeWithoutKey() throws {
        let lake = try Self.people()
        let error = try lake.failure("MERGE INTO p USING p AS s ON p.id < s.id WHEN MATCHED THEN DELETE")
        #expect(error.kind == .unsupported)
    }

    @Test("every DML statement is one version; earlier versions stay readable by time travel")
    func timeTravelAfterDML() throws {
        let lake = try Self.people()
        try lake.run("UPDATE p SET score = 0 WHERE id = 1")      // v2
        try lake.run("DELETE FROM p WHERE id = 2")               // v3
        try lake.run("INSERT INTO p (id) VALUES (4)")            // v4
        #expect(try lake.table("default.p").snapshot().version == 4)
        #expect(try lake.rows("SELECT id, score FROM p VERSION AS OF 1 ORDER BY id") == [["1", "10"], ["2", "20"], ["3", "NULL"]])
        #expect(try lake.rows("SELECT id, score FROM p@v2 ORDER BY id") == [["1", "0"], ["2", "20"], ["3", "NULL"]])
        #expect(try lake.rows("SELECT count(*) FROM p VERSION AS OF 3") == [["2"]])
        let history = try lake.rows("DESCRIBE HISTORY p")
        #expect(history.map { $0[0] } == ["4", "3", "2", "1", "0"])
        #expect(history.map { $0[3] } == ["WRITE", "DELETE", "UPDATE", "WRITE", "CREATE TABLE"])
        #expect(try lake.rows("DESCRIBE HISTORY p LIMIT 2").count == 2)
    }

    @Test("a CHECK constraint violation fails the INSERT and commits nothing")
    func constraintViolation() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE c (a INT, CONSTRAINT positive CHECK (a > 0)); INSERT INTO c VALUES (1)")
        let before = try lake.table("default.c").snapshot().version
        let error = try lake.failure("INSERT INTO c VALUES (5), (-1)")
        #expect(error.message.contains("positive"), "\(error.message)")
        #expect(try lake.table("default.c").snapshot().version == before)
    }
}
