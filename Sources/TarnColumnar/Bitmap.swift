// Bitmap: a packed bit vector, used for validity (1 = valid) and boolean values.
// Owns bit addressing (LSB-first within 64-bit words); must never expose words with
// garbage in the bits past `count` (they are always zero, so counts and equality hold).

public struct Bitmap: Sendable, Hashable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    public init() {
        words = []
        count = 0
    }

    public init(repeating value: Bool, count: Int) {
        let wordCount = (count + 63) >> 6
        words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
        self.count = count
        clearTail()
    }

    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init()
        for bit in bits { append(bit) }
    }

    /// Builds from words; bits past `count` are cleared.
    public init(words: [UInt64], count: Int) {
        let needed = (count + 63) >> 6
        var w = words
        if w.count > needed { w.removeLast(w.count - needed) }
        while w.count < needed { w.append(0) }
        self.words = w
        self.count = count
        clearTail()
    }

    private mutating func clearTail() {
        let rem = count & 63
        if rem != 0, !words.isEmpty {
            words[words.count - 1] &= (UInt64(1) << UInt64(rem)) &- 1
        }
    }

    public mutating func reserveCapacity(_ n: Int) {
        words.reserveCapacity((n + 63) >> 6)
    }

    @inline(__always)
    public subscript(index: Int) -> Bool {
        get { (words[index >> 6] >> UInt64(index & 63)) & 1 == 1 }
        set {
            let mask = UInt64(1) << UInt64(index & 63)
            if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
        }
    }

    @inline(__always)
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= UInt64(1) << UInt64(count & 63) }
        count += 1
    }

    public mutating func append(repeating bit: Bool, count n: Int) {
        guard n > 0 else { return }
        // Fill the partial word, then whole words.
        var remaining = n
        while remaining > 0 && count & 63 != 0 {
            append(bit)
            remaining -= 1
        }
        while remaining >= 64 {
            words.append(bit ? ~0 : 0)
            count += 64
            remaining -= 64
        }
        while remaining > 0 {
            append(bit)
            remaining -= 1
        }
    }

    public mutating func append(contentsOf other: Bitmap) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        for i in 0..<other.count { append(other[i]) }
    }

    /// Number of set bits.
    public var setCount: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public var allSet: Bool { setCount == count }

    /// Bits `range` as a new bitmap.
    public func slice(_ range: Range<Int>) -> Bitmap {
        var out = Bitmap()
        out.reserveCapacity(range.count)
        if range.lowerBound & 63 == 0 {
            let first = range.lowerBound >> 6
            let last = min(words.count, (range.upperBound + 63) >> 6)
            return Bitmap(words: Array(words[first..<last]), count: range.count)
        }
        for i in range { out.append(self[i]) }
        return out
    }

    public static func & (lhs: Bitmap, rhs: Bitmap) -> Bitmap {
        var out = lhs
        for i in 0..<min(lhs.words.count, rhs.words.count) { out.words[i] &= rhs.words[i] }
        return out
    }

    public static func | (lhs: Bitmap, rhs: Bitmap) -> Bitmap {
        var out = lhs
        for i in 0..<min(lhs.words.count, rhs.words.count) { out.words[i] |= rhs.words[i] }
        return out
    }

    public static prefix func ~ (value: Bitmap) -> Bitmap {
        var out = value
        for i in 0..<out.words.count { out.words[i] = ~out.words[i] }
        out.clearTail()
        return out
    }

    /// Indices of set bits, ascending.
    public var setIndices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(setCount)
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                let tz = bits.trailingZeroBitCount
                out.append(w << 6 + tz)
                bits &= bits &- 1
            }
        }
        return out
    }
}
