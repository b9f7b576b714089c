// Catalog: names (`namespace.table`) mapped to table directories under one lakehouse
// root. Owns namespaces and the create/drop/list of tables; must never build a path
// from a name that `Names` has not validated.
import Foundation
import TarnColumnar
import TarnIO
import TarnLog

public struct Catalog: Sendable {
    /// The store rooted at the lakehouse root.
    public let store: any FileStore
    /// The root as given (for messages).
    public let root: String
    /// Who every operation of this catalog and its tables is checked for (Access/).
    public let caller: Caller
    let accessStore: AccessStore

    /// The calling principal.
    public var principal: Principal { caller.principal }
    /// Access control of this lakehouse, acting as `principal`.
    public var access: AccessControl { AccessControl(catalog: self) }

    /// A catalog over a local directory, created if missing, acting as `principal`
    /// (default: `Identity.current()` — TARN_USER, else the OS user). The first principal
    /// to use a lakehouse becomes its first admin.
    /// - Throws: `.storage` when the directory cannot be created or opened.
    public init(root: String, principal: Principal? = nil) throws(TableError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw TableError(.storage, "cannot create the lakehouse root \(root)", cause: StringError(error.localizedDescription))
        }
        self.store = LocalFileStore(root: root)
        self.root = root
        self.caller = Caller(principal ?? Identity.current())
        self.accessStore = AccessStore(store: store)
    }

    /// A catalog over any store (tests use an in-memory one), acting as `principal`.
    public init(store: any FileStore, root: String = "", principal: Principal? = nil) {
        self.store = store
        self.root = root
        self.caller = Caller(principal ?? Identity.current())
        self.accessStore = AccessStore(store: store)
    }

    private init(_ other: Catalog, caller: Caller) {
        store = other.store
        root = other.root
        accessStore = other.accessStore
        self.caller = caller
    }

    /// The same catalog acting as principal `name` — for admins only (`tarn --as`). The
    /// impersonation is recorded in `_system.audit`, and commits name the admin too.
    /// - Throws: `.accessDenied` unless the caller is an admin; `.invalidName`.
    public func acting(as name: String) throws(TableError) -> Catalog {
        let target = try Principal(name)
        try access.requireAdmin(action: "ACT AS \(name)")
        try accessStore.recordAudit(caller, action: "ACT AS", privilege: "ADMIN", securable: .lakehouse,
                                    outcome: "ALLOWED", reason: "\(caller.principal.name) acts as \(name)")
        return Catalog(self, caller: Caller(target, impersonatedBy: caller.principal.name))
    }

    func tableAccess(_ id: TableIdentifier) -> AccessContext {
        AccessContext(store: accessStore, caller: caller, securable: .table(id), byPath: false)
    }

    // MARK: Namespaces

    /// Creates a namespace (a directory). Creating an existing one is an error unless `ifNotExists`.
    public func createNamespace(_ namespace: String, ifNotExists: Bool = false) throws(TableError) {
        try Names.validate(namespace, kind: "namespace")
        if try namespaceExists(namespace) {
            if ifNotExists { return }
            throw TableError(.alreadyExists, "namespace '\(namespace)' already exists")
        }
        try access.require(.create, on: .lakehouse, action: "create namespace")
        do {
            try store.createDirectory(namespace)
        } catch {
            throw TableError(.storage, "cannot create namespace '\(namespace)'", cause: error)
        }
        try access.recordCreation(of: .namespace(namespace))
    }

    public func namespaceExists(_ namespace: String) throws(TableError) -> Bool {
        try Names.validate(namespace, kind: "namespace")
        return try allNamespaces().contains(namespace)
    }

    /// Namespaces the caller may USE, sorted; `_system` is not listed (name it explicitly).
    public func listNamespaces() throws(TableError) -> [String] {
        let access = self.access
        var visible: [String] = []
        for ns in try allNamespaces() where ns != Securable.systemNamespace {
            if try access.isAllowed(principal.name, .use, on: .namespace(ns)) { visible.append(ns) }
        }
        return visible
    }

    private func allNamespaces() throws(TableError) -> [String] {
        do {
            return try store.listDirectories(prefix: "").map { StoragePath.lastComponent(of: $0) }
                .filter { (try? Names.validate($0, kind: "namespace")) != nil }
        } catch {
            throw TableError(.storage, "cannot list namespaces under \(root)", cause: error)
        }
    }

    /// Drops an empty namespace; one that holds tables needs `cascade`.
    public func dropNamespace(_ namespace: String, cascade: Bool = false, ifExists: Bool = false) throws(TableError) {
        guard try namespaceExists(namespace) else {
            if ifExists { return }
            throw TableError(.notFound, "namespace '\(namespace)' does not exist")
        }
        try access.require(.manage, on: .namespace(namespace), action: "drop namespace")
        let tables = try listTables(namespace: namespace)
        if !tables.isEmpty && !cascade {
            throw TableError(.notEmpty, "namespace '\(namespace)' holds \(tables.count) table(s): \(tables.map(\.name).joined(separator: ", ")); drop them first")
        }
        do {
            try store.deleteDirectory(namespace, recursively: true)
        } catch {
            throw TableError(.storage, "cannot drop namespace '\(namespace)'", cause: error)
        }
        try access.forget(.namespace(namespace))
    }

    // MARK: Tables

    /// Tables of `namespace` (or of every namespace), sorted.
    public func listTables(namespace: String? = nil) throws(TableError) -> [TableIdentifier] {
        let namespaces: [String]
        if let namespace {
            try Names.validate(namespace, kind: "namespace")
            guard try namespaceExists(namespace) else {
                throw TableError(.notFound, "namespace '\(namespace)' does not exist; known: \(try listNamespaces().joined(separator: ", "))")
            }
            try access.require(.use, on: .namespace(namespace), action: "list tables")
            namespaces = [namespace]
        } else {
            namespaces = try listNamespaces()
        }
        var out: [TableIdentifier] = []
        for ns in namespaces {
            let directories: [String]
            do {
                directories = try store.listDirectories(prefix: ns)
            } catch {
                throw TableError(.storage, "cannot list tables of '\(ns)'", cause: error)
            }
            for directory in directories {
                let name = StoragePath.lastComponent(of: directory)
                guard let id = try? TableIdentifier(namespace: ns, name: name) else { continue }
                let hasLog = (try? store.listDirectories(prefix: directory).contains(directory + "/_delta_log")) ?? false
                if hasLog { out.append(id) }
            }
        }
        return out
    }

    public func tableExists(_ id: TableIdentifier) throws(TableError) -> Bool {
        do {
            return try DeltaLog(store: store, tablePath: id.path).tableExists()
        } catch {
            throw TableError(.storage, "cannot read the log", table: id.description, cause: error)
        }
    }

    /// Creates table `id` (its namespace is created when missing).
    /// - Throws: `.alreadyExists` unless `ifNotExists` (then the existing table is returned).
    @discardableResult
    public func createTable(_ id: TableIdentifier, schema: Schema, partitionColumns: [String] = [],
                            properties: [String: String] = [:], description: String? = nil,
                            ifNotExists: Bool = false) throws(TableError) -> Table {
        if try tableExists(id) {
            if ifNotExists { return try openTable(id) }
            throw TableError(.alreadyExists, "the table already exists", table: id.description)
        }
        try access.require(.create, on: .namespace(id.namespace), action: "create table")
        // Check the definition before creating anything, so a bad one leaves no namespace behind.
        try TableSchemaRules.validateNew(schema: schema, partitionColumns: partitionColumns, table: id.description)
        try createNamespace(id.namespace, ifNotExists: true)
        let table = try Table.create(store: store, path: id.path, name: id.description, schema: schema,
                                     partitionColumns: partitionColumns, properties: properties, description: description,
                                     committer: principal.name)
        try access.recordCreation(of: .table(id))
        return table.with(access: tableAccess(id))
    }

    /// Opens table `id`.
    /// - Throws: `.notFound` naming the table when it does not exist.
    public func openTable(_ id: TableIdentifier) throws(TableError) -> Table {
        try Table.open(store: store, path: id.path, name: id.description).with(access: tableAccess(id))
    }

    /// Opens `namespace.table` from the catalog, or any Delta table by directory path
    /// (a reference containing '/' or starting with '.'; needs READ FILES on the lakehouse).
    public func openTable(reference: String) throws(TableError) -> Table {
        if reference.contains("/") || reference.hasPrefix(".") {
            return try openTable(directory: reference)
        }
        return try openTable(TableIdentifier(parsing: reference))
    }

    /// Opens any Delta table by local directory path, bypassing the catalog's names: the
    /// caller needs READ FILES on the lakehouse (writing it also the privilege on the lakehouse).
    public func openTable(directory: String) throws(TableError) -> Table {
        try access.require(.readFiles, on: .lakehouse, action: "open by path")
        return try Table.open(directory: directory)
            .with(access: AccessContext(store: accessStore, caller: caller, securable: .lakehouse, byPath: true))
    }

    /// Drops table `id`: removes its directory (log and data). Time travel ends with it.
    public func dropTable(_ id: TableIdentifier, ifExists: Bool = false) throws(TableError) {
        guard try tableExists(id) else {
            if ifExists { return }
            throw TableError(.notFound, "the table does not exist", table: id.description)
        }
        try access.require(.manage, on: .table(id), action: "drop table")
        do {
            try store.deleteDirectory(id.path, recursively: true)
        } catch {
            throw TableError(.storage, "cannot drop the table", table: id.description, cause: error)
        }
        try access.forget(.table(id))
    }
}
