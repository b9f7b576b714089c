// WindowOperator: window functions of one window (PARTITION BY + ORDER BY) — buffers its
// input (accounted like a sort), sorts it once by (partition keys, order keys), finds the
// partitions and peer groups, and appends one column per function. Works over whole
// columns and index arrays; must never evaluate per row through ScalarValue or allocate per row.
import TarnColumnar

/// Which rows of its partition a window function's frame covers, for a row in a
/// partition sorted by the window's ORDER BY.
public enum WindowFrameExtent: Sendable, Equatable {
    /// The whole partition (no ORDER BY, or UNBOUNDED PRECEDING to UNBOUNDED FOLLOWING).
    case partition
    /// From the partition's start to the current row and its peers (rows with equal
    /// ORDER BY keys): RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, the default.
    case toPeers
    /// From the current row's first peer to the partition's end (RANGE BETWEEN CURRENT ROW
    /// AND UNBOUNDED FOLLOWING).
    case fromPeers
    /// The current row's peers only (RANGE BETWEEN CURRENT ROW AND CURRENT ROW).
    case peers
    /// ROWS BETWEEN `preceding` PRECEDING AND `following` FOLLOWING (nil: UNBOUNDED; 0:
    /// CURRENT ROW), clipped to the partition. The frame always holds the current row.
    case rows(preceding: Int?, following: Int?)

    var text: String {
        switch self {
        case .partition: return "whole partition"
        case .toPeers: return "RANGE UNBOUNDED PRECEDING to CURRENT ROW"
        case .fromPeers: return "RANGE CURRENT ROW to UNBOUNDED FOLLOWING"
        case .peers: return "RANGE CURRENT ROW to CURRENT ROW"
        case let .rows(preceding, following):
            return "ROWS \(preceding.map { $0 == 0 ? "CURRENT ROW" : "\($0) PRECEDING" } ?? "UNBOUNDED PRECEDING") to "
                + (following.map { $0 == 0 ? "CURRENT ROW" : "\($0) FOLLOWING" } ?? "UNBOUNDED FOLLOWING")
        }
    }
}

/// What a window function computes.
public enum WindowFunctionKind: Sendable, Equatable {
    case rowNumber, rank, denseRank
    /// (rank - 1) / (partition rows - 1), 0 for a one-row partition; and the fraction of
    /// the partition's rows up to the current row's last peer.
    case percentRank, cumeDist
    /// The bucket 1...n of the row when the partition is split into n nearly equal parts
    /// (the first `rows % n` buckets one row larger).
    case ntile(Int)
    /// The argument `offset` rows before (lag) or after (lead) in the partition, else the default.
    case lag(offset: Int), lead(offset: Int)
    case firstValue, lastValue
    case sum, avg, min, max, count, countStar
}

/// One window function call: its kind, argument, frame and output column.
public struct WindowFunction: Sendable {
    public var kind: WindowFunctionKind
    /// The argument, evaluated on the input batch (nil for row_number, rank, count(*)).
    public var argument: PhysicalExpression?
    /// lag/lead: the value when the offset row is outside the partition (NULL when nil),
    /// already of the result type.
    public var defaultValue: ScalarValue?
    public var frame: WindowFrameExtent
    public var type: DataType
    public var name: String
    /// The call as written (EXPLAIN).
    public var text: String
    /// lag/lead/first_value/last_value IGNORE NULLS: NULL values are skipped (lag(x, n)
    /// is the n-th non-NULL value before the row; first_value the frame's first non-NULL).
    public var ignoreNulls: Bool

    public init(kind: WindowFunctionKind, argument: PhysicalExpression?, defaultValue: ScalarValue? = nil,
                frame: WindowFrameExtent, type: DataType, name: String, text: String, ignoreNulls: Bool = false) {
        self.kind = kind
        self.argument = argument
        self.defaultValue = defaultValue
        self.frame = frame
        self.type = type
        self.name = name
        self.text = text
        self.ignoreNulls = ignoreNulls
    }
}

/// Appends window function columns to its input rows (output in window order).
public final class WindowOperator: PhysicalOperator {
    let input: any PhysicalOperator
    let partitionKeys: [PhysicalExpression]
    let orderKeys: [SortKey]
    let functions: [WindowFunction]
    let context: ExecutionContext
    public let schema: Schema
    private var output: [RecordBatch]?
    private var position = 0

    public init(input: any PhysicalOperator, partitionKeys: [PhysicalExpression], orderKeys: [SortKey],
                functions: [WindowFunction], context: ExecutionContext) {
        self.input = input
        self.partitionKeys = partitionKeys
        self.orderKeys = orderKeys
        self.functions = functions
        self.context = context
        schema = Schema(input.schema.fields + functions.map { Field($0.name, $0.type, nullable: true) })
    }

    public var label: String {
        var window: [String] = []
        if !partitionKeys.isEmpty { window.append("PARTITION BY " + partitionKeys.map(\.text).joined(separator: ", ")) }
        if !orderKeys.isEmpty { window.append("ORDER BY " + orderKeys.map(\.text).joined(separator: ", ")) }
        return "Window [" + window.joined(separator: " ") + "] " + functions.map { "\($0.text) (\($0.frame.text)) AS \($0.name)" }.joined(separator: ", ")
    }

    public var children: [any PhysicalOperator] { [input] }

    public func next() throws(SQLError) -> RecordBatch? {
        if output == nil {
            var reservation = MemoryReservation(budget: context.memory, consumer: "window functions (sort by PARTITION BY, ORDER BY)")
            defer { reservation.release() }
            var buffered: [RecordBatch] = []
            var bytes = 0, rows = 0
            while let batch = try input.nextNonEmpty() {
                try context.checkCancelled()
                buffered.append(batch)
                bytes += batch.estimatedBytes
                rows += batch.rowCount
                try reservation.set(bytes)
            }
            // The concatenation and the sorted copy; per row the sort indices, the partition
            // and peer bounds (5 words) and, per function, its result and index arrays.
            try reservation.set(bytes * 2 + rows * (48 + 24 * functions.count))
            let all = try concatBatches(buffered, schema: input.schema)
            buffered = []
            output = try splitBatch(try compute(all))
        }
        guard let output, position < output.count else { return nil }
        position += 1
        return output[position - 1]
    }

    // MARK: Computing

    private func compute(_ batch: RecordBatch) throws(SQLError) -> RecordBatch {
        let n = batch.rowCount
        if n == 0 { return RecordBatch.empty(schema) }
        var keyColumns: [Column] = []
        for key in partitionKeys { keyColumns.append(try key.evaluate(batch)) }
        for key in orderKeys { keyColumns.append(try key.expression.evaluate(batch)) }
        var sorted = batch
        var sortedKeys = keyColumns
        if !keyColumns.isEmpty {
            let ascending = partitionKeys.map { _ in true } + orderKeys.map(\.ascending)
            let nullsFirst = partitionKeys.map { _ in true } + orderKeys.map(\.nullsFirst)
            let indices = try columnar("window sort") { () throws(ColumnarError) in
                try Column.sortIndices(columns: keyColumns, ascending: ascending, nullsFirst: nullsFirst)
            }
            if batch.columns.isEmpty {
                sorted = batch
            } else {
                sorted = try columnar("window sort") { () throws(ColumnarError) in try batch.take(indices) }
            }
            sortedKeys = []
            for column in keyColumns {
                sortedKeys.append(try columnar("window sort") { () throws(ColumnarError) in try column.take(indices) })
            }
        }
        try context.checkCancelled()
        let layout = try WindowLayout(n: n, partitionColumns: Array(sortedKeys.prefix(partitionKeys.count)),
                                      orderColumns: Array(sortedKeys.dropFirst(partitionKeys.count)))
        var columns = sorted.columns
        for function in functions {
            columns.append(try evaluate(function, sorted, layout))
            try context.checkCancelled()
        }
        return try columnar("window functions") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: n)
        }
    }

    private func evaluate(_ function: WindowFunction, _ batch: RecordBatch, _ layout: WindowLayout) throws(SQLError) -> Column {
        let n = layout.n
        switch function.kind {
        case .rowNumber:
            return try int64Column((0..<n).map { Int64($0 - layout.partitionStart[$0] + 1) })
        case .rank:
            return try int64Column((0..<n).map { Int64(layout.peerStart[$0] - layout.partitionStart[$0] + 1) })
        case .denseRank:
            var values = [Int64](repeating: 0, count: n)
            var rank: Int64 = 0
            for i in 0..<n {
                if layout.partitionStart[i] == i { rank = 0 }
                if layout.peerStart[i] == i { rank += 1 }
                values[i] = rank
            }
            return try int64Column(values)
        case .percentRank, .cumeDist:
            let cumulative = function.kind == .cumeDist
            let values = (0..<n).map { i -> Double in
                let rows = layout.partitionEnd[i] - layout.partitionStart[i]
                if cumulative { return Double(layout.peerEnd[i] - layout.partitionStart[i]) / Double(rows) }
                return rows <= 1 ? 0 : Double(layout.peerStart[i] - layout.partitionStart[i]) / Double(rows - 1)
            }
            return try columnar("window \(function.text)") { () throws(ColumnarError) in
                try Column(type: .float64, count: n, validity: nil, storage: .float64(values))
            }
        case let .ntile(buckets):
            return try int64Column((0..<n).map { i -> Int64 in
                let rows = layout.partitionEnd[i] - layout.partitionStart[i]
                let k = i - layout.partitionStart[i]
                let size = rows / buckets, larger = rows % buckets
                if k < larger * (size + 1) { return Int64(k / (size + 1) + 1) }
                return Int64(larger + (k - larger * (size + 1)) / Swift.max(1, size) + 1)
            })
        case let .lag(offset), let .lead(offset):
            let argument = try self.argument(function, batch)
            let fallback = try columnar("window default") { () throws(ColumnarError) in
                try Column.repeating(function.defaultValue ?? .null, type: function.type, count: 1)
            }
            let source = try columnar("window \(function.text)") { () throws(ColumnarError) in try Column.concat([argument, fallback]) }
            var indices = [Int](repeating: n, count: n)
            let isLag = function.kind == .lag(offset: offset)
            if function.ignoreNulls {
                // Ordinals among the non-NULL rows: before[i] of them come before row i.
                let valid = argument.isNotNull()
                var positions: [Int] = []
                var before = [Int](repeating: 0, count: n)
                for i in 0..<n {
                    before[i] = positions.count
                    if valid[i] { positions.append(i) }
                }
                for i in 0..<n {
                    // lag: the offset-th non-NULL row before i; lead: the offset-th after i
                    // (offset 0 is the row itself when it is not NULL).
                    let ordinal = isLag ? before[i] - offset : before[i] + (valid[i] ? 1 : 0) + offset - 1
                    let current = offset == 0 ? (valid[i] ? i : -1) : nil
                    if let current {
                        if current >= 0 { indices[i] = current }
                        continue
                    }
                    guard ordinal >= 0, ordinal < positions.count else { continue }
                    let target = positions[ordinal]
                    if target >= layout.partitionStart[i] && target < layout.partitionEnd[i] { indices[i] = target }
                }
            } else {
                for i in 0..<n {
                    let (target, overflow) = isLag ? i.subtractingReportingOverflow(offset) : i.addingReportingOverflow(offset)
                    if !overflow && target >= layout.partitionStart[i] && target < layout.partitionEnd[i] { indices[i] = target }
                }
            }
            return try columnar("window \(function.text)") { () throws(ColumnarError) in try source.take(indices) }
        case .firstValue, .lastValue:
            let argument = try self.argument(function, batch)
            let first = function.kind == .firstValue
            if function.ignoreNulls {
                // The first non-NULL row at or after each row, and the last at or before it.
                let valid = argument.isNotNull()
                var next = [Int](repeating: n, count: n + 1)
                for i in stride(from: n - 1, through: 0, by: -1) { next[i] = valid[i] ? i : next[i + 1] }
                var previous = [Int](repeating: -1, count: n)
                var last = -1
                for i in 0..<n {
                    if valid[i] { last = i }
                    previous[i] = last
                }
                let indices = (0..<n).map { i -> Int in
                    let lo = layout.frameStart(i, function.frame), hi = layout.frameEnd(i, function.frame)
                    let found = first ? next[lo] : previous[hi]
                    return found >= lo && found <= hi ? found : n
                }
                let source = try columnar("window \(function.text)") { () throws(ColumnarError) in
                    try Column.concat([argument, Column.nulls(argument.type, count: 1)])
                }
                return try columnar("window \(function.text)") { () throws(ColumnarError) in try source.take(indices) }
            }
            let indices = (0..<n).map { i -> Int in
                first ? layout.frameStart(i, function.frame) : layout.frameEnd(i, function.frame)
            }
            return try columnar("window \(function.text)") { () throws(ColumnarError) in try argument.take(indices) }
        case .countStar:
            return try int64Column((0..<n).map { i -> Int64 in
                Int64(layout.frameEnd(i, function.frame) - layout.frameStart(i, function.frame) + 1)
            })
        case .count:
            let argument = try self.argument(function, batch)
            let valid = argument.isNotNull()
            return try int64Column(layout.counts(function.frame, valid: valid))
        case .sum, .avg:
            return try sumOrAverage(function, batch, layout)
        case .min, .max:
            return try extreme(function, batch, layout)
        }
    }

    private func argument(_ function: WindowFunction, _ batch: RecordBatch) throws(SQLError) -> Column {
        guard let argument = function.argument else {
            throw SQLError(.execution, "internal: window function \(function.text) has no argument")
        }
        let column = try argument.evaluate(batch)
        if column.type == function.type || function.kind == .sum || function.kind == .avg || function.kind == .count {
            return column
        }
        return try columnar("window \(function.text)") { () throws(ColumnarError) in try column.cast(to: function.type) }
    }

    private func int64Column(_ values: [Int64], validity: Bitmap? = nil) throws(SQLError) -> Column {
        try columnar("window functions") { () throws(ColumnarError) in
            try Column(type: .int64, count: values.count, validity: validity, storage: .int64(values))
        }
    }

    /// sum / avg over each row's frame: BIGINT sums are exact (overflow is an error),
    /// DECIMAL sums exact in DECIMAL(38, s), the rest in DOUBLE.
    private func sumOrAverage(_ function: WindowFunction, _ batch: RecordBatch, _ layout: WindowLayout) throws(SQLError) -> Column {
        let n = layout.n
        let raw = try argument(function, batch)
        let inputType: DataType = function.kind == .avg ? .float64 : function.type
        let argument = raw.type == inputType ? raw
            : try columnar("window \(function.text)") { () throws(ColumnarError) in try raw.cast(to: inputType) }
        let valid = argument.isNotNull()
        let counts = layout.counts(function.frame, valid: valid)
        let validity = Bitmap(counts.map { $0 > 0 })
        switch argument.storage {
        case let .int64(values):
            guard let sums = layout.checkedSums(function.frame, values, valid: valid) else {
                throw SQLError(.execution, "\(function.text): the sum overflows BIGINT; cast the argument to DECIMAL or DOUBLE")
            }
            return try columnar("window sum") { () throws(ColumnarError) in
                try Column(type: .int64, count: n, validity: validity, storage: .int64(sums))
            }
        case let .int128(values):
            guard let sums = layout.checkedSums(function.frame, values, valid: valid) else {
                throw SQLError(.execution, "\(function.text): the sum overflows DECIMAL(38)")
            }
            return try columnar("window sum") { () throws(ColumnarError) in
                try Column(type: function.type, count: n, validity: validity, storage: .int128(sums))
            }
        case let .float64(values):
            var sums = [Double](repeating: 0, count: n)
            values.withUnsafeBufferPointer { v in
                layout.slideSum(function.frame, zero: 0.0, value: { j in valid[j] ? v[j] : 0 },
                                add: { $0 + $1 }, subtract: { $0 - $1 }) { j, sum in sums[j] = sum }
            }
            let out = function.kind == .avg
                ? (0..<n).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
                : sums
            return try columnar("window \(function.text)") { () throws(ColumnarError) in
                try Column(type: .float64, count: n, validity: validity, storage: .float64(out))
            }
        default:
            throw SQLError(.type, "\(function.text) needs a numeric argument, not \(raw.type.sqlName)")
        }
    }

    /// min / max over each row's frame: argument values ranked once by sorting, then a
    /// monotonic queue of positions per partition.
    private func extreme(_ function: WindowFunction, _ batch: RecordBatch, _ layout: WindowLayout) throws(SQLError) -> Column {
        let n = layout.n
        let argument = try self.argument(function, batch)
        let order = try columnar("window \(function.text)") { () throws(ColumnarError) in
            try Column.sortIndices(columns: [argument], ascending: [function.kind == .min], nullsFirst: [false])
        }
        // rank[i]: lower is better; NULLs are never taken.
        var rank = [Int](repeating: 0, count: n)
        for (k, i) in order.enumerated() { rank[i] = k }
        let valid = argument.isNotNull()
        var best = [Int](repeating: n, count: n)
        var queue = [Int](repeating: 0, count: n)
        var head = 0, tail = 0
        var start = -1, right = -1
        for i in 0..<n {
            if layout.partitionStart[i] != start {
                start = layout.partitionStart[i]
                head = 0
                tail = 0
                right = i - 1
            }
            let hi = layout.frameEnd(i, function.frame)
            while right < hi {
                right += 1
                guard valid[right] else { continue }
                while tail > head && rank[queue[tail - 1]] >= rank[right] { tail -= 1 }
                queue[tail] = right
                tail += 1
            }
            let lo = layout.frameStart(i, function.frame)
            while tail > head && queue[head] < lo { head += 1 }
            best[i] = tail > head ? queue[head] : n
        }
        let indices = best
        let source = try columnar("window \(function.text)") { () throws(ColumnarError) in
            try Column.concat([argument, Column.nulls(argument.type, count: 1)])
        }
        return try columnar("window \(function.text)") { () throws(ColumnarError) in try source.take(indices) }
    }
}

/// Partitions and peer groups of rows sorted by (partition keys, order keys).
struct WindowLayout {
    let n: Int
    /// For each row: where its partition starts and ends (exclusive).
    var partitionStart: [Int]
    var partitionEnd: [Int]
    /// For each row: where its peer group (equal order keys within the partition) starts and ends (exclusive).
    var peerStart: [Int]
    var peerEnd: [Int]

    init(n: Int, partitionColumns: [Column], orderColumns: [Column]) throws(SQLError) {
        self.n = n
        let newPartition = try Self.changes(partitionColumns, n: n)
        var newPeer = try Self.changes(orderColumns, n: n)
        for i in 0..<n where newPartition[i] { newPeer[i] = true }
        partitionStart = Self.starts(newPartition)
        peerStart = Self.starts(newPeer)
        partitionEnd = Self.ends(newPartition)
        peerEnd = Self.ends(newPeer)
    }

    /// true at row 0 and at every row whose keys differ from the row before (NULLs equal).
    private static func changes(_ columns: [Column], n: Int) throws(SQLError) -> [Bool] {
        var out = [Bool](repeating: false, count: n)
        if n > 0 { out[0] = true }
        guard n > 1 else { return out }
        for column in columns {
            let (current, previous) = try columnar("window peers") { () throws(ColumnarError) in
                (try column.slice(1..<n), try column.slice(0..<(n - 1)))
            }
            let equal = try columnar("window peers") { () throws(ColumnarError) in try current.compare(.equal, previous) }
            guard case let .boolean(bits) = equal.storage else {
                throw SQLError(.execution, "internal: comparing window keys gave \(equal.type.sqlName)")
            }
            let same = (equal.validity.map { bits & $0 } ?? bits) | (current.isNull() & previous.isNull())
            for i in 1..<n where !same[i - 1] { out[i] = true }
        }
        return out
    }

    private static func starts(_ changes: [Bool]) -> [Int] {
        var out = [Int](repeating: 0, count: changes.count)
        var start = 0
        for i in changes.indices {
            if changes[i] { start = i }
            out[i] = start
        }
        return out
    }

    private static func ends(_ changes: [Bool]) -> [Int] {
        var out = [Int](repeating: 0, count: changes.count)
        var end = changes.count
        for i in changes.indices.reversed() {
            out[i] = end
            if changes[i] { end = i }
        }
        return out
    }

    /// The last row of row i's frame.
    func frameEnd(_ i: Int, _ frame: WindowFrameExtent) -> Int {
        switch frame {
        case .partition, .fromPeers: return partitionEnd[i] - 1
        case .toPeers, .peers: return peerEnd[i] - 1
        case let .rows(_, following):
            guard let following else { return partitionEnd[i] - 1 }
            let (ahead, overflow) = i.addingReportingOverflow(following)
            return overflow ? partitionEnd[i] - 1 : Swift.min(partitionEnd[i] - 1, ahead)
        }
    }

    /// The first row of row i's frame.
    func frameStart(_ i: Int, _ frame: WindowFrameExtent) -> Int {
        if frame == .fromPeers || frame == .peers { return peerStart[i] }
        guard case let .rows(preceding?, _) = frame else { return partitionStart[i] }
        let (back, overflow) = i.subtractingReportingOverflow(preceding)
        return overflow ? partitionStart[i] : Swift.max(partitionStart[i], back)
    }

    /// For each row, the number of rows with `valid` set in its frame.
    func counts(_ frame: WindowFrameExtent, valid: Bitmap) -> [Int64] {
        var out = [Int64](repeating: 0, count: n)
        slideSum(frame, zero: Int64(0), value: { valid[$0] ? 1 : 0 }, add: { $0 + $1 }, subtract: { $0 - $1 }) { i, total in
            out[i] = total
        }
        return out
    }

    /// Integer sums over each row's frame (nulls count as 0); nil when any sum overflows.
    func checkedSums<T: FixedWidthInteger>(_ frame: WindowFrameExtent, _ values: [T], valid: Bitmap) -> [T]? {
        var sums = [T](repeating: 0, count: n)
        var overflowed = false
        values.withUnsafeBufferPointer { v in
            slideSum(frame, zero: T.zero, value: { j in valid[j] ? v[j] : 0 },
                     add: { a, b in
                         let (s, o) = a.addingReportingOverflow(b)
                         if o { overflowed = true }
                         return s
                     },
                     subtract: { a, b in
                         let (s, o) = a.subtractingReportingOverflow(b)
                         if o { overflowed = true }
                         return s
                     }) { j, sum in sums[j] = sum }
        }
        return overflowed ? nil : sums
    }

    /// For each row i, the sum of `value(k)` over its frame (frameStart(i)...frameEnd(i)),
    /// kept by adding rows as the frame's end passes them and subtracting them as its start
    /// does (both only move forward within a partition).
    func slideSum<T>(_ frame: WindowFrameExtent, zero: T, value: (Int) -> T, add: (T, T) -> T,
                     subtract: (T, T) -> T, result: (Int, T) -> Void) {
        var total = zero
        var left = 0, right = -1
        var start = -1
        for i in 0..<n {
            if partitionStart[i] != start {
                start = partitionStart[i]
                total = zero
                left = i
                right = i - 1
            }
            let hi = frameEnd(i, frame)
            while right < hi {
                right += 1
                total = add(total, value(right))
            }
            let lo = frameStart(i, frame)
            while left < lo {
                total = subtract(total, value(left))
                left += 1
            }
            result(i, total)
        }
    }
}
