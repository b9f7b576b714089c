// Access-control statement grammar: CREATE/DROP of principals (their kind words), ALTER
// GROUP membership, GRANT/REVOKE with privileges and targets, SHOW GRANTS. Must never
// accept a privilege or target word the syntax tree cannot name.
import TarnExpression

extension StatementParser {
    /// Consumes USER, GROUP or SERVICE PRINCIPAL and returns the kind; nil when none.
    mutating func principalKind() -> Statement.PrincipalKind? {
        if cursor.consumeKeyword("USER") { return .user }
        if cursor.consumeKeyword("GROUP") { return .group }
        if cursor.consumeKeyword("SERVICE", "PRINCIPAL") { return .servicePrincipal }
        return nil
    }

    /// After ALTER GROUP: `g ADD|REMOVE MEMBER p`.
    mutating func alterGroup() throws(ExpressionError) -> AlterGroupStatement {
        let location = peek.location
        let group = try principalName("a group name")
        let add: Bool
        if cursor.consumeKeyword("ADD") {
            add = true
        } else if cursor.consumeKeyword("REMOVE") {
            add = false
        } else {
            throw fail(expected: "ADD MEMBER or REMOVE MEMBER", withNotes: false)
        }
        try expect("MEMBER")
        return AlterGroupStatement(group: group, add: add, member: try principalName("a member name"), location: location)
    }

    /// `GRANT privileges ON target TO p` | `REVOKE privileges ON target FROM p`.
    mutating func grantOrRevoke() throws(ExpressionError) -> Statement {
        let location = peek.location
        let isGrant = cursor.isKeyword("GRANT")
        cursor.advance()
        var privileges = [try privilege()]
        while cursor.consumeSymbol(",") { privileges.append(try privilege()) }
        try expect("ON")
        let target = try grantTarget()
        try expect(isGrant ? "TO" : "FROM")
        let statement = GrantStatement(privileges: privileges, target: target, principal: try principalName(), location: location)
        return isGrant ? .grant(statement) : .revoke(statement)
    }

    /// USE, CREATE, SELECT, MODIFY, MANAGE, READ FILES, ALL [PRIVILEGES].
    private mutating func privilege() throws(ExpressionError) -> PrivilegeName {
        if cursor.consumeKeyword("ALL") {
            _ = cursor.consumeKeyword("PRIVILEGES")
            return .allPrivileges
        }
        if cursor.consumeKeyword("READ", "FILES") { return .readFiles }
        for candidate in [PrivilegeName.use, .create, .select, .modify, .manage] where cursor.consumeKeyword(candidate.rawValue) {
            return candidate
        }
        let names = PrivilegeName.allCases.map(\.rawValue)
        if peek.kind == .identifier || peek.kind == .keyword, let match = Self.nearMiss(peek.text, among: names) {
            throw ExpressionError(.syntax, "expected a privilege (\(names.joined(separator: ", "))), found \(peek) (did you mean \(match)?)", at: peek.location)
        }
        throw fail(expected: "a privilege (\(names.joined(separator: ", ")))", withNotes: false)
    }

    /// LAKEHOUSE | NAMESPACE ns (also SCHEMA) | TABLE t.
    private mutating func grantTarget() throws(ExpressionError) -> GrantTarget {
        if cursor.consumeKeyword("LAKEHOUSE") { return .lakehouse }
        if cursor.consumeKeyword("NAMESPACE") || cursor.consumeKeyword("SCHEMA") || cursor.consumeKeyword("DATABASE") {
            let location = peek.location
            return .namespace(NamespaceName(try identifier("a namespace name"), location: location))
        }
        if cursor.consumeKeyword("TABLE") { return .table(try tableName()) }
        throw fail(expected: "LAKEHOUSE, NAMESPACE or TABLE", withNotes: false)
    }

    /// After SHOW GRANTS: `[ON target] [TO p] [TIMESTAMP AS OF '…']`.
    mutating func showGrants() throws(ExpressionError) -> ShowGrantsStatement {
        var statement = ShowGrantsStatement()
        if accept("ON") { statement.target = try grantTarget() }
        if accept("TO") { statement.principal = try principalName() }
        if accept("TIMESTAMP") {
            try expect("AS", "OF")
            statement.asOf = try stringLiteral("a timestamp string such as '2026-11-29 10:00:00' after TIMESTAMP AS OF")
        }
        return statement
    }
}
