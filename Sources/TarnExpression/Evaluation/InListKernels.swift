// InListKernels: `x IN (constants)` by hashing the constants once and probing each row —
// for long lists on integer and string columns. Must give exactly the three-valued
// answer of OR-ing equalities (a NULL constant makes non-matches NULL).

import TarnColumnar

enum InListKernels {
    /// The answer for a column against constants, or nil when this path does not apply
    /// (up to 16 constants, where one comparison kernel pass per constant is faster,
    /// and other types: the caller ORs equality comparisons).
    static func hashed(_ column: Column, _ constants: [ScalarValue]) throws(ExpressionError) -> Column? {
        guard constants.count >= 3 else { return nil }
        let hasNull = constants.contains(.null)
        let n = column.count
        var bits = Bitmap(repeating: false, count: 0)
        switch column.storage {
        case let .int64(values) where column.type == .int64:
            var set = Set<Int64>()
            for c in constants {
                switch c {
                case let .int(v): set.insert(v)
                case .null: break
                default: return nil
                }
            }
            bits = probe(values, set)
        case let .int32(values) where column.type == .int32:
            var set = Set<Int32>()
            for c in constants {
                switch c {
                case let .int(v): if let x = Int32(exactly: v) { set.insert(x) }
                case .null: break
                default: return nil
                }
            }
            bits = probe(values, set)
        case let .bytes(offsets, data) where column.type == .string && constants.count > 16:
            var needles: [[UInt8]] = []
            for c in constants {
                switch c {
                case let .string(s): needles.append(Array(s.utf8))
                case .null: break
                default: return nil
                }
            }
            // Candidates by a hash of their bytes; each row hashes once and compares
            // bytes only against the candidates with its hash.
            var buckets: [UInt64: [Int]] = [:]
            for (k, needle) in needles.enumerated() {
                needle.withUnsafeBufferPointer { buckets[fnv1a($0), default: []].append(k) }
            }
            var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
            data.withUnsafeBufferPointer { d in
                for i in 0..<n {
                    // SAFETY: offsets were validated against data when the column was built.
                    let slot = UnsafeBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])
                    guard let candidates = buckets[fnv1a(slot)] else { continue }
                    for k in candidates where needles[k].count == slot.count && StringKernels.hasPrefix(slot, needles[k]) {
                        words[i >> 6] |= UInt64(1) << UInt64(i & 63)
                        break
                    }
                }
            }
            bits = Bitmap(words: words, count: n)
        default:
            return nil
        }
        // Matches are true; non-matches are false, or null when a constant is NULL;
        // null rows are null.
        let valid = column.isNotNull()
        let isTrue = bits & valid
        let isFalse = hasNull ? Bitmap(repeating: false, count: n) : (~bits) & valid
        return try Truth(isTrue: isTrue, isFalse: isFalse).column()
    }

    @inline(__always) static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private static func probe<T: Hashable>(_ values: [T], _ set: Set<T>) -> Bitmap {
        let n = values.count
        var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
        if set.count <= 32 {
            // A short list (up to 32): every row against every constant, branch-free.
            let list = Array(set)
            values.withUnsafeBufferPointer { v in
                list.withUnsafeBufferPointer { l in
                    for w in 0..<words.count {
                        let base = w << 6
                        let end = min(64, n - base)
                        var word: UInt64 = 0
                        for j in 0..<end {
                            // SAFETY: base + j < n.
                            let x = v[base + j]
                            var hit: UInt64 = 0
                            for c in l { hit |= x == c ? 1 : 0 }
                            word |= hit << UInt64(j)
                        }
                        words[w] = word
                    }
                }
            }
            return Bitmap(words: words, count: n)
        }
        values.withUnsafeBufferPointer { v in
            for i in 0..<n where set.contains(v[i]) { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
        }
        return Bitmap(words: words, count: n)
    }
}
