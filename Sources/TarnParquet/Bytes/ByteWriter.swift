// ByteWriter: an append-only byte buffer for encoders and the Thrift writer.
// Owns the primitive writes (little-endian, ULEB128, zigzag); never does IO.

/// Growable output buffer. `bytes` is the encoded result.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    @inline(__always)
    public mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    @inline(__always)
    public mutating func write<C: Collection>(contentsOf data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    public mutating func write(_ buffer: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: buffer)
    }

    @inline(__always)
    public mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    public mutating func writeULEB128(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inline(__always)
    public mutating func writeZigZag(_ value: Int64) {
        writeULEB128(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}
