// The pull-based operator protocol of the executor, the per-query execution context
// (memory budget, parallelism) and the expression handle operators evaluate.
// Operators pull batches from their inputs one at a time; none may buffer more than its
// algorithm needs (hash tables, sort buffers) without accounting it against the budget.
import Synchronization
import TarnColumnar

/// A stream of record batches, pulled one at a time. `next()` returns nil at the end.
public protocol BatchStream: AnyObject {
    var schema: Schema { get }
    func next() throws(SQLError) -> RecordBatch?
}

/// A physical operator: a batch stream that can describe itself for EXPLAIN.
public protocol PhysicalOperator: BatchStream {
    /// One line naming the operator and its arguments.
    var label: String { get }
    /// Extra lines under the label (scan pruning numbers).
    var details: [String] { get }
    var children: [any PhysicalOperator] { get }
}

extension PhysicalOperator {
    public var details: [String] { [] }

    /// The operator tree as indented text.
    public func explainText(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        var out = pad + label + "\n"
        for line in details { out += pad + "    " + line + "\n" }
        for child in children { out += child.explainText(indent: indent + 1) }
        return out
    }
}

extension BatchStream {
    /// Pulls every batch (non-empty ones only).
    public func drain() throws(SQLError) -> [RecordBatch] {
        var out: [RecordBatch] = []
        while let batch = try next() {
            if batch.rowCount > 0 { out.append(batch) }
        }
        return out
    }

    /// Pulls the next non-empty batch.
    func nextNonEmpty() throws(SQLError) -> RecordBatch? {
        while let batch = try next() {
            if batch.rowCount > 0 { return batch }
        }
        return nil
    }
}

/// An expression an operator evaluates over its input batches: the column it yields,
/// with its type and a display text for EXPLAIN.
public struct PhysicalExpression: Sendable {
    public var type: DataType
    public var nullable: Bool
    public var text: String
    public var evaluate: @Sendable (RecordBatch) throws(SQLError) -> Column

    public init(type: DataType, nullable: Bool = true, text: String,
                evaluate: @escaping @Sendable (RecordBatch) throws(SQLError) -> Column) {
        self.type = type
        self.nullable = nullable
        self.text = text
        self.evaluate = evaluate
    }

    /// Column `index` of the input as it is.
    public static func column(_ index: Int, type: DataType, nullable: Bool = true, name: String) -> PhysicalExpression {
        PhysicalExpression(type: type, nullable: nullable, text: name) { batch throws(SQLError) in
            guard index < batch.columns.count else {
                throw SQLError(.execution, "internal: column #\(index) (\(name)) is missing from a batch of \(batch.columns.count) columns")
            }
            return batch.columns[index]
        }
    }
}

/// What every operator of one query shares: the memory budget and the parallelism.
public final class ExecutionContext: Sendable {
    public let memory: MemoryBudget
    public let parallelism: Int
    /// Set by whoever may cancel the query; operators check it between batches.
    public let cancellation: CancellationFlag?

    public init(memoryLimitBytes: Int, parallelism: Int, cancellation: CancellationFlag? = nil) {
        memory = MemoryBudget(limit: memoryLimitBytes)
        self.parallelism = max(1, parallelism)
        self.cancellation = cancellation
    }

    /// - Throws: `.cancelled` once cancellation was requested.
    @inline(__always)
    public func checkCancelled() throws(SQLError) {
        if let cancellation { try cancellation.check() }
    }
}

/// Bytes held by the operators of one query (hash tables, join build sides, sort
/// buffers). Exceeding the limit is a `.memoryLimit` SQLError naming the operator.
public final class MemoryBudget: Sendable {
    public let limit: Int
    private let state = Mutex<(used: Int, peak: Int)>((0, 0))

    public init(limit: Int) { self.limit = limit }

    public var used: Int { state.withLock { $0.used } }
    public var peak: Int { state.withLock { $0.peak } }

    /// Changes the bytes held by `consumer` from `old` to `new`.
    /// - Throws: `.memoryLimit` when the total would pass the limit (nothing is recorded then).
    public func update(from old: Int, to new: Int, consumer: String) throws(SQLError) {
        let result: Int? = state.withLock { s in
            let next = s.used - old + new
            if new > old && next > limit { return next }
            s.used = next
            s.peak = max(s.peak, next)
            return nil
        }
        if let wanted = result {
            throw SQLError(.memoryLimit, "\(consumer) needs about \(MemoryBudget.format(wanted)) but the query memory limit is \(MemoryBudget.format(limit)); add filters, reduce the groups or join inputs, or raise the limit")
        }
    }

    static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) bytes"
    }
}

/// Memory one operator holds, kept in step with the shared budget.
struct MemoryReservation {
    let budget: MemoryBudget
    let consumer: String
    private(set) var bytes = 0

    init(budget: MemoryBudget, consumer: String) {
        self.budget = budget
        self.consumer = consumer
    }

    mutating func set(_ newBytes: Int) throws(SQLError) {
        try budget.update(from: bytes, to: newBytes, consumer: consumer)
        bytes = newBytes
    }

    mutating func release() {
        try? budget.update(from: bytes, to: 0, consumer: consumer)
        bytes = 0
    }
}

extension Column {
    /// Approximate bytes of the column's buffers (for memory accounting).
    var estimatedBytes: Int {
        let validityBytes = validity.map { ($0.count + 7) / 8 } ?? 0
        switch storage {
        case let .boolean(b): return (b.count + 7) / 8 + validityBytes
        case let .int8(v): return v.count + validityBytes
        case let .int16(v): return v.count * 2 + validityBytes
        case let .int32(v): return v.count * 4 + validityBytes
        case let .int64(v): return v.count * 8 + validityBytes
        case let .uint8(v): return v.count + validityBytes
        case let .uint16(v): return v.count * 2 + validityBytes
        case let .uint32(v): return v.count * 4 + validityBytes
        case let .uint64(v): return v.count * 8 + validityBytes
        case let .float32(v): return v.count * 4 + validityBytes
        case let .float64(v): return v.count * 8 + validityBytes
        case let .int128(v): return v.count * 16 + validityBytes
        case let .bytes(offsets, data): return offsets.count * 4 + data.count + validityBytes
        case let .list(offsets, values): return offsets.count * 4 + values.estimatedBytes + validityBytes
        case let .structure(children): return children.reduce(validityBytes) { $0 + $1.estimatedBytes }
        case let .map(offsets, keys, values): return offsets.count * 4 + keys.estimatedBytes + values.estimatedBytes + validityBytes
        }
    }
}

extension RecordBatch {
    var estimatedBytes: Int { columns.reduce(0) { $0 + $1.estimatedBytes } }
}

/// Wraps a columnar kernel error as an execution error naming what was being done.
func columnar<T>(_ what: String, _ body: () throws(ColumnarError) -> T) throws(SQLError) -> T {
    do {
        return try body()
    } catch {
        throw SQLError(.execution, "\(what): \(error)", cause: error)
    }
}

import Foundation
