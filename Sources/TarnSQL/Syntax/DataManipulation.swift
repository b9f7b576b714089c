// Data-manipulation statements of the SQL syntax tree: INSERT INTO/OVERWRITE, DELETE,
// UPDATE, MERGE. Owns only the shape of what was written; must never bind expressions
// or touch tables.
import TarnExpression

/// `INSERT INTO|OVERWRITE [TABLE] t [(columns)] source`, where the source is a query:
/// `VALUES (…), (…)` is a query whose body is `.values`.
public struct InsertStatement: Sendable, Hashable {
    public var table: TableName
    /// INSERT OVERWRITE replaces the table's rows; INSERT INTO appends.
    public var overwrite: Bool
    /// The target columns as written; empty means all columns in table order.
    public var columns: [String]
    public var source: Query

    public init(table: TableName, overwrite: Bool = false, columns: [String] = [], source: Query) {
        self.table = table
        self.overwrite = overwrite
        self.columns = columns
        self.source = source
    }
}

/// `DELETE FROM t [[AS] alias] [WHERE condition]`.
public struct DeleteStatement: Sendable, Hashable {
    public var table: TableName
    public var alias: String?
    public var condition: Expression?

    public init(table: TableName, alias: String? = nil, condition: Expression? = nil) {
        self.table = table
        self.alias = alias
        self.condition = condition
    }
}

/// `column = value` in UPDATE SET and MERGE's UPDATE SET. `qualifier` is the table or
/// alias written before the column (`t.c = …`), nil when none.
public struct Assignment: Sendable, Hashable {
    public var qualifier: String?
    public var column: String
    public var value: Expression
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(qualifier: String? = nil, column: String, value: Expression, location: TarnExpression.SourceLocation? = nil) {
        self.qualifier = qualifier
        self.column = column
        self.value = value
        self.location = location
    }
}

/// `UPDATE t [[AS] alias] SET c = v, … [WHERE condition]`.
public struct UpdateStatement: Sendable, Hashable {
    public var table: TableName
    public var alias: String?
    public var assignments: [Assignment]
    public var condition: Expression?

    public init(table: TableName, alias: String? = nil, assignments: [Assignment], condition: Expression? = nil) {
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.condition = condition
    }
}

/// Which rows a WHEN clause of MERGE applies to.
public enum MergeMatchKind: String, Sendable, Hashable {
    /// `WHEN MATCHED`: a target row with a source row.
    case matched
    /// `WHEN NOT MATCHED [BY TARGET]`: a source row with no target row.
    case notMatchedByTarget
    /// `WHEN NOT MATCHED BY SOURCE`: a target row with no source row.
    case notMatchedBySource
}

/// What a WHEN clause of MERGE does.
public enum MergeAction: Sendable, Hashable {
    /// `UPDATE SET c = v, …` (matched, not matched by source).
    case update([Assignment])
    /// `UPDATE SET *`: every target column from the source column of the same name (matched).
    case updateAll
    /// `DELETE` (matched, not matched by source).
    case delete
    /// `INSERT [(columns)] VALUES (…)` (not matched by target); empty columns means all
    /// target columns in order.
    case insert(columns: [String], values: [Expression])
    /// `INSERT *` (not matched by target).
    case insertAll
}

/// `WHEN [NOT] MATCHED [BY TARGET|SOURCE] [AND condition] THEN action`. The parser only
/// builds the combinations of `match` and `action` that the list on `MergeAction` allows.
public struct MergeClause: Sendable, Hashable {
    public var match: MergeMatchKind
    public var condition: Expression?
    public var action: MergeAction
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(_ match: MergeMatchKind, condition: Expression? = nil, action: MergeAction, location: TarnExpression.SourceLocation? = nil) {
        self.match = match
        self.condition = condition
        self.action = action
        self.location = location
    }
}

/// `MERGE INTO t [[AS] alias] USING source ON condition clauses…`. The source is a named
/// table, a path table or a subquery (with its alias inside the reference).
public struct MergeStatement: Sendable, Hashable {
    public var target: TableName
    public var targetAlias: String?
    public var source: TableReference
    public var condition: Expression
    /// The WHEN clauses in written order (the first matching one applies to a row).
    public var clauses: [MergeClause]
    /// `MERGE WITH SCHEMA EVOLUTION INTO …`: source columns the table lacks are added by
    /// the `UPDATE SET *` / `INSERT *` clauses.
    public var schemaEvolution: Bool

    public init(target: TableName, targetAlias: String? = nil, source: TableReference, condition: Expression, clauses: [MergeClause],
                schemaEvolution: Bool = false) {
        self.target = target
        self.targetAlias = targetAlias
        self.source = source
        self.condition = condition
        self.clauses = clauses
        self.schemaEvolution = schemaEvolution
    }
}
