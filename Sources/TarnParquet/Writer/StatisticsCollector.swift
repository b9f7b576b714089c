// StatisticsCollector: min/max/null-count rules of the writer — scans of typed values,
// byte-wise bounds, truncation of long byte values, the Thrift `Statistics` and the
// `ScalarValue` bounds handed to the Delta layer. Must never decide an order other than
// the column's TYPE_DEFINED_ORDER (signed, unsigned, NaN-aware float, byte-wise).

import TarnColumnar

/// Min and max of one page or chunk, PLAIN-encoded (no length prefix for byte arrays).
struct EncodedBounds: Sendable, Equatable {
    var min: [UInt8]
    var max: [UInt8]
    var minIsExact = true
    var maxIsExact = true
}

/// Min/max scans over typed buffers. Each returns nil when no value takes part.
enum MinMaxScan {
    /// Integers in their own order (signed for IntN, unsigned for UIntN).
    @inline(__always)
    static func integers<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>) -> (min: T, max: T)? {
        guard !values.isEmpty else { return nil }
        var low = T.max, high = T.min
        for value in values {
            low = value < low ? value : low
            high = value > high ? value : high
        }
        return (low, high)
    }

    /// Floats with NaN left out (comparisons with NaN are false, so NaN never replaces a
    /// bound); nil when every value is NaN. Zeros are reported as -0.0 (min) and +0.0 (max).
    /// Starting from (+inf, -inf), any non-NaN value (infinities included) leaves
    /// low <= high, so low > high means no value took part.
    @inline(__always)
    static func floats<T: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<T>) -> (min: T, max: T)? {
        var low = T.infinity, high = -T.infinity
        for value in values {
            low = value < low ? value : low
            high = value > high ? value : high
        }
        guard low <= high else { return nil }
        return (low == 0 ? -T(0) : low, high == 0 ? T(0) : high)
    }
}

/// Thrift statistics and scalar bounds from encoded bounds.
enum StatisticsCollector {
    /// Byte-array bounds longer than this are truncated (min: a prefix; max: a prefix
    /// incremented past every value with that prefix), and marked inexact.
    static let maxBoundLength = 64

    /// The `Statistics` of a page or chunk. `min_value`/`max_value` always; the legacy
    /// `min`/`max` only for signed-order types, where their old order was right.
    static func statistics(_ bounds: EncodedBounds?, nullCount: Int, order: ValueOrder) -> Statistics {
        var statistics = Statistics(nullCount: Int64(nullCount))
        guard let bounds else { return statistics }
        statistics.minValue = bounds.min
        statistics.maxValue = bounds.max
        if !bounds.minIsExact { statistics.isMinValueExact = false }
        if !bounds.maxIsExact { statistics.isMaxValueExact = false }
        if order == .signed || order == .float {
            statistics.min = bounds.min
            statistics.max = bounds.max
        }
        return statistics
    }

    /// Little-endian PLAIN bytes of a fixed-width value.
    @inline(__always)
    static func plainBytes<T>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// Bounds of byte values: exact when short, truncated to `maxBoundLength` otherwise.
    /// Returns nil when the max cannot be truncated to a valid upper bound (all 0xFF).
    static func byteBounds(min: UnsafeRawBufferPointer, max: UnsafeRawBufferPointer, isString: Bool) -> EncodedBounds? {
        var bounds = EncodedBounds(min: Array(min), max: Array(max))
        if min.count > maxBoundLength {
            bounds.min = truncatedLowerBound(Array(min), isString: isString)
            bounds.minIsExact = false
        }
        if max.count > maxBoundLength {
            guard let upper = truncatedUpperBound(Array(max), isString: isString) else { return nil }
            bounds.max = upper
            bounds.maxIsExact = false
        }
        return bounds
    }

    /// A prefix of at most `maxBoundLength` bytes, cut at a UTF-8 character boundary for strings.
    static func truncatedLowerBound(_ value: [UInt8], isString: Bool) -> [UInt8] {
        var cut = maxBoundLength
        if isString {
            // Back up over continuation bytes (10xxxxxx) so no character is split.
            while cut > 0 && value[cut] & 0xC0 == 0x80 { cut -= 1 }
        }
        return Array(value[..<cut])
    }

    /// The smallest short value greater than every value starting with the truncated
    /// prefix: the prefix with its last byte (or, for strings, last character) incremented.
    static func truncatedUpperBound(_ value: [UInt8], isString: Bool) -> [UInt8]? {
        if isString {
            var scalars = Array(String(decoding: truncatedLowerBound(value, isString: true), as: UTF8.self).unicodeScalars)
            while let last = scalars.popLast() {
                var next = last.value + 1
                if next == 0xD800 { next = 0xE000 }  // skip the surrogate range
                if let scalar = Unicode.Scalar(next) {
                    scalars.append(scalar)
                    var text = String()
                    text.unicodeScalars.append(contentsOf: scalars)
                    return Array(text.utf8)
                }
            }
            return nil
        }
        var prefix = Array(value[..<maxBoundLength])
        while let last = prefix.popLast() {
            if last < 0xFF {
                prefix.append(last + 1)
                return prefix
            }
        }
        return nil
    }

    // MARK: Scalar bounds for the Delta layer

    /// The scalar of a PLAIN-encoded bound of `leaf`, in the leaf's logical type.
    static func scalar(_ bytes: [UInt8], leaf: WriterLeaf) -> ScalarValue? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var value: T = 0
            for (k, byte) in bytes.enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * k) }
            return value
        }
        switch leaf.dataType {
        case .boolean:
            return bytes.first.map { .boolean($0 != 0) }
        case .int8, .int16, .int32:
            return load(Int32.self).map { .int(Int64($0)) }
        case .uint8, .uint16, .uint32:
            return load(UInt32.self).map { .uint(UInt64($0)) }
        case .int64:
            return load(Int64.self).map { .int($0) }
        case .uint64:
            return load(UInt64.self).map { .uint($0) }
        case .float32:
            return load(UInt32.self).map { .float(Double(Float(bitPattern: $0))) }
        case .float64:
            return load(UInt64.self).map { .float(Double(bitPattern: $0)) }
        case .date32:
            return load(Int32.self).map { .date($0) }
        case let .timestamp(zone):
            return load(Int64.self).map { .timestamp($0, zone) }
        case let .decimal(precision, scale):
            if precision <= 9 { return load(Int32.self).map { .decimal(Int128($0), scale: scale) } }
            if precision <= 18 { return load(Int64.self).map { .decimal(Int128($0), scale: scale) } }
            guard let first = bytes.first else { return nil }
            var value: Int128 = first >= 0x80 ? -1 : 0
            for byte in bytes { value = (value << 8) | Int128(byte) }
            return .decimal(value, scale: scale)
        case .string:
            return .string(String(decoding: bytes, as: UTF8.self))
        case .binary:
            return .binary(bytes)
        case .list, .structure, .map:
            return nil
        }
    }

    /// Merges two bounds of the same leaf (row groups of one file) with `ScalarValue.order`.
    /// A part whose values are all null (no min/max, null count = row count) does not
    /// widen the bounds; any other part without min/max makes them unknown.
    static func merge(_ a: ColumnBounds, _ b: ColumnBounds) -> ColumnBounds {
        func allNull(_ x: ColumnBounds) -> Bool {
            x.min == nil && x.max == nil && x.nullCount != nil && x.nullCount == x.rowCount
        }
        func pick(_ x: ScalarValue?, _ y: ScalarValue?, wantMin: Bool) -> ScalarValue? {
            guard let x, let y else { return nil }
            guard let order = ScalarValue.order(x, y) else { return nil }
            return (order <= 0) == wantMin ? x : y
        }
        let nulls: Int? = (a.nullCount != nil && b.nullCount != nil) ? (a.nullCount ?? 0) + (b.nullCount ?? 0) : nil
        let rows: Int? = (a.rowCount != nil && b.rowCount != nil) ? (a.rowCount ?? 0) + (b.rowCount ?? 0) : nil
        if allNull(a) { return ColumnBounds(min: b.min, max: b.max, nullCount: nulls, rowCount: rows) }
        if allNull(b) { return ColumnBounds(min: a.min, max: a.max, nullCount: nulls, rowCount: rows) }
        return ColumnBounds(min: pick(a.min, b.min, wantMin: true), max: pick(a.max, b.max, wantMin: false),
                            nullCount: nulls, rowCount: rows)
    }
}
