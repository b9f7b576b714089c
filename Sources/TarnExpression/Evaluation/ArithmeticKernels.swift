// Arithmetic kernels: + - * / % over whole columns (or a column and a constant) for
// integers, floats and decimals, with validity combined once. Must never wrap silently:
// integer and decimal overflow and division by zero are errors naming the row, checked
// only on rows that are not null.

import TarnColumnar

/// Outcome flags of one row of a kernel.
private let ok: UInt8 = 0
private let overflowed: UInt8 = 1
private let dividedByZero: UInt8 = 2

/// One side of a fixed-width kernel: a buffer or a constant.
enum NumericSide<T> {
    case array([T])
    case scalar(T)
}

enum ArithmeticKernels {
    /// Applies `f` row by row. `f` returns the result and a flag; a non-zero flag on a
    /// valid row fails the whole operation with an error naming that row.
    @inline(__always)
    static func run<T: ColumnPrimitive, R: ColumnPrimitive>(
        _ x: NumericSide<T>, _ y: NumericSide<T>, count n: Int, validity: Bitmap?, what: String,
        _ f: (T, T) -> (R, UInt8)
    ) throws(ExpressionError) -> [R] {
        // The loops only OR the flags together (no branch per row, so they vectorize);
        // when any flag is set, a second pass finds the first valid row that failed.
        var anyFlag: UInt8 = ok
        let out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
            // SAFETY: every buffer read below has n elements (the caller built the
            // sides from columns of n rows), and the output has capacity n.
            switch (x, y) {
            case let (.array(a), .array(b)):
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        for i in 0..<n {
                            let (r, flag) = f(ap[i], bp[i])
                            buffer[i] = r
                            anyFlag |= flag
                        }
                    }
                }
            case let (.array(a), .scalar(s)):
                a.withUnsafeBufferPointer { ap in
                    for i in 0..<n {
                        let (r, flag) = f(ap[i], s)
                        buffer[i] = r
                        anyFlag |= flag
                    }
                }
            case let (.scalar(s), .array(b)):
                b.withUnsafeBufferPointer { bp in
                    for i in 0..<n {
                        let (r, flag) = f(s, bp[i])
                        buffer[i] = r
                        anyFlag |= flag
                    }
                }
            case let (.scalar(s), .scalar(t)):
                let (r, flag) = f(s, t)
                for i in 0..<n { buffer[i] = r }
                if n > 0 { anyFlag = flag }
            }
            initialized = n
        }
        if anyFlag != ok {
            for i in 0..<n where validity.map({ $0[i] }) ?? true {
                let flag: UInt8
                switch (x, y) {
                case let (.array(a), .array(b)): flag = f(a[i], b[i]).1
                case let (.array(a), .scalar(s)): flag = f(a[i], s).1
                case let (.scalar(s), .array(b)): flag = f(s, b[i]).1
                case let (.scalar(s), .scalar(t)): flag = f(s, t).1
                }
                if flag != ok {
                    let problem = flag == dividedByZero ? "division by zero" : "\(what) overflow"
                    throw ExpressionError(.evaluation, "\(problem) at row \(i)")
                }
            }
        }
        return out
    }

    /// A side of type T from an operand (nil for a null constant).
    static func side<T: ColumnPrimitive>(_ operand: Operand, _: T.Type) throws(ExpressionError) -> NumericSide<T>? {
        switch operand {
        case let .column(c):
            guard let values = T.unwrap(c.storage) else {
                throw ExpressionError(.evaluation, "internal: \(c.type.sqlName) column is not stored as \(T.self)")
            }
            return .array(values)
        case let .scalar(value, type):
            if value == .null { return nil }
            guard let v = scalarValue(value, T.self) else {
                throw ExpressionError(.evaluation, "internal: constant \(value) does not fit \(type.sqlName)")
            }
            return .scalar(v)
        }
    }

    static func scalarValue<T: ColumnPrimitive>(_ value: ScalarValue, _: T.Type) -> T? {
        let column: Column?
        switch value {
        case let .int(v): column = try? Column(.int64, values: [v])
        case let .uint(v): column = try? Column(.uint64, values: [v])
        case let .float(v): column = try? Column(.float64, values: [v])
        case let .date(v): column = try? Column(.int32, values: [v])
        case let .timestamp(v, _): column = try? Column(.int64, values: [v])
        case let .decimal(v, _): return v as? T
        case let .boolean(b): return (b ? 1 : 0) as? T
        default: column = nil
        }
        guard let column else { return nil }
        if let direct = T.unwrap(column.storage)?.first { return direct }
        let target: DataType
        switch T.storageKind {
        case .int8: target = .int8
        case .int16: target = .int16
        case .int32: target = .int32
        case .int64: target = .int64
        case .uint8: target = .uint8
        case .uint16: target = .uint16
        case .uint32: target = .uint32
        case .uint64: target = .uint64
        case .float32: target = .float32
        case .float64: target = .float64
        default: return nil
        }
        return (try? column.cast(to: target)).flatMap { T.unwrap($0.storage)?.first }
    }

    static func validity(_ a: Operand, _ b: Operand) -> Bitmap? {
        var v: Bitmap? = nil
        if case let .column(c) = a { v = c.validity }
        if case let .column(c) = b { v = combinedValidity(v, c.validity) }
        return v
    }

    /// Result operand from a buffer (a constant when both inputs were constants).
    static func result<R: ColumnPrimitive>(_ values: [R], _ type: DataType, validity: Bitmap?, count: Int, constant: Bool) throws(ExpressionError) -> Operand {
        if constant {
            let column = try makeColumn(type, count: values.count, validity: nil, storage: R.wrap(values))
            return .scalar(values.isEmpty ? .null : column.value(at: 0), type)
        }
        return .column(try makeColumn(type, count: count, validity: validity, storage: R.wrap(values)))
    }

    // MARK: - Integers

    static func integer<T: FixedWidthInteger & ColumnPrimitive>(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _: T.Type, type: DataType, count: Int) throws(ExpressionError) -> Operand {
        guard let x = try side(a, T.self), let y = try side(b, T.self) else { return .scalar(.null, type) }
        let constant = isConstant(x) && isConstant(y)
        let n = constant ? 1 : count
        let v = validity(a, b)
        let values: [T]
        switch op {
        case .add: values = try run(x, y, count: n, validity: v, what: "integer") { p, q in let (r, o) = p.addingReportingOverflow(q); return (r, o ? overflowed : ok) }
        case .subtract: values = try run(x, y, count: n, validity: v, what: "integer") { p, q in let (r, o) = p.subtractingReportingOverflow(q); return (r, o ? overflowed : ok) }
        case .multiply: values = try run(x, y, count: n, validity: v, what: "integer") { p, q in let (r, o) = p.multipliedReportingOverflow(by: q); return (r, o ? overflowed : ok) }
        case .modulo:
            values = try run(x, y, count: n, validity: v, what: "integer") { p, q in
                if q == 0 { return (0, dividedByZero) }
                let (r, o) = p.remainderReportingOverflow(dividingBy: q)
                return (o ? 0 : r, ok)
            }
        case .divide:
            values = try run(x, y, count: n, validity: v, what: "integer") { p, q in
                if q == 0 { return (0, dividedByZero) }
                let (r, o) = p.dividedReportingOverflow(by: q)
                return (r, o ? overflowed : ok)
            }
        default:
            throw ExpressionError(.evaluation, "internal: \(op.rawValue) is not arithmetic")
        }
        return try result(values, type, validity: v, count: count, constant: constant)
    }

    static func isConstant<T>(_ side: NumericSide<T>) -> Bool {
        if case .scalar = side { return true }
        return false
    }

    // MARK: - Floats

    static func float<T: BinaryFloatingPoint & ColumnPrimitive>(_ op: BinaryOperator, _ a: Operand, _ b: Operand, _: T.Type, type: DataType, count: Int) throws(ExpressionError) -> Operand {
        guard let x = try side(a, T.self), let y = try side(b, T.self) else { return .scalar(.null, type) }
        let constant = isConstant(x) && isConstant(y)
        let n = constant ? 1 : count
        let v = validity(a, b)
        let values: [T]
        switch op {
        case .add: values = try run(x, y, count: n, validity: v, what: "float") { p, q in (p + q, ok) }
        case .subtract: values = try run(x, y, count: n, validity: v, what: "float") { p, q in (p - q, ok) }
        case .multiply: values = try run(x, y, count: n, validity: v, what: "float") { p, q in (p * q, ok) }
        case .divide: values = try run(x, y, count: n, validity: v, what: "float") { p, q in q == 0 ? (0, dividedByZero) : (p / q, ok) }
        case .modulo:
            values = try run(x, y, count: n, validity: v, what: "float") { p, q in
                q == 0 ? (0, dividedByZero) : (p.truncatingRemainder(dividingBy: q), ok)
            }
        default:
            throw ExpressionError(.evaluation, "internal: \(op.rawValue) is not arithmetic")
        }
        return try result(values, type, validity: v, count: count, constant: constant)
    }

    // MARK: - Decimals

    /// Decimal arithmetic on unscaled Int128 values. For + - % both operands have the
    /// result's scale; for * the scales add; for / the result scale is `type`'s.
    static func decimal(_ op: BinaryOperator, _ a: Operand, _ b: Operand, type: DataType, count: Int) throws(ExpressionError) -> Operand {
        guard case let .decimal(precision, scale) = type,
              case let .decimal(precisionA, scaleA) = a.type, case let .decimal(precisionB, scaleB) = b.type else {
            throw ExpressionError(.evaluation, "internal: decimal arithmetic on \(a.type.sqlName) and \(b.type.sqlName)")
        }
        guard let x = try side(a, Int128.self), let y = try side(b, Int128.self) else { return .scalar(.null, type) }
        let constant = isConstant(x) && isConstant(y)
        let n = constant ? 1 : count
        let v = validity(a, b)
        let limit = pow10(precision)
        let values: [Int128]
        // When the operands' declared precisions bound the result inside the result
        // type, no row can overflow: skip the checks (operands of at most 18 digits
        // multiply as 64-bit values into a 128-bit product).
        let boundedSum = max(precisionA, precisionB) + 1 <= precision && precision <= 38
        let boundedProduct = precisionA + precisionB <= precision && precision <= 38
        switch op {
        case .add where boundedSum:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in (p &+ q, ok) }
        case .subtract where boundedSum:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in (p &- q, ok) }
        case .multiply where boundedProduct && precisionA <= 18 && precisionB <= 18:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                let wide = Int64(truncatingIfNeeded: p).multipliedFullWidth(by: Int64(truncatingIfNeeded: q))
                return (Int128(wide.high) << 64 | Int128(wide.low), ok)
            }
        case .multiply where boundedProduct:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in (p &* q, ok) }
        case .add:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                let (r, o) = p.addingReportingOverflow(q)
                return (r, o || r.magnitude >= limit.magnitude ? overflowed : ok)
            }
        case .subtract:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                let (r, o) = p.subtractingReportingOverflow(q)
                return (r, o || r.magnitude >= limit.magnitude ? overflowed : ok)
            }
        case .multiply:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                let (r, o) = p.multipliedReportingOverflow(by: q)
                return (r, o || r.magnitude >= limit.magnitude ? overflowed : ok)
            }
        case .modulo:
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                if q == 0 { return (0, dividedByZero) }
                let (r, o) = p.remainderReportingOverflow(dividingBy: q)
                return (o ? 0 : r, ok)
            }
        case .divide:
            // result = p / 10^scaleA ÷ q / 10^scaleB at `scale`:
            // unscaled = p * 10^(scale - scaleA + scaleB) / q, rounded half away from zero.
            let shift = scale - scaleA + scaleB
            let up = pow10(max(0, shift)), down = pow10(max(0, -shift))
            values = try run(x, y, count: n, validity: v, what: "decimal") { p, q in
                if q == 0 { return (0, dividedByZero) }
                let (numerator, o) = p.multipliedReportingOverflow(by: up)
                if o { return (0, overflowed) }
                let (divisor, o2) = q.multipliedReportingOverflow(by: down)
                if o2 { return (0, overflowed) }
                // Only Int128.min / -1 overflows a division; no decimal value is Int128.min.
                if numerator == Int128.min && divisor == -1 { return (0, overflowed) }
                let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor)
                var r = quotient
                if remainder.magnitude * 2 >= divisor.magnitude { r += (numerator < 0) == (divisor < 0) ? 1 : -1 }
                return (r, r.magnitude >= limit.magnitude ? overflowed : ok)
            }
        default:
            throw ExpressionError(.evaluation, "internal: \(op.rawValue) is not arithmetic")
        }
        return try result(values, type, validity: v, count: count, constant: constant)
    }

    // MARK: - Absolute value

    /// |x| for integers (|min| overflows) and decimals.
    static func absolute(_ x: Operand, type: DataType, count: Int) throws(ExpressionError) -> Operand {
        func run<T: FixedWidthInteger & ColumnPrimitive>(_: T.Type) throws(ExpressionError) -> Operand {
            guard let side = try side(x, T.self) else { return .scalar(.null, type) }
            let constant = isConstant(side)
            let v = validity(x, x)
            let values: [T] = try ArithmeticKernels.run(side, .scalar(T.zero), count: constant ? 1 : count, validity: v, what: "integer") { p, _ in
                if p >= 0 { return (p, ok) }
                let (r, o) = T.zero.subtractingReportingOverflow(p)
                return (r, o ? overflowed : ok)
            }
            return try result(values, type, validity: v, count: count, constant: constant)
        }
        switch type {
        case .int8: return try run(Int8.self)
        case .int16: return try run(Int16.self)
        case .int32: return try run(Int32.self)
        case .int64: return try run(Int64.self)
        case .uint8, .uint16, .uint32, .uint64: return x
        case .decimal: return try run(Int128.self)
        default: throw ExpressionError(.evaluation, "internal: abs of \(type.sqlName)")
        }
    }

    // MARK: - Dispatch

    /// `a op b` where both operands have the operation's input type (see BoundExpression).
    static func apply(_ op: BinaryOperator, _ a: Operand, _ b: Operand, type: DataType, count: Int) throws(ExpressionError) -> Operand {
        if a.isNullScalar || b.isNullScalar { return .scalar(.null, type) }
        switch type {
        case .date32:
            // date ± int32 days.
            let days = try integer(op, .scalarOrColumn(a, as: .int32), b, Int32.self, type: .int32, count: count)
            return try days.retyped(.date32)
        case .int64 where a.type == .date32 && b.type == .date32:
            let wide = try integer(.subtract, try a.widenedDays(), try b.widenedDays(), Int64.self, type: .int64, count: count)
            return wide
        case .int8: return try integer(op, a, b, Int8.self, type: type, count: count)
        case .int16: return try integer(op, a, b, Int16.self, type: type, count: count)
        case .int32: return try integer(op, a, b, Int32.self, type: type, count: count)
        case .int64: return try integer(op, a, b, Int64.self, type: type, count: count)
        case .float32: return try float(op, a, b, Float.self, type: type, count: count)
        case .float64: return try float(op, a, b, Double.self, type: type, count: count)
        case .decimal: return try decimal(op, a, b, type: type, count: count)
        default:
            throw ExpressionError(.evaluation, "internal: no arithmetic kernel for \(type.sqlName)")
        }
    }
}

extension Operand {
    /// The same data viewed as another type with the same storage (date32 ↔ int32).
    static func scalarOrColumn(_ operand: Operand, as type: DataType) -> Operand {
        switch operand {
        case let .column(c):
            if let same = try? Column(type: type, count: c.count, validity: c.validity, storage: c.storage) { return .column(same) }
            return operand
        case let .scalar(.date(d), _): return .scalar(.int(Int64(d)), type)
        case .scalar: return operand
        }
    }

    func retyped(_ type: DataType) throws(ExpressionError) -> Operand {
        switch self {
        case let .column(c): return .column(try makeColumn(type, count: c.count, validity: c.validity, storage: c.storage))
        case let .scalar(.int(v), _):
            guard let d = Int32(exactly: v) else { throw ExpressionError(.evaluation, "date out of range") }
            return .scalar(type == .date32 ? .date(d) : .int(v), type)
        case let .scalar(v, _): return .scalar(v, type)
        }
    }

    /// Day numbers widened to Int64 (date - date).
    func widenedDays() throws(ExpressionError) -> Operand {
        switch self {
        case let .column(c):
            guard case let .int32(days) = c.storage else { throw ExpressionError(.evaluation, "internal: date column storage") }
            return .column(try makeColumn(.int64, count: c.count, validity: c.validity, storage: .int64(days.map { Int64($0) })))
        case let .scalar(.date(d), _): return .scalar(.int(Int64(d)), .int64)
        case let .scalar(v, _): return .scalar(v, .int64)
        }
    }
}
