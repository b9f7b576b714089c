// CONSTRAINT name CHECK (…) in CREATE TABLE and ALTER TABLE ADD/DROP CONSTRAINT: the
// expression (checked against the table's columns here for a located error) is stored by
// TarnTables' constraint API, which verifies existing rows and enforces it on writes.
import TarnColumnar
import TarnExpression
import TarnTables

enum ConstraintStatements {
    @discardableResult
    static func add(_ constraint: CheckConstraint, to table: Table, context: StatementContext) throws(SQLError) -> Int64 {
        let schema = try context.table { () throws(TableError) in try table.schema() }
        let shortName = String(table.name.split(separator: ".").last ?? "")
        let expression = ExpressionTranslation.unqualified(constraint.expression, qualifiers: [[shortName]])
        try ExpressionTranslation.bind(expression, schema: schema, role: "CHECK constraint \(constraint.name)",
                                       context: context, requireBoolean: true)
        do {
            return try table.addConstraint(name: constraint.name, check: expression.sql)
        } catch {
            throw SQLError(error, statementText: context.statementText, location: constraint.location ?? context.location)
        }
    }

    static func drop(_ name: String, ifExists: Bool, from table: Table, context: StatementContext) throws(SQLError) -> Int64? {
        try context.table { () throws(TableError) in try table.dropConstraint(name: name, ifExists: ifExists) }
    }
}
