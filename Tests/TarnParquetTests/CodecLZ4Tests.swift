// Tests of LZ4_RAW and Hadoop-framed LZ4: a block from the reference LZ4, round trips,
// the Hadoop framing (and its bare-block fallback), and malformed sequences.

import Testing
@testable import TarnParquet

@Suite("LZ4 codecs")
struct CodecLZ4Tests {
    /// pyarrow 26 `pa.compress(encCodecSample, codec="lz4_raw")`.
    static let pyarrowBlock = "ff1c5461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e202b00c4fa34000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f6162630300506361626364"

    func decompress(_ codec: CompressionCodec, _ bytes: [UInt8], size: Int) throws -> [UInt8] {
        try encWithRaw(bytes) { try PageCodec.decompress(codec, $0, uncompressedSize: size, maxSize: 1 << 30) }
    }

    @Test("a block from the reference LZ4 decodes")
    func referenceBlock() throws {
        #expect(try decompress(.lz4Raw, encHex(Self.pyarrowBlock), size: encCodecSample.count) == encCodecSample)
    }

    @Test("Hadoop framing (BE lengths) and the bare-block fallback both decode under LZ4")
    func hadoop() throws {
        let block = encHex(Self.pyarrowBlock)
        func be32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        let framed = be32(encCodecSample.count) + be32(block.count) + block
        #expect(try decompress(.lz4, framed, size: encCodecSample.count) == encCodecSample)
        let twice = framed + framed
        #expect(try decompress(.lz4, twice, size: 2 * encCodecSample.count) == encCodecSample + encCodecSample)
        #expect(try decompress(.lz4, block, size: encCodecSample.count) == encCodecSample)
        #expect(throws: ParquetError.self) { try decompress(.lz4, Array(framed.dropLast()), size: encCodecSample.count) }
    }

    static let inputs: [[UInt8]] = [
        [],
        [1, 2, 3],
        Array(repeating: 9, count: 70_000),
        encCompressibleBytes(200_000),
        EncSeededGenerator(seed: 8).bytesArray(10_000),
    ]

    @Test("LZ4_RAW round trips through our compressor", arguments: inputs)
    func roundTrip(input: [UInt8]) throws {
        let compressed = try encWithRaw(input) { try PageCodec.compress(.lz4Raw, $0, level: 0) }
        #expect(try decompress(.lz4Raw, compressed, size: input.count) == input)
    }

    static let malformed: [(String, [UInt8], Int)] = [
        ("empty block", [], 1),
        ("literal past the input", [0x50, 0x61, 0x62], 5),
        ("offset zero", [0x10, 0x61, 0x00, 0x00], 6),
        ("offset past the output start", [0x10, 0x61, 0x02, 0x00], 6),
        ("match overflows the declared size", [0x1F, 0x61, 0x01, 0x00, 0x10], 6),
        ("extended length never ends", [0xF0, 0xFF, 0xFF], 600),
        ("block ends after a match", [0x10, 0x61, 0x01, 0x00], 5),
        ("fewer bytes than declared", [0x30, 0x61, 0x62, 0x63], 4),
    ]

    @Test("malformed blocks throw .corrupt", arguments: malformed)
    func malformedBlock(_ testCase: (String, [UInt8], Int)) {
        let error = #expect(throws: ParquetError.self) { try decompress(.lz4Raw, testCase.1, size: testCase.2) }
        #expect(error?.code == .corrupt)
    }
}
