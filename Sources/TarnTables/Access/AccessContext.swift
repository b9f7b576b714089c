// AccessContext: what a `Table` carries to check its caller before every operation —
// the lakehouse's access store, the calling principal and the table as a securable.
// Tables opened through a `Catalog` always carry one; must never be widened after opening.

/// The access check a `Table` runs first in each public operation.
public struct AccessContext: Sendable {
    let store: AccessStore?
    let caller: Caller?
    /// The table as a securable (the lakehouse for a table opened by path through a catalog).
    public let securable: Securable
    /// Opened by directory path through a catalog: reads need READ FILES on the lakehouse,
    /// anything else also the privilege on the lakehouse.
    let byPath: Bool

    /// No checks: a table opened directly on a store or directory (`Table.open(directory:)`,
    /// `Table.create(store:…)`). Whoever holds the store holds the files; see docs/security.md.
    public static let unrestricted = AccessContext(store: nil, caller: nil, securable: .lakehouse, byPath: false)

    /// True when the table checks nothing (opened outside a catalog).
    public var isUnrestricted: Bool { store == nil }

    /// The principal the table acts for, nil when unrestricted.
    public var principal: Principal? { caller?.principal }

    init(store: AccessStore?, caller: Caller?, securable: Securable, byPath: Bool) {
        self.store = store
        self.caller = caller
        self.securable = securable
        self.byPath = byPath
    }

    /// Refuses unless the caller holds `privilege` on the table (inherited grants,
    /// ownership and admins included). `action` names the operation in the denial.
    public func require(_ privilege: Privilege, action: String) throws(TableError) {
        guard let store, let caller else { return }
        if byPath {
            try store.check(caller, .readFiles, on: .lakehouse, action: action)
            if privilege != .select { try store.check(caller, privilege, on: .lakehouse, action: action) }
            return
        }
        try store.check(caller, privilege, on: securable, action: action)
    }

    /// Refuses unless the caller holds one of `privileges` (reading metadata needs any
    /// privilege on the table).
    public func requireAny(_ privileges: [Privilege], action: String) throws(TableError) {
        guard let store, let caller else { return }
        if byPath {
            try store.check(caller, .readFiles, on: .lakehouse, action: action)
            return
        }
        try store.checkAny(caller, privileges, on: securable, action: action)
    }
}
