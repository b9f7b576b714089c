// InListKernels: `x IN (constants)` by hashing the constants once and probing each row —
// for long lists on integer and string columns. Must give exactly the three-valued
// answer of OR-ing equalities (a NULL constant makes non-matches NULL).

import TarnColumnar

enum InListKernels {
    /// The answer for a column against constants, or nil when this path does not apply
    /// (short lists, other types: the caller ORs equality comparisons).
    static func hashed(_ column: Column, _ constants: [ScalarValue]) throws(ExpressionError) -> Column? {
        guard constants.count >= 4 else { return nil }
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
        case let .bytes(offsets, data) where column.type == .string:
            var set = Set<[UInt8]>()
            for c in constants {
                switch c {
                case let .string(s): set.insert(Array(s.utf8))
                case .null: break
                default: return nil
                }
            }
            var writer = Bitmap()
            writer.reserveCapacity(n)
            data.withUnsafeBufferPointer { d in
                for i in 0..<n {
                    // SAFETY: offsets were validated against data when the column was built.
                    let slice = Array(d[Int(offsets[i])..<Int(offsets[i + 1])])
                    writer.append(set.contains(slice))
                }
            }
            bits = writer
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

    private static func probe<T: Hashable>(_ values: [T], _ set: Set<T>) -> Bitmap {
        var out = Bitmap()
        out.reserveCapacity(values.count)
        values.withUnsafeBufferPointer { v in
            for x in v { out.append(set.contains(x)) }
        }
        return out
    }
}
