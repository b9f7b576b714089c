// Slice: a contiguous row range of a column or batch, copied into new buffers with
// offsets rebased to zero. Must never share a partially-used offset buffer (every
// column it returns starts its offsets at 0) and never trap on a bad range.

extension Column {
    /// Rows `range` of the column (nested children sliced to the referenced entries).
    /// Throws `.outOfRange` when the range is not inside `0..<count`. Cost: O(range) copy.
    public func slice(_ range: Range<Int>) throws(ColumnarError) -> Column {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw .outOfRange("slice \(range.lowerBound)..<\(range.upperBound) of a column of \(count) values")
        }
        if range.lowerBound == 0 && range.upperBound == count { return self }
        return sliceUnchecked(range)
    }

    func sliceUnchecked(_ range: Range<Int>) -> Column {
        let newValidity = validity.map { $0.extract(range) }
        let newStorage: ColumnStorage
        switch storage {
        case let .boolean(bits): newStorage = .boolean(bits.extract(range))
        case let .int8(v): newStorage = .int8(Array(v[range]))
        case let .int16(v): newStorage = .int16(Array(v[range]))
        case let .int32(v): newStorage = .int32(Array(v[range]))
        case let .int64(v): newStorage = .int64(Array(v[range]))
        case let .uint8(v): newStorage = .uint8(Array(v[range]))
        case let .uint16(v): newStorage = .uint16(Array(v[range]))
        case let .uint32(v): newStorage = .uint32(Array(v[range]))
        case let .uint64(v): newStorage = .uint64(Array(v[range]))
        case let .float32(v): newStorage = .float32(Array(v[range]))
        case let .float64(v): newStorage = .float64(Array(v[range]))
        case let .int128(v): newStorage = .int128(Array(v[range]))
        case let .bytes(offsets, data):
            let (newOffsets, childRange) = Column.rebase(offsets, range)
            newStorage = .bytes(offsets: newOffsets, data: Array(data[childRange]))
        case let .list(offsets, values):
            let (newOffsets, childRange) = Column.rebase(offsets, range)
            newStorage = .list(offsets: newOffsets, values: values.sliceUnchecked(childRange))
        case let .structure(children):
            newStorage = .structure(children.map { $0.sliceUnchecked(range) })
        case let .map(offsets, keys, values):
            let (newOffsets, childRange) = Column.rebase(offsets, range)
            newStorage = .map(offsets: newOffsets, keys: keys.sliceUnchecked(childRange),
                              values: values.sliceUnchecked(childRange))
        }
        // A dictionary side-car follows its rows (the codes are sliced too).
        return Column.make(type, count: range.count, validity: newValidity, storage: newStorage)
            .attaching(dictionarySlice(range))
    }

    /// Offsets of rows `range` rebased to start at zero, and the child range they cover.
    static func rebase(_ offsets: [Int32], _ range: Range<Int>) -> ([Int32], Range<Int>) {
        let start = offsets[range.lowerBound]
        let end = offsets[range.upperBound]
        let rebased = [Int32](unsafeUninitializedCapacity: range.count + 1) { buffer, initialized in
            offsets.withUnsafeBufferPointer { src in
                // SAFETY: range.upperBound < offsets.count because offsets has count + 1 entries.
                for i in 0...range.count { buffer[i] = src[range.lowerBound + i] &- start }
            }
            initialized = range.count + 1
        }
        return (rebased, Int(start)..<Int(end))
    }
}

extension RecordBatch {
    /// Rows `range` of every column. Throws `.outOfRange` when outside `0..<rowCount`.
    public func slice(_ range: Range<Int>) throws(ColumnarError) -> RecordBatch {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw .outOfRange("slice \(range.lowerBound)..<\(range.upperBound) of a batch of \(rowCount) rows")
        }
        if range.lowerBound == 0 && range.upperBound == rowCount { return self }
        return RecordBatch(unchecked: schema, columns: columns.map { $0.sliceUnchecked(range) }, rowCount: range.count)
    }
}
