// KeyColumns: key columns normalised for exact row equality across tables — integers of
// any width as Int64, decimals as Int128, strings and binaries as offsets + bytes —
// and an open-addressing hash index from row hashes to rows. Used by the duplicate-key
// check and the point-in-time join; must never box values per row (no ScalarValue).
import TarnColumnar

/// One key column in comparable form.
enum KeyVector: Sendable {
    case integers([Int64])
    case wide([Int128])
    case bytes(offsets: [Int32], data: [UInt8])

    init?(_ column: Column) {
        switch column.storage {
        case let .int64(v): self = .integers(v)
        case let .int32(v): self = .integers(v.map { Int64($0) })
        case let .int16(v): self = .integers(v.map { Int64($0) })
        case let .int8(v): self = .integers(v.map { Int64($0) })
        case let .uint64(v): self = .integers(v.map { Int64(bitPattern: $0) })
        case let .uint32(v): self = .integers(v.map { Int64($0) })
        case let .uint16(v): self = .integers(v.map { Int64($0) })
        case let .uint8(v): self = .integers(v.map { Int64($0) })
        case let .boolean(bits): self = .integers((0..<bits.count).map { bits[$0] ? 1 : 0 })
        case let .int128(v): self = .wide(v)
        case let .bytes(offsets, data): self = .bytes(offsets: offsets, data: data)
        default: return nil
        }
    }
}

/// Key columns of one batch: vectors plus a mask of rows with a null in any key.
struct KeyColumns: Sendable {
    let vectors: [KeyVector]
    /// Row hashes combined over the key columns (Column.hashRows).
    let hashes: [UInt64]
    /// true where every key column is non-null.
    let valid: Bitmap?
    let count: Int

    init(_ columns: [Column]) throws(FeatureError) {
        var vectors: [KeyVector] = []
        for column in columns {
            guard let vector = KeyVector(column) else {
                throw FeatureError(.wrongType, "a key column of type \(column.type) cannot be compared; keys must be \(KeyTypes.allowedKeyTypes)")
            }
            vectors.append(vector)
        }
        self.vectors = vectors
        count = columns.first?.count ?? 0
        do {
            hashes = try Column.hashRows(columns)
        } catch {
            throw FeatureError(.invalidArgument, "cannot hash the key columns", cause: error)
        }
        var valid: Bitmap? = nil
        for column in columns {
            if let validity = column.validity { valid = valid.map { $0 & validity } ?? validity }
        }
        self.valid = valid
    }

    @inline(__always)
    func isValid(_ row: Int) -> Bool { valid?[row] ?? true }

    /// Whether row `i` of these keys equals row `j` of `other` (same column families).
    func equal(_ i: Int, _ other: KeyColumns, _ j: Int) -> Bool {
        for (a, b) in zip(vectors, other.vectors) {
            switch (a, b) {
            case let (.integers(x), .integers(y)):
                if x[i] != y[j] { return false }
            case let (.wide(x), .wide(y)):
                if x[i] != y[j] { return false }
            case let (.bytes(xo, xd), .bytes(yo, yd)):
                let xs = Int(xo[i]), xe = Int(xo[i + 1]), ys = Int(yo[j]), ye = Int(yo[j + 1])
                if xe - xs != ye - ys { return false }
                var k = 0
                while k < xe - xs {
                    if xd[xs + k] != yd[ys + k] { return false }
                    k += 1
                }
            default:
                return false
            }
        }
        return true
    }
}

/// Open-addressing hash index: row hash → row number, with exact equality decided by
/// the caller (several distinct keys may share a hash; each gets its own slot).
struct KeyHashIndex: Sendable {
    private var hashes: [UInt64]
    private var rows: [Int32]
    private let mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        hashes = [UInt64](repeating: 0, count: size)
        rows = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The stored row equal to the probing row (same hash and `isEqual`), or nil after
    /// inserting `row`.
    @inline(__always)
    mutating func findOrInsert(hash: UInt64, row: Int, isEqual: (Int) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = rows[slot]
            if stored < 0 {
                hashes[slot] = hash
                rows[slot] = Int32(truncatingIfNeeded: row)
                count += 1
                return nil
            }
            if hashes[slot] == hash && isEqual(Int(stored)) { return Int(stored) }
            slot = (slot + 1) & mask
        }
    }

    /// The stored row with `hash` for which `isEqual` holds, or nil.
    @inline(__always)
    func find(hash: UInt64, isEqual: (Int) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = rows[slot]
            if stored < 0 { return nil }
            if hashes[slot] == hash && isEqual(Int(stored)) { return Int(stored) }
            slot = (slot + 1) & mask
        }
    }
}
