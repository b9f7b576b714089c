// ORDER BY: a full sort (buffers its input, accounted against the memory budget) and
// top-k for ORDER BY + LIMIT (keeps only the best k rows, pre-filtering each batch by
// the current k-th key). Both are stable: ties keep input order.
import TarnColumnar

/// One ORDER BY key.
public struct SortKey: Sendable {
    public var expression: PhysicalExpression
    public var ascending: Bool
    public var nullsFirst: Bool

    /// DuckDB's defaults: ASC, and NULLS LAST in either direction.
    public init(expression: PhysicalExpression, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expression = expression
        self.ascending = ascending
        self.nullsFirst = nullsFirst ?? false
    }

    var text: String {
        "\(expression.text) \(ascending ? "ASC" : "DESC") NULLS \(nullsFirst ? "FIRST" : "LAST")"
    }
}

/// Sorts `batch` by `keys` (stable).
func sortBatch(_ batch: RecordBatch, keys: [SortKey], limit: Int? = nil) throws(SQLError) -> RecordBatch {
    if batch.rowCount <= 1 || keys.isEmpty {
        if let limit, batch.rowCount > limit {
            return try columnar("limit") { () throws(ColumnarError) in try batch.slice(0..<limit) }
        }
        return batch
    }
    var columns: [Column] = []
    for key in keys { columns.append(try key.expression.evaluate(batch)) }
    var indices = try columnar("sort") { () throws(ColumnarError) in
        try Column.sortIndices(columns: columns, ascending: keys.map(\.ascending), nullsFirst: keys.map(\.nullsFirst))
    }
    if let limit, indices.count > limit { indices.removeLast(indices.count - limit) }
    if batch.columns.isEmpty {
        return try columnar("sort") { () throws(ColumnarError) in try RecordBatch(schema: batch.schema, columns: [], rowCount: indices.count) }
    }
    return try columnar("sort") { () throws(ColumnarError) in try batch.take(indices) }
}

func concatBatches(_ batches: [RecordBatch], schema: Schema) throws(SQLError) -> RecordBatch {
    if batches.isEmpty { return RecordBatch.empty(schema) }
    if batches.count == 1 { return batches[0] }
    if schema.count == 0 {
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        return try columnar("concat") { () throws(ColumnarError) in try RecordBatch(schema: schema, columns: [], rowCount: rows) }
    }
    return try columnar("concat") { () throws(ColumnarError) in try RecordBatch.concat(batches) }
}

public final class SortOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let keys: [SortKey]
    let context: ExecutionContext
    public var schema: Schema { input.schema }
    private var output: [RecordBatch]?
    private var position = 0

    public init(input: any PhysicalOperator, keys: [SortKey], context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.context = context
    }

    public var label: String { "Sort [" + keys.map(\.text).joined(separator: ", ") + "]" }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        if output == nil {
            var reservation = MemoryReservation(budget: context.memory, consumer: "ORDER BY (sort)")
            defer { reservation.release() }
            var buffered: [RecordBatch] = []
            var bytes = 0
            while let batch = try input.nextNonEmpty() {
                try context.checkCancelled()
                buffered.append(batch)
                bytes += batch.estimatedBytes
                try reservation.set(bytes)
            }
            // Concatenation and the sorted copy double the data for a moment.
            try reservation.set(bytes * 2)
            let all = try concatBatches(buffered, schema: schema)
            buffered = []
            output = try splitBatch(try sortBatch(all, keys: keys))
        }
        guard let output, position < output.count else { return nil }
        position += 1
        return output[position - 1]
    }
}

/// ORDER BY … LIMIT k: holds at most k rows plus one input batch.
public final class TopKOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let keys: [SortKey]
    let k: Int
    let context: ExecutionContext
    public var schema: Schema { input.schema }
    private var output: [RecordBatch]?
    private var position = 0

    public init(input: any PhysicalOperator, keys: [SortKey], k: Int, context: ExecutionContext) {
        self.input = input
        self.keys = keys
        self.k = max(0, k)
        self.context = context
    }

    public var label: String { "TopK \(k) [" + keys.map(\.text).joined(separator: ", ") + "]" }
    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        if output == nil { output = try splitBatch(try run()) }
        guard let output, position < output.count else { return nil }
        position += 1
        return output[position - 1]
    }

    private func run() throws(SQLError) -> RecordBatch {
        var reservation = MemoryReservation(budget: context.memory, consumer: "ORDER BY … LIMIT (top-k)")
        defer { reservation.release() }
        var best = RecordBatch.empty(schema)
        if k == 0 {
            while try input.next() != nil {}
            return best
        }
        var pending: [RecordBatch] = []
        var pendingRows = 0
        // The first key's value of the current k-th row: rows that order after it cannot enter.
        var threshold: ScalarValue?
        while let batch = try input.nextNonEmpty() {
            try context.checkCancelled()
            var candidate = batch
            if threshold == nil && batch.rowCount > 4 * max(k, 8192) {
                // A large first batch: the top k of a prefix bound the answer, so the
                // whole batch can be pre-filtered before anything is sorted.
                let prefix = try columnar("top-k") { () throws(ColumnarError) in try batch.slice(0..<max(k, 8192)) }
                if let bound = try kthKey(try sortBatch(prefix, keys: keys, limit: k)) {
                    // Inclusive: the prefix's own rows equal to the bound are not held yet.
                    candidate = try prefilter(batch, threshold: bound, inclusive: true)
                }
            } else if let threshold {
                candidate = try prefilter(batch, threshold: threshold, inclusive: false)
                if candidate.rowCount == 0 { continue }
            }
            pending.append(candidate)
            pendingRows += candidate.rowCount
            if pendingRows >= max(k, 8192) {
                best = try sortBatch(try concatBatches([best] + pending, schema: schema), keys: keys, limit: k)
                pending = []
                pendingRows = 0
                threshold = try kthKey(best)
                try reservation.set(best.estimatedBytes)
            }
        }
        return try sortBatch(try concatBatches([best] + pending, schema: schema), keys: keys, limit: k)
    }

    private func kthKey(_ best: RecordBatch) throws(SQLError) -> ScalarValue? {
        guard best.rowCount >= k, let first = keys.first else { return nil }
        let column = try first.expression.evaluate(best)
        return column.value(at: best.rowCount - 1)
    }

    /// Rows whose first key orders before or equal to the threshold (ties may still win
    /// on later keys, so equality is kept).
    private func prefilter(_ batch: RecordBatch, threshold: ScalarValue, inclusive: Bool) throws(SQLError) -> RecordBatch {
        guard let first = keys.first else { return batch }
        let column = try first.expression.evaluate(batch)
        if column.type.isNested { return batch }
        if case let .float(x) = threshold, x.isNaN { return batch }
        return try columnar("top-k") { () throws(ColumnarError) in
            var mask: Bitmap
            if threshold == .null {
                // The k-th row has a NULL key: with NULLS FIRST only NULLs can enter; with
                // NULLS LAST everything may (non-NULLs order before it).
                mask = first.nullsFirst ? column.isNull() : Bitmap(repeating: true, count: column.count)
            } else {
                let comparison = keys.count == 1 && !inclusive ? (first.ascending ? ComparisonOperator.less : .greater)
                                                 : (first.ascending ? .lessOrEqual : .greaterOrEqual)
                // A key type the compare kernel cannot handle is simply not pre-filtered.
                guard let compared = try? column.compare(comparison, threshold) else { return batch }
                mask = compared
                if first.nullsFirst { mask = mask | column.isNull() }
            }
            if mask.setCount == batch.rowCount { return batch }
            return try batch.filter(mask)
        }
    }
}
