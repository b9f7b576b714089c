// The point-in-time (as-of) join of one feature lookup: for each spine row (key, t) the
// feature row with the same key and the greatest timestamp <= t (and >= t - lookback
// when given), streamed from a pruned table scan. Feature rows are kept only when their
// key occurs in the spine and their time lies in the window of that key's spine rows;
// keys with one spine time keep a running best, others are grouped by key (counting
// sort), ordered by time, and binary-searched. Memory: the spine plus the referenced
// rows' needed columns. Must never box values per row on this path.
import TarnColumnar
import TarnTables

/// The spine's distinct keys: a hash index from key to group number.
struct SpineKeyIndex {
    let keys: KeyColumns
    /// Group of every spine row; -1 for rows with a null in a key column.
    let groupOfRow: [Int32]
    let groupCount: Int
    private let index: KeyHashIndex

    init(_ keys: KeyColumns) throws(FeatureError) {
        guard keys.count < Int(Int32.max) else {
            throw FeatureError(.invalidArgument, "the spine has \(keys.count) rows; split it into spines of fewer than 2^31 rows")
        }
        self.keys = keys
        var index = KeyHashIndex(capacity: keys.count)
        var groupOfRow = [Int32](repeating: -1, count: keys.count)
        var groups: Int32 = 0
        for row in 0..<keys.count where keys.isValid(row) {
            if let representative = index.findOrInsert(hash: keys.hashes[row], row: row, isEqual: { keys.equal($0, keys, row) }) {
                groupOfRow[row] = groupOfRow[representative]
            } else {
                groupOfRow[row] = groups
                groups += 1
            }
        }
        self.index = index
        self.groupOfRow = groupOfRow
        groupCount = Int(groups)
    }

    /// The group of every row of `probe` (keys of the same families), -1 for none.
    func groups(for probe: KeyColumns) -> [Int32] {
        var out = [Int32](repeating: -1, count: probe.count)
        if keys.vectors.count == 1, case let .integers(spineValues) = keys.vectors[0],
           case let .integers(probeValues) = probe.vectors[0] {
            // One integer key (the common case): compare the values directly.
            let index = self.index, groupOfRow = self.groupOfRow
            spineValues.withUnsafeBufferPointer { spineKeys in
                probeValues.withUnsafeBufferPointer { probeKeys in
                    probe.hashes.withUnsafeBufferPointer { hashes in
                        for row in 0..<probe.count where probe.isValid(row) {
                            // SAFETY: row < probe.count == probeKeys.count == hashes.count; stored rows index the spine.
                            let value = probeKeys[row]
                            if let representative = index.find(hash: hashes[row], isEqual: { spineKeys[$0] == value }) {
                                out[row] = groupOfRow[representative]
                            }
                        }
                    }
                }
            }
            return out
        }
        for row in 0..<probe.count { out[row] = group(of: probe, row: row) }
        return out
    }

    /// The group of row `row` of `probe` (keys of the same families), or -1.
    @inline(__always)
    func group(of probe: KeyColumns, row: Int) -> Int32 {
        guard probe.isValid(row) else { return -1 }
        let keys = self.keys
        guard let representative = index.find(hash: probe.hashes[row], isEqual: { keys.equal($0, probe, row) }) else { return -1 }
        return groupOfRow[representative]
    }
}

/// A kept feature row and its time, ordered by (time, row).
struct TimedRow: Comparable {
    var time: Int64
    var row: Int
    static func < (a: TimedRow, b: TimedRow) -> Bool { a.time < b.time || (a.time == b.time && a.row < b.row) }
}

/// The streaming as-of join of one lookup. Per spine key group it knows the window of
/// feature times any of its spine rows can use ([min t - lookback, max t]); rows outside
/// are dropped as they arrive. A group whose spine rows all share one time (the common
/// case: one spine row per key, or a latest-value lookup) keeps only its running best
/// row; other groups keep their in-window rows, which are ordered by time at the end so
/// each spine row can binary-search its group.
struct PointInTimeJoin {
    let spine: SpineKeyIndex
    /// Spine time per row (µs for temporal axes); nil means "latest" for every row.
    let spineTimes: [Int64]?
    let spineTimeValidity: Bitmap?
    /// Inclusive lower bound distance; nil for none.
    let lookback: Int64?
    /// Names in the scan's output: the key columns, the time column (nil when the table
    /// has no timestamp key), the feature columns.
    let keyNames: [String]
    let timeName: String?
    let featureNames: [String]

    /// Per group: the latest usable feature time (max spine time), the earliest (min
    /// spine time - lookback, or Int64.min), and whether all its spine rows share one time.
    private let groupHigh: [Int64]
    private let groupLow: [Int64]
    private let groupSingle: [Bool]

    /// Scanned batches (feature columns only) holding referenced rows.
    private var keptBatches: [RecordBatch] = []
    /// Rows kept for multi-time groups: row `keptRow[k]` of batch `keptBatch[k]`.
    private var keptBatch: [Int32] = []
    private var keptRow: [Int32] = []
    private var keptGroups: [Int32] = []
    private var keptTimes: [Int64] = []
    /// Running best of single-time groups: location and time (-1 batch: none yet).
    private var bestBatch: [Int32]
    private var bestRow: [Int32]
    private var bestTime: [Int64]

    init(spine: SpineKeyIndex, spineTimes: [Int64]?, spineTimeValidity: Bitmap?, lookback: Int64?,
         keyNames: [String], timeName: String?, featureNames: [String]) {
        self.spine = spine
        self.spineTimes = spineTimes
        self.spineTimeValidity = spineTimeValidity
        self.lookback = lookback
        self.keyNames = keyNames
        self.timeName = timeName
        self.featureNames = featureNames
        let groups = spine.groupCount
        var high = [Int64](repeating: Int64.min, count: groups)
        var low = [Int64](repeating: Int64.max, count: groups)
        if let spineTimes {
            for (row, g) in spine.groupOfRow.enumerated() where g >= 0 {
                if let validity = spineTimeValidity, !validity[row] { continue }
                let t = spineTimes[row]
                if t > high[Int(g)] { high[Int(g)] = t }
                if t < low[Int(g)] { low[Int(g)] = t }
            }
        } else {
            high = [Int64](repeating: Int64.max, count: groups)
            low = high
        }
        var single = [Bool](repeating: true, count: groups)
        for g in 0..<groups {
            single[g] = low[g] == high[g]
            if let lookback, low[g] <= high[g] {
                let (bound, overflow) = low[g].subtractingReportingOverflow(lookback)
                low[g] = overflow ? Int64.min : bound
            } else if low[g] <= high[g] {
                low[g] = Int64.min
            }
        }
        groupHigh = high
        groupLow = low
        groupSingle = single
        bestBatch = [Int32](repeating: -1, count: groups)
        bestRow = [Int32](repeating: -1, count: groups)
        bestTime = [Int64](repeating: Int64.min, count: groups)
    }

    /// Takes the rows of one scanned batch that some spine row may use.
    mutating func consume(_ batch: RecordBatch, table: String) throws(FeatureError) {
        var keyColumns: [Column] = []
        for name in keyNames {
            guard let column = batch.column(named: name) else {
                throw FeatureError(.corrupt, "the scan did not return key column '\(name)'", table: table)
            }
            keyColumns.append(column)
        }
        let probe = try KeyColumns(keyColumns)
        var times: [Int64]? = nil
        var timeValidity: Bitmap? = nil
        if let timeName {
            guard let column = batch.column(named: timeName), let values = KeyTypes.timeValues(column) else {
                throw FeatureError(.corrupt, "the scan did not return timestamp key '\(timeName)'", table: table)
            }
            times = values.values
            timeValidity = values.validity
        }
        let groups = spine.groups(for: probe)
        let batchNumber = Int32(truncatingIfNeeded: keptBatches.count)
        let firstKept = keptRow.count
        var updated: [Int32] = []
        for row in 0..<batch.rowCount {
            let group = groups[row]
            if group < 0 { continue }
            if let timeValidity, !timeValidity[row] { continue }
            let g = Int(group)
            let t = times?[row] ?? 0
            if t > groupHigh[g] || t < groupLow[g] { continue }
            if groupSingle[g] {
                // Later scan rows win ties, as in the sorted path.
                if bestBatch[g] < 0 || t >= bestTime[g] {
                    if bestBatch[g] != batchNumber { updated.append(group) }
                    bestBatch[g] = batchNumber
                    bestRow[g] = Int32(truncatingIfNeeded: row)
                    bestTime[g] = t
                }
            } else {
                keptBatch.append(batchNumber)
                keptRow.append(Int32(truncatingIfNeeded: row))
                keptGroups.append(group)
                keptTimes.append(t)
            }
        }
        let keptCount = keptRow.count - firstKept
        guard keptCount > 0 || !updated.isEmpty else { return }
        let projected = batch.project(featureNames.compactMap { batch.schema.index(of: $0) })
        // Rows of this batch still referenced (bests may have moved on within the batch).
        let bestsHere = updated.filter { bestBatch[Int($0)] == batchNumber }
        let referenced = keptCount + bestsHere.count
        if referenced * 4 >= batch.rowCount {
            // Mostly referenced: keep the batch as it is (no copy).
            keptBatches.append(projected)
            return
        }
        // Sparse: keep only the referenced rows, so memory follows the matches.
        var rows: [Int] = []
        rows.reserveCapacity(referenced)
        for k in firstKept..<keptRow.count {
            rows.append(Int(keptRow[k]))
            keptRow[k] = Int32(truncatingIfNeeded: rows.count - 1)
        }
        for group in bestsHere {
            rows.append(Int(bestRow[Int(group)]))
            bestRow[Int(group)] = Int32(truncatingIfNeeded: rows.count - 1)
        }
        do {
            keptBatches.append(try projected.take(rows))
        } catch {
            throw FeatureError(.invalidArgument, "cannot gather feature rows", table: table, cause: error)
        }
    }

    /// The matched feature row of every spine row as (batch, row), or (-1, -1).
    func matches() -> (batch: [Int32], row: [Int32]) {
        let groupCount = spine.groupCount
        let kept = keptGroups.count
        // Counting sort of kept rows (multi-time groups only) by group.
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for g in keptGroups { starts[Int(g) + 1] += 1 }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        var order = [Int](repeating: 0, count: kept)
        var sortedTimes = [Int64](repeating: 0, count: kept)
        var fill = starts
        for row in 0..<kept {
            let g = Int(keptGroups[row])
            order[fill[g]] = row
            sortedTimes[fill[g]] = keptTimes[row]
            fill[g] += 1
        }
        // Order each group by time; ties keep scan order (a later row wins below).
        for g in 0..<groupCount {
            let lo = starts[g], hi = starts[g + 1]
            if hi - lo < 2 { continue }
            var sorted = true
            for i in (lo + 1)..<hi where sortedTimes[i] < sortedTimes[i - 1] {
                sorted = false
                break
            }
            if sorted { continue }
            var pairs: [TimedRow] = []
            pairs.reserveCapacity(hi - lo)
            for i in lo..<hi { pairs.append(TimedRow(time: sortedTimes[i], row: order[i])) }
            pairs.sort()
            for (k, pair) in pairs.enumerated() {
                sortedTimes[lo + k] = pair.time
                order[lo + k] = pair.row
            }
        }
        let spineRows = spine.groupOfRow.count
        var matchBatch = [Int32](repeating: -1, count: spineRows)
        var matchRow = [Int32](repeating: -1, count: spineRows)
        let lookback = self.lookback
        for row in 0..<spineRows {
            let g = Int(spine.groupOfRow[row])
            if g < 0 { continue }
            if spineTimes != nil, let validity = spineTimeValidity, !validity[row] { continue }
            if groupSingle[g] {
                // The running best is within every spine row's window (they share one time).
                if bestBatch[g] >= 0 {
                    matchBatch[row] = bestBatch[g]
                    matchRow[row] = bestRow[g]
                }
                continue
            }
            let t = spineTimes?[row] ?? Int64.max
            // Last position in [lo, hi) with time <= t.
            var lo = starts[g], hi = starts[g + 1]
            let first = lo
            while lo < hi {
                let mid = (lo + hi) >> 1
                if sortedTimes[mid] <= t { lo = mid + 1 } else { hi = mid }
            }
            let found = lo - 1
            if found < first { continue }
            if let lookback {
                let (bound, overflow) = t.subtractingReportingOverflow(lookback)
                if !overflow && sortedTimes[found] < bound { continue }
            }
            let k = order[found]
            matchBatch[row] = keptBatch[k]
            matchRow[row] = keptRow[k]
        }
        return (matchBatch, matchRow)
    }

    /// One output column per feature, spine-length, nulls where nothing matched.
    func featureColumns(types: [DataType], table: String) throws(FeatureError) -> [Column] {
        let spineRows = spine.groupOfRow.count
        let (matchBatch, matchRow) = matches()
        var gather = [Int](repeating: 0, count: spineRows)
        var valid = Bitmap(repeating: false, count: spineRows)
        var anyMissing = false
        for row in 0..<spineRows {
            if matchBatch[row] >= 0 {
                valid[row] = true
            } else {
                anyMissing = true
            }
        }
        // Gather the matched rows batch by batch, then put them in spine order.
        var perBatch = [[Int]](repeating: [], count: keptBatches.count)
        var position = [Int](repeating: 0, count: spineRows)
        for row in 0..<spineRows where matchBatch[row] >= 0 {
            let b = Int(matchBatch[row])
            position[row] = perBatch[b].count
            perBatch[b].append(Int(matchRow[row]))
        }
        var starts = [Int](repeating: 0, count: keptBatches.count)
        var parts: [RecordBatch] = []
        var total = 0
        let kept: RecordBatch?
        do {
            for (b, rows) in perBatch.enumerated() where !rows.isEmpty {
                starts[b] = total
                total += rows.count
                parts.append(try keptBatches[b].take(rows))
            }
            kept = parts.isEmpty ? nil : (parts.count == 1 ? parts[0] : try RecordBatch.concat(parts))
        } catch {
            throw FeatureError(.invalidArgument, "cannot gather feature rows", table: table, cause: error)
        }
        for row in 0..<spineRows where matchBatch[row] >= 0 { gather[row] = starts[Int(matchBatch[row])] + position[row] }
        var out: [Column] = []
        for (i, name) in featureNames.enumerated() {
            guard let kept, let source = kept.column(named: name) else {
                out.append(Column.nulls(types[i], count: spineRows))
                continue
            }
            do {
                let taken = try source.take(gather)
                if !anyMissing {
                    out.append(taken)
                } else {
                    let validity = taken.validity.map { $0 & valid } ?? valid
                    out.append(try Column(type: taken.type, count: taken.count, validity: validity, storage: taken.storage))
                }
            } catch {
                throw FeatureError(.invalidArgument, "cannot gather feature '\(name)'", table: table, cause: error)
            }
        }
        return out
    }
}
