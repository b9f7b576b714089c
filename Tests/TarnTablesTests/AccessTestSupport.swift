// Helpers for access-control tests: a lakehouse with an admin, a table with rows, and
// principals alice (user), analysts and staff (groups); catalogs acting as any of them.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnTables
import TarnTestSupport

struct AccessLakehouse {
    let store: InMemoryFileStore
    let admin: Catalog
    let table: TableIdentifier

    /// `root_admin` creates the lakehouse (and becomes its admin) and `sales.orders` with 10 rows.
    init() throws {
        store = InMemoryFileStore()
        admin = Catalog(store: store, principal: try Principal("root_admin"))
        table = try TableIdentifier(parsing: "sales.orders")
        try admin.createTable(table, schema: Rows.schema).append([try Rows.batch(0..<10)])
        try admin.access.createPrincipal("alice", kind: .user)
        try admin.access.createPrincipal("analysts", kind: .group)
        try admin.access.createPrincipal("staff", kind: .group)
    }

    func catalog(as name: String) throws -> Catalog {
        Catalog(store: store, principal: try Principal(name))
    }

    /// The latest version of `table`, read as the admin.
    func version(_ id: TableIdentifier? = nil) throws -> Int64 {
        try admin.openTable(id ?? table).snapshot().version
    }

    /// Versions of the system table `_system.<name>`, read as the admin.
    func systemVersion(_ name: String) throws -> Int64 {
        try admin.openTable(TableIdentifier(namespace: "_system", name: name)).snapshot().version
    }
}

/// Runs `body` and expects an access denial (a TableError with code .accessDenied and an
/// AccessDenied cause); returns the denial.
@discardableResult
func expectDenied(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> AccessDenied? {
    do {
        try body()
        Issue.record("\(what): expected an access denial, but it succeeded", sourceLocation: sourceLocation)
    } catch let error as TableError {
        #expect(error.code == .accessDenied, "\(what): \(error)", sourceLocation: sourceLocation)
        #expect(error.accessDenied != nil, "\(what): no AccessDenied cause", sourceLocation: sourceLocation)
        return error.accessDenied
    } catch {
        Issue.record("\(what): unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
