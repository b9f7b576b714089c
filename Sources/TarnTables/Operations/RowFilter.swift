// RowFilter: which rows a DELETE or UPDATE touches — a TarnColumnar Predicate, a SQL
// condition (text or parsed Expression, bound here against the table's columns), or a
// caller's own evaluator — plus what it lets file skipping and conflict checking use.
// Must never skip a file or narrow the conflict footprint beyond what the filter proves.
import TarnColumnar
import TarnExpression
import TarnLog

/// The rows an operation applies to. SQL semantics: a row is selected when the
/// condition is TRUE; FALSE and NULL rows are not.
///
///     try table.delete(matching: .sql("x > 3 AND lower(s) LIKE 'a%'"))
///
/// - `RowFilter(predicate)`: a TarnColumnar `Predicate` (pushed down exactly).
/// - `RowFilter.sql(text)` / `RowFilter(expression)`: a SQL condition over the table's
///   columns (unqualified, or qualified by the table name), bound with TarnExpression
///   when the operation runs; the conjuncts that map to a `Predicate` skip files.
/// - `RowFilter(text:prune:rows:)`: a caller-evaluated condition (e.g. a SQL planner's
///   subquery result): `rows` gets batches of the table's columns in schema order and
///   returns a BOOLEAN column; `prune` must be implied by the condition (rows outside
///   it are never selected) — it skips files and is what a concurrent writer conflicts on.
/// The `text` is recorded as the operation's `predicate` parameter in commitInfo.
public struct RowFilter: Sendable, CustomStringConvertible {
    /// The condition as SQL text (commitInfo and messages).
    public let text: String
    let form: Form

    enum Form: Sendable {
        case predicate(Predicate)
        case expression(Expression)
        case custom(prune: Predicate?, rows: @Sendable (RecordBatch) throws -> Column)
    }

    /// A filter of a TarnColumnar predicate.
    public init(_ predicate: Predicate) {
        text = predicate.description
        form = .predicate(predicate)
    }

    /// A filter of a parsed SQL condition.
    public init(_ expression: Expression) {
        text = expression.sql
        form = .expression(expression)
    }

    /// A filter evaluated by the caller (see the type's documentation).
    public init(text: String, prune: Predicate?, rows: @escaping @Sendable (RecordBatch) throws -> Column) {
        self.text = text
        form = .custom(prune: prune, rows: rows)
    }

    /// A filter of SQL condition text, parsed now.
    /// - Throws: `.invalidArgument` with the line, column and a caret for a syntax error.
    public static func sql(_ text: String) throws(TableError) -> RowFilter {
        let expression = try BoundSQL.parse(text, role: "the condition", table: nil)
        return RowFilter(text: text, expression: expression)
    }

    private init(text: String, expression: Expression) {
        self.text = text
        form = .expression(expression)
    }

    public var description: String { text }
}

/// A RowFilter resolved against one snapshot's schema.
struct PlannedFilter {
    let text: String
    /// Implied by the condition: skips files and is recorded as the read footprint
    /// (nil: every file may match, the whole table is read).
    let prune: Predicate?
    /// Table columns the condition reads (by name).
    let columns: Set<String>
    private let truthOf: (RecordBatch) throws(TableError) -> Column

    /// Resolves `filter` against `schema` (batches evaluated later are laid out as it).
    init(_ filter: RowFilter, schema: Schema, table: Table, role: String) throws(TableError) {
        text = filter.text
        let name = table.name
        switch filter.form {
        case let .predicate(predicate):
            try table.validatePredicate(predicate, schema: schema)
            prune = predicate
            columns = predicate.columns
            truthOf = { (batch) throws(TableError) -> Column in
                do {
                    return try batch.evaluate(predicate)
                } catch {
                    throw TableError(.invalidArgument, "cannot evaluate the predicate \(predicate)", table: name, cause: error)
                }
            }
        case let .expression(expression):
            let bound = try BoundSQL.bind(expression, text: filter.text, scope: .table(schema, qualifier: table.shortName),
                                          role: role, table: name, predicate: true)
            prune = bound.pushdown(names: schema.names)
            columns = Set(bound.referencedColumns.compactMap { $0 < schema.count ? schema.fields[$0].name : nil })
            truthOf = { (batch) throws(TableError) -> Column in try bound.evaluate(batch, table: name) }
        case let .custom(predicate, rows):
            if let predicate { try table.validatePredicate(predicate, schema: schema) }
            prune = predicate
            columns = Set(schema.names)
            let text = filter.text
            truthOf = { (batch) throws(TableError) -> Column in
                do {
                    return try rows(batch)
                } catch let error as TableError {
                    throw error
                } catch {
                    throw TableError(.invalidArgument, "cannot evaluate \(role) `\(text)`", table: name, cause: StringError("\(error)"))
                }
            }
        }
    }

    /// The condition's value per row (BOOLEAN, NULL for unknown).
    func truth(_ batch: RecordBatch) throws(TableError) -> Column {
        try truthOf(batch)
    }

    /// Rows where the condition is TRUE.
    func mask(_ batch: RecordBatch, table: String) throws(TableError) -> Bitmap {
        do {
            return try truth(batch).selectionMask()
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.invalidArgument, "the condition `\(text)` is not BOOLEAN", table: table, cause: error)
        }
    }

    /// The condition on a file's partition values when it reads partition columns
    /// only: `.some(true/false)`, `.some(nil)` for NULL; nil when it reads a data
    /// column or cannot be decided without the data.
    func partitionTruth(_ file: AddFile, snapshot: Snapshot) -> Bool?? {
        let partitionColumns = Set(snapshot.partitionColumns)
        guard !partitionColumns.isEmpty, !columns.isEmpty, columns.allSatisfy({ partitionColumns.contains($0) }) else { return nil }
        var columnsOfRow: [Column] = []
        for field in snapshot.schema.fields {
            if partitionColumns.contains(field.name) {
                guard let value = try? PartitionValues.parse(file.partitionValues[field.name] ?? nil, type: field.type, column: field.name),
                      let column = try? Column.repeating(value, type: field.type, count: 1) else { return nil }
                columnsOfRow.append(column)
            } else {
                columnsOfRow.append(Column.nulls(field.type, count: 1))
            }
        }
        guard let batch = try? RecordBatch(schema: snapshot.schema.relaxed, columns: columnsOfRow, rowCount: 1),
              let truth = try? truth(batch), truth.count == 1 else { return nil }
        if truth.isNull(0) { return .some(nil) }
        return .some(truth.value(at: 0) == .boolean(true))
    }
}

extension Table {
    /// The table's own name (last part of `namespace.table` or of its path), usable as
    /// a column qualifier in SQL conditions.
    var shortName: String? {
        guard let last = name.split(whereSeparator: { $0 == "." || $0 == "/" }).last.map(String.init),
              let first = last.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
              last.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else { return nil }
        return last
    }
}
