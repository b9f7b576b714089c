// FunctionCatalog: the names of the functions the expression language knows, and which
// of them are aggregates. Must never hold evaluation code (scalar functions are
// evaluated in Evaluation/, aggregates by the SQL engine).

/// Which function names exist, and which are aggregates.
public enum FunctionCatalog {
    /// Aggregate functions, computed by the SQL engine over groups.
    public static let aggregates: Set<String> = [
        "count", "sum", "avg", "mean", "min", "max", "any_value", "first", "last",
        "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
        "count_if", "bool_and", "bool_or", "every", "approx_count_distinct",
    ]

    /// Scalar functions evaluated by `BoundExpression`.
    public static let scalars: Set<String> = [
        "lower", "lcase", "upper", "ucase", "length", "len", "char_length", "character_length", "octet_length",
        "substr", "substring", "trim", "btrim", "ltrim", "rtrim", "concat", "concat_ws", "replace",
        "starts_with", "startswith", "ends_with", "endswith", "contains", "left", "right", "lpad", "rpad",
        "reverse", "repeat", "strpos", "instr", "position",
        "coalesce", "ifnull", "nvl", "nullif", "if", "iff", "greatest", "least",
        "abs", "round", "floor", "ceil", "ceiling", "sqrt", "ln", "log10", "log2", "exp",
        "power", "pow", "mod", "sign", "signum",
        "date_trunc", "date_part", "datepart", "year", "quarter", "month", "week", "weekofyear", "day", "dayofmonth",
        "dayofweek", "dayofyear", "hour", "minute", "second",
        "date_add", "date_sub", "datediff", "date_diff",
        "now", "current_timestamp", "localtimestamp", "current_date", "today",
    ]

    /// Functions that exist only as window functions (`row_number() OVER (…)`); the
    /// aggregates above are window functions too when called with OVER.
    public static let windowOnly: Set<String> = [
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
    ]

    /// Whether `name` (any case) is an aggregate function.
    public static func isAggregate(_ name: String) -> Bool {
        aggregates.contains(name.lowercased())
    }

    /// Whether `name` (any case) is a known scalar function.
    public static func isScalar(_ name: String) -> Bool {
        scalars.contains(name.lowercased())
    }
}
