// CompareColumns: two columns of one type compared row by row (`a < b`), as a
// three-valued boolean column — for SQL expressions and MERGE/UPDATE conditions.
// Must never compare across types implicitly: callers cast first (see `cast(to:)`).

extension Column {
    /// `self[i] op other[i]` for every row: null where either side is null. Both
    /// columns must have the same type (`.typeMismatch`) and length (`.invalidBatch`).
    /// Order is the sort kernel's: NaN equals NaN and is above every number, strings
    /// byte-wise, nested values element by element. Cost: one pass; fixed-width types
    /// compare the buffers directly, other types through the row comparator.
    public func compare(_ op: ComparisonOperator, _ other: Column) throws(ColumnarError) -> Column {
        guard type == other.type else {
            throw .typeMismatch(expected: "\(type)", actual: "\(other.type)", context: "column comparison")
        }
        guard count == other.count else {
            throw .invalidBatch("compared columns have \(count) and \(other.count) rows")
        }
        var validity: Bitmap? = nil
        switch (self.validity, other.validity) {
        case let (a?, b?): validity = a & b
        case let (a?, nil): validity = a
        case let (nil, b?): validity = b
        case (nil, nil): validity = nil
        }
        var bits: Bitmap
        switch (storage, other.storage) {
        case let (.int8(a), .int8(b)): bits = Column.pairwise(a, b, op)
        case let (.int16(a), .int16(b)): bits = Column.pairwise(a, b, op)
        case let (.int32(a), .int32(b)): bits = Column.pairwise(a, b, op)
        case let (.int64(a), .int64(b)): bits = Column.pairwise(a, b, op)
        case let (.uint8(a), .uint8(b)): bits = Column.pairwise(a, b, op)
        case let (.uint16(a), .uint16(b)): bits = Column.pairwise(a, b, op)
        case let (.uint32(a), .uint32(b)): bits = Column.pairwise(a, b, op)
        case let (.uint64(a), .uint64(b)): bits = Column.pairwise(a, b, op)
        case let (.int128(a), .int128(b)): bits = Column.pairwise(a, b, op)
        default:
            // Both columns side by side in one column, so one row comparator sees both.
            let joined = try Column.concatUnchecked([self, other], type: type)
            let order = joined.rowComparator()
            let n = count
            var writer = BitWriter(capacity: n)
            for i in 0..<n { writer.append(Column.satisfies(order(i, n + i), op)) }
            bits = writer.finish()
        }
        if let validity { bits = bits & validity }
        return .make(.boolean, count: count, validity: validity, storage: .boolean(bits))
    }

    private static func pairwise<T: Comparable>(_ a: [T], _ b: [T], _ op: ComparisonOperator) -> Bitmap {
        var writer = BitWriter(capacity: a.count)
        // SAFETY: both buffers have the column length (checked by the caller).
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                for i in 0..<x.count { writer.append(satisfies(x[i] < y[i] ? -1 : (x[i] == y[i] ? 0 : 1), op)) }
            }
        }
        return writer.finish()
    }

    @inline(__always)
    static func satisfies(_ order: Int, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}
