// CompactWriter: encodes the Thrift compact protocol for Parquet metadata and page headers.
// Owns field headers (short form when the id grows by 1...15, long form otherwise),
// bools in field headers, varints, containers and struct nesting. Never does IO.

/// An append-only compact-protocol encoder.
///
/// Structs are written as `let saved = writer.beginStruct()`, fields, then
/// `writer.endStruct(saved)` (which writes the stop field). Bool fields go through
/// `writeBoolField`, because the compact protocol puts their value in the header.
public struct CompactWriter: Sendable {
    public var output: ByteWriter
    private var lastFieldID: Int16 = 0

    public init(capacity: Int = 256) {
        output = ByteWriter(capacity: capacity)
    }

    /// The encoded bytes.
    public var bytes: [UInt8] { output.bytes }
    public var count: Int { output.count }

    // MARK: Structs

    /// Enters a struct; returns the enclosing struct's last field id for `endStruct`.
    @inline(__always)
    public mutating func beginStruct() -> Int16 {
        let saved = lastFieldID
        lastFieldID = 0
        return saved
    }

    /// Writes the stop field and returns to the enclosing struct.
    @inline(__always)
    public mutating func endStruct(_ saved: Int16) {
        output.writeByte(0)
        lastFieldID = saved
    }

    @inline(__always)
    mutating func writeFieldHeader(_ id: Int16, nibble: UInt8) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            output.writeByte(UInt8(delta) << 4 | nibble)
        } else {
            // Long form: the delta would be zero, negative or wider than 4 bits.
            output.writeByte(nibble)
            output.writeZigZag(Int64(id))
        }
        lastFieldID = id
    }

    /// A field header for a non-bool field.
    @inline(__always)
    public mutating func writeFieldHeader(_ id: Int16, _ type: ThriftType) {
        writeFieldHeader(id, nibble: type.rawValue)
    }

    /// A bool field: the value is the header's type nibble (1 true, 2 false).
    @inline(__always)
    public mutating func writeBoolField(_ id: Int16, _ value: Bool) {
        writeFieldHeader(id, nibble: value ? 1 : 2)
    }

    // MARK: Primitives

    /// A bool inside a list, set or map: one byte, 1 true, 0 false.
    @inline(__always)
    public mutating func writeBool(_ value: Bool) {
        output.writeByte(value ? 1 : 0)
    }

    @inline(__always)
    public mutating func writeI8(_ value: Int8) {
        output.writeByte(UInt8(bitPattern: value))
    }

    @inline(__always)
    public mutating func writeI16(_ value: Int16) {
        output.writeZigZag(Int64(value))
    }

    @inline(__always)
    public mutating func writeI32(_ value: Int32) {
        output.writeZigZag(Int64(value))
    }

    @inline(__always)
    public mutating func writeI64(_ value: Int64) {
        output.writeZigZag(value)
    }

    @inline(__always)
    public mutating func writeDouble(_ value: Double) {
        output.writeLittleEndian(value.bitPattern)
    }

    public mutating func writeBinary<C: Collection>(_ value: C) where C.Element == UInt8 {
        output.writeULEB128(UInt64(value.count))
        output.write(contentsOf: value)
    }

    public mutating func writeString(_ value: String) {
        writeBinary(value.utf8)
    }

    /// A 16-byte UUID in wire (big-endian) order; shorter input is zero-padded.
    public mutating func writeUUID(_ value: [UInt8]) {
        for index in 0..<16 {
            output.writeByte(index < value.count ? value[index] : 0)
        }
    }

    // MARK: Containers

    /// A list or set header. Bool elements use type nibble 1, as the C++ and Java
    /// libraries write; readers accept 1 and 2.
    /// A negative `count` is written as 0 (counts come from `Array.count`).
    public mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        let count = Swift.max(count, 0)
        if count < 15 {
            output.writeByte(UInt8(truncatingIfNeeded: count) << 4 | elementType.rawValue)
        } else {
            output.writeByte(0xF0 | elementType.rawValue)
            output.writeULEB128(UInt64(truncatingIfNeeded: count))
        }
    }

    /// A negative `count` is written as 0.
    public mutating func writeMapHeader(key: ThriftType, value: ThriftType, count: Int) {
        let count = Swift.max(count, 0)
        output.writeULEB128(UInt64(truncatingIfNeeded: count))
        if count > 0 {
            output.writeByte(key.rawValue << 4 | value.rawValue)
        }
    }

    // MARK: Field conveniences used by the metadata structs

    @inline(__always)
    public mutating func writeField(_ id: Int16, i32 value: Int32) {
        writeFieldHeader(id, .i32)
        writeI32(value)
    }

    @inline(__always)
    public mutating func writeField(_ id: Int16, i64 value: Int64) {
        writeFieldHeader(id, .i64)
        writeI64(value)
    }

    @inline(__always)
    public mutating func writeField(_ id: Int16, i16 value: Int16) {
        writeFieldHeader(id, .i16)
        writeI16(value)
    }

    @inline(__always)
    public mutating func writeField(_ id: Int16, i8 value: Int8) {
        writeFieldHeader(id, .i8)
        writeI8(value)
    }

    public mutating func writeField(_ id: Int16, string value: String) {
        writeFieldHeader(id, .binary)
        writeString(value)
    }

    public mutating func writeField(_ id: Int16, binary value: [UInt8]) {
        writeFieldHeader(id, .binary)
        writeBinary(value)
    }

    public mutating func writeField<T: CompactCodable>(_ id: Int16, struct value: T) {
        writeFieldHeader(id, .struct)
        value.encode(to: &self)
    }

    public mutating func writeField<T: CompactCodable>(_ id: Int16, structs values: [T]) {
        writeFieldHeader(id, .list)
        writeListHeader(.struct, count: values.count)
        for value in values { value.encode(to: &self) }
    }

    public mutating func writeField(_ id: Int16, strings values: [String]) {
        writeFieldHeader(id, .list)
        writeListHeader(.binary, count: values.count)
        for value in values { writeString(value) }
    }

    public mutating func writeField(_ id: Int16, i32s values: [Int32]) {
        writeFieldHeader(id, .list)
        writeListHeader(.i32, count: values.count)
        for value in values { writeI32(value) }
    }

    public mutating func writeField(_ id: Int16, i64s values: [Int64]) {
        writeFieldHeader(id, .list)
        writeListHeader(.i64, count: values.count)
        for value in values { writeI64(value) }
    }

    /// An empty struct as a field: the union member markers of LogicalType etc.
    public mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldHeader(id, .struct)
        output.writeByte(0)
    }
}
