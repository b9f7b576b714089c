// Tests of the snappy codec: a stream produced by pyarrow's snappy, round trips of
// compressible and incompressible data, and every malformed element kind.

import Testing
@testable import TarnParquet

@Suite("Snappy codec")
struct CodecSnappyTests {
    /// pyarrow 26 `pa.compress(encCodecSample, codec="snappy")`.
    static let pyarrowSnappy = "d802a85461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e20fe2b00fe2b00fe2b005a2b00f043000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f616263614203000064"

    func decompress(_ bytes: [UInt8], size: Int) throws -> [UInt8] {
        try encWithRaw(bytes) { try PageCodec.decompress(.snappy, $0, uncompressedSize: size, maxSize: 1 << 30) }
    }

    @Test("a stream produced by the reference snappy decodes")
    func referenceStream() throws {
        #expect(try decompress(encHex(Self.pyarrowSnappy), size: encCodecSample.count) == encCodecSample)
    }

    static let roundTripInputs: [[UInt8]] = [
        [],
        [7],
        Array("abc".utf8),
        [UInt8](repeating: 0, count: 100_000),
        encCompressibleBytes(300_000),
        EncSeededGenerator(seed: 3).bytesArray(70_000),
        (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) },
    ]

    @Test("round trips through our compressor", arguments: roundTripInputs)
    func roundTrip(input: [UInt8]) throws {
        let compressed = try encWithRaw(input) { try PageCodec.compress(.snappy, $0, level: 0) }
        #expect(compressed.count <= Snappy.maxCompressedLength(input.count))
        #expect(try decompress(compressed, size: input.count) == input)
    }

    @Test("compressible data actually shrinks")
    func shrinks() throws {
        let input = encCompressibleBytes(100_000)
        let compressed = try encWithRaw(input) { try PageCodec.compress(.snappy, $0, level: 0) }
        #expect(compressed.count < input.count / 2)
    }

    static let malformed: [(String, [UInt8], Int)] = [
        ("preamble disagrees with the declared size", [0x05, 0x10, 0x61, 0x62, 0x63, 0x64, 0x65], 4),
        ("literal past the input", [0x05, 0x10, 0x61], 5),
        ("copy before any output", [0x04, 0x01, 0x01], 4),
        ("copy offset zero", [0x06, 0x04, 0x61, 0x09, 0x00], 6),
        ("copy offset beyond output", [0x06, 0x04, 0x61, 0x09, 0x05], 6),
        ("copy overflows the declared size", [0x03, 0x04, 0x61, 0x3E, 0x01, 0x00], 3),
        ("stream ends short of the declared size", [0x05, 0x04, 0x61], 5),
        ("literal length bytes missing", [0x05, 0xF4, 0x01], 5),
        ("truncated 4-byte-offset copy", [0x05, 0x00, 0x61, 0x03, 0x01], 5),
        ("preamble varint never ends", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 1),
    ]

    @Test("malformed streams throw .corrupt", arguments: malformed)
    func malformedStream(_ testCase: (String, [UInt8], Int)) {
        let error = #expect(throws: ParquetError.self) { try decompress(testCase.1, size: testCase.2) }
        #expect(error?.code == .corrupt)
    }

    @Test("overlapping copies (offset < length) repeat the pattern")
    func overlappingCopy() throws {
        // "ab" then copy offset 2 length 10 (1-byte-offset form: length 4 + 6).
        let bytes: [UInt8] = [12, 0x04, 0x61, 0x62, 0x01 | (6 << 2), 0x02]
        #expect(try decompress(bytes, size: 12) == Array("abababababab".utf8))
    }
}

extension EncSeededGenerator {
    func bytesArray(_ count: Int) -> [UInt8] {
        var copy = self
        return copy.bytes(count)
    }
}
