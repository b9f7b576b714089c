// Repeat: a column holding one value many times (partition columns restored on scan,
// literals in expressions). Builds the value once and gathers it with the typed take
// kernel; never appends a ScalarValue per row.

extension Column {
    /// A column of `count` copies of `value` (nulls when `value` is `.null`).
    /// - Throws: `ColumnarError` when `value` does not fit `type`.
    public static func repeating(_ value: ScalarValue, type: DataType, count: Int) throws(ColumnarError) -> Column {
        if value == .null { return Column.nulls(type, count: count) }
        let one = try Column(type, scalars: [value])
        if count == 1 { return one }
        return try one.take([Int](repeating: 0, count: max(0, count)))
    }
}
