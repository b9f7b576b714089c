// LatestRows: finds the latest row per primary key (by the timestamp key when there is
// one) over a stream of batches, keeping only a bounded window of batches alive; plus the
// typed key values (`RowKey`) the online store hashes, binds and compares. Owns the
// "latest" rule (greatest timestamp; on a tie, the row seen last); must never box whole
// columns into scalars (keys are read slot by slot from the typed buffers).
import TarnColumnar

/// One primary-key column value, encoded as the online store stores it.
enum KeyPart: Hashable, Sendable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])

    func bind(to stmt: SQLiteStatement, index: Int32) throws(SQLiteFailure) {
        switch self {
        case .null: try stmt.bindNull(index)
        case let .int(v): try stmt.bind(index, v)
        case let .real(v): try stmt.bind(index, v)
        case let .text(v): try stmt.bind(index, v)
        case let .bytes(v):
            var failure: SQLiteFailure? = nil
            v.withUnsafeBytes { raw in
                do throws(SQLiteFailure) { try stmt.bind(index, bytes: raw, blob: true) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// The part of a scalar key value of column type `type` (nil when the scalar does not fit).
    static func from(_ value: ScalarValue, type: DataType) -> KeyPart? {
        switch (value, type) {
        case (.null, _): return .null
        case let (.boolean(b), .boolean): return .int(b ? 1 : 0)
        case let (.int(v), _) where type.isInteger || type == .date32 || type.isTimestamp:
            if case .uint64 = type { return v >= 0 ? .int(v) : nil }
            return .int(v)
        case let (.uint(v), .uint64): return .int(Int64(bitPattern: v))
        case let (.uint(v), _) where type.isInteger: return v <= UInt64(Int64.max) ? .int(Int64(v)) : nil
        case let (.date(d), .date32): return .int(Int64(d))
        case let (.timestamp(t, _), .timestamp): return .int(t)
        case let (.float(d), .float32), let (.float(d), .float64): return .real(d)
        case let (.string(s), .string): return .text(s)
        case let (.binary(b), .binary): return .bytes(b)
        case let (.decimal(v, scale), .decimal(_, s)) where scale == s: return .text(DecimalFormat.string(v, scale: s))
        default: return nil
        }
    }
}

extension DataType {
    var isTimestamp: Bool {
        if case .timestamp = self { return true }
        return false
    }
}

/// A whole primary key: one part for single-column keys (no allocation for integers).
enum RowKey: Hashable, Sendable {
    case one(KeyPart)
    case many([KeyPart])

    var parts: [KeyPart] {
        switch self {
        case let .one(p): return [p]
        case let .many(ps): return ps
        }
    }

    func bind(to stmt: SQLiteStatement) throws(SQLiteFailure) {
        switch self {
        case let .one(p): try p.bind(to: stmt, index: 1)
        case let .many(ps):
            for (i, p) in ps.enumerated() { try p.bind(to: stmt, index: Int32(i + 1)) }
        }
    }
}

/// Reads `KeyPart`s from one column slot by slot, from the typed buffer.
struct KeyColumnReader {
    private enum Source {
        case boolean(Bitmap)
        case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64])
        case uint8([UInt8]), uint16([UInt16]), uint32([UInt32]), uint64([UInt64])
        case float32([Float]), float64([Double])
        case decimal([Int128], scale: Int)
        case bytes(offsets: [Int32], data: [UInt8], text: Bool)
        case unsupported
    }

    private let source: Source
    private let validity: Bitmap?

    init(_ column: Column) {
        validity = column.validity
        switch column.storage {
        case let .boolean(b): source = .boolean(b)
        case let .int8(v): source = .int8(v)
        case let .int16(v): source = .int16(v)
        case let .int32(v): source = .int32(v)
        case let .int64(v): source = .int64(v)
        case let .uint8(v): source = .uint8(v)
        case let .uint16(v): source = .uint16(v)
        case let .uint32(v): source = .uint32(v)
        case let .uint64(v): source = .uint64(v)
        case let .float32(v): source = .float32(v)
        case let .float64(v): source = .float64(v)
        case let .int128(v):
            if case let .decimal(_, s) = column.type { source = .decimal(v, scale: s) } else { source = .decimal(v, scale: 0) }
        case let .bytes(offsets, data): source = .bytes(offsets: offsets, data: data, text: column.type != .binary)
        case .list, .structure, .map: source = .unsupported
        }
    }

    /// The integer value at `row` when the column is integer-like and not null (fast path).
    @inline(__always)
    func int(at row: Int) -> Int64? {
        if let validity, !validity[row] { return nil }
        switch source {
        case let .int64(v): return v[row]
        case let .int32(v): return Int64(v[row])
        case let .int16(v): return Int64(v[row])
        case let .int8(v): return Int64(v[row])
        case let .uint8(v): return Int64(v[row])
        case let .uint16(v): return Int64(v[row])
        case let .uint32(v): return Int64(v[row])
        case let .uint64(v): return Int64(bitPattern: v[row])
        case let .boolean(b): return b[row] ? 1 : 0
        default: return nil
        }
    }

    func part(at row: Int) -> KeyPart {
        if let validity, !validity[row] { return .null }
        switch source {
        case let .boolean(b): return .int(b[row] ? 1 : 0)
        case let .int8(v): return .int(Int64(v[row]))
        case let .int16(v): return .int(Int64(v[row]))
        case let .int32(v): return .int(Int64(v[row]))
        case let .int64(v): return .int(v[row])
        case let .uint8(v): return .int(Int64(v[row]))
        case let .uint16(v): return .int(Int64(v[row]))
        case let .uint32(v): return .int(Int64(v[row]))
        case let .uint64(v): return .int(Int64(bitPattern: v[row]))
        case let .float32(v): return .real(Double(v[row]))
        case let .float64(v): return .real(v[row])
        case let .decimal(v, scale): return .text(DecimalFormat.string(v[row], scale: scale))
        case let .bytes(offsets, data, text):
            let slice = data[Int(offsets[row])..<Int(offsets[row + 1])]
            return text ? .text(String(decoding: slice, as: UTF8.self)) : .bytes(Array(slice))
        case .unsupported: return .null
        }
    }
}

/// Reads primary keys of a batch.
struct RowKeyReader {
    private let readers: [KeyColumnReader]

    init(batch: RecordBatch, keyIndexes: [Int]) {
        readers = keyIndexes.map { KeyColumnReader(batch.columns[$0]) }
    }

    @inline(__always)
    func key(at row: Int) -> RowKey {
        if readers.count == 1 {
            if let v = readers[0].int(at: row) { return .one(.int(v)) }
            return .one(readers[0].part(at: row))
        }
        return .many(readers.map { $0.part(at: row) })
    }
}

/// Reads the timestamp key as an Int64 ordering value (µs, days or the integer itself);
/// a null orders first. Without a timestamp key every row orders equal.
struct OrderingReader {
    private let reader: KeyColumnReader?

    init(batch: RecordBatch, timestampIndex: Int?) {
        reader = timestampIndex.map { KeyColumnReader(batch.columns[$0]) }
    }

    @inline(__always)
    func value(at row: Int) -> Int64 {
        guard let reader else { return 0 }
        return reader.int(at: row) ?? Int64.min
    }
}

/// The latest row per key over many batches. Batches stay referenced only while one of
/// their rows is the latest for some key; when the kept rows exceed twice the number of
/// keys (plus a slack), live rows are compacted into one batch, so memory follows the
/// number of keys, not the number of rows read.
struct LatestRows {
    struct Slot {
        var piece: Int32
        var row: Int32
        var ordering: Int64
    }

    let keyIndexes: [Int]
    let timestampIndex: Int?
    private(set) var pieces: [RecordBatch?] = []
    private(set) var slots: [RowKey: Slot] = [:]
    private var keptRows = 0
    /// Compaction happens when kept rows exceed `2 * keys + slack`.
    var slack = 1 << 20

    init(keyIndexes: [Int], timestampIndex: Int?) {
        self.keyIndexes = keyIndexes
        self.timestampIndex = timestampIndex
    }

    var count: Int { slots.count }

    /// Folds `batch` in: each row replaces the kept row of its key when its ordering is
    /// greater or equal (later rows win ties).
    mutating func add(_ batch: RecordBatch) throws(ColumnarError) {
        guard batch.rowCount > 0 else { return }
        guard batch.rowCount <= Int(Int32.max) else {
            throw .capacityExceeded("a batch of \(batch.rowCount) rows is too large for the online store's publish")
        }
        let piece = Int32(pieces.count)
        let keys = RowKeyReader(batch: batch, keyIndexes: keyIndexes)
        let ordering = OrderingReader(batch: batch, timestampIndex: timestampIndex)
        var used = false
        if let fast = foldIntegerKeys(batch, piece: piece) {
            used = fast
        } else {
            used = foldRows(batch, piece: piece, keys: keys, ordering: ordering)
        }
        pieces.append(used ? batch : nil)
        if used { keptRows += batch.rowCount }
        if keptRows > 2 * slots.count + slack { try compact() }
    }

    /// The common case without per-slot dispatch: one non-null int64 key column and a
    /// non-null int64 (or no) timestamp key. Returns nil when the batch is not like that.
    private mutating func foldIntegerKeys(_ batch: RecordBatch, piece: Int32) -> Bool? {
        guard keyIndexes.count == 1, batch.columns[keyIndexes[0]].validity == nil,
              case let .int64(keyValues) = batch.columns[keyIndexes[0]].storage else { return nil }
        var times: [Int64]? = nil
        if let timestampIndex {
            guard batch.columns[timestampIndex].validity == nil,
                  case let .int64(values) = batch.columns[timestampIndex].storage else { return nil }
            times = values
        }
        var used = false
        keyValues.withUnsafeBufferPointer { keyBuffer in
            let timeBuffer = times ?? []
            timeBuffer.withUnsafeBufferPointer { timeValues in
                let hasTimes = timeValues.count == keyBuffer.count
                for row in 0..<keyBuffer.count {
                    let key = RowKey.one(.int(keyBuffer[row]))
                    let t = hasTimes ? timeValues[row] : 0
                    if offer(key, Slot(piece: piece, row: Int32(truncatingIfNeeded: row), ordering: t)) { used = true }
                }
            }
        }
        return used
    }

    /// Any key and timestamp types, slot by slot.
    private mutating func foldRows(_ batch: RecordBatch, piece: Int32, keys: RowKeyReader, ordering: OrderingReader) -> Bool {
        var used = false
        for row in 0..<batch.rowCount {
            let key = keys.key(at: row)
            let t = ordering.value(at: row)
            if offer(key, Slot(piece: piece, row: Int32(row), ordering: t)) { used = true }
        }
        return used
    }

    /// Keeps `slot` for `key` when the key is new or the slot is at least as late as the
    /// kept one (a later row of the same timestamp wins); true when it was kept.
    private mutating func offer(_ key: RowKey, _ slot: Slot) -> Bool {
        if let index = slots.index(forKey: key) {
            guard slot.ordering >= slots.values[index].ordering else { return false }
            slots.values[index] = slot
        } else {
            slots[key] = slot
        }
        return true
    }

    /// Rewrites the kept rows into one batch holding only each key's latest row.
    mutating func compact() throws(ColumnarError) {
        var byPiece: [[(key: RowKey, row: Int)]] = Array(repeating: [], count: pieces.count)
        for (key, slot) in slots { byPiece[Int(slot.piece)].append((key, Int(slot.row))) }
        var parts: [RecordBatch] = []
        var order: [(key: RowKey, ordering: Int64)] = []
        order.reserveCapacity(slots.count)
        for (p, entries) in byPiece.enumerated() where !entries.isEmpty {
            guard let batch = pieces[p] else { continue }
            parts.append(try batch.take(entries.map(\.row)))
            for entry in entries {
                order.append((entry.key, slots[entry.key]?.ordering ?? Int64.min))
            }
        }
        guard !parts.isEmpty else {
            pieces = []
            keptRows = 0
            return
        }
        let merged = try RecordBatch.concat(parts)
        for (row, entry) in order.enumerated() {
            slots[entry.key] = Slot(piece: 0, row: Int32(row), ordering: entry.ordering)
        }
        pieces = [merged]
        keptRows = merged.rowCount
    }

    /// The kept rows, each key once: calls `body(batch, row, key)`. Integer keys come in
    /// ascending order (B-tree friendly inserts), others in no particular order.
    func forEach(_ body: (RecordBatch, Int, RowKey) throws -> Void) rethrows {
        var entries = slots.map { (key: $0.key, slot: $0.value) }
        let integerKeys = entries.allSatisfy { if case .one(.int) = $0.key { return true } else { return false } }
        if integerKeys {
            entries.sort { a, b in
                if case let .one(.int(x)) = a.key, case let .one(.int(y)) = b.key { return x < y }
                return false
            }
        } else {
            entries.sort { a, b in a.slot.piece != b.slot.piece ? a.slot.piece < b.slot.piece : a.slot.row < b.slot.row }
        }
        for entry in entries {
            guard let batch = pieces[Int(entry.slot.piece)] else { continue }
            try body(batch, Int(entry.slot.row), entry.key)
        }
    }

    /// The kept row of `key`, if any.
    func row(of key: RowKey) -> (batch: RecordBatch, row: Int, ordering: Int64)? {
        guard let slot = slots[key], let batch = pieces[Int(slot.piece)] else { return nil }
        return (batch, Int(slot.row), slot.ordering)
    }
}
