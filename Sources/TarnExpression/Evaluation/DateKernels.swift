// DateKernels: EXTRACT, date_trunc and interval arithmetic on dates (days, Int32) and
// timestamps (microseconds, Int64) in the proleptic Gregorian calendar, UTC. Must never
// wrap: a result outside the type's range is an error naming the row.

import TarnColumnar

enum DateKernels {
    static let microsPerDay: Int64 = 86_400_000_000

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Applies `body` to each value of a date32 or timestamp operand (its stored integer
    /// widened to Int64); nil on a valid row is a range error.
    static func map<R: ColumnPrimitive>(_ x: Operand, to type: DataType, what: String, _ body: (Int64) -> R?) throws(ExpressionError) -> Operand {
        let isScalar = x.isScalar
        let column = try x.materialize(count: 1)
        let source: Column
        if case .column(let c) = x { source = c } else { source = column }
        let n = source.count
        var failedRow = -1
        let out: [R]
        switch source.storage {
        case let .int32(values):
            out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<n {
                        if let r = body(Int64(v[i])) { buffer[i] = r } else {
                            buffer[i] = R.zero
                            if failedRow < 0, source.isValid(i) { failedRow = i }
                        }
                    }
                }
                initialized = n
            }
        case let .int64(values):
            out = [R](unsafeUninitializedCapacity: n) { buffer, initialized in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<n {
                        if let r = body(v[i]) { buffer[i] = r } else {
                            buffer[i] = R.zero
                            if failedRow < 0, source.isValid(i) { failedRow = i }
                        }
                    }
                }
                initialized = n
            }
        default:
            throw ExpressionError(.evaluation, "internal: \(what) of \(source.type.sqlName)")
        }
        if failedRow >= 0 { throw ExpressionError(.evaluation, "\(what) is out of range at row \(failedRow)") }
        let result = try makeColumn(type, count: n, validity: source.validity, storage: R.wrap(out))
        if isScalar { return .scalar(n > 0 ? result.value(at: 0) : .null, type) }
        return .column(result)
    }

    static func daysInMonth(_ y: Int64, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Monday-based ISO weekday 1...7 of a day number.
    @inline(__always) static func isoWeekday(_ days: Int64) -> Int64 {
        let r = (days + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    static func dayOfYear(_ days: Int64) -> Int64 {
        let (y, _, _) = TemporalFormat.civil(fromDays: days)
        return days - TemporalFormat.days(year: y, month: 1, day: 1) + 1
    }

    static func isoWeek(_ days: Int64) -> Int64 {
        let (y, _, _) = TemporalFormat.civil(fromDays: days)
        let week = (dayOfYear(days) - isoWeekday(days) + 10) / 7
        if week < 1 { return weeksInYear(y - 1) }
        if week > weeksInYear(y) { return 1 }
        return week
    }

    static func weeksInYear(_ y: Int64) -> Int64 {
        let jan1 = isoWeekday(TemporalFormat.days(year: y, month: 1, day: 1))
        let leap = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52
    }

    static func extract(_ field: DateTimeField, from x: Operand) throws(ExpressionError) -> Operand {
        if x.isNullScalar { return .scalar(.null, .int64) }
        let isTimestamp: Bool
        if case .timestamp = x.type { isTimestamp = true } else { isTimestamp = false }
        // Rows of one batch tend to share a month: remember the last month's day range.
        var monthStart: Int64 = 1, monthEnd: Int64 = 0, cachedYear: Int64 = 0, cachedMonth = 0
        func civil(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
            if days >= monthStart && days < monthEnd { return (cachedYear, cachedMonth, Int(days - monthStart) + 1) }
            let c = TemporalFormat.civil(fromDays: days)
            cachedYear = c.year
            cachedMonth = c.month
            monthStart = days - Int64(c.day) + 1
            monthEnd = monthStart + Int64(daysInMonth(c.year, c.month))
            return c
        }
        return try map(x, to: .int64, what: "EXTRACT") { value -> Int64? in
            let days = isTimestamp ? floorDiv(value, microsPerDay) : value
            let time = isTimestamp ? value - days * microsPerDay : 0
            switch field {
            case .year: return civil(days).year
            case .quarter: return Int64((civil(days).month - 1) / 3 + 1)
            case .month: return Int64(civil(days).month)
            case .day: return Int64(civil(days).day)
            case .dayOfWeek: return isoWeekday(days) % 7
            case .dayOfYear: return dayOfYear(days)
            case .week: return isoWeek(days)
            case .hour: return time / 3_600_000_000
            case .minute: return (time / 60_000_000) % 60
            case .second: return (time / 1_000_000) % 60
            case .millisecond: return (time / 1_000) % 60_000
            case .microsecond: return time % 60_000_000
            case .epoch: return isTimestamp ? floorDiv(value, 1_000_000) : days * 86_400
            }
        }
    }

    static func truncate(_ x: Operand, to field: DateTimeField) throws(ExpressionError) -> Operand {
        if x.isNullScalar { return x }
        func truncateDays(_ days: Int64) -> Int64 {
            let (y, m, _) = TemporalFormat.civil(fromDays: days)
            switch field {
            case .year: return TemporalFormat.days(year: y, month: 1, day: 1)
            case .quarter: return TemporalFormat.days(year: y, month: (m - 1) / 3 * 3 + 1, day: 1)
            case .month: return TemporalFormat.days(year: y, month: m, day: 1)
            case .week: return days - (isoWeekday(days) - 1)
            default: return days
            }
        }
        switch x.type {
        case .date32:
            return try map(x, to: .date32, what: "date_trunc") { Int32(exactly: truncateDays($0)) }
        case .timestamp:
            return try map(x, to: x.type, what: "date_trunc") { micros -> Int64? in
                let unit: Int64
                switch field {
                case .year, .quarter, .month, .week:
                    let days = floorDiv(micros, microsPerDay)
                    return truncateDays(days).multipliedReportingOverflow(by: microsPerDay).overflow ? nil : truncateDays(days) * microsPerDay
                case .day: unit = microsPerDay
                case .hour: unit = 3_600_000_000
                case .minute: unit = 60_000_000
                case .second: unit = 1_000_000
                case .millisecond: unit = 1_000
                default: unit = 1
                }
                let (r, o) = floorDiv(micros, unit).multipliedReportingOverflow(by: unit)
                return o ? nil : r
            }
        default:
            throw ExpressionError(.evaluation, "internal: date_trunc of \(x.type.sqlName)")
        }
    }

    /// Days shifted by whole months, the day clamped to the target month's length.
    static func addMonths(_ days: Int64, _ months: Int64) -> Int64? {
        let (y, m, d) = TemporalFormat.civil(fromDays: days)
        let (total, o1) = (y * 12 + Int64(m - 1)).addingReportingOverflow(months)
        if o1 || total.magnitude > 12 * 10_000_000 { return nil }
        let year = floorDiv(total, 12), month = Int(total - year * 12) + 1
        let length = Int64(TemporalFormat.days(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1)
                           - TemporalFormat.days(year: year, month: month, day: 1))
        return TemporalFormat.days(year: year, month: month, day: min(d, Int(length)))
    }

    static func add(_ amount: Int64, _ unit: IntervalUnit, to x: Operand) throws(ExpressionError) -> Operand {
        if x.isNullScalar { return x }
        switch x.type {
        case .date32:
            return try map(x, to: .date32, what: "date arithmetic") { days -> Int32? in
                switch unit {
                case .day:
                    let (r, o) = days.addingReportingOverflow(amount)
                    return o ? nil : Int32(exactly: r)
                case .week:
                    let (w, o) = amount.multipliedReportingOverflow(by: 7)
                    let (r, o2) = days.addingReportingOverflow(w)
                    return o || o2 ? nil : Int32(exactly: r)
                case .month: return addMonths(days, amount).flatMap { Int32(exactly: $0) }
                case .year:
                    let (months, o) = amount.multipliedReportingOverflow(by: 12)
                    return o ? nil : addMonths(days, months).flatMap { Int32(exactly: $0) }
                default: return nil
                }
            }
        case .timestamp:
            let step: Int64?
            switch unit {
            case .week: step = 7 * microsPerDay
            case .day: step = microsPerDay
            case .hour: step = 3_600_000_000
            case .minute: step = 60_000_000
            case .second: step = 1_000_000
            case .millisecond: step = 1_000
            case .microsecond: step = 1
            case .month, .year: step = nil
            }
            return try map(x, to: x.type, what: "timestamp arithmetic") { micros -> Int64? in
                if let step {
                    let (delta, o1) = amount.multipliedReportingOverflow(by: step)
                    let (r, o2) = micros.addingReportingOverflow(delta)
                    return o1 || o2 ? nil : r
                }
                let days = floorDiv(micros, microsPerDay)
                let time = micros - days * microsPerDay
                let (months, o) = amount.multipliedReportingOverflow(by: unit == .year ? 12 : 1)
                guard !o, let shifted = addMonths(days, months) else { return nil }
                let (base, o3) = shifted.multipliedReportingOverflow(by: microsPerDay)
                let (r, o4) = base.addingReportingOverflow(time)
                return o3 || o4 ? nil : r
            }
        default:
            throw ExpressionError(.evaluation, "internal: interval arithmetic on \(x.type.sqlName)")
        }
    }
}

enum DateTruncation {
    static func supports(_ field: DateTimeField) -> Bool {
        switch field {
        case .dayOfWeek, .dayOfYear, .epoch: return false
        default: return true
        }
    }
}

/// FLOOR, CEIL and ROUND for every numeric type.
enum Rounding {
    static func apply(_ f: ScalarFunction, _ x: Operand, type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        var digits = 0
        if case let .round(d) = f { digits = d }
        switch x.type {
        case .float32, .float64:
            let scale = pow10Double(digits)
            return try MathKernels.floatMap(x, type: x.type, n) { v in
                switch f {
                case .floor: return v.rounded(.down)
                case .ceil: return v.rounded(.up)
                default:
                    if !v.isFinite { return v }
                    let r = (v * scale).rounded(.toNearestOrAwayFromZero) / scale
                    return r.isFinite ? r : v
                }
            }
        case let .decimal(_, scale):
            let targetScale: Int
            switch f {
            case .floor, .ceil: targetScale = 0
            default: targetScale = max(0, min(scale, digits))
            }
            // Unscaled at the source scale → unscaled at the target scale, rounding as asked;
            // a negative ROUND digit count rounds to tens, hundreds… at scale 0.
            let divisor = pow10(scale - targetScale + (digits < 0 && !(f == .floor || f == .ceil) ? -digits : 0))
            let back = digits < 0 && !(f == .floor || f == .ceil) ? pow10(-digits) : 1
            guard case let .decimal(precision, _) = type else { throw ExpressionError(.evaluation, "internal: rounding type") }
            let limit = pow10(precision)
            return try ArithmeticKernels.mapDecimal(x, type: type, count: n) { v -> Int128? in
                let (q, r) = v.quotientAndRemainder(dividingBy: divisor)
                var result = q
                switch f {
                case .floor: if r < 0 { result -= 1 }
                case .ceil: if r > 0 { result += 1 }
                default: if r.magnitude * 2 >= divisor.magnitude { result += v < 0 ? -1 : 1 }
                }
                let (scaled, o) = result.multipliedReportingOverflow(by: back)
                return o || scaled.magnitude >= limit.magnitude ? nil : scaled
            }
        default:
            // Integers: FLOOR/CEIL and ROUND to >= 0 digits change nothing.
            if digits >= 0 || f == .floor || f == .ceil { return x }
            guard digits >= -18 else { return try BoundExpression.cast(.scalar(.int(0), .int64), to: type).broadcast(like: x) }
            let wide = try BoundExpression.cast(x, to: .int64)
            let m = Int64(pow10(-digits))
            let rounded = try ArithmeticKernels.mapInt64(wide, count: n) { v -> Int64? in
                let (q, r) = v.quotientAndRemainder(dividingBy: m)
                var result = q
                if r.magnitude * 2 >= m.magnitude { result += v < 0 ? -1 : 1 }
                let (s, o) = result.multipliedReportingOverflow(by: m)
                return o ? nil : s
            }
            return try BoundExpression.cast(rounded, to: type)
        }
    }

    static func pow10Double(_ d: Int) -> Double {
        var r = 1.0
        if d >= 0 { for _ in 0..<min(d, 308) { r *= 10 } } else { for _ in 0..<min(-d, 308) { r /= 10 } }
        return r
    }
}

extension Operand {
    /// A scalar result shaped like `x` (scalar stays scalar).
    func broadcast(like x: Operand) throws(ExpressionError) -> Operand {
        guard case let .column(c) = x, case let .scalar(v, t) = self else { return self }
        var column = try Operand.scalar(v, t).materialize(count: c.count)
        if let validity = c.validity {
            column = try makeColumn(t, count: c.count, validity: validity, storage: column.storage)
        }
        return .column(column)
    }
}

extension ArithmeticKernels {
    /// A one-operand decimal kernel (unscaled in, unscaled out at `type`).
    static func mapDecimal(_ x: Operand, type: DataType, count: Int, _ body: (Int128) -> Int128?) throws(ExpressionError) -> Operand {
        guard let side = try side(x, Int128.self) else { return .scalar(.null, type) }
        let constant = isConstant(side)
        let v = validity(x, x)
        let values: [Int128] = try run(side, .scalar(0), count: constant ? 1 : count, validity: v, what: "decimal") { p, _ in
            if let r = body(p) { return (r, 0) }
            return (0, 1)
        }
        return try result(values, type, validity: v, count: count, constant: constant)
    }

    /// A one-operand Int64 kernel.
    static func mapInt64(_ x: Operand, count: Int, _ body: (Int64) -> Int64?) throws(ExpressionError) -> Operand {
        guard let side = try side(x, Int64.self) else { return .scalar(.null, .int64) }
        let constant = isConstant(side)
        let v = validity(x, x)
        let values: [Int64] = try run(side, .scalar(0), count: constant ? 1 : count, validity: v, what: "integer") { p, _ in
            if let r = body(p) { return (r, 0) }
            return (0, 1)
        }
        return try result(values, .int64, validity: v, count: count, constant: constant)
    }
}
