// ParserStatementTests: every statement form of Tarn's SQL parses to the expected syntax
// tree (table-driven, one row per form), and the tree's equality ignores source locations.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

/// Builders for expected trees: expressions are parsed by TarnExpression (equality ignores
/// locations, so where they came from does not matter).
enum ParserFixtures {
    static func e(_ text: String) -> Expression {
        (try? ExpressionParser.parse(text)) ?? .literal(.string("unparseable fixture: \(text)"), at: .start)
    }

    static func t(_ name: String, _ ns: String? = nil) -> TableName { TableName(namespace: ns, name) }

    static func table(_ name: String, _ ns: String? = nil, travel: TimeTravelSpec? = nil, alias: String? = nil) -> TableReference {
        .table(NamedTableReference(name: t(name, ns), timeTravel: travel, alias: alias))
    }

    static func select(_ items: [String], from: TableReference? = nil, filter: String? = nil, distinct: Bool = false,
                       groupBy: [String] = [], having: String? = nil) -> SelectCore {
        SelectCore(distinct: distinct, items: items.map { SelectItem(e($0)) }, from: from, filter: filter.map(e),
                   groupBy: groupBy.map(e), having: having.map(e))
    }

    static func query(_ core: SelectCore) -> Query { Query(core) }

    static func star(from: TableReference) -> Query { Query(select(["*"], from: from)) }
}

@Suite("Parser: statement forms")
struct ParserStatementTests {
    typealias F = ParserFixtures

    static let queries: [(String, Statement)] = [
        ("SELECT 1", .query(F.query(F.select(["1"])))),
        ("select a, b from t", .query(F.query(F.select(["a", "b"], from: F.table("t"))))),
        ("SELECT DISTINCT a FROM ns.t", .query(F.query(F.select(["a"], from: F.table("t", "ns"), distinct: true)))),
        ("SELECT ALL a FROM t", .query(F.query(F.select(["a"], from: F.table("t"))))),
        ("SELECT a AS x, b y, c + 1 \"z z\" FROM t",
         .query(Query(SelectCore(items: [SelectItem(F.e("a"), alias: "x"), SelectItem(F.e("b"), alias: "y"),
                                         SelectItem(F.e("c + 1"), alias: "z z")], from: F.table("t"))))),
        ("SELECT t.*, count(*) FROM t", .query(F.query(F.select(["t.*", "count(*)"], from: F.table("t"))))),
        ("SELECT a FROM t WHERE a > 1 AND b IS NOT NULL",
         .query(F.query(F.select(["a"], from: F.table("t"), filter: "a > 1 AND b IS NOT NULL")))),
        ("SELECT a, sum(b) FROM t GROUP BY a HAVING sum(b) > 10",
         .query(F.query(F.select(["a", "sum(b)"], from: F.table("t"), groupBy: ["a"], having: "sum(b) > 10")))),
        ("SELECT a FROM t ORDER BY a DESC NULLS LAST, b, c ASC NULLS FIRST LIMIT 10 OFFSET 5",
         .query(Query(body: .select(F.select(["a"], from: F.table("t"))),
                      orderBy: [OrderItem(F.e("a"), direction: .descending, nulls: .last), OrderItem(F.e("b")),
                                OrderItem(F.e("c"), direction: .ascending, nulls: .first)],
                      limit: 10, offset: 5))),
        ("SELECT * FROM t LIMIT 3", .query(Query(body: .select(F.select(["*"], from: F.table("t"))), limit: 3))),
        ("SELECT * FROM t OFFSET 2 ROWS", .query(Query(body: .select(F.select(["*"], from: F.table("t"))), offset: 2))),
        ("SELECT * FROM sales.orders VERSION AS OF 12", .query(F.star(from: F.table("orders", "sales", travel: .version(12))))),
        ("SELECT * FROM sales.orders TIMESTAMP AS OF '2026-11-29 10:00:00' o",
         .query(F.star(from: F.table("orders", "sales", travel: .timestamp("2026-11-29 10:00:00"), alias: "o")))),
        ("SELECT * FROM sales.orders@v12 AS o", .query(F.star(from: F.table("orders", "sales", travel: .version(12), alias: "o")))),
        ("SELECT * FROM orders@20261129100000123",
         .query(F.star(from: F.table("orders", travel: .timestamp("2026-11-29 10:00:00.123"))))),
        ("SELECT * FROM delta.`/data/events`", .query(F.star(from: .path(PathTableReference(format: .delta, path: "/data/events"))))),
        ("SELECT * FROM delta.`/data/events` VERSION AS OF 3 e",
         .query(F.star(from: .path(PathTableReference(format: .delta, path: "/data/events", timeTravel: .version(3), alias: "e"))))),
        ("SELECT * FROM parquet.`files/*.parquet` AS p",
         .query(F.star(from: .path(PathTableReference(format: .parquet, path: "files/*.parquet", alias: "p"))))),
        ("SELECT * FROM CSV.`a``b.csv`", .query(F.star(from: .path(PathTableReference(format: .csv, path: "a`b.csv"))))),
        ("SELECT * FROM delta.events", .query(F.star(from: F.table("events", "delta")))),
        ("SELECT * FROM (SELECT a FROM t) AS s",
         .query(F.star(from: .subquery(SubqueryReference(query: F.query(F.select(["a"], from: F.table("t"))), alias: "s"))))),
        ("SELECT * FROM (SELECT a FROM t) s",
         .query(F.star(from: .subquery(SubqueryReference(query: F.query(F.select(["a"], from: F.table("t"))), alias: "s"))))),
        ("SELECT * FROM a JOIN b ON a.id = b.id",
         .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .inner, condition: F.e("a.id = b.id")))))),
        ("SELECT * FROM a INNER JOIN b ON a.id = b.id",
         .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .inner, condition: F.e("a.id = b.id")))))),
        ("SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id",
         .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .left, condition: F.e("a.id = b.id")))))),
        ("SELECT * FROM a RIGHT JOIN b ON true",
         .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .right, condition: F.e("true")))))),
        ("SELECT * FROM a FULL OUTER JOIN b ON a.k = b.k",
         .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .full, condition: F.e("a.k = b.k")))))),
        ("SELECT * FROM a CROSS JOIN b", .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .cross))))),
        ("SELECT * FROM a, b x", .query(F.star(from: .join(JoinReference(left: F.table("a"), right: F.table("b", alias: "x"), kind: .cross))))),
        ("SELECT * FROM a JOIN b ON a.i = b.i LEFT JOIN c ON b.j = c.j",
         .query(F.star(from: .join(JoinReference(
             left: .join(JoinReference(left: F.table("a"), right: F.table("b"), kind: .inner, condition: F.e("a.i = b.i"))),
             right: F.table("c"), kind: .left, condition: F.e("b.j = c.j")))))),
        ("SELECT * FROM a JOIN (b JOIN c ON b.j = c.j) ON a.i = b.i",
         .query(F.star(from: .join(JoinReference(
             left: F.table("a"),
             right: .join(JoinReference(left: F.table("b"), right: F.table("c"), kind: .inner, condition: F.e("b.j = c.j"))),
             kind: .inner, condition: F.e("a.i = b.i")))))),
        ("WITH x AS (SELECT 1), y (c) AS (SELECT 2) SELECT * FROM x",
         .query(Query(with: [CommonTableExpression(name: "x", query: F.query(F.select(["1"]))),
                             CommonTableExpression(name: "y", columns: ["c"], query: F.query(F.select(["2"])))],
                      body: .select(F.select(["*"], from: F.table("x")))))),
        ("SELECT a FROM t UNION ALL SELECT b FROM u UNION SELECT c FROM v",
         .query(Query(body: .union(left: .union(left: .select(F.select(["a"], from: F.table("t"))),
                                                right: .select(F.select(["b"], from: F.table("u"))), all: true),
                                   right: .select(F.select(["c"], from: F.table("v"))), all: false)))),
        ("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)",
         .query(Query(body: .union(left: .nested(Query(body: .select(F.select(["a"], from: F.table("t"))), orderBy: [OrderItem(F.e("a"))], limit: 1)),
                                   right: .select(F.select(["b"], from: F.table("u"))), all: true)))),
        ("VALUES (1, 'a'), (2, 'b')", .query(Query(body: .values(ValuesList(rows: [[F.e("1"), F.e("'a'")], [F.e("2"), F.e("'b'")]]))))),
    ]

    static let changes: [(String, Statement)] = [
        ("INSERT INTO t VALUES (1, 2), (3, 4)",
         .insert(InsertStatement(table: F.t("t"), source: Query(body: .values(ValuesList(rows: [[F.e("1"), F.e("2")], [F.e("3"), F.e("4")]])))))),
        ("INSERT INTO TABLE ns.t (a, b) SELECT x, y FROM s",
         .insert(InsertStatement(table: F.t("t", "ns"), columns: ["a", "b"], source: F.query(F.select(["x", "y"], from: F.table("s")))))),
        ("INSERT INTO t (SELECT * FROM s)", .insert(InsertStatement(table: F.t("t"), source: F.star(from: F.table("s"))))),
        ("INSERT OVERWRITE TABLE t SELECT * FROM s", .insert(InsertStatement(table: F.t("t"), overwrite: true, source: F.star(from: F.table("s"))))),
        ("INSERT OVERWRITE t VALUES (1)", .insert(InsertStatement(table: F.t("t"), overwrite: true, source: Query(body: .values(ValuesList(rows: [[F.e("1")]])))))),
        ("DELETE FROM t", .delete(DeleteStatement(table: F.t("t")))),
        ("DELETE FROM ns.t AS x WHERE x.a < 0", .delete(DeleteStatement(table: F.t("t", "ns"), alias: "x", condition: F.e("x.a < 0")))),
        ("UPDATE t SET a = a + 1, b = 'x' WHERE id = 3",
         .update(UpdateStatement(table: F.t("t"), assignments: [Assignment(column: "a", value: F.e("a + 1")), Assignment(column: "b", value: F.e("'x'"))],
                                 condition: F.e("id = 3")))),
        ("UPDATE t u SET u.a = NULL",
         .update(UpdateStatement(table: F.t("t"), alias: "u", assignments: [Assignment(qualifier: "u", column: "a", value: F.e("NULL"))]))),
        ("""
         MERGE INTO sales.orders AS t USING updates AS s ON t.id = s.id
         WHEN MATCHED AND s.deleted THEN DELETE
         WHEN MATCHED THEN UPDATE SET t.amount = s.amount
         WHEN NOT MATCHED THEN INSERT (id, amount) VALUES (s.id, s.amount)
         WHEN NOT MATCHED BY SOURCE AND t.stale THEN DELETE
         """,
         .merge(MergeStatement(
             target: F.t("orders", "sales"), targetAlias: "t", source: F.table("updates", alias: "s"), condition: F.e("t.id = s.id"),
             clauses: [
                 MergeClause(.matched, condition: F.e("s.deleted"), action: .delete),
                 MergeClause(.matched, action: .update([Assignment(qualifier: "t", column: "amount", value: F.e("s.amount"))])),
                 MergeClause(.notMatchedByTarget, action: .insert(columns: ["id", "amount"], values: [F.e("s.id"), F.e("s.amount")])),
                 MergeClause(.notMatchedBySource, condition: F.e("t.stale"), action: .delete),
             ]))),
        ("MERGE INTO t USING (SELECT * FROM s) src ON t.k = src.k WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED BY TARGET THEN INSERT *",
         .merge(MergeStatement(
             target: F.t("t"), source: .subquery(SubqueryReference(query: F.star(from: F.table("s")), alias: "src")), condition: F.e("t.k = src.k"),
             clauses: [MergeClause(.matched, action: .updateAll), MergeClause(.notMatchedByTarget, action: .insertAll)]))),
        ("MERGE WITH SCHEMA EVOLUTION INTO t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
         .merge(MergeStatement(
             target: F.t("t"), source: F.table("s"), condition: F.e("t.k = s.k"),
             clauses: [MergeClause(.matched, action: .updateAll), MergeClause(.notMatchedByTarget, action: .insertAll)], schemaEvolution: true))),
        ("MERGE INTO t USING s@v3 ON t.k = s.k WHEN NOT MATCHED BY SOURCE THEN UPDATE SET flag = true WHEN NOT MATCHED THEN INSERT VALUES (s.k)",
         .merge(MergeStatement(
             target: F.t("t"), source: F.table("s", travel: .version(3)), condition: F.e("t.k = s.k"),
             clauses: [MergeClause(.notMatchedBySource, action: .update([Assignment(column: "flag", value: F.e("true"))])),
                       MergeClause(.notMatchedByTarget, action: .insert(columns: [], values: [F.e("s.k")]))]))),
    ]

    static let definitions: [(String, Statement)] = [
        ("""
         CREATE TABLE IF NOT EXISTS sales.orders (
           id BIGINT NOT NULL COMMENT 'order id',
           amount DECIMAL(10,2),
           day DATE,
           tags ARRAY<STRING>,
           CONSTRAINT positive CHECK (amount > 0)
         ) PARTITIONED BY (day) COMMENT 'all orders' TBLPROPERTIES ('delta.appendOnly' = 'true', delta.logRetentionDuration = 'interval 30 days')
         """,
         .createTable(CreateTableStatement(
             name: F.t("orders", "sales"), ifNotExists: true,
             columns: [ColumnDefinition("id", .int64, notNull: true, comment: "order id"), ColumnDefinition("amount", .decimal(precision: 10, scale: 2)),
                       ColumnDefinition("day", .date32), ColumnDefinition("tags", .list(Field("element", .string)))],
             constraints: [CheckConstraint(name: "positive", expression: F.e("amount > 0"))],
             partitionedBy: ["day"], comment: "all orders",
             properties: [PropertyEntry("delta.appendOnly", "true"), PropertyEntry("delta.logRetentionDuration", "interval 30 days")]))),
        ("CREATE TABLE t (a INT) USING DELTA TBLPROPERTIES ('k' = 1, 'b' = TRUE)",
         .createTable(CreateTableStatement(name: F.t("t"), columns: [ColumnDefinition("a", .int32)],
                                           properties: [PropertyEntry("k", "1"), PropertyEntry("b", "true")]))),
        ("CREATE TABLE t2 PARTITIONED BY (d) AS SELECT * FROM t",
         .createTable(CreateTableStatement(name: F.t("t2"), partitionedBy: ["d"], asQuery: F.star(from: F.table("t"))))),
        ("DROP TABLE t", .dropTable(DropTableStatement(name: F.t("t")))),
        ("DROP TABLE IF EXISTS ns.t", .dropTable(DropTableStatement(name: F.t("t", "ns"), ifExists: true))),
        ("ALTER TABLE t ADD COLUMNS (c STRING COMMENT 'new', d INT NOT NULL)",
         .alterTable(AlterTableStatement(name: F.t("t"), action: .addColumns([ColumnDefinition("c", .string, comment: "new"),
                                                                              ColumnDefinition("d", .int32, notNull: true)])))),
        ("ALTER TABLE t ADD COLUMN c STRING", .alterTable(AlterTableStatement(name: F.t("t"), action: .addColumns([ColumnDefinition("c", .string)])))),
        ("ALTER TABLE t ADD CONSTRAINT ok CHECK (a IS NOT NULL)",
         .alterTable(AlterTableStatement(name: F.t("t"), action: .addConstraint(CheckConstraint(name: "ok", expression: F.e("a IS NOT NULL")))))),
        ("ALTER TABLE t DROP CONSTRAINT ok", .alterTable(AlterTableStatement(name: F.t("t"), action: .dropConstraint(name: "ok", ifExists: false)))),
        ("ALTER TABLE t DROP CONSTRAINT IF EXISTS ok", .alterTable(AlterTableStatement(name: F.t("t"), action: .dropConstraint(name: "ok", ifExists: true)))),
        ("ALTER TABLE t SET TBLPROPERTIES ('a' = 'b')", .alterTable(AlterTableStatement(name: F.t("t"), action: .setProperties([PropertyEntry("a", "b")])))),
        ("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('a', b.c)",
         .alterTable(AlterTableStatement(name: F.t("t"), action: .unsetProperties(keys: ["a", "b.c"], ifExists: true)))),
        ("ALTER TABLE t OWNER TO alice", .alterTable(AlterTableStatement(name: F.t("t"), action: .setOwner(principal: "alice")))),
        ("ALTER TABLE t SET OWNER TO `data-eng`", .alterTable(AlterTableStatement(name: F.t("t"), action: .setOwner(principal: "data-eng")))),
        ("ALTER TABLE t ALTER COLUMN c TYPE BIGINT", .alterTable(AlterTableStatement(name: F.t("t"), action: .alterColumnType(column: "c", type: .int64)))),
        ("ALTER TABLE t CHANGE c TYPE DOUBLE", .alterTable(AlterTableStatement(name: F.t("t"), action: .alterColumnType(column: "c", type: .float64)))),
        ("ALTER TABLE t ALTER COLUMN c SET NOT NULL", .alterTable(AlterTableStatement(name: F.t("t"), action: .alterColumnNullability(column: "c", nullable: false)))),
        ("ALTER TABLE t CHANGE COLUMN c DROP NOT NULL", .alterTable(AlterTableStatement(name: F.t("t"), action: .alterColumnNullability(column: "c", nullable: true)))),
        ("CREATE NAMESPACE sales", .createNamespace(CreateNamespaceStatement(name: NamespaceName("sales")))),
        ("CREATE SCHEMA IF NOT EXISTS sales COMMENT 'money'",
         .createNamespace(CreateNamespaceStatement(name: NamespaceName("sales"), ifNotExists: true, comment: "money"))),
        ("ALTER NAMESPACE sales OWNER TO bob", .alterNamespaceOwner(namespace: NamespaceName("sales"), principal: "bob")),
    ]

    static let inspection: [(String, Statement)] = [
        ("SHOW TABLES", .showTables(namespace: nil)),
        ("SHOW TABLES IN sales", .showTables(namespace: NamespaceName("sales"))),
        ("SHOW TABLES FROM sales", .showTables(namespace: NamespaceName("sales"))),
        ("SHOW NAMESPACES", .showNamespaces),
        ("SHOW SCHEMAS", .showNamespaces),
        ("SHOW TBLPROPERTIES ns.t", .showTableProperties(F.t("t", "ns"), key: nil)),
        ("SHOW TBLPROPERTIES t ('delta.appendOnly')", .showTableProperties(F.t("t"), key: "delta.appendOnly")),
        ("SHOW COLUMNS IN ns.t", .showColumns(F.t("t", "ns"))),
        ("SHOW COLUMNS FROM t", .showColumns(F.t("t"))),
        ("DESCRIBE t", .describeTable(F.t("t"))),
        ("DESC TABLE ns.t", .describeTable(F.t("t", "ns"))),
        ("DESCRIBE detail", .describeTable(F.t("detail"))),
        ("DESCRIBE DETAIL ns.t", .describeDetail(F.t("t", "ns"))),
        ("DESCRIBE HISTORY ns.t", .describeHistory(DescribeHistoryStatement(table: F.t("t", "ns")))),
        ("DESCRIBE HISTORY t LIMIT 5", .describeHistory(DescribeHistoryStatement(table: F.t("t"), limit: 5))),
        ("OPTIMIZE t", .optimize(OptimizeStatement(table: F.t("t")))),
        ("OPTIMIZE t WHERE day >= DATE '2026-01-01' ZORDER BY (a, b)",
         .optimize(OptimizeStatement(table: F.t("t"), condition: F.e("day >= DATE '2026-01-01'"), zOrderBy: ["a", "b"]))),
        ("OPTIMIZE t ZORDER BY a", .optimize(OptimizeStatement(table: F.t("t"), zOrderBy: ["a"]))),
        ("VACUUM t", .vacuum(VacuumStatement(table: F.t("t")))),
        ("VACUUM t RETAIN 168 HOURS DRY RUN", .vacuum(VacuumStatement(table: F.t("t"), retainHours: 168, dryRun: true))),
        ("VACUUM t RETAIN 0.5 HOURS", .vacuum(VacuumStatement(table: F.t("t"), retainHours: 0.5))),
        ("RESTORE TABLE t TO VERSION AS OF 3", .restore(RestoreStatement(table: F.t("t"), target: .version(3)))),
        ("RESTORE ns.t TIMESTAMP AS OF '2026-11-29'", .restore(RestoreStatement(table: F.t("t", "ns"), target: .timestamp("2026-11-29")))),
        ("EXPLAIN SELECT * FROM t", .explain(.query(F.star(from: F.table("t"))))),
        ("EXPLAIN DELETE FROM t WHERE a = 1", .explain(.delete(DeleteStatement(table: F.t("t"), condition: F.e("a = 1"))))),
    ]

    static let access: [(String, Statement)] = [
        ("CREATE USER alice", .createPrincipal(CreatePrincipalStatement(kind: .user, name: "alice"))),
        ("CREATE USER 'alice@example.com'", .createPrincipal(CreatePrincipalStatement(kind: .user, name: "alice@example.com"))),
        ("CREATE USER alice@example.com", .createPrincipal(CreatePrincipalStatement(kind: .user, name: "alice@example.com"))),
        ("CREATE GROUP IF NOT EXISTS analysts", .createPrincipal(CreatePrincipalStatement(kind: .group, name: "analysts", ifNotExists: true))),
        ("CREATE SERVICE PRINCIPAL etl", .createPrincipal(CreatePrincipalStatement(kind: .servicePrincipal, name: "etl"))),
        ("DROP USER alice", .dropPrincipal(DropPrincipalStatement(kind: .user, name: "alice"))),
        ("DROP GROUP IF EXISTS analysts", .dropPrincipal(DropPrincipalStatement(kind: .group, name: "analysts", ifExists: true))),
        ("DROP SERVICE PRINCIPAL etl", .dropPrincipal(DropPrincipalStatement(kind: .servicePrincipal, name: "etl"))),
        ("ALTER GROUP analysts ADD MEMBER alice", .alterGroup(AlterGroupStatement(group: "analysts", add: true, member: "alice"))),
        ("ALTER GROUP analysts REMOVE MEMBER data-eng", .alterGroup(AlterGroupStatement(group: "analysts", add: false, member: "data-eng"))),
        ("GRANT SELECT ON TABLE sales.orders TO analysts",
         .grant(GrantStatement(privileges: [.select], target: .table(F.t("orders", "sales")), principal: "analysts"))),
        ("GRANT USE, CREATE, MODIFY, MANAGE ON NAMESPACE sales TO alice",
         .grant(GrantStatement(privileges: [.use, .create, .modify, .manage], target: .namespace(NamespaceName("sales")), principal: "alice"))),
        ("GRANT READ FILES ON LAKEHOUSE TO etl", .grant(GrantStatement(privileges: [.readFiles], target: .lakehouse, principal: "etl"))),
        ("GRANT ALL PRIVILEGES ON SCHEMA sales TO bob",
         .grant(GrantStatement(privileges: [.allPrivileges], target: .namespace(NamespaceName("sales")), principal: "bob"))),
        ("GRANT ALL ON TABLE t TO bob", .grant(GrantStatement(privileges: [.allPrivileges], target: .table(F.t("t")), principal: "bob"))),
        ("REVOKE SELECT ON TABLE t FROM analysts", .revoke(GrantStatement(privileges: [.select], target: .table(F.t("t")), principal: "analysts"))),
        ("SHOW GRANTS", .showGrants(ShowGrantsStatement())),
        ("SHOW GRANTS ON TABLE sales.orders", .showGrants(ShowGrantsStatement(target: .table(F.t("orders", "sales"))))),
        ("SHOW GRANTS TO alice", .showGrants(ShowGrantsStatement(principal: "alice"))),
        ("SHOW GRANTS ON TABLE t TO alice TIMESTAMP AS OF '2026-03-01 00:00:00'",
         .showGrants(ShowGrantsStatement(target: .table(F.t("t")), principal: "alice", asOf: "2026-03-01 00:00:00"))),
        ("SHOW USERS", .showUsers),
        ("SHOW GROUPS", .showGroups),
    ]

    @Test("queries parse to the expected tree", arguments: queries)
    func query(_ text: String, _ expected: Statement) throws {
        #expect(try SQLParser.parseStatement(text) == expected)
    }

    @Test("INSERT, DELETE, UPDATE and MERGE parse to the expected tree", arguments: changes)
    func change(_ text: String, _ expected: Statement) throws {
        #expect(try SQLParser.parseStatement(text) == expected)
    }

    @Test("DDL parses to the expected tree", arguments: definitions)
    func definition(_ text: String, _ expected: Statement) throws {
        #expect(try SQLParser.parseStatement(text) == expected)
    }

    @Test("SHOW, DESCRIBE, maintenance and EXPLAIN parse to the expected tree", arguments: inspection)
    func inspect(_ text: String, _ expected: Statement) throws {
        #expect(try SQLParser.parseStatement(text) == expected)
    }

    @Test("access-control statements parse to the expected tree", arguments: access)
    func accessControl(_ text: String, _ expected: Statement) throws {
        #expect(try SQLParser.parseStatement(text) == expected)
    }

    @Test("keywords are case-insensitive and layout does not matter; locations are kept but not compared")
    func layoutAndLocations() throws {
        let compact = try SQLParser.parseStatement("select a from ns.t where a>1")
        let spread = try SQLParser.parseStatement("SELECT\n  a\nFROM\n  ns.t\nWHERE a > 1")
        #expect(compact == spread)
        guard case let .query(query) = spread, let core = query.singleSelect, case let .table(table)? = core.from else {
            Issue.record("not a single select from a table")
            return
        }
        #expect(table.name.location?.line == 4)
        #expect(table.name.location?.column == 3)
        #expect(table.name.resolvedNamespace() == "ns")
        #expect(TableName("t").resolvedNamespace() == "default")
    }

    @Test("ORDER BY defaults: ascending, NULLs last in both directions")
    func orderDefaults() {
        #expect(!OrderItem(ParserFixtures.e("a")).descending)
        #expect(!OrderItem(ParserFixtures.e("a")).nullsFirst)
        #expect(!OrderItem(ParserFixtures.e("a"), direction: .descending).nullsFirst)
        #expect(OrderItem(ParserFixtures.e("a"), direction: .descending, nulls: .first).nullsFirst)
    }

    @Test("kind names say which statement it is")
    func kindNames() throws {
        #expect(try SQLParser.parseStatement("CREATE TABLE t AS SELECT 1").kindName == "CREATE TABLE AS SELECT")
        #expect(try SQLParser.parseStatement("CREATE SERVICE PRINCIPAL p").kindName == "CREATE SERVICE PRINCIPAL")
        #expect(try SQLParser.parseStatement("INSERT OVERWRITE t VALUES (1)").kindName == "INSERT OVERWRITE")
        #expect(try SQLParser.parseStatement("DESCRIBE HISTORY t").kindName == "DESCRIBE HISTORY")
    }
}
