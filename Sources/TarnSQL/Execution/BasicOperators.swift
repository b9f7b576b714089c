// The streaming operators that hold at most one batch: filter, project, limit/offset
// (stops pulling its input once satisfied), union all, distinct (streams first
// occurrences; memory grows with distinct rows) and values (literal rows).
import TarnColumnar

public final class FilterOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let predicate: PhysicalExpression
    public var schema: Schema { input.schema }

    public init(input: any PhysicalOperator, predicate: PhysicalExpression) {
        self.input = input
        self.predicate = predicate
    }

    public var label: String { "Filter \(predicate.text)" }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        while let batch = try input.next() {
            let filtered = try FilterOperator.apply(predicate, to: batch)
            if filtered.rowCount > 0 { return filtered }
        }
        return nil
    }

    /// The rows of `batch` where `predicate` is true (false and NULL drop the row).
    static func apply(_ predicate: PhysicalExpression, to batch: RecordBatch) throws(SQLError) -> RecordBatch {
        if batch.rowCount == 0 { return batch }
        let column = try predicate.evaluate(batch)
        return try columnar("filter") { () throws(ColumnarError) in
            let mask = try column.selectionMask()
            let selected = mask.setCount
            if selected == batch.rowCount { return batch }
            if batch.columns.isEmpty { return try RecordBatch(schema: batch.schema, columns: [], rowCount: selected) }
            return try batch.filter(mask)
        }
    }
}

public final class ProjectOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let expressions: [PhysicalExpression]
    public let schema: Schema

    public init(input: any PhysicalOperator, expressions: [PhysicalExpression], names: [String]) {
        self.input = input
        self.expressions = expressions
        schema = Schema(zip(expressions, names).map { Field($1, $0.type, nullable: true) })
    }

    public var label: String {
        "Project [" + zip(expressions, schema.names).map { e, n in e.text == n ? n : "\(e.text) AS \(n)" }.joined(separator: ", ") + "]"
    }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        guard let batch = try input.next() else { return nil }
        return try ProjectOperator.apply(expressions, schema: schema, to: batch)
    }

    static func apply(_ expressions: [PhysicalExpression], schema: Schema, to batch: RecordBatch) throws(SQLError) -> RecordBatch {
        var columns: [Column] = []
        columns.reserveCapacity(expressions.count)
        for (expression, field) in zip(expressions, schema.fields) {
            var column = try expression.evaluate(batch)
            if column.count != batch.rowCount {
                throw SQLError(.execution, "internal: expression \(expression.text) gave \(column.count) values for \(batch.rowCount) rows")
            }
            if column.type != field.type {
                column = try columnar("casting \(expression.text)") { () throws(ColumnarError) in try column.cast(to: field.type) }
            }
            columns.append(column)
        }
        return try columnar("projection") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount)
        }
    }
}

/// LIMIT n OFFSET m: skips m rows, passes n, then stops pulling its input.
public final class LimitOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let limit: Int?
    let offset: Int
    private var skipped = 0
    private var passed = 0
    public var schema: Schema { input.schema }

    public init(input: any PhysicalOperator, limit: Int?, offset: Int) {
        self.input = input
        self.limit = limit
        self.offset = max(0, offset)
    }

    public var label: String {
        var text = "Limit"
        if let limit { text += " \(limit)" }
        if offset > 0 { text += " offset \(offset)" }
        return text
    }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        while true {
            if let limit, passed >= limit { return nil }
            guard let batch = try input.next() else { return nil }
            var start = 0
            if skipped < offset {
                let skip = min(offset - skipped, batch.rowCount)
                skipped += skip
                start = skip
            }
            let available = batch.rowCount - start
            if available <= 0 { continue }
            let take = limit.map { min(available, $0 - passed) } ?? available
            passed += take
            if start == 0 && take == batch.rowCount { return batch }
            return try columnar("limit") { () throws(ColumnarError) in
                if batch.columns.isEmpty { return try RecordBatch(schema: batch.schema, columns: [], rowCount: take) }
                return try batch.slice(start..<(start + take))
            }
        }
    }
}

/// UNION ALL: the inputs one after another, columns cast to the output schema's types.
public final class UnionAllOperator: PhysicalOperator {
    let inputs: [any PhysicalOperator]
    public let schema: Schema
    private var current = 0

    public init(inputs: [any PhysicalOperator], schema: Schema) {
        self.inputs = inputs
        self.schema = schema
    }

    public var label: String { "UnionAll" }
    public var children: [any PhysicalOperator] { inputs }

    public func next() throws(SQLError) -> RecordBatch? {
        while current < inputs.count {
            if let batch = try inputs[current].next() {
                return try UnionAllOperator.conform(batch, to: schema)
            }
            current += 1
        }
        return nil
    }

    static func conform(_ batch: RecordBatch, to schema: Schema) throws(SQLError) -> RecordBatch {
        guard batch.columns.count == schema.count else {
            throw SQLError(.execution, "internal: a UNION ALL input has \(batch.columns.count) columns, expected \(schema.count)")
        }
        var columns: [Column] = []
        for (column, field) in zip(batch.columns, schema.fields) {
            if column.type == field.type { columns.append(column); continue }
            // An all-NULL column (a bare NULL of another input) needs no cast, whatever its type.
            if column.nullCount == batch.rowCount { columns.append(Column.nulls(field.type, count: batch.rowCount)); continue }
            columns.append(try columnar("UNION ALL column \(field.name)") { () throws(ColumnarError) in try column.cast(to: field.type) })
        }
        return try columnar("UNION ALL") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount)
        }
    }
}

/// SELECT DISTINCT: passes each row the first time its values appear (NULLs equal).
public final class DistinctOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let context: ExecutionContext
    private var table: GroupTable?
    private var reservation: MemoryReservation
    public var schema: Schema { input.schema }

    public init(input: any PhysicalOperator, context: ExecutionContext) {
        self.input = input
        self.context = context
        reservation = MemoryReservation(budget: context.memory, consumer: "DISTINCT")
    }

    deinit { reservation.release() }

    public var label: String { "Distinct" }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        if table == nil { table = try GroupTable(keyTypes: schema.fields.map(\.type)) }
        while let batch = try input.next() {
            if batch.rowCount == 0 { continue }
            guard var groups = table else { return nil }
            let keys = try EncodedKeys(batch.columns, rowCount: batch.rowCount)
            var newRows: [Int] = []
            _ = groups.insert(keys, newRows: &newRows)
            table = groups
            try reservation.set(groups.estimatedBytes)
            if newRows.isEmpty { continue }
            if newRows.count == batch.rowCount { return batch }
            if batch.columns.isEmpty {
                return try columnar("distinct") { () throws(ColumnarError) in try RecordBatch(schema: batch.schema, columns: [], rowCount: newRows.count) }
            }
            return try columnar("distinct") { () throws(ColumnarError) in try batch.take(newRows) }
        }
        return nil
    }
}

/// Literal rows (VALUES, a SELECT without FROM) or any prepared batches.
public final class ValuesOperator: PhysicalOperator {
    public let schema: Schema
    let batches: [RecordBatch]
    let name: String
    private var position = 0

    public init(schema: Schema, batches: [RecordBatch], name: String = "Values") {
        self.schema = schema
        self.batches = batches
        self.name = name
    }

    public var label: String { "\(name) (\(batches.reduce(0) { $0 + $1.rowCount }) rows)" }
    public var children: [any PhysicalOperator] { [] }

    public func next() throws(SQLError) -> RecordBatch? {
        guard position < batches.count else { return nil }
        position += 1
        return batches[position - 1]
    }
}

/// Renames the output columns of its input (subquery and CTE aliases).
public final class RenameOperator: PhysicalOperator {
    let input: any PhysicalOperator
    public let schema: Schema

    public init(input: any PhysicalOperator, names: [String]) {
        self.input = input
        var fields = input.schema.fields
        for i in fields.indices where i < names.count { fields[i].name = names[i] }
        schema = Schema(fields)
    }

    public var label: String { "Rename [\(schema.names.joined(separator: ", "))]" }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        guard let batch = try input.next() else { return nil }
        return try columnar("rename") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
        }
    }
}
