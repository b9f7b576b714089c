// Take: gather rows by index (any order, repeats allowed) for every type, nested
// children gathered through their offsets. Must never read an unchecked index: every
// index is checked once up front and a bad one is `.outOfRange`, not a trap.

extension Column {
    /// The rows at `indices`, in that order. Throws `.outOfRange` naming the first
    /// index outside `0..<count`. Cost: O(indices + gathered child values).
    public func take(_ indices: [Int]) throws(ColumnarError) -> Column {
        let n = count
        for (position, index) in indices.enumerated() where index < 0 || index >= n {
            throw .outOfRange("take index \(index) at position \(position) is outside 0..<\(n)")
        }
        return try takeUnchecked(indices)
    }

    /// Gathers rows whose indices the caller has checked to be inside `0..<count`.
    func takeUnchecked(_ indices: [Int]) throws(ColumnarError) -> Column {
        let newValidity = validity.map { $0.gather(indices) }
        let newStorage: ColumnStorage
        switch storage {
        case let .boolean(bits):
            newStorage = .boolean(bits.gather(indices))
        case let .bytes(offsets, data):
            var total = 0
            for i in indices { total += Int(offsets[i + 1] - offsets[i]) }
            _ = try checkedOffset(total, "string/binary")
            var newOffsets = [Int32](repeating: 0, count: indices.count + 1)
            let newData = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
                data.withUnsafeBufferPointer { src in
                    offsets.withUnsafeBufferPointer { off in
                        var position = 0
                        for (o, i) in indices.enumerated() {
                            let start = Int(off[i]), end = Int(off[i + 1])
                            // SAFETY: offsets were validated when the column was built, so
                            // start...end lies inside data; the sum of lengths is `total`.
                            if end > start, let dst = buffer.baseAddress, let s = src.baseAddress {
                                (dst + position).update(from: s + start, count: end - start)
                            }
                            position += end - start
                            newOffsets[o + 1] = Int32(truncatingIfNeeded: position)
                        }
                    }
                }
                initialized = total
            }
            newStorage = .bytes(offsets: newOffsets, data: newData)
        case let .list(offsets, values):
            let (newOffsets, childIndices) = try Column.expand(offsets, indices, "list")
            newStorage = .list(offsets: newOffsets, values: try values.takeUnchecked(childIndices))
        case let .map(offsets, keys, values):
            let (newOffsets, childIndices) = try Column.expand(offsets, indices, "map")
            newStorage = .map(offsets: newOffsets, keys: try keys.takeUnchecked(childIndices),
                              values: try values.takeUnchecked(childIndices))
        case let .structure(children):
            var taken: [Column] = []
            taken.reserveCapacity(children.count)
            for child in children { taken.append(try child.takeUnchecked(indices)) }
            newStorage = .structure(taken)
        default:
            guard let fixed = type.storageKind.dispatch(TakeFixed(storage: storage, indices: indices)) else {
                throw .invalidBatch("take cannot handle \(type)")
            }
            newStorage = fixed
        }
        // A dictionary side-car follows its rows (the codes are gathered too).
        return Column.make(type, count: indices.count, validity: newValidity, storage: newStorage)
            .attaching(dictionaryGather(indices))
    }

    /// New offsets for the rows at `indices` and the child indices they cover.
    static func expand(_ offsets: [Int32], _ indices: [Int], _ what: String) throws(ColumnarError) -> ([Int32], [Int]) {
        var newOffsets: [Int32] = [0]
        newOffsets.reserveCapacity(indices.count + 1)
        var total = 0
        for i in indices {
            total += Int(offsets[i + 1] - offsets[i])
            newOffsets.append(try checkedOffset(total, what))
        }
        var childIndices: [Int] = []
        childIndices.reserveCapacity(total)
        for i in indices {
            childIndices.append(contentsOf: Int(offsets[i])..<Int(offsets[i + 1]))
        }
        return (newOffsets, childIndices)
    }
}

private struct TakeFixed: PrimitiveVisitor {
    let storage: ColumnStorage
    let indices: [Int]
    func visit<T: ColumnPrimitive>(_: T.Type) -> ColumnStorage {
        guard let values = T.unwrap(storage) else { return T.wrap([]) }
        let out = [T](unsafeUninitializedCapacity: indices.count) { buffer, initialized in
            values.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { idx in
                    // SAFETY: every index was checked against the column length by the caller.
                    for o in 0..<idx.count { buffer[o] = src[idx[o]] }
                }
            }
            initialized = indices.count
        }
        return T.wrap(out)
    }
}

extension RecordBatch {
    /// The rows at `indices` of every column. Throws `.outOfRange` for a bad index.
    public func take(_ indices: [Int]) throws(ColumnarError) -> RecordBatch {
        for (position, index) in indices.enumerated() where index < 0 || index >= rowCount {
            throw .outOfRange("take index \(index) at position \(position) is outside 0..<\(rowCount)")
        }
        var taken: [Column] = []
        taken.reserveCapacity(columns.count)
        for column in columns { taken.append(try column.takeUnchecked(indices)) }
        return RecordBatch(unchecked: schema, columns: taken, rowCount: indices.count)
    }
}
