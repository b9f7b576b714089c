// Shared machinery of the kernels: word-level bit writing and extraction, and a visitor
// that dispatches a generic routine on the fixed-width Swift type behind a column.
// Internal only; must never box values or walk a bitmap bit by bit where words will do.

/// Builds a bitmap by appending bits or whole bitmaps at any bit alignment.
struct BitWriter {
    private(set) var words: [UInt64] = []
    private(set) var count = 0

    init(capacity: Int = 0) {
        words.reserveCapacity((capacity + 63) >> 6)
    }

    @inline(__always)
    mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= UInt64(1) << UInt64(count & 63) }
        count += 1
    }

    mutating func append(repeating bit: Bool, count n: Int) {
        guard n > 0 else { return }
        let filler: UInt64 = bit ? ~0 : 0
        let shift = count & 63
        var remaining = n
        if shift != 0 {
            let take = min(64 - shift, remaining)
            if bit {
                let mask = take == 64 ? ~UInt64(0) : ((UInt64(1) << UInt64(take)) &- 1)
                words[words.count - 1] |= mask << UInt64(shift)
            }
            count += take
            remaining -= take
        }
        while remaining > 0 {
            let take = min(64, remaining)
            words.append(take == 64 ? filler : (bit ? (UInt64(1) << UInt64(take)) &- 1 : 0))
            count += take
            remaining -= take
        }
    }

    /// Appends 64 bits at once.
    @inline(__always)
    mutating func appendWord(_ word: UInt64) {
        let shift = count & 63
        if shift == 0 {
            words.append(word)
        } else {
            words[words.count - 1] |= word << UInt64(shift)
            words.append(word >> UInt64(64 - shift))
        }
        count += 64
    }

    /// Appends all bits of `other` (whose bits past its count are zero).
    mutating func append(_ other: Bitmap) {
        guard other.count > 0 else { return }
        let shift = count & 63
        if shift == 0 {
            words.append(contentsOf: other.words)
        } else {
            for word in other.words {
                words[words.count - 1] |= word << UInt64(shift)
                words.append(word >> UInt64(64 - shift))
            }
        }
        count += other.count
        let needed = (count + 63) >> 6
        if words.count > needed { words.removeLast(words.count - needed) }
    }

    func finish() -> Bitmap { Bitmap(words: words, count: count) }
}

extension Bitmap {
    /// Bits `range` as a new bitmap, by shifting whole words (any alignment).
    /// The caller guarantees `range` lies inside `0..<count`.
    func extract(_ range: Range<Int>) -> Bitmap {
        let n = range.count
        guard n > 0 else { return Bitmap() }
        let shift = UInt64(range.lowerBound & 63)
        let first = range.lowerBound >> 6
        let outCount = (n + 63) >> 6
        let source = words
        let out = [UInt64](unsafeUninitializedCapacity: outCount) { buffer, initialized in
            source.withUnsafeBufferPointer { src in
                for i in 0..<outCount {
                    // SAFETY: bit lowerBound + 64*i < upperBound <= count, so word first+i exists;
                    // first+i+1 is checked against the buffer before it is read.
                    var word = src[first + i] >> shift
                    if shift != 0, first + i + 1 < src.count { word |= src[first + i + 1] << (64 - shift) }
                    buffer[i] = word
                }
            }
            initialized = outCount
        }
        return Bitmap(words: out, count: n)
    }

    /// The bits at `indices` (each checked by the caller to be < count).
    func gather(_ indices: [Int]) -> Bitmap {
        let n = indices.count
        let source = words
        let out = [UInt64](unsafeUninitializedCapacity: (n + 63) >> 6) { buffer, initialized in
            let wordCount = (n + 63) >> 6
            for i in 0..<wordCount { buffer[i] = 0 }
            // SAFETY: the caller checked every index < count; the output holds indices.count bits.
            source.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { idx in
                    for (o, i) in idx.enumerated() {
                        let bit = (src[i >> 6] >> UInt64(i & 63)) & 1
                        buffer[o >> 6] |= bit << UInt64(o & 63)
                    }
                }
            }
            initialized = wordCount
        }
        return Bitmap(words: out, count: n)
    }

    /// The bits where `mask` is set, in order (`selected` = mask.setCount).
    func compress(_ mask: Bitmap, selected: Int) -> Bitmap {
        var writer = BitWriter(capacity: selected)
        let source = words
        for (w, maskWord) in mask.words.enumerated() {
            if maskWord == 0 { continue }
            if maskWord == ~0 {
                writer.appendWord(source[w])
                continue
            }
            var bits = maskWord
            let word = source[w]
            while bits != 0 {
                let tz = bits.trailingZeroBitCount
                writer.append((word >> UInt64(tz)) & 1 == 1)
                bits &= bits &- 1
            }
        }
        return writer.finish()
    }
}

/// nil when every bit is set (the canonical "no nulls" validity).
@inline(__always)
func normalizedValidity(_ validity: Bitmap?) -> Bitmap? {
    guard let validity else { return nil }
    return validity.allSet ? nil : validity
}

/// A generic routine run on the Swift type behind a fixed-width column.
protocol PrimitiveVisitor {
    associatedtype Output
    func visit<T: ColumnPrimitive>(_ type: T.Type) -> Output
}

extension StorageKind {
    /// Runs `visitor` with this kind's element type; nil for boolean, bytes and nested kinds.
    func dispatch<V: PrimitiveVisitor>(_ visitor: V) -> V.Output? {
        switch self {
        case .int8: return visitor.visit(Int8.self)
        case .int16: return visitor.visit(Int16.self)
        case .int32: return visitor.visit(Int32.self)
        case .int64: return visitor.visit(Int64.self)
        case .uint8: return visitor.visit(UInt8.self)
        case .uint16: return visitor.visit(UInt16.self)
        case .uint32: return visitor.visit(UInt32.self)
        case .uint64: return visitor.visit(UInt64.self)
        case .float32: return visitor.visit(Float.self)
        case .float64: return visitor.visit(Double.self)
        case .int128: return visitor.visit(Int128.self)
        case .boolean, .bytes, .list, .structure, .map: return nil
        }
    }
}

extension Column {
    /// Builds a column whose invariants the kernel guarantees, normalising validity.
    static func make(_ type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage) -> Column {
        Column(unchecked: type, count: count, validity: normalizedValidity(validity), storage: storage)
    }
}

/// Offsets must fit Int32 (the Arrow/Parquet-friendly layout of one column buffer).
@inline(__always)
func checkedOffset(_ value: Int, _ what: String) throws(ColumnarError) -> Int32 {
    guard value <= Int(Int32.max) else {
        throw .capacityExceeded("a \(what) column exceeds 2^31 child values in one batch")
    }
    return Int32(truncatingIfNeeded: value)
}
