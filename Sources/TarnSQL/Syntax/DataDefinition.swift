// Data-definition statements of the SQL syntax tree: CREATE TABLE (with columns or AS
// SELECT), DROP TABLE, ALTER TABLE, CREATE NAMESPACE. Owns only the shape of what was
// written; must never check names or types against a catalog.
import TarnColumnar
import TarnExpression

/// `name TYPE [NOT NULL] [COMMENT '…']` in CREATE TABLE and ALTER TABLE ADD COLUMNS.
public struct ColumnDefinition: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var notNull: Bool
    public var comment: String?
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(_ name: String, _ type: DataType, notNull: Bool = false, comment: String? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.type = type
        self.notNull = notNull
        self.comment = comment
        self.location = location
    }
}

/// `CONSTRAINT name CHECK (expression)`. The text to store in the table's configuration
/// (`delta.constraints.<name>`) is `expression.sql`.
public struct CheckConstraint: Sendable, Hashable {
    public var name: String
    public var expression: Expression
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(name: String, expression: Expression, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.expression = expression
        self.location = location
    }
}

/// One `'key' = 'value'` of TBLPROPERTIES. Keys may be written as strings or dotted names;
/// values as strings, numbers or booleans, all kept as text (`true`, `10`).
public struct PropertyEntry: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// `CREATE TABLE [IF NOT EXISTS] t (columns, constraints) [PARTITIONED BY (…)] [COMMENT '…']
/// [TBLPROPERTIES (…)]` or, with `asQuery`, `CREATE TABLE t [PARTITIONED BY …] … AS query`
/// (then `columns` and `constraints` are empty).
public struct CreateTableStatement: Sendable, Hashable {
    public var name: TableName
    public var ifNotExists: Bool
    public var columns: [ColumnDefinition]
    public var constraints: [CheckConstraint]
    public var partitionedBy: [String]
    public var comment: String?
    public var properties: [PropertyEntry]
    public var asQuery: Query?

    public init(name: TableName, ifNotExists: Bool = false, columns: [ColumnDefinition] = [], constraints: [CheckConstraint] = [],
                partitionedBy: [String] = [], comment: String? = nil, properties: [PropertyEntry] = [], asQuery: Query? = nil) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.columns = columns
        self.constraints = constraints
        self.partitionedBy = partitionedBy
        self.comment = comment
        self.properties = properties
        self.asQuery = asQuery
    }
}

/// `DROP TABLE [IF EXISTS] t`.
public struct DropTableStatement: Sendable, Hashable {
    public var name: TableName
    public var ifExists: Bool

    public init(name: TableName, ifExists: Bool = false) {
        self.name = name
        self.ifExists = ifExists
    }
}

/// `CREATE NAMESPACE|SCHEMA|DATABASE [IF NOT EXISTS] ns [COMMENT '…']`.
public struct CreateNamespaceStatement: Sendable, Hashable {
    public var name: NamespaceName
    public var ifNotExists: Bool
    public var comment: String?

    public init(name: NamespaceName, ifNotExists: Bool = false, comment: String? = nil) {
        self.name = name
        self.ifNotExists = ifNotExists
        self.comment = comment
    }
}

/// What an ALTER TABLE does.
public enum AlterTableAction: Sendable, Hashable {
    /// `ADD COLUMNS (col TYPE …, …)` (also `ADD COLUMN col TYPE …`).
    case addColumns([ColumnDefinition])
    /// `ADD CONSTRAINT name CHECK (expression)`.
    case addConstraint(CheckConstraint)
    /// `DROP CONSTRAINT [IF EXISTS] name`.
    case dropConstraint(name: String, ifExists: Bool)
    /// `SET TBLPROPERTIES ('k' = 'v', …)`.
    case setProperties([PropertyEntry])
    /// `UNSET TBLPROPERTIES [IF EXISTS] ('k', …)`.
    case unsetProperties(keys: [String], ifExists: Bool)
    /// `OWNER TO principal`.
    case setOwner(principal: String)
    /// `ALTER|CHANGE [COLUMN] col TYPE type`: widen a column's type (Delta type widening).
    case alterColumnType(column: String, type: DataType)
    /// `ALTER|CHANGE [COLUMN] col SET NOT NULL | DROP NOT NULL`.
    case alterColumnNullability(column: String, nullable: Bool)
}

/// `ALTER TABLE t action`.
public struct AlterTableStatement: Sendable, Hashable {
    public var name: TableName
    public var action: AlterTableAction

    public init(name: TableName, action: AlterTableAction) {
        self.name = name
        self.action = action
    }
}
