// Access-control statements of the SQL syntax tree: principals, group membership,
// GRANT/REVOKE and SHOW GRANTS. Owns only the shape of what was written; must never
// check or change permissions (TarnTables' access control does).
import TarnExpression

extension Statement {
    /// The kind of principal a CREATE/DROP names.
    public enum PrincipalKind: String, Sendable, Hashable, CaseIterable {
        case user = "USER"
        case group = "GROUP"
        case servicePrincipal = "SERVICE PRINCIPAL"
    }
}

/// A privilege named in GRANT, REVOKE or SHOW GRANTS.
public enum PrivilegeName: String, Sendable, Hashable, CaseIterable {
    case use = "USE"
    case create = "CREATE"
    case select = "SELECT"
    case modify = "MODIFY"
    case manage = "MANAGE"
    case readFiles = "READ FILES"
    case allPrivileges = "ALL PRIVILEGES"
}

/// The securable a grant is on.
public enum GrantTarget: Sendable, Hashable {
    /// `LAKEHOUSE`: the whole root.
    case lakehouse
    /// `NAMESPACE ns` (also `SCHEMA ns`).
    case namespace(NamespaceName)
    /// `TABLE t`.
    case table(TableName)
}

/// `CREATE USER|GROUP|SERVICE PRINCIPAL [IF NOT EXISTS] name`.
public struct CreatePrincipalStatement: Sendable, Hashable {
    public var kind: Statement.PrincipalKind
    public var name: String
    public var ifNotExists: Bool
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(kind: Statement.PrincipalKind, name: String, ifNotExists: Bool = false, location: TarnExpression.SourceLocation? = nil) {
        self.kind = kind
        self.name = name
        self.ifNotExists = ifNotExists
        self.location = location
    }
}

/// `DROP USER|GROUP|SERVICE PRINCIPAL [IF EXISTS] name`.
public struct DropPrincipalStatement: Sendable, Hashable {
    public var kind: Statement.PrincipalKind
    public var name: String
    public var ifExists: Bool
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(kind: Statement.PrincipalKind, name: String, ifExists: Bool = false, location: TarnExpression.SourceLocation? = nil) {
        self.kind = kind
        self.name = name
        self.ifExists = ifExists
        self.location = location
    }
}

/// `ALTER GROUP g ADD|REMOVE MEMBER p`.
public struct AlterGroupStatement: Sendable, Hashable {
    public var group: String
    /// true for ADD MEMBER, false for REMOVE MEMBER.
    public var add: Bool
    public var member: String
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(group: String, add: Bool, member: String, location: TarnExpression.SourceLocation? = nil) {
        self.group = group
        self.add = add
        self.member = member
        self.location = location
    }
}

/// `GRANT privileges ON target TO principal` and `REVOKE privileges ON target FROM principal`.
public struct GrantStatement: Sendable, Hashable {
    /// The privileges in written order (duplicates kept as written).
    public var privileges: [PrivilegeName]
    public var target: GrantTarget
    public var principal: String
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(privileges: [PrivilegeName], target: GrantTarget, principal: String, location: TarnExpression.SourceLocation? = nil) {
        self.privileges = privileges
        self.target = target
        self.principal = principal
        self.location = location
    }
}

/// `SHOW GRANTS [ON target] [TO principal] [TIMESTAMP AS OF '…']`.
public struct ShowGrantsStatement: Sendable, Hashable {
    public var target: GrantTarget?
    public var principal: String?
    /// The instant to answer for, as written; nil for now.
    public var asOf: String?

    public init(target: GrantTarget? = nil, principal: String? = nil, asOf: String? = nil) {
        self.target = target
        self.principal = principal
        self.asOf = asOf
    }
}
