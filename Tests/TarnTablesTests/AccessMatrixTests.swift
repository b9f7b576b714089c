// The enforcement matrix of the Swift API: every table and catalog operation is denied
// without its privilege (nothing written, the denial audited), allowed once the privilege
// arrives by any route — direct grant, group, nested group, namespace or lakehouse grant,
// ALL PRIVILEGES, ownership, admins — and denied again after the revoke.
import Foundation
import Testing
import TarnColumnar
import TarnLog
import TarnTables
import TarnTestSupport

struct TableOperation: Sendable, CustomStringConvertible {
    let description: String
    let privilege: Privilege
    /// Whether the operation acts on the namespace (create) rather than the table.
    var onNamespace = false
    /// Runs the operation as the catalog's principal; `attempt` makes fresh names.
    let run: @Sendable (Catalog, TableIdentifier, Int) throws -> Void

    static let all: [TableOperation] = [
        TableOperation(description: "scan latest", privilege: .select) { c, id, _ in _ = try c.openTable(id).read() },
        TableOperation(description: "scan version 1", privilege: .select) { c, id, _ in _ = try c.openTable(id).read(asOf: .version(1)) },
        TableOperation(description: "scan by timestamp", privilege: .select) { c, id, _ in
            _ = try c.openTable(id).scan(asOf: .timestamp(Int64(Date().timeIntervalSince1970 * 1_000_000))).count()
        },
        TableOperation(description: "history", privilege: .select) { c, id, _ in _ = try c.openTable(id).history() },
        TableOperation(description: "detail", privilege: .select) { c, id, _ in _ = try c.openTable(id).detail() },
        TableOperation(description: "append", privilege: .modify) { c, id, _ in try c.openTable(id).append([try Rows.batch(100..<103)]) },
        TableOperation(description: "overwrite", privilege: .modify) { c, id, _ in try c.openTable(id).overwrite([try Rows.batch(200..<201)]) },
        TableOperation(description: "add columns", privilege: .manage) { c, id, attempt in
            try c.openTable(id).addColumns([Field("extra\(attempt)", .string)])
        },
        TableOperation(description: "drop table", privilege: .manage) { c, id, _ in try c.dropTable(id) },
        TableOperation(description: "create table", privilege: .create, onNamespace: true) { c, id, attempt in
            try c.createTable(TableIdentifier(namespace: id.namespace, name: "new\(attempt)"), schema: Rows.schema)
        },
        TableOperation(description: "delete", privilege: .modify) { c, id, _ in
            try c.openTable(id).delete(where: .comparison(column: "id", op: .lessOrEqual, value: .int(1)))
        },
        TableOperation(description: "update", privilege: .modify) { c, id, _ in
            try c.openTable(id).update(where: .comparison(column: "id", op: .equal, value: .int(2)), set: ["name": .literal(.string("x"))])
        },
        TableOperation(description: "merge", privilege: .modify) { c, id, _ in
            try c.openTable(id).merge(source: [try Rows.batch(3..<5)], on: [(target: "id", source: "id")])
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
        },
        TableOperation(description: "optimize", privilege: .manage) { c, id, _ in _ = try c.openTable(id).optimize() },
        TableOperation(description: "z-order", privilege: .manage) { c, id, _ in _ = try c.openTable(id).zOrder(by: ["id"]) },
        TableOperation(description: "vacuum", privilege: .manage) { c, id, _ in _ = try c.openTable(id).vacuum(dryRun: true) },
        TableOperation(description: "restore", privilege: .manage) { c, id, _ in _ = try c.openTable(id).restore(toVersion: 1) },
        TableOperation(description: "add constraint", privilege: .manage) { c, id, attempt in
            try c.openTable(id).addConstraint(name: "positive\(attempt)", check: "id >= 0")
        },
        TableOperation(description: "grant", privilege: .manage) { c, id, _ in
            try c.access.grant([.select], on: .table(id), to: "analysts")
        },
    ]
}

enum GrantRoute: String, CaseIterable, Sendable {
    case direct, group, nestedGroup, namespace, lakehouse, allPrivileges, ownership, admins
}

@Suite("Access matrix: every Swift API operation × every route to a privilege")
struct AccessMatrixTests {
    @Test("denied without, allowed with, denied after revoke", arguments: TableOperation.all, GrantRoute.allCases)
    func matrix(_ operation: TableOperation, _ route: GrantRoute) throws {
        let lake = try AccessLakehouse()
        let alice = try lake.catalog(as: "alice")
        let access = lake.admin.access
        let securable: Securable = operation.onNamespace ? try .namespace(lake.table.namespace) : .table(lake.table)
        try access.addMember("alice", to: "analysts")
        try access.addMember("analysts", to: "staff")

        // Without the privilege: denied, nothing written, the denial audited.
        let versionBefore = try lake.version()
        let auditBefore = try lake.systemVersion("audit")
        let denial = expectDenied("\(operation) before granting") { try operation.run(alice, lake.table, 1) }
        #expect(denial?.principal == "alice")
        #expect(try lake.version() == versionBefore)
        #expect(try lake.admin.tableExists(TableIdentifier(namespace: "sales", name: "new1")) == false)
        #expect(try lake.systemVersion("audit") == auditBefore + 1)

        // With the privilege through the route: allowed.
        switch route {
        case .direct: try access.grant([operation.privilege], on: securable, to: "alice")
        case .group: try access.grant([operation.privilege], on: securable, to: "analysts")
        case .nestedGroup: try access.grant([operation.privilege], on: securable, to: "staff")
        case .namespace: try access.grant([operation.privilege], on: try .namespace("sales"), to: "alice")
        case .lakehouse: try access.grant([operation.privilege], on: .lakehouse, to: "alice")
        case .allPrivileges: try access.grant([.allPrivileges], on: securable, to: "alice")
        case .ownership: try access.transferOwnership(of: securable, to: "alice")
        case .admins: try access.addMember("alice", to: "admins")
        }
        try operation.run(alice, lake.table, 1)

        // A dropped table comes back (without grants) so the revoke and the last attempt have a target.
        if try !lake.admin.tableExists(lake.table) {
            try lake.admin.createTable(lake.table, schema: Rows.schema).append([try Rows.batch(0..<3)])
            try lake.admin.openTable(lake.table).append([try Rows.batch(3..<5)])
        }
        switch route {
        case .direct: try access.revoke([operation.privilege], on: securable, from: "alice")
        case .group: try access.revoke([operation.privilege], on: securable, from: "analysts")
        case .nestedGroup: try access.removeMember("analysts", from: "staff")
        case .namespace: try access.revoke([operation.privilege], on: try .namespace("sales"), from: "alice")
        case .lakehouse: try access.revoke([operation.privilege], on: .lakehouse, from: "alice")
        case .allPrivileges: try access.revoke([.allPrivileges], on: securable, from: "alice")
        case .ownership: try access.transferOwnership(of: securable, to: "root_admin")
        case .admins: try access.removeMember("alice", from: "admins")
        }
        let versionAfter = try lake.version()
        expectDenied("\(operation) after the revoke") { try operation.run(alice, lake.table, 2) }
        #expect(try lake.version() == versionAfter)
    }
}
