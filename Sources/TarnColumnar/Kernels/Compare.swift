// Compare: a column against one scalar, producing a selection bitmap or a three-valued
// boolean column, plus IS NULL / IS NOT NULL. Owns the exact cross-type rules (integer
// widths and signedness, int vs float, decimal rescaling, date vs timestamp, NaN order);
// must never convert values to ScalarValue per row except for nested columns.

// Semantics, shared with `ScalarValue.order` and the sort kernel:
// - integers compare exactly across widths and signedness; a fractional float or
//   decimal scalar compared with an integer column is exact (`x < 2.5` ⇔ `x <= 2`);
// - NaN equals NaN and is greater than every other number (Spark/Delta); -0.0 == 0.0;
// - strings and binaries compare byte-wise (UTF-8 byte order is code point order);
// - dates compare with timestamps at midnight UTC of the day; timestamps compare by
//   their microseconds whatever their zone (UTC and NTZ values are not converted);
// - decimals compare after rescaling to the column's scale, exactly;
// - nested columns support only `=` and `!=` (row values as scalars, the slow path).

/// Where a scalar falls in the domain of a column's (integer-like) element type.
private enum ScalarPosition<T> {
    case below
    case above
    case exact(T)
    /// Strictly between `T` and the next value of `T`.
    case between(T)
}

/// A scalar comparison reduced to the column's own element type.
private enum ResolvedComparison<T> {
    case constant(Bool)
    case compare(ComparisonOperator, T)
}

private func resolve<T>(_ op: ComparisonOperator, _ position: ScalarPosition<T>) -> ResolvedComparison<T> {
    switch position {
    case .below:
        switch op {
        case .equal, .less, .lessOrEqual: return .constant(false)
        case .notEqual, .greater, .greaterOrEqual: return .constant(true)
        }
    case .above:
        switch op {
        case .equal, .greater, .greaterOrEqual: return .constant(false)
        case .notEqual, .less, .lessOrEqual: return .constant(true)
        }
    case let .exact(c):
        return .compare(op, c)
    case let .between(floor):
        switch op {
        case .equal: return .constant(false)
        case .notEqual: return .constant(true)
        case .less, .lessOrEqual: return .compare(.lessOrEqual, floor)
        case .greater, .greaterOrEqual: return .compare(.greater, floor)
        }
    }
}

/// Position of a value known in Int128 (exact or between floor and floor+1) inside T's range.
private func narrow<T: FixedWidthInteger>(_ position: ScalarPosition<Int128>, to _: T.Type) -> ScalarPosition<T> {
    let lo = Int128(T.min), hi = Int128(T.max)
    switch position {
    case .below: return .below
    case .above: return .above
    case let .exact(c):
        if c < lo { return .below }
        if c > hi { return .above }
        return .exact(T(truncatingIfNeeded: c))
    case let .between(f):
        if f < lo { return .below }
        if f >= hi { return .above }
        return .between(T(truncatingIfNeeded: f))
    }
}

/// Floor division with its exactness, as a position.
private func divide(_ value: Int128, by divisor: Int128) -> ScalarPosition<Int128> {
    let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    if r == 0 { return .exact(q) }
    return .between(value < 0 ? q - 1 : q)
}

/// Position of a double in the integer domain (NaN is above every number).
private func position(ofDouble d: Double) -> ScalarPosition<Int128> {
    if d.isNaN { return .above }
    if d == .infinity { return .above }
    if d == -.infinity { return .below }
    let limit = 1.7e38  // inside Int128's range
    if d >= limit { return .above }
    if d <= -limit { return .below }
    let f = d.rounded(.down)
    return f == d ? .exact(Int128(f)) : .between(Int128(f))
}

/// Position of a scalar in the unscaled domain of a decimal (or integer, scale 0) column.
private func position(of scalar: ScalarValue, scale: Int, column type: DataType) throws(ColumnarError) -> ScalarPosition<Int128> {
    func scaled(_ v: Int128, _ from: Int) -> ScalarPosition<Int128> {
        if from == scale { return .exact(v) }
        if from > scale { return divide(v, by: pow10(from - scale)) }
        let (r, overflow) = v.multipliedReportingOverflow(by: pow10(scale - from))
        if overflow { return v < 0 ? .below : .above }
        return .exact(r)
    }
    switch scalar {
    case let .int(v): return scaled(Int128(v), 0)
    case let .uint(v): return scaled(Int128(v), 0)
    case let .decimal(v, s): return scaled(v, s)
    case let .float(d):
        return position(ofDouble: scale == 0 ? d : d * Double(pow10(scale)))
    default:
        throw .typeMismatch(expected: "\(type)", actual: "\(scalar)", context: "comparison")
    }
}

private let microsPerDay: Int128 = 86_400_000_000

/// Sets bit i where `predicate(i)`, 64 rows per word.
@inline(__always)
private func makeBits(_ n: Int, _ predicate: (Int) -> Bool) -> Bitmap {
    let wordCount = (n + 63) >> 6
    let words = [UInt64](unsafeUninitializedCapacity: wordCount) { buffer, initialized in
        for w in 0..<wordCount {
            let base = w << 6
            let end = min(64, n - base)
            var word: UInt64 = 0
            // Branch-free: a data-dependent `if` mispredicts about half the time on
            // unsorted values (e.g. `f > 0` over random floats), which dominated the kernel.
            // (A Bool's bit pattern is 0 or 1; a `? 1 : 0` is lowered to a branch again.)
            for j in 0..<end {
                word |= UInt64(unsafeBitCast(predicate(base &+ j), to: UInt8.self)) &<< UInt64(truncatingIfNeeded: j)
            }
            buffer[w] = word
        }
        initialized = wordCount
    }
    return Bitmap(words: words, count: n)
}

private func compareValues<T: Comparable>(_ values: [T], _ op: ComparisonOperator, _ c: T) -> Bitmap {
    // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
    values.withUnsafeBufferPointer { v in
        switch op {
        case .equal: return makeBits(v.count) { v[$0] == c }
        case .notEqual: return makeBits(v.count) { v[$0] != c }
        case .less: return makeBits(v.count) { v[$0] < c }
        case .lessOrEqual: return makeBits(v.count) { v[$0] <= c }
        case .greater: return makeBits(v.count) { v[$0] > c }
        case .greaterOrEqual: return makeBits(v.count) { v[$0] >= c }
        }
    }
}

private func compareResolved<T: Comparable>(_ values: [T], _ resolved: ResolvedComparison<T>) -> Bitmap {
    switch resolved {
    case let .constant(b): return Bitmap(repeating: b, count: values.count)
    case let .compare(op, c): return compareValues(values, op, c)
    }
}

private func compareIntegers<T: FixedWidthInteger & ColumnPrimitive>(
    _ values: [T], _ op: ComparisonOperator, _ position: ScalarPosition<Int128>
) -> Bitmap {
    compareResolved(values, resolve(op, narrow(position, to: T.self)))
}

/// Float comparison with NaN equal to NaN and above every other value.
private func compareFloats<T: BinaryFloatingPoint>(_ values: [T], _ op: ComparisonOperator, _ d: Double) -> Bitmap {
    // SAFETY: indices run over 0..<buffer.count (validity, when present, has the same length).
    values.withUnsafeBufferPointer { v in
        if d.isNaN {
            switch op {
            case .equal, .greaterOrEqual: return makeBits(v.count) { v[$0].isNaN }
            case .notEqual, .less: return makeBits(v.count) { !v[$0].isNaN }
            case .lessOrEqual: return Bitmap(repeating: true, count: v.count)
            case .greater: return Bitmap(repeating: false, count: v.count)
            }
        }
        switch op {
        case .equal: return makeBits(v.count) { Double(v[$0]) == d }
        case .notEqual: return makeBits(v.count) { Double(v[$0]) != d }
        case .less: return makeBits(v.count) { Double(v[$0]) < d }
        case .lessOrEqual: return makeBits(v.count) { Double(v[$0]) <= d }
        // NaN sorts above every number: `!(x <= d)` is `x > d || x.isNaN` without a branch.
        case .greater: return makeBits(v.count) { !(Double(v[$0]) <= d) }
        case .greaterOrEqual: return makeBits(v.count) { !(Double(v[$0]) < d) }
        }
    }
}

@inline(__always)
private func bytesOrder(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
    return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
}

extension Column {
    /// Rows where `value op scalar` is true; null rows (and every row when the scalar
    /// is `.null`) are not set. Use `compareThreeValued` when false and null must differ.
    /// Throws `.typeMismatch` when the scalar's kind cannot be compared with the column.
    public func compare(_ op: ComparisonOperator, _ scalar: ScalarValue) throws(ColumnarError) -> Bitmap {
        if scalar == .null { return Bitmap(repeating: false, count: count) }
        let raw = try compareIgnoringNulls(op, scalar)
        if let validity { return raw & validity }
        return raw
    }

    /// `value op scalar` as a boolean column for SQL three-valued logic: null where
    /// the row is null or the scalar is `.null`, else true/false (null slots hold false).
    public func compareThreeValued(_ op: ComparisonOperator, _ scalar: ScalarValue) throws(ColumnarError) -> Column {
        if scalar == .null {
            return .make(.boolean, count: count, validity: Bitmap(repeating: false, count: count),
                         storage: .boolean(Bitmap(repeating: false, count: count)))
        }
        var bits = try compareIgnoringNulls(op, scalar)
        if let validity { bits = bits & validity }
        return .make(.boolean, count: count, validity: validity, storage: .boolean(bits))
    }

    /// Rows that are null.
    public func isNull() -> Bitmap {
        guard let validity else { return Bitmap(repeating: false, count: count) }
        return ~validity
    }

    /// Rows that are not null.
    public func isNotNull() -> Bitmap {
        validity ?? Bitmap(repeating: true, count: count)
    }

    /// The comparison for every row as if none were null (null slots arbitrary).
    private func compareIgnoringNulls(_ op: ComparisonOperator, _ scalar: ScalarValue) throws(ColumnarError) -> Bitmap {
        let mismatch = ColumnarError.typeMismatch(expected: "\(type)", actual: "\(scalar)", context: "comparison")
        switch (type, storage) {
        case let (.boolean, .boolean(bits)):
            guard case let .boolean(b) = scalar else { throw mismatch }
            let all = Bitmap(repeating: true, count: count), none = Bitmap(repeating: false, count: count)
            switch op {
            case .equal: return b ? bits : ~bits
            case .notEqual: return b ? ~bits : bits
            case .less: return b ? ~bits : none
            case .lessOrEqual: return b ? all : ~bits
            case .greater: return b ? none : bits
            case .greaterOrEqual: return b ? bits : all
            }
        case let (.date32, .int32(days)):
            let p: ScalarPosition<Int128>
            switch scalar {
            case let .date(d): p = .exact(Int128(d))
            case let .timestamp(t, _): p = divide(Int128(t), by: microsPerDay)
            default: throw mismatch
            }
            return compareIntegers(days, op, p)
        case let (.timestamp, .int64(micros)):
            let p: ScalarPosition<Int128>
            switch scalar {
            case let .timestamp(t, _): p = .exact(Int128(t))
            case let .date(d): p = .exact(Int128(d) * microsPerDay)
            default: throw mismatch
            }
            return compareIntegers(micros, op, p)
        case let (.decimal(_, scale), .int128(values)):
            return compareResolved(values, resolve(op, try position(of: scalar, scale: scale, column: type)))
        case let (_, .int8(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .int16(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .int32(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .int64(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .uint8(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .uint16(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .uint32(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .uint64(v)): return compareIntegers(v, op, try position(of: scalar, scale: 0, column: type))
        case let (_, .float32(v)): return compareFloats(v, op, try Column.double(scalar, or: mismatch))
        case let (_, .float64(v)): return compareFloats(v, op, try Column.double(scalar, or: mismatch))
        case let (_, .bytes(offsets, data)):
            let needle: [UInt8]
            switch scalar {
            case let .string(s): needle = Array(s.utf8)
            case let .binary(b): needle = b
            default: throw mismatch
            }
            return needle.withUnsafeBytes { n in
                data.withUnsafeBytes { d in
                    offsets.withUnsafeBufferPointer { o in
                        // SAFETY: offsets were validated against data when the column was built.
                        makeBits(count) { i in
                            Column.satisfies(bytesOrder(UnsafeRawBufferPointer(rebasing: d[Int(o[i])..<Int(o[i + 1])]), n), op)
                        }
                    }
                }
            }
        case (_, .list), (_, .structure), (_, .map):
            guard op == .equal || op == .notEqual else {
                throw .typeMismatch(expected: "= or !=", actual: op.rawValue, context: "comparison of \(type)")
            }
            return makeBits(count) { i in (value(at: i) == scalar) == (op == .equal) }
        default:
            throw mismatch
        }
    }

    private static func double(_ scalar: ScalarValue, or mismatch: ColumnarError) throws(ColumnarError) -> Double {
        switch scalar {
        case let .float(d): return d
        case let .int(v): return Double(v)
        case let .uint(v): return Double(v)
        case let .decimal(v, s): return Double(v) / Double(pow10(s))
        default: throw mismatch
        }
    }
}
