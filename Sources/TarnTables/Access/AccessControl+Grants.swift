// AccessControl grants and ownership: GRANT/REVOKE, ALTER … OWNER TO, and the questions
// "what is granted" and "who holds a privilege", now or as of a timestamp. Each change is
// one commit to `_system.grants`; must never grant on a securable that does not exist.
import TarnColumnar
import TarnIO
import TarnLog

extension AccessControl {
    /// Grants `privileges` on `securable` to `principal` (one commit; privileges already
    /// granted are skipped, and nothing is committed when all were).
    /// - Throws: `.accessDenied` unless the caller holds MANAGE on the securable (owners and
    ///   admins do); `.notFound` for an unknown principal or securable; `.invalidArgument`
    ///   for READ FILES on anything but the lakehouse.
    public func grant(_ privileges: [Privilege], on securable: Securable, to principal: String) throws(TableError) {
        try PrincipalName.validate(principal)
        guard !privileges.isEmpty else { throw TableError(.invalidArgument, "GRANT needs at least one privilege") }
        if privileges.contains(.readFiles) && securable.kind != .lakehouse {
            throw TableError(.invalidArgument, "READ FILES is granted on the LAKEHOUSE only, not on \(securable)")
        }
        try require(.manage, on: securable, action: "GRANT")
        try requireExists(securable)
        let state = try store.current(bootstrapAs: caller.principal)
        guard state.principals[principal] != nil else { throw TableError(.notFound, "principal '\(principal)' does not exist") }
        let now = Clock.nowMicros()
        let actor = caller.principal.name
        var p = parameters
        p["principal"] = principal
        p["privileges"] = JSONText.array(privileges.map(\.rawValue))
        p["securable"] = securable.description
        try store.grants.rewrite(operation: "GRANT", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            var out = rows
            for privilege in privileges where !rows.contains(where: { Self.matches($0, principal, privilege.rawValue, securable) }) {
                out.append([.string(principal), .string(privilege.rawValue), .string(securable.kind.rawValue),
                            .string(securable.name), .string(actor), .time(now)])
            }
            return out.count == rows.count ? nil : out
        }
    }

    /// Revokes `privileges` on `securable` from `principal` (one commit; nothing is
    /// committed when none was granted). Revoking ALL PRIVILEGES removes every privilege
    /// granted to the principal on the securable (not ownership).
    public func revoke(_ privileges: [Privilege], on securable: Securable, from principal: String) throws(TableError) {
        try PrincipalName.validate(principal)
        guard !privileges.isEmpty else { throw TableError(.invalidArgument, "REVOKE needs at least one privilege") }
        try require(.manage, on: securable, action: "REVOKE")
        var p = parameters
        p["principal"] = principal
        p["privileges"] = JSONText.array(privileges.map(\.rawValue))
        p["securable"] = securable.description
        let all = privileges.contains(.allPrivileges)
        let names = Set(privileges.map(\.rawValue))
        try store.grants.rewrite(operation: "REVOKE", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let kept = rows.filter { row in
                guard row[0].text == principal, row[2].text == securable.kind.rawValue, row[3].text == securable.name else { return true }
                if row[1].text == GrantedRight.ownership { return true }
                return !(all || names.contains(row[1].text))
            }
            return kept.count == rows.count ? nil : kept
        }
    }

    /// Makes `principal` the owner of `securable` (one commit).
    /// - Throws: `.accessDenied` unless the caller owns it (itself or through a group) or is an admin.
    public func transferOwnership(of securable: Securable, to principal: String) throws(TableError) {
        try PrincipalName.validate(principal)
        try PrincipalName.validate(caller.principal.name)
        try requireExists(securable)
        let state = try store.current(bootstrapAs: caller.principal)
        guard state.ownsOrAdmin(caller.principal.name, securable) else {
            throw store.deny(caller, GrantedRight.ownership, on: securable, action: "OWNER TO")
        }
        guard state.principals[principal] != nil else { throw TableError(.notFound, "principal '\(principal)' does not exist") }
        try setOwner(securable, principal, operation: "OWNER TO", replacing: true)
    }

    /// The owner of `securable`, now or as of `asOf` (µs).
    public func owner(of securable: Securable, asOf: Int64? = nil) throws(TableError) -> String? {
        try PrincipalName.validate(caller.principal.name)
        return try state(asOf: asOf).owner(of: securable)
    }

    /// Grant rows (ownership included), now or as of `asOf` (µs since the epoch), on
    /// exactly `securable` when given and to exactly `principal` when given.
    /// - Throws: `.accessDenied` unless the caller is an admin, asks for its own grants
    ///   (`principal` is the caller), or holds MANAGE on `securable`.
    public func grants(on securable: Securable? = nil, to principal: String? = nil, asOf: Int64? = nil) throws(TableError) -> [GrantRecord] {
        try PrincipalName.validate(caller.principal.name)
        let now = try store.current(bootstrapAs: caller.principal)
        let me = caller.principal.name
        let allowed = now.isAdmin(me) || principal == me || (securable.map { now.allows(me, .manage, on: $0) } ?? false)
        guard allowed else {
            throw store.deny(caller, Privilege.manage.rawValue, on: securable ?? .lakehouse, action: "SHOW GRANTS")
        }
        let state = asOf == nil ? now : try store.state(asOfMicros: asOf ?? 0)
        return state.grants.filter { g in
            (securable == nil || g.securable == securable) && (principal == nil || g.principal == principal)
        }.sorted { ($0.securable.description, $0.principal, $0.privilege) < ($1.securable.description, $1.principal, $1.privilege) }
    }

    /// Principals (users, service principals and groups) that hold `privilege` on
    /// `securable`, now or as of `asOf` (µs) — grants and memberships as they were then.
    /// - Throws: `.accessDenied` unless the caller is an admin or holds MANAGE on it.
    public func principals(with privilege: Privilege, on securable: Securable, asOf: Int64? = nil) throws(TableError) -> [String] {
        try require(.manage, on: securable, action: "SHOW PRINCIPALS WITH")
        return try state(asOf: asOf).principals(with: privilege, on: securable)
    }

    // MARK: Ownership bookkeeping used by the catalog

    /// Records `owner` as the owner of a securable just created (nothing when one is recorded).
    func recordCreation(of securable: Securable) throws(TableError) {
        try setOwner(securable, caller.principal.name, operation: "SET OWNER", replacing: false)
    }

    /// Removes every grant on `securable` (and, for a namespace, on what is inside it) — after a drop.
    func forget(_ securable: Securable) throws(TableError) {
        var p = parameters
        p["securable"] = securable.description
        try store.grants.rewrite(operation: "DROP SECURABLE", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let kept = rows.filter { row in
                let s = Securable(uncheckedKind: SecurableKind(row[2].text), name: row[3].text)
                return !(s == securable || s.lineage.dropFirst().contains(securable))
            }
            return kept.count == rows.count ? nil : kept
        }
    }

    private func setOwner(_ securable: Securable, _ owner: String, operation: String, replacing: Bool) throws(TableError) {
        let now = Clock.nowMicros()
        let actor = caller.principal.name
        var p = parameters
        p["owner"] = owner
        p["securable"] = securable.description
        try store.grants.rewrite(operation: operation, parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let isOwnerRow = { (row: SystemRow) in
                row[1].text == GrantedRight.ownership && row[2].text == securable.kind.rawValue && row[3].text == securable.name
            }
            if !replacing && rows.contains(where: isOwnerRow) { return nil }
            return rows.filter { !isOwnerRow($0) } + [[.string(owner), .string(GrantedRight.ownership), .string(securable.kind.rawValue),
                                                       .string(securable.name), .string(actor), .time(now)]]
        }
    }

    static func matches(_ row: SystemRow, _ principal: String, _ privilege: String, _ securable: Securable) -> Bool {
        row[0].text == principal && row[1].text == privilege && row[2].text == securable.kind.rawValue && row[3].text == securable.name
    }

    /// Refuses grants on namespaces and tables that do not exist (other kinds are not checked).
    func requireExists(_ securable: Securable) throws(TableError) {
        switch securable.kind {
        case .namespace:
            let exists: Bool
            do {
                exists = try store.store.listDirectories(prefix: "").contains { StoragePath.lastComponent(of: $0) == securable.name }
            } catch {
                throw TableError(.storage, "cannot list namespaces", cause: error)
            }
            guard exists else { throw TableError(.notFound, "namespace '\(securable.name)' does not exist") }
        case .table:
            let id = try TableIdentifier(parsing: securable.name)
            let exists: Bool
            do {
                exists = try DeltaLog(store: store.store, tablePath: id.path).tableExists()
            } catch {
                throw TableError(.storage, "cannot read the log", table: securable.name, cause: error)
            }
            guard exists else { throw TableError(.notFound, "the table does not exist", table: securable.name) }
        default:
            return
        }
    }
}
