// ByteStreamSplit: BYTE_STREAM_SPLIT decoding and encoding for FLOAT, DOUBLE, INT32,
// INT64 and FIXED_LEN_BYTE_ARRAY: byte k of every value is stored in stream k.
// The stream length comes from the input size (input.count / width values); it must
// hold at least the values asked for. Never reads outside the input.

/// BYTE_STREAM_SPLIT (`Encoding.byteStreamSplit`).
public enum ByteStreamSplit {
    /// Appends `count` fixed-width values (`Int32`, `Int64`, `Float`, `Double`).
    ///
    /// The input is the whole encoded section: `input.count / width` values per stream,
    /// of which the first `count` are decoded.
    /// - Returns: bytes consumed (the whole section, `width * streamLength`).
    /// - Throws: `.corrupt` if the input is not a whole number of values or too short.
    public static func decode<T: PlainFixedWidth>(
        _ input: UnsafeRawBufferPointer, count: Int, as type: T.Type = T.self,
        appendingTo output: inout [T], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        let width = MemoryLayout<T>.size
        guard width == MemoryLayout<T>.stride else { throw .unsupported("BYTE_STREAM_SPLIT for \(T.self)") }
        var bytes: [UInt8] = []
        let consumed = try decodeFixedLength(input, count: count, width: width, appendingTo: &bytes, baseOffset: baseOffset)
        if count > 0 {
            bytes.withUnsafeBytes { PlainDecoder.appendBitwise($0, count: count, to: &output) }
        }
        return consumed
    }

    /// Appends `count` values of `width` bytes each to `data`, value after value.
    public static func decodeFixedLength(
        _ input: UnsafeRawBufferPointer, count: Int, width: Int,
        appendingTo data: inout [UInt8], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard width > 0 else { throw .corrupt("BYTE_STREAM_SPLIT width \(width) is not positive", offset: baseOffset) }
        guard input.count % width == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT section of \(input.count) bytes is not a multiple of the value width \(width)", offset: baseOffset)
        }
        let streamLength = input.count / width
        guard count <= streamLength else {
            throw .corrupt("BYTE_STREAM_SPLIT holds \(streamLength) values, \(count) wanted", offset: baseOffset)
        }
        if count == 0 { return input.count }
        let start = data.count
        data.append(contentsOf: repeatElement(0, count: count * width))
        data.withUnsafeMutableBufferPointer { all in
            guard let target = all.baseAddress.map({ $0 + start }), let source = input.baseAddress else { return }
            for stream in 0..<width {
                let streamBase = source + stream * streamLength
                for i in 0..<count {
                    // SAFETY: stream * streamLength + i < width * streamLength == input.count;
                    // i * width + stream < count * width, the bytes appended above.
                    target[i &* width &+ stream] = streamBase.load(fromByteOffset: i, as: UInt8.self)
                }
            }
        }
        return input.count
    }

    /// Appends fixed-width values split into byte streams.
    public static func encode<T: PlainFixedWidth>(_ values: UnsafeBufferPointer<T>, into out: inout ByteWriter) {
        let width = MemoryLayout<T>.size
        encodeFixedLength(UnsafeRawBufferPointer(values), width: width, into: &out)
    }

    /// Appends `data` (values of `width` bytes back to back) split into byte streams;
    /// a trailing partial value is ignored.
    public static func encodeFixedLength(_ data: UnsafeRawBufferPointer, width: Int, into out: inout ByteWriter) {
        guard width > 0 else { return }
        let count = data.count / width
        out.bytes.reserveCapacity(out.count + count * width)
        for stream in 0..<width {
            for i in 0..<count {
                out.writeByte(data[i * width + stream])
            }
        }
    }
}
