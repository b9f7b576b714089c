// AccessState: the principals, memberships and grants of one point in time, decoded
// from the system tables, and the pure resolution of effective privileges over them.
// Does no IO; must never consult anything but its own rows (so time travel is exact).

/// A row of `_system.principals`.
public struct PrincipalRecord: Sendable, Hashable {
    public var name: String
    public var kind: PrincipalKind
    public var createdBy: String
    /// Microseconds since the epoch.
    public var createdAt: Int64
}

/// A row of `_system.memberships`: `member` (a user, service principal or group) is in `group`.
public struct MembershipRecord: Sendable, Hashable {
    public var group: String
    public var member: String
    public var addedBy: String
    public var addedAt: Int64
}

/// A row of `_system.grants`. `privilege` is a `Privilege` raw value or "OWNERSHIP".
public struct GrantRecord: Sendable, Hashable {
    public var principal: String
    public var privilege: String
    public var securable: Securable
    public var grantedBy: String
    /// Microseconds since the epoch.
    public var grantedAt: Int64

    /// True for the row that records the securable's owner.
    public var isOwnership: Bool { privilege == GrantedRight.ownership }
}

/// The access state at one version of the system tables.
public struct AccessState: Sendable {
    public let principals: [String: PrincipalRecord]
    public let memberships: [MembershipRecord]
    public let grants: [GrantRecord]
    /// group → direct members; member → groups it is directly in.
    let membersOf: [String: Set<String>]
    let groupsOf: [String: Set<String>]
    let grantsOn: [Securable: [GrantRecord]]

    public init(principals: [PrincipalRecord], memberships: [MembershipRecord], grants: [GrantRecord]) {
        var byName: [String: PrincipalRecord] = [:]
        for p in principals { byName[p.name] = p }
        self.principals = byName
        self.memberships = memberships
        self.grants = grants
        var membersOf: [String: Set<String>] = [:], groupsOf: [String: Set<String>] = [:]
        for m in memberships {
            membersOf[m.group, default: []].insert(m.member)
            groupsOf[m.member, default: []].insert(m.group)
        }
        self.membersOf = membersOf
        self.groupsOf = groupsOf
        var grantsOn: [Securable: [GrantRecord]] = [:]
        for g in grants { grantsOn[g.securable, default: []].append(g) }
        self.grantsOn = grantsOn
    }

    static let empty = AccessState(principals: [], memberships: [], grants: [])

    /// Every group `name` is in, directly or through nested groups (cycles are tolerated
    /// here; membership changes refuse to create them).
    public func groups(of name: String) -> Set<String> {
        var seen = Set<String>()
        var frontier = Array(groupsOf[name] ?? [])
        while let group = frontier.popLast() {
            guard seen.insert(group).inserted else { continue }
            frontier.append(contentsOf: groupsOf[group] ?? [])
        }
        return seen
    }

    /// Every principal inside `group`, directly or through nested groups.
    public func members(of group: String) -> Set<String> {
        var seen = Set<String>()
        var frontier = Array(membersOf[group] ?? [])
        while let member = frontier.popLast() {
            guard seen.insert(member).inserted else { continue }
            frontier.append(contentsOf: membersOf[member] ?? [])
        }
        return seen
    }

    /// `name` itself plus every group it is in.
    func identities(of name: String) -> Set<String> {
        var all = groups(of: name)
        all.insert(name)
        return all
    }

    /// Member of `admins` (directly or nested), or the `admins` group itself.
    public func isAdmin(_ name: String) -> Bool {
        identities(of: name).contains(BuiltinGroup.admins)
    }

    /// The owner of `securable`, when recorded.
    public func owner(of securable: Securable) -> String? {
        grantsOn[securable]?.last(where: \.isOwnership)?.principal
    }

    /// Whether `name` holds `privilege` on `securable`: admins hold everything; otherwise
    /// a grant of the privilege, of ALL PRIVILEGES, or ownership, to the principal or any
    /// of its groups, on the securable or a securable it inherits from (`lineage`).
    public func allows(_ name: String, _ privilege: Privilege, on securable: Securable) -> Bool {
        let who = identities(of: name)
        if who.contains(BuiltinGroup.admins) { return true }
        for level in securable.lineage {
            for grant in grantsOn[level] ?? [] where who.contains(grant.principal) {
                if grant.privilege == privilege.rawValue || grant.privilege == Privilege.allPrivileges.rawValue || grant.isOwnership {
                    return true
                }
            }
        }
        return false
    }

    /// Whether `name` owns `securable` (itself or through a group it is in), or is an admin.
    public func ownsOrAdmin(_ name: String, _ securable: Securable) -> Bool {
        let who = identities(of: name)
        if who.contains(BuiltinGroup.admins) { return true }
        guard let owner = owner(of: securable) else { return false }
        return who.contains(owner)
    }

    /// Principals that hold `privilege` on `securable`, sorted — users and service
    /// principals (expanded from groups) and the groups that carry the grants.
    public func principals(with privilege: Privilege, on securable: Securable) -> [String] {
        principals.keys.filter { allows($0, privilege, on: securable) }.sorted()
    }
}
