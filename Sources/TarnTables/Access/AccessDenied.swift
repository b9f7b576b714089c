// AccessDenied: the typed cause of a `TableError` with code `.accessDenied` — who was
// refused which privilege on what. Must never carry data of the securable.

/// Why an operation was refused. Thrown as the `cause` of `TableError(.accessDenied, …)`.
public struct AccessDenied: Error, Sendable, Hashable, CustomStringConvertible {
    public var principal: String
    public var privilege: String
    public var securable: Securable
    /// What was attempted, e.g. "scan" or "GRANT".
    public var action: String

    public init(principal: String, privilege: String, securable: Securable, action: String) {
        self.principal = principal
        self.privilege = privilege
        self.securable = securable
        self.action = action
    }

    public var description: String {
        "principal '\(principal)' lacks \(privilege) on \(securable) (\(action))"
    }

    /// The `TableError` a denial is thrown as; the message ends with a remedy.
    var tableError: TableError {
        let remedy: String
        if privilege == "ADMIN" {
            remedy = "only members of the '\(BuiltinGroup.admins)' group may; ask an admin"
        } else if privilege == GrantedRight.ownership {
            remedy = "only the owner or an admin may"
        } else if securable.isSystem {
            remedy = "system tables are for admins"
        } else {
            remedy = "ask an owner or admin to GRANT \(privilege) ON \(securable) TO \(principal)"
        }
        return TableError(.accessDenied, "access denied (\(remedy))",
                          table: securable.kind == .table ? securable.name : nil, cause: self)
    }
}

extension TableError {
    /// The denial this error reports, when its code is `.accessDenied`.
    public var accessDenied: AccessDenied? { cause as? AccessDenied }
}
