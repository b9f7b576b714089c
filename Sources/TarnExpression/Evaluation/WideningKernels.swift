// WideningKernels: the lossless numeric conversions that implicit casts insert (int32 →
// int64, integers → double, float → double) as straight vectorizable loops. Must only
// take conversions that cannot fail; everything else goes to the cast kernel.

import TarnColumnar

enum WideningKernels {
    /// `column` converted to `target` when the conversion is a plain widening, else nil.
    static func widen(_ column: Column, to target: DataType) throws(ExpressionError) -> Column? {
        switch (column.storage, target) {
        case let (.int32(v), .int64) where column.type == .int32: return try build(v, target, column) { Int64($0) }
        case let (.int16(v), .int64): return try build(v, target, column) { Int64($0) }
        case let (.int8(v), .int64): return try build(v, target, column) { Int64($0) }
        case let (.int16(v), .int32): return try build(v, target, column) { Int32($0) }
        case let (.int8(v), .int32): return try build(v, target, column) { Int32($0) }
        case let (.int64(v), .float64) where column.type == .int64: return try build(v, target, column) { Double($0) }
        case let (.int32(v), .float64) where column.type == .int32: return try build(v, target, column) { Double($0) }
        case let (.int16(v), .float64): return try build(v, target, column) { Double($0) }
        case let (.int8(v), .float64): return try build(v, target, column) { Double($0) }
        case let (.float32(v), .float64): return try build(v, target, column) { Double($0) }
        default: return nil
        }
    }

    private static func build<S, D: ColumnPrimitive>(_ source: [S], _ target: DataType, _ column: Column, _ convert: (S) -> D) throws(ExpressionError) -> Column {
        let n = source.count
        let out = [D](unsafeUninitializedCapacity: n) { buffer, initialized in
            // SAFETY: the output has capacity n and the source n elements.
            source.withUnsafeBufferPointer { s in
                for i in 0..<n { buffer[i] = convert(s[i]) }
            }
            initialized = n
        }
        return try makeColumn(target, count: n, validity: column.validity, storage: D.wrap(out))
    }
}
