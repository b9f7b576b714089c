// Statement: the root of the SQL syntax tree, one case per statement form, and
// ParsedStatement (a statement with its own source text). Owns only the shape of what
// was written; must never execute anything. Equality ignores source locations.
import TarnExpression

/// One SQL statement as written. `sql` prints text that parses back to an equal value.
public indirect enum Statement: Sendable, Hashable {
    // Queries and data.
    case query(Query)
    case insert(InsertStatement)
    case delete(DeleteStatement)
    case update(UpdateStatement)
    case merge(MergeStatement)

    // Definitions.
    case createTable(CreateTableStatement)
    case dropTable(DropTableStatement)
    case alterTable(AlterTableStatement)
    case createNamespace(CreateNamespaceStatement)
    /// `ALTER NAMESPACE|SCHEMA ns OWNER TO principal`.
    case alterNamespaceOwner(namespace: NamespaceName, principal: String)

    // Inspection.
    /// `SHOW TABLES [IN|FROM ns]`.
    case showTables(namespace: NamespaceName?)
    /// `SHOW NAMESPACES` (also `SHOW SCHEMAS`, `SHOW DATABASES`).
    case showNamespaces
    /// `SHOW TBLPROPERTIES t [('key')]`.
    case showTableProperties(TableName, key: String?)
    /// `SHOW COLUMNS {IN|FROM} t`.
    case showColumns(TableName)
    /// `DESCRIBE [TABLE] t` (also `DESC`).
    case describeTable(TableName)
    /// `DESCRIBE DETAIL t`.
    case describeDetail(TableName)
    case describeHistory(DescribeHistoryStatement)

    // Maintenance.
    case optimize(OptimizeStatement)
    case vacuum(VacuumStatement)
    case restore(RestoreStatement)

    /// `EXPLAIN statement`.
    case explain(Statement)

    // Access control.
    case createPrincipal(CreatePrincipalStatement)
    case dropPrincipal(DropPrincipalStatement)
    case alterGroup(AlterGroupStatement)
    case grant(GrantStatement)
    case revoke(GrantStatement)
    case showGrants(ShowGrantsStatement)
    /// `SHOW USERS`.
    case showUsers
    /// `SHOW GROUPS`.
    case showGroups

    /// The statement's leading words in upper case (`SELECT`, `CREATE TABLE`, `DESCRIBE
    /// HISTORY`), for results, logs and messages.
    public var kindName: String {
        switch self {
        case .query: return "SELECT"
        case let .insert(i): return i.overwrite ? "INSERT OVERWRITE" : "INSERT INTO"
        case .delete: return "DELETE"
        case .update: return "UPDATE"
        case .merge: return "MERGE"
        case let .createTable(c): return c.asQuery == nil ? "CREATE TABLE" : "CREATE TABLE AS SELECT"
        case .dropTable: return "DROP TABLE"
        case .alterTable: return "ALTER TABLE"
        case .createNamespace: return "CREATE NAMESPACE"
        case .alterNamespaceOwner: return "ALTER NAMESPACE"
        case .showTables: return "SHOW TABLES"
        case .showNamespaces: return "SHOW NAMESPACES"
        case .showTableProperties: return "SHOW TBLPROPERTIES"
        case .showColumns: return "SHOW COLUMNS"
        case .describeTable: return "DESCRIBE"
        case .describeDetail: return "DESCRIBE DETAIL"
        case .describeHistory: return "DESCRIBE HISTORY"
        case .optimize: return "OPTIMIZE"
        case .vacuum: return "VACUUM"
        case .restore: return "RESTORE"
        case .explain: return "EXPLAIN"
        case let .createPrincipal(c): return "CREATE " + c.kind.rawValue
        case let .dropPrincipal(d): return "DROP " + d.kind.rawValue
        case .alterGroup: return "ALTER GROUP"
        case .grant: return "GRANT"
        case .revoke: return "REVOKE"
        case .showGrants: return "SHOW GRANTS"
        case .showUsers: return "SHOW USERS"
        case .showGroups: return "SHOW GROUPS"
        }
    }
}

/// One statement of a script with the text it was parsed from.
public struct ParsedStatement: Sendable, Hashable {
    public var statement: Statement
    /// The statement's own source text: from its first token to the end of its last token
    /// (comments around it and the `;` excluded).
    public var text: String
    /// Where the statement starts in the whole script.
    @NotCompared public var location: TarnExpression.SourceLocation

    public init(statement: Statement, text: String, location: TarnExpression.SourceLocation) {
        self.statement = statement
        self.text = text
        self.location = location
    }
}
