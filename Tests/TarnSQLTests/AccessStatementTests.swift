// Access control through SQL: CREATE USER/GROUP/SERVICE PRINCIPAL, ALTER GROUP, GRANT,
// REVOKE, ALTER TABLE … OWNER TO, SHOW GRANTS (also TIMESTAMP AS OF), SHOW USERS|GROUPS;
// and every SQL statement over a table denied without its privilege, allowed with it.
import Foundation
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport
@testable import TarnSQL

struct AccessSQLLakehouse {
    let store = InMemoryFileStore()
    let admin: SQLSession

    init() throws {
        admin = SQLSession(catalog: Catalog(store: store, principal: try Principal("root_admin")))
        try run(admin, """
            CREATE TABLE sales.orders (id BIGINT, name STRING);
            INSERT INTO sales.orders VALUES (1, 'a'), (2, 'b'), (3, 'c');
            CREATE USER alice;
            CREATE GROUP analysts;
            CREATE SERVICE PRINCIPAL etl;
            ALTER GROUP analysts ADD MEMBER alice;
            """)
    }

    func session(as name: String) throws -> SQLSession {
        SQLSession(catalog: Catalog(store: store, principal: try Principal(name)))
    }

    @discardableResult
    func run(_ session: SQLSession, _ text: String) throws -> [StatementResult] {
        try session.execute(text)
    }

    /// The values of column `name` of a result, as text.
    static func column(_ result: StatementResult?, _ name: String) -> [String] {
        guard let result, let index = result.schema.index(of: name) else { return [] }
        return result.batches.flatMap { b in (0..<b.rowCount).map { b.columns[index].value(at: $0).description } }
    }
}

/// Expects `body` to fail with a SQLError of kind .accessDenied.
func expectSQLDenied(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("\(what): expected an access denial, but it succeeded", sourceLocation: sourceLocation)
    } catch let error as SQLError {
        #expect(error.kind == .accessDenied, "\(what): \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(what): unexpected \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("SQL access statements")
struct AccessStatementTests {
    @Test("GRANT to a group lets its member SELECT; REVOKE denies the next SELECT; SHOW GRANTS lists them")
    func grantRevokeThroughGroup() throws {
        let lake = try AccessSQLLakehouse()
        let alice = try lake.session(as: "alice")
        expectSQLDenied("SELECT before GRANT") { try lake.run(alice, "SELECT * FROM sales.orders") }
        try lake.run(lake.admin, "GRANT SELECT ON TABLE sales.orders TO analysts")
        #expect(try lake.run(alice, "SELECT count(*) FROM sales.orders").first?.rowCount == 1)
        expectSQLDenied("INSERT with SELECT only") { try lake.run(alice, "INSERT INTO sales.orders VALUES (9, 'z')") }
        let grants = try lake.run(lake.admin, "SHOW GRANTS ON TABLE sales.orders").first
        #expect(AccessSQLLakehouse.column(grants, "principal").sorted() == ["analysts", "root_admin"])
        #expect(AccessSQLLakehouse.column(grants, "privilege").sorted() == ["OWNERSHIP", "SELECT"])
        try lake.run(lake.admin, "REVOKE SELECT ON TABLE sales.orders FROM analysts")
        expectSQLDenied("SELECT after REVOKE") { try lake.run(alice, "SELECT * FROM sales.orders") }
    }

    @Test("SHOW GRANTS … TIMESTAMP AS OF answers who held SELECT at each instant")
    func showGrantsAsOf() throws {
        let lake = try AccessSQLLakehouse()
        let catalog = lake.admin.catalog
        let grants = try catalog.openTable(TableIdentifier(parsing: "_system.grants"))
        func last() throws -> String {
            TemporalFormat.timestamp(try #require(grants.history(limit: 1).first).timestamp * 1000, zone: .utc)
        }
        func tick() { let start = Date(); while Date().timeIntervalSince(start) < 0.002 {} }
        try lake.run(lake.admin, "GRANT SELECT ON TABLE sales.orders TO alice")
        let t1 = try last()
        tick()
        try lake.run(lake.admin, "REVOKE SELECT ON TABLE sales.orders FROM alice")
        let t2 = try last()
        tick()
        try lake.run(lake.admin, "GRANT SELECT ON TABLE sales.orders TO alice")
        let t3 = try last()
        for (instant, expected) in [(t1, ["alice"]), (t2, []), (t3, ["alice"])] {
            let result = try lake.run(lake.admin, "SHOW GRANTS ON TABLE sales.orders TO alice TIMESTAMP AS OF '\(instant)'").first
            #expect(AccessSQLLakehouse.column(result, "principal") == expected, "as of \(instant)")
        }
        #expect(throws: SQLError.self) { try lake.run(lake.admin, "SHOW GRANTS TIMESTAMP AS OF 'yesterday'") }
    }

    @Test("ALTER TABLE … OWNER TO gives the new owner every privilege; only owners and admins may transfer")
    func ownership() throws {
        let lake = try AccessSQLLakehouse()
        let alice = try lake.session(as: "alice")
        expectSQLDenied("alice transfers a table she does not own") { try lake.run(alice, "ALTER TABLE sales.orders OWNER TO alice") }
        try lake.run(lake.admin, "ALTER TABLE sales.orders OWNER TO alice")
        try lake.run(alice, "INSERT INTO sales.orders VALUES (4, 'd')")
        #expect(try lake.run(alice, "SELECT * FROM sales.orders").first?.rowCount == 4)
        try lake.run(alice, "GRANT SELECT ON TABLE sales.orders TO etl")
    }

    @Test("SHOW USERS lists users and service principals; SHOW GROUPS lists groups with members")
    func showPrincipals() throws {
        let lake = try AccessSQLLakehouse()
        let users = try lake.run(lake.admin, "SHOW USERS").first
        #expect(AccessSQLLakehouse.column(users, "name") == ["alice", "etl", "root_admin"])
        let groups = try lake.run(lake.admin, "SHOW GROUPS").first
        #expect(AccessSQLLakehouse.column(groups, "name") == ["admins", "analysts"])
        #expect(AccessSQLLakehouse.column(groups, "members") == ["root_admin", "alice"])
    }

    @Test("principal administration is for admins; hostile names are refused and create nothing")
    func adminOnlyAndHostileNames() throws {
        let lake = try AccessSQLLakehouse()
        let alice = try lake.session(as: "alice")
        expectSQLDenied("alice creates a user") { try lake.run(alice, "CREATE USER mallory") }
        expectSQLDenied("alice joins admins") { try lake.run(alice, "ALTER GROUP admins ADD MEMBER alice") }
        for name in ["`../x`", "`a/b`", "\"x'; DROP TABLE t; --\"", "`\(String(repeating: "n", count: 10_000))`"] {
            #expect(throws: SQLError.self, "\(name.prefix(20))") { try lake.run(lake.admin, "CREATE USER \(name)") }
        }
        #expect(AccessSQLLakehouse.column(try lake.run(lake.admin, "SHOW USERS").first, "name").count == 3)
        expectSQLDenied("alice reads the grants table") { try lake.run(alice, "SELECT * FROM _system.grants") }
    }
}

/// One SQL statement over `sales.orders` and the privilege it needs.
struct SQLTableStatement: Sendable, CustomStringConvertible {
    let description: String
    let privilege: Privilege
    let sql: String
}

@Suite("SQL access matrix")
struct AccessSQLMatrixTests {
    static let statements: [SQLTableStatement] = [
        .init(description: "SELECT", privilege: .select, sql: "SELECT * FROM sales.orders"),
        .init(description: "SELECT VERSION AS OF", privilege: .select, sql: "SELECT * FROM sales.orders VERSION AS OF 1"),
        .init(description: "DESCRIBE HISTORY", privilege: .select, sql: "DESCRIBE HISTORY sales.orders"),
        .init(description: "DESCRIBE DETAIL", privilege: .select, sql: "DESCRIBE DETAIL sales.orders"),
        .init(description: "INSERT", privilege: .modify, sql: "INSERT INTO sales.orders VALUES (7, 'g')"),
        .init(description: "ALTER TABLE ADD COLUMNS", privilege: .manage, sql: "ALTER TABLE sales.orders ADD COLUMNS (extra STRING)"),
        .init(description: "CREATE TABLE", privilege: .create, sql: "CREATE TABLE sales.created (id BIGINT)"),
        .init(description: "DELETE", privilege: .modify, sql: "DELETE FROM sales.orders WHERE id = 1"),
        .init(description: "UPDATE", privilege: .modify, sql: "UPDATE sales.orders SET name = 'x' WHERE id = 2"),
        .init(description: "MERGE", privilege: .modify,
              sql: "MERGE INTO sales.orders t USING (SELECT 3 AS id, 'm' AS name) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"),
        .init(description: "ALTER TABLE SET TBLPROPERTIES", privilege: .manage,
              sql: "ALTER TABLE sales.orders SET TBLPROPERTIES ('team' = 'sales')"),
        .init(description: "ALTER TABLE ADD CONSTRAINT", privilege: .manage,
              sql: "ALTER TABLE sales.orders ADD CONSTRAINT positive CHECK (id > 0)"),
        .init(description: "OPTIMIZE", privilege: .manage, sql: "OPTIMIZE sales.orders"),
        .init(description: "VACUUM DRY RUN", privilege: .manage, sql: "VACUUM sales.orders DRY RUN"),
        .init(description: "RESTORE", privilege: .manage, sql: "RESTORE TABLE sales.orders TO VERSION AS OF 1"),
        .init(description: "DROP TABLE", privilege: .manage, sql: "DROP TABLE sales.orders"),
    ]

    @Test("denied without the privilege, allowed with a direct, namespace or lakehouse grant", arguments: statements, ["direct", "namespace", "lakehouse"])
    func matrix(_ statement: SQLTableStatement, _ route: String) throws {
        let lake = try AccessSQLLakehouse()
        let alice = try lake.session(as: "alice")
        expectSQLDenied("\(statement) before the grant") { try lake.run(alice, statement.sql) }
        let target = statement.privilege == .create ? "NAMESPACE sales" : "TABLE sales.orders"
        let on = route == "direct" ? target : route == "namespace" ? "NAMESPACE sales" : "LAKEHOUSE"
        try lake.run(lake.admin, "GRANT \(statement.privilege.rawValue) ON \(on) TO alice")
        try lake.run(alice, statement.sql)
        try lake.run(lake.admin, "REVOKE \(statement.privilege.rawValue) ON \(on) FROM alice")
    }

    @Test("changing a table's definition needs MANAGE: SELECT and MODIFY are not enough", arguments: [
        "ALTER TABLE sales.orders SET TBLPROPERTIES ('team' = 'sales')",
        "ALTER TABLE sales.orders UNSET TBLPROPERTIES IF EXISTS ('team')",
        "ALTER TABLE sales.orders ADD CONSTRAINT positive CHECK (id > 0)",
        "ALTER TABLE sales.orders ADD COLUMNS (extra STRING)",
    ])
    func definitionChangesNeedManage(_ sql: String) throws {
        let lake = try AccessSQLLakehouse()
        let alice = try lake.session(as: "alice")
        try lake.run(lake.admin, "GRANT SELECT, MODIFY ON TABLE sales.orders TO alice")
        expectSQLDenied("\(sql) with SELECT and MODIFY") { try lake.run(alice, sql) }
        try lake.run(lake.admin, "GRANT MANAGE ON TABLE sales.orders TO alice")
        try lake.run(alice, sql)
    }
}
