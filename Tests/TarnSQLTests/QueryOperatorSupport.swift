// Helpers for the executor operator tests: hand-built batch sources, row extraction,
// and order-insensitive comparison of results.
import TarnColumnar
import TarnSQL

/// A source of prepared batches that counts how many it handed out.
final class CountingSource: PhysicalOperator {
    let schema: Schema
    let batches: [RecordBatch]
    private(set) var pulled = 0

    init(_ batches: [RecordBatch]) {
        self.batches = batches
        schema = batches.first?.schema ?? Schema([])
    }

    init(schema: Schema, batches: [RecordBatch]) {
        self.schema = schema
        self.batches = batches
    }

    var label: String { "CountingSource" }
    var children: [any PhysicalOperator] { [] }

    func next() throws(SQLError) -> RecordBatch? {
        guard pulled < batches.count else { return nil }
        pulled += 1
        return batches[pulled - 1]
    }
}

func int64Column(_ values: [Int64?]) throws -> Column { try Column(.int64, values) }
func doubleColumn(_ values: [Double?]) throws -> Column { try Column(.float64, values) }
func stringColumn(_ values: [String?]) throws -> Column { try Column(strings: values) }

func batch(_ columns: [(String, Column)]) throws -> RecordBatch {
    try RecordBatch(schema: Schema(columns.map { Field($0.0, $0.1.type) }), columns: columns.map(\.1))
}

/// Every row of `batches` as scalars.
func rows(_ batches: [RecordBatch]) -> [[ScalarValue]] {
    var out: [[ScalarValue]] = []
    for batch in batches {
        for row in 0..<batch.rowCount { out.append(batch.columns.map { $0.value(at: row) }) }
    }
    return out
}

/// Rows rendered as text and sorted (for order-insensitive comparison).
func canonical(_ rows: [[ScalarValue]]) -> [String] {
    rows.map { $0.map(\.description).joined(separator: "|") }.sorted()
}

func columnRef(_ index: Int, _ type: DataType, _ name: String) -> PhysicalExpression {
    .column(index, type: type, name: name)
}

func context(memory: Int = 1 << 30, parallelism: Int = 2) -> ExecutionContext {
    ExecutionContext(memoryLimitBytes: memory, parallelism: parallelism)
}

/// A deterministic pseudo-random generator (tests must not depend on the system RNG).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
