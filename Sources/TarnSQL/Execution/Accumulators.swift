// Aggregate accumulators: per-group state in flat typed arrays indexed by group id,
// updated a batch at a time from the group ids of the rows. Owns the SQL semantics of
// count, sum, avg, min, max, stddev and variance (NULLs ignored; sum/avg/min/max of no
// values is NULL; count of no values is 0); never boxes a value per row.
import TarnColumnar

/// The aggregate functions the executor runs.
public enum AggregateFunction: String, Sendable, Hashable, CaseIterable {
    case countStar = "count(*)"
    case count, sum, avg, min, max
    /// Sample standard deviation and variance (n - 1); NULL for fewer than two values.
    case stddevSample = "stddev_samp", varianceSample = "var_samp"
    case stddevPopulation = "stddev_pop", variancePopulation = "var_pop"

    /// The function for a SQL name (`stddev`, `variance` are the sample forms, as in Spark and DuckDB).
    public static func named(_ name: String) -> AggregateFunction? {
        switch name.lowercased() {
        case "count": return .count
        case "sum": return .sum
        case "avg", "mean": return .avg
        case "min": return .min
        case "max": return .max
        case "stddev", "stddev_samp", "std": return .stddevSample
        case "variance", "var_samp": return .varianceSample
        case "stddev_pop": return .stddevPopulation
        case "var_pop": return .variancePopulation
        default: return nil
        }
    }

    /// The result type for an argument of `input` (nil for count(*)).
    public func resultType(input: DataType?) throws(SQLError) -> DataType {
        switch self {
        case .countStar, .count: return .int64
        case .avg, .stddevSample, .varianceSample, .stddevPopulation, .variancePopulation:
            guard let input, input.isNumeric else {
                throw SQLError(.type, "\(rawValue) needs a numeric argument, not \(input.map { "\($0)" } ?? "*")")
            }
            return .float64
        case .sum:
            guard let input, input.isNumeric else {
                throw SQLError(.type, "sum needs a numeric argument, not \(input.map { "\($0)" } ?? "*")")
            }
            if input.isFloatingPoint { return .float64 }
            if case let .decimal(_, scale) = input { return .decimal(precision: 38, scale: scale) }
            return .int64
        case .min, .max:
            guard let input else { throw SQLError(.type, "\(rawValue) needs an argument") }
            if input.isNested { throw SQLError(.unsupported, "\(rawValue) of \(input) is not supported") }
            return input
        }
    }
}

/// Per-group state of one aggregate.
protocol Accumulator: AnyObject {
    /// Adds the rows of `column` (nil for count(*)) to the groups in `groups` (one id per row).
    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError)
    /// Adds rows `rowOffset ..< rowOffset + groups.count` of `column` (a whole batch shared
    /// by the workers, never copied) to the groups in `groups` (one id per row of the range).
    func update(groups: [Int32], column: Column?, rowOffset: Int, groupCount: Int) throws(SQLError)
    /// One value per group, for `groupCount` groups.
    func finish(groupCount: Int) throws(SQLError) -> Column
    /// Folds `other` (the same kind of accumulator, from another worker) into this one;
    /// `mapping[g]` is this accumulator's group for the other's group g.
    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError)
    var estimatedBytes: Int { get }
}

extension Accumulator {
    /// Accumulators without a range loop of their own take a slice of the range.
    func update(groups: [Int32], column: Column?, rowOffset: Int, groupCount: Int) throws(SQLError) {
        guard let column, rowOffset != 0 || column.count != groups.count else {
            return try update(groups: groups, column: column, rowCount: groups.count, groupCount: groupCount)
        }
        let range = rowOffset..<(rowOffset + groups.count)
        let slice = try columnar("aggregate range") { () throws(ColumnarError) in try column.slice(range) }
        try update(groups: groups, column: slice, rowCount: groups.count, groupCount: groupCount)
    }
}

func mergeMismatch() -> SQLError {
    SQLError(.execution, "internal: partial aggregates of different kinds cannot be merged")
}

func makeAccumulator(_ function: AggregateFunction, input: DataType?) throws(SQLError) -> any Accumulator {
    switch function {
    case .countStar: return CountAccumulator(countNulls: true)
    case .count: return CountAccumulator(countNulls: false)
    case .sum:
        guard let input else { throw SQLError(.type, "sum needs an argument") }
        if input.isFloatingPoint { return FloatSumAccumulator(average: false) }
        if case let .decimal(_, scale) = input { return IntegerSumAccumulator(resultType: .decimal(precision: 38, scale: scale)) }
        guard input.isInteger else { throw SQLError(.type, "sum needs a numeric argument, not \(input)") }
        return IntegerSumAccumulator(resultType: .int64)
    case .avg:
        _ = try function.resultType(input: input)
        return FloatSumAccumulator(average: true)
    case .stddevSample, .varianceSample, .stddevPopulation, .variancePopulation:
        _ = try function.resultType(input: input)
        return MomentsAccumulator(function: function)
    case .min, .max:
        guard let input else { throw SQLError(.type, "\(function.rawValue) needs an argument") }
        return try makeMinMax(type: input, isMax: function == .max)
    }
}

/// count(*) and count(x).
final class CountAccumulator: Accumulator {
    let countNulls: Bool
    var counts: [Int64] = []

    init(countNulls: Bool) { self.countNulls = countNulls }

    var estimatedBytes: Int { counts.count * 8 }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        if counts.count < groupCount { counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count)) }
        let validity = countNulls ? nil : column?.validity
        if groupCount == 1 {
            // Every row is in group 0 (no GROUP BY): count without touching the ids.
            counts[0] &+= Int64(validity.map { $0.setCount } ?? groups.count)
            return
        }
        counts.withUnsafeMutableBufferPointer { c in
            groups.withUnsafeBufferPointer { g in
                // SAFETY: every group id is < groupCount <= c.count.
                if let validity {
                    for row in 0..<g.count where validity[row] { c[Int(g[row])] &+= 1 }
                } else {
                    for row in 0..<g.count { c[Int(g[row])] &+= 1 }
                }
            }
        }
    }

    func update(groups: [Int32], column: Column?, rowOffset: Int, groupCount: Int) throws(SQLError) {
        if counts.count < groupCount { counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count)) }
        let validity = countNulls ? nil : column?.validity
        counts.withUnsafeMutableBufferPointer { c in
            groups.withUnsafeBufferPointer { g in
                // SAFETY: every group id is < groupCount <= c.count; the range lies in the column.
                if let validity {
                    for i in 0..<g.count where validity[rowOffset + i] { c[Int(g[i])] &+= 1 }
                } else if groupCount == 1 {
                    c[0] &+= Int64(g.count)
                } else {
                    for i in 0..<g.count { c[Int(g[i])] &+= 1 }
                }
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? CountAccumulator else { throw mergeMismatch() }
        if counts.count < groupCount { counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count)) }
        for (g, n) in other.counts.enumerated() { counts[Int(mapping[g])] &+= n }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        if counts.count < groupCount { counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count)) }
        return try columnar("count") { () throws(ColumnarError) in try Column(.int64, values: Array(counts.prefix(groupCount))) }
    }
}

/// Reads a numeric column as doubles (integers, floats, decimals).
func doubleValues(_ column: Column) throws(SQLError) -> [Double] {
    switch column.storage {
    case let .int8(v): return v.map { Double($0) }
    case let .int16(v): return v.map { Double($0) }
    case let .int32(v): return v.map { Double($0) }
    case let .int64(v): return v.map { Double($0) }
    case let .uint8(v): return v.map { Double($0) }
    case let .uint16(v): return v.map { Double($0) }
    case let .uint32(v): return v.map { Double($0) }
    case let .uint64(v): return v.map { Double($0) }
    case let .float32(v): return v.map { Double($0) }
    case let .float64(v): return v
    case let .int128(v):
        let scale: Int
        if case let .decimal(_, s) = column.type { scale = s } else { scale = 0 }
        let divisor = Double(pow10(scale))
        return v.map { Double($0) / divisor }
    default:
        throw SQLError(.type, "expected a numeric column, found \(column.type)")
    }
}

/// sum of integers and decimals, exact in Int128; overflow of the result type is an error.
final class IntegerSumAccumulator: Accumulator {
    let resultType: DataType
    var sums: [Int128] = []
    var seen: [Bool] = []

    init(resultType: DataType) { self.resultType = resultType }

    var estimatedBytes: Int { sums.count * 17 }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column else { return }
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        let validity = column.validity
        func add<T: BinaryInteger>(_ values: [T]) {
            sums.withUnsafeMutableBufferPointer { s in
                seen.withUnsafeMutableBufferPointer { n in
                    // SAFETY: every group id is < groupCount <= s.count; values.count == groups.count.
                    for row in 0..<groups.count where validity?[row] ?? true {
                        let g = Int(groups[row])
                        s[g] &+= Int128(values[row])
                        n[g] = true
                    }
                }
            }
        }
        switch column.storage {
        case let .int8(v): add(v)
        case let .int16(v): add(v)
        case let .int32(v): add(v)
        case let .int64(v):
            sums.withUnsafeMutableBufferPointer { s in
                seen.withUnsafeMutableBufferPointer { n in
                    v.withUnsafeBufferPointer { values in
                        groups.withUnsafeBufferPointer { g in
                            // SAFETY: every group id is < groupCount <= s.count; values.count == g.count.
                            if let validity {
                                for row in 0..<g.count where validity[row] {
                                    s[Int(g[row])] &+= Int128(values[row]); n[Int(g[row])] = true
                                }
                            } else {
                                for row in 0..<g.count {
                                    s[Int(g[row])] &+= Int128(values[row]); n[Int(g[row])] = true
                                }
                            }
                        }
                    }
                }
            }
        case let .uint8(v): add(v)
        case let .uint16(v): add(v)
        case let .uint32(v): add(v)
        case let .uint64(v): add(v)
        case let .int128(v): add(v)
        default: throw SQLError(.type, "sum needs a numeric argument, not \(column.type)")
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? IntegerSumAccumulator else { throw mergeMismatch() }
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        for g in other.sums.indices where other.seen[g] {
            let m = Int(mapping[g])
            sums[m] &+= other.sums[g]
            seen[m] = true
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        let validity = Bitmap(seen.prefix(groupCount))
        if resultType == .int64 {
            var out = [Int64](repeating: 0, count: groupCount)
            for g in 0..<groupCount where seen[g] {
                guard let value = Int64(exactly: sums[g]) else {
                    throw SQLError(.execution, "sum overflows bigint (\(sums[g])); cast the argument to DECIMAL(38, 0) or DOUBLE")
                }
                out[g] = value
            }
            return try columnar("sum") { () throws(ColumnarError) in try Column(.int64, values: out, validity: validity) }
        }
        let limit = pow10(38)
        for g in 0..<groupCount where seen[g] && (sums[g] >= limit || sums[g] <= -limit) {
            throw SQLError(.execution, "sum overflows \(resultType)")
        }
        return try columnar("sum") { () throws(ColumnarError) in
            try Column(resultType, values: Array(sums.prefix(groupCount)), validity: validity)
        }
    }
}

/// sum of floats and avg of any numeric type, in doubles.
final class FloatSumAccumulator: Accumulator {
    let average: Bool
    var sums: [Double] = []
    var counts: [Int64] = []

    init(average: Bool) { self.average = average }

    var estimatedBytes: Int { sums.count * 16 }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column else { return }
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count))
        }
        let values = try doubleValues(column)
        let validity = column.validity
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                values.withUnsafeBufferPointer { v in
                    groups.withUnsafeBufferPointer { g in
                        // SAFETY: every group id is < groupCount <= s.count; v.count == g.count.
                        if let validity {
                            for row in 0..<g.count where validity[row] {
                                let k = Int(g[row]); s[k] += v[row]; c[k] &+= 1
                            }
                        } else {
                            for row in 0..<g.count {
                                let k = Int(g[row]); s[k] += v[row]; c[k] &+= 1
                            }
                        }
                    }
                }
            }
        }
    }

    func update(groups: [Int32], column: Column?, rowOffset: Int, groupCount: Int) throws(SQLError) {
        guard let column else { return }
        guard case let .float64(values) = column.storage else {
            // Other numeric types convert to doubles per range slice.
            let range = rowOffset..<(rowOffset + groups.count)
            let slice = try columnar("aggregate range") { () throws(ColumnarError) in try column.slice(range) }
            return try update(groups: groups, column: slice, rowCount: groups.count, groupCount: groupCount)
        }
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count))
        }
        let validity = column.validity
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                values.withUnsafeBufferPointer { all in
                    groups.withUnsafeBufferPointer { g in
                        // SAFETY: every group id is < groupCount <= s.count; the caller's range
                        // rowOffset ..< rowOffset + g.count lies inside the column.
                        let v = UnsafeBufferPointer(rebasing: all[rowOffset..<(rowOffset + g.count)])
                        if let validity {
                            for row in 0..<g.count where validity[rowOffset + row] {
                                let k = Int(g[row]); s[k] += v[row]; c[k] &+= 1
                            }
                        } else {
                            for row in 0..<g.count {
                                let k = Int(g[row]); s[k] += v[row]; c[k] &+= 1
                            }
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? FloatSumAccumulator else { throw mergeMismatch() }
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count))
        }
        for g in other.sums.indices {
            let m = Int(mapping[g])
            sums[m] += other.sums[g]
            counts[m] &+= other.counts[g]
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        if sums.count < groupCount {
            sums.append(contentsOf: repeatElement(0, count: groupCount - sums.count))
            counts.append(contentsOf: repeatElement(0, count: groupCount - counts.count))
        }
        let validity = Bitmap(counts.prefix(groupCount).lazy.map { $0 > 0 })
        let values = average ? (0..<groupCount).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 } : Array(sums.prefix(groupCount))
        return try columnar("sum") { () throws(ColumnarError) in try Column(.float64, values: values, validity: validity) }
    }
}

/// Variance and standard deviation with Welford's update (numerically stable).
final class MomentsAccumulator: Accumulator {
    let function: AggregateFunction
    var counts: [Int64] = []
    var means: [Double] = []
    var squares: [Double] = []

    init(function: AggregateFunction) { self.function = function }

    var estimatedBytes: Int { counts.count * 24 }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column else { return }
        if counts.count < groupCount {
            let extra = groupCount - counts.count
            counts.append(contentsOf: repeatElement(0, count: extra))
            means.append(contentsOf: repeatElement(0, count: extra))
            squares.append(contentsOf: repeatElement(0, count: extra))
        }
        let values = try doubleValues(column)
        let validity = column.validity
        for row in 0..<groups.count where validity?[row] ?? true {
            let g = Int(groups[row])
            counts[g] += 1
            let x = values[row]
            let delta = x - means[g]
            means[g] += delta / Double(counts[g])
            squares[g] += delta * (x - means[g])
        }
    }

    /// Chan et al.'s pairwise combination of (count, mean, M2).
    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? MomentsAccumulator else { throw mergeMismatch() }
        if counts.count < groupCount {
            let extra = groupCount - counts.count
            counts.append(contentsOf: repeatElement(0, count: extra))
            means.append(contentsOf: repeatElement(0, count: extra))
            squares.append(contentsOf: repeatElement(0, count: extra))
        }
        for g in other.counts.indices where other.counts[g] > 0 {
            let m = Int(mapping[g])
            let na = Double(counts[m]), nb = Double(other.counts[g]), n = na + nb
            let delta = other.means[g] - means[m]
            means[m] += delta * nb / n
            squares[m] += other.squares[g] + delta * delta * na * nb / n
            counts[m] += other.counts[g]
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        var values = [Double](repeating: 0, count: groupCount)
        var valid = [Bool](repeating: false, count: groupCount)
        let sample = function == .stddevSample || function == .varianceSample
        let root = function == .stddevSample || function == .stddevPopulation
        for g in 0..<min(groupCount, counts.count) {
            let n = counts[g]
            let denominator = sample ? n - 1 : n
            guard denominator > 0 else { continue }
            let variance = squares[g] / Double(denominator)
            values[g] = root ? variance.squareRoot() : variance
            valid[g] = true
        }
        return try columnar(function.rawValue) { () throws(ColumnarError) in
            try Column(.float64, values: values, validity: Bitmap(valid))
        }
    }
}

func makeMinMax(type: DataType, isMax: Bool) throws(SQLError) -> any Accumulator {
    switch type.storageKind {
    case .int8: return PrimitiveMinMax<Int8>(type: type, isMax: isMax)
    case .int16: return PrimitiveMinMax<Int16>(type: type, isMax: isMax)
    case .int32: return PrimitiveMinMax<Int32>(type: type, isMax: isMax)
    case .int64: return PrimitiveMinMax<Int64>(type: type, isMax: isMax)
    case .uint8: return PrimitiveMinMax<UInt8>(type: type, isMax: isMax)
    case .uint16: return PrimitiveMinMax<UInt16>(type: type, isMax: isMax)
    case .uint32: return PrimitiveMinMax<UInt32>(type: type, isMax: isMax)
    case .uint64: return PrimitiveMinMax<UInt64>(type: type, isMax: isMax)
    case .float32, .float64: return FloatMinMax(type: type, isMax: isMax)
    case .int128: return PrimitiveMinMax<Int128>(type: type, isMax: isMax)
    case .bytes: return BytesMinMax(type: type, isMax: isMax)
    case .boolean: return BooleanMinMax(isMax: isMax)
    case .list, .structure, .map:
        throw SQLError(.unsupported, "\(isMax ? "max" : "min") of \(type) is not supported")
    }
}

/// min/max of floats in doubles; NaN orders above every number (Spark, DuckDB).
final class FloatMinMax: Accumulator {
    let type: DataType
    let isMax: Bool
    var best: [Double] = []
    var seen: [Bool] = []

    init(type: DataType, isMax: Bool) {
        self.type = type
        self.isMax = isMax
    }

    var estimatedBytes: Int { best.count * 9 }

    @inline(__always)
    static func less(_ x: Double, _ y: Double) -> Bool {
        if x.isNaN { return false }
        if y.isNaN { return true }
        return x < y
    }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column else { return }
        let values = try doubleValues(column)
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(0, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        let validity = column.validity
        let isMax = self.isMax
        best.withUnsafeMutableBufferPointer { b in
            seen.withUnsafeMutableBufferPointer { s in
                values.withUnsafeBufferPointer { v in
                    groups.withUnsafeBufferPointer { g in
                        // SAFETY: every group id is < groupCount <= b.count; v.count == g.count.
                        for row in 0..<g.count where validity?[row] ?? true {
                            let k = Int(g[row])
                            let x = v[row]
                            if !s[k] {
                                b[k] = x; s[k] = true
                            } else if isMax ? FloatMinMax.less(b[k], x) : FloatMinMax.less(x, b[k]) {
                                b[k] = x
                            }
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? FloatMinMax else { throw mergeMismatch() }
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(0, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        for g in other.best.indices where other.seen[g] {
            let m = Int(mapping[g]), x = other.best[g]
            if !seen[m] || (isMax ? FloatMinMax.less(best[m], x) : FloatMinMax.less(x, best[m])) {
                best[m] = x
                seen[m] = true
            }
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(0, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        let validity = Bitmap(seen.prefix(groupCount))
        let values = Array(best.prefix(groupCount))
        return try columnar("min/max") { () throws(ColumnarError) in
            if type == .float32 { return try Column(type, values: values.map { Float($0) }, validity: validity) }
            return try Column(type, values: values, validity: validity)
        }
    }
}

final class PrimitiveMinMax<T: ColumnPrimitive>: Accumulator {
    let type: DataType
    let isMax: Bool
    var best: [T] = []
    var seen: [Bool] = []

    init(type: DataType, isMax: Bool) {
        self.type = type
        self.isMax = isMax
    }

    var estimatedBytes: Int { best.count * (MemoryLayout<T>.stride + 1) }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column, let values = T.unwrap(column.storage) else {
            throw SQLError(.type, "\(isMax ? "max" : "min") got a column of \(column?.type.description ?? "nothing")")
        }
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(T.zero, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        let validity = column.validity
        let isMax = self.isMax
        best.withUnsafeMutableBufferPointer { b in
            seen.withUnsafeMutableBufferPointer { s in
                values.withUnsafeBufferPointer { v in
                    groups.withUnsafeBufferPointer { g in
                        // SAFETY: every group id is < groupCount <= b.count; v.count == g.count.
                        for row in 0..<g.count where validity?[row] ?? true {
                            let k = Int(g[row])
                            let x = v[row]
                            if !s[k] {
                                b[k] = x; s[k] = true
                            } else if isMax ? b[k] < x : x < b[k] {
                                b[k] = x
                            }
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? PrimitiveMinMax<T> else { throw mergeMismatch() }
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(T.zero, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        for g in other.best.indices where other.seen[g] {
            let m = Int(mapping[g]), x = other.best[g]
            if !seen[m] || (isMax ? best[m] < x : x < best[m]) {
                best[m] = x
                seen[m] = true
            }
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        if best.count < groupCount {
            best.append(contentsOf: repeatElement(T.zero, count: groupCount - best.count))
            seen.append(contentsOf: repeatElement(false, count: groupCount - seen.count))
        }
        return try columnar("min/max") { () throws(ColumnarError) in
            try Column(type, values: Array(best.prefix(groupCount)), validity: Bitmap(seen.prefix(groupCount)))
        }
    }
}

/// min/max of strings and binaries, byte-wise; a group's value is copied only when it changes.
final class BytesMinMax: Accumulator {
    let type: DataType
    let isMax: Bool
    var best: [[UInt8]?] = []
    var bytes = 0

    init(type: DataType, isMax: Bool) {
        self.type = type
        self.isMax = isMax
    }

    var estimatedBytes: Int { best.count * 24 + bytes }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column, case let .bytes(offsets, data) = column.storage else {
            throw SQLError(.type, "\(isMax ? "max" : "min") expected a string column")
        }
        if best.count < groupCount { best.append(contentsOf: repeatElement(nil, count: groupCount - best.count)) }
        let validity = column.validity
        data.withUnsafeBytes { d in
            for row in 0..<groups.count where validity?[row] ?? true {
                let k = Int(groups[row])
                let start = Int(offsets[row]), end = Int(offsets[row + 1])
                // SAFETY: offsets were validated against data when the column was built.
                let value = UnsafeRawBufferPointer(rebasing: d[start..<end])
                if let current = best[k] {
                    let c = current.withUnsafeBytes { BytesMinMax.compare(value, $0) }
                    if isMax ? c > 0 : c < 0 {
                        bytes += value.count - current.count
                        best[k] = Array(value)
                    }
                } else {
                    bytes += value.count
                    best[k] = Array(value)
                }
            }
        }
    }

    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? BytesMinMax else { throw mergeMismatch() }
        if best.count < groupCount { best.append(contentsOf: repeatElement(nil, count: groupCount - best.count)) }
        for g in other.best.indices {
            guard let x = other.best[g] else { continue }
            let m = Int(mapping[g])
            if let current = best[m] {
                let c = x.withUnsafeBytes { a in current.withUnsafeBytes { b in BytesMinMax.compare(a, b) } }
                if isMax ? c > 0 : c < 0 {
                    bytes += x.count - current.count
                    best[m] = x
                }
            } else {
                bytes += x.count
                best[m] = x
            }
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        var builder = BytesColumnBuilder(capacity: groupCount, byteCapacity: bytes)
        return try columnar("min/max") { () throws(ColumnarError) in
            for g in 0..<groupCount {
                if g < best.count, let value = best[g] { try builder.append(bytes: value) } else { try builder.appendNull() }
            }
            return try builder.finish(type)
        }
    }
}

final class BooleanMinMax: Accumulator {
    let isMax: Bool
    var best: [UInt8] = []  // 0 = none, 1 = false, 2 = true

    init(isMax: Bool) { self.isMax = isMax }

    var estimatedBytes: Int { best.count }

    func update(groups: [Int32], column: Column?, rowCount: Int, groupCount: Int) throws(SQLError) {
        guard let column, case let .boolean(bits) = column.storage else {
            throw SQLError(.type, "\(isMax ? "max" : "min") expected a boolean column")
        }
        if best.count < groupCount { best.append(contentsOf: repeatElement(0, count: groupCount - best.count)) }
        let validity = column.validity
        for row in 0..<groups.count where validity?[row] ?? true {
            let k = Int(groups[row])
            let x: UInt8 = bits[row] ? 2 : 1
            if best[k] == 0 || (isMax ? x > best[k] : x < best[k]) { best[k] = x }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32], groupCount: Int) throws(SQLError) {
        guard let other = other as? BooleanMinMax else { throw mergeMismatch() }
        if best.count < groupCount { best.append(contentsOf: repeatElement(0, count: groupCount - best.count)) }
        for g in other.best.indices where other.best[g] != 0 {
            let m = Int(mapping[g]), x = other.best[g]
            if best[m] == 0 || (isMax ? x > best[m] : x < best[m]) { best[m] = x }
        }
    }

    func finish(groupCount: Int) throws(SQLError) -> Column {
        var builder = BooleanColumnBuilder(capacity: groupCount)
        for g in 0..<groupCount {
            let v = g < best.count ? best[g] : 0
            if v == 0 { builder.appendNull() } else { builder.append(v == 2) }
        }
        return try columnar("min/max") { () throws(ColumnarError) in try builder.finish() }
    }
}

import Foundation
