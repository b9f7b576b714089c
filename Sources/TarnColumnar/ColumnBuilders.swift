// Builders that append values one at a time into column buffers (CSV, decoders that
// produce rows, tests). Own validity tracking and offset growth; must never box values.

/// Appends fixed-width values with optional nulls.
public struct PrimitiveColumnBuilder<T: ColumnPrimitive>: Sendable {
    public private(set) var values: [T]
    private var validity: Bitmap
    private var nulls = 0

    public init(capacity: Int = 0) {
        values = []
        values.reserveCapacity(capacity)
        validity = Bitmap()
        validity.reserveCapacity(capacity)
    }

    public var count: Int { values.count }

    @inline(__always)
    public mutating func append(_ value: T) {
        values.append(value)
        validity.append(true)
    }

    @inline(__always)
    public mutating func appendNull() {
        values.append(T.zero)
        validity.append(false)
        nulls += 1
    }

    public func finish(_ type: DataType) throws(ColumnarError) -> Column {
        try Column(type: type, count: values.count, validity: nulls > 0 ? validity : nil, storage: T.wrap(values))
    }
}

/// Appends booleans with optional nulls.
public struct BooleanColumnBuilder: Sendable {
    private var bits = Bitmap()
    private var validity = Bitmap()
    private var nulls = 0

    public init(capacity: Int = 0) {
        bits.reserveCapacity(capacity)
        validity.reserveCapacity(capacity)
    }

    public var count: Int { bits.count }

    public mutating func append(_ value: Bool) {
        bits.append(value)
        validity.append(true)
    }

    public mutating func appendNull() {
        bits.append(false)
        validity.append(false)
        nulls += 1
    }

    public func finish() throws(ColumnarError) -> Column {
        try Column(type: .boolean, count: bits.count, validity: nulls > 0 ? validity : nil, storage: .boolean(bits))
    }
}

/// Appends strings or byte strings (Arrow layout: offsets + data).
public struct BytesColumnBuilder: Sendable {
    public private(set) var offsets: [Int32]
    public private(set) var data: [UInt8]
    private var validity = Bitmap()
    private var nulls = 0

    public init(capacity: Int = 0, byteCapacity: Int = 0) {
        offsets = [0]
        offsets.reserveCapacity(capacity + 1)
        data = []
        data.reserveCapacity(byteCapacity)
        validity.reserveCapacity(capacity)
    }

    public var count: Int { offsets.count - 1 }

    @inline(__always)
    private mutating func close() throws(ColumnarError) {
        guard data.count <= Int(Int32.max) else {
            throw .capacityExceeded("a string/binary column exceeds 2 GiB in one batch")
        }
        offsets.append(Int32(truncatingIfNeeded: data.count))
        validity.append(true)
    }

    public mutating func append(_ string: String) throws(ColumnarError) {
        var s = string
        s.withUTF8 { data.append(contentsOf: $0) }
        try close()
    }

    public mutating func append<C: Collection>(bytes: C) throws(ColumnarError) where C.Element == UInt8 {
        data.append(contentsOf: bytes)
        try close()
    }

    public mutating func append(_ buffer: UnsafeRawBufferPointer) throws(ColumnarError) {
        data.append(contentsOf: buffer)
        try close()
    }

    public mutating func appendNull() throws(ColumnarError) {
        offsets.append(Int32(truncatingIfNeeded: data.count))
        validity.append(false)
        nulls += 1
    }

    public func finish(_ type: DataType) throws(ColumnarError) -> Column {
        try Column(type: type, count: count, validity: nulls > 0 ? validity : nil, storage: .bytes(offsets: offsets, data: data))
    }
}
