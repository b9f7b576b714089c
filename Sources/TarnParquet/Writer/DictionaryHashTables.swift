// DictionaryHashTables: the value → dictionary-index tables behind dictionary encoding.
// Own open-addressing lookup/insert for fixed-width bit patterns and for byte strings
// (hashed and compared in place, no String per value); must never reorder entries:
// index i is the i-th distinct value seen, which is the dictionary page order.

/// Open-addressing table from fixed-width bit patterns to dictionary indices.
/// Floats are keyed by bit pattern, so -0.0 and +0.0 (and NaN payloads) stay distinct.
struct FixedWidthHashTable<Key: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// Distinct keys in insertion order: the dictionary.
    private(set) var keys: [Key] = []
    private var slotKeys: [Key]
    /// Dictionary index per slot, -1 for an empty slot.
    private var slotIndices: [Int32]
    private var shift: UInt64

    init(initialCapacity: Int = 1024) {
        var capacity = 16
        while capacity < initialCapacity * 2 { capacity <<= 1 }
        slotKeys = [Key](repeating: 0, count: capacity)
        slotIndices = [Int32](repeating: -1, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    var count: Int { keys.count }

    @inline(__always)
    private static func slot(_ key: Key, shift: UInt64) -> Int {
        // Fibonacci hashing: the multiply spreads sequential keys over the high bits.
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Looks up each key of `input`, inserting new ones, and appends their indices to `output`.
    mutating func indices(of input: UnsafeBufferPointer<Key>, appendingTo output: inout [Int32]) {
        output.reserveCapacity(output.count + input.count)
        var position = 0
        while position < input.count {
            // Grow before the load factor passes 1/2; then a run of inserts cannot overfill.
            let room = slotIndices.count / 2 - keys.count
            if room <= 0 {
                grow()
                continue
            }
            let end = min(input.count, position + room)
            let mask = slotIndices.count - 1
            let shift = self.shift
            slotKeys.withUnsafeMutableBufferPointer { slotKeys in
                slotIndices.withUnsafeMutableBufferPointer { slotIndices in
                    for k in position..<end {
                        let key = input[k]
                        var slot = Self.slot(key, shift: shift)
                        while true {
                            // SAFETY: slot is masked to the table size.
                            let index = slotIndices[slot]
                            if index < 0 {
                                let newIndex = Int32(truncatingIfNeeded: keys.count)
                                slotIndices[slot] = newIndex
                                slotKeys[slot] = key
                                keys.append(key)
                                output.append(newIndex)
                                break
                            }
                            if slotKeys[slot] == key {
                                output.append(index)
                                break
                            }
                            slot = (slot &+ 1) & mask
                        }
                    }
                }
            }
            position = end
        }
    }

    private mutating func grow() {
        let capacity = slotIndices.count * 2
        slotKeys = [Key](repeating: 0, count: capacity)
        slotIndices = [Int32](repeating: -1, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        for (index, key) in keys.enumerated() {
            var slot = Self.slot(key, shift: shift)
            while slotIndices[slot] >= 0 { slot = (slot &+ 1) & mask }
            slotIndices[slot] = Int32(truncatingIfNeeded: index)
            slotKeys[slot] = key
        }
    }
}

/// Open-addressing table from byte strings to dictionary indices. Distinct values are
/// kept back to back in `data` (Arrow layout), so the dictionary page is written from it.
struct ByteArrayHashTable: Sendable {
    /// Distinct values: entry i is `data[offsets[i]..<offsets[i+1]]`.
    private(set) var offsets: [Int32] = [0]
    private(set) var data: [UInt8] = []
    private var hashes: [UInt64] = []
    private var slotIndices: [Int32]

    init(initialCapacity: Int = 1024) {
        var capacity = 16
        while capacity < initialCapacity * 2 { capacity <<= 1 }
        slotIndices = [Int32](repeating: -1, count: capacity)
    }

    var count: Int { offsets.count - 1 }

    /// Size of the dictionary as a PLAIN BYTE_ARRAY page (4-byte length + bytes per value).
    var plainByteSize: Int { data.count + 4 * count }

    /// Looks up the values `range` of `offsets`/`source` (Arrow layout), inserting new
    /// ones, and appends their indices to `output`.
    mutating func indices(
        of range: Range<Int>, offsets valueOffsets: UnsafeBufferPointer<Int32>, data source: UnsafeRawBufferPointer,
        appendingTo output: inout [Int32]
    ) {
        output.reserveCapacity(output.count + range.count)
        for i in range {
            if count * 2 >= slotIndices.count { grow() }
            // SAFETY (caller): offsets are non-decreasing and within `source`.
            let start = Int(valueOffsets[i]), end = Int(valueOffsets[i + 1])
            let value = UnsafeRawBufferPointer(rebasing: source[start..<end])
            output.append(index(of: value))
        }
    }

    /// Looks up fixed-width values (FIXED_LEN_BYTE_ARRAY) `range` of `width` bytes each.
    mutating func indices(
        of range: Range<Int>, width: Int, data source: UnsafeRawBufferPointer, appendingTo output: inout [Int32]
    ) {
        output.reserveCapacity(output.count + range.count)
        for i in range {
            if count * 2 >= slotIndices.count { grow() }
            // SAFETY (caller): (i + 1) * width <= source.count.
            let value = UnsafeRawBufferPointer(rebasing: source[(i * width)..<((i + 1) * width)])
            output.append(index(of: value))
        }
    }

    @inline(__always)
    private mutating func index(of value: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(value)
        let mask = slotIndices.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slotIndices[slot]
            if index < 0 {
                let newIndex = Int32(truncatingIfNeeded: count)
                slotIndices[slot] = newIndex
                data.append(contentsOf: value)
                offsets.append(Int32(truncatingIfNeeded: data.count))
                hashes.append(hash)
                return newIndex
            }
            if hashes[Int(index)] == hash && equals(Int(index), value) { return index }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(__always)
    private func equals(_ entry: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offsets[entry]), end = Int(offsets[entry + 1])
        guard end - start == value.count else { return false }
        guard let other = value.baseAddress else { return true }
        return data.withUnsafeBytes { stored in
            // SAFETY: start..<end lies inside `data` (offsets were appended with it) and
            // is not empty here, so `data` has a base address.
            guard let base = stored.baseAddress else { return false }
            return memoryEqual(base + start, other, value.count)
        }
    }

    private mutating func grow() {
        let capacity = slotIndices.count * 2
        slotIndices = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slotIndices[slot] >= 0 { slot = (slot &+ 1) & mask }
            slotIndices[slot] = Int32(truncatingIfNeeded: index)
        }
    }

    /// A fast 64-bit hash over bytes: 8 bytes per step, multiply-xorshift mixing.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = UInt64(bytes.count) &* multiplier
        guard let base = bytes.baseAddress else { return mix(h) }
        var position = 0
        let count = bytes.count
        while position + 8 <= count {
            // SAFETY: position + 8 <= count.
            let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            h = (h ^ mix(word)) &* multiplier
            position += 8
        }
        if position < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while position < count {
                // SAFETY: position < count.
                tail |= UInt64(base.load(fromByteOffset: position, as: UInt8.self)) << shift
                shift += 8
                position += 1
            }
            h = (h ^ mix(tail)) &* multiplier
        }
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 32
        x = x &* 0xD6E8_FEB8_6659_FD93
        x ^= x >> 32
        return x
    }
}

/// Byte-wise equality of two regions of `count` bytes.
@inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var position = 0
    while position + 8 <= count {
        // SAFETY: the caller guarantees both regions hold `count` bytes.
        if a.loadUnaligned(fromByteOffset: position, as: UInt64.self) != b.loadUnaligned(fromByteOffset: position, as: UInt64.self) {
            return false
        }
        position += 8
    }
    while position < count {
        if a.load(fromByteOffset: position, as: UInt8.self) != b.load(fromByteOffset: position, as: UInt8.self) { return false }
        position += 1
    }
    return true
}

/// Unsigned lexicographic order of two byte regions: negative, zero or positive.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let common = min(a.count, b.count)
    if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        var position = 0
        while position + 8 <= common {
            // SAFETY: position + 8 <= common <= both counts. Big-endian loads compare like bytes.
            let x = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let y = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            position += 8
        }
        while position < common {
            let x = pa.load(fromByteOffset: position, as: UInt8.self)
            let y = pb.load(fromByteOffset: position, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            position += 1
        }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}
