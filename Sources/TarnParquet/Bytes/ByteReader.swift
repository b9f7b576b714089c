// ByteReader: a bounds-checked cursor over bytes read from a file.
// Owns every primitive read (fixed-width little-endian, ULEB128, zigzag) used by
// Thrift and the encodings. Must never trap: reading past the end throws `.corrupt`.

/// A forward cursor over a byte buffer. Every read checks what remains first.
///
/// `base` is the absolute offset of `bytes[0]` in the file, so errors can name the
/// byte offset in the file rather than in a page.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position: Int
    public let base: Int

    /// The caller keeps `bytes` alive for as long as the reader is used.
    public init(_ bytes: UnsafeRawBufferPointer, base: Int = 0) {
        self.bytes = bytes
        self.position = 0
        self.base = base
    }

    public var remaining: Int { bytes.count - position }
    public var isAtEnd: Bool { position >= bytes.count }
    /// Absolute offset of the cursor in the file.
    public var absoluteOffset: Int { base + position }

    @inline(__always)
    func failure(_ what: String) -> ParquetError {
        .corrupt("\(what): needs more bytes than remain (\(remaining) left)", offset: absoluteOffset)
    }

    /// Fails unless `count` bytes remain; `count` comes from the file and is untrusted.
    @inline(__always)
    public func require(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetError) {
        if count < 0 || count > remaining {
            throw ParquetError.corrupt("\(what()): length \(count) exceeds the \(remaining) bytes that remain", offset: absoluteOffset)
        }
    }

    @inline(__always)
    public mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw failure("byte") }
        let value = bytes[position]
        position += 1
        return value
    }

    /// Reads `count` bytes as a sub-buffer sharing memory with this reader.
    @inline(__always)
    public mutating func readBytes(_ count: Int) throws(ParquetError) -> UnsafeRawBufferPointer {
        try require(count, "byte run")
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        position += count
        return slice
    }

    public mutating func skip(_ count: Int) throws(ParquetError) {
        try require(count, "skip")
        position += count
    }

    @inline(__always)
    public mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type) throws(ParquetError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw failure("\(T.self)") }
        // SAFETY: `size` bytes at `position` are inside `bytes`, checked just above.
        let value = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: value)
    }

    /// Unsigned LEB128 varint, at most 10 bytes (64 bits).
    @inline(__always)
    public mutating func readULEB128() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 {
                throw ParquetError.corrupt("varint overflows 64 bits", offset: absoluteOffset - 1)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw ParquetError.corrupt("varint longer than 10 bytes", offset: absoluteOffset)
            }
        }
    }

    /// Zigzag-encoded signed varint.
    @inline(__always)
    public mutating func readZigZag() throws(ParquetError) -> Int64 {
        let raw = try readULEB128()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint that must fit a non-negative Int no larger than `limit` (a count or length).
    public mutating func readLength(limit: Int, _ what: @autoclosure () -> String) throws(ParquetError) -> Int {
        let start = absoluteOffset
        let raw = try readULEB128()
        guard raw <= UInt64(limit) else {
            throw ParquetError.corrupt("\(what()) \(raw) exceeds the limit \(limit)", offset: start)
        }
        return Int(raw)
    }
}
