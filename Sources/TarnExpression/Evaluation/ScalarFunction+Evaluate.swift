// Evaluation of scalar functions over operands: string functions on bytes, math on
// typed buffers, conditional functions by gathering rows. Must never hide an error as
// NULL: domain errors (sqrt of a negative, ln of zero) and overflow are errors.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TarnColumnar

extension ScalarFunction {
    func evaluate(_ args: [Operand], type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        switch self {
        case .lower:
            if let fast = try StringKernels.asciiCaseMap(args[0], upper: false) { return fast }
            return try StringKernels.map(args[0]) { s, out in StringKernels.lower(s, &out) }
        case .upper:
            if let fast = try StringKernels.asciiCaseMap(args[0], upper: true) { return fast }
            return try StringKernels.map(args[0]) { s, out in StringKernels.upper(s, &out) }
        case .length:
            if case let .column(c) = args[0], StringKernels.isASCII(c) {
                return try StringKernels.mapToValues(args[0], type: .int64) { Int64($0.count) }
            }
            return try StringKernels.mapToValues(args[0], type: .int64) { StringKernels.characterCount($0) }
        case .octetLength: return try StringKernels.mapToValues(args[0], type: .int64) { Int64($0.count) }
        case .reverse:
            return try StringKernels.map(args[0]) { s, out in
                out.append(contentsOf: String(String(decoding: s, as: UTF8.self).reversed()).utf8)
            }
        case let .substring(start, length):
            let bounds: (Int64) -> (Int64, Int64) = { total in
                let first = start > 0 ? start - 1 : (start == 0 ? 0 : max(0, total + start))
                let last = length.map { $0 >= total - first ? total : first + max(0, $0) } ?? total
                return (first, last)
            }
            if let fast = try StringKernels.asciiSlices(args[0], bounds) { return fast }
            return try StringKernels.map(args[0]) { s, out in
                let total = StringKernels.characterCount(s)
                // 1-based; 0 behaves as 1; negative counts from the end.
                let first = start > 0 ? start - 1 : (start == 0 ? 0 : max(0, total + start))
                let last = length.map { $0 >= total - first ? total : first + max(0, $0) } ?? total
                if first >= last { return }
                let from = StringKernels.byteOffset(s, ofCharacter: first), to = StringKernels.byteOffset(s, ofCharacter: last)
                out.append(contentsOf: s[from..<to])
            }
        case let .trim(side):
            return try StringKernels.map(args[0]) { s, out in
                var from = 0, to = s.count
                if side != .trailing { while from < to && s[from] == 0x20 { from += 1 } }
                if side != .leading { while to > from && s[to - 1] == 0x20 { to -= 1 } }
                out.append(contentsOf: s[from..<to])
            }
        case .concat, .concatWithSeparator:
            return try concat(args, count: n)
        case let .replace(from, to):
            let needle = Array(from.utf8), replacement = Array(to.utf8)
            return try StringKernels.map(args[0]) { s, out in
                if needle.isEmpty { out.append(contentsOf: s); return }
                var i = 0
                while let hit = StringKernels.find(needle, in: s, from: i) {
                    out.append(contentsOf: s[i..<hit])
                    out.append(contentsOf: replacement)
                    i = hit + needle.count
                }
                out.append(contentsOf: s[i..<s.count])
            }
        case let .startsWith(prefix):
            let p = Array(prefix.utf8)
            return try StringKernels.mapToBooleans(args[0]) { s in StringKernels.hasPrefix(s, p) }
        case let .endsWith(suffix):
            let p = Array(suffix.utf8)
            return try StringKernels.mapToBooleans(args[0]) { s in StringKernels.hasSuffix(s, p) }
        case let .contains(part):
            let p = Array(part.utf8)
            return try StringKernels.mapToBooleans(args[0]) { s in StringKernels.find(p, in: s) != nil }
        case let .position(part):
            let p = Array(part.utf8)
            return try StringKernels.mapToValues(args[0], type: .int64) { s -> Int64 in
                guard let hit = StringKernels.find(p, in: s) else { return 0 }
                return StringKernels.characterCount(UnsafeBufferPointer(rebasing: s[0..<hit])) + 1
            }
        case let .left(k):
            if let fast = try StringKernels.asciiSlices(args[0], { total in (0, k >= 0 ? min(k, total) : max(0, total + k)) }) { return fast }
            return try StringKernels.map(args[0]) { s, out in
                let total = StringKernels.characterCount(s)
                let keep = k >= 0 ? min(k, total) : max(0, total + k)
                out.append(contentsOf: s[0..<StringKernels.byteOffset(s, ofCharacter: keep)])
            }
        case let .right(k):
            if let fast = try StringKernels.asciiSlices(args[0], { total in (total - (k >= 0 ? min(k, total) : max(0, total + k)), total) }) { return fast }
            return try StringKernels.map(args[0]) { s, out in
                let total = StringKernels.characterCount(s)
                let keep = k >= 0 ? min(k, total) : max(0, total + k)
                out.append(contentsOf: s[StringKernels.byteOffset(s, ofCharacter: total - keep)..<s.count])
            }
        case let .repeatText(times):
            guard times <= 1_000_000 else { throw ExpressionError(.invalidArgument, "repeat count \(times) is too large") }
            return try StringKernels.map(args[0]) { (s, out) throws(ExpressionError) in
                if times <= 0 { return }
                guard s.count * Int(times) <= 1 << 30 else { throw ExpressionError(.evaluation, "repeat() result would exceed 1 GiB") }
                for _ in 0..<times { out.append(contentsOf: s) }
            }
        case let .pad(width, fill, atStart):
            guard width <= 1_000_000 else { throw ExpressionError(.invalidArgument, "pad width \(width) is too large") }
            let fillCharacters = Array(fill)
            return try StringKernels.map(args[0]) { s, out in
                let total = StringKernels.characterCount(s)
                if width <= 0 { return }
                if total >= width {
                    out.append(contentsOf: s[0..<StringKernels.byteOffset(s, ofCharacter: width)])
                    return
                }
                var padding: [UInt8] = []
                if !fillCharacters.isEmpty {
                    for k in 0..<Int(width - total) { padding.append(contentsOf: String(fillCharacters[k % fillCharacters.count]).utf8) }
                }
                if atStart { out.append(contentsOf: padding); out.append(contentsOf: s) } else { out.append(contentsOf: s); out.append(contentsOf: padding) }
            }
        case .coalesce:
            return try Conditional.coalesce(args, type: type, count: n)
        case .nullIf:
            return try Conditional.nullIf(args[0], args[1], type: type, count: n)
        case .greatest, .least:
            return try Conditional.extreme(args, greatest: self == .greatest, type: type, count: n)
        case .abs, .floor, .ceil, .round, .sign, .sqrt, .ln, .log10, .log2, .exp, .power:
            return try MathKernels.evaluate(self, args, type: type, count: n)
        case let .dateTrunc(field):
            return try DateKernels.truncate(args[0], to: field)
        case let .extract(field):
            return try DateKernels.extract(field, from: args[0])
        case let .addInterval(unit, amount):
            return try DateKernels.add(amount, unit, to: args[0])
        case .dateDiff:
            return try ArithmeticKernels.apply(.subtract, args[0], args[1], type: .int64, count: n)
        }
    }

    /// concat / concat_ws: NULL operands are skipped; the result is never NULL.
    private func concat(_ args: [Operand], count n: Int) throws(ExpressionError) -> Operand {
        var separator: [UInt8]? = nil
        if case let .concatWithSeparator(s) = self { separator = Array(s.utf8) }
        if args.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
            var parts: [String] = []
            for a in args { if case let .scalar(.string(s), _) = a { parts.append(s) } }
            return .scalar(.string(parts.joined(separator: separator.map { String(decoding: $0, as: UTF8.self) } ?? "")), .string)
        }
        var views: [StringView] = []
        for a in args { views.append(try StringView(try a.materialize(count: n))) }
        var output = StringOutput(capacity: n, bytes: views.reduce(0) { $0 + $1.data.count })
        for i in 0..<n {
            var first = true
            for v in views where v.isValid(i) {
                if !first, let separator { output.data.append(contentsOf: separator) }
                output.data.append(contentsOf: v.data[Int(v.offsets[i])..<Int(v.offsets[i + 1])])
                first = false
            }
            try output.close()
        }
        return .column(try output.column(validity: nil))
    }
}

/// COALESCE, NULLIF, GREATEST, LEAST by choosing, per row, which operand to take.
enum Conditional {
    /// Gathers row i from operand `choice[i]` (-1 = NULL).
    static func gather(_ args: [Operand], _ choice: [Int], type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        switch type.storageKind {
        case .int64: return try gatherFixed(args, choice, type: type, Int64.self, count: n)
        case .int32: return try gatherFixed(args, choice, type: type, Int32.self, count: n)
        case .float64: return try gatherFixed(args, choice, type: type, Double.self, count: n)
        case .int128: return try gatherFixed(args, choice, type: type, Int128.self, count: n)
        default: break
        }
        var columns: [Column] = []
        var base: [Int] = []
        var offset = 0
        for a in args {
            let column: Column
            switch a {
            case let .column(c): column = c
            case .scalar: column = try a.materialize(count: 1)
            }
            columns.append(column)
            base.append(offset)
            offset += column.count
        }
        columns.append(Column.nulls(type, count: 1))
        let nullIndex = offset
        var indices = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let k = choice[i]
            if k < 0 { indices[i] = nullIndex; continue }
            if case .scalar = args[k] { indices[i] = base[k] } else { indices[i] = base[k] + i }
        }
        do {
            return .column(try Column.concat(columns).take(indices))
        } catch {
            throw .evaluation(error, "choosing values")
        }
    }

    /// `gather` for fixed-width types: a direct typed loop, no concatenation.
    static func gatherFixed<T: ColumnPrimitive>(_ args: [Operand], _ choice: [Int], type: DataType, _: T.Type, count n: Int) throws(ExpressionError) -> Operand {
        var arrays: [[T]] = []
        var constants: [T?] = []
        var validities: [Bitmap?] = []
        for a in args {
            switch a {
            case let .column(c):
                guard let values = T.unwrap(c.storage), c.count == n else {
                    throw ExpressionError(.evaluation, "internal: choosing from a \(c.type.sqlName) column")
                }
                arrays.append(values)
                constants.append(nil)
                validities.append(c.validity)
            case let .scalar(value, _):
                arrays.append([])
                constants.append(value == .null ? nil : ArithmeticKernels.scalarValue(value, T.self))
                validities.append(value == .null ? Bitmap(repeating: false, count: 1) : nil)
            }
        }
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        let out = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n {
                let k = choice[i]
                var value = T.zero
                var isValid = false
                if k >= 0 {
                    if let c = constants[k] {
                        value = c
                        isValid = true
                    } else if !arrays[k].isEmpty {
                        // SAFETY: column arguments have n values (checked above).
                        value = arrays[k][i]
                        isValid = validities[k].map { $0[i] } ?? true
                    }
                }
                buffer[i] = value
                if isValid { valid[i >> 6] |= UInt64(1) << UInt64(i & 63) }
            }
            initialized = n
        }
        return .column(try makeColumn(type, count: n, validity: Bitmap(words: valid, count: n), storage: T.wrap(out)))
    }

    static func isValid(_ a: Operand, _ i: Int) -> Bool {
        switch a {
        case let .column(c): return c.isValid(i)
        case let .scalar(v, _): return v != .null
        }
    }

    static func coalesce(_ args: [Operand], type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        // A leading column without nulls is the answer.
        if case let .column(c) = args[0], !c.hasNulls { return args[0] }
        if case let .scalar(v, _) = args[0], v != .null { return args[0] }
        if args.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
            for a in args { if case let .scalar(v, _) = a, v != .null { return a } }
            return .scalar(.null, type)
        }
        var choice = [Int](repeating: -1, count: n)
        for i in 0..<n {
            for (k, a) in args.enumerated() where isValid(a, i) {
                choice[i] = k
                break
            }
        }
        return try gather(args, choice, type: type, count: n)
    }

    static func nullIf(_ a: Operand, _ b: Operand, type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        let equal = try BoundExpression.compare(.equal, a, b, count: n)
        if case let .scalar(v, _) = equal {
            return v == .boolean(true) ? .scalar(.null, type) : (try { () throws(ExpressionError) -> Operand in
                if case .scalar = a { return a }
                return .column(try a.materialize(count: n))
            }())
        }
        let truth = try Truth.of(equal, count: n)
        let column = try a.materialize(count: n)
        let keep = ~truth.isTrue
        let validity = column.validity.map { $0 & keep } ?? keep
        return .column(try makeColumn(type, count: n, validity: validity, storage: column.storage))
    }

    /// GREATEST / LEAST, skipping NULLs (NULL only when every operand is NULL).
    static func extreme(_ args: [Operand], greatest: Bool, type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        var best = args[0]
        for next in args.dropFirst() {
            // Take `next` where best is null, or next is valid and beats best.
            let beats = try Truth.of(try BoundExpression.compare(greatest ? .greater : .less, next, best, count: n), count: n)
            var choice = [Int](repeating: 0, count: n)
            for i in 0..<n {
                if !isValid(best, i) { choice[i] = isValid(next, i) ? 1 : -1 } else { choice[i] = beats.isTrue[i] ? 1 : 0 }
            }
            best = try gather([best, next], choice, type: type, count: n)
        }
        if n == 1, args.allSatisfy({ if case .scalar = $0 { return true } else { return false } }), case let .column(c) = best {
            return .scalar(c.value(at: 0), type)
        }
        return best
    }
}

/// Math functions on typed buffers.
enum MathKernels {
    static func evaluate(_ f: ScalarFunction, _ args: [Operand], type: DataType, count n: Int) throws(ExpressionError) -> Operand {
        if args.contains(where: \.isNullScalar) { return .scalar(.null, type) }
        let x = args[0]
        switch f {
        case .sqrt: return try doubles(x, n) { v in v < 0 ? nil : v.squareRoot() } failure: { "sqrt of a negative number" }
        case .ln: return try doubles(x, n) { v in v <= 0 ? nil : log(v) } failure: { "ln of zero or a negative number" }
        case .log10: return try doubles(x, n) { v in v <= 0 ? nil : log10(v) } failure: { "log10 of zero or a negative number" }
        case .log2: return try doubles(x, n) { v in v <= 0 ? nil : log2(v) } failure: { "log2 of zero or a negative number" }
        case .exp: return try doubles(x, n) { v in exp(v) } failure: { "exp" }
        case .power:
            return try ArithmeticKernels.float(.multiply, x, args[1], Double.self, type: .float64, count: n).mapPower(x, args[1], n)
        case .sign:
            let signs = try doubles(x, n) { v in v > 0 ? 1 : (v < 0 ? -1 : 0) } failure: { "sign" }
            return try BoundExpression.cast(signs, to: .int32)
        case .abs:
            switch type {
            case .float32, .float64: return try floatMap(x, type: type, n) { $0 < 0 ? -$0 : $0 }
            default: return try ArithmeticKernels.absolute(x, type: type, count: n)
            }
        case .floor, .ceil, .round:
            return try Rounding.apply(f, x, type: type, count: n)
        default:
            throw ExpressionError(.evaluation, "internal: \(f.name) is not a math function")
        }
    }

    /// A double → double function; nil from `body` on a valid row is an error.
    static func doubles(_ x: Operand, _ n: Int, _ body: (Double) -> Double?, failure: () -> String) throws(ExpressionError) -> Operand {
        let column = try x.materialize(count: max(1, x.isScalar ? 1 : n))
        guard case let .float64(values) = column.storage else {
            throw ExpressionError(.evaluation, "internal: expected doubles, found \(column.type.sqlName)")
        }
        var failedRow = -1
        let out = values.enumerated().map { (i, v) -> Double in
            if let r = body(v) { return r }
            if failedRow < 0, column.isValid(i) { failedRow = i }
            return 0
        }
        if failedRow >= 0 { throw ExpressionError(.evaluation, "\(failure()) at row \(failedRow)") }
        let result = try makeColumn(.float64, count: out.count, validity: column.validity, storage: .float64(out))
        if x.isScalar { return .scalar(result.value(at: 0), .float64) }
        return .column(result)
    }

    static func floatMap(_ x: Operand, type: DataType, _ n: Int, _ body: (Double) -> Double) throws(ExpressionError) -> Operand {
        let asDouble = try BoundExpression.cast(x, to: .float64)
        let mapped = try doubles(asDouble, n, { body($0) }, failure: { "" })
        return try BoundExpression.cast(mapped, to: type)
    }
}

extension Operand {
    var isScalar: Bool {
        if case .scalar = self { return true }
        return false
    }

    /// power(x, y) computed from the operands (the multiply result is only a shape check).
    func mapPower(_ x: Operand, _ y: Operand, _ n: Int) throws(ExpressionError) -> Operand {
        let count = x.isScalar && y.isScalar ? 1 : n
        let a = try x.materialize(count: count), b = try y.materialize(count: count)
        guard case let .float64(p) = a.storage, case let .float64(q) = b.storage else {
            throw ExpressionError(.evaluation, "internal: power operands")
        }
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count { out[i] = pow(p[i], q[i]) }
        let column = try makeColumn(.float64, count: count, validity: combinedValidity(a.validity, b.validity), storage: .float64(out))
        if x.isScalar && y.isScalar { return .scalar(column.value(at: 0), .float64) }
        return .column(column)
    }
}
