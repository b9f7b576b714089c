// ColumnPrimitive: the fixed-width Swift types that back column buffers, and their
// mapping to `ColumnStorage` cases, so kernels can be written once generically.
// Must never add a type whose storage case does not exist.

public protocol ColumnPrimitive: Sendable, Comparable, Hashable {
    static var storageKind: StorageKind { get }
    static func wrap(_ values: [Self]) -> ColumnStorage
    static func unwrap(_ storage: ColumnStorage) -> [Self]?
    static var zero: Self { get }
}

extension Int8: ColumnPrimitive {
    public static var storageKind: StorageKind { .int8 }
    public static func wrap(_ v: [Int8]) -> ColumnStorage { .int8(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Int8]? { if case let .int8(v) = s { return v }; return nil }
}
extension Int16: ColumnPrimitive {
    public static var storageKind: StorageKind { .int16 }
    public static func wrap(_ v: [Int16]) -> ColumnStorage { .int16(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Int16]? { if case let .int16(v) = s { return v }; return nil }
}
extension Int32: ColumnPrimitive {
    public static var storageKind: StorageKind { .int32 }
    public static func wrap(_ v: [Int32]) -> ColumnStorage { .int32(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Int32]? { if case let .int32(v) = s { return v }; return nil }
}
extension Int64: ColumnPrimitive {
    public static var storageKind: StorageKind { .int64 }
    public static func wrap(_ v: [Int64]) -> ColumnStorage { .int64(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Int64]? { if case let .int64(v) = s { return v }; return nil }
}
extension UInt8: ColumnPrimitive {
    public static var storageKind: StorageKind { .uint8 }
    public static func wrap(_ v: [UInt8]) -> ColumnStorage { .uint8(v) }
    public static func unwrap(_ s: ColumnStorage) -> [UInt8]? { if case let .uint8(v) = s { return v }; return nil }
}
extension UInt16: ColumnPrimitive {
    public static var storageKind: StorageKind { .uint16 }
    public static func wrap(_ v: [UInt16]) -> ColumnStorage { .uint16(v) }
    public static func unwrap(_ s: ColumnStorage) -> [UInt16]? { if case let .uint16(v) = s { return v }; return nil }
}
extension UInt32: ColumnPrimitive {
    public static var storageKind: StorageKind { .uint32 }
    public static func wrap(_ v: [UInt32]) -> ColumnStorage { .uint32(v) }
    public static func unwrap(_ s: ColumnStorage) -> [UInt32]? { if case let .uint32(v) = s { return v }; return nil }
}
extension UInt64: ColumnPrimitive {
    public static var storageKind: StorageKind { .uint64 }
    public static func wrap(_ v: [UInt64]) -> ColumnStorage { .uint64(v) }
    public static func unwrap(_ s: ColumnStorage) -> [UInt64]? { if case let .uint64(v) = s { return v }; return nil }
}
extension Float: ColumnPrimitive {
    public static var storageKind: StorageKind { .float32 }
    public static func wrap(_ v: [Float]) -> ColumnStorage { .float32(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Float]? { if case let .float32(v) = s { return v }; return nil }
}
extension Double: ColumnPrimitive {
    public static var storageKind: StorageKind { .float64 }
    public static func wrap(_ v: [Double]) -> ColumnStorage { .float64(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Double]? { if case let .float64(v) = s { return v }; return nil }
}
extension Int128: ColumnPrimitive {
    public static var storageKind: StorageKind { .int128 }
    public static func wrap(_ v: [Int128]) -> ColumnStorage { .int128(v) }
    public static func unwrap(_ s: ColumnStorage) -> [Int128]? { if case let .int128(v) = s { return v }; return nil }
}

extension Column {
    /// The typed value buffer, if this column's storage is `T`'s.
    public func values<T: ColumnPrimitive>(as _: T.Type) -> [T]? {
        T.unwrap(storage)
    }

    /// A fixed-width column from a buffer and optional validity (nil = no nulls).
    public init<T: ColumnPrimitive>(_ type: DataType, values: [T], validity: Bitmap? = nil) throws(ColumnarError) {
        try self.init(type: type, count: values.count, validity: validity, storage: T.wrap(values))
    }

    /// A fixed-width column from optionals (nil = null), e.g. `Column(.int64, [1, nil, 3])`.
    public init<T: ColumnPrimitive>(_ type: DataType, _ optionals: [T?]) throws(ColumnarError) {
        var builder = PrimitiveColumnBuilder<T>(capacity: optionals.count)
        for v in optionals {
            if let v { builder.append(v) } else { builder.appendNull() }
        }
        self = try builder.finish(type)
    }

    /// A string column from optionals.
    public init(strings: [String?]) throws(ColumnarError) {
        var builder = BytesColumnBuilder(capacity: strings.count)
        for s in strings {
            if let s { try builder.append(s) } else { try builder.appendNull() }
        }
        self = try builder.finish(.string)
    }

    /// A boolean column from optionals.
    public init(booleans: [Bool?]) throws(ColumnarError) {
        var builder = BooleanColumnBuilder(capacity: booleans.count)
        for b in booleans {
            if let b { builder.append(b) } else { builder.appendNull() }
        }
        self = try builder.finish()
    }
}
