// AccessInteropTests: the access-control system tables are ordinary Delta tables —
// deltalake reads _system.principals, memberships, grants, tokens and audit with the
// rows Tarn wrote, and the grants table's history shows each permission change.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Access system tables interop with deltalake", .serialized)
struct AccessInteropTests {
    @Test("deltalake reads every _system table and the history of _system.grants")
    func deltalakeReadsSystemTables() throws {
        let dir = try TemporaryDirectory("tarn-access-interop")
        defer { dir.remove() }
        let root = dir.path + "/lake"
        let admin = try Catalog(root: root, principal: try Principal("root_admin"))
        let id = try TableIdentifier(parsing: "sales.orders")
        try admin.createTable(id, schema: Schema([Field("id", .int64)]))
        let access = admin.access
        try access.createPrincipal("alice", kind: .user)
        try access.createPrincipal("analysts", kind: .group)
        try access.addMember("alice", to: "analysts")
        try access.grant([.select], on: .table(id), to: "analysts")
        try access.revoke([.select], on: .table(id), from: "analysts")
        try access.grant([.select, .modify], on: try .namespace("sales"), to: "alice")
        _ = try access.createToken(for: "alice", lifetimeSeconds: 60)
        let bob = try Catalog(root: root, principal: try Principal("bob"))
        #expect(throws: TableError.self) { _ = try bob.openTable(id).read() }

        let output = try Peers.runInline("""
            import os, sys
            from deltalake import DeltaTable
            root = sys.argv[1]
            def rows(name, cols):
                d = DeltaTable(root + "/_system/" + name).to_pyarrow_table().to_pydict()
                return sorted("|".join(str(d[c][i]) for c in cols) for i in range(len(d[cols[0]])))
            for r in rows("principals", ["name", "kind"]): print("P", r)
            for r in rows("memberships", ["group_name", "member"]): print("M", r)
            for r in rows("grants", ["principal", "privilege", "securable_kind", "securable"]): print("G", r)
            for r in rows("tokens", ["principal"]): print("T", r)
            for r in rows("audit", ["principal", "privilege", "outcome"]): print("A", r)
            for e in sorted(DeltaTable(root + "/_system/grants").history(), key=lambda e: e["version"]):
                print("H", e["version"], e["operation"], e.get("operationParameters", {}).get("by"))
            sys.stdout.flush(); os._exit(0)
            """, [root])
        let lines = Set(output.stdout.split(separator: "\n").map(String.init))
        let context = "\(output.stdout) \(output.stderr.suffix(2000))"
        for expected in ["P admins|GROUP", "P alice|USER", "P analysts|GROUP", "P root_admin|USER",
                         "M admins|root_admin", "M analysts|alice",
                         "G alice|SELECT|NAMESPACE|sales", "G alice|MODIFY|NAMESPACE|sales",
                         "G root_admin|OWNERSHIP|NAMESPACE|sales", "G root_admin|OWNERSHIP|TABLE|sales.orders",
                         "T alice", "A bob|SELECT|DENIED"] {
            #expect(lines.contains(expected), "missing \(expected): \(context)")
        }
        #expect(!lines.contains("G analysts|SELECT|TABLE|sales.orders"), "\(context)")
        let history = output.stdout.split(separator: "\n").filter { $0.hasPrefix("H ") }.map { String($0) }
        #expect(history.contains { $0.hasSuffix("GRANT root_admin") }, "\(context)")
        #expect(history.contains { $0.hasSuffix("REVOKE root_admin") }, "\(context)")
    }
}
