// PlainEncoder: PLAIN encoding of every physical type from typed Swift arrays.
// Appends to a ByteWriter; knows nothing about pages, nulls or statistics.
// Never reads outside the caller's buffers; Arrow-style offsets are validated first.

/// PLAIN encoding (`Encoding.plain`).
public enum PlainEncoder {
    /// Appends fixed-width values (`Int32`, `Int64`, `Float`, `Double`) as little-endian bytes.
    public static func encode<T: PlainFixedWidth>(_ values: UnsafeBufferPointer<T>, into out: inout ByteWriter) {
        let width = MemoryLayout<T>.size
        if width == MemoryLayout<T>.stride {
            out.write(UnsafeRawBufferPointer(values))
        } else {
            for value in values {
                withUnsafeBytes(of: value) { out.write(UnsafeRawBufferPointer(rebasing: $0[0..<width])) }
            }
        }
    }

    /// Appends fixed-width values from an array.
    public static func encode<T: PlainFixedWidth>(_ values: [T], into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { encode($0, into: &out) }
    }

    /// Appends microsecond timestamps as Impala INT96 values (12 bytes each).
    public static func encodeInt96Timestamps(_ micros: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        for value in micros {
            let int96 = Int96(timestampMicroseconds: value)
            out.writeLittleEndian(int96.low)
            out.writeLittleEndian(int96.high)
        }
    }

    /// Appends booleans bit-packed LSB first; the last byte is padded with zero bits.
    public static func encodeBooleans(_ values: UnsafeBufferPointer<Bool>, into out: inout ByteWriter) {
        var byte: UInt8 = 0
        var bit: UInt8 = 0
        for value in values {
            if value { byte |= 1 << bit }
            bit += 1
            if bit == 8 {
                out.writeByte(byte)
                byte = 0
                bit = 0
            }
        }
        if bit > 0 { out.writeByte(byte) }
    }

    /// Appends Arrow-layout byte arrays (value i is `data[offsets[i]..<offsets[i+1]]`)
    /// each as a 4-byte little-endian length and its bytes.
    /// - Throws: `.invalidArgument` if the offsets decrease or run past `data`.
    public static func encodeByteArrays(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into out: inout ByteWriter) throws(ParquetError) {
        guard offsets.count >= 1 else { return }
        try validateOffsets(offsets, dataCount: data.count)
        out.bytes.reserveCapacity(out.count + 4 * (offsets.count - 1) + Int(offsets[offsets.count - 1] - offsets[0]))
        for i in 0..<(offsets.count - 1) {
            let start = Int(offsets[i])
            let end = Int(offsets[i + 1])
            out.writeLittleEndian(UInt32(end - start))
            out.write(UnsafeRawBufferPointer(rebasing: data[start..<end]))
        }
    }

    /// Appends FIXED_LEN_BYTE_ARRAY values: the bytes themselves, back to back.
    /// - Throws: `.invalidArgument` unless `data.count` is a multiple of `typeLength`.
    public static func encodeFixedLengthByteArrays(_ data: UnsafeRawBufferPointer, typeLength: Int, into out: inout ByteWriter) throws(ParquetError) {
        guard typeLength > 0, data.count % typeLength == 0 else {
            throw .invalidArgument("FIXED_LEN_BYTE_ARRAY data of \(data.count) bytes is not a multiple of type length \(typeLength)")
        }
        out.write(data)
    }

    /// Checks Arrow offsets: non-decreasing, first >= 0, last <= dataCount.
    static func validateOffsets(_ offsets: UnsafeBufferPointer<Int32>, dataCount: Int) throws(ParquetError) {
        guard let first = offsets.first, let last = offsets.last else { return }
        guard first >= 0, Int(last) <= dataCount else {
            throw .invalidArgument("byte-array offsets \(first)...\(last) fall outside data of \(dataCount) bytes")
        }
        var previous = first
        for offset in offsets {
            guard offset >= previous else { throw .invalidArgument("byte-array offsets decrease (\(previous) then \(offset))") }
            previous = offset
        }
    }
}
