// HashJoin: equi-joins (inner, left, right, full, semi, anti) and cross joins. The build side is
// held in memory (accounted against the budget): an open-addressing table when its one
// fixed-width key is unique, else a chained hash table; the probe side streams. NULL keys
// never match; equal hashes are always confirmed by key equality; a residual condition
// filters the matched pairs before outer-join bookkeeping. Output is bounded by the probe
// batch (unique build keys) or emitted in chunks of pairs.
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
    /// A matched pair's row: left columns then right columns (`schema` but for SEMI and
    /// ANTI, which output the left's columns alone).
    let pairSchema: Schema
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
    /// Build column → probe column holding the same key values at every matched pair
    /// (plain column keys of one type whose equality is bitwise): gathered once, shared.
    let sharedKeyColumns: [Int: Int]
    /// Tests turn this off to run the general chained table against the fast paths.
    var fastPaths = true
    /// Probe batches (and outputs) of at least this many rows are split over the workers.
    var parallelRows = 65_536

    private var built = false
    private var build = RecordBatch.empty(Schema([]))
    private var buildLanes = LaneView(lanes: [])
    private var buildHashes: [UInt64] = []
    private var heads: [Int32] = []
    private var chain: [Int32] = []
    private var headMask = 0
    private var uniqueTable: UniqueKeyTable?
    /// Whether the build side went into the unique-key table (known after the first `next`).
    var usesUniqueKeyTable: Bool { uniqueTable != nil }
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

    /// - Parameter keyColumnPairs: key pairs that are plain column references on both sides
    ///   (left input column, right input column); when both columns have one type whose
    ///   equality is bitwise, the output takes the build one from the probe one.
    public init(left: any PhysicalOperator, right: any PhysicalOperator, kind: JoinKind,
                leftKeys: [PhysicalExpression], rightKeys: [PhysicalExpression],
                residual: PhysicalExpression?, buildLeft: Bool, context: ExecutionContext,
                keyColumnPairs: [(left: Int, right: Int)] = []) throws(SQLError) {
        guard leftKeys.count == rightKeys.count else {
            throw SQLError(.execution, "internal: join with \(leftKeys.count) left keys and \(rightKeys.count) right keys")
        }
        self.left = left
        self.right = right
        self.kind = kind
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        // SEMI and ANTI probe the left against a build of the right (per-row match flags).
        self.buildLeft = kind.keepsLeftOnly ? false : buildLeft
        self.context = context
        keyTypes = zip(leftKeys, rightKeys).map { commonKeyType($0.type, $1.type) }
        for type in keyTypes where EncodedKeys.laneCount(type) == nil {
            throw SQLError(.unsupported, "cannot join on values of type \(type)")
        }
        var shared: [Int: Int] = [:]
        for (l, r) in keyColumnPairs where l >= 0 && r >= 0 && l < left.schema.fields.count && r < right.schema.fields.count {
            let type = left.schema.fields[l].type
            guard type == right.schema.fields[r].type, HashJoinOperator.equalityIsIdentity(type) else { continue }
            if self.buildLeft { shared[l] = r } else { shared[r] = l }
        }
        sharedKeyColumns = shared
        let fields = (left.schema.fields + right.schema.fields).map { f -> Field in var f = f; f.nullable = true; return f }
        pairSchema = Schema(fields)
        schema = kind.keepsLeftOnly ? left.schema : pairSchema
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
        case .full, .semi, .anti: return true  // SEMI and ANTI read the probe's match flags
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
        case .inner, .cross, .semi, .anti: return false
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

    /// Whether two equal keys of `type` are always the same value (so either side's column
    /// can stand for both): not floats, where -0.0 = 0.0 and NaN joins NaN.
    static func equalityIsIdentity(_ type: DataType) -> Bool {
        switch type.storageKind {
        case .float32, .float64, .list, .structure, .map: return false
        default: return true
        }
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
        buildMatched = emitUnmatchedBuild ? [Bool](repeating: false, count: rows) : []
        if fastPaths, keys.lanes.count == 1, case let .fixed(values, validity) = keys.lanes[0],
           let table = UniqueKeyTable(keys: values, validity: validity) {
            uniqueTable = table
            buildUnique = true
            try reservation.set(build.estimatedBytes + table.slots.count * 8 + rows * 9)
            built = true
            return
        }
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
                probe = batch
                probeRow = 0
                probeMatched = emitUnmatchedProbe ? [Bool](repeating: false, count: batch.rowCount) : []
                if let uniqueTable {
                    // Each probe row matches at most once: all pairs of the batch in one output.
                    let key = try keyColumns(probeKeyExpressions, batch)[0]
                    let (probeRows, buildRows) = try HashJoinOperator.uniquePairs(
                        key, table: uniqueTable, parts: batch.rowCount >= parallelRows ? context.parallelism : 1)
                    probeRow = batch.rowCount
                    if !probeRows.isEmpty, let output = try joinedPairs(batch, probeRows: probeRows, buildRows: buildRows) {
                        return output
                    }
                    continue
                }
                let keys = try EncodedKeys(try keyColumns(probeKeyExpressions, batch), rowCount: batch.rowCount,
                                           parts: context.parallelism)
                probeLanes = LaneView(lanes: keys.lanes)
                probeHashes = keys.hashes
                probeNulls = keys.nullRows
                if buildUnique && batch.rowCount >= parallelRows && context.parallelism > 1 && !leftKeys.isEmpty {
                    let (probeRows, buildRows) = parallelPairs(rows: batch.rowCount)
                    probeRow = batch.rowCount
                    if !probeRows.isEmpty, let output = try joinedPairs(batch, probeRows: probeRows, buildRows: buildRows) {
                        return output
                    }
                    continue
                }
            }
            guard let batch = probe else { continue }
            if probeRow >= batch.rowCount {
                probe = nil
                probeLanes = LaneView(lanes: [])
                probeHashes = []
                probeNulls = nil
                if emitUnmatchedProbe {
                    // SEMI keeps the matched probe rows, ANTI and outer joins the others.
                    let keep = kind == .semi
                    let rows = probeMatched.indices.filter { probeMatched[$0] == keep }
                    if !rows.isEmpty { return try outerRows(probeBatch: batch, probeRows: rows) }
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

    /// All pairs of the current probe batch (build keys unique: one match per row at
    /// most), its row ranges split over the workers writing one pair buffer.
    private func parallelPairs(rows: Int) -> ([Int], [Int]) {
        let heads = self.heads, chain = self.chain, headMask = self.headMask, buildHashes = self.buildHashes
        let probeHashes = self.probeHashes, probeNulls = self.probeNulls, probeLanes = self.probeLanes, buildLanes = self.buildLanes
        return HashJoinOperator.pairsByRange(rows: rows, parts: context.parallelism) { range, probeOut, buildOut in
            heads.withUnsafeBufferPointer { heads in
                chain.withUnsafeBufferPointer { chain in
                    buildHashes.withUnsafeBufferPointer { buildHashes in
                        probeHashes.withUnsafeBufferPointer { probeHashes in
                            // SAFETY: as in `match`; the outputs hold range.count entries and the
                            // first match ends a row's search, so at most one pair per row.
                            var count = 0
                            for row in range {
                                if let probeNulls, probeNulls[row] { continue }
                                let hash = probeHashes[row]
                                var candidate = Int(heads[Int(truncatingIfNeeded: hash) & headMask])
                                while candidate >= 0 {
                                    if buildHashes[candidate] == hash && LaneView.equal(probeLanes, row, buildLanes, candidate) {
                                        probeOut[count] = row
                                        buildOut[count] = candidate
                                        count &+= 1
                                        break
                                    }
                                    candidate = Int(chain[candidate])
                                }
                            }
                            return count
                        }
                    }
                }
            }
        }
    }

    /// Pairs of `key` (the probe batch's key column, of the key type) with the rows of the
    /// unique-key table, in probe row order; row ranges split over `parts` workers when the
    /// batch is large. Each worker writes its range's pairs into the same range of the
    /// output, then the ranges are closed up.
    static func uniquePairs(_ key: Column, table: UniqueKeyTable, parts: Int) throws(SQLError) -> ([Int], [Int]) {
        let validity = key.validity
        if let dictionary = key.dictionary, dictionary.values.dictionary == nil, dictionary.values.count <= key.count / 4,
           table.rowCount <= Int(Int32.max) {
            // Few distinct values (Parquet dictionary codes): each value is probed once and
            // the rows follow their codes.
            let values = dictionary.values
            let (valueIndices, valueBuildRows) = try uniquePairs(values, table: table, parts: 1)
            var buildOfCode = [Int32](repeating: -1, count: values.count)
            for (value, row) in zip(valueIndices, valueBuildRows) { buildOfCode[value] = Int32(truncatingIfNeeded: row) }
            let codes = dictionary.codes, rowOfCode = buildOfCode
            return pairsByRange(rows: key.count, parts: parts) { range, probeOut, buildOut in
                codes.withUnsafeBufferPointer { c in
                    rowOfCode.withUnsafeBufferPointer { m in
                        // SAFETY: range lies inside the column (c.count rows); a code outside m is
                        // skipped (the dictionary invariant rules it out); one pair per row at most.
                        var count = 0
                        for row in range {
                            if let validity, !validity[row] { continue }
                            let code = Int(c[row])
                            guard code >= 0 && code < m.count else { continue }
                            let build = m[code]
                            if build >= 0 {
                                probeOut[count] = row
                                buildOut[count] = Int(build)
                                count &+= 1
                            }
                        }
                        return count
                    }
                }
            }
        }
        switch key.storage {
        case let .int64(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .int32(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .int16(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .int8(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .uint64(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .uint32(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .uint16(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        case let .uint8(values): return uniquePairs(values, validity: validity, table: table, parts: parts)
        default:
            // Floats and booleans: the key words EncodedKeys makes (normalised -0.0 and NaN).
            guard case let .fixed(words, laneValidity)? = try EncodedKeys.encode(key).first else {
                throw SQLError(.execution, "internal: a \(key.type) join key has no fixed-width key word")
            }
            return uniquePairs(words, validity: laneValidity, table: table, parts: parts)
        }
    }

    static func uniquePairs<T: FixedWidthInteger & Sendable>(_ values: [T], validity: Bitmap?, table: UniqueKeyTable,
                                                             parts: Int) -> ([Int], [Int]) {
        pairsByRange(rows: values.count, parts: parts) { range, probeOut, buildOut in
            table.probe(values, validity: validity, range: range, probeOut: probeOut, buildOut: buildOut)
        }
    }

    /// Runs `kernel` over `parts` row ranges of `rows` (at once when several), each writing
    /// at most one pair per row of its range at the given outputs and returning how many;
    /// the ranges' pairs are then closed up, in row order.
    static func pairsByRange(rows: Int, parts requested: Int,
                             kernel: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) -> Int)
        -> ([Int], [Int]) {
        let parts = max(1, min(requested, rows))
        let step = (rows + parts - 1) / parts
        var total = 0
        var buildRows: [Int] = []
        let probeRows = [Int](unsafeUninitializedCapacity: rows) { probeBuffer, probeInitialized in
            buildRows = [Int](unsafeUninitializedCapacity: rows) { buildBuffer, buildInitialized in
                let counts = [Int](unsafeUninitializedCapacity: parts) { countBuffer, countInitialized in
                    guard let probeBase = probeBuffer.baseAddress, let buildBase = buildBuffer.baseAddress,
                          let countBase = countBuffer.baseAddress else { countInitialized = 0; return }
                    let output = PairOutput(probe: probeBase, build: buildBase, counts: countBase)
                    if parts == 1 {
                        output.counts[0] = kernel(0..<rows, output.probe, output.build)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let range = min(rows, part * step)..<min(rows, (part + 1) * step)
                            output.counts[part] = kernel(range, output.probe + range.lowerBound, output.build + range.lowerBound)
                        }
                    }
                    countInitialized = parts
                }
                for part in counts.indices {
                    let start = min(rows, part * step), count = counts[part]
                    if count > 0 && start != total, let probeBase = probeBuffer.baseAddress, let buildBase = buildBuffer.baseAddress {
                        // SAFETY: both ranges lie inside the buffers (total <= start, start + count <= rows);
                        // copyMemory allows the overlap of a move towards the front.
                        UnsafeMutableRawPointer(probeBase + total).copyMemory(from: probeBase + start, byteCount: count * MemoryLayout<Int>.stride)
                        UnsafeMutableRawPointer(buildBase + total).copyMemory(from: buildBase + start, byteCount: count * MemoryLayout<Int>.stride)
                    }
                    total += count
                }
                buildInitialized = total
            }
            probeInitialized = total
        }
        return (probeRows, buildRows)
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
        if kind.keepsLeftOnly && residual == nil {
            for row in probeRows { probeMatched[row] = true }
            return nil
        }
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
        if kind.keepsLeftOnly { return nil }  // rows come out at the end of the probe batch
        return joined.rowCount > 0 ? joined : nil
    }

    /// The joined rows of the pairs. With unique build keys the probe rows ascend without
    /// repeats, so as many pairs as probe rows means every probe row in order: the probe
    /// columns are used as they are. Build key columns that equal a probe key column at
    /// every pair are shared; the remaining columns are gathered, in parallel when large.
    private func assemble(probeBatch: RecordBatch, probeRows: [Int], buildRows: [Int]) throws(SQLError) -> RecordBatch {
        let probeIdentity = buildUnique && probeRows.count == probeBatch.rowCount
        var gathers: [(column: Column, rows: [Int])] = []
        var probePart: [Column] = []
        var probeJobs: [Int] = []
        for column in probeBatch.columns {
            if probeIdentity {
                probePart.append(column)
            } else {
                probeJobs.append(gathers.count)
                gathers.append((column, probeRows))
                probePart.append(column)
            }
        }
        var buildJobs: [Int?] = []
        for (index, column) in build.columns.enumerated() {
            if sharedKeyColumns[index] != nil {
                buildJobs.append(nil)
            } else {
                buildJobs.append(gathers.count)
                gathers.append((column, buildRows))
            }
        }
        let taken = try gather(gathers, rows: probeRows.count)
        if !probeIdentity {
            for (position, job) in probeJobs.enumerated() { probePart[position] = taken[job] }
        }
        var buildPart: [Column] = []
        for (index, job) in buildJobs.enumerated() {
            if let job {
                buildPart.append(taken[job])
            } else if let probeIndex = sharedKeyColumns[index], probeIndex < probePart.count {
                buildPart.append(probePart[probeIndex])
            } else {
                throw SQLError(.execution, "internal: join key column #\(index) has no probe column to share")
            }
        }
        let columns = buildLeft ? buildPart + probePart : probePart + buildPart
        return try columnar("join output") { () throws(ColumnarError) in
            try RecordBatch(schema: pairSchema, columns: columns, rowCount: probeRows.count)
        }
    }

    /// `Column.take` of each (column, rows), over the workers when there are several
    /// columns of many rows.
    private func gather(_ jobs: [(column: Column, rows: [Int])], rows: Int) throws(SQLError) -> [Column] {
        if jobs.count < 2 || rows < parallelRows || context.parallelism < 2 {
            var out: [Column] = []
            for job in jobs {
                out.append(try columnar("join output") { () throws(ColumnarError) in try job.column.take(job.rows) })
            }
            return out
        }
        let results = Mutex<[Result<Column, ColumnarError>?]>(Array(repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let result = Result { () throws(ColumnarError) -> Column in try jobs[index].column.take(jobs[index].rows) }
            results.withLock { $0[index] = result }
        }
        var out: [Column] = []
        for result in results.withLock({ $0 }) {
            guard let result else { throw SQLError(.execution, "internal: a join output column was not gathered") }
            out.append(try columnar("join output") { () throws(ColumnarError) in try result.get() })
        }
        return out
    }

    /// Probe rows without a match, padded with NULLs for the build side (SEMI and ANTI:
    /// the kept probe rows alone).
    private func outerRows(probeBatch: RecordBatch, probeRows: [Int]) throws(SQLError) -> RecordBatch {
        try columnar("outer join rows") { () throws(ColumnarError) in
            let probePart = probeBatch.columns.isEmpty ? [] : try probeBatch.take(probeRows).columns
            if kind.keepsLeftOnly { return try RecordBatch(schema: schema, columns: probePart, rowCount: probeRows.count) }
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

/// The build side's table when it has one fixed-width key and no two non-null rows share
/// it: open addressing with linear probing, each slot the key word beside its build row,
/// so a probe usually touches one cache line. Null keys are left out (they never match).
struct UniqueKeyTable: Sendable {
    /// Two words per slot: the key word, then build row + 1 (0 marks an empty slot).
    let slots: [UInt64]
    let mask: Int
    /// Build rows (null keys included).
    let rowCount: Int

    /// Nil when two non-null rows share a key (the chained table takes duplicates).
    init?(keys: [UInt64], validity: Bitmap?) {
        var capacity = 16
        while capacity < keys.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        var slots = [UInt64](repeating: 0, count: capacity * 2)
        let unique = slots.withUnsafeMutableBufferPointer { s in
            keys.withUnsafeBufferPointer { k in
                // SAFETY: slot <= mask, so 2 * slot + 1 < 2 * capacity = s.count; row < k.count.
                // The table is at most half full, so every probe sequence reaches an empty slot.
                for row in 0..<k.count {
                    if let validity, !validity[row] { continue }
                    let key = k[row]
                    var slot = Int(truncatingIfNeeded: UniqueKeyTable.hash(key)) & mask
                    while s[2 &* slot &+ 1] != 0 {
                        if s[2 &* slot] == key { return false }
                        slot = (slot &+ 1) & mask
                    }
                    s[2 &* slot] = key
                    s[2 &* slot &+ 1] = UInt64(truncatingIfNeeded: row &+ 1)
                }
                return true
            }
        }
        guard unique else { return nil }
        self.slots = slots
        self.mask = mask
        rowCount = keys.count
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> UInt64 { EncodedKeys.fastMix(key &* 0x9E37_79B9_7F4A_7C15) }

    /// Writes the (probe row, build row) pairs of the rows in `range` to the outputs, in
    /// row order, and returns how many. `values` hold the probe keys (integers are
    /// sign-extended to their key word as EncodedKeys does; UInt64 words pass through).
    @inline(__always)
    func probe<T: FixedWidthInteger>(_ values: [T], validity: Bitmap?, range: Range<Int>,
                                     probeOut: UnsafeMutablePointer<Int>, buildOut: UnsafeMutablePointer<Int>) -> Int {
        var count = 0
        let mask = self.mask
        slots.withUnsafeBufferPointer { s in
            values.withUnsafeBufferPointer { v in
                // SAFETY: range lies inside the probe batch (v.count rows); slots as in init.
                // The outputs hold range.count entries and at most one pair is written per row.
                for row in range {
                    if let validity, !validity[row] { continue }
                    let key = UInt64(truncatingIfNeeded: Int64(truncatingIfNeeded: v[row]))
                    var slot = Int(truncatingIfNeeded: UniqueKeyTable.hash(key)) & mask
                    while true {
                        let stored = s[2 &* slot &+ 1]
                        if stored == 0 { break }
                        if s[2 &* slot] == key {
                            probeOut[count] = row
                            buildOut[count] = Int(truncatingIfNeeded: stored) &- 1
                            count &+= 1
                            break
                        }
                        slot = (slot &+ 1) & mask
                    }
                }
            }
        }
        return count
    }
}

/// Where the workers of one probe batch write their pairs and counts.
struct PairOutput: @unchecked Sendable {
    // SAFETY: worker `part` writes only its own row range of `probe`/`build` and
    // `counts[part]`; the buffers outlive the concurrentPerform that fills them.
    let probe: UnsafeMutablePointer<Int>
    let build: UnsafeMutablePointer<Int>
    let counts: UnsafeMutablePointer<Int>
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
