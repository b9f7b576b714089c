// Concat: columns (or batches) of one type appended into one, offsets rebased and
// nested children concatenated recursively. Must never mix types silently: differing
// types or schemas are a typed error, as is exceeding the 2^31 offset limit.

extension Column {
    /// The columns' rows one after another. All columns must have the same type
    /// (`.typeMismatch` otherwise); an empty list is `.invalidBatch` (no type known).
    public static func concat(_ columns: [Column]) throws(ColumnarError) -> Column {
        guard let first = columns.first else {
            throw .invalidBatch("concat of no columns has no type")
        }
        for column in columns where column.type != first.type {
            throw .typeMismatch(expected: "\(first.type)", actual: "\(column.type)", context: "concat")
        }
        if columns.count == 1 { return first }
        return try concatUnchecked(columns, type: first.type)
    }

    static func concatUnchecked(_ columns: [Column], type: DataType) throws(ColumnarError) -> Column {
        let total = columns.reduce(0) { $0 + $1.count }
        var validity: Bitmap? = nil
        if columns.contains(where: { $0.validity != nil }) {
            var writer = BitWriter(capacity: total)
            for column in columns {
                if let v = column.validity { writer.append(v) } else { writer.append(repeating: true, count: column.count) }
            }
            validity = writer.finish()
        }
        let storage: ColumnStorage
        switch type.storageKind {
        case .boolean:
            var writer = BitWriter(capacity: total)
            for column in columns {
                if case let .boolean(bits) = column.storage { writer.append(bits) }
            }
            storage = .boolean(writer.finish())
        case .bytes:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            var data: [UInt8] = []
            data.reserveCapacity(columns.reduce(0) { acc, c in
                if case let .bytes(_, d) = c.storage { return acc + d.count }
                return acc
            })
            for column in columns {
                guard case let .bytes(o, d) = column.storage else { continue }
                let base = try checkedOffset(data.count, "string/binary")
                _ = try checkedOffset(data.count + d.count, "string/binary")
                data.append(contentsOf: d)
                for i in 1..<o.count { offsets.append(o[i] &+ base) }
            }
            storage = .bytes(offsets: offsets, data: data)
        case .list:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            var children: [Column] = []
            var base = 0
            for column in columns {
                guard case let .list(o, values) = column.storage else { continue }
                let b = try checkedOffset(base, "list")
                for i in 1..<o.count { offsets.append(o[i] &+ b) }
                base += values.count
                children.append(values)
            }
            _ = try checkedOffset(base, "list")
            guard case let .list(element) = type else { throw .invalidBatch("list storage for \(type)") }
            storage = .list(offsets: offsets, values: try concatUnchecked(children, type: element.type))
        case .map:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            var keys: [Column] = [], values: [Column] = []
            var base = 0
            for column in columns {
                guard case let .map(o, k, v) = column.storage else { continue }
                let b = try checkedOffset(base, "map")
                for i in 1..<o.count { offsets.append(o[i] &+ b) }
                base += k.count
                keys.append(k)
                values.append(v)
            }
            _ = try checkedOffset(base, "map")
            guard case let .map(keyField, valueField) = type else { throw .invalidBatch("map storage for \(type)") }
            storage = .map(offsets: offsets, keys: try concatUnchecked(keys, type: keyField.type),
                           values: try concatUnchecked(values, type: valueField.type))
        case .structure:
            guard case let .structure(fields) = type else { throw .invalidBatch("struct storage for \(type)") }
            var children: [Column] = []
            for (f, field) in fields.enumerated() {
                var parts: [Column] = []
                parts.reserveCapacity(columns.count)
                for column in columns {
                    if case let .structure(c) = column.storage { parts.append(c[f]) }
                }
                children.append(try concatUnchecked(parts, type: field.type))
            }
            storage = .structure(children)
        default:
            guard let fixed = type.storageKind.dispatch(ConcatFixed(columns: columns, total: total)) else {
                throw .invalidBatch("concat cannot handle \(type)")
            }
            storage = fixed
        }
        return .make(type, count: total, validity: validity, storage: storage)
    }
}

private struct ConcatFixed: PrimitiveVisitor {
    let columns: [Column]
    let total: Int
    func visit<T: ColumnPrimitive>(_: T.Type) -> ColumnStorage {
        var out: [T] = []
        out.reserveCapacity(total)
        for column in columns {
            if let values = T.unwrap(column.storage) { out.append(contentsOf: values) }
        }
        return T.wrap(out)
    }
}

extension RecordBatch {
    /// The batches' rows one after another. All batches must have the same field names
    /// and types (`.typeMismatch` naming the first difference); an empty list is
    /// `.invalidBatch`. Nullability and metadata come from the first batch.
    public static func concat(_ batches: [RecordBatch]) throws(ColumnarError) -> RecordBatch {
        guard let first = batches.first else { throw .invalidBatch("concat of no batches has no schema") }
        for batch in batches.dropFirst() {
            guard batch.schema.count == first.schema.count else {
                throw .typeMismatch(expected: "\(first.schema)", actual: "\(batch.schema)", context: "concat of batches")
            }
            for (a, b) in zip(first.schema.fields, batch.schema.fields) where a.name != b.name || a.type != b.type {
                throw .typeMismatch(expected: "\(a)", actual: "\(b)", context: "concat of batches")
            }
        }
        if batches.count == 1 { return first }
        var columns: [Column] = []
        for (i, field) in first.schema.fields.enumerated() {
            columns.append(try Column.concatUnchecked(batches.map { $0.columns[i] }, type: field.type))
        }
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        return RecordBatch(unchecked: first.schema, columns: columns, rowCount: rows)
    }
}
