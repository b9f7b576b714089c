// Table maintenance and inspection statements of the SQL syntax tree: OPTIMIZE, VACUUM,
// RESTORE, DESCRIBE HISTORY. Owns only the shape of what was written; must never run
// an operation.
import TarnExpression

/// `OPTIMIZE t [WHERE condition] [ZORDER BY (columns)]`.
public struct OptimizeStatement: Sendable, Hashable {
    public var table: TableName
    public var condition: Expression?
    /// Z-order columns; empty for plain compaction.
    public var zOrderBy: [String]

    public init(table: TableName, condition: Expression? = nil, zOrderBy: [String] = []) {
        self.table = table
        self.condition = condition
        self.zOrderBy = zOrderBy
    }
}

/// `VACUUM t [RETAIN n HOURS] [DRY RUN]`.
public struct VacuumStatement: Sendable, Hashable {
    public var table: TableName
    /// Retention in hours as written (may have a fraction); nil uses the table's setting.
    public var retainHours: Double?
    public var dryRun: Bool

    public init(table: TableName, retainHours: Double? = nil, dryRun: Bool = false) {
        self.table = table
        self.retainHours = retainHours
        self.dryRun = dryRun
    }
}

/// `RESTORE [TABLE] t [TO] VERSION AS OF n | TIMESTAMP AS OF '…'`.
public struct RestoreStatement: Sendable, Hashable {
    public var table: TableName
    public var target: TimeTravelSpec

    public init(table: TableName, target: TimeTravelSpec) {
        self.table = table
        self.target = target
    }
}

/// `DESCRIBE HISTORY t [LIMIT n]`.
public struct DescribeHistoryStatement: Sendable, Hashable {
    public var table: TableName
    public var limit: Int?

    public init(table: TableName, limit: Int? = nil) {
        self.table = table
        self.limit = limit
    }
}
