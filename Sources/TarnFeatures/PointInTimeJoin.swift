// The point-in-time (as-of) join of one feature lookup: for each spine row (key, t) the
// feature row with the same key and the greatest timestamp <= t (and >= t - lookback
// when given), streamed from a pruned table scan. Feature rows are kept only when their
// key occurs in the spine; kept rows are grouped by key (counting sort) and ordered by
// time, and each spine row binary-searches its group. Memory: the spine plus the
// matched rows' needed columns. Must never box values per row on this path.
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

/// Feature rows kept by the streaming pass, then matched to spine rows.
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

    /// Scanned batches (feature columns only) holding kept rows; kept row k lives at
    /// row `keptRow[k]` of batch `keptBatch[k]`.
    private var keptBatches: [RecordBatch] = []
    private var keptBatch: [Int32] = []
    private var keptRow: [Int32] = []
    private var keptGroups: [Int32] = []
    private var keptTimes: [Int64] = []

    init(spine: SpineKeyIndex, spineTimes: [Int64]?, spineTimeValidity: Bitmap?, lookback: Int64?,
         keyNames: [String], timeName: String?, featureNames: [String]) {
        self.spine = spine
        self.spineTimes = spineTimes
        self.spineTimeValidity = spineTimeValidity
        self.lookback = lookback
        self.keyNames = keyNames
        self.timeName = timeName
        self.featureNames = featureNames
    }

    /// Keeps the rows of one scanned batch whose key is in the spine.
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
        var any = false
        for row in 0..<batch.rowCount {
            let group = groups[row]
            if group < 0 { continue }
            if let timeValidity, !timeValidity[row] { continue }
            any = true
            keptBatch.append(batchNumber)
            keptRow.append(Int32(truncatingIfNeeded: row))
            keptGroups.append(group)
            keptTimes.append(times?[row] ?? 0)
        }
        guard any else { return }
        let projected = batch.project(featureNames.compactMap { batch.schema.index(of: $0) })
        let keptCount = keptRow.count - firstKept
        if keptCount * 4 >= batch.rowCount {
            // Mostly matched: keep the batch as it is (no copy); matched rows are gathered at the end.
            keptBatches.append(projected)
            return
        }
        // Sparse: keep only the matched rows, so memory follows the matches.
        let rows = keptRow[firstKept...].map { Int($0) }
        do {
            keptBatches.append(try projected.take(rows))
        } catch {
            throw FeatureError(.invalidArgument, "cannot gather feature rows", table: table, cause: error)
        }
        for (i, k) in (firstKept..<keptRow.count).enumerated() { keptRow[k] = Int32(truncatingIfNeeded: i) }
    }

    /// The matched feature row (index into the kept rows) of every spine row, or -1.
    func matches() -> [Int] {
        let groupCount = spine.groupCount
        let kept = keptGroups.count
        // Counting sort of kept rows by group.
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
            if hi - lo <= 32 {
                for i in (lo + 1)..<hi {
                    let t = sortedTimes[i], r = order[i]
                    var j = i - 1
                    while j >= lo && sortedTimes[j] > t {
                        sortedTimes[j + 1] = sortedTimes[j]
                        order[j + 1] = order[j]
                        j -= 1
                    }
                    sortedTimes[j + 1] = t
                    order[j + 1] = r
                }
            } else {
                var pairs: [TimedRow] = []
                pairs.reserveCapacity(hi - lo)
                for i in lo..<hi { pairs.append(TimedRow(time: sortedTimes[i], row: order[i])) }
                pairs.sort()
                for (k, pair) in pairs.enumerated() {
                    sortedTimes[lo + k] = pair.time
                    order[lo + k] = pair.row
                }
            }
        }
        let spineRows = spine.groupOfRow.count
        var result = [Int](repeating: -1, count: spineRows)
        let lookback = self.lookback
        spine.groupOfRow.withUnsafeBufferPointer { groups in
            sortedTimes.withUnsafeBufferPointer { times in
                for row in 0..<spineRows {
                    let g = Int(groups[row])
                    if g < 0 { continue }
                    let t: Int64
                    if let spineTimes {
                        if let validity = spineTimeValidity, !validity[row] { continue }
                        t = spineTimes[row]
                    } else {
                        t = Int64.max
                    }
                    // Last position in [lo, hi) with time <= t.
                    var lo = starts[g], hi = starts[g + 1]
                    let first = lo
                    while lo < hi {
                        let mid = (lo + hi) >> 1
                        // SAFETY: first <= mid < starts[g + 1] <= times.count.
                        if times[mid] <= t { lo = mid + 1 } else { hi = mid }
                    }
                    let found = lo - 1
                    if found < first { continue }
                    if let lookback {
                        let (bound, overflow) = t.subtractingReportingOverflow(lookback)
                        if !overflow && times[found] < bound { continue }
                    }
                    result[row] = order[found]
                }
            }
        }
        return result
    }

    /// One output column per feature, spine-length, nulls where nothing matched.
    func featureColumns(types: [DataType], table: String) throws(FeatureError) -> [Column] {
        let spineRows = spine.groupOfRow.count
        let matched = matches()
        var gather = [Int](repeating: 0, count: spineRows)
        var valid = Bitmap(repeating: false, count: spineRows)
        var anyMissing = false
        for row in 0..<spineRows {
            if matched[row] >= 0 {
                valid[row] = true
            } else {
                anyMissing = true
            }
        }
        // Gather the matched rows batch by batch, then put them in spine order.
        var perBatch = [[Int]](repeating: [], count: keptBatches.count)
        var batchOf = [Int](repeating: 0, count: spineRows)
        var position = [Int](repeating: 0, count: spineRows)
        for row in 0..<spineRows where matched[row] >= 0 {
            let k = matched[row]
            let b = Int(keptBatch[k])
            batchOf[row] = b
            position[row] = perBatch[b].count
            perBatch[b].append(Int(keptRow[k]))
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
        for row in 0..<spineRows where matched[row] >= 0 { gather[row] = starts[batchOf[row]] + position[row] }
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
