// LevelAssembly: turns the (definition, repetition, values) streams of leaf columns
// into nested Columns — validity at every optional level, list/map offsets from
// repetition levels, empty vs null lists, struct validity at the struct's own depth.
// Never trusts the streams: inconsistent levels or counts throw `.corrupt`, never trap.

import TarnColumnar

/// The decoded streams of one leaf column chunk.
struct DecodedLeaf: Sendable {
    /// Values in the leaf's final storage kind. In flat mode one per row (nulls hold
    /// zero values); in nested mode only the non-null values, densely.
    var storage: ColumnStorage
    /// Flat mode: validity per row (nil = no nulls).
    var validity: Bitmap?
    /// Flat mode: row count. Nested mode: number of level entries.
    var count: Int
    /// Nested mode: one definition level per entry (empty when the max level is 0).
    var definition: [Int32]
    /// Nested mode: one repetition level per entry (empty when the max level is 0).
    var repetition: [Int32]
    /// Flat mode, when asked for and every data page was dictionary-encoded: one code
    /// per row (0 at nulls) into `dictionaryValues` (the dictionary page, final storage).
    var dictionaryCodes: [Int32]? = nil
    var dictionaryValues: ColumnStorage? = nil
}

/// Builds nested columns from decoded leaves.
struct LevelAssembler {
    let descriptors: [ColumnDescriptor]
    /// Decoded leaves by leaf index (only the projected ones are present).
    let leaves: [Int: DecodedLeaf]

    /// Assembles the column of `node`.
    func assemble(_ node: AssemblyNode) throws(ParquetError) -> Column {
        switch node {
        case let .leaf(field, levels, column):
            return try assembleLeaf(field: field, levels: levels, column: column)
        case let .structure(field, levels, children):
            let stream = try self.stream(node.firstLeaf)
            let (count, validity) = stream.slotValidity(repetition: levels.repetition, slot: levels.slot, defined: levels.defined)
            var columns: [Column] = []
            columns.reserveCapacity(children.count)
            for child in children {
                let column = try assemble(child)
                guard column.count == count else {
                    throw .corrupt("struct \(field.name): field \(child.field.name) has \(column.count) values, expected \(count)")
                }
                columns.append(column)
            }
            return try Self.column(field.type, count: count, validity: validity, storage: .structure(columns))
        case let .list(field, levels, entryLevel, element):
            let stream = try self.stream(node.firstLeaf)
            let (offsets, validity) = try stream.listOffsets(levels: levels, entryLevel: entryLevel, name: field.name)
            let values = try assemble(element)
            guard Int(offsets.last ?? 0) == values.count else {
                throw .corrupt("list \(field.name) has \(offsets.last ?? 0) elements but its element column has \(values.count)")
            }
            return try Self.column(field.type, count: offsets.count - 1, validity: validity, storage: .list(offsets: offsets, values: values))
        case let .map(field, levels, entryLevel, key, value):
            let stream = try self.stream(node.firstLeaf)
            let (offsets, validity) = try stream.listOffsets(levels: levels, entryLevel: entryLevel, name: field.name)
            let keys = try assemble(key)
            let values = try assemble(value)
            guard Int(offsets.last ?? 0) == keys.count, keys.count == values.count else {
                throw .corrupt("map \(field.name) has \(offsets.last ?? 0) entries but \(keys.count) keys and \(values.count) values")
            }
            return try Self.column(field.type, count: offsets.count - 1, validity: validity, storage: .map(offsets: offsets, keys: keys, values: values))
        }
    }

    static func column(_ type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage) throws(ParquetError) -> Column {
        do {
            if case let .structure(children) = storage, children.isEmpty {
                throw ParquetError.corrupt("struct without fields")
            }
            return try Column(type: type, count: count, validity: validity, storage: storage)
        } catch let error as ParquetError {
            throw error
        } catch {
            throw .corrupt("assembled column is inconsistent: \(error)")
        }
    }

    func stream(_ column: Int) throws(ParquetError) -> LevelStream {
        guard let leaf = leaves[column], column < descriptors.count else {
            throw .invalidArgument("leaf column \(column) was not decoded")
        }
        let descriptor = descriptors[column]
        return LevelStream(
            definition: leaf.definition, repetition: leaf.repetition, count: leaf.count,
            maxDefinition: descriptor.maxDefinitionLevel, maxRepetition: descriptor.maxRepetitionLevel)
    }

    func assembleLeaf(field: Field, levels: NodeLevels, column: Int) throws(ParquetError) -> Column {
        guard let leaf = leaves[column] else {
            throw .invalidArgument("leaf column \(column) was not decoded")
        }
        let stream = try self.stream(column)
        // A leaf's slots are its entries that reach its slot level; the present ones
        // (at the maximum definition level) take the dense values in order.
        let (count, validity) = stream.slotValidity(repetition: stream.maxRepetition, slot: levels.slot, defined: stream.maxDefinition)
        let presentCount = validity?.setCount ?? count
        let denseCount = leaf.storage.valueCount
        guard presentCount == denseCount else {
            throw .corrupt("column \(field.name) has \(denseCount) values for \(presentCount) non-null level entries")
        }
        let storage = validity.map { Scatter.expand(leaf.storage, present: $0) } ?? leaf.storage
        return try Self.column(field.type, count: count, validity: validity, storage: storage)
    }
}

/// The level streams of one leaf with their maxima; a missing stream is all zeros.
struct LevelStream {
    let definition: [Int32]
    let repetition: [Int32]
    let count: Int
    let maxDefinition: Int
    let maxRepetition: Int

    @inline(__always) func def(_ i: Int) -> Int { definition.isEmpty ? 0 : Int(definition[i]) }
    @inline(__always) func rep(_ i: Int) -> Int { repetition.isEmpty ? 0 : Int(repetition[i]) }

    /// Number of values of a node with these levels (entries with `rep <= depth` and
    /// `def >= slot`) and their validity (`def >= defined`; nil when all are valid).
    func slotValidity(repetition depth: Int, slot: Int, defined: Int) -> (Int, Bitmap?) {
        let everyEntry = depth >= maxRepetition || repetition.isEmpty
        if definition.isEmpty {
            if everyEntry { return (count, nil) }
            var n = 0
            for r in repetition where Int(r) <= depth { n += 1 }
            return (n, nil)
        }
        var words: [UInt64] = []
        words.reserveCapacity(count / 64 + 1)
        var word: UInt64 = 0
        var n = 0
        var nulls = 0
        let slotLevel = Int32(truncatingIfNeeded: slot)
        let definedLevel = Int32(truncatingIfNeeded: defined)
        let depthLevel = Int32(truncatingIfNeeded: depth)
        definition.withUnsafeBufferPointer { def in
            repetition.withUnsafeBufferPointer { rep in
                for i in 0..<count {
                    let d = def[i]
                    // SAFETY: rep is either empty (no repetition) or holds `count` levels.
                    if d < slotLevel || (!everyEntry && rep[i] > depthLevel) { continue }
                    if d >= definedLevel {
                        word |= UInt64(1) << UInt64(n & 63)
                    } else {
                        nulls += 1
                    }
                    n += 1
                    if n & 63 == 0 {
                        words.append(word)
                        word = 0
                    }
                }
            }
        }
        if n & 63 != 0 { words.append(word) }
        return (n, nulls == 0 ? nil : Bitmap(words: words, count: n))
    }

    /// Offsets and validity of a list (or map) node from this leaf's levels.
    func listOffsets(levels: NodeLevels, entryLevel: Int, name: String) throws(ParquetError) -> ([Int32], Bitmap?) {
        var offsets: [Int32] = []
        offsets.reserveCapacity(count + 1)
        var bits = Bitmap()
        bits.reserveCapacity(count)
        var nulls = 0
        var elements = 0
        let depth = levels.repetition
        for i in 0..<count {
            let r = rep(i)
            let d = def(i)
            if d < levels.slot || r > depth + 1 { continue }
            if r <= depth {
                offsets.append(Int32(truncatingIfNeeded: elements))
                let valid = d >= levels.defined
                if !valid { nulls += 1 }
                bits.append(valid)
                if d >= entryLevel { elements += 1 }
            } else {
                guard !offsets.isEmpty, d >= entryLevel else {
                    throw .corrupt("list \(name): repetition level \(r) at entry \(i) continues no list")
                }
                elements += 1
            }
            guard elements < Int(Int32.max) else {
                throw .corrupt("list \(name) has more than 2^31-1 elements")
            }
        }
        offsets.append(Int32(truncatingIfNeeded: elements))
        return (offsets, nulls == 0 ? nil : bits)
    }
}

/// Spreads dense non-null values over slots (nulls get zero values).
enum Scatter {
    static func expand(_ storage: ColumnStorage, present: Bitmap) -> ColumnStorage {
        switch storage {
        case let .boolean(bits):
            var out = Bitmap(repeating: false, count: present.count)
            var k = 0
            for i in 0..<present.count where present[i] {
                if bits[k] { out[i] = true }
                k += 1
            }
            return .boolean(out)
        case let .int8(v): return .int8(fixed(v, present))
        case let .int16(v): return .int16(fixed(v, present))
        case let .int32(v): return .int32(fixed(v, present))
        case let .int64(v): return .int64(fixed(v, present))
        case let .uint8(v): return .uint8(fixed(v, present))
        case let .uint16(v): return .uint16(fixed(v, present))
        case let .uint32(v): return .uint32(fixed(v, present))
        case let .uint64(v): return .uint64(fixed(v, present))
        case let .float32(v): return .float32(fixed(v, present))
        case let .float64(v): return .float64(fixed(v, present))
        case let .int128(v): return .int128(fixed(v, present))
        case let .bytes(offsets, data):
            var out: [Int32] = []
            out.reserveCapacity(present.count + 1)
            out.append(offsets.first ?? 0)
            var k = 0
            for i in 0..<present.count {
                if present[i] { k += 1 }
                out.append(offsets[k])
            }
            return .bytes(offsets: out, data: data)
        case .list, .structure, .map:
            return storage
        }
    }

    static func fixed<T: ColumnPrimitive>(_ dense: [T], _ present: Bitmap) -> [T] {
        var out = [T](repeating: T.zero, count: present.count)
        var k = 0
        dense.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for (w, word) in present.words.enumerated() {
                    var bits = word
                    while bits != 0 {
                        let i = w << 6 | bits.trailingZeroBitCount
                        // SAFETY: the caller checked that the set bits number dense.count,
                        // so k < source.count; set bits lie below present.count == target.count.
                        target[i] = source[k]
                        k += 1
                        bits &= bits &- 1
                    }
                }
            }
        }
        return out
    }
}
