// LevelShredder: turns a column (flat or nested) into Parquet leaves — definition and
// repetition levels (Dremel) plus the non-null leaf values in physical form.
// Owns the level rules for nulls at every depth, empty lists and maps; must never
// encode bytes (pages do that) and never box values (typed arrays in, typed arrays out).

import TarnColumnar

/// Non-null values of one leaf in their physical form, in level order. Fixed-width
/// values are slices so a row group of a larger batch shares the batch's buffer.
enum LeafValues: Sendable {
    case boolean([Bool])
    case int32(ArraySlice<Int32>)
    case int64(ArraySlice<Int64>)
    case float(ArraySlice<Float>)
    case double(ArraySlice<Double>)
    /// Arrow layout: value i is `data[offsets[i]..<offsets[i+1]]`.
    case byteArray(offsets: [Int32], data: [UInt8])
    /// Values of `width` bytes back to back.
    case fixedLenByteArray(data: [UInt8], width: Int)

    var count: Int {
        switch self {
        case let .boolean(v): return v.count
        case let .int32(v): return v.count
        case let .int64(v): return v.count
        case let .float(v): return v.count
        case let .double(v): return v.count
        case let .byteArray(offsets, _): return max(0, offsets.count - 1)
        case let .fixedLenByteArray(data, width): return width > 0 ? data.count / width : 0
        }
    }

    /// Appends `other` (same case) after these values.
    /// - Throws: `.invalidArgument` when byte-array data would pass 2 GiB (Int32 offsets).
    mutating func append(_ other: LeafValues) throws(ParquetError) {
        if case let .byteArray(_, data) = self, case let .byteArray(otherOffsets, _) = other {
            let added = Int(otherOffsets.last ?? 0) - Int(otherOffsets.first ?? 0)
            guard data.count + added <= Int(Int32.max) else {
                throw .invalidArgument("byte-array values of one row group exceed 2 GiB; lower rowGroupBytes")
            }
        }
        switch (self, other) {
        case (.boolean(var a), .boolean(let b)): a.append(contentsOf: b); self = .boolean(a)
        case (.int32(var a), .int32(let b)): a.append(contentsOf: b); self = .int32(a)
        case (.int64(var a), .int64(let b)): a.append(contentsOf: b); self = .int64(a)
        case (.float(var a), .float(let b)): a.append(contentsOf: b); self = .float(a)
        case (.double(var a), .double(let b)): a.append(contentsOf: b); self = .double(a)
        case (.byteArray(var offsets, var data), .byteArray(let otherOffsets, let otherData)):
            let base = Int32(truncatingIfNeeded: data.count) &- (otherOffsets.first ?? 0)
            offsets.reserveCapacity(offsets.count + otherOffsets.count)
            for offset in otherOffsets.dropFirst() { offsets.append(offset &+ base) }
            data.append(contentsOf: otherData[Int(otherOffsets.first ?? 0)..<Int(otherOffsets.last ?? 0)])
            self = .byteArray(offsets: offsets, data: data)
        case (.fixedLenByteArray(var a, let width), .fixedLenByteArray(let b, _)):
            a.append(contentsOf: b)
            self = .fixedLenByteArray(data: a, width: width)
        default:
            break  // Leaves of one column always agree; shredding builds them from one type.
        }
    }
}

/// One leaf of a column chunk: levels and values.
struct ShreddedLeaf: Sendable {
    /// One entry per level; empty when the leaf's max definition level is 0 or when
    /// `uniformDefinitionLevel` stands for all of them.
    var definitionLevels: [UInt8]
    /// One entry per level (empty when the leaf's max repetition level is 0).
    var repetitionLevels: [UInt8]
    /// Number of level entries: the page headers' num_values (rows for flat leaves).
    var levelCount: Int
    var values: LeafValues
    /// Every entry's definition level when they are all the same and not stored
    /// (a flat nullable column without nulls), so no byte per row is written or scanned.
    var uniformDefinitionLevel: UInt8? = nil

    mutating func append(_ other: ShreddedLeaf) throws(ParquetError) {
        if let level = uniformDefinitionLevel, other.uniformDefinitionLevel == level {
            // Both uniform at the same level: stay uniform.
        } else {
            materializeDefinitionLevels()
            if let level = other.uniformDefinitionLevel {
                definitionLevels.append(contentsOf: repeatElement(level, count: other.levelCount))
            } else {
                definitionLevels.append(contentsOf: other.definitionLevels)
            }
        }
        repetitionLevels.append(contentsOf: other.repetitionLevels)
        levelCount += other.levelCount
        try values.append(other.values)
    }

    /// Stores the uniform definition level as one byte per entry.
    mutating func materializeDefinitionLevels() {
        guard let level = uniformDefinitionLevel else { return }
        definitionLevels = [UInt8](repeating: level, count: levelCount)
        uniformDefinitionLevel = nil
    }
}

/// Which slots of a column are non-null values of a leaf.
private enum Selection {
    /// Rows `range`, skipping those null in `validity`.
    case rows(Range<Int>, validity: Bitmap?)
    /// These slots, in this order (all non-null).
    case slots([Int32])
}

/// Slots at one node of the nested walk: for each level entry, the index into the
/// node's column, or -1 when an ancestor is null or empty (then `definition` holds
/// the level that entry ends at).
private struct LevelSlots {
    var index: [Int32] = []
    var definition: [UInt8] = []
    var repetition: [UInt8] = []

    init() {}

    init(rows: Range<Int>) {
        index = rows.map { Int32(truncatingIfNeeded: $0) }
        definition = [UInt8](repeating: 0, count: rows.count)
        repetition = [UInt8](repeating: 0, count: rows.count)
    }

    mutating func reserve(_ n: Int) {
        index.reserveCapacity(n)
        definition.reserveCapacity(n)
        repetition.reserveCapacity(n)
    }

    @inline(__always)
    mutating func append(index i: Int32, definition d: UInt8, repetition r: UInt8) {
        index.append(i)
        definition.append(d)
        repetition.append(r)
    }
}

/// Shreds columns into leaves, in the leaf order of `SchemaElementsBuilder`.
enum LevelShredder {
    /// The leaves of `column` (declared as `field`) for rows `rows`.
    /// - Throws: `.schemaMismatch` naming the field when a value is null where the
    ///   schema says required (a non-nullable field, a map key), or storage does not
    ///   match the type; `.invalidArgument` for a decimal that does not fit its precision.
    static func shred(_ column: Column, field: Field, rows: Range<Int>) throws(ParquetError) -> [ShreddedLeaf] {
        guard rows.lowerBound >= 0, rows.upperBound <= column.count else {
            throw .invalidArgument("rows \(rows) outside column \(field.name) of \(column.count) values")
        }
        if !field.type.isNested {
            return [try shredFlat(column, field: field, rows: rows)]
        }
        var leaves: [ShreddedLeaf] = []
        try visit(column, field: field, path: field.name, slots: LevelSlots(rows: rows), definitionBefore: 0,
                  repetition: 0, forceRequired: false, into: &leaves)
        return leaves
    }

    /// A top-level primitive column: definition levels from validity, no repetition.
    private static func shredFlat(_ column: Column, field: Field, rows: Range<Int>) throws(ParquetError) -> ShreddedLeaf {
        var definition: [UInt8] = []
        var uniform: UInt8? = nil
        if field.nullable {
            if let validity = column.validity {
                definition = [UInt8](repeating: 1, count: rows.count)
                definition.withUnsafeMutableBufferPointer { out in
                    validity.words.withUnsafeBufferPointer { words in
                        for (k, row) in rows.enumerated() {
                            // SAFETY: row < column.count == validity.count <= words.count * 64;
                            // k < rows.count == out.count.
                            out[k] = UInt8(truncatingIfNeeded: (words[row >> 6] >> UInt64(row & 63)) & 1)
                        }
                    }
                }
            } else {
                uniform = 1
            }
        } else if column.nullCount > 0 {
            let nulls = (column.validity?.slice(rows).setCount).map { rows.count - $0 } ?? 0
            if nulls > 0 {
                throw ParquetError.schemaMismatch("field \(field.name) is required but holds \(nulls) nulls").adding(column: field.name)
            }
        }
        let values = try physicalValues(column, field: field, path: field.name, .rows(rows, validity: column.validity))
        return ShreddedLeaf(definitionLevels: definition, repetitionLevels: [], levelCount: rows.count, values: values,
                            uniformDefinitionLevel: uniform)
    }

    private static func visit(
        _ column: Column, field: Field, path: String, slots incoming: LevelSlots, definitionBefore: Int,
        repetition: Int, forceRequired: Bool, into leaves: inout [ShreddedLeaf]
    ) throws(ParquetError) {
        let optional = field.nullable && !forceRequired
        let definitionHere = definitionBefore + (optional ? 1 : 0)
        var slots = incoming
        // End the entries whose value is null at this node.
        if column.validity != nil {
            for k in 0..<slots.index.count {
                let i = slots.index[k]
                guard i >= 0, column.isNull(Int(i)) else { continue }
                guard optional else {
                    throw ParquetError.schemaMismatch("field \(path) is required but holds a null").adding(column: path)
                }
                slots.index[k] = -1
                slots.definition[k] = UInt8(truncatingIfNeeded: definitionBefore)
            }
        }
        switch (field.type, column.storage) {
        case let (.structure(fields), .structure(children)):
            for (childField, child) in zip(fields, children) {
                try visit(child, field: childField, path: path + "." + childField.name, slots: slots,
                          definitionBefore: definitionHere, repetition: repetition, forceRequired: false, into: &leaves)
            }
        case let (.list(elementField), .list(offsets, values)):
            let inner = expand(slots, offsets: offsets, definitionHere: definitionHere, repetition: repetition)
            try visit(values, field: elementField, path: path + ".list." + elementField.name, slots: inner,
                      definitionBefore: definitionHere + 1, repetition: repetition + 1, forceRequired: false, into: &leaves)
        case let (.map(keyField, valueField), .map(offsets, keys, values)):
            let inner = expand(slots, offsets: offsets, definitionHere: definitionHere, repetition: repetition)
            try visit(keys, field: keyField, path: path + ".key_value." + keyField.name, slots: inner,
                      definitionBefore: definitionHere + 1, repetition: repetition + 1, forceRequired: true, into: &leaves)
            try visit(values, field: valueField, path: path + ".key_value." + valueField.name, slots: inner,
                      definitionBefore: definitionHere + 1, repetition: repetition + 1, forceRequired: false, into: &leaves)
        case (.list, _), (.map, _), (.structure, _):
            throw ParquetError.schemaMismatch("field \(path): storage \(column.storage.kind) does not match \(field.type)").adding(column: path)
        default:
            // A leaf: present entries reach the leaf's full definition level.
            let count = slots.index.count
            var definition: [UInt8] = []
            if definitionHere > 0 {
                definition = slots.definition
                let full = UInt8(truncatingIfNeeded: definitionHere)
                for k in 0..<count where slots.index[k] >= 0 { definition[k] = full }
            }
            var present: [Int32] = []
            present.reserveCapacity(count)
            for i in slots.index where i >= 0 { present.append(i) }
            let values = try physicalValues(column, field: field, path: path, .slots(present))
            leaves.append(ShreddedLeaf(
                definitionLevels: definition, repetitionLevels: repetition > 0 ? slots.repetition : [],
                levelCount: count, values: values))
        }
    }

    /// Slots of a list/map's entries: one per entry, or one ended slot for a null
    /// (already ended) or empty list. The first entry of a list keeps the list's
    /// repetition level; later ones repeat at this list's level.
    private static func expand(_ slots: LevelSlots, offsets: [Int32], definitionHere: Int, repetition: Int) -> LevelSlots {
        var inner = LevelSlots()
        inner.reserve(slots.index.count)
        let repeated = UInt8(truncatingIfNeeded: repetition + 1)
        let emptyDefinition = UInt8(truncatingIfNeeded: definitionHere)
        for k in 0..<slots.index.count {
            let i = Int(slots.index[k])
            if i < 0 {
                inner.append(index: -1, definition: slots.definition[k], repetition: slots.repetition[k])
                continue
            }
            let start = offsets[i], end = offsets[i + 1]
            if start >= end {
                inner.append(index: -1, definition: emptyDefinition, repetition: slots.repetition[k])
                continue
            }
            inner.append(index: start, definition: 0, repetition: slots.repetition[k])
            var j = start + 1
            while j < end {
                inner.append(index: j, definition: 0, repetition: repeated)
                j += 1
            }
        }
        return inner
    }

    // MARK: Values

    /// The selected values; a slice sharing `values`' buffer when nothing is skipped.
    private static func select<T>(_ values: [T], _ selection: Selection) -> ArraySlice<T> {
        switch selection {
        case let .rows(range, validity):
            guard let validity else { return values[range] }
            var out: [T] = []
            out.reserveCapacity(range.count)
            values.withUnsafeBufferPointer { source in
                validity.words.withUnsafeBufferPointer { words in
                    for row in range where (words[row >> 6] >> UInt64(row & 63)) & 1 == 1 {
                        // SAFETY: row < values.count (range checked by `shred`), and the
                        // bitmap has one bit per value.
                        out.append(source[row])
                    }
                }
            }
            return ArraySlice(out)
        case let .slots(slots):
            var out: [T] = []
            out.reserveCapacity(slots.count)
            values.withUnsafeBufferPointer { source in
                for i in slots {
                    // Slots come from offsets/rows that `Column` validated against the child length.
                    out.append(source[Int(i)])
                }
            }
            return ArraySlice(out)
        }
    }

    private static func selectedIndices(_ selection: Selection) -> [Int32] {
        switch selection {
        case let .slots(slots): return slots
        case let .rows(range, validity):
            var out: [Int32] = []
            out.reserveCapacity(range.count)
            for row in range where validity?[row] ?? true { out.append(Int32(truncatingIfNeeded: row)) }
            return out
        }
    }

    private static func physicalValues(
        _ column: Column, field: Field, path: String, _ selection: Selection
    ) throws(ParquetError) -> LeafValues {
        switch column.storage {
        case let .boolean(bits):
            let indices = selectedIndices(selection)
            var out: [Bool] = []
            out.reserveCapacity(indices.count)
            for i in indices { out.append(bits[Int(i)]) }
            return .boolean(out)
        case let .int8(v): return .int32(ArraySlice(select(v, selection).map { Int32($0) }))
        case let .int16(v): return .int32(ArraySlice(select(v, selection).map { Int32($0) }))
        case let .int32(v): return .int32(select(v, selection))
        case let .int64(v): return .int64(select(v, selection))
        case let .uint8(v): return .int32(ArraySlice(select(v, selection).map { Int32($0) }))
        case let .uint16(v): return .int32(ArraySlice(select(v, selection).map { Int32($0) }))
        case let .uint32(v): return .int32(ArraySlice(select(v, selection).map { Int32(bitPattern: $0) }))
        case let .uint64(v): return .int64(ArraySlice(select(v, selection).map { Int64(bitPattern: $0) }))
        case let .float32(v): return .float(select(v, selection))
        case let .float64(v): return .double(select(v, selection))
        case let .int128(v):
            guard case let .decimal(precision, _) = field.type else {
                throw ParquetError.schemaMismatch("field \(path): Int128 storage for \(field.type)").adding(column: path)
            }
            return try decimalValues(Array(select(v, selection)), precision: precision, path: path)
        case let .bytes(offsets, data):
            if case let .rows(range, nil) = selection {
                // Every row of the range: share the data, copy only the range's offsets.
                let rangeOffsets = range == 0..<(offsets.count - 1) ? offsets : Array(offsets[range.lowerBound...range.upperBound])
                return .byteArray(offsets: rangeOffsets, data: data)
            }
            return LeafValues.selectedByteArrays(offsets: offsets, data: data, selectedIndices(selection))
        case .list, .structure, .map:
            throw ParquetError.schemaMismatch("field \(path): nested storage for \(field.type)").adding(column: path)
        }
    }

    /// Unscaled decimals as INT32 (precision ≤ 9), INT64 (≤ 18) or big-endian FLBA.
    static func decimalValues(_ values: [Int128], precision: Int, path: String) throws(ParquetError) -> LeafValues {
        let limit = pow10(precision)
        for value in values where value >= limit || value <= -limit {
            throw ParquetError.invalidArgument("decimal unscaled value \(value) has more than \(precision) digits").adding(column: path)
        }
        if precision <= 9 { return .int32(ArraySlice(values.map { Int32(truncatingIfNeeded: $0) })) }
        if precision <= 18 { return .int64(ArraySlice(values.map { Int64(truncatingIfNeeded: $0) })) }
        let width = SchemaElementsBuilder.decimalByteWidth(precision: precision)
        var data = [UInt8](repeating: 0, count: values.count * width)
        var position = 0
        for value in values {
            let bits = UInt128(bitPattern: value)
            for k in 0..<width {
                data[position + k] = UInt8(truncatingIfNeeded: bits >> UInt128(8 * (width - 1 - k)))
            }
            position += width
        }
        return .fixedLenByteArray(data: data, width: width)
    }
}

extension LeafValues {
    /// Byte-array values of `offsets`/`data` at `indices`, copied back to back.
    fileprivate static func selectedByteArrays(offsets: [Int32], data: [UInt8], _ indices: [Int32]) -> LeafValues {
        var outOffsets: [Int32] = [0]
        outOffsets.reserveCapacity(indices.count + 1)
        var total = 0
        for i in indices { total += Int(offsets[Int(i) + 1] - offsets[Int(i)]) }
        var outData: [UInt8] = []
        outData.reserveCapacity(total)
        data.withUnsafeBufferPointer { source in
            for i in indices {
                let start = Int(offsets[Int(i)]), end = Int(offsets[Int(i) + 1])
                // SAFETY: `Column` validated offsets as non-decreasing and within `data`.
                outData.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                outOffsets.append(Int32(truncatingIfNeeded: outData.count))
            }
        }
        return .byteArray(offsets: outOffsets, data: outData)
    }
}
