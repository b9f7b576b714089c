// Row-at-a-time access to columns through ScalarValue: reading one slot, and building
// a column (any type, nested included) from scalars. For tests, literals, CSV/JSON
// output and small data; never the path of bulk decoding or kernels.

extension Column {
    /// The value at `index` (must be < count) as a scalar; `.null` for null slots.
    public func value(at index: Int) -> ScalarValue {
        if isNull(index) { return .null }
        switch storage {
        case let .boolean(bits): return .boolean(bits[index])
        case let .int8(v): return .int(Int64(v[index]))
        case let .int16(v): return .int(Int64(v[index]))
        case let .int32(v):
            if type == .date32 { return .date(v[index]) }
            return .int(Int64(v[index]))
        case let .int64(v):
            if case let .timestamp(zone) = type { return .timestamp(v[index], zone) }
            return .int(v[index])
        case let .uint8(v): return .uint(UInt64(v[index]))
        case let .uint16(v): return .uint(UInt64(v[index]))
        case let .uint32(v): return .uint(UInt64(v[index]))
        case let .uint64(v): return .uint(v[index])
        case let .float32(v): return .float(Double(v[index]))
        case let .float64(v): return .float(v[index])
        case let .int128(v):
            if case let .decimal(_, scale) = type { return .decimal(v[index], scale: scale) }
            return .decimal(v[index], scale: 0)
        case let .bytes(offsets, data):
            let slice = data[Int(offsets[index])..<Int(offsets[index + 1])]
            if type == .string { return .string(String(decoding: slice, as: UTF8.self)) }
            return .binary(Array(slice))
        case let .list(offsets, values):
            return .list((Int(offsets[index])..<Int(offsets[index + 1])).map { values.value(at: $0) })
        case let .structure(children):
            return .structure(children.map { $0.value(at: index) })
        case let .map(offsets, keys, values):
            return .map((Int(offsets[index])..<Int(offsets[index + 1])).map {
                ScalarValue.MapEntry(keys.value(at: $0), values.value(at: $0))
            })
        }
    }

    /// The bytes of a string/binary slot without copying into a String.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard case let .bytes(offsets, data) = storage else { return nil }
        let start = Int(offsets[index]), end = Int(offsets[index + 1])
        return try data.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
        }
    }

    /// The string at `index`, or nil when null or not a string/binary column.
    public func string(at index: Int) -> String? {
        guard !isNull(index), case let .bytes(offsets, data) = storage else { return nil }
        return String(decoding: data[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }

    /// An empty column of `type`.
    public static func empty(_ type: DataType) -> Column {
        Column(unchecked: type, count: 0, validity: nil, storage: emptyStorage(type))
    }

    static func emptyStorage(_ type: DataType) -> ColumnStorage {
        switch type.storageKind {
        case .boolean: return .boolean(Bitmap())
        case .int8: return .int8([])
        case .int16: return .int16([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .uint8: return .uint8([])
        case .uint16: return .uint16([])
        case .uint32: return .uint32([])
        case .uint64: return .uint64([])
        case .float32: return .float32([])
        case .float64: return .float64([])
        case .int128: return .int128([])
        case .bytes: return .bytes(offsets: [0], data: [])
        case .list:
            if case let .list(element) = type { return .list(offsets: [0], values: empty(element.type)) }
            return .list(offsets: [0], values: empty(.int32))
        case .structure:
            if case let .structure(fields) = type { return .structure(fields.map { empty($0.type) }) }
            return .structure([])
        case .map:
            if case let .map(key, value) = type {
                return .map(offsets: [0], keys: empty(key.type), values: empty(value.type))
            }
            return .map(offsets: [0], keys: empty(.string), values: empty(.string))
        }
    }

    /// A column of `count` nulls.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        var builder = ScalarColumnBuilder(type: type)
        builder.appendNull()
        // A one-null column of a valid type always builds; it is then gathered with the
        // typed take kernel rather than appended row by row.
        guard count > 0, let one = try? builder.finish() else { return Column.empty(type) }
        if count == 1 { return one }
        return (try? one.take([Int](repeating: 0, count: count))) ?? Column.empty(type)
    }

    /// Builds a column of `type` from scalars; a scalar that does not fit the type
    /// (wrong kind, out of range) is an error naming the row.
    public init(_ type: DataType, scalars: [ScalarValue]) throws(ColumnarError) {
        var builder = ScalarColumnBuilder(type: type)
        for (row, value) in scalars.enumerated() {
            do {
                try builder.append(value)
            } catch {
                throw .invalidValue("row \(row): \(error)")
            }
        }
        self = try builder.finish()
    }
}

/// Builds a column of any type (nested included) from scalars, one value at a time.
public struct ScalarColumnBuilder: Sendable {
    public let type: DataType
    private var validity = Bitmap()
    private var nulls = 0
    private var storage: PartialStorage

    private indirect enum PartialStorage: Sendable {
        case boolean(Bitmap)
        case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64])
        case uint8([UInt8]), uint16([UInt16]), uint32([UInt32]), uint64([UInt64])
        case float32([Float]), float64([Double]), int128([Int128])
        case bytes(BytesColumnBuilder)
        case list([Int32], ScalarColumnBuilder)
        case structure([ScalarColumnBuilder])
        case map([Int32], ScalarColumnBuilder, ScalarColumnBuilder)
    }

    public init(type: DataType) {
        self.type = type
        switch type {
        case .boolean: storage = .boolean(Bitmap())
        case .int8: storage = .int8([])
        case .int16: storage = .int16([])
        case .int32, .date32: storage = .int32([])
        case .int64, .timestamp: storage = .int64([])
        case .uint8: storage = .uint8([])
        case .uint16: storage = .uint16([])
        case .uint32: storage = .uint32([])
        case .uint64: storage = .uint64([])
        case .float32: storage = .float32([])
        case .float64: storage = .float64([])
        case .decimal: storage = .int128([])
        case .string, .binary: storage = .bytes(BytesColumnBuilder())
        case let .list(element): storage = .list([0], ScalarColumnBuilder(type: element.type))
        case let .structure(fields): storage = .structure(fields.map { ScalarColumnBuilder(type: $0.type) })
        case let .map(key, value):
            storage = .map([0], ScalarColumnBuilder(type: key.type), ScalarColumnBuilder(type: value.type))
        }
    }

    public var count: Int { validity.count }

    public mutating func appendNull() {
        validity.append(false)
        nulls += 1
        switch storage {
        case var .boolean(b): b.append(false); storage = .boolean(b)
        case var .int8(a): a.append(0); storage = .int8(a)
        case var .int16(a): a.append(0); storage = .int16(a)
        case var .int32(a): a.append(0); storage = .int32(a)
        case var .int64(a): a.append(0); storage = .int64(a)
        case var .uint8(a): a.append(0); storage = .uint8(a)
        case var .uint16(a): a.append(0); storage = .uint16(a)
        case var .uint32(a): a.append(0); storage = .uint32(a)
        case var .uint64(a): a.append(0); storage = .uint64(a)
        case var .float32(a): a.append(0); storage = .float32(a)
        case var .float64(a): a.append(0); storage = .float64(a)
        case var .int128(a): a.append(0); storage = .int128(a)
        case var .bytes(b): try? b.appendNull(); storage = .bytes(b)
        case let .list(offsets, child):
            var o = offsets
            o.append(o.last ?? 0)
            storage = .list(o, child)
        case var .structure(children):
            for i in children.indices { children[i].appendNull() }
            storage = .structure(children)
        case let .map(offsets, keys, values):
            var o = offsets
            o.append(o.last ?? 0)
            storage = .map(o, keys, values)
        }
    }

    private func mismatch(_ value: ScalarValue) -> ColumnarError {
        .typeMismatch(expected: "\(type)", actual: "\(value)", context: "building a column")
    }

    private func integer<T: FixedWidthInteger>(_ value: ScalarValue, _: T.Type) throws(ColumnarError) -> T {
        switch value {
        case let .int(v): if let r = T(exactly: v) { return r }
        case let .uint(v): if let r = T(exactly: v) { return r }
        default: throw mismatch(value)
        }
        throw .invalidValue("\(value) does not fit \(type)")
    }

    public mutating func append(_ value: ScalarValue) throws(ColumnarError) {
        if value == .null {
            appendNull()
            return
        }
        switch storage {
        case var .boolean(b):
            guard case let .boolean(v) = value else { throw mismatch(value) }
            b.append(v); storage = .boolean(b)
        case var .int8(a): a.append(try integer(value, Int8.self)); storage = .int8(a)
        case var .int16(a): a.append(try integer(value, Int16.self)); storage = .int16(a)
        case var .int32(a):
            if type == .date32 {
                guard case let .date(d) = value else { throw mismatch(value) }
                a.append(d)
            } else {
                a.append(try integer(value, Int32.self))
            }
            storage = .int32(a)
        case var .int64(a):
            if case .timestamp = type {
                guard case let .timestamp(t, _) = value else { throw mismatch(value) }
                a.append(t)
            } else {
                a.append(try integer(value, Int64.self))
            }
            storage = .int64(a)
        case var .uint8(a): a.append(try integer(value, UInt8.self)); storage = .uint8(a)
        case var .uint16(a): a.append(try integer(value, UInt16.self)); storage = .uint16(a)
        case var .uint32(a): a.append(try integer(value, UInt32.self)); storage = .uint32(a)
        case var .uint64(a): a.append(try integer(value, UInt64.self)); storage = .uint64(a)
        case var .float32(a):
            switch value {
            case let .float(v): a.append(Float(v))
            case let .int(v): a.append(Float(v))
            default: throw mismatch(value)
            }
            storage = .float32(a)
        case var .float64(a):
            switch value {
            case let .float(v): a.append(v)
            case let .int(v): a.append(Double(v))
            default: throw mismatch(value)
            }
            storage = .float64(a)
        case var .int128(a):
            guard case let .decimal(precision, scale) = type else { throw mismatch(value) }
            switch value {
            case let .decimal(v, s) where s == scale: a.append(v)
            case let .int(v): a.append(Int128(v) * pow10(scale))
            default: throw mismatch(value)
            }
            if let last = a.last, last.magnitude >= UInt128(pow10(precision)) {
                throw .invalidValue("\(value) exceeds decimal(\(precision),\(scale))")
            }
            storage = .int128(a)
        case var .bytes(b):
            switch value {
            case let .string(s): try b.append(s)
            case let .binary(bytes): try b.append(bytes: bytes)
            default: throw mismatch(value)
            }
            storage = .bytes(b)
        case let .list(offsets, child):
            guard case let .list(items) = value else { throw mismatch(value) }
            var c = child
            for item in items { try c.append(item) }
            var o = offsets
            o.append(Int32(truncatingIfNeeded: c.count))
            storage = .list(o, c)
        case var .structure(children):
            guard case let .structure(items) = value, items.count == children.count else { throw mismatch(value) }
            for i in children.indices { try children[i].append(items[i]) }
            storage = .structure(children)
        case let .map(offsets, keys, values):
            guard case let .map(entries) = value else { throw mismatch(value) }
            var k = keys, v = values
            for entry in entries {
                guard entry.key != .null else { throw .invalidValue("map keys cannot be null") }
                try k.append(entry.key)
                try v.append(entry.value)
            }
            var o = offsets
            o.append(Int32(truncatingIfNeeded: k.count))
            storage = .map(o, k, v)
        }
        validity.append(true)
    }

    public func finish() throws(ColumnarError) -> Column {
        let v: Bitmap? = nulls > 0 ? validity : nil
        let built: ColumnStorage
        switch storage {
        case let .boolean(b): built = .boolean(b)
        case let .int8(a): built = .int8(a)
        case let .int16(a): built = .int16(a)
        case let .int32(a): built = .int32(a)
        case let .int64(a): built = .int64(a)
        case let .uint8(a): built = .uint8(a)
        case let .uint16(a): built = .uint16(a)
        case let .uint32(a): built = .uint32(a)
        case let .uint64(a): built = .uint64(a)
        case let .float32(a): built = .float32(a)
        case let .float64(a): built = .float64(a)
        case let .int128(a): built = .int128(a)
        case let .bytes(b): built = .bytes(offsets: b.offsets, data: b.data)
        case let .list(offsets, child): built = .list(offsets: offsets, values: try child.finish())
        case let .structure(children):
            let columns = try children.map { (c) throws(ColumnarError) -> Column in try c.finish() }
            if columns.isEmpty {
                return Column(unchecked: type, count: count, validity: v, storage: .structure([]))
            }
            built = .structure(columns)
        case let .map(offsets, keys, values):
            built = .map(offsets: offsets, keys: try keys.finish(), values: try values.finish())
        }
        return try Column(type: type, count: count, validity: v, storage: built)
    }
}

/// 10^n as Int128 (n in 0...38).
@inline(__always)
public func pow10(_ n: Int) -> Int128 {
    var r: Int128 = 1
    for _ in 0..<max(0, min(n, 38)) { r *= 10 }
    return r
}
