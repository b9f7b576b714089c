// Filter: keep the rows whose bit is set in a selection mask. Fixed-width and boolean
// columns are compressed word by word; variable-length and nested columns gather the
// selected indices. Must never select a row whose mask bit is clear (a null in a
// boolean predicate column must already be cleared — see `Column.selectionMask`).

extension Column {
    /// The rows whose bit is set in `mask` (`mask.count` must equal `count`, else
    /// `.outOfRange`). All-set returns self; none-set returns an empty column.
    public func filter(_ mask: Bitmap) throws(ColumnarError) -> Column {
        guard mask.count == count else {
            throw .outOfRange("filter mask of \(mask.count) bits for a column of \(count) values")
        }
        let selected = mask.setCount
        if selected == count { return self }
        if selected == 0 { return Column.empty(type) }
        return try filterUnchecked(mask, selected: selected)
    }

    func filterUnchecked(_ mask: Bitmap, selected: Int) throws(ColumnarError) -> Column {
        switch storage {
        case let .boolean(bits):
            return Column.make(type, count: selected, validity: validity.map { $0.compress(mask, selected: selected) },
                               storage: .boolean(bits.compress(mask, selected: selected)))
                .attaching(dictionaryCompress(mask, selected: selected))
        case .bytes, .list, .structure, .map:
            // take keeps a dictionary side-car (gathering its codes).
            return try takeUnchecked(mask.setIndices)
        default:
            guard let fixed = type.storageKind.dispatch(FilterFixed(storage: storage, mask: mask, selected: selected)) else {
                throw .invalidBatch("filter cannot handle \(type)")
            }
            return Column.make(type, count: selected, validity: validity.map { $0.compress(mask, selected: selected) },
                               storage: fixed)
                .attaching(dictionaryCompress(mask, selected: selected))
        }
    }

    /// The dictionary side-car of the selected rows (codes compressed like the values).
    private func dictionaryCompress(_ mask: Bitmap, selected: Int) -> ColumnDictionary? {
        guard let dictionary,
              case let .int32(codes) = FilterFixed(storage: .int32(dictionary.codes), mask: mask, selected: selected).visit(Int32.self)
        else { return nil }
        return ColumnDictionary(unchecked: codes, values: dictionary.values)
    }

    /// A boolean column as a selection mask: true and non-null rows are selected,
    /// false and null rows are not (SQL WHERE semantics).
    public func selectionMask() throws(ColumnarError) -> Bitmap {
        guard case let .boolean(bits) = storage else {
            throw .typeMismatch(expected: "boolean", actual: "\(type)", context: "selection mask")
        }
        if let validity { return bits & validity }
        return bits
    }
}

private struct FilterFixed: PrimitiveVisitor {
    let storage: ColumnStorage
    let mask: Bitmap
    let selected: Int
    func visit<T: ColumnPrimitive>(_: T.Type) -> ColumnStorage {
        guard let values = T.unwrap(storage) else { return T.wrap([]) }
        let maskWords = mask.words
        let out = [T](unsafeUninitializedCapacity: selected) { buffer, initialized in
            var o = 0
            values.withUnsafeBufferPointer { src in
                for (w, word) in maskWords.enumerated() {
                    let base = w << 6
                    if word == ~0 {
                        // SAFETY: a full mask word lies inside the column (tail bits are zero),
                        // and the output holds setCount values.
                        for j in 0..<64 { buffer[o + j] = src[base + j] }
                        o += 64
                        continue
                    }
                    var bits = word
                    while bits != 0 {
                        buffer[o] = src[base + bits.trailingZeroBitCount]
                        o += 1
                        bits &= bits &- 1
                    }
                }
            }
            initialized = o
        }
        return T.wrap(out)
    }
}

extension RecordBatch {
    /// The rows whose bit is set in `mask` (`mask.count` must equal `rowCount`).
    public func filter(_ mask: Bitmap) throws(ColumnarError) -> RecordBatch {
        guard mask.count == rowCount else {
            throw .outOfRange("filter mask of \(mask.count) bits for a batch of \(rowCount) rows")
        }
        let selected = mask.setCount
        if selected == rowCount { return self }
        if selected == 0 { return RecordBatch.empty(schema) }
        var out: [Column] = []
        out.reserveCapacity(columns.count)
        // Nested and variable-length columns share one index list.
        var indices: [Int]? = nil
        for column in columns {
            switch column.storage {
            case .bytes, .list, .structure, .map:
                if indices == nil { indices = mask.setIndices }
                out.append(try column.takeUnchecked(indices ?? mask.setIndices))
            default:
                out.append(try column.filterUnchecked(mask, selected: selected))
            }
        }
        return RecordBatch(unchecked: schema, columns: out, rowCount: selected)
    }
}
