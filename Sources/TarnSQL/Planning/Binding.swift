// The planner's bridge to TarnExpression: binding syntax trees against a relation's
// columns, turning bound expressions into executable PhysicalExpressions, and mapping
// ExpressionError to SQLError. Must never evaluate anything itself.
import TarnColumnar
import TarnExpression

/// A column of a planned relation: its qualifier (table alias) and name in SQL scope.
struct RelationColumn: Sendable {
    var qualifier: String?
    var name: String
    var type: DataType
    var nullable: Bool
    /// Planner-internal columns (aggregate results, hidden ORDER BY keys) that `*` skips.
    var hidden: Bool = false
    /// A column that is only a bare NULL (`SELECT NULL`, `VALUES (NULL)`): it has no type of
    /// its own, so UNION gives it the other input's type (as DuckDB does).
    var untypedNull: Bool = false
    /// Only a qualified name reaches it (a USING join's input columns; see ScopeColumn).
    var qualifiedOnly: Bool = false
}

extension SQLError {
    /// An expression error as a SQL error (binding and type errors keep their location).
    static func from(_ error: ExpressionError) -> SQLError { SQLError(error) }
}

struct ExpressionBinding {
    /// Fixed "now" of the statement (µs since the epoch).
    let now: Int64

    func scope(_ columns: [RelationColumn]) -> BindingScope {
        BindingScope(columns.map { ScopeColumn(qualifier: $0.qualifier, name: $0.name, type: $0.type, nullable: $0.nullable,
                                        qualifiedOnly: $0.qualifiedOnly) })
    }

    func bind(_ expression: Expression, _ columns: [RelationColumn], unread: [RelationColumn] = []) throws(SQLError) -> BoundExpression {
        do {
            return try ExpressionBinder(scope: scope(columns), options: .init(now: now)).bind(expression)
        } catch {
            throw explained(error, expression, columns, unread: unread, predicate: false)
        }
    }

    /// Binds a condition (WHERE, ON, HAVING): it must be boolean.
    func bindPredicate(_ expression: Expression, _ columns: [RelationColumn], unread: [RelationColumn] = []) throws(SQLError) -> BoundExpression {
        do {
            return try ExpressionBinder(scope: scope(columns), options: .init(now: now)).bindPredicate(expression)
        } catch {
            throw explained(error, expression, columns, unread: unread, predicate: true)
        }
    }

    /// An unknown-column error re-derived against every column the FROM clause has
    /// (`unread`: the ones scans skip because no name asks for them), so the message
    /// suggests the closest real column instead of saying nothing is in scope.
    private func explained(_ error: ExpressionError, _ expression: Expression, _ columns: [RelationColumn],
                           unread: [RelationColumn], predicate: Bool) -> SQLError {
        guard error.kind == .unknownColumn, !unread.isEmpty else { return SQLError.from(error) }
        let binder = ExpressionBinder(scope: scope(columns + unread), options: .init(now: now))
        do {
            if predicate { _ = try binder.bindPredicate(expression) } else { _ = try binder.bind(expression) }
        } catch {
            if error.kind == .unknownColumn { return SQLError.from(error) }
        }
        return SQLError.from(error)
    }

    func physicalPredicate(_ expression: Expression, _ columns: [RelationColumn], unread: [RelationColumn] = []) throws(SQLError) -> PhysicalExpression {
        physical(try bindPredicate(expression, columns, unread: unread), text: expression.sql)
    }

    func physical(_ bound: BoundExpression, text: String) -> PhysicalExpression {
        PhysicalExpression(type: bound.type, nullable: bound.nullable, text: text) { batch throws(SQLError) in
            do throws(ExpressionError) {
                return try bound.evaluate(batch)
            } catch {
                throw SQLError.from(error)
            }
        }
    }

    func physical(_ expression: Expression, _ columns: [RelationColumn], unread: [RelationColumn] = []) throws(SQLError) -> PhysicalExpression {
        physical(try bind(expression, columns, unread: unread), text: expression.sql)
    }
}
