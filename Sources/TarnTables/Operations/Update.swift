// UPDATE: copy-on-write change of column values in the rows matching a predicate, as
// one Delta commit (operation UPDATE). Owns `UpdateValue`, what an update may assign
// (small built-in forms or any SQL expression). Must never commit a row that breaks the
// schema (type, NOT NULL) or a CHECK constraint.
import Dispatch
import TarnColumnar
import TarnExpression
import TarnLog

/// The new value of a column in an UPDATE:
/// - `literal(v)`: the value `v` (cast to the column's type; `.null` sets NULL);
/// - `column(c)`: the row's value of column `c` (cast to the target column's type);
/// - `add(column: c, v)`: `c + v`; `multiply(column: c, v)`: `c * v` — for numeric
///   columns and an `.int` or `.float` literal. Integer overflow is an error; a NULL
///   operand gives NULL; an integer and a float give a float.
/// - `sql(text)` / `expression(e)`: any SQL expression over the row's old values, e.g.
///   `c * 2 + 1` or `CASE WHEN s IS NULL THEN 'none' ELSE upper(s) END`, bound with
///   TarnExpression against the table's columns and evaluated on the matching rows
///   only; its value is cast to the column's type (a value that does not fit is an error).
public enum UpdateValue: Sendable, Hashable, CustomStringConvertible {
    case literal(ScalarValue)
    case column(String)
    case add(column: String, ScalarValue)
    case multiply(column: String, ScalarValue)
    case sql(String)
    case expression(Expression)

    /// Columns a built-in form reads (SQL forms are checked when bound).
    public var columns: [String] {
        switch self {
        case .literal, .sql, .expression: return []
        case let .column(c), let .add(c, _), let .multiply(c, _): return [c]
        }
    }

    public var description: String {
        switch self {
        case let .literal(v): return UpdateValue.literalText(v)
        case let .column(c): return c
        case let .add(c, v): return "\(c) + \(UpdateValue.literalText(v))"
        case let .multiply(c, v): return "\(c) * \(UpdateValue.literalText(v))"
        case let .sql(text): return text
        case let .expression(e): return e.sql
        }
    }

    static func literalText(_ value: ScalarValue) -> String {
        if case let .string(s) = value { return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }
        return value.description
    }
}

/// What a committed (or skipped) UPDATE did; the numbers are its operationMetrics.
public struct UpdateMetrics: Sendable, Hashable {
    /// The committed version; nil when no row matched and nothing was committed.
    public var version: Int64?
    public var numUpdatedRows: Int
    /// Rows of rewritten files that did not match and were copied unchanged.
    public var numCopiedRows: Int
    public var numAddedFiles: Int
    public var numRemovedFiles: Int
    public var executionTimeMs: Int64
    /// How often the update was planned again after a conflicting concurrent commit.
    public var conflictRetries = 0
}

extension Table {
    /// Sets columns of the rows for which `predicate` is TRUE (all rows when nil).
    /// See `update(matching:set:options:conflictRetries:)`.
    @discardableResult
    public func update(where predicate: Predicate? = nil, set assignments: [String: UpdateValue],
                       options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> UpdateMetrics {
        try update(matching: predicate.map { RowFilter($0) }, set: assignments, options: options, conflictRetries: conflictRetries)
    }

    /// Sets columns to SQL expressions in the rows where the SQL `condition` is TRUE (all
    /// rows when nil): `update(whereSQL: "id > 10", setSQL: ["c": "c * 2 + 1"])`.
    /// See `update(matching:set:options:conflictRetries:)`.
    @discardableResult
    public func update(whereSQL condition: String?, setSQL assignments: [String: String],
                       options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> UpdateMetrics {
        let filter = try condition.map { (text) throws(TableError) -> RowFilter in try RowFilter.sql(text) }
        return try update(matching: filter, set: assignments.mapValues { UpdateValue.sql($0) }, options: options,
                          conflictRetries: conflictRetries)
    }

    /// Sets columns of the rows `filter` selects (all rows when nil) in one commit.
    /// `set` maps a column name to its new value; expressions read the row's old values.
    /// Rows whose condition is NULL are not updated. Files that cannot match are not
    /// read; files without a matching row stay untouched; each file with a match is
    /// replaced by new files holding its updated and copied rows. Updating a partition
    /// column moves the rows to their new partition directory. Updated rows must keep
    /// every NOT NULL column and CHECK constraint. When no row matches, nothing is
    /// committed (`version` nil).
    ///
    /// Isolation: as DELETE — the condition's pushdown part is recorded as read, so a
    /// concurrent commit adding files it may match, or removing a file this update
    /// rewrites, is a conflict; the update is then planned again on the new snapshot, at
    /// most `conflictRetries` times, before failing with `.conflict`.
    /// - Throws: `.invalidArgument` for an unknown column, an empty `set`, an arithmetic
    ///   expression on a non-numeric column, or SQL that does not parse, bind or evaluate;
    ///   `.schemaMismatch` for a value that does not fit its column's type (also an
    ///   overflow), NULL in a NOT NULL column, or a row breaking a CHECK constraint (the
    ///   error names the constraint and the row) — nothing is committed then;
    ///   `.conflict`; `.storage`/`.corrupt`.
    @discardableResult
    public func update(matching filter: RowFilter?, set assignments: [String: UpdateValue],
                       options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> UpdateMetrics {
        try access.require(.modify, action: "update")
        let started = DispatchTime.now().uptimeNanoseconds
        var (metrics, retries) = try retryingConflicts(conflictRetries) { () throws(TableError) -> UpdateMetrics in
            try updateOnce(filter, assignments, options: options, started: started)
        }
        metrics.conflictRetries = retries
        return metrics
    }

    private func updateOnce(_ filter: RowFilter?, _ assignments: [String: UpdateValue], options: WriteOptions,
                            started: UInt64) throws(TableError) -> UpdateMetrics {
        let snapshot = try snapshot()
        let schema = snapshot.schema
        let planned = try filter.map { (f) throws(TableError) -> PlannedFilter in
            try PlannedFilter(f, schema: schema, table: self, role: "the UPDATE condition")
        }
        let plan = try planAssignments(assignments, schema: schema)
        let constraints = try ConstraintEnforcer(snapshot: snapshot, schema: schema, table: self)
        let candidates = snapshot.files(matching: planned?.prune)

        var updated = 0
        var copied = 0
        let rewrite = try rewriteFiles(candidates, snapshot: snapshot, options: options) { (_, rows) throws(TableError) -> FileRewriteDecision in
            let mask = try planned?.mask(rows, table: self.name) ?? Bitmap(repeating: true, count: rows.rowCount)
            let matching = mask.setCount
            if matching == 0 { return .keep }
            updated += matching
            copied += rows.rowCount - matching
            var columns = rows.columns
            for assignment in plan {
                columns[assignment.target] = try self.assign(assignment, rows: rows, mask: mask, schema: schema)
            }
            let result: RecordBatch
            do {
                result = try RecordBatch(schema: rows.schema, columns: columns, rowCount: rows.rowCount)
            } catch {
                throw TableError(.schemaMismatch, "the updated rows do not fit the table's schema", table: self.name, cause: error)
            }
            let checked = try TableSchemaRules.checkNulls(result, schema: schema, table: self.name)
            try constraints.check(checked, rows: mask)
            return .replace(rows: checked)
        }

        func elapsed() -> Int64 { Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) }
        guard !rewrite.removed.isEmpty else {
            return UpdateMetrics(version: nil, numUpdatedRows: 0, numCopiedRows: 0, numAddedFiles: 0, numRemovedFiles: 0,
                                 executionTimeMs: elapsed())
        }
        var metrics = UpdateMetrics(version: nil, numUpdatedRows: updated, numCopiedRows: copied,
                                    numAddedFiles: rewrite.added.count, numRemovedFiles: rewrite.removed.count,
                                    executionTimeMs: elapsed())
        metrics.version = try commitRewrite(rewrite, operation: "UPDATE", filter: planned, snapshot: snapshot, metrics: [
            "numUpdatedRows": String(metrics.numUpdatedRows), "numCopiedRows": String(metrics.numCopiedRows),
            "numAddedFiles": String(metrics.numAddedFiles), "numRemovedFiles": String(metrics.numRemovedFiles),
            "executionTimeMs": String(metrics.executionTimeMs),
        ])
        return metrics
    }

    /// One checked assignment: target column index and the expression.
    private struct Assignment {
        var target: Int
        var field: Field
        var value: UpdateValue
        /// The bound SQL of `.sql` / `.expression` values.
        var bound: BoundSQL?
    }

    /// Checks every assignment against the schema before any file is read.
    private func planAssignments(_ assignments: [String: UpdateValue], schema: Schema) throws(TableError) -> [Assignment] {
        guard !assignments.isEmpty else {
            throw TableError(.invalidArgument, "an update needs at least one column to set", table: name)
        }
        var plan: [Assignment] = []
        for (column, value) in assignments.sorted(by: { $0.key < $1.key }) {
            guard let target = schema.index(of: column) ?? schema.lookup(column) else {
                throw TableError(.invalidArgument, "cannot set unknown column '\(column)'; the table has \(schema.names.joined(separator: ", "))", table: name)
            }
            let field = schema.fields[target]
            for source in value.columns where schema.index(of: source) == nil && schema.lookup(source) == nil {
                throw TableError(.invalidArgument, "the value of '\(column)' reads unknown column '\(source)'", table: name)
            }
            switch value {
            case let .literal(literal):
                if literal == .null && !field.nullable {
                    throw TableError(.schemaMismatch, "column '\(field.name)' is NOT NULL and cannot be set to NULL", table: name)
                }
                var builder = ScalarColumnBuilder(type: field.type)
                do {
                    try builder.append(literal)
                } catch {
                    throw TableError(.schemaMismatch, "the value \(UpdateValue.literalText(literal)) does not fit column '\(field.name)' (\(field.type))", table: name, cause: error)
                }
            case .column:
                break
            case let .sql(text):
                let bound = try BoundSQL.bind(text, scope: .table(schema, qualifier: shortName),
                                              role: "the value of column '\(field.name)'", table: name)
                plan.append(Assignment(target: target, field: field, value: value, bound: bound))
                continue
            case let .expression(expression):
                let bound = try BoundSQL.bind(expression, text: expression.sql, scope: .table(schema, qualifier: shortName),
                                              role: "the value of column '\(field.name)'", table: name)
                plan.append(Assignment(target: target, field: field, value: value, bound: bound))
                continue
            case let .add(source, literal), let .multiply(source, literal):
                let sourceIndex = schema.index(of: source) ?? schema.lookup(source) ?? target
                guard Self.isArithmetic(schema.fields[sourceIndex].type) else {
                    throw TableError(.invalidArgument, "'\(value)' needs a numeric column; '\(source)' is \(schema.fields[sourceIndex].type)", table: name)
                }
                switch literal {
                case .int, .float, .null: break
                default:
                    throw TableError(.invalidArgument, "'\(value)' needs a numeric literal", table: name)
                }
            }
            plan.append(Assignment(target: target, field: field, value: value))
        }
        return plan
    }

    private static func isArithmetic(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64: return true
        default: return false
        }
    }

    /// The target column after the assignment: new values where `mask` is set, the old
    /// value elsewhere, in the target column's type. Only the matching rows are computed
    /// (column copies by the cast kernel); unchanged rows are moved by `take`, unboxed.
    private func assign(_ assignment: Assignment, rows: RecordBatch, mask: Bitmap, schema: Schema) throws(TableError) -> Column {
        let old = rows.columns[assignment.target]
        let type = assignment.field.type
        let source = assignment.value.columns.first.flatMap { rows.resolveColumn($0) }
        let matching = mask.setIndices
        var newValues: Column
        if let bound = assignment.bound {
            let picked: RecordBatch
            do {
                picked = matching.count == rows.rowCount ? rows : try rows.filter(mask)
            } catch {
                throw TableError(.corrupt, "cannot select the rows to update", table: name, cause: error)
            }
            let computed = try bound.evaluate(picked, table: name)
            do {
                newValues = computed.type == type ? computed : try computed.cast(to: type)
            } catch {
                throw TableError(.schemaMismatch, "the value `\(bound.text)` (\(computed.type)) does not fit column '\(assignment.field.name)' (\(type))", table: name, cause: error)
            }
        } else if case .column = assignment.value, let source {
            do {
                let picked = try source.filter(mask)
                newValues = picked.type == type ? picked : try picked.cast(to: type)
            } catch {
                throw TableError(.schemaMismatch, "column '\(assignment.value)' cannot be cast to \(type) for column '\(assignment.field.name)'", table: name, cause: error)
            }
        } else {
            var builder = ScalarColumnBuilder(type: type)
            for row in matching {
                let value: ScalarValue
                switch assignment.value {
                case let .literal(literal): value = literal
                case .column, .sql, .expression: value = .null
                case let .add(_, literal): value = try arithmetic(source?.value(at: row) ?? .null, literal, add: true, assignment)
                case let .multiply(_, literal): value = try arithmetic(source?.value(at: row) ?? .null, literal, add: false, assignment)
                }
                do {
                    try builder.append(value)
                } catch {
                    throw TableError(.schemaMismatch, "the new value \(value) of column '\(assignment.field.name)' does not fit \(type) (row \(row) of a rewritten file)", table: name, cause: error)
                }
            }
            do {
                newValues = try builder.finish()
            } catch {
                throw TableError(.schemaMismatch, "cannot build the updated column '\(assignment.field.name)'", table: name, cause: error)
            }
        }
        if matching.count == rows.rowCount { return newValues }
        // Old values then new values; row i takes its old value or its next new value.
        var indices = [Int](repeating: 0, count: rows.rowCount)
        var next = old.count
        for row in 0..<rows.rowCount {
            if mask[row] {
                indices[row] = next
                next += 1
            } else {
                indices[row] = row
            }
        }
        do {
            return try Column.concat([old, newValues]).take(indices)
        } catch {
            throw TableError(.schemaMismatch, "cannot build the updated column '\(assignment.field.name)'", table: name, cause: error)
        }
    }

    private func arithmetic(_ a: ScalarValue, _ b: ScalarValue, add: Bool, _ assignment: Assignment) throws(TableError) -> ScalarValue {
        switch (a, b) {
        case (.null, _), (_, .null):
            return .null
        case let (.int(x), .int(y)):
            let (result, overflow) = add ? x.addingReportingOverflow(y) : x.multipliedReportingOverflow(by: y)
            if overflow {
                throw TableError(.schemaMismatch, "'\(assignment.value)' overflows for value \(x) of column '\(assignment.field.name)'", table: name)
            }
            return .int(result)
        case let (.uint(x), .int(y)):
            guard y >= 0 else { return try arithmetic(.int(Int64(clamping: x)), b, add: add, assignment) }
            let (result, overflow) = add ? x.addingReportingOverflow(UInt64(y)) : x.multipliedReportingOverflow(by: UInt64(y))
            if overflow {
                throw TableError(.schemaMismatch, "'\(assignment.value)' overflows for value \(x) of column '\(assignment.field.name)'", table: name)
            }
            return .uint(result)
        default:
            guard let x = Self.double(a), let y = Self.double(b) else {
                throw TableError(.invalidArgument, "'\(assignment.value)' cannot compute with \(a) and \(b)", table: name)
            }
            return .float(add ? x + y : x * y)
        }
    }

    private static func double(_ value: ScalarValue) -> Double? {
        switch value {
        case let .int(v): return Double(v)
        case let .uint(v): return Double(v)
        case let .float(v): return v
        default: return nil
        }
    }
}
