// Sort and hash: stable multi-column sort order and per-row hashes that combine several
// columns (for hash joins, hash aggregates and partitioning). Must never reorder equal
// rows (ties keep input order) and never hash equal values of one key type differently.

// Order: integers, dates, timestamps and decimals by value; floats with -0.0 == 0.0 and
// NaN above every other value (Spark/Delta); strings and binaries byte-wise; booleans
// false < true; lists and maps element by element then by length; structs field by
// field. Null elements inside nested values sort first. Top-level nulls go first or
// last per key, independent of the direction.

/// Compares two rows of one column: negative, zero or positive.
typealias RowComparator = (Int, Int) -> Int


extension Column {
    /// A stable ordering of row indices by `columns` (first column is the primary key).
    /// `ascending` and `nullsFirst` give one flag per column. Throws `.invalidBatch`
    /// when the arrays or column lengths disagree.
    public static func sortIndices(columns: [Column], ascending: [Bool], nullsFirst: [Bool]) throws(ColumnarError) -> [Int] {
        guard ascending.count == columns.count, nullsFirst.count == columns.count else {
            throw .invalidBatch("sort needs one ascending and one nullsFirst flag per column")
        }
        guard let rows = columns.first?.count else { return [] }
        for column in columns where column.count != rows {
            throw .invalidBatch("sort keys have different lengths (\(column.count) vs \(rows))")
        }
        if columns.count == 1, columns[0].validity == nil {
            switch columns[0].storage {
            case let .float64(v): return Column.sortedByKey(v.map(Column.orderKey), ascending: ascending[0])
            case let .float32(v): return Column.sortedByKey(v.map { Column.orderKey(Double($0)) }, ascending: ascending[0])
            default:
                if let fast = columns[0].type.storageKind.dispatch(IntegerSortFast(column: columns[0], ascending: ascending[0])),
                   let indices = fast {
                    return indices
                }
            }
        }
        if columns.count > 1 {
            // Several keys: every key column becomes an unsigned order key per row —
            // direction and null placement folded in — and the rows are sorted on those
            // flat arrays, with no closure call per comparison.
            let keys = columns.indices.map { k in SortKeyColumn(columns[k], ascending: ascending[k], nullsFirst: nullsFirst[k]) }
            return SortKeyColumn.sortIndices(keys, rows: rows)
        }
        // One key with nulls or of a non-integer type: its row comparator.
        let values = columns[0].rowComparator()
        let direction = ascending[0] ? 1 : -1
        let comparator: RowComparator
        if let validity = columns[0].validity {
            let nullSide = nullsFirst[0] ? -1 : 1
            comparator = { a, b in
                switch (validity[a], validity[b]) {
                case (true, true): return direction * values(a, b)
                case (false, false): return 0
                case (false, true): return nullSide
                case (true, false): return -nullSide
                }
            }
        } else {
            comparator = { a, b in direction * values(a, b) }
        }
        var indices = Array(0..<rows)
        indices.sort { a, b in
            let c = comparator(a, b)
            return c != 0 ? c < 0 : a < b
        }
        return indices
    }

    /// Compares values of two rows (nulls not considered; nested nulls sort first).
    func rowComparator() -> RowComparator {
        switch storage {
        case let .boolean(bits): return { a, b in bits[a] == bits[b] ? 0 : (bits[a] ? 1 : -1) }
        case let .int8(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .int16(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .int32(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .int64(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .uint8(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .uint16(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .uint32(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .uint64(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .int128(v): return { a, b in Column.threeWay(v[a], v[b]) }
        case let .float32(v): return { a, b in Column.floatOrder(v[a], v[b]) }
        case let .float64(v): return { a, b in Column.floatOrder(v[a], v[b]) }
        case let .bytes(offsets, data):
            return { a, b in
                data.withUnsafeBytes { d in
                    // SAFETY: offsets were validated against data when the column was built.
                    Column.lexicographic(UnsafeRawBufferPointer(rebasing: d[Int(offsets[a])..<Int(offsets[a + 1])]),
                                         UnsafeRawBufferPointer(rebasing: d[Int(offsets[b])..<Int(offsets[b + 1])]))
                }
            }
        case let .list(offsets, values):
            let element = values.nullsFirstComparator()
            return { a, b in Column.compareRanges(offsets, a, b) { element($0, $1) } }
        case let .map(offsets, keys, values):
            let key = keys.nullsFirstComparator(), value = values.nullsFirstComparator()
            return { a, b in
                Column.compareRanges(offsets, a, b) { x, y in
                    let c = key(x, y)
                    return c != 0 ? c : value(x, y)
                }
            }
        case let .structure(children):
            let fields = children.map { $0.nullsFirstComparator() }
            return { a, b in
                for field in fields {
                    let c = field(a, b)
                    if c != 0 { return c }
                }
                return 0
            }
        }
    }

    /// A comparator that also orders nulls first (for values inside nested types).
    private func nullsFirstComparator() -> RowComparator {
        let values = rowComparator()
        guard let validity else { return values }
        return { a, b in
            switch (validity[a], validity[b]) {
            case (true, true): return values(a, b)
            case (false, false): return 0
            case (false, true): return -1
            case (true, false): return 1
            }
        }
    }

    private static func compareRanges(_ offsets: [Int32], _ a: Int, _ b: Int, _ element: (Int, Int) -> Int) -> Int {
        let aStart = Int(offsets[a]), aEnd = Int(offsets[a + 1])
        let bStart = Int(offsets[b]), bEnd = Int(offsets[b + 1])
        let n = Swift.min(aEnd - aStart, bEnd - bStart)
        for i in 0..<n {
            let c = element(aStart + i, bStart + i)
            if c != 0 { return c }
        }
        return threeWay(aEnd - aStart, bEnd - bStart)
    }

    @inline(__always)
    static func threeWay<T: Comparable>(_ a: T, _ b: T) -> Int {
        a < b ? -1 : (a == b ? 0 : 1)
    }

    @inline(__always)
    static func floatOrder<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Int {
        if a.isNaN { return b.isNaN ? 0 : 1 }
        if b.isNaN { return -1 }
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}

extension Column {
    /// An unsigned key whose order is the documented float order: -0.0 and 0.0 map to
    /// the same key, every NaN to the largest key.
    @inline(__always)
    static func orderKey(_ x: Double) -> UInt64 {
        if x.isNaN { return UInt64.max }
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// Indices sorted by `keys` (stable: ties in index order).
    static func sortedByKey<K: Comparable>(_ keys: [K], ascending: Bool) -> [Int] {
        var pairs = keys.enumerated().map { ($0.element, $0.offset) }
        if ascending {
            pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        } else {
            pairs.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        }
        return pairs.map(\.1)
    }
}

/// One sort key as an unsigned order key per row: ascending order of `keys` is the
/// key's order with its direction applied; `nullRanks` (when the column has nulls)
/// orders nulls before (0) or after (2) the values (1), whatever the direction.
struct SortKeyColumn {
    var keys: [UInt64]
    var nullRanks: [UInt8]?

    init(_ column: Column, ascending: Bool, nullsFirst: Bool) {
        var keys = SortKeyColumn.valueKeys(column)
        if !ascending {
            for i in keys.indices { keys[i] = ~keys[i] }  // the complement reverses the order
        }
        if let validity = column.validity {
            let nullRank: UInt8 = nullsFirst ? 0 : 2
            var ranks = [UInt8](repeating: 1, count: column.count)
            for row in 0..<column.count where !validity[row] {
                ranks[row] = nullRank
                keys[row] = 0
            }
            nullRanks = ranks
        } else {
            nullRanks = nil
        }
        self.keys = keys
    }

    /// Order keys of the values (null slots get arbitrary keys; the caller overrides them).
    /// Fixed-width values map directly; other types get the dense rank of their value.
    static func valueKeys(_ column: Column) -> [UInt64] {
        switch column.storage {
        case let .boolean(bits): return (0..<column.count).map { bits[$0] ? 1 : 0 }
        case let .int8(v): return v.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
        case let .int16(v): return v.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
        case let .int32(v): return v.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
        case let .int64(v): return v.map { UInt64(bitPattern: $0) ^ (1 << 63) }
        case let .uint8(v): return v.map { UInt64($0) }
        case let .uint16(v): return v.map { UInt64($0) }
        case let .uint32(v): return v.map { UInt64($0) }
        case let .uint64(v): return v
        case let .float32(v): return v.map { Column.orderKey(Double($0)) }
        case let .float64(v): return v.map(Column.orderKey)
        case .int128, .bytes, .list, .map, .structure: return denseRanks(column)
        }
    }

    /// Each row's rank among the distinct values of the column (equal values, equal
    /// ranks), found by one sort with the column's row comparator. Null slots compare as
    /// whatever their storage holds; the caller overrides them.
    static func denseRanks(_ column: Column) -> [UInt64] {
        let compare = column.rowComparator()
        var order = Array(0..<column.count)
        order.sort { compare($0, $1) < 0 }
        var ranks = [UInt64](repeating: 0, count: column.count)
        var rank: UInt64 = 0
        for position in order.indices {
            if position > 0, compare(order[position - 1], order[position]) != 0 { rank += 1 }
            ranks[order[position]] = rank
        }
        return ranks
    }

    /// A stable order of `rows` rows by `keys` (first key is the primary one).
    static func sortIndices(_ keys: [SortKeyColumn], rows: Int) -> [Int] {
        // Flat column-major copies, so the comparison loop touches two buffers only.
        var flatKeys = [UInt64]()
        flatKeys.reserveCapacity(keys.count * rows)
        var flatRanks = [UInt8]()
        var hasRanks: [Bool] = []
        for key in keys {
            flatKeys.append(contentsOf: key.keys)
            hasRanks.append(key.nullRanks != nil)
            flatRanks.append(contentsOf: key.nullRanks ?? [UInt8](repeating: 1, count: rows))
        }
        let anyRanks = hasRanks.contains(true)
        let count = keys.count
        var indices = Array(0..<rows)
        flatKeys.withUnsafeBufferPointer { k in
            flatRanks.withUnsafeBufferPointer { r in
                // SAFETY: k and r hold `count` runs of `rows` entries each; a and b are row
                // indices below `rows`, so column * rows + a/b stays inside both buffers.
                indices.sort { a, b in
                    var base = 0
                    for _ in 0..<count {
                        if anyRanks {
                            let ra = r[base + a], rb = r[base + b]
                            if ra != rb { return ra < rb }
                        }
                        let ka = k[base + a], kb = k[base + b]
                        if ka != kb { return ka < kb }
                        base += rows
                    }
                    return a < b
                }
            }
        }
        return indices
    }
}

/// Single integer-like key without nulls: sort (value, index) pairs directly.
private struct IntegerSortFast: PrimitiveVisitor {
    let column: Column
    let ascending: Bool
    func visit<T: ColumnPrimitive>(_: T.Type) -> [Int]? {
        guard T.self != Float.self, T.self != Double.self, let values = T.unwrap(column.storage) else { return nil }
        return Column.sortedByKey(values, ascending: ascending)
    }
}

extension RecordBatch {
    /// The batch sorted by the named columns (stable). Throws `.invalidBatch` for an
    /// unknown column name.
    public func sorted(by keys: [(column: String, ascending: Bool, nullsFirst: Bool)]) throws(ColumnarError) -> RecordBatch {
        var columns: [Column] = []
        for key in keys {
            guard let column = column(named: key.column) else { throw .invalidBatch("no column named \(key.column) to sort by") }
            columns.append(column)
        }
        let indices = try Column.sortIndices(columns: columns, ascending: keys.map(\.ascending), nullsFirst: keys.map(\.nullsFirst))
        return try take(indices)
    }
}

// MARK: - Row hashing

/// Hash of a null slot (any type).
private let nullHash: UInt64 = 0x6E75_6C6C_6E75_6C6C

/// splitmix64's finaliser: a fast, well-mixing 64-bit permutation.
@inline(__always)
func mixHash(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

@inline(__always)
func combineHash(_ seed: UInt64, _ value: UInt64) -> UInt64 {
    mixHash(seed &* 31 ^ value)
}

extension Column {
    /// Combines each row's hash into `hashes[row]` (one slot per row; `.invalidBatch`
    /// otherwise), so hashing several key columns in turn gives a multi-column row hash.
    /// Equal values hash equally across integer widths and signedness (1 as int32 and
    /// as uint64), across float widths, and -0.0/0.0 and all NaNs hash alike. Hashes are
    /// stable within a process version, not a persistent format.
    public func hash(into hashes: inout [UInt64]) throws(ColumnarError) {
        guard hashes.count == count else {
            throw .invalidBatch("hash buffer of \(hashes.count) slots for a column of \(count) rows")
        }
        let valueHashes = valueHashes()
        let validity = self.validity
        // SAFETY: hashes.count == count (checked above) == valueHashes.count.
        hashes.withUnsafeMutableBufferPointer { h in
            valueHashes.withUnsafeBufferPointer { v in
                for i in 0..<h.count {
                    let value = (validity?[i] ?? true) ? v[i] : nullHash
                    h[i] = combineHash(h[i], value)
                }
            }
        }
    }

    /// Row hashes of several equal-length columns combined in order.
    public static func hashRows(_ columns: [Column]) throws(ColumnarError) -> [UInt64] {
        guard let rows = columns.first?.count else { return [] }
        var hashes = [UInt64](repeating: 0, count: rows)
        for column in columns { try column.hash(into: &hashes) }
        return hashes
    }

    /// One hash per slot, ignoring validity (null slots are replaced by the caller).
    func valueHashes() -> [UInt64] {
        func ints<T: BinaryInteger>(_ v: [T]) -> [UInt64] { v.map { mixHash(UInt64(truncatingIfNeeded: $0)) } }
        func floats<T: BinaryFloatingPoint>(_ v: [T]) -> [UInt64] {
            v.map { x in
                let d = Double(x)
                if d.isNaN { return mixHash(0x7FF8_0000_0000_0000) }
                return mixHash(d == 0 ? 0 : d.bitPattern)
            }
        }
        switch storage {
        case let .boolean(bits): return (0..<count).map { mixHash(bits[$0] ? 1 : 0) }
        case let .int8(v): return ints(v)
        case let .int16(v): return ints(v)
        case let .int32(v): return ints(v)
        case let .int64(v): return ints(v)
        case let .uint8(v): return ints(v)
        case let .uint16(v): return ints(v)
        case let .uint32(v): return ints(v)
        case let .uint64(v): return ints(v)
        case let .int128(v):
            return v.map { x in
                let low = UInt64(truncatingIfNeeded: x), high = UInt64(truncatingIfNeeded: x >> 64)
                return high == 0 || high == ~0 && Int64(bitPattern: low) < 0 ? mixHash(low) : combineHash(mixHash(low), high)
            }
        case let .float32(v): return floats(v)
        case let .float64(v): return floats(v)
        case let .bytes(offsets, data):
            // SAFETY: offsets were validated against data when the column was built.
            return data.withUnsafeBytes { d in
                (0..<count).map { i in
                    Column.hashBytes(UnsafeRawBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])]))
                }
            }
        case let .list(offsets, values):
            return Column.hashRanges(offsets, values.nestedHashes())
        case let .map(offsets, keys, values):
            let k = keys.nestedHashes(), v = values.nestedHashes()
            return Column.hashRanges(offsets, zip(k, v).map { combineHash($0, $1) })
        case let .structure(children):
            var hashes = [UInt64](repeating: 0x5354_5255_4354, count: count)
            for child in children { try? child.hash(into: &hashes) }
            return hashes
        }
    }

    /// Slot hashes with nulls folded in (for children of nested values).
    private func nestedHashes() -> [UInt64] {
        var hashes = valueHashes()
        if let validity {
            for i in 0..<count where !validity[i] { hashes[i] = nullHash }
        }
        return hashes
    }

    private static func hashRanges(_ offsets: [Int32], _ elements: [UInt64]) -> [UInt64] {
        (0..<(offsets.count - 1)).map { row in
            var h = mixHash(UInt64(offsets[row + 1] - offsets[row]))
            for i in Int(offsets[row])..<Int(offsets[row + 1]) { h = combineHash(h, elements[i]) }
            return h
        }
    }

    static func hashBytes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = mixHash(UInt64(bytes.count))
        var i = 0
        while i + 8 <= bytes.count {
            // SAFETY: i + 8 <= bytes.count is the loop condition.
            h = combineHash(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for j in i..<bytes.count { tail |= UInt64(bytes[j]) << UInt64((j - i) * 8) }
            h = combineHash(h, tail)
        }
        return h
    }
}
