// Table references of the SQL syntax tree: catalog table names, path tables
// (delta.`p`, parquet.`glob`, csv.`p`), time travel, subqueries and joins in FROM.
// Owns only the shape of what was written; must never resolve names against a catalog.
import TarnExpression

/// A catalog table name as written: `table` or `namespace.table`.
///
/// An unqualified name lives in `TableName.defaultNamespace` (`default`); the parser keeps
/// the namespace `nil` so that printing gives back what was written.
public struct TableName: Sendable, Hashable, CustomStringConvertible {
    /// The namespace an unqualified table name resolves to.
    public static let defaultNamespace = "default"

    public var namespace: String?
    public var name: String
    /// Where the name starts in the source text.
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(namespace: String? = nil, _ name: String, location: TarnExpression.SourceLocation? = nil) {
        self.namespace = namespace
        self.name = name
        self.location = location
    }

    /// The namespace the name resolves to: the written one, else `defaultNamespace`.
    public func resolvedNamespace(default fallback: String = TableName.defaultNamespace) -> String {
        namespace ?? fallback
    }

    /// `namespace.table` as written (no quoting); for messages.
    public var description: String {
        namespace.map { "\($0).\(name)" } ?? name
    }
}

/// A namespace name as written, with its location.
public struct NamespaceName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(_ name: String, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.location = location
    }

    public var description: String { name }
}

/// Which version of a table a reference reads.
public enum TimeTravelSpec: Sendable, Hashable {
    /// `VERSION AS OF n` and the shorthand `table@vN`.
    case version(Int64)
    /// `TIMESTAMP AS OF '…'` (and the shorthand `table@yyyyMMddHHmmssSSS`, kept as the
    /// text `yyyy-MM-dd HH:mm:ss.SSS`): the text as written, interpreted by the executor.
    case timestamp(String)
}

/// The file format of a path table.
public enum PathFormat: String, Sendable, Hashable, CaseIterable {
    /// `delta.\`dir\``: a Delta table by its directory, outside the catalog.
    case delta
    /// `parquet.\`path-or-glob\``: Parquet files.
    case parquet
    /// `csv.\`path\``: a CSV file with a header line.
    case csv
}

/// A catalog table in FROM (or as a MERGE source): name, optional time travel and alias.
public struct NamedTableReference: Sendable, Hashable {
    public var name: TableName
    public var timeTravel: TimeTravelSpec?
    public var alias: String?
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(name: TableName, timeTravel: TimeTravelSpec? = nil, alias: String? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.timeTravel = timeTravel
        self.alias = alias
        self.location = location ?? name.location
    }
}

/// Files read by path: `delta.\`dir\``, `parquet.\`glob\``, `csv.\`file\``. Only `delta`
/// paths take time travel.
public struct PathTableReference: Sendable, Hashable {
    public var format: PathFormat
    public var path: String
    public var timeTravel: TimeTravelSpec?
    public var alias: String?
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(format: PathFormat, path: String, timeTravel: TimeTravelSpec? = nil, alias: String? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.format = format
        self.path = path
        self.timeTravel = timeTravel
        self.alias = alias
        self.location = location
    }
}

/// `( query ) [AS] alias` in FROM.
public struct SubqueryReference: Sendable, Hashable {
    public var query: Query
    public var alias: String?
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(query: Query, alias: String? = nil, location: TarnExpression.SourceLocation? = nil) {
        self.query = query
        self.alias = alias
        self.location = location
    }
}

/// The kind of a join. `FROM a, b` is a cross join.
public enum JoinKind: String, Sendable, Hashable, CaseIterable {
    case inner
    case left
    case right
    case full
    case cross
    /// Spark's `[LEFT] SEMI JOIN`: left rows with at least one match, once each; left columns only.
    case semi
    /// Spark's `[LEFT] ANTI JOIN`: left rows without a match (a NULL key never matches); left columns only.
    case anti

    /// Whether the output is the left's rows and columns alone (SEMI and ANTI).
    public var keepsLeftOnly: Bool { self == .semi || self == .anti }
}

/// A column named in `JOIN … USING (…)`, with where it was written.
public struct UsingColumn: Sendable, Hashable {
    public var name: String
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(_ name: String, location: TarnExpression.SourceLocation? = nil) {
        self.name = name
        self.location = location
    }
}

/// `left [NATURAL] [kind] JOIN right [ON condition | USING (columns)]`. At most one of
/// `condition`, `using` and `natural` is set; none is set for cross joins.
public struct JoinReference: Sendable, Hashable {
    public var left: TableReference
    public var right: TableReference
    public var kind: JoinKind
    public var condition: Expression?
    /// `USING (a, b)`: equality on these names, which the output has once each (empty: none).
    public var using: [UsingColumn]
    /// `NATURAL JOIN`: USING over every column name both sides have.
    public var natural: Bool
    /// Where the JOIN keyword (or the kind word before it) is.
    @NotCompared public var location: TarnExpression.SourceLocation?

    public init(left: TableReference, right: TableReference, kind: JoinKind, condition: Expression? = nil,
                using: [UsingColumn] = [], natural: Bool = false, location: TarnExpression.SourceLocation? = nil) {
        self.left = left
        self.right = right
        self.kind = kind
        self.condition = condition
        self.using = using
        self.natural = natural
        self.location = location
    }
}

/// One item of FROM. Joins are left-deep: `a JOIN b JOIN c` is `join(join(a, b), c)`.
public indirect enum TableReference: Sendable, Hashable {
    case table(NamedTableReference)
    case path(PathTableReference)
    case subquery(SubqueryReference)
    case join(JoinReference)

    /// The alias written for this reference (nil for joins and unaliased items).
    public var alias: String? {
        switch self {
        case let .table(t): return t.alias
        case let .path(p): return p.alias
        case let .subquery(s): return s.alias
        case .join: return nil
        }
    }

    /// Where the reference starts in the source text.
    public var location: TarnExpression.SourceLocation? {
        switch self {
        case let .table(t): return t.location
        case let .path(p): return p.location
        case let .subquery(s): return s.location
        case let .join(j): return j.left.location
        }
    }
}
