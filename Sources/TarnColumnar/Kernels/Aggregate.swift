// Aggregate: min/max and sum of one column, ignoring nulls — the numbers behind Delta
// file statistics, Parquet statistics and SQL aggregates. Must never let a NaN hide
// real values in min/max, and never wrap an integer sum silently.

// - `minMax` ignores nulls; floats ignore NaN unless every non-null value is NaN, in
//   which case both are NaN; strings and binaries order byte-wise; booleans false<true;
//   nested columns have no order here and give (.null, .null); all-null or empty → nulls.
// - `sum` is exact for integers and decimals and throws `.invalidValue` on overflow
//   (Int64 for signed, UInt64 for unsigned, Int128 unscaled for decimals); floats sum
//   in Double. No non-null values → `.null`.

extension Column {
    /// Smallest and largest non-null values, as described above. Cost: one pass.
    public func minMax() -> (min: ScalarValue, max: ScalarValue) {
        guard let (lo, hi) = minMaxIndices() else { return (.null, .null) }
        return (value(at: lo), value(at: hi))
    }

    /// Rows holding the minimum and maximum, or nil when there is no ordered value.
    func minMaxIndices() -> (Int, Int)? {
        switch storage {
        case let .boolean(bits):
            let valid = validity ?? Bitmap(repeating: true, count: count)
            let trues = bits & valid, falses = (~bits) & valid
            let firstTrue = Column.firstSet(trues), firstFalse = Column.firstSet(falses)
            switch (firstFalse, firstTrue) {
            case let (f?, t?): return (f, t)
            case let (f?, nil): return (f, f)
            case let (nil, t?): return (t, t)
            default: return nil
            }
        case let .float32(v): return Column.floatExtremes(v, validity)
        case let .float64(v): return Column.floatExtremes(v, validity)
        case let .bytes(offsets, data):
            var best: (Int, Int)? = nil
            data.withUnsafeBytes { d in
                offsets.withUnsafeBufferPointer { o in
                    // SAFETY: offsets were validated against data when the column was built.
                    func slot(_ i: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: d[Int(o[i])..<Int(o[i + 1])]) }
                    for i in 0..<count where isValid(i) {
                        guard let (lo, hi) = best else { best = (i, i); continue }
                        let s = slot(i)
                        if Column.lexicographic(s, slot(lo)) < 0 { best = (i, hi) }
                        else if Column.lexicographic(s, slot(hi)) > 0 { best = (lo, i) }
                    }
                }
            }
            return best
        case .list, .structure, .map:
            return nil
        default:
            return type.storageKind.dispatch(ExtremesFixed(storage: storage, validity: validity)) ?? nil
        }
    }

    static func firstSet(_ bits: Bitmap) -> Int? {
        for (w, word) in bits.words.enumerated() where word != 0 { return w << 6 + word.trailingZeroBitCount }
        return nil
    }

    @inline(__always)
    static func lexicographic(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    static func floatExtremes<T: BinaryFloatingPoint>(_ values: [T], _ validity: Bitmap?) -> (Int, Int)? {
        var lo = -1, hi = -1, firstNaN = -1
        // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                if let validity, !validity[i] { continue }
                let x = v[i]
                if x.isNaN {
                    if firstNaN < 0 { firstNaN = i }
                    continue
                }
                if lo < 0 { lo = i; hi = i; continue }
                if x < v[lo] { lo = i } else if x > v[hi] { hi = i }
            }
        }
        if lo >= 0 { return (lo, hi) }
        if firstNaN >= 0 { return (firstNaN, firstNaN) }
        return nil
    }

    /// Sum of the non-null values, as described above.
    public func sum() throws(ColumnarError) -> ScalarValue {
        if count - nullCount == 0 {
            guard type.isNumeric else {
                throw .typeMismatch(expected: "a numeric column", actual: "\(type)", context: "sum")
            }
            return .null
        }
        switch storage {
        case let .int8(v): return .int(try Column.signedSum(v, validity))
        case let .int16(v): return .int(try Column.signedSum(v, validity))
        case let .int32(v) where type == .int32: return .int(try Column.signedSum(v, validity))
        case let .int64(v) where type == .int64: return .int(try Column.signedSum(v, validity))
        case let .uint8(v): return .uint(try Column.unsignedSum(v, validity))
        case let .uint16(v): return .uint(try Column.unsignedSum(v, validity))
        case let .uint32(v): return .uint(try Column.unsignedSum(v, validity))
        case let .uint64(v): return .uint(try Column.unsignedSum(v, validity))
        case let .float32(v): return .float(Column.floatSum(v, validity))
        case let .float64(v): return .float(Column.floatSum(v, validity))
        case let .int128(v):
            guard case let .decimal(_, scale) = type else { break }
            var total: Int128 = 0
            for i in 0..<v.count where validity?[i] ?? true {
                let (r, overflow) = total.addingReportingOverflow(v[i])
                if overflow { throw .invalidValue("sum of \(type) column overflows 128 bits") }
                total = r
            }
            return .decimal(total, scale: scale)
        default: break
        }
        throw .typeMismatch(expected: "a numeric column", actual: "\(type)", context: "sum")
    }

    static func signedSum<T: FixedWidthInteger>(_ values: [T], _ validity: Bitmap?) throws(ColumnarError) -> Int64 {
        var total: Int64 = 0
        var overflowed = false
        // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                if let validity, !validity[i] { continue }
                let (r, o) = total.addingReportingOverflow(Int64(truncatingIfNeeded: v[i]))
                total = r
                overflowed = overflowed || o
            }
        }
        if overflowed { throw .invalidValue("sum overflows the 64-bit integer range; cast to decimal or double first") }
        return total
    }

    static func unsignedSum<T: FixedWidthInteger>(_ values: [T], _ validity: Bitmap?) throws(ColumnarError) -> UInt64 {
        var total: UInt64 = 0
        var overflowed = false
        // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                if let validity, !validity[i] { continue }
                let (r, o) = total.addingReportingOverflow(UInt64(truncatingIfNeeded: v[i]))
                total = r
                overflowed = overflowed || o
            }
        }
        if overflowed { throw .invalidValue("sum overflows the unsigned 64-bit range; cast to decimal or double first") }
        return total
    }

    static func floatSum<T: BinaryFloatingPoint>(_ values: [T], _ validity: Bitmap?) -> Double {
        var total = 0.0
        // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
        values.withUnsafeBufferPointer { v in
            for i in 0..<v.count {
                if let validity, !validity[i] { continue }
                total += Double(v[i])
            }
        }
        return total
    }
}

private struct ExtremesFixed: PrimitiveVisitor {
    let storage: ColumnStorage
    let validity: Bitmap?
    func visit<T: ColumnPrimitive>(_: T.Type) -> (Int, Int)? {
        guard let values = T.unwrap(storage) else { return nil }
        var lo = -1, hi = -1
        // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
        values.withUnsafeBufferPointer { v in
            if let validity {
                for i in 0..<v.count where validity[i] {
                    if lo < 0 { lo = i; hi = i; continue }
                    if v[i] < v[lo] { lo = i } else if v[i] > v[hi] { hi = i }
                }
            } else if !v.isEmpty {
                lo = 0; hi = 0
                var minValue = v[0], maxValue = v[0]
                for i in 1..<v.count {
                    let x = v[i]
                    if x < minValue { minValue = x; lo = i }
                    if x > maxValue { maxValue = x; hi = i }
                }
            }
        }
        return lo < 0 ? nil : (lo, hi)
    }
}
