// Predicate: a filter over named columns that scans push down to skip data, and the
// pure rules for deciding from min/max/null-count statistics whether data may match.
// Shared by Parquet row-group pruning, Delta file skipping and SQL pushdown; must
// never decide "cannot match" unless the statistics prove it (stats are bounds).

/// Comparison operators of predicates and kernels.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The operator with its operands swapped (`a < b` ⇔ `b > a`).
    public var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }
}

/// A boolean filter over columns, referenced by (top-level or dotted nested) name.
public indirect enum Predicate: Sendable, Hashable, CustomStringConvertible {
    case comparison(column: String, op: ComparisonOperator, value: ScalarValue)
    case isNull(column: String)
    case isNotNull(column: String)
    case inList(column: String, values: [ScalarValue])
    case and(Predicate, Predicate)
    case or(Predicate, Predicate)
    case not(Predicate)
    case constant(Bool)

    /// Column names the predicate reads.
    public var columns: Set<String> {
        switch self {
        case let .comparison(c, _, _), let .isNull(c), let .isNotNull(c), let .inList(c, _): return [c]
        case let .and(a, b), let .or(a, b): return a.columns.union(b.columns)
        case let .not(p): return p.columns
        case .constant: return []
        }
    }

    public var description: String {
        switch self {
        case let .comparison(c, op, v): return "\(c) \(op.rawValue) \(v)"
        case let .isNull(c): return "\(c) IS NULL"
        case let .isNotNull(c): return "\(c) IS NOT NULL"
        case let .inList(c, vs): return "\(c) IN (" + vs.map(\.description).joined(separator: ", ") + ")"
        case let .and(a, b): return "(\(a) AND \(b))"
        case let .or(a, b): return "(\(a) OR \(b))"
        case let .not(p): return "NOT (\(p))"
        case let .constant(b): return b ? "TRUE" : "FALSE"
        }
    }
}

/// What statistics say about one column of a unit of data (file, row group, page).
/// `min`/`max` are bounds (the true extremes lie inside them); nil when unknown.
public struct ColumnBounds: Sendable, Hashable {
    public var min: ScalarValue?
    public var max: ScalarValue?
    public var nullCount: Int?
    public var rowCount: Int?

    public init(min: ScalarValue?, max: ScalarValue?, nullCount: Int?, rowCount: Int?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
        self.rowCount = rowCount
    }
}

extension Predicate {
    /// Whether rows described by `bounds` may satisfy the predicate. Returns false only
    /// when the statistics prove no row matches; unknown columns or stats mean "may".
    public func mayMatch(_ bounds: (String) -> ColumnBounds?) -> Bool {
        switch self {
        case let .constant(b):
            return b
        case let .and(a, b):
            return a.mayMatch(bounds) && b.mayMatch(bounds)
        case let .or(a, b):
            return a.mayMatch(bounds) || b.mayMatch(bounds)
        case .not:
            // Negation of a bound test is not a bound test; only push through simple forms.
            return negatedMayMatch(bounds)
        case let .isNull(column):
            guard let b = bounds(column), let nulls = b.nullCount else { return true }
            return nulls > 0
        case let .isNotNull(column):
            guard let b = bounds(column), let nulls = b.nullCount, let rows = b.rowCount else { return true }
            return nulls < rows
        case let .inList(column, values):
            return values.contains { Predicate.comparison(column: column, op: .equal, value: $0).mayMatch(bounds) }
        case let .comparison(column, op, value):
            guard let b = bounds(column) else { return true }
            if value == .null { return false }  // comparison with NULL is never true
            if let nulls = b.nullCount, let rows = b.rowCount, rows > 0, nulls == rows { return false }
            switch op {
            case .equal:
                if let min = b.min, let c = ScalarValue.order(value, min), c < 0 { return false }
                if let max = b.max, let c = ScalarValue.order(value, max), c > 0 { return false }
                return true
            case .notEqual:
                if let min = b.min, let max = b.max, let c1 = ScalarValue.order(min, value), c1 == 0,
                   let c2 = ScalarValue.order(max, value), c2 == 0, b.nullCount != nil {
                    return false
                }
                return true
            case .less:
                if let min = b.min, let c = ScalarValue.order(min, value), c >= 0 { return false }
                return true
            case .lessOrEqual:
                if let min = b.min, let c = ScalarValue.order(min, value), c > 0 { return false }
                return true
            case .greater:
                if let max = b.max, let c = ScalarValue.order(max, value), c <= 0 { return false }
                return true
            case .greaterOrEqual:
                if let max = b.max, let c = ScalarValue.order(max, value), c < 0 { return false }
                return true
            }
        }
    }

    private func negatedMayMatch(_ bounds: (String) -> ColumnBounds?) -> Bool {
        guard case let .not(inner) = self else { return true }
        switch inner {
        case let .comparison(c, op, v):
            let negated: ComparisonOperator
            switch op {
            case .equal: negated = .notEqual
            case .notEqual: negated = .equal
            case .less: negated = .greaterOrEqual
            case .lessOrEqual: negated = .greater
            case .greater: negated = .lessOrEqual
            case .greaterOrEqual: negated = .less
            }
            return Predicate.comparison(column: c, op: negated, value: v).mayMatch(bounds)
        case let .isNull(c): return Predicate.isNotNull(column: c).mayMatch(bounds)
        case let .isNotNull(c): return Predicate.isNull(column: c).mayMatch(bounds)
        case let .not(p): return p.mayMatch(bounds)
        case let .and(a, b): return Predicate.or(.not(a), .not(b)).mayMatch(bounds)
        case let .or(a, b): return Predicate.and(.not(a), .not(b)).mayMatch(bounds)
        case let .constant(b): return !b
        case .inList: return true
        }
    }
}

extension ScalarValue {
    /// Total order between two non-null scalars of comparable kinds: negative, zero or
    /// positive; nil when they cannot be compared (different kinds, nulls, nested).
    /// Integers compare exactly across signedness; integers and floats compare as
    /// doubles; NaN equals NaN and sorts above every other number; strings and
    /// binaries compare byte-wise (UTF-8 byte order equals code point order);
    /// decimals compare after rescaling.
    public static func order(_ a: ScalarValue, _ b: ScalarValue) -> Int? {
        switch (a, b) {
        case let (.boolean(x), .boolean(y)): return x == y ? 0 : (x ? 1 : -1)
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.uint(x), .uint(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.int(x), .uint(y)): return x < 0 ? -1 : order(.uint(UInt64(x)), .uint(y))
        case let (.uint(x), .int(y)): return y < 0 ? 1 : order(.uint(x), .uint(UInt64(y)))
        case let (.float(x), .float(y)): return floatOrder(x, y)
        case let (.float(x), .int(y)): return floatOrder(x, Double(y))
        case let (.int(x), .float(y)): return floatOrder(Double(x), y)
        case let (.float(x), .uint(y)): return floatOrder(x, Double(y))
        case let (.uint(x), .float(y)): return floatOrder(Double(x), y)
        case let (.string(x), .string(y)): return bytesOrder(Array(x.utf8), Array(y.utf8))
        case let (.binary(x), .binary(y)): return bytesOrder(x, y)
        case let (.string(x), .binary(y)): return bytesOrder(Array(x.utf8), y)
        case let (.binary(x), .string(y)): return bytesOrder(x, Array(y.utf8))
        case let (.date(x), .date(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.timestamp(x, _), .timestamp(y, _)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.date(x), .timestamp(y, _)): return order(.timestamp(Int64(x) * 86_400_000_000, .utc), .timestamp(y, .utc))
        case let (.timestamp(x, _), .date(y)): return order(.timestamp(x, .utc), .timestamp(Int64(y) * 86_400_000_000, .utc))
        case let (.decimal(x, sx), .decimal(y, sy)):
            let s = Swift.max(sx, sy)
            let (xs, o1) = x.multipliedReportingOverflow(by: pow10(s - sx))
            let (ys, o2) = y.multipliedReportingOverflow(by: pow10(s - sy))
            if o1 || o2 { return floatOrder(decimalDouble(x, sx), decimalDouble(y, sy)) }
            return xs < ys ? -1 : (xs == ys ? 0 : 1)
        case let (.decimal(x, sx), .int(y)): return order(.decimal(x, scale: sx), .decimal(Int128(y), scale: 0))
        case let (.int(x), .decimal(y, sy)): return order(.decimal(Int128(x), scale: 0), .decimal(y, scale: sy))
        case let (.decimal(x, sx), .float(y)): return floatOrder(decimalDouble(x, sx), y)
        case let (.float(x), .decimal(y, sy)): return floatOrder(x, decimalDouble(y, sy))
        default: return nil
        }
    }

    static func decimalDouble(_ v: Int128, _ scale: Int) -> Double {
        Double(v) / Double(pow10(scale))
    }

    @inline(__always)
    static func floatOrder(_ x: Double, _ y: Double) -> Int {
        if x.isNaN { return y.isNaN ? 0 : 1 }
        if y.isNaN { return -1 }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    static func bytesOrder(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let n = Swift.min(x.count, y.count)
        for i in 0..<n where x[i] != y[i] {
            return x[i] < y[i] ? -1 : 1
        }
        return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
    }
}
