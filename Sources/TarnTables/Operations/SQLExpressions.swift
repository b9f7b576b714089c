// SQL expressions inside table operations: parse and bind TarnExpression text against a
// batch layout (table columns, or target + source columns for MERGE) and evaluate it
// column-wise. The one place TarnTables talks to TarnExpression; every ExpressionError
// becomes a TableError naming what the expression was for. Never evaluates row by row.
import TarnColumnar
import TarnExpression

/// The columns a SQL expression may name, in the order of the batches it is evaluated
/// on (column i of the scope is column i of the batch).
struct SQLScope: Sendable {
    struct Column: Sendable {
        var qualifier: String?
        var name: String
        var type: DataType
    }

    var columns: [Column]

    /// A table's columns in schema order, qualified by `qualifier` (or unqualified).
    static func table(_ schema: Schema, qualifier: String? = nil) -> SQLScope {
        SQLScope(columns: schema.fields.map { Column(qualifier: qualifier, name: $0.name, type: $0.type) })
    }

    /// A MERGE scope: the target's columns (qualified by `targetAlias`), then the
    /// source's (qualified by `sourceAlias`). Either side may be left out (clauses that
    /// have no target row or no source row).
    static func merge(target: Schema?, targetAlias: String, source: Schema?, sourceAlias: String) -> SQLScope {
        var columns: [Column] = []
        for field in target?.fields ?? [] { columns.append(Column(qualifier: targetAlias, name: field.name, type: field.type)) }
        for field in source?.fields ?? [] { columns.append(Column(qualifier: sourceAlias, name: field.name, type: field.type)) }
        return SQLScope(columns: columns)
    }
}

/// A SQL expression bound to a batch layout (an `SQLScope`).
struct BoundSQL: Sendable {
    /// The text shown in messages and recorded in commitInfo.
    let text: String
    /// What the expression is for, e.g. "the DELETE condition" (messages).
    let role: String
    let bound: BoundExpression

    var type: DataType { bound.type }

    /// Parses `text`; a syntax error becomes `.invalidArgument` with the line, column and caret.
    static func parse(_ text: String, role: String, table: String?) throws(TableError) -> Expression {
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw TableError(.invalidArgument, "\(role) is not valid SQL: \(error.rendered(source: text))", table: table, cause: error)
        }
    }

    /// Binds `expression` (whose text is `text`) against `scope`; `predicate` requires
    /// a BOOLEAN (a bare NULL counts as an unknown condition).
    /// - Throws: `.invalidArgument` for unknown or ambiguous columns, unknown functions,
    ///   type errors; the message shows where in `text`.
    static func bind(_ expression: Expression, text: String, scope: SQLScope, role: String,
                     table: String, predicate: Bool = false) throws(TableError) -> BoundSQL {
        if expression.containsAggregate {
            throw TableError(.invalidArgument, "\(role) `\(text)` uses an aggregate function; it must be computed per row", table: table)
        }
        let binder = ExpressionBinder(scope: BindingScope(scope.columns.map {
            ScopeColumn(qualifier: $0.qualifier, name: $0.name, type: $0.type, nullable: true)
        }))
        do {
            let bound = predicate ? try binder.bindPredicate(expression) : try binder.bind(expression)
            return BoundSQL(text: text, role: role, bound: bound)
        } catch {
            throw TableError(.invalidArgument, "\(role) `\(text)` cannot be used: \(error.rendered(source: text))", table: table, cause: error)
        }
    }

    /// Parses and binds `text` against `scope`.
    static func bind(_ text: String, scope: SQLScope, role: String, table: String, predicate: Bool = false) throws(TableError) -> BoundSQL {
        try bind(try parse(text, role: role, table: table), text: text, scope: scope, role: role, table: table, predicate: predicate)
    }

    /// The expression's value for every row of `batch` (laid out as the scope).
    /// - Throws: `.invalidArgument` for an evaluation error (overflow, division by zero,
    ///   a failed cast), naming the expression.
    func evaluate(_ batch: RecordBatch, table: String) throws(TableError) -> Column {
        do {
            return try bound.evaluate(batch)
        } catch {
            throw TableError(.invalidArgument, "cannot evaluate \(role) `\(text)`: \(error.message)", table: table, cause: error)
        }
    }

    /// Rows where the condition is TRUE (FALSE and NULL rows are not set).
    func trueRows(_ batch: RecordBatch, table: String) throws(TableError) -> Bitmap {
        do {
            return try bound.selection(batch)
        } catch {
            throw TableError(.invalidArgument, "cannot evaluate \(role) `\(text)`: \(error.message)", table: table, cause: error)
        }
    }

    /// The exactly translatable conjuncts as a pushdown predicate over the scope's column
    /// names (for file skipping and the conflict footprint); nil when none translate.
    func pushdown(names: [String?]) -> Predicate? {
        bound.pushdownPredicate { index in index >= 0 && index < names.count ? names[index] : nil }
    }

    /// Indices of the scope columns the expression reads.
    var referencedColumns: Set<Int> { bound.referencedColumns }
}
