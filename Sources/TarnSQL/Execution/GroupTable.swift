// GroupTable: the hash table behind GROUP BY, DISTINCT, count(DISTINCT) and hash-join
// keys. Rows are hashed with TarnColumnar's hashRows and every hash hit is verified by
// typed equality of the encoded keys (never by hash alone). Keys are stored once per
// group in flat typed lanes, so memory grows with groups, not with input rows.
import Dispatch
import TarnColumnar

/// Key columns turned into lanes that compare by value: fixed-width values as 64-bit
/// words (decimals as two words), strings and binaries as their bytes.
struct EncodedKeys {
    enum Lane {
        case fixed([UInt64], Bitmap?)
        case bytes(offsets: [Int32], data: [UInt8], validity: Bitmap?)

        var validity: Bitmap? {
            switch self {
            case let .fixed(_, v): return v
            case let .bytes(_, _, v): return v
            }
        }
    }

    var lanes: [Lane]
    var hashes: [UInt64]
    var rowCount: Int

    /// Rows with at least one null key (nil when none).
    var nullRows: Bitmap? {
        var out: Bitmap?
        for lane in lanes {
            guard let validity = lane.validity else { continue }
            let nulls = ~validity
            out = out.map { $0 | nulls } ?? nulls
        }
        return out
    }

    /// - Parameter parts: workers that hash disjoint row ranges of a single-lane key.
    init(_ columns: [Column], rowCount: Int, parts: Int = 1) throws(SQLError) {
        self.rowCount = rowCount
        lanes = []
        for column in columns {
            lanes.append(contentsOf: try EncodedKeys.encode(column))
        }
        if columns.isEmpty {
            hashes = [UInt64](repeating: 0x9E37_79B9_7F4A_7C15, count: rowCount)
        } else if columns.count == 1, lanes.count == 1, let single = EncodedKeys.singleLaneHashes(lanes[0], rowCount: rowCount, parts: parts) {
            hashes = single
        } else {
            hashes = try columnar("hashing keys") { () throws(ColumnarError) in try Column.hashRows(columns) }
        }
    }

    /// Hashes of one lane computed in a single pass (cheaper than hashRows' per-column
    /// passes). Equal keys hash equally; both sides of a join and every partial aggregate
    /// hash through here for the same key shape, so their hashes agree. Nil for decimals.
    static func singleLaneHashes(_ lane: Lane, rowCount: Int, parts: Int = 1) -> [UInt64]? {
        [UInt64](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            let output = HashOutput(buffer)
            if parts <= 1 || rowCount < 2 * parts {
                hashLane(lane, range: 0..<rowCount, into: output)
            } else {
                // Disjoint row ranges per worker, all written before concurrentPerform returns.
                let step = (rowCount + parts - 1) / parts
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    hashLane(lane, range: (part * step)..<min(rowCount, (part + 1) * step), into: output)
                }
            }
            initialized = rowCount
        }
    }

    /// The lane's hashes of rows `range`, written to the same rows of `output`.
    static func hashLane(_ lane: Lane, range: Range<Int>, into output: HashOutput) {
        let buffer = output.buffer
        switch lane {
        case let .fixed(values, validity):
            values.withUnsafeBufferPointer { v in
                // SAFETY: the lane and the buffer hold one slot per row; range lies inside.
                for row in range { buffer[row] = fastMix(v[row] &* 0x9E37_79B9_7F4A_7C15) }
            }
            if let validity { for row in range where !validity[row] { buffer[row] = nullHash } }
        case let .bytes(offsets, data, validity):
            offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBytes { d in
                    // SAFETY: o holds one more offset than rows, validated against d; loads stay
                    // inside [start, end) (8-byte words, then the tail byte by byte).
                    for row in range {
                        buffer[row] = hashBytes(d, start: Int(o[row]), end: Int(o[row + 1]))
                    }
                }
            }
            if let validity { for row in range where !validity[row] { buffer[row] = nullHash } }
        }
    }

    /// The hash every null key row of a single lane gets.
    static let nullHash: UInt64 = 0x6E75_6C6C

    /// Hash of the bytes `start..<end` of `d` (the caller guarantees the range lies inside).
    @inline(__always)
    static func hashBytes(_ d: UnsafeRawBufferPointer, start: Int, end: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: end - start) &* 0xC2B2_AE3D_27D4_EB4F
        var i = start
        // SAFETY: loads read bytes i ..< i + 8 (then single bytes) below `end`, inside d.
        while i + 8 <= end {
            h = (h ^ d.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        if i < end {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < end {
                tail |= UInt64(d[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        return fastMix(h)
    }

    /// Hash of one valid row of a lane, equal to what `hashLane` gives that row.
    static func hashValidRow(_ lane: Lane, _ row: Int) -> UInt64 {
        switch lane {
        case let .fixed(values, _):
            return fastMix(values[row] &* 0x9E37_79B9_7F4A_7C15)
        case let .bytes(offsets, data, _):
            let start = Int(offsets[row]), end = Int(offsets[row + 1])
            return data.withUnsafeBytes { d in hashBytes(d, start: start, end: end) }
        }
    }

    @inline(__always)
    static func fastMix(_ x: UInt64) -> UInt64 {
        var z = x ^ (x >> 32)
        z = z &* 0xD6E8_FEB8_6659_FD93
        return z ^ (z >> 32)
    }

    /// How many lanes a key of `type` uses; nil for types that cannot be keys.
    static func laneCount(_ type: DataType) -> Int? {
        switch type.storageKind {
        case .int128: return 2
        case .list, .structure, .map: return nil
        default: return 1
        }
    }

    static func encode(_ column: Column) throws(SQLError) -> [Lane] {
        let v = column.validity
        func ints<T: BinaryInteger>(_ values: [T]) -> [Lane] {
            [.fixed(values.map { UInt64(truncatingIfNeeded: Int64(truncatingIfNeeded: $0)) }, v)]
        }
        func uints<T: BinaryInteger>(_ values: [T]) -> [Lane] {
            [.fixed(values.map { UInt64(truncatingIfNeeded: $0) }, v)]
        }
        func floats(_ values: [Double]) -> [Lane] {
            [.fixed(values.map { x in x.isNaN ? 0x7FF8_0000_0000_0000 : (x == 0 ? 0 : x.bitPattern) }, v)]
        }
        switch column.storage {
        case let .boolean(bits): return [.fixed((0..<column.count).map { bits[$0] ? 1 : 0 }, v)]
        case let .int8(a): return ints(a)
        case let .int16(a): return ints(a)
        case let .int32(a): return ints(a)
        case let .int64(a): return [.fixed(a.map { UInt64(bitPattern: $0) }, v)]
        case let .uint8(a): return uints(a)
        case let .uint16(a): return uints(a)
        case let .uint32(a): return uints(a)
        case let .uint64(a): return [.fixed(a, v)]
        case let .float32(a): return floats(a.map { Double($0) })
        case let .float64(a): return floats(a)
        case let .int128(a):
            return [.fixed(a.map { UInt64(truncatingIfNeeded: $0) }, v),
                    .fixed(a.map { UInt64(truncatingIfNeeded: $0 >> 64) }, v)]
        case let .bytes(offsets, data): return [.bytes(offsets: offsets, data: data, validity: v)]
        case .list, .structure, .map:
            throw SQLError(.unsupported, "values of type \(column.type) cannot be grouped, joined on or compared for DISTINCT")
        }
    }
}

/// A hash buffer that workers fill at disjoint rows.
struct HashOutput: @unchecked Sendable {
    // SAFETY: each worker writes only the rows of its own range, and the buffer outlives
    // the concurrentPerform that writes it.
    let buffer: UnsafeMutableBufferPointer<UInt64>
    init(_ buffer: UnsafeMutableBufferPointer<UInt64>) { self.buffer = buffer }
}

/// Groups identified by key values; group ids are dense, in order of first appearance.
struct GroupTable {
    let keyTypes: [DataType]
    private(set) var count = 0
    private var slots: [Int32]
    private var mask: Int
    private var groupHashes: [UInt64] = []
    /// Per lane: fixed values (empty for byte lanes).
    private var fixedStore: [[UInt64]]
    /// Per lane: byte offsets (count + 1 entries; empty for fixed lanes) and bytes.
    private var byteOffsets: [[Int]]
    private var byteData: [[UInt8]]
    /// Per lane: 1 when the group's key is valid, 0 when null.
    private var validStore: [[UInt8]]
    private let laneIsBytes: [Bool]

    init(keyTypes: [DataType]) throws(SQLError) {
        self.keyTypes = keyTypes
        var kinds: [Bool] = []
        for type in keyTypes {
            guard let lanes = EncodedKeys.laneCount(type) else {
                throw SQLError(.unsupported, "values of type \(type) cannot be grouped, joined on or compared for DISTINCT")
            }
            for _ in 0..<lanes { kinds.append(type.storageKind == .bytes) }
        }
        laneIsBytes = kinds
        fixedStore = kinds.map { _ in [] }
        byteOffsets = kinds.map { $0 ? [0] : [] }
        byteData = kinds.map { _ in [] }
        validStore = kinds.map { _ in [] }
        slots = [Int32](repeating: 0, count: 1024)
        mask = 1023
    }

    /// Approximate bytes held.
    var estimatedBytes: Int {
        var total = slots.count * 4 + groupHashes.count * 8
        for lane in laneIsBytes.indices {
            total += fixedStore[lane].count * 8 + byteOffsets[lane].count * 8 + byteData[lane].count + validStore[lane].count
        }
        return total
    }

    /// The group id of every row, creating groups for new keys. `newRows` receives the
    /// rows that created a group, in order.
    mutating func insert(_ keys: EncodedKeys, newRows: inout [Int]) -> [Int32] {
        insert(keys, range: 0..<keys.rowCount, newRows: &newRows)
    }

    /// The group ids of rows `range` (entry i is row range.lowerBound + i).
    mutating func insert(_ keys: EncodedKeys, range: Range<Int>, newRows: inout [Int]) -> [Int32] {
        let rows = range.count
        var out = [Int32](repeating: 0, count: rows)
        if rows == 0 { return out }
        let lanes = keys.lanes
        if lanes.count == 1 {
            switch lanes[0] {
            case let .fixed(values, validity):
                insertFixed(values, validity, keys.hashes, range, &out, &newRows)
                return out
            case let .bytes(offsets, data, validity):
                insertBytes(offsets, data, validity, keys.hashes, range, &out, &newRows)
                return out
            }
        }
        // Row-side lanes unpacked once per batch.
        var rowFixed: [[UInt64]] = []
        var rowOffsets: [[Int32]] = []
        var rowData: [[UInt8]] = []
        var rowValid: [Bitmap?] = []
        for lane in lanes {
            switch lane {
            case let .fixed(values, validity):
                rowFixed.append(values); rowOffsets.append([]); rowData.append([]); rowValid.append(validity)
            case let .bytes(offsets, data, validity):
                rowFixed.append([]); rowOffsets.append(offsets); rowData.append(data); rowValid.append(validity)
            }
        }
        let singleFixed = lanes.count == 1 && !laneIsBytes[0] && rowValid[0] == nil
        let hashes = keys.hashes
        let base = range.lowerBound
        for row in range {
            if (count + 1) * 2 > slots.count { grow() }
            let hash = hashes[row]
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 {
                    let gid = count
                    count += 1
                    slots[slot] = Int32(truncatingIfNeeded: gid + 1)
                    groupHashes.append(hash)
                    for lane in 0..<lanes.count {
                        let valid = rowValid[lane].map { $0[row] } ?? true
                        validStore[lane].append(valid ? 1 : 0)
                        if laneIsBytes[lane] {
                            let start = Int(rowOffsets[lane][row]), end = Int(rowOffsets[lane][row + 1])
                            if valid { byteData[lane].append(contentsOf: rowData[lane][start..<end]) }
                            byteOffsets[lane].append(byteData[lane].count)
                        } else {
                            fixedStore[lane].append(rowFixed[lane][row])
                        }
                    }
                    newRows.append(row)
                    out[row - base] = Int32(truncatingIfNeeded: gid)
                    break
                }
                let gid = Int(entry) - 1
                if groupHashes[gid] == hash {
                    var equal: Bool
                    if singleFixed {
                        equal = validStore[0][gid] == 1 && fixedStore[0][gid] == rowFixed[0][row]
                    } else {
                        equal = true
                        for lane in 0..<lanes.count {
                            let valid = rowValid[lane].map { $0[row] } ?? true
                            let stored = validStore[lane][gid] == 1
                            if valid != stored { equal = false; break }
                            if !valid { continue }
                            if laneIsBytes[lane] {
                                let start = Int(rowOffsets[lane][row]), end = Int(rowOffsets[lane][row + 1])
                                let gStart = byteOffsets[lane][gid], gEnd = byteOffsets[lane][gid + 1]
                                if end - start != gEnd - gStart { equal = false; break }
                                if !GroupTable.bytesEqual(rowData[lane], start, byteData[lane], gStart, end - start) {
                                    equal = false; break
                                }
                            } else if fixedStore[lane][gid] != rowFixed[lane][row] {
                                equal = false; break
                            }
                        }
                    }
                    if equal {
                        out[row - base] = Int32(truncatingIfNeeded: gid)
                        break
                    }
                }
                slot = (slot + 1) & mask
            }
        }
        return out
    }

    /// One fixed-width key: the store's lane is worked on as local arrays.
    private mutating func insertFixed(_ values: [UInt64], _ validity: Bitmap?, _ hashes: [UInt64], _ range: Range<Int>,
                                      _ out: inout [Int32], _ newRows: inout [Int]) {
        let base = range.lowerBound
        var store = fixedStore[0], valid = validStore[0]
        fixedStore[0] = []
        validStore[0] = []
        defer {
            fixedStore[0] = store
            validStore[0] = valid
        }
        values.withUnsafeBufferPointer { v in
            hashes.withUnsafeBufferPointer { h in
                // SAFETY: v and h hold one entry per row (EncodedKeys guarantees it); range is inside.
                for row in range {
                    if (count + 1) * 2 > slots.count { grow() }
                    let isValid = validity.map { $0[row] } ?? true
                    let value = v[row], hash = h[row]
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 {
                            let gid = count
                            count += 1
                            slots[slot] = Int32(truncatingIfNeeded: gid + 1)
                            groupHashes.append(hash)
                            store.append(isValid ? value : 0)
                            valid.append(isValid ? 1 : 0)
                            newRows.append(row)
                            out[row - base] = Int32(truncatingIfNeeded: gid)
                            break
                        }
                        let gid = Int(entry) - 1
                        if groupHashes[gid] == hash && (valid[gid] == 1) == isValid && (!isValid || store[gid] == value) {
                            out[row - base] = Int32(truncatingIfNeeded: gid)
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// One string/binary key: the store's lane is worked on as local arrays.
    private mutating func insertBytes(_ offsets: [Int32], _ data: [UInt8], _ validity: Bitmap?, _ hashes: [UInt64],
                                      _ range: Range<Int>, _ out: inout [Int32], _ newRows: inout [Int]) {
        let base = range.lowerBound
        var storeOffsets = byteOffsets[0], storeData = byteData[0], valid = validStore[0]
        byteOffsets[0] = []
        byteData[0] = []
        validStore[0] = []
        defer {
            byteOffsets[0] = storeOffsets
            byteData[0] = storeData
            validStore[0] = valid
        }
        if (count + 1) * 2 > slots.count { grow() }
        var row = range.lowerBound
        while row < range.upperBound {
            // Rows whose key already has a group are resolved through raw pointers (the
            // table does not change meanwhile); the scan stops at the first new key with
            // the empty slot its probe ended on, and the group is created below.
            let mask = self.mask
            let stop: (row: Int, slot: Int)? = offsets.withUnsafeBufferPointer { o in
                data.withUnsafeBytes { d in
                    hashes.withUnsafeBufferPointer { h in
                        slots.withUnsafeBufferPointer { sl in
                            groupHashes.withUnsafeBufferPointer { gh in
                                storeOffsets.withUnsafeBufferPointer { so in
                                    storeData.withUnsafeBytes { sd in
                                        valid.withUnsafeBufferPointer { va in
                                            out.withUnsafeMutableBufferPointer { ob in
                                                // SAFETY: o holds rows + 1 offsets validated against d and h one
                                                // hash per row, range inside both; a slot is masked into sl; a
                                                // non-zero slot names a group id < count, and gh, va hold count
                                                // entries and so count + 1 offsets into sd; ob has range.count slots.
                                                var r = row
                                                while r < range.upperBound {
                                                    let isValid = validity.map { $0[r] } ?? true
                                                    let start = Int(o[r]), length = Int(o[r + 1]) - start
                                                    let hash = h[r]
                                                    var slot = Int(truncatingIfNeeded: hash) & mask
                                                    probe: while true {
                                                        let entry = sl[slot]
                                                        if entry == 0 { return (r, slot) }
                                                        let gid = Int(entry) - 1
                                                        if gh[gid] == hash && (va[gid] == 1) == isValid {
                                                            if !isValid { ob[r - base] = entry - 1; break probe }
                                                            let gStart = so[gid]
                                                            if so[gid + 1] - gStart == length {
                                                                let same: Bool
                                                                if length == 0 {
                                                                    same = true
                                                                } else if let x = sd.baseAddress, let y = d.baseAddress {
                                                                    same = GroupTable.rawBytesEqual(x + gStart, y + start, length)
                                                                } else {
                                                                    same = false
                                                                }
                                                                if same { ob[r - base] = entry - 1; break probe }
                                                            }
                                                        }
                                                        slot = (slot + 1) & mask
                                                    }
                                                    r += 1
                                                }
                                                return nil
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            guard let stop else { break }
            // A new key: its group goes into the empty slot the probe ended on.
            let newRow = stop.row
            let isValid = validity.map { $0[newRow] } ?? true
            let start = Int(offsets[newRow]), end = Int(offsets[newRow + 1])
            let gid = count
            count += 1
            slots[stop.slot] = Int32(truncatingIfNeeded: gid + 1)
            groupHashes.append(hashes[newRow])
            if isValid && end > start { storeData.append(contentsOf: data[start..<end]) }
            storeOffsets.append(storeData.count)
            valid.append(isValid ? 1 : 0)
            newRows.append(newRow)
            out[newRow - base] = Int32(truncatingIfNeeded: gid)
            if (count + 1) * 2 > slots.count { grow() }
            row = newRow + 1
        }
    }

    // MARK: Dictionary-coded keys

    /// The group ids of rows `range` of a single-lane key column that carries a dictionary
    /// side-car: each code is mapped to a group the first time a row of `range` uses it
    /// (inserting that dictionary value through the typed path), so no row is hashed and
    /// unused dictionary values never become groups. Groups are created in order of first
    /// appearance; rows that are null in `validity` go to the null group.
    /// - Parameters:
    ///   - codes: one code per row of the column, each inside `0..<valueCount` (checked
    ///     when the side-car was attached: `Column.withDictionary`).
    ///   - values: the dictionary values as one lane (`EncodedKeys.encode`), no nulls.
    mutating func insert(codes: [Int32], validity: Bitmap?, values: EncodedKeys.Lane, valueCount: Int,
                         range: Range<Int>) -> [Int32] {
        let base = range.lowerBound
        var groupOfCode = [Int32](repeating: -1, count: valueCount)
        var nullGroup: Int32 = -1
        return [Int32](unsafeUninitializedCapacity: range.count) { out, initialized in
            codes.withUnsafeBufferPointer { c in
                groupOfCode.withUnsafeMutableBufferPointer { map in
                    // SAFETY: range lies inside the column (one code per row); every code is in
                    // 0..<valueCount == map.count (checked at attach); out holds range.count slots.
                    if let validity {
                        for row in range {
                            if !validity[row] {
                                if nullGroup < 0 { nullGroup = insertNull() }
                                out[row - base] = nullGroup
                                continue
                            }
                            let code = Int(c[row])
                            var gid = map[code]
                            if gid < 0 {
                                gid = insertValid(values, row: code)
                                map[code] = gid
                            }
                            out[row - base] = gid
                        }
                    } else {
                        for row in range {
                            let code = Int(c[row])
                            var gid = map[code]
                            if gid < 0 {
                                gid = insertValid(values, row: code)
                                map[code] = gid
                            }
                            out[row - base] = gid
                        }
                    }
                }
            }
            initialized = range.count
        }
    }

    /// The group of the valid value at `row` of a single-lane key `lane`, created when new.
    private mutating func insertValid(_ lane: EncodedKeys.Lane, row: Int) -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = EncodedKeys.hashValidRow(lane, row)
        var slot = Int(truncatingIfNeeded: hash) & mask
        switch lane {
        case let .fixed(values, _):
            let value = values[row]
            while true {
                let entry = slots[slot]
                if entry == 0 {
                    fixedStore[0].append(value)
                    return createGroup(slot: slot, hash: hash, valid: true)
                }
                let gid = Int(entry) - 1
                if groupHashes[gid] == hash && validStore[0][gid] == 1 && fixedStore[0][gid] == value {
                    return Int32(truncatingIfNeeded: gid)
                }
                slot = (slot + 1) & mask
            }
        case let .bytes(offsets, data, _):
            let start = Int(offsets[row]), end = Int(offsets[row + 1])
            while true {
                let entry = slots[slot]
                if entry == 0 {
                    byteData[0].append(contentsOf: data[start..<end])
                    byteOffsets[0].append(byteData[0].count)
                    return createGroup(slot: slot, hash: hash, valid: true)
                }
                let gid = Int(entry) - 1
                if groupHashes[gid] == hash && validStore[0][gid] == 1 {
                    let gStart = byteOffsets[0][gid], gEnd = byteOffsets[0][gid + 1]
                    if gEnd - gStart == end - start && GroupTable.bytesEqual(byteData[0], gStart, data, start, end - start) {
                        return Int32(truncatingIfNeeded: gid)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The group of the null key of a single-lane table, created when new.
    private mutating func insertNull() -> Int32 {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = EncodedKeys.nullHash
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 {
                if laneIsBytes[0] {
                    byteOffsets[0].append(byteData[0].count)
                } else {
                    fixedStore[0].append(0)
                }
                return createGroup(slot: slot, hash: hash, valid: false)
            }
            let gid = Int(entry) - 1
            if groupHashes[gid] == hash && validStore[0][gid] == 0 { return Int32(truncatingIfNeeded: gid) }
            slot = (slot + 1) & mask
        }
    }

    /// Registers a new group at `slot` (its key already appended to the lane's store).
    private mutating func createGroup(slot: Int, hash: UInt64, valid: Bool) -> Int32 {
        let gid = count
        count += 1
        slots[slot] = Int32(truncatingIfNeeded: gid + 1)
        groupHashes.append(hash)
        validStore[0].append(valid ? 1 : 0)
        return Int32(truncatingIfNeeded: gid)
    }

    /// Byte equality of two ranges; short keys (the usual group keys) compare in 8-byte
    /// words inline instead of calling memcmp per row.
    @inline(__always)
    static func rawBytesEqual(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ length: Int) -> Bool {
        if length > 32 { return memcmp(x, y, length) == 0 }
        var i = 0
        // SAFETY: every load reads bytes i ..< i + 8 (or i) below `length`, inside both ranges.
        while i + 8 <= length {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < length {
            if x.load(fromByteOffset: i, as: UInt8.self) != y.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    static func bytesEqual(_ a: [UInt8], _ aStart: Int, _ b: [UInt8], _ bStart: Int, _ length: Int) -> Bool {
        if length == 0 { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return false }
                // SAFETY: both ranges were taken from validated offsets of their buffers.
                return memcmp(x + aStart, y + bStart, length) == 0
            }
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        var next = [Int32](repeating: 0, count: capacity)
        let newMask = capacity - 1
        for gid in 0..<count {
            var slot = Int(truncatingIfNeeded: groupHashes[gid]) & newMask
            while next[slot] != 0 { slot = (slot + 1) & newMask }
            next[slot] = Int32(truncatingIfNeeded: gid + 1)
        }
        slots = next
        mask = newMask
    }

    /// The key of every group as columns of `keyTypes`, in group-id order.
    func keyColumns() throws(SQLError) -> [Column] {
        var out: [Column] = []
        var lane = 0
        for type in keyTypes {
            let valid = validStore[lane]
            let validity: Bitmap? = valid.contains(0) ? Bitmap(valid.lazy.map { $0 == 1 }) : nil
            let column: Column
            switch type.storageKind {
            case .bytes:
                var offsets: [Int32] = []
                offsets.reserveCapacity(count + 1)
                for o in byteOffsets[lane] { offsets.append(Int32(truncatingIfNeeded: o)) }
                guard byteData[lane].count <= Int(Int32.max) else {
                    throw SQLError(.execution, "group keys exceed 2 GiB of text")
                }
                column = try columnar("building group keys") { () throws(ColumnarError) in
                    try Column(type: type, count: count, validity: validity, storage: .bytes(offsets: offsets, data: byteData[lane]))
                }
            case .int128:
                let low = fixedStore[lane], high = fixedStore[lane + 1]
                let values = (0..<count).map { Int128(Int64(bitPattern: high[$0])) << 64 | Int128(low[$0]) }
                column = try columnar("building group keys") { () throws(ColumnarError) in
                    try Column(type, values: values, validity: validity)
                }
            default:
                column = try GroupTable.decodeFixed(fixedStore[lane], type: type, validity: validity)
            }
            out.append(column)
            lane += EncodedKeys.laneCount(type) ?? 1
        }
        return out
    }

    static func decodeFixed(_ words: [UInt64], type: DataType, validity: Bitmap?) throws(SQLError) -> Column {
        let storage: ColumnStorage
        switch type.storageKind {
        case .boolean: storage = .boolean(Bitmap(words.lazy.map { $0 != 0 }))
        case .int8: storage = .int8(words.map { Int8(truncatingIfNeeded: $0) })
        case .int16: storage = .int16(words.map { Int16(truncatingIfNeeded: $0) })
        case .int32: storage = .int32(words.map { Int32(truncatingIfNeeded: $0) })
        case .int64: storage = .int64(words.map { Int64(bitPattern: $0) })
        case .uint8: storage = .uint8(words.map { UInt8(truncatingIfNeeded: $0) })
        case .uint16: storage = .uint16(words.map { UInt16(truncatingIfNeeded: $0) })
        case .uint32: storage = .uint32(words.map { UInt32(truncatingIfNeeded: $0) })
        case .uint64: storage = .uint64(words)
        case .float32: storage = .float32(words.map { Float(Double(bitPattern: $0)) })
        case .float64: storage = .float64(words.map { Double(bitPattern: $0) })
        default: throw SQLError(.unsupported, "values of type \(type) cannot be group keys")
        }
        return try columnar("building group keys") { () throws(ColumnarError) in
            try Column(type: type, count: words.count, validity: validity, storage: storage)
        }
    }
}

import Foundation
