// ConstraintEnforcer: checks rows about to be written against a table's CHECK
// constraints (`delta.constraints.<name>` in the table configuration), vectorized per
// batch, and reports the first violation naming the constraint, its expression and the
// failing row's values. Must never let a row through whose CHECK is FALSE or NULL.
import TarnColumnar
import TarnExpression
import TarnLog

/// A row that breaks a constraint: the cause of the `TableError` a write fails with.
public struct ConstraintViolation: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case check = "CHECK"
        case notNull = "NOT NULL"
    }

    public var kind: Kind
    /// The CHECK constraint's name, or the NOT NULL column's name.
    public var name: String
    /// The CHECK expression (for NOT NULL: `<column> IS NOT NULL`).
    public var expression: String
    /// The failing row's values, in table column order, rendered as SQL literals.
    public var row: [(column: String, value: String)]

    public var description: String {
        let values = row.map { "\($0.column) = \($0.value)" }.joined(separator: ", ")
        switch kind {
        case .check: return "CHECK constraint \(name) (\(expression)) is violated by the row (\(values))"
        case .notNull: return "NOT NULL constraint on column \(name) is violated by the row (\(values))"
        }
    }

    /// The values of `batch`'s row `index`, rendered for messages (long values cut).
    static func render(_ batch: RecordBatch, row index: Int) -> [(column: String, value: String)] {
        zip(batch.schema.fields, batch.columns).map { field, column in
            let value = column.value(at: index)
            var text: String
            switch value {
            case .null: text = "NULL"
            case let .string(s): text = "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
            default: text = value.description
            }
            if text.count > 120 { text = String(text.prefix(117)) + "..." }
            return (field.name, text)
        }
    }
}

/// The CHECK constraints of one table version, bound against the table's columns.
struct ConstraintEnforcer: Sendable {
    struct BoundCheck: Sendable {
        let constraint: TableCheckConstraint
        let bound: BoundSQL
    }

    let checks: [BoundCheck]
    let tableName: String

    /// The constraints in `snapshot`'s configuration, bound against `schema` (the
    /// snapshot's, or the evolved schema of the write).
    /// - Throws: `.unsupported` when a constraint cannot be bound (e.g. one written by
    ///   another engine with a function Tarn lacks): writing without enforcing it would
    ///   break the table, so the write is refused.
    init(snapshot: Snapshot, schema: Schema, table: Table) throws(TableError) {
        try self.init(configuration: snapshot.configuration, schema: schema, table: table)
    }

    init(configuration: [String: String], schema: Schema, table: Table) throws(TableError) {
        tableName = table.name
        var checks: [BoundCheck] = []
        for constraint in TableCheckConstraint.all(in: configuration) {
            let bound: BoundSQL
            do {
                bound = try BoundSQL.bind(constraint.expression, scope: .table(schema, qualifier: table.shortName),
                                          role: "CHECK constraint \(constraint.name)", table: table.name, predicate: true)
            } catch {
                throw TableError(.unsupported,
                                 "cannot enforce CHECK constraint \(constraint.name) (\(constraint.expression)), so nothing is written; drop or fix the constraint",
                                 table: table.name, cause: error)
            }
            checks.append(BoundCheck(constraint: constraint, bound: bound))
        }
        self.checks = checks
    }

    var isEmpty: Bool { checks.isEmpty }

    /// Checks every row of `batches` (see `check(_:rows:)`).
    func check(all batches: [RecordBatch]) throws(TableError) {
        for batch in batches { try check(batch) }
    }

    /// Checks the rows of `batch` (laid out as the bound schema) selected by `rows`
    /// (every row when nil).
    /// - Throws: `.schemaMismatch` naming the constraint, its expression and the first
    ///   failing row (cause: `ConstraintViolation`); `.invalidArgument` when the
    ///   expression cannot be evaluated on the data (e.g. division by zero).
    func check(_ batch: RecordBatch, rows: Bitmap? = nil) throws(TableError) {
        if checks.isEmpty || batch.rowCount == 0 { return }
        for check in checks {
            let passed = try check.bound.trueRows(batch, table: tableName)
            var failing = ~passed
            if let rows { failing = failing & rows }
            guard let first = failing.setIndices.first else { continue }
            let violation = ConstraintViolation(kind: .check, name: check.constraint.name, expression: check.constraint.expression,
                                                row: ConstraintViolation.render(batch, row: first))
            throw TableError(.schemaMismatch, "\(violation); nothing was written", table: tableName, cause: violation)
        }
    }
}
