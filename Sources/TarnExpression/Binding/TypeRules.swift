// TypeRules: numeric promotion and the common type of two operands, in the manner of
// Spark and DuckDB (int + bigint → bigint, int + double → double, decimal widening).
// Must never pick a type that cannot hold both operands' values (beyond float rounding).

import TarnColumnar

enum TypeRules {
    static func bits(_ t: DataType) -> Int {
        switch t {
        case .int8, .uint8: return 8
        case .int16, .uint16: return 16
        case .int32, .uint32: return 32
        case .int64, .uint64: return 64
        default: return 0
        }
    }

    static func isUnsigned(_ t: DataType) -> Bool {
        switch t {
        case .uint8, .uint16, .uint32, .uint64: return true
        default: return false
        }
    }

    static func signed(bits: Int) -> DataType {
        switch bits {
        case ...8: return .int8
        case ...16: return .int16
        case ...32: return .int32
        default: return .int64
        }
    }

    static func unsigned(bits: Int) -> DataType {
        switch bits {
        case ...8: return .uint8
        case ...16: return .uint16
        case ...32: return .uint32
        default: return .uint64
        }
    }

    /// The decimal that holds every value of an integer type exactly.
    static func decimal(forInteger t: DataType) -> DataType {
        switch t {
        case .int8, .uint8: return .decimal(precision: 3, scale: 0)
        case .int16, .uint16: return .decimal(precision: 5, scale: 0)
        case .int32, .uint32: return .decimal(precision: 10, scale: 0)
        case .uint64: return .decimal(precision: 20, scale: 0)
        default: return .decimal(precision: 19, scale: 0)
        }
    }

    /// Precision and scale of a decimal or integer type (as a decimal).
    static func decimalShape(_ t: DataType) -> (precision: Int, scale: Int)? {
        if case let .decimal(p, s) = t { return (p, s) }
        if t.isInteger, case let .decimal(p, s) = decimal(forInteger: t) { return (p, s) }
        return nil
    }

    /// The type both numeric operands convert to without loss (floats aside).
    static func commonNumeric(_ a: DataType, _ b: DataType) -> DataType? {
        guard a.isNumeric, b.isNumeric else { return nil }
        if a == b { return a }
        if a.isFloatingPoint || b.isFloatingPoint {
            return (a == .float32 && b == .float32) ? .float32 : .float64
        }
        if case .decimal = a { return widenDecimal(a, b) }
        if case .decimal = b { return widenDecimal(a, b) }
        // Both integers.
        let ua = isUnsigned(a), ub = isUnsigned(b)
        if ua == ub { return ua ? unsigned(bits: max(bits(a), bits(b))) : signed(bits: max(bits(a), bits(b))) }
        let (u, s) = ua ? (a, b) : (b, a)
        if bits(u) == 64 { return widenDecimal(u, s) }
        return signed(bits: max(bits(s), bits(u) * 2))
    }

    static func widenDecimal(_ a: DataType, _ b: DataType) -> DataType? {
        guard let x = decimalShape(a), let y = decimalShape(b) else { return nil }
        let scale = max(x.scale, y.scale)
        let integral = max(x.precision - x.scale, y.precision - y.scale)
        return .decimal(precision: min(38, integral + scale), scale: min(scale, 38))
    }

    /// The type two operands of a comparison, CASE, IN or COALESCE convert to.
    static func common(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if let n = commonNumeric(a, b) { return n }
        switch (a, b) {
        case (.date32, .timestamp(let z)), (.timestamp(let z), .date32): return .timestamp(z)
        case (.timestamp, .timestamp): return .timestamp(.utc)
        case (.string, .date32), (.date32, .string): return .date32
        case (.string, .timestamp(let z)), (.timestamp(let z), .string): return .timestamp(z)
        case (.string, .binary), (.binary, .string): return .binary
        default: return nil
        }
    }

    /// Whether the cast kernel converts `from` to `to` (the pairs CAST accepts).
    static func canCast(_ from: DataType, _ to: DataType) -> Bool {
        if from == to { return true }
        if to == .string { return true }
        switch (from, to) {
        case (_, .boolean): return from.isNumeric && !isDecimal(from) || from == .string
        case (.boolean, _) where to.isNumeric && !isDecimal(to): return true
        case (_, _) where from.isNumeric && to.isNumeric: return true
        case (.string, _):
            switch to {
            case .boolean, .date32, .timestamp, .binary: return true
            default: return to.isNumeric
            }
        case (.timestamp, .date32), (.date32, .timestamp), (.timestamp, .timestamp): return true
        case let (.list(a), .list(b)): return canCast(a.type, b.type)
        case let (.map(k1, v1), .map(k2, v2)): return canCast(k1.type, k2.type) && canCast(v1.type, v2.type)
        case let (.structure(f1), .structure(f2)):
            return f1.count == f2.count && zip(f1, f2).allSatisfy { canCast($0.type, $1.type) }
        default: return false
        }
    }

    static func isDecimal(_ t: DataType) -> Bool {
        if case .decimal = t { return true }
        return false
    }

    /// Whether the column-vs-scalar compare kernel relates a column of `column` type to
    /// a scalar of `scalar` type exactly (so no cast is needed).
    static func kernelComparable(column: DataType, scalar: DataType) -> Bool {
        if column.isNumeric && scalar.isNumeric { return true }
        switch (column, scalar) {
        case (.date32, .date32), (.date32, .timestamp), (.timestamp, .timestamp), (.timestamp, .date32): return true
        case (.string, .string), (.binary, .binary), (.binary, .string), (.string, .binary): return true
        case (.boolean, .boolean): return true
        default: return false
        }
    }
}
