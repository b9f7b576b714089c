// Helpers for the Thrift and metadata tests: decode a CompactCodable from an array,
// and encode one to bytes. Test-only; no production code depends on these.

@testable import TarnParquet

/// Decodes `T` from `bytes`, returning the value and how many bytes it took.
func decodeCompact<T: CompactCodable>(
    _ type: T.Type, _ bytes: [UInt8], maximumDepth: Int = CompactReader.defaultMaximumDepth
) throws(ParquetError) -> (value: T, length: Int) {
    let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(ParquetError) -> (T, Int) in
            var reader = CompactReader(buffer, maximumDepth: maximumDepth)
            let value = try T(from: &reader)
            return (value, reader.position)
        }
    }
    return try result.get()
}

/// Runs `body` over a reader on `bytes`.
func withCompactReader<R>(
    _ bytes: [UInt8], _ body: (inout CompactReader) throws(ParquetError) -> R
) throws(ParquetError) -> R {
    let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(ParquetError) -> R in
            var reader = CompactReader(buffer)
            return try body(&reader)
        }
    }
    return try result.get()
}

func encodeCompact<T: CompactCodable>(_ value: T) -> [UInt8] {
    var writer = CompactWriter()
    value.encode(to: &writer)
    return writer.bytes
}

/// Bytes from a hex string; whitespace is ignored. Test data only.
func bytesFromHex(_ hex: String) -> [UInt8] {
    let digits = hex.compactMap { $0.hexDigitValue }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    var index = 0
    while index + 1 < digits.count {
        bytes.append(UInt8(digits[index] << 4 | digits[index + 1]))
        index += 2
    }
    return bytes
}
