// AccessControl: the public face of access control for one calling principal — checks,
// principal and membership administration, grants, ownership, and the questions "who may
// do X" / "what was granted" now or as of a timestamp. Every change is one commit to a
// system table naming who made it; must never change anything for a caller who may not.
import TarnColumnar
import TarnIO
import TarnLog

public struct AccessControl: Sendable {
    /// Who is acting (the catalog's principal).
    public let caller: Caller
    let store: AccessStore

    public var principal: Principal { caller.principal }

    /// Access control of `catalog`'s lakehouse, acting as the catalog's principal.
    public init(catalog: Catalog) {
        caller = catalog.caller
        store = catalog.accessStore
    }

    init(caller: Caller, store: AccessStore) {
        self.caller = caller
        self.store = store
    }

    // MARK: Checks

    /// Refuses unless `principal` holds `privilege` on `securable` now (direct grants,
    /// groups, nested groups, grants on the namespace or lakehouse, ownership, admins).
    /// - Throws: `.accessDenied` with an `AccessDenied` cause (recorded in `_system.audit`);
    ///   `.invalidName` for a bad principal name; `.storage`/`.corrupt` from the system tables.
    public func check(_ principal: Principal, _ privilege: Privilege, on securable: Securable,
                      action: String = "check") throws(TableError) {
        try store.check(Caller(principal, impersonatedBy: principal == caller.principal ? caller.impersonatedBy : nil),
                        privilege, on: securable, action: action)
    }

    /// `check` for the calling principal.
    public func require(_ privilege: Privilege, on securable: Securable, action: String) throws(TableError) {
        try store.check(caller, privilege, on: securable, action: action)
    }

    /// Whether `principal` holds `privilege` on `securable`, now or as of `asOf` (µs since
    /// the epoch). Nothing is audited.
    public func isAllowed(_ principal: String, _ privilege: Privilege, on securable: Securable,
                          asOf: Int64? = nil) throws(TableError) -> Bool {
        try state(asOf: asOf).allows(principal, privilege, on: securable)
    }

    /// Whether the calling principal is in `admins`.
    public func isAdmin() throws(TableError) -> Bool {
        try state(asOf: nil).isAdmin(caller.principal.name)
    }

    func state(asOf: Int64?) throws(TableError) -> AccessState {
        let now = try store.current(bootstrapAs: caller.principal)
        guard let asOf else { return now }
        return try store.state(asOfMicros: asOf)
    }

    func requireAdmin(action: String) throws(TableError) {
        try PrincipalName.validate(caller.principal.name)
        let state = try store.current(bootstrapAs: caller.principal)
        guard state.isAdmin(caller.principal.name) else {
            throw store.deny(caller, "ADMIN", on: .lakehouse, action: action)
        }
    }

    var parameters: [String: String] {
        var p = ["by": caller.principal.name]
        if let admin = caller.impersonatedBy { p["impersonatedBy"] = admin }
        return p
    }

    // MARK: Principals and groups (admins only)

    /// Creates a user, service principal or group (one commit to `_system.principals`).
    /// - Throws: `.invalidName`; `.alreadyExists` (names are unique across kinds) unless
    ///   `ifNotExists`; `.accessDenied` unless the caller is an admin.
    public func createPrincipal(_ name: String, kind: PrincipalKind, ifNotExists: Bool = false) throws(TableError) {
        try PrincipalName.validate(name)
        try requireAdmin(action: "CREATE \(kind.sqlName)")
        let now = Clock.nowMicros()
        var p = parameters
        p["principal"] = name
        p["kind"] = kind.rawValue
        let actor = caller.principal.name
        try store.principals.rewrite(operation: "CREATE PRINCIPAL", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            if let existing = rows.first(where: { $0[0].text == name }) {
                if ifNotExists { return nil }
                throw TableError(.alreadyExists, "principal '\(name)' already exists (a \(existing[1].text.lowercased()))")
            }
            return rows + [[.string(name), .string(kind.rawValue), .string(actor), .time(now)]]
        }
    }

    /// Drops a principal: its row, its memberships (as member and as group) and the grants
    /// to it — up to three commits, the principal row first. A principal that owns
    /// securables cannot be dropped (transfer their ownership first); `admins` never.
    public func dropPrincipal(_ name: String, kind: PrincipalKind? = nil, ifExists: Bool = false) throws(TableError) {
        try PrincipalName.validate(name)
        try requireAdmin(action: "DROP \(kind?.sqlName ?? "PRINCIPAL")")
        guard name != BuiltinGroup.admins else {
            throw TableError(.invalidArgument, "the '\(BuiltinGroup.admins)' group cannot be dropped")
        }
        let state = try store.current(bootstrapAs: caller.principal)
        let owned = state.grants.filter { $0.isOwnership && $0.principal == name }.map(\.securable.description)
        guard owned.isEmpty else {
            throw TableError(.invalidArgument, "principal '\(name)' owns \(owned.joined(separator: ", ")); transfer their ownership first (ALTER TABLE … OWNER TO …)")
        }
        var p = parameters
        p["principal"] = name
        var found = false
        try store.principals.rewrite(operation: "DROP PRINCIPAL", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            guard let existing = rows.first(where: { $0[0].text == name }) else { return nil }
            if let kind, existing[1].text != kind.rawValue {
                throw TableError(.invalidArgument, "principal '\(name)' is a \(existing[1].text.lowercased()), not a \(kind.rawValue.lowercased())")
            }
            found = true
            return rows.filter { $0[0].text != name }
        }
        guard found else {
            if ifExists { return }
            throw TableError(.notFound, "principal '\(name)' does not exist")
        }
        try store.memberships.rewrite(operation: "REMOVE MEMBER", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let kept = rows.filter { $0[0].text != name && $0[1].text != name }
            return kept.count == rows.count ? nil : kept
        }
        try store.grants.rewrite(operation: "REVOKE", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let kept = rows.filter { $0[0].text != name }
            return kept.count == rows.count ? nil : kept
        }
    }

    /// Adds `member` (any principal) to `group` (one commit). Adding an existing member
    /// changes nothing.
    /// - Throws: `.notFound` for an unknown principal; `.invalidArgument` when `group` is
    ///   not a group or the membership would make a cycle of groups.
    public func addMember(_ member: String, to group: String) throws(TableError) {
        try PrincipalName.validate(member)
        try PrincipalName.validate(group)
        try requireAdmin(action: "ALTER GROUP ADD MEMBER")
        let state = try store.current(bootstrapAs: caller.principal)
        guard let groupRecord = state.principals[group] else { throw TableError(.notFound, "group '\(group)' does not exist") }
        guard groupRecord.kind == .group else {
            throw TableError(.invalidArgument, "'\(group)' is a \(groupRecord.kind.sqlName.lowercased()), not a group")
        }
        guard state.principals[member] != nil else { throw TableError(.notFound, "principal '\(member)' does not exist") }
        let now = Clock.nowMicros()
        let actor = caller.principal.name
        var p = parameters
        p["group"] = group
        p["member"] = member
        try store.memberships.rewrite(operation: "ADD MEMBER", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            if rows.contains(where: { $0[0].text == group && $0[1].text == member }) { return nil }
            let graph = AccessState(principals: [], memberships: rows.map {
                MembershipRecord(group: $0[0].text, member: $0[1].text, addedBy: "", addedAt: 0)
            }, grants: [])
            if member == group || graph.members(of: member).contains(group) {
                throw TableError(.invalidArgument, "adding '\(member)' to '\(group)' would make a cycle of groups ('\(group)' is already inside '\(member)')")
            }
            return rows + [[.string(group), .string(member), .string(actor), .time(now)]]
        }
    }

    /// Removes `member` from `group` (one commit).
    /// - Throws: `.notFound` when it is not a direct member; `.invalidArgument` when the
    ///   lakehouse would be left without any admin.
    public func removeMember(_ member: String, from group: String) throws(TableError) {
        try PrincipalName.validate(member)
        try PrincipalName.validate(group)
        try requireAdmin(action: "ALTER GROUP REMOVE MEMBER")
        var p = parameters
        p["group"] = group
        p["member"] = member
        try store.memberships.rewrite(operation: "REMOVE MEMBER", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            guard rows.contains(where: { $0[0].text == group && $0[1].text == member }) else {
                throw TableError(.notFound, "'\(member)' is not a member of '\(group)'")
            }
            let kept = rows.filter { !($0[0].text == group && $0[1].text == member) }
            if group == BuiltinGroup.admins && !kept.contains(where: { $0[0].text == BuiltinGroup.admins }) {
                throw TableError(.invalidArgument, "'\(member)' is the last member of '\(BuiltinGroup.admins)'; add another admin first")
            }
            return kept
        }
    }

    /// Principals, sorted by name (any principal may list them: names and kinds only).
    public func listPrincipals(kind: PrincipalKind? = nil) throws(TableError) -> [PrincipalRecord] {
        try PrincipalName.validate(caller.principal.name)
        let state = try store.current(bootstrapAs: caller.principal)
        return state.principals.values.filter { kind == nil || $0.kind == kind }.sorted { $0.name < $1.name }
    }

    /// Direct members of `group`, now or as of `asOf` (µs), sorted.
    public func members(of group: String, asOf: Int64? = nil) throws(TableError) -> [String] {
        try PrincipalName.validate(caller.principal.name)
        return (try state(asOf: asOf).membersOf[group] ?? []).sorted()
    }
}
