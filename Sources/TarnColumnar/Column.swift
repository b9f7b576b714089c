// Column: one column of values in Arrow-like memory: a typed contiguous buffer plus an
// optional validity bitmap; strings/binary as offsets + bytes; nested types as children.
// Owns the invariants between type, storage and length; must never hold per-value
// boxed values (no `Any`, no array of enums) — kernels work on the typed buffers.

/// The typed buffers behind a column. Which case a `DataType` uses is fixed by
/// `DataType.storageKind` (date32 → int32, timestamp → int64, decimal → int128,
/// string and binary → bytes).
public indirect enum ColumnStorage: Sendable {
    case boolean(Bitmap)
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])
    case uint64([UInt64])
    case float32([Float])
    case float64([Double])
    case int128([Int128])
    /// Variable-length bytes: value i is `data[offsets[i]..<offsets[i+1]]`; `offsets.count == count + 1`.
    case bytes(offsets: [Int32], data: [UInt8])
    /// List: entries of row i are `values[offsets[i]..<offsets[i+1]]`.
    case list(offsets: [Int32], values: Column)
    /// Struct: one child per field, each of the struct's length.
    case structure([Column])
    /// Map: entries of row i are `keys/values[offsets[i]..<offsets[i+1]]`.
    case map(offsets: [Int32], keys: Column, values: Column)
}

/// A column of `count` values of `type`. Null slots hold an unspecified (but
/// initialised) value in the buffer; `validity == nil` means no nulls.
public struct Column: Sendable {
    public let type: DataType
    public let count: Int
    public let validity: Bitmap?
    public let storage: ColumnStorage
    /// Optional side-car: the row's code into a table of distinct values (kept by the
    /// Parquet reader for dictionary-encoded chunks, preserved by `slice` and `take`).
    /// Every initializer leaves it nil, so kernels that build new columns drop it;
    /// attach one with `withDictionary(codes:values:)`. See ColumnDictionary.swift.
    public let dictionary: ColumnDictionary?

    /// Builds a column, checking that storage matches the type and lengths agree.
    public init(type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage) throws(ColumnarError) {
        if let validity, validity.count != count {
            throw .invalidBatch("validity has \(validity.count) bits for \(count) values")
        }
        let storedCount = storage.valueCount
        guard storedCount == count else {
            throw .invalidBatch("column of \(type) has \(storedCount) stored values for a length of \(count)")
        }
        guard storage.kind == type.storageKind else {
            throw .typeMismatch(expected: "\(type.storageKind)", actual: "\(storage.kind)", context: "column of \(type)")
        }
        try Column.checkChildren(type: type, storage: storage)
        self.type = type
        self.count = count
        self.validity = (validity?.allSet ?? true) ? nil : validity
        self.storage = storage
        self.dictionary = nil
    }

    /// A byte-array column whose offsets a decoder built itself, appending each value's end
    /// as its data grew (so they never decrease by construction): only the O(1) facts are
    /// checked — lengths, type, first offset 0 and last offset `data.count` — not the
    /// per-offset monotonic scan of the public init (a few % of a string column read).
    /// Never pass offsets read from untrusted bytes; use the public init for those.
    package init(producedOffsets type: DataType, count: Int, validity: Bitmap?,
                 offsets: [Int32], data: [UInt8]) throws(ColumnarError) {
        if let validity, validity.count != count {
            throw .invalidBatch("validity has \(validity.count) bits for \(count) values")
        }
        guard type.storageKind == .bytes else {
            throw .typeMismatch(expected: "\(type.storageKind)", actual: "bytes", context: "column of \(type)")
        }
        guard offsets.count == count + 1, offsets.first == 0, let last = offsets.last, Int(last) == data.count else {
            throw .invalidBatch("bytes offsets do not fit \(count) values over \(data.count) bytes")
        }
        self.init(unchecked: type, count: count, validity: (validity?.allSet ?? true) ? nil : validity,
                  storage: .bytes(offsets: offsets, data: data))
    }

    /// Builds a column without checks; callers guarantee the invariants (internal fast paths).
    init(unchecked type: DataType, count: Int, validity: Bitmap?, storage: ColumnStorage,
         dictionary: ColumnDictionary? = nil) {
        self.type = type
        self.count = count
        self.validity = validity
        self.storage = storage
        self.dictionary = dictionary
    }

    private static func checkChildren(type: DataType, storage: ColumnStorage) throws(ColumnarError) {
        switch (type, storage) {
        case let (.list(element), .list(offsets, values)):
            guard values.type == element.type else {
                throw .typeMismatch(expected: "\(element.type)", actual: "\(values.type)", context: "list values")
            }
            try checkOffsets(offsets, childCount: values.count, "list")
        case let (.map(key, value), .map(offsets, keys, values)):
            guard keys.type == key.type, values.type == value.type, keys.count == values.count else {
                throw .invalidBatch("map keys/values do not match map<\(key.type),\(value.type)>")
            }
            try checkOffsets(offsets, childCount: keys.count, "map")
        case let (.structure(fields), .structure(children)):
            guard fields.count == children.count else {
                throw .invalidBatch("struct has \(fields.count) fields but \(children.count) children")
            }
            for (field, child) in zip(fields, children) where field.type != child.type {
                throw .typeMismatch(expected: "\(field.type)", actual: "\(child.type)", context: "struct field \(field.name)")
            }
        case let (_, .bytes(offsets, data)):
            try checkOffsets(offsets, childCount: data.count, "bytes")
        default:
            break
        }
    }

    private static func checkOffsets(_ offsets: [Int32], childCount: Int, _ what: String) throws(ColumnarError) {
        guard let first = offsets.first, let last = offsets.last, first >= 0, Int(last) <= childCount else {
            throw .invalidBatch("\(what) offsets do not fit \(childCount) child values")
        }
        var previous = first
        for o in offsets {
            if o < previous { throw .invalidBatch("\(what) offsets decrease") }
            previous = o
        }
    }

    @inline(__always)
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    @inline(__always)
    public func isValid(_ index: Int) -> Bool { !isNull(index) }

    public var nullCount: Int {
        guard let validity else { return 0 }
        return count - validity.setCount
    }

    public var hasNulls: Bool { validity != nil }
}

/// Which `ColumnStorage` case a type uses.
public enum StorageKind: String, Sendable {
    case boolean, int8, int16, int32, int64, uint8, uint16, uint32, uint64
    case float32, float64, int128, bytes, list, structure, map
}

extension DataType {
    public var storageKind: StorageKind {
        switch self {
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32, .date32: return .int32
        case .int64, .timestamp: return .int64
        case .uint8: return .uint8
        case .uint16: return .uint16
        case .uint32: return .uint32
        case .uint64: return .uint64
        case .float32: return .float32
        case .float64: return .float64
        case .decimal: return .int128
        case .string, .binary: return .bytes
        case .list: return .list
        case .structure: return .structure
        case .map: return .map
        }
    }
}

extension ColumnStorage {
    public var kind: StorageKind {
        switch self {
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .uint8: return .uint8
        case .uint16: return .uint16
        case .uint32: return .uint32
        case .uint64: return .uint64
        case .float32: return .float32
        case .float64: return .float64
        case .int128: return .int128
        case .bytes: return .bytes
        case .list: return .list
        case .structure: return .structure
        case .map: return .map
        }
    }

    /// Number of top-level values the storage holds. For a struct it is the common
    /// child length (0 with no children — a struct with no fields must say its length
    /// through `Column.count`, so such columns are built with `init(unchecked:)`).
    public var valueCount: Int {
        switch self {
        case let .boolean(b): return b.count
        case let .int8(a): return a.count
        case let .int16(a): return a.count
        case let .int32(a): return a.count
        case let .int64(a): return a.count
        case let .uint8(a): return a.count
        case let .uint16(a): return a.count
        case let .uint32(a): return a.count
        case let .uint64(a): return a.count
        case let .float32(a): return a.count
        case let .float64(a): return a.count
        case let .int128(a): return a.count
        case let .bytes(offsets, _): return max(0, offsets.count - 1)
        case let .list(offsets, _): return max(0, offsets.count - 1)
        case let .structure(children): return children.first?.count ?? 0
        case let .map(offsets, _, _): return max(0, offsets.count - 1)
        }
    }
}

/// A record batch: equal-length columns under a schema.
public struct RecordBatch: Sendable {
    public let schema: Schema
    public let columns: [Column]
    public let rowCount: Int

    public init(schema: Schema, columns: [Column]) throws(ColumnarError) {
        guard schema.count == columns.count else {
            throw .invalidBatch("schema has \(schema.count) fields but \(columns.count) columns were given")
        }
        let rows = columns.first?.count ?? 0
        for (field, column) in zip(schema.fields, columns) {
            guard column.count == rows else {
                throw .invalidBatch("column \(field.name) has \(column.count) rows, expected \(rows)")
            }
            guard column.type == field.type else {
                throw .typeMismatch(expected: "\(field.type)", actual: "\(column.type)", context: "column \(field.name)")
            }
            if !field.nullable && column.nullCount > 0 {
                throw .invalidValue("column \(field.name) is declared NOT NULL but holds \(column.nullCount) nulls")
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rows
    }

    /// A batch with explicit row count (needed when there are no columns).
    public init(schema: Schema, columns: [Column], rowCount: Int) throws(ColumnarError) {
        if columns.isEmpty {
            guard schema.count == 0 else { throw .invalidBatch("schema has fields but no columns were given") }
            self = RecordBatch(unchecked: schema, columns: [], rowCount: rowCount)
            return
        }
        try self.init(schema: schema, columns: columns)
        guard self.rowCount == rowCount else {
            throw .invalidBatch("columns have \(self.rowCount) rows, expected \(rowCount)")
        }
    }

    /// An empty batch of `schema`.
    public static func empty(_ schema: Schema) -> RecordBatch {
        let columns = schema.fields.map { Column.empty($0.type) }
        return RecordBatch(unchecked: schema, columns: columns, rowCount: 0)
    }

    init(unchecked schema: Schema, columns: [Column], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    /// The batch restricted to `indices` columns, in that order.
    public func project(_ indices: [Int]) -> RecordBatch {
        RecordBatch(unchecked: schema.project(indices), columns: indices.map { columns[$0] }, rowCount: rowCount)
    }
}
