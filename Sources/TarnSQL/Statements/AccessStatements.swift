// AccessStatements: execution of the access-control statements — CREATE/DROP USER, GROUP,
// SERVICE PRINCIPAL; ALTER GROUP ADD/REMOVE MEMBER; GRANT/REVOKE; ALTER TABLE|NAMESPACE
// … OWNER TO; SHOW GRANTS [… TIMESTAMP AS OF]; SHOW USERS|GROUPS. Maps the syntax tree to
// TarnTables' AccessControl; must never decide a permission itself.
import TarnColumnar
import TarnExpression
import TarnTables

enum AccessStatements {
    /// Executes `statement` when it is an access-control statement, as the context
    /// catalog's principal; nil for any other statement (the caller executes it).
    /// - Throws: `SQLError` of kind `.accessDenied` when the principal may not, `.binding`
    ///   for unknown principals or securables, `.syntax` for a bad name or timestamp.
    static func execute(_ statement: Statement, context: StatementContext) throws(SQLError) -> StatementResult? {
        let access = context.catalog.access
        let text = context.statementText
        switch statement {
        case let .createPrincipal(s):
            try context.table { () throws(TableError) in try access.createPrincipal(s.name, kind: kind(s.kind), ifNotExists: s.ifNotExists) }
            return .message("created \(s.kind.rawValue.lowercased()) \(s.name)", statement: text)
        case let .dropPrincipal(s):
            try context.table { () throws(TableError) in try access.dropPrincipal(s.name, kind: kind(s.kind), ifExists: s.ifExists) }
            return .message("dropped \(s.kind.rawValue.lowercased()) \(s.name)", statement: text)
        case let .alterGroup(s):
            try context.table { () throws(TableError) in
                if s.add { try access.addMember(s.member, to: s.group) } else { try access.removeMember(s.member, from: s.group) }
            }
            return .message("\(s.add ? "added" : "removed") \(s.member) \(s.add ? "to" : "from") group \(s.group)", statement: text)
        case let .grant(s):
            let target = try securable(s.target, context)
            let privileges = s.privileges.compactMap { Privilege(rawValue: $0.rawValue) }
            try context.table { () throws(TableError) in try access.grant(privileges, on: target, to: s.principal) }
            return .message("granted \(privileges.map(\.rawValue).joined(separator: ", ")) on \(target) to \(s.principal)", statement: text)
        case let .revoke(s):
            let target = try securable(s.target, context)
            let privileges = s.privileges.compactMap { Privilege(rawValue: $0.rawValue) }
            try context.table { () throws(TableError) in try access.revoke(privileges, on: target, from: s.principal) }
            return .message("revoked \(privileges.map(\.rawValue).joined(separator: ", ")) on \(target) from \(s.principal)", statement: text)
        case let .alterTable(s):
            guard case let .setOwner(principal) = s.action else { return nil }
            let id = try context.identifier(namespace: s.name.namespace, name: s.name.name, at: s.name.location)
            try context.table { () throws(TableError) in try access.transferOwnership(of: .table(id), to: principal) }
            return .message("\(id) is now owned by \(principal)", statement: text)
        case let .alterNamespaceOwner(namespace, principal):
            try context.table { () throws(TableError) in
                try access.transferOwnership(of: try .namespace(namespace.name), to: principal)
            }
            return .message("namespace \(namespace.name) is now owned by \(principal)", statement: text)
        case let .showGrants(s):
            let target = try s.target.map { (t) throws(SQLError) -> Securable in try securable(t, context) }
            let asOf = try s.asOf.map { (t) throws(SQLError) -> Int64 in try micros(t, context) }
            let grants = try context.table { () throws(TableError) in try access.grants(on: target, to: s.principal, asOf: asOf) }
            return try rows(grantRows(grants), context)
        case .showUsers:
            let principals = try context.table { () throws(TableError) in try access.listPrincipals() }
                .filter { $0.kind != .group }
            return try rows(principalRows(principals, members: nil), context)
        case .showGroups:
            let groups = try context.table { () throws(TableError) in try access.listPrincipals(kind: .group) }
            var members: [String: [String]] = [:]
            for group in groups {
                members[group.name] = try context.table { () throws(TableError) in try access.members(of: group.name) }
            }
            return try rows(principalRows(groups, members: members), context)
        default:
            return nil
        }
    }

    static func kind(_ kind: Statement.PrincipalKind) -> PrincipalKind {
        switch kind {
        case .user: return .user
        case .group: return .group
        case .servicePrincipal: return .servicePrincipal
        }
    }

    static func securable(_ target: GrantTarget, _ context: StatementContext) throws(SQLError) -> Securable {
        switch target {
        case .lakehouse:
            return .lakehouse
        case let .namespace(ns):
            return try context.table { () throws(TableError) in try Securable.namespace(ns.name) }
        case let .table(name):
            return .table(try context.identifier(namespace: name.namespace, name: name.name, at: name.location))
        }
    }

    /// `TIMESTAMP AS OF 'YYYY-MM-DD[ HH:MM:SS[.ffffff]][zone]'` → µs since the epoch (UTC when no zone).
    static func micros(_ text: String, _ context: StatementContext) throws(SQLError) -> Int64 {
        guard let parsed = TemporalFormat.parseTimestamp(Substring(text.trimmingWhitespace)) else {
            throw context.error(.syntax, "TIMESTAMP AS OF needs a timestamp like '2026-03-01 12:00:00', got '\(text.prefix(60))'")
        }
        return parsed.micros
    }

    static let grantSchema = Schema([
        Field("principal", .string), Field("privilege", .string), Field("securable_kind", .string),
        Field("securable", .string), Field("granted_by", .string), Field("granted_at", .timestamp(.utc)),
    ])

    static func grantRows(_ grants: [GrantRecord]) -> (Schema, [[ScalarValue]]) {
        (grantSchema, grants.map {
            [.string($0.principal), .string($0.privilege), .string($0.securable.kind.rawValue),
             .string($0.securable.name), .string($0.grantedBy), .timestamp($0.grantedAt, .utc)]
        })
    }

    static func principalRows(_ principals: [PrincipalRecord], members: [String: [String]]?) -> (Schema, [[ScalarValue]]) {
        var fields = [Field("name", .string), Field("kind", .string), Field("created_by", .string), Field("created_at", .timestamp(.utc))]
        if members != nil { fields.append(Field("members", .string)) }
        return (Schema(fields), principals.map { p in
            var row: [ScalarValue] = [.string(p.name), .string(p.kind.sqlName), .string(p.createdBy), .timestamp(p.createdAt, .utc)]
            if let members { row.append(.string((members[p.name] ?? []).joined(separator: ", "))) }
            return row
        })
    }

    static func rows(_ table: (Schema, [[ScalarValue]]), _ context: StatementContext) throws(SQLError) -> StatementResult {
        let (schema, rows) = table
        do {
            var columns: [Column] = []
            for (i, field) in schema.fields.enumerated() {
                columns.append(try Column(field.type, scalars: rows.map { $0[i] }))
            }
            let batch = try RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
            return .rows([batch], schema: schema, statement: context.statementText)
        } catch {
            throw context.error(.execution, "cannot build the result rows: \(error)")
        }
    }
}
