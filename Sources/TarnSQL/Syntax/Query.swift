// Queries of the SQL syntax tree: WITH, SELECT cores, UNION [ALL], VALUES, ORDER BY,
// LIMIT/OFFSET. Owns only the shape of what was written; must never bind names or
// decide types (the planner does).
import TarnExpression

/// A whole query: `[WITH ctes] body [ORDER BY …] [LIMIT n] [OFFSET m]`.
public struct Query: Sendable, Hashable {
    public var with: [CommonTableExpression]
    public var body: QueryBody
    public var orderBy: [OrderItem]
    public var limit: Int64?
    public var offset: Int64?
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(with: [CommonTableExpression] = [], body: QueryBody, orderBy: [OrderItem] = [],
                limit: Int64? = nil, offset: Int64? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.location = location
    }

    /// A query that is just one SELECT.
    public init(_ select: SelectCore, location: TarnExpression.SourceLocation? = nil) {
        self.init(body: .select(select), location: location ?? select.location)
    }

    /// The SELECT when the query is exactly one SELECT core with nothing around it.
    public var singleSelect: SelectCore? {
        guard with.isEmpty, orderBy.isEmpty, limit == nil, offset == nil, case let .select(core) = body else { return nil }
        return core
    }
}

/// The set-operation tree of a query body.
public indirect enum QueryBody: Sendable, Hashable {
    /// One `SELECT …`.
    case select(SelectCore)
    /// `VALUES (…), (…)`: rows of expressions, all of the same length.
    case values(ValuesList)
    /// A parenthesised query that has its own WITH, ORDER BY or LIMIT.
    case nested(Query)
    /// `left UNION ALL right` (`all` true) or `left UNION [DISTINCT] right`; left-deep.
    case union(left: QueryBody, right: QueryBody, all: Bool)
}

/// `VALUES (…), (…)`.
public struct ValuesList: Sendable, Hashable {
    public var rows: [[Expression]]
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(rows: [[Expression]], location: TarnExpression.SourceLocation? = nil) {
        self.rows = rows
        self.location = location
    }
}

/// `name [(columns)] AS (query)` in WITH.
public struct CommonTableExpression: Sendable, Hashable {
    public var name: String
    /// Column names given after the CTE name; empty when none.
    public var columns: [String]
    public var query: Query
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(name: String, columns: [String] = [], query: Query, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.columns = columns
        self.query = query
        self.location = location
    }
}

/// `SELECT [DISTINCT] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …]`.
public struct SelectCore: Sendable, Hashable {
    public var distinct: Bool
    public var items: [SelectItem]
    /// The FROM clause: one reference, joins nested inside; nil for `SELECT 1`.
    public var from: TableReference?
    public var filter: Expression?
    public var groupBy: [Expression]
    public var having: Expression?
    /// Where SELECT is.
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(distinct: Bool = false, items: [SelectItem], from: TableReference? = nil, filter: Expression? = nil,
                groupBy: [Expression] = [], having: Expression? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.filter = filter
        self.groupBy = groupBy
        self.having = having
        self.location = location
    }
}

/// One item of a select list: an expression (which may be `*` or `t.*`) and its alias.
public struct SelectItem: Sendable, Hashable {
    public var expression: Expression
    public var alias: String?

    public init(_ expression: Expression, alias: String? = nil) {
        self.expression = expression
        self.alias = alias
    }
}

/// ASC or DESC.
public enum SortDirection: String, Sendable, Hashable {
    case ascending = "ASC"
    case descending = "DESC"
}

/// NULLS FIRST or NULLS LAST.
public enum NullOrdering: String, Sendable, Hashable {
    case first = "FIRST"
    case last = "LAST"
}

/// `expression [ASC|DESC] [NULLS FIRST|LAST]`. The written words are kept (nil when
/// omitted) so that printing gives back what was written; `descending` and `nullsFirst`
/// give the effective order.
public struct OrderItem: Sendable, Hashable {
    public var expression: Expression
    public var direction: SortDirection?
    public var nulls: NullOrdering?

    public init(_ expression: Expression, direction: SortDirection? = nil, nulls: NullOrdering? = nil) {
        self.expression = expression
        self.direction = direction
        self.nulls = nulls
    }

    /// Whether the order is descending (ASC is the default).
    public var descending: Bool { direction == .descending }

    /// Whether NULLs sort first. Without NULLS FIRST|LAST, NULLs sort last in both
    /// directions (as DuckDB and PostgreSQL's ASC do; the planner does the same).
    public var nullsFirst: Bool {
        switch nulls {
        case .first: return true
        case .last: return false
        case nil: return false
        }
    }
}
