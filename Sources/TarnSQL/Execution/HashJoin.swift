// HashJoin: equi-joins (inner, left, right, full) and cross joins. The build side is
// held in memory (accounted against the budget) with a chained hash table; the probe
// side streams. NULL keys never match; a residual condition filters the matched pairs
// before outer-join bookkeeping. Output is emitted in bounded chunks of pairs.
import Dispatch
import Synchronization
import TarnColumnar

/// The type two join keys are compared in.
func commonKeyType(_ a: DataType, _ b: DataType) -> DataType {
    if a == b { return a }
    if a.isInteger && b.isInteger { return .int64 }
    if case let .decimal(p1, s1) = a, case let .decimal(p2, s2) = b {
        let scale = max(s1, s2)
        return .decimal(precision: min(38, max(p1 - s1, p2 - s2) + scale), scale: scale)
    }
    if a.isNumeric && b.isNumeric { return .float64 }
    switch (a, b) {
    case (.date32, .timestamp(let z)), (.timestamp(let z), .date32): return .timestamp(z)
    case (.timestamp, .timestamp): return .timestamp(.utc)
    default: return .string
    }
}

public final class HashJoinOperator: PhysicalOperator {
    public let schema: Schema
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let kind: JoinKind
    let leftKeys: [PhysicalExpression]
    let rightKeys: [PhysicalExpression]
    let keyTypes: [DataType]
    /// Evaluated over the joined row (left columns then right columns).
    let residual: PhysicalExpression?
    let buildLeft: Bool
    let context: ExecutionContext
    let chunkPairs = 65_536

    private var built = false
    private var build = RecordBatch.empty(Schema([]))
    private var buildLanes = LaneView(lanes: [])
    private var buildHashes: [UInt64] = []
    private var heads: [Int32] = []
    private var chain: [Int32] = []
    private var headMask = 0
    private var buildMatched: [Bool] = []
    private var reservation: MemoryReservation

    // The probe batch being joined.
    private var probe: RecordBatch?
    private var probeLanes = LaneView(lanes: [])
    private var probeHashes: [UInt64] = []
    private var probeNulls: Bitmap?
    private var probeRow = 0
    private var probeMatched: [Bool] = []
    private var probeDone = false
    private var buildTailEmitted = false
    /// No two build rows share a key: each probe row matches at most once, so a probe
    /// batch's pairs are bounded by its rows and can be found by all workers at once.
    private var buildUnique = true
    private var pendingProbe: [Int] = []
    private var pendingBuild: [Int] = []
    private var pendingCursor = 0

    public init(left: any PhysicalOperator, right: any PhysicalOperator, kind: JoinKind,
                leftKeys: [PhysicalExpression], rightKeys: [PhysicalExpression],
                residual: PhysicalExpression?, buildLeft: Bool, context: ExecutionContext) throws(SQLError) {
        guard leftKeys.count == rightKeys.count else {
            throw SQLError(.execution, "internal: join with \(leftKeys.count) left keys and \(rightKeys.count) right keys")
        }
        self.left = left
        self.right = right
        self.kind = kind
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.buildLeft = buildLeft
        self.context = context
        keyTypes = zip(leftKeys, rightKeys).map { commonKeyType($0.type, $1.type) }
        for type in keyTypes where EncodedKeys.laneCount(type) == nil {
            throw SQLError(.unsupported, "cannot join on values of type \(type)")
        }
        let fields = (left.schema.fields + right.schema.fields).map { f -> Field in var f = f; f.nullable = true; return f }
        schema = Schema(fields)
        reservation = MemoryReservation(budget: context.memory, consumer: "JOIN (hash table of the build side)")
    }

    deinit { reservation.release() }

    public var label: String {
        var text = "HashJoin \(kind.rawValue.uppercased())"
        if !leftKeys.isEmpty {
            text += " on [" + zip(leftKeys, rightKeys).map { "\($0.text) = \($1.text)" }.joined(separator: ", ") + "]"
        }
        if let residual { text += " residual \(residual.text)" }
        text += " build=\(buildLeft ? "left" : "right")"
        return text
    }
    public var children: [any PhysicalOperator] { [left, right] }

    private var buildSide: any PhysicalOperator { buildLeft ? left : right }
    private var probeSide: any PhysicalOperator { buildLeft ? right : left }
    private var buildKeyExpressions: [PhysicalExpression] { buildLeft ? leftKeys : rightKeys }
    private var probeKeyExpressions: [PhysicalExpression] { buildLeft ? rightKeys : leftKeys }
    private var emitUnmatchedProbe: Bool {
        switch kind {
        case .full: return true
        case .left: return !buildLeft
        case .right: return buildLeft
        case .inner, .cross: return false
        }
    }
    private var emitUnmatchedBuild: Bool {
        switch kind {
        case .full: return true
        case .left: return buildLeft
        case .right: return !buildLeft
        case .inner, .cross: return false
        }
    }

    private func keyColumns(_ expressions: [PhysicalExpression], _ batch: RecordBatch) throws(SQLError) -> [Column] {
        var out: [Column] = []
        for (expression, type) in zip(expressions, keyTypes) {
            let column = try expression.evaluate(batch)
            if column.type == type { out.append(column); continue }
            out.append(try columnar("join key \(expression.text)") { () throws(ColumnarError) in try column.cast(to: type) })
        }
        return out
    }

    private func buildTable() throws(SQLError) {
        var batches: [RecordBatch] = []
        var bytes = 0
        while let batch = try buildSide.nextNonEmpty() {
            try context.checkCancelled()
            batches.append(batch)
            bytes += batch.estimatedBytes
            try reservation.set(bytes)
        }
        build = try concatBatches(batches, schema: buildSide.schema)
        batches = []
        let rows = build.rowCount
        let keys = try EncodedKeys(try keyColumns(buildKeyExpressions, build), rowCount: rows)
        buildLanes = LaneView(lanes: keys.lanes)
        buildHashes = keys.hashes
        var capacity = 16
        while capacity < rows * 2 { capacity *= 2 }
        headMask = capacity - 1
        heads = [Int32](repeating: -1, count: capacity)
        chain = [Int32](repeating: -1, count: rows)
        let nulls = keys.nullRows
        // Insert in reverse so chains list rows in input order.
        var unique = true
        for row in stride(from: rows - 1, through: 0, by: -1) {
            if let nulls, nulls[row] { continue }
            let slot = Int(truncatingIfNeeded: buildHashes[row]) & headMask
            if unique {
                var other = Int(heads[slot])
                while other >= 0 {
                    if buildHashes[other] == buildHashes[row] && LaneView.equal(buildLanes, row, buildLanes, other) {
                        unique = false
                        break
                    }
                    other = Int(chain[other])
                }
            }
            chain[row] = heads[slot]
            heads[slot] = Int32(truncatingIfNeeded: row)
        }
        buildUnique = unique
        buildMatched = emitUnmatchedBuild ? [Bool](repeating: false, count: rows) : []
        try reservation.set(build.estimatedBytes + capacity * 4 + rows * 13 + keys.lanes.count * rows * 8)
        built = true
    }

    public func next() throws(SQLError) -> RecordBatch? {
        if !built { try buildTable() }
        while true {
            if probe == nil {
                if probeDone { return try buildTail() }
                guard let batch = try probeSide.nextNonEmpty() else {
                    probeDone = true
                    continue
                }
                let keys = try EncodedKeys(try keyColumns(probeKeyExpressions, batch), rowCount: batch.rowCount)
                probe = batch
                probeLanes = LaneView(lanes: keys.lanes)
                probeHashes = keys.hashes
                probeNulls = keys.nullRows
                probeRow = 0
                probeMatched = emitUnmatchedProbe ? [Bool](repeating: false, count: batch.rowCount) : []
                if buildUnique && batch.rowCount >= 65_536 && context.parallelism > 1 && !leftKeys.isEmpty {
                    (pendingProbe, pendingBuild) = parallelPairs(rows: batch.rowCount)
                    pendingCursor = 0
                    probeRow = batch.rowCount
                }
            }
            guard let batch = probe else { continue }
            if pendingCursor < pendingProbe.count {
                let end = min(pendingProbe.count, pendingCursor + chunkPairs)
                let probeRows = Array(pendingProbe[pendingCursor..<end]), buildRows = Array(pendingBuild[pendingCursor..<end])
                pendingCursor = end
                if let output = try joinedPairs(batch, probeRows: probeRows, buildRows: buildRows) { return output }
                continue
            }
            if probeRow >= batch.rowCount {
                pendingProbe = []
                pendingBuild = []
                pendingCursor = 0
                probe = nil
                if emitUnmatchedProbe {
                    let unmatched = probeMatched.indices.filter { !probeMatched[$0] }
                    if !unmatched.isEmpty { return try outerRows(probeBatch: batch, probeRows: unmatched) }
                }
                continue
            }
            let (probeRows, buildRows) = collectPairs(batch)
            if probeRows.isEmpty { continue }
            if let output = try joinedPairs(batch, probeRows: probeRows, buildRows: buildRows) { return output }
        }
    }

    /// Matching (probe, build) pairs from `probeRow` on, up to about `chunkPairs`.
    private func collectPairs(_ batch: RecordBatch) -> ([Int], [Int]) {
        let (probeRows, buildRows, next) = HashJoinOperator.match(
            rows: probeRow..<batch.rowCount, limit: chunkPairs, heads: heads, chain: chain, headMask: headMask,
            buildHashes: buildHashes, probeHashes: probeHashes, probeNulls: probeNulls, probeLanes: probeLanes, buildLanes: buildLanes)
        probeRow = next
        return (probeRows, buildRows)
    }

    /// All pairs of the current probe batch, its row range split over the workers.
    private func parallelPairs(rows: Int) -> ([Int], [Int]) {
        let parts = context.parallelism
        let step = (rows + parts - 1) / parts
        let results = Mutex<[([Int], [Int])]>(Array(repeating: ([], []), count: parts))
        let heads = self.heads, chain = self.chain, headMask = self.headMask, buildHashes = self.buildHashes
        let probeHashes = self.probeHashes, probeNulls = self.probeNulls, probeLanes = self.probeLanes, buildLanes = self.buildLanes
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = min(rows, part * step)..<min(rows, (part + 1) * step)
            let (p, b, _) = HashJoinOperator.match(rows: range, limit: Int.max, heads: heads, chain: chain, headMask: headMask,
                                                   buildHashes: buildHashes, probeHashes: probeHashes, probeNulls: probeNulls,
                                                   probeLanes: probeLanes, buildLanes: buildLanes)
            results.withLock { $0[part] = (p, b) }
        }
        let collected = results.withLock { $0 }
        return (collected.flatMap(\.0), collected.flatMap(\.1))
    }

    /// Pairs of probe rows in `rows` with their matching build rows, stopping after the
    /// row that brings the pairs to `limit`; also returns the next row to look at.
    static func match(rows: Range<Int>, limit: Int, heads: [Int32], chain: [Int32], headMask: Int, buildHashes: [UInt64],
                      probeHashes: [UInt64], probeNulls: Bitmap?, probeLanes: LaneView, buildLanes: LaneView) -> ([Int], [Int], Int) {
        var probeRows: [Int] = []
        var buildRows: [Int] = []
        let expected = min(limit, rows.count) + 64
        probeRows.reserveCapacity(expected)
        buildRows.reserveCapacity(expected)
        var row = rows.lowerBound
        let singleFixed = probeLanes.isBytes.count == 1 && !probeLanes.isBytes[0]
        let probeValues = singleFixed ? probeLanes.fixed[0] : [], buildValues = singleFixed ? buildLanes.fixed[0] : []
        heads.withUnsafeBufferPointer { heads in
            chain.withUnsafeBufferPointer { chain in
                buildHashes.withUnsafeBufferPointer { buildHashes in
                    probeHashes.withUnsafeBufferPointer { probeHashes in
                        probeValues.withUnsafeBufferPointer { pv in
                            buildValues.withUnsafeBufferPointer { bv in
                                // SAFETY: heads holds headMask + 1 slots; chain entries and heads are
                                // build rows (< buildHashes.count, = bv.count); rows lie inside the
                                // probe batch (probeHashes.count, = pv.count).
                                while row < rows.upperBound && probeRows.count < limit {
                                    let current = row
                                    row += 1
                                    if let probeNulls, probeNulls[current] { continue }
                                    let hash = probeHashes[current]
                                    var candidate = Int(heads[Int(truncatingIfNeeded: hash) & headMask])
                                    while candidate >= 0 {
                                        if buildHashes[candidate] == hash {
                                            let equal = singleFixed ? pv[current] == bv[candidate]
                                                : LaneView.equal(probeLanes, current, buildLanes, candidate)
                                            if equal {
                                                probeRows.append(current)
                                                buildRows.append(candidate)
                                            }
                                        }
                                        candidate = Int(chain[candidate])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (probeRows, buildRows, row)
    }

    private func joinedPairs(_ batch: RecordBatch, probeRows: [Int], buildRows: [Int]) throws(SQLError) -> RecordBatch? {
        var joined = try assemble(probeBatch: batch, probeRows: probeRows, buildRows: buildRows)
        var keptProbe = probeRows
        var keptBuild = buildRows
        if let residual {
            let condition = try residual.evaluate(joined)
            let mask = try columnar("join condition") { () throws(ColumnarError) in try condition.selectionMask() }
            if mask.setCount != joined.rowCount {
                let selected = mask.setIndices
                keptProbe = selected.map { probeRows[$0] }
                keptBuild = selected.map { buildRows[$0] }
                joined = try columnar("join condition") { () throws(ColumnarError) in try joined.filter(mask) }
            }
        }
        if emitUnmatchedProbe { for row in keptProbe { probeMatched[row] = true } }
        if emitUnmatchedBuild { for row in keptBuild { buildMatched[row] = true } }
        return joined.rowCount > 0 ? joined : nil
    }

    private func assemble(probeBatch: RecordBatch, probeRows: [Int], buildRows: [Int]) throws(SQLError) -> RecordBatch {
        try columnar("join output") { () throws(ColumnarError) in
            let probePart = probeBatch.columns.isEmpty ? [] : try probeBatch.take(probeRows).columns
            let buildPart = build.columns.isEmpty ? [] : try build.take(buildRows).columns
            let columns = buildLeft ? buildPart + probePart : probePart + buildPart
            return try RecordBatch(schema: schema, columns: columns, rowCount: probeRows.count)
        }
    }

    /// Probe rows without a match, padded with NULLs for the build side.
    private func outerRows(probeBatch: RecordBatch, probeRows: [Int]) throws(SQLError) -> RecordBatch {
        try columnar("outer join rows") { () throws(ColumnarError) in
            let probePart = probeBatch.columns.isEmpty ? [] : try probeBatch.take(probeRows).columns
            let buildPart = buildSide.schema.fields.map { Column.nulls($0.type, count: probeRows.count) }
            let columns = buildLeft ? buildPart + probePart : probePart + buildPart
            return try RecordBatch(schema: schema, columns: columns, rowCount: probeRows.count)
        }
    }

    /// Build rows that never matched (after the probe side is exhausted), NULL-padded.
    private func buildTail() throws(SQLError) -> RecordBatch? {
        guard emitUnmatchedBuild, !buildTailEmitted else { return nil }
        buildTailEmitted = true
        let unmatched = buildMatched.indices.filter { !buildMatched[$0] }
        if unmatched.isEmpty { return nil }
        return try columnar("outer join rows") { () throws(ColumnarError) in
            let buildPart = build.columns.isEmpty ? [] : try build.take(unmatched).columns
            let probePart = probeSide.schema.fields.map { Column.nulls($0.type, count: unmatched.count) }
            let columns = buildLeft ? buildPart + probePart : probePart + buildPart
            return try RecordBatch(schema: schema, columns: columns, rowCount: unmatched.count)
        }
    }
}

/// Encoded key lanes unpacked for row-by-row comparison between two batches.
struct LaneView {
    var fixed: [[UInt64]] = []
    var offsets: [[Int32]] = []
    var data: [[UInt8]] = []
    var isBytes: [Bool] = []

    init(lanes: [EncodedKeys.Lane]) {
        for lane in lanes {
            switch lane {
            case let .fixed(values, _):
                fixed.append(values); offsets.append([]); data.append([]); isBytes.append(false)
            case let .bytes(o, d, _):
                fixed.append([]); offsets.append(o); data.append(d); isBytes.append(true)
            }
        }
    }

    /// Whether row `a` of `x` and row `b` of `y` hold equal keys (both non-null).
    @inline(__always)
    static func equal(_ x: LaneView, _ a: Int, _ y: LaneView, _ b: Int) -> Bool {
        for lane in 0..<x.isBytes.count {
            if x.isBytes[lane] {
                let aStart = Int(x.offsets[lane][a]), aEnd = Int(x.offsets[lane][a + 1])
                let bStart = Int(y.offsets[lane][b]), bEnd = Int(y.offsets[lane][b + 1])
                if aEnd - aStart != bEnd - bStart { return false }
                if !GroupTable.bytesEqual(x.data[lane], aStart, y.data[lane], bStart, aEnd - aStart) { return false }
            } else if x.fixed[lane][a] != y.fixed[lane][b] {
                return false
            }
        }
        return true
    }
}
