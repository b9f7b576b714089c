// HashAggregate: GROUP BY over a batch stream — group ids from the GroupTable, one
// accumulator per aggregate, DISTINCT aggregates through a (group, value) table. Memory
// grows with the number of groups and is accounted against the query budget; the input
// is never buffered.
import TarnColumnar

/// One aggregate of a GROUP BY: the function, its argument (nil for count(*)) and DISTINCT.
public struct AggregateCall: Sendable {
    public var function: AggregateFunction
    public var argument: PhysicalExpression?
    public var distinct: Bool
    /// The output column name.
    public var name: String

    public init(function: AggregateFunction, argument: PhysicalExpression?, distinct: Bool = false, name: String) {
        self.function = function
        self.argument = argument
        self.distinct = distinct
        self.name = name
    }

    var text: String {
        if function == .countStar { return "count(*)" }
        return "\(function.rawValue)(\(distinct ? "DISTINCT " : "")\(argument?.text ?? ""))"
    }
}

public final class HashAggregateOperator: PhysicalOperator {
    public let schema: Schema
    let input: any PhysicalOperator
    let keys: [PhysicalExpression]
    let aggregates: [AggregateCall]
    let context: ExecutionContext
    private var output: [RecordBatch]?
    private var position = 0

    /// - Parameters:
    ///   - keyNames: output names of the group keys (in order, then the aggregates' names).
    public init(input: any PhysicalOperator, keys: [PhysicalExpression], keyNames: [String],
                aggregates: [AggregateCall], context: ExecutionContext) throws(SQLError) {
        self.input = input
        self.keys = keys
        self.aggregates = aggregates
        self.context = context
        var fields: [Field] = []
        for (key, name) in zip(keys, keyNames) { fields.append(Field(name, key.type, nullable: true)) }
        for call in aggregates {
            let type = try call.function.resultType(input: call.argument?.type)
            let nullable = !(call.function == .count || call.function == .countStar)
            fields.append(Field(call.name, type, nullable: nullable))
        }
        schema = Schema(fields)
    }

    public var label: String {
        let keyText = keys.map(\.text).joined(separator: ", ")
        let aggText = aggregates.map(\.text).joined(separator: ", ")
        return keys.isEmpty ? "HashAggregate [\(aggText)]" : "HashAggregate keys=[\(keyText)] [\(aggText)]"
    }

    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        if output == nil { output = try run() }
        guard let output, position < output.count else { return nil }
        position += 1
        return output[position - 1]
    }

    private func run() throws(SQLError) -> [RecordBatch] {
        var table = try GroupTable(keyTypes: keys.map(\.type))
        var accumulators: [any Accumulator] = []
        var distinctTables: [GroupTable?] = []
        for call in aggregates {
            accumulators.append(try makeAccumulator(call.function, input: call.argument?.type))
            if call.distinct, let argument = call.argument {
                distinctTables.append(try GroupTable(keyTypes: [.int64, argument.type]))
            } else {
                distinctTables.append(nil)
            }
        }
        var reservation = MemoryReservation(budget: context.memory, consumer: "GROUP BY (hash aggregate)")
        defer { reservation.release() }
        var groupCount = keys.isEmpty ? 1 : 0
        while let batch = try input.nextNonEmpty() {
            let rows = batch.rowCount
            let groups: [Int32]
            if keys.isEmpty {
                groups = [Int32](repeating: 0, count: rows)
            } else {
                var keyColumns: [Column] = []
                for key in keys { keyColumns.append(try key.evaluate(batch)) }
                let encoded = try EncodedKeys(keyColumns, rowCount: rows)
                var newRows: [Int] = []
                groups = table.insert(encoded, newRows: &newRows)
                groupCount = table.count
            }
            for (index, call) in aggregates.enumerated() {
                let column = try call.argument?.evaluate(batch)
                if var distinct = distinctTables[index], let column {
                    let gidColumn = try columnar("count distinct") { () throws(ColumnarError) in
                        try Column(.int64, values: groups.map { Int64($0) })
                    }
                    let encoded = try EncodedKeys([gidColumn, column], rowCount: rows)
                    var newRows: [Int] = []
                    _ = distinct.insert(encoded, newRows: &newRows)
                    distinctTables[index] = distinct
                    let validRows = column.validity.map { v in newRows.filter { v[$0] } } ?? newRows
                    let subset = try columnar("count distinct") { () throws(ColumnarError) in try column.take(validRows) }
                    try accumulators[index].update(groups: validRows.map { groups[$0] }, column: subset,
                                                   rowCount: validRows.count, groupCount: groupCount)
                } else {
                    try accumulators[index].update(groups: groups, column: column, rowCount: rows, groupCount: groupCount)
                }
            }
            var bytes = table.estimatedBytes
            for accumulator in accumulators { bytes += accumulator.estimatedBytes }
            for distinct in distinctTables { bytes += distinct?.estimatedBytes ?? 0 }
            try reservation.set(bytes)
        }
        var columns = keys.isEmpty ? [] : try table.keyColumns()
        for accumulator in accumulators { columns.append(try accumulator.finish(groupCount: groupCount)) }
        let result = try columnar("aggregate output") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: groupCount)
        }
        return try splitBatch(result)
    }
}

/// A batch cut into slices of at most `rows` rows (one empty batch stays one batch).
func splitBatch(_ batch: RecordBatch, rows: Int = 65_536) throws(SQLError) -> [RecordBatch] {
    if batch.rowCount <= rows { return [batch] }
    var out: [RecordBatch] = []
    var start = 0
    while start < batch.rowCount {
        let end = min(batch.rowCount, start + rows)
        out.append(try columnar("slicing") { () throws(ColumnarError) in try batch.slice(start..<end) })
        start = end
    }
    return out
}
