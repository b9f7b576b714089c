// HashAggregate: GROUP BY over a batch stream — group ids from the GroupTable, one
// accumulator per aggregate, DISTINCT aggregates through a (group, value) table. Memory
// grows with the number of groups and is accounted against the query budget; the input
// is never buffered.
import Dispatch
import Synchronization
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
    /// Input batches grouped through their key's dictionary codes (tests check the fast
    /// path is taken).
    private(set) var dictionaryBatches = 0

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
        // Workers aggregate slices of each large batch into their own tables, merged at
        // the end (DISTINCT aggregates keep one worker: their per-group sets do not merge).
        let hasDistinct = aggregates.contains(where: \.distinct)
        let workers = hasDistinct ? 1 : max(1, context.parallelism)
        var states: [AggregateState] = []
        for _ in 0..<workers { states.append(try AggregateState(keys: keys, aggregates: aggregates)) }
        var reservation = MemoryReservation(budget: context.memory, consumer: "GROUP BY (hash aggregate)")
        defer { reservation.release() }
        let minimumSlice = 16_384
        while let batch = try input.nextNonEmpty() {
            try context.checkCancelled()
            let rows = batch.rowCount
            var keyColumns: [Column] = []
            for key in keys { keyColumns.append(try key.evaluate(batch)) }
            var arguments: [Column?] = []
            for call in aggregates { arguments.append(try call.argument?.evaluate(batch)) }
            let parts = min(workers, max(1, rows / minimumSlice))
            if !hasDistinct, let coded = try DictionaryKey(keyColumns, rows: rows) {
                // One key carrying dictionary codes: map codes to groups, hash no rows.
                dictionaryBatches += 1
                if parts == 1 {
                    try states[0].consume(dictionaryKey: coded, arguments: arguments, range: 0..<rows)
                } else {
                    let step = (rows + parts - 1) / parts
                    let shared = WorkerStates(states)
                    let arguments = arguments
                    let failure = Mutex<SQLError?>(nil)
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let range = (part * step)..<min(rows, (part + 1) * step)
                        do throws(SQLError) {
                            try shared.state(part).consume(dictionaryKey: coded, arguments: arguments, range: range)
                        } catch {
                            failure.withLock { if $0 == nil { $0 = error } }
                        }
                    }
                    if let error = failure.withLock({ $0 }) { throw error }
                }
            } else if parts == 1 {
                try states[0].consume(keyColumns: keyColumns, arguments: arguments, rows: rows)
            } else {
                // Workers share the batch's encoded keys and argument columns and each
                // aggregates its own row range (no copies of the batch).
                let step = (rows + parts - 1) / parts
                let shared = WorkerStates(states)
                let encoded = keys.isEmpty ? nil : try EncodedKeys(keyColumns, rowCount: rows, parts: parts)
                let arguments = arguments
                let failure = Mutex<SQLError?>(nil)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = (part * step)..<min(rows, (part + 1) * step)
                    do throws(SQLError) {
                        try shared.state(part).consume(encoded: encoded, arguments: arguments, range: range)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
                if let error = failure.withLock({ $0 }) { throw error }
            }
            try reservation.set(states.reduce(0) { $0 + $1.estimatedBytes })
        }
        let result = states[0]
        for other in states.dropFirst() { try result.merge(other) }
        var columns = keys.isEmpty ? [] : try result.table.keyColumns()
        for accumulator in result.accumulators { columns.append(try accumulator.finish(groupCount: result.groupCount)) }
        let output = try columnar("aggregate output") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: result.groupCount)
        }
        return try splitBatch(output)
    }
}

/// One worker's groups and accumulators.
final class AggregateState {
    let hasKeys: Bool
    let aggregates: [AggregateCall]
    var table: GroupTable
    var accumulators: [any Accumulator] = []
    var distinctTables: [GroupTable?] = []
    var groupCount: Int

    init(keys: [PhysicalExpression], aggregates: [AggregateCall]) throws(SQLError) {
        hasKeys = !keys.isEmpty
        self.aggregates = aggregates
        table = try GroupTable(keyTypes: keys.map(\.type))
        groupCount = keys.isEmpty ? 1 : 0
        for call in aggregates {
            accumulators.append(try makeAccumulator(call.function, input: call.argument?.type))
            if call.distinct, let argument = call.argument {
                distinctTables.append(try GroupTable(keyTypes: [.int64, argument.type]))
            } else {
                distinctTables.append(nil)
            }
        }
    }

    var estimatedBytes: Int {
        var bytes = table.estimatedBytes
        for accumulator in accumulators { bytes += accumulator.estimatedBytes }
        for distinct in distinctTables { bytes += distinct?.estimatedBytes ?? 0 }
        return bytes
    }

    /// Adds `rows` rows given as evaluated key and argument columns.
    func consume(keyColumns: [Column], arguments: [Column?], rows: Int) throws(SQLError) {
        let groups: [Int32]
        if !hasKeys {
            groups = [Int32](repeating: 0, count: rows)
        } else {
            let encoded = try EncodedKeys(keyColumns, rowCount: rows)
            var newRows: [Int] = []
            groups = table.insert(encoded, newRows: &newRows)
            groupCount = table.count
        }
        for (index, column) in arguments.enumerated() {
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
    }

    /// Adds rows `range` of a batch whose single key carries dictionary codes. No DISTINCT
    /// aggregates (they take the whole-batch `consume`).
    func consume(dictionaryKey key: DictionaryKey, arguments: [Column?], range: Range<Int>) throws(SQLError) {
        let groups = table.insert(codes: key.dictionary.codes, validity: key.validity, values: key.values,
                                  valueCount: key.dictionary.values.count, range: range)
        groupCount = table.count
        for (index, column) in arguments.enumerated() {
            guard distinctTables[index] == nil else {
                throw SQLError(.execution, "internal: a DISTINCT aggregate took the dictionary-key path")
            }
            try accumulators[index].update(groups: groups, column: column, rowOffset: range.lowerBound, groupCount: groupCount)
        }
    }

    /// Adds rows `range` of a batch whose keys are `encoded` (nil without GROUP BY keys).
    /// No DISTINCT aggregates: they take the whole-batch `consume`.
    func consume(encoded: EncodedKeys?, arguments: [Column?], range: Range<Int>) throws(SQLError) {
        let groups: [Int32]
        if let encoded, hasKeys {
            var newRows: [Int] = []
            groups = table.insert(encoded, range: range, newRows: &newRows)
            groupCount = table.count
        } else {
            groups = [Int32](repeating: 0, count: range.count)
        }
        for (index, column) in arguments.enumerated() {
            guard distinctTables[index] == nil else {
                throw SQLError(.execution, "internal: a DISTINCT aggregate was split across workers")
            }
            try accumulators[index].update(groups: groups, column: column, rowOffset: range.lowerBound, groupCount: groupCount)
        }
    }

    /// Folds another worker's groups into this state.
    func merge(_ other: AggregateState) throws(SQLError) {
        let mapping: [Int32]
        if hasKeys {
            let keys = try other.table.keyColumns()
            let encoded = try EncodedKeys(keys, rowCount: other.table.count)
            var newRows: [Int] = []
            mapping = table.insert(encoded, newRows: &newRows)
            groupCount = table.count
        } else {
            mapping = [0]
        }
        for (mine, theirs) in zip(accumulators, other.accumulators) {
            try mine.merge(theirs, mapping: mapping, groupCount: groupCount)
        }
    }
}

/// A single GROUP BY key column with a dictionary side-car worth using: its codes, its
/// validity and its dictionary values encoded once per batch as one key lane.
struct DictionaryKey: @unchecked Sendable {
    // SAFETY (Sendable): immutable value of arrays and an immutable final class.
    let dictionary: ColumnDictionary
    let validity: Bitmap?
    let values: EncodedKeys.Lane

    /// Nil unless there is exactly one key, it carries a dictionary, its type is one lane,
    /// and the dictionary is small next to the batch (a filtered or sliced batch may keep
    /// a dictionary far larger than its rows: then hashing the rows is cheaper).
    init?(_ keyColumns: [Column], rows: Int) throws(SQLError) {
        guard keyColumns.count == 1, let dictionary = keyColumns[0].dictionary,
              EncodedKeys.laneCount(keyColumns[0].type) == 1,
              dictionary.values.count <= max(256, rows / 2) else { return nil }
        let lanes = try EncodedKeys.encode(dictionary.values)
        guard lanes.count == 1 else { return nil }
        self.dictionary = dictionary
        self.validity = keyColumns[0].validity
        self.values = lanes[0]
    }
}

/// Worker states shared with the threads of one batch.
final class WorkerStates: @unchecked Sendable {
    // SAFETY: during a concurrentPerform each worker index touches only its own state,
    // and the caller waits for all workers before reading any state again.
    private let states: [AggregateState]
    init(_ states: [AggregateState]) { self.states = states }
    func state(_ index: Int) -> AggregateState { states[index] }
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
