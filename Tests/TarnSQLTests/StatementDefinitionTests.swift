// Data-definition statements against a temporary lakehouse: CREATE TABLE (types, NOT NULL,
// PARTITIONED BY, COMMENT, TBLPROPERTIES, CHECK), CREATE NAMESPACE, SHOW, DESCRIBE,
// ALTER TABLE (columns, properties, constraints) and DROP TABLE, checked through TarnTables.
import Testing
import TarnColumnar
import TarnSQL
import TarnTables

@Suite("SQL data-definition statements")
struct StatementDefinitionTests {
    @Test("CREATE TABLE makes a table with the written types, nullability, partitioning, comment and properties")
    func createTable() throws {
        let lake = try StatementLakehouse()
        let result = try lake.one("""
            CREATE TABLE sales.orders (
              id BIGINT NOT NULL COMMENT 'order id',
              day DATE,
              amount DECIMAL(10, 2),
              note STRING
            ) PARTITIONED BY (day) COMMENT 'all orders' TBLPROPERTIES ('owner.team' = 'finance', 'delta.appendOnly' = 'false')
            """)
        #expect(result.kind == .message)
        #expect(result.message == "created table sales.orders")
        let detail = try lake.table("sales.orders").detail()
        #expect(detail.schema.fields.map(\.name) == ["id", "day", "amount", "note"])
        #expect(detail.schema.fields.map(\.type) == [.int64, .date32, .decimal(precision: 10, scale: 2), .string])
        #expect(detail.schema.fields.map(\.nullable) == [false, true, true, true])
        #expect(detail.schema.fields[0].metadata["comment"] == "order id")
        #expect(detail.partitionColumns == ["day"])
        #expect(detail.description == "all orders")
        #expect(detail.properties["owner.team"] == "finance")
    }

    @Test("CREATE TABLE IF NOT EXISTS keeps the existing table; without it the second create fails")
    func createTwice() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        let again = try lake.one("CREATE TABLE IF NOT EXISTS t (b STRING)")
        #expect(again.message == "table default.t already exists")
        #expect(try lake.table("default.t").schema().names == ["a"])
        let error = try lake.failure("CREATE TABLE t (b STRING)")
        #expect(error.kind == .table)
        #expect(error.message.contains("already exists"))
    }

    @Test("a refused definition leaves nothing behind", arguments: [
        ("CREATE TABLE bad (a INT, a STRING)", "defined twice"),
        ("CREATE TABLE bad (a INT) PARTITIONED BY (b)", "partition column b"),
    ])
    func refusedDefinition(sql: String, message: String) throws {
        let lake = try StatementLakehouse()
        let error = try lake.failure(sql)
        #expect(error.message.contains(message), "\(error.message)")
        #expect(try lake.session.catalog.listTables().isEmpty)
    }

    @Test("unqualified names live in the session's default namespace")
    func defaultNamespace() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE plain (a INT); CREATE NAMESPACE lab; CREATE TABLE lab.x (a INT)")
        #expect(try lake.rows("SHOW TABLES") == [["default", "plain"], ["lab", "x"]])
        #expect(try lake.rows("SHOW TABLES IN lab") == [["lab", "x"]])
        #expect(try lake.rows("SHOW NAMESPACES") == [["default"], ["lab"]])
    }

    @Test("CREATE NAMESPACE IF NOT EXISTS is quiet; a second plain create fails")
    func createNamespace() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE NAMESPACE ops")
        #expect(try lake.one("CREATE NAMESPACE IF NOT EXISTS ops").message == "namespace ops already exists")
        #expect(try lake.failure("CREATE NAMESPACE ops").message.contains("already exists"))
    }

    @Test("DESCRIBE lists columns, types and comments, then the partition columns")
    func describe() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (id BIGINT NOT NULL COMMENT 'key', day DATE) PARTITIONED BY (day)")
        let rows = try lake.rows("DESCRIBE t")
        #expect(rows == [
            ["id", "long not null", "key"],
            ["day", "date", "NULL"],
            ["", "", ""],
            ["# Partition Information", "", ""],
            ["# col_name", "data_type", "comment"],
            ["day", "date", "NULL"],
        ])
    }

    @Test("DESCRIBE DETAIL has Delta's columns")
    func describeDetail() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT) COMMENT 'c' TBLPROPERTIES ('k' = 'v')")
        let result = try lake.one("DESCRIBE DETAIL t")
        #expect(result.schema.names.prefix(5) == ["format", "id", "name", "description", "location"])
        #expect(result.value("format") == "delta")
        #expect(result.value("name") == "default.t")
        #expect(result.value("description") == "c")
        #expect(result.value("numFiles") == "0")
        #expect(result.value("version") == "0")
        #expect(result.value("properties")?.contains("k") == true)
    }

    @Test("ALTER TABLE ADD COLUMNS adds nullable columns; NOT NULL ones are refused")
    func addColumns() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        try lake.run("ALTER TABLE t ADD COLUMNS (b STRING COMMENT 'new', c DOUBLE)")
        let schema = try lake.table("default.t").schema()
        #expect(schema.names == ["a", "b", "c"])
        #expect(schema.fields[1].metadata["comment"] == "new")
        let error = try lake.failure("ALTER TABLE t ADD COLUMNS (d INT NOT NULL)")
        #expect(error.message.contains("NOT NULL"))
    }

    @Test("SET and UNSET TBLPROPERTIES change only the configuration, one commit each")
    func properties() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        try lake.run("ALTER TABLE t SET TBLPROPERTIES ('a.b' = '1', 'c' = 'x')")
        var detail = try lake.table("default.t").detail()
        #expect(detail.properties["a.b"] == "1")
        #expect(detail.properties["c"] == "x")
        #expect(detail.version == 1)
        try lake.run("ALTER TABLE t UNSET TBLPROPERTIES ('c')")
        detail = try lake.table("default.t").detail()
        #expect(detail.properties["c"] == nil)
        #expect(detail.properties["a.b"] == "1")
        #expect(try lake.failure("ALTER TABLE t UNSET TBLPROPERTIES ('nope')").message.contains("no property"))
        try lake.run("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('nope')")
        let history = try lake.table("default.t").history()
        #expect(history.first?.commitInfo?.operation == "UNSET TBLPROPERTIES")
    }

    @Test("ALTER COLUMN TYPE widens a column: old rows read in the new type, wider values fit, narrowing is refused")
    func alterColumnType() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (id INT, score FLOAT)")
        try lake.run("INSERT INTO t VALUES (1, 1.5)")
        try lake.run("ALTER TABLE t ALTER COLUMN id TYPE BIGINT")
        try lake.run("ALTER TABLE t CHANGE score TYPE DOUBLE")
        let schema = try lake.table("default.t").schema()
        #expect(schema.fields.map(\.type) == [.int64, .float64])
        try lake.run("INSERT INTO t VALUES (5000000000, 0.1)")
        #expect(try lake.rows("SELECT id, score FROM t ORDER BY id") == [["1", "1.5"], ["5000000000", "0.1"]])
        #expect(try lake.rows("SELECT id FROM t VERSION AS OF 1") == [["1"]])
        #expect(try lake.table("default.t").history().compactMap(\.commitInfo?.operation).filter { $0 == "CHANGE COLUMN" }.count == 2)
        let narrowing = try lake.failure("ALTER TABLE t ALTER COLUMN id TYPE INT")
        #expect(narrowing.kind == .table)
        #expect(try lake.failure("ALTER TABLE t ALTER COLUMN nope TYPE BIGINT").message.contains("nope"))
    }

    @Test("ALTER COLUMN SET NOT NULL checks existing rows and is enforced; DROP NOT NULL lifts it")
    func alterColumnNullability() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (id INT, name STRING)")
        try lake.run("INSERT INTO t VALUES (1, 'a'), (2, NULL)")
        let refused = try lake.failure("ALTER TABLE t ALTER COLUMN name SET NOT NULL")
        #expect(refused.message.contains("NULL"))
        #expect(try lake.table("default.t").schema().fields[1].nullable)
        try lake.run("ALTER TABLE t ALTER COLUMN id SET NOT NULL")
        #expect(try lake.table("default.t").schema().fields[0].nullable == false)
        #expect(try lake.one("ALTER TABLE t ALTER COLUMN id SET NOT NULL").message?.contains("nothing changed") == true)
        #expect(try lake.failure("INSERT INTO t VALUES (NULL, 'x')").message.contains("id"))
        try lake.run("ALTER TABLE t CHANGE COLUMN id DROP NOT NULL")
        try lake.run("INSERT INTO t VALUES (NULL, 'x')")
        #expect(try lake.rows("SELECT count(*) FROM t WHERE id IS NULL") == [["1"]])
    }

    @Test("SHOW TBLPROPERTIES lists the properties in key order or one key; SHOW COLUMNS lists the columns")
    func showPropertiesAndColumns() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (b INT, a STRING) TBLPROPERTIES ('z.last' = '2', 'a.first' = '1')")
        let all = try lake.rows("SHOW TBLPROPERTIES t")
        #expect(all.contains(["a.first", "1"]) && all.contains(["z.last", "2"]))
        #expect(all.map { $0[0] } == all.map { $0[0] }.sorted())
        #expect(try lake.rows("SHOW TBLPROPERTIES t ('z.last')") == [["z.last", "2"]])
        let missing = try lake.failure("SHOW TBLPROPERTIES t ('nope')")
        #expect(missing.message.contains("no property 'nope'") && missing.message.contains("a.first"))
        #expect(try lake.rows("SHOW COLUMNS IN t") == [["b"], ["a"]])
        #expect(try lake.rows("SHOW COLUMNS FROM default.t") == [["b"], ["a"]])
    }

    @Test("CHECK constraints from CREATE TABLE and ALTER TABLE are enforced and can be dropped")
    func constraints() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT, b STRING, CONSTRAINT positive CHECK (a > 0))")
        #expect(try lake.table("default.t").detail().properties["delta.constraints.positive"] == "a > 0")
        try lake.run("ALTER TABLE t ADD CONSTRAINT short CHECK (length(b) < 5)")
        #expect(try lake.table("default.t").constraints().map(\.name) == ["positive", "short"])
        try lake.run("ALTER TABLE t DROP CONSTRAINT short")
        #expect(try lake.table("default.t").constraints().map(\.name) == ["positive"])
        try lake.run("ALTER TABLE t DROP CONSTRAINT IF EXISTS short")
        let error = try lake.failure("ALTER TABLE t SET TBLPROPERTIES ('delta.constraints.x' = 'a < 0')")
        #expect(error.kind == .unsupported)
    }

    @Test("DROP TABLE removes the table; IF EXISTS tolerates a missing one")
    func dropTable() throws {
        let lake = try StatementLakehouse()
        try lake.run("CREATE TABLE t (a INT)")
        try lake.run("DROP TABLE t")
        #expect(try lake.session.catalog.listTables().isEmpty)
        let error = try lake.failure("DROP TABLE t")
        #expect(error.kind == .binding)
        try lake.run("DROP TABLE IF EXISTS t")
    }
}
