// StatisticsDecoding: turns a column chunk's (or page's) Statistics into ColumnBounds
// with typed ScalarValues for pruning. Owns the rules on which fields may be trusted:
// min_value/max_value under a known column order; legacy min/max only where their
// signed order is the type's order. Must never return a bound that could be wrong.

import TarnColumnar

enum StatisticsDecoding {
    /// Bounds of `statistics` for a leaf, or nil when there are no statistics at all.
    /// `min`/`max` are nil when the file's values cannot be trusted or decoded.
    static func bounds(
        _ statistics: Statistics?, descriptor: ColumnDescriptor, columnOrder: ColumnOrder?, valueCount: Int
    ) -> ColumnBounds? {
        guard let statistics else { return nil }
        var minimum: ScalarValue?
        var maximum: ScalarValue?
        let orderKnown: Bool
        switch columnOrder {
        case .other: orderKnown = false
        case .int96TimestampOrder: orderKnown = descriptor.physicalType == .int96
        default: orderKnown = descriptor.physicalType != .int96
        }
        if orderKnown, let minBytes = statistics.minValue, let maxBytes = statistics.maxValue {
            minimum = value(minBytes, descriptor)
            maximum = value(maxBytes, descriptor)
        } else if statistics.minValue == nil, statistics.maxValue == nil, legacyOrderIsValid(descriptor),
                  let minBytes = statistics.min, let maxBytes = statistics.max {
            minimum = value(minBytes, descriptor)
            maximum = value(maxBytes, descriptor)
        }
        // A NaN bound says nothing; -0.0/+0.0 compare equal as doubles, so they need no fix.
        if case let .float(v)? = minimum, v.isNaN { minimum = nil }
        if case let .float(v)? = maximum, v.isNaN { maximum = nil }
        if minimum == nil || maximum == nil {
            minimum = nil
            maximum = nil
        }
        let nulls = statistics.nullCount.flatMap { $0 >= 0 ? Int($0) : nil }
        return ColumnBounds(min: minimum, max: maximum, nullCount: nulls, rowCount: valueCount)
    }

    /// Whether the deprecated `min`/`max` (written in signed order) are valid bounds.
    static func legacyOrderIsValid(_ descriptor: ColumnDescriptor) -> Bool {
        switch descriptor.physicalType {
        case .boolean, .float, .double: return true
        case .int32:
            switch descriptor.dataType {
            case .uint8, .uint16, .uint32: return false
            default: return true
            }
        case .int64:
            return descriptor.dataType != .uint64
        case .int96, .byteArray, .fixedLenByteArray:
            return false
        }
    }

    /// The PLAIN-encoded statistics value as a scalar of the leaf's type.
    static func value(_ bytes: [UInt8], _ descriptor: ColumnDescriptor) -> ScalarValue? {
        switch descriptor.physicalType {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            return .boolean(bytes[0] != 0)
        case .int32:
            guard bytes.count == 4 else { return nil }
            let v = Int32(bitPattern: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
            switch descriptor.dataType {
            case .uint8, .uint16, .uint32: return .uint(UInt64(UInt32(bitPattern: v)))
            case .date32: return .date(v)
            case let .decimal(_, scale): return .decimal(Int128(v), scale: scale)
            default: return .int(Int64(v))
            }
        case .int64:
            guard bytes.count == 8 else { return nil }
            var raw: UInt64 = 0
            for (i, b) in bytes.enumerated() { raw |= UInt64(b) << UInt64(8 * i) }
            let v = Int64(bitPattern: raw)
            switch descriptor.dataType {
            case .uint64: return .uint(raw)
            case let .decimal(_, scale): return .decimal(Int128(v), scale: scale)
            case let .timestamp(zone):
                switch descriptor.conversion {
                case let .int64Times(factor):
                    let (scaled, overflow) = v.multipliedReportingOverflow(by: factor)
                    return overflow ? nil : .timestamp(scaled, zone)
                case .int64NanosToMicros:
                    let q = v / 1000
                    return .timestamp(v % 1000 < 0 ? q - 1 : q, zone)
                default: return .timestamp(v, zone)
                }
            default: return .int(v)
            }
        case .int96:
            guard bytes.count == 12 else { return nil }
            var low: UInt64 = 0
            for i in 0..<8 { low |= UInt64(bytes[i]) << UInt64(8 * i) }
            var high: UInt32 = 0
            for i in 0..<4 { high |= UInt32(bytes[8 + i]) << UInt32(8 * i) }
            return .timestamp(Int96Timestamps.micros(low: low, high: high), .utc)
        case .float:
            guard bytes.count == 4 else { return nil }
            let bits = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
            return .float(Double(Float(bitPattern: bits)))
        case .double:
            guard bytes.count == 8 else { return nil }
            var bits: UInt64 = 0
            for (i, b) in bytes.enumerated() { bits |= UInt64(b) << UInt64(8 * i) }
            return .float(Double(bitPattern: bits))
        case .byteArray, .fixedLenByteArray:
            switch descriptor.dataType {
            case let .decimal(_, scale):
                return DecimalBytes.int128(bytes).map { .decimal($0, scale: scale) }
            case .float32:
                guard bytes.count == 2 else { return nil }
                return .float(Double(HalfFloat.float(UInt16(bytes[0]) | UInt16(bytes[1]) << 8)))
            case .string:
                if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
                return .binary(bytes)
            default:
                return .binary(bytes)
            }
        }
    }
}
