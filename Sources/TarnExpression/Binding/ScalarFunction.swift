// ScalarFunction: the resolved scalar functions, with the constant parameters that
// binding fixed (substr positions, pad widths, date_trunc units). Owns the names they
// print as; evaluation is in Evaluation/Functions*.swift.

/// Which side TRIM removes spaces from.
public enum TrimSide: String, Sendable, Hashable {
    case both, leading, trailing
}

/// A bound scalar function. Arguments that must be constants are parameters here;
/// the remaining (per-row) arguments are the `BoundExpression.function` operands.
public enum ScalarFunction: Sendable, Hashable {
    // Strings (operands: strings).
    case lower, upper, length, octetLength, reverse
    /// 1-based start (negative counts from the end); nil length = to the end.
    case substring(start: Int64, length: Int64?)
    case trim(TrimSide)
    /// NULL operands are skipped.
    case concat
    case concatWithSeparator(String)
    case replace(String, String)
    case startsWith(String), endsWith(String), contains(String)
    /// 1-based position of the first occurrence, 0 when absent.
    case position(String)
    case left(Int64), right(Int64), repeatText(Int64)
    case pad(width: Int64, fill: String, atStart: Bool)
    // Conditional (operands: one common type).
    case coalesce, nullIf, greatest, least
    // Math.
    case abs, floor, ceil, sign
    case round(digits: Int)
    /// Operands cast to double.
    case sqrt, ln, log10, log2, exp, power
    // Dates and timestamps.
    case dateTrunc(DateTimeField)
    case extract(DateTimeField)
    /// date/timestamp + count units (count may be negative).
    case addInterval(IntervalUnit, Int64)
    /// Days from the second operand to the first (dates).
    case dateDiff

    /// Whether the result depends only on the operands (all are; `now()` is bound to a
    /// constant when the statement starts).
    public var isDeterministic: Bool { true }

    public var name: String {
        switch self {
        case .lower: return "lower"
        case .upper: return "upper"
        case .length: return "length"
        case .octetLength: return "octet_length"
        case .reverse: return "reverse"
        case .substring: return "substr"
        case let .trim(side): return side == .both ? "trim" : (side == .leading ? "ltrim" : "rtrim")
        case .concat: return "concat"
        case .concatWithSeparator: return "concat_ws"
        case .replace: return "replace"
        case .startsWith: return "starts_with"
        case .endsWith: return "ends_with"
        case .contains: return "contains"
        case .position: return "strpos"
        case .left: return "left"
        case .right: return "right"
        case .repeatText: return "repeat"
        case let .pad(_, _, atStart): return atStart ? "lpad" : "rpad"
        case .coalesce: return "coalesce"
        case .nullIf: return "nullif"
        case .greatest: return "greatest"
        case .least: return "least"
        case .abs: return "abs"
        case .floor: return "floor"
        case .ceil: return "ceil"
        case .sign: return "sign"
        case .round: return "round"
        case .sqrt: return "sqrt"
        case .ln: return "ln"
        case .log10: return "log10"
        case .log2: return "log2"
        case .exp: return "exp"
        case .power: return "power"
        case .dateTrunc: return "date_trunc"
        case .extract: return "extract"
        case .addInterval: return "date_add"
        case .dateDiff: return "datediff"
        }
    }
}
