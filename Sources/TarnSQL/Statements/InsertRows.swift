// InsertRows: lays the rows of an INSERT's VALUES or query out as the target table's
// columns — by position, or by the written column list — casting each to the column's type
// and filling unlisted columns with NULL. Must never drop or reorder a value silently: a
// count mismatch, an unknown column or a value that does not fit is an error.
import TarnColumnar
import TarnExpression

enum InsertRows {
    /// The rows of `VALUES (…), …` evaluated directly against the target columns: each value
    /// is bound on its own and cast to its column's type, so `NULL`, `'2026-11-01'` into a
    /// DATE and `1` into a DOUBLE all work as in Spark. Returns one column per value
    /// position, with the rows in order.
    static func values(_ list: ValuesList, columnTypes: [DataType], columnNames: [String], context: StatementContext) throws(SQLError) -> [Column] {
        guard let width = list.rows.first?.count else { return columnTypes.map { Column.empty($0) } }
        let binder = ExpressionBinder(scope: BindingScope([]), options: .init(now: context.nowMicros))
        let oneRow: RecordBatch
        do {
            oneRow = try RecordBatch(schema: Schema([]), columns: [], rowCount: 1)
        } catch {
            throw context.error(.execution, "internal: cannot make a one-row batch: \(error)")
        }
        for row in list.rows where row.count != width {
            throw context.error(.syntax, "every VALUES row must have \(width) values; this one has \(row.count)", at: row.first?.location)
        }
        var out: [Column] = []
        for position in 0..<width {
            let type = position < columnTypes.count ? columnTypes[position] : .string
            let name = position < columnNames.count ? columnNames[position] : "#\(position + 1)"
            var bound: [BoundExpression] = []
            bound.reserveCapacity(list.rows.count)
            for row in list.rows {
                do {
                    bound.append(try binder.bind(row[position]))
                } catch {
                    throw SQLError(error, statementText: context.statementText)
                }
            }
            // Fast path: every value is a literal (the usual VALUES) of one type, or NULL —
            // one column of them, cast once.
            if let column = try literalColumn(bound, target: type, name: name, context: context) {
                out.append(column)
                continue
            }
            var pieces: [Column] = []
            pieces.reserveCapacity(list.rows.count)
            for (rowIndex, row) in list.rows.enumerated() {
                let expression = row[position]
                let value: Column
                do {
                    value = try bound[rowIndex].evaluate(oneRow)
                } catch {
                    throw SQLError(error, statementText: context.statementText)
                }
                if value.nullCount == value.count {
                    pieces.append(Column.nulls(type, count: value.count))
                    continue
                }
                do {
                    pieces.append(try value.cast(to: type))
                } catch {
                    throw context.error(.type, "\(expression.sql) does not fit column \(name) (\(type)): \(error)", at: expression.location)
                }
            }
            do {
                out.append(pieces.count == 1 ? pieces[0] : try Column.concat(pieces))
            } catch {
                throw context.error(.execution, "cannot assemble the VALUES rows: \(error)")
            }
        }
        return out
    }

    /// The column of `bound` values when all are literals of one type (NULLs aside), cast to
    /// `target`; nil when they are not (the caller evaluates them one by one).
    static func literalColumn(_ bound: [BoundExpression], target: DataType, name: String,
                              context: StatementContext) throws(SQLError) -> Column? {
        var type: DataType? = nil
        var values: [ScalarValue] = []
        values.reserveCapacity(bound.count)
        for expression in bound {
            guard case let .literal(value, literalType) = expression else { return nil }
            if value.isNull {
                values.append(.null)
                continue
            }
            if let type, type != literalType { return nil }
            type = literalType
            values.append(value)
        }
        guard let type else { return Column.nulls(target, count: bound.count) }
        let column: Column
        do {
            column = try Column(type, scalars: values)
        } catch {
            return nil
        }
        do {
            return try column.cast(to: target)
        } catch {
            throw context.error(.type, "a value for column \(name) (\(target)) does not fit: \(error)")
        }
    }

    /// Maps query output columns to `table` columns. `columns`: the INSERT's column list
    /// (nil: all table columns in order). The result batches have exactly the table schema.
    static func conform(_ batches: [RecordBatch], querySchema: Schema, to table: Schema, columns: [String]?,
                        tableName: String, context: StatementContext) throws(SQLError) -> [RecordBatch] {
        // targets[i]: the table column index query column i goes to.
        var targets: [Int] = []
        if let columns {
            var seen = Set<Int>()
            for name in columns {
                guard let index = table.lookup(name) else {
                    throw context.error(.binding, "table \(tableName) has no column \(name); columns: \(table.names.joined(separator: ", "))")
                }
                guard seen.insert(index).inserted else {
                    throw context.error(.binding, "column \(name) is listed twice in the INSERT column list")
                }
                targets.append(index)
            }
        } else {
            targets = Array(0..<table.count)
        }
        guard querySchema.count == targets.count else {
            let what = columns == nil ? "table \(tableName) has \(table.count) columns" : "the column list names \(targets.count) columns"
            throw context.error(.binding, "the INSERT gives \(querySchema.count) values per row but \(what)")
        }
        // Columns not given must accept NULL.
        let given = Set(targets)
        for (index, field) in table.fields.enumerated() where !given.contains(index) && !field.nullable {
            throw context.error(.execution, "column \(field.name) of \(tableName) is NOT NULL and the INSERT gives it no value")
        }
        var sourceOf = [Int?](repeating: nil, count: table.count)
        for (queryIndex, tableIndex) in targets.enumerated() { sourceOf[tableIndex] = queryIndex }

        var out: [RecordBatch] = []
        out.reserveCapacity(batches.count)
        for batch in batches where batch.rowCount > 0 {
            var columns: [Column] = []
            columns.reserveCapacity(table.count)
            for (index, field) in table.fields.enumerated() {
                guard let source = sourceOf[index] else {
                    columns.append(Column.nulls(field.type, count: batch.rowCount))
                    continue
                }
                let column = batch.columns[source]
                do {
                    columns.append(try column.cast(to: field.type))
                } catch {
                    throw context.error(.type, "the value for column \(field.name) (\(field.type)) of \(tableName) does not fit: \(error)")
                }
            }
            do {
                out.append(try RecordBatch(schema: table.relaxedForInsert, columns: columns, rowCount: batch.rowCount))
            } catch {
                throw context.error(.execution, "cannot lay out the inserted rows: \(error)")
            }
        }
        return out
    }
}

extension Schema {
    /// The schema with every field nullable: NOT NULL is checked by the table write (which
    /// names the column), not by the batch constructor.
    var relaxedForInsert: Schema {
        Schema(fields.map { Field($0.name, $0.type, nullable: true, metadata: $0.metadata) }, metadata: metadata)
    }
}
