// Access control behaviour beyond the matrix: the first user is the first admin, every
// change is one commit naming who made it, time travel of grants, group cycles, system
// tables for admins only, hostile names creating nothing, tokens, impersonation, and
// table access by path.
import Foundation
import Testing
import TarnColumnar
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Access control")
struct AccessControlTests {
    @Test("the first principal to use a lakehouse becomes a user in admins; the second is not")
    func firstUserIsAdmin() throws {
        let store = InMemoryFileStore()
        let first = Catalog(store: store, principal: try Principal("founder"))
        #expect(try first.access.isAdmin())
        let principals = try first.access.listPrincipals()
        #expect(principals.map(\.name) == ["admins", "founder"])
        #expect(try first.access.members(of: "admins") == ["founder"])
        let second = Catalog(store: store, principal: try Principal("latecomer"))
        #expect(try !second.access.isAdmin())
        expectDenied("a non-admin creates a user") { try second.access.createPrincipal("x", kind: .user) }
        #expect(try first.access.listPrincipals().count == 2)
    }

    @Test("each grant, revoke, membership change and ownership transfer is one commit naming who and what")
    func oneCommitPerChange() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        let grantsTable = try lake.admin.openTable(TableIdentifier(parsing: "_system.grants"))
        let before = try grantsTable.snapshot().version
        try access.grant([.select, .modify], on: .table(lake.table), to: "alice")
        try access.grant([.select], on: .table(lake.table), to: "alice")  // already granted: no commit
        try access.revoke([.modify], on: .table(lake.table), from: "alice")
        try access.transferOwnership(of: .table(lake.table), to: "alice")
        let history = try grantsTable.history()
        #expect(history.first?.version == before + 3)
        let operations = history.prefix(3).map { $0.commitInfo?.operation ?? "" }
        #expect(operations == ["OWNER TO", "REVOKE", "GRANT"])
        let grant = try #require(history[2].commitInfo?.operationParameters)
        #expect(grant["by"] == "root_admin")
        #expect(grant["principal"] == "alice")
        #expect(grant["securable"] == "TABLE sales.orders")
        #expect(grant["privileges"]?.contains("MODIFY") == true)
        let membershipsTable = try lake.admin.openTable(TableIdentifier(parsing: "_system.memberships"))
        let m = try membershipsTable.snapshot().version
        try access.addMember("alice", to: "analysts")
        try access.removeMember("alice", from: "analysts")
        #expect(try membershipsTable.snapshot().version == m + 2)
        #expect(try membershipsTable.history(limit: 1).first?.commitInfo?.operationParameters?["member"] == "alice")
        #expect(try access.owner(of: .table(lake.table)) == "alice")
        let grants = try access.grants(on: .table(lake.table))
        #expect(grants.map { "\($0.principal):\($0.privilege)" }.sorted() == ["alice:OWNERSHIP", "alice:SELECT"])
    }

    @Test("grants and memberships time-travel: who could SELECT at each instant")
    func timeTravelOfGrants() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        let table = Securable.table(lake.table)
        let grantsTable = try lake.admin.openTable(TableIdentifier(parsing: "_system.grants"))
        func lastCommitMicros() throws -> Int64 { try #require(grantsTable.history(limit: 1).first).timestamp * 1000 }
        func waitForNextMillisecond() { let start = Date(); while Date().timeIntervalSince(start) < 0.002 {} }

        try access.grant([.select], on: table, to: "alice")
        let granted = try lastCommitMicros()
        waitForNextMillisecond()
        try access.revoke([.select], on: table, from: "alice")
        let revoked = try lastCommitMicros()
        waitForNextMillisecond()
        try access.addMember("alice", to: "analysts")
        try access.grant([.select], on: table, to: "analysts")
        let regranted = try lastCommitMicros()

        #expect(try access.principals(with: .select, on: table, asOf: granted).contains("alice"))
        #expect(try !access.principals(with: .select, on: table, asOf: revoked).contains("alice"))
        #expect(try access.principals(with: .select, on: table, asOf: regranted).contains("alice"))
        #expect(try access.principals(with: .select, on: table, asOf: regranted).contains("analysts"))
        #expect(try access.isAllowed("alice", .select, on: table, asOf: granted))
        #expect(try !access.isAllowed("alice", .select, on: table, asOf: revoked))
        #expect(try access.grants(on: table, to: "alice", asOf: granted).map(\.privilege) == ["SELECT"])
        #expect(try access.grants(on: table, to: "alice", asOf: revoked).isEmpty)
        // Before the system tables existed there were no grants at all.
        #expect(try access.grants(asOf: 1_000).isEmpty)
        // DESCRIBE HISTORY of _system.grants is the audit trail of permission changes.
        let trail = try grantsTable.history().compactMap { $0.commitInfo?.operation }
        #expect(Array(trail.prefix(3)) == ["GRANT", "REVOKE", "GRANT"])
    }

    @Test("a membership that would close a cycle of groups is refused; nothing is committed")
    func groupCycles() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        try access.addMember("analysts", to: "staff")
        let before = try lake.systemVersion("memberships")
        for (member, group) in [("staff", "analysts"), ("staff", "staff")] {
            do {
                try access.addMember(member, to: group)
                Issue.record("\(member) → \(group) was accepted")
            } catch {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("cycle"))
            }
        }
        #expect(try lake.systemVersion("memberships") == before)
        #expect(throws: TableError.self) { try access.addMember("alice", to: "alice") }  // alice is no group
    }

    @Test("system tables are for admins: a lakehouse-wide SELECT does not reach them; own grants are listable")
    func systemTablesAdminOnly() throws {
        let lake = try AccessLakehouse()
        try lake.admin.access.grant([.select], on: .lakehouse, to: "alice")
        let alice = try lake.catalog(as: "alice")
        _ = try alice.openTable(lake.table).read()
        for name in ["principals", "memberships", "grants", "tokens", "audit"] {
            expectDenied("alice reads _system.\(name)") { _ = try alice.openTable(TableIdentifier(namespace: "_system", name: name)).read() }
        }
        #expect(try alice.access.grants(to: "alice").map(\.privilege) == ["SELECT"])
        expectDenied("alice lists all grants") { _ = try alice.access.grants() }
        expectDenied("alice lists another's grants") { _ = try alice.access.grants(to: "root_admin") }
        #expect(try !alice.listNamespaces().contains("_system"))
        #expect(try lake.admin.listNamespaces() == ["sales"])
        #expect(try lake.admin.listTables(namespace: "_system").count == 5)
    }

    static let hostile: [String: String] = [
        "traversal": "../x", "separator": "a/b", "NUL": "nul\u{0}byte", "10k characters": String(repeating: "n", count: 10_000),
        "SQL": "x'; DROP TABLE t; --", "empty": "",
    ]

    @Test("hostile names are refused with clear errors and nothing is created",
          arguments: ["traversal", "separator", "NUL", "10k characters", "SQL", "empty"])
    func hostileNamesCreateNothing(_ label: String) throws {
        let name = try #require(Self.hostile[label])
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        let principalsVersion = try lake.systemVersion("principals")
        let grantsVersion = try lake.systemVersion("grants")
        for kind in PrincipalKind.allCases {
            #expect(throws: TableError.self) { try access.createPrincipal(name, kind: kind) }
        }
        #expect(throws: TableError.self) { try access.grant([.select], on: .table(lake.table), to: name) }
        #expect(throws: TableError.self) { try access.addMember(name, to: "analysts") }
        #expect(throws: TableError.self) { try access.createToken(for: name) }
        #expect(throws: TableError.self) { _ = try lake.admin.acting(as: name) }
        #expect(try lake.systemVersion("principals") == principalsVersion)
        #expect(try lake.systemVersion("grants") == grantsVersion)
        #expect(try access.listPrincipals().count == 5)
    }

    @Test("grants name existing principals and securables; READ FILES is lakehouse-only")
    func grantValidation() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        #expect(throws: TableError.self) { try access.grant([.select], on: .table(lake.table), to: "nobody") }
        #expect(throws: TableError.self) { try access.grant([.select], on: .table(TableIdentifier(parsing: "sales.missing")), to: "alice") }
        #expect(throws: TableError.self) { try access.grant([.readFiles], on: .table(lake.table), to: "alice") }
        #expect(throws: TableError.self) { try access.createPrincipal("alice", kind: .group) }
    }

    @Test("dropping a principal removes its memberships and grants; an owner must transfer first")
    func dropPrincipal() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        try access.addMember("alice", to: "analysts")
        try access.grant([.select], on: .table(lake.table), to: "alice")
        try access.transferOwnership(of: .table(lake.table), to: "alice")
        #expect(throws: TableError.self) { try access.dropPrincipal("alice") }
        try access.transferOwnership(of: .table(lake.table), to: "root_admin")
        try access.dropPrincipal("alice")
        #expect(try access.grants(to: "alice").isEmpty)
        #expect(try access.members(of: "analysts").isEmpty)
        #expect(try !access.listPrincipals().map(\.name).contains("alice"))
        #expect(throws: TableError.self) { try access.dropPrincipal("admins") }
        #expect(throws: TableError.self) { try access.removeMember("root_admin", from: "admins") }
    }

    @Test("tokens: shown once, stored as salted hashes, authenticate until revoked or expired")
    func tokens() throws {
        let lake = try AccessLakehouse()
        let access = lake.admin.access
        let created = try access.createToken(for: "alice", lifetimeSeconds: 3600)
        #expect(created.secret.hasPrefix("tarn_"))
        #expect(try access.authenticate(token: created.secret)?.name == "alice")
        #expect(try access.authenticate(token: created.secret + "x") == nil)
        #expect(try access.authenticate(token: "tarn_\(created.info.id)_00") == nil)
        let rows = try lake.admin.openTable(TableIdentifier(parsing: "_system.tokens")).read()
        let stored = rows.flatMap { b in (0..<b.rowCount).map { i in b.columns.map { "\($0.value(at: i))" }.joined(separator: "|") } }
        #expect(stored.count == 1)
        #expect(!stored[0].contains(String(created.secret.split(separator: "_").last ?? "")))
        #expect(try access.tokens(of: "alice").map(\.id) == [created.info.id])
        let alice = try lake.catalog(as: "alice")
        #expect(try alice.access.tokens(of: "alice").count == 1)
        expectDenied("alice lists every token") { _ = try alice.access.tokens() }
        expectDenied("alice makes a token for the admin") { _ = try alice.access.createToken(for: "root_admin") }
        try alice.access.revokeToken(id: created.info.id)
        #expect(try access.authenticate(token: created.secret) == nil)
        #expect(throws: TableError.self) { try access.createToken(for: "analysts") }
    }

    @Test("an admin may act as another principal (audited); a non-admin may not")
    func impersonation() throws {
        let lake = try AccessLakehouse()
        let auditBefore = try lake.systemVersion("audit")
        let asAlice = try lake.admin.acting(as: "alice")
        #expect(asAlice.principal.name == "alice")
        #expect(asAlice.caller.impersonatedBy == "root_admin")
        expectDenied("acting as alice, the admin cannot read") { _ = try asAlice.openTable(lake.table).read() }
        #expect(try lake.systemVersion("audit") == auditBefore + 2)
        let alice = try lake.catalog(as: "alice")
        expectDenied("alice acts as the admin") { _ = try alice.acting(as: "root_admin") }
    }

    @Test("by path through the catalog needs READ FILES; Table.open(directory:) is the unchecked files path")
    func pathAccess() throws {
        let directory = try TemporaryDirectory("tarn-access-path")
        defer { directory.remove() }
        let admin = try Catalog(root: directory.path + "/lake", principal: try Principal("root_admin"))
        try admin.access.createPrincipal("alice", kind: .user)
        let outside = directory.path + "/outside"
        try Table.create(directory: outside, schema: Rows.schema).append([try Rows.batch(0..<4)])
        let alice = try Catalog(root: directory.path + "/lake", principal: try Principal("alice"))
        expectDenied("alice opens by path") { _ = try alice.openTable(reference: outside) }
        try admin.access.grant([.readFiles], on: .lakehouse, to: "alice")
        let table = try alice.openTable(reference: outside)
        #expect(Rows.ids(try table.read()) == [0, 1, 2, 3])
        expectDenied("alice appends by path") { try table.append([try Rows.batch(9..<10)]) }
        try admin.access.revoke([.readFiles], on: .lakehouse, from: "alice")
        expectDenied("alice reads by path after the revoke") { _ = try table.read() }
        #expect(try Table.open(directory: outside).access.isUnrestricted)
    }

    @Test("a revoke takes effect at the next operation of an already-open table")
    func revokeTakesEffectAtOnce() throws {
        let lake = try AccessLakehouse()
        try lake.admin.access.grant([.select], on: .table(lake.table), to: "alice")
        let table = try lake.catalog(as: "alice").openTable(lake.table)
        #expect(try table.read().count > 0)
        // Revoked through another catalog (its own cache), as another process would.
        try Catalog(store: lake.store, principal: try Principal("root_admin")).access
            .revoke([.select], on: .table(lake.table), from: "alice")
        expectDenied("the next read") { _ = try table.read() }
    }
}
