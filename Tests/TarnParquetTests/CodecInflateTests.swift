// Tests of the GZIP codec's inflate: streams from Python's zlib and gzip modules
// (stored, fixed and dynamic Huffman blocks; gzip, zlib and raw wrappers; names and
// several members), checksum failures, and hostile or truncated streams.

import Testing
@testable import TarnParquet

@Suite("GZIP codec (inflate)")
struct CodecInflateTests {
    func inflate(_ bytes: [UInt8], size: Int) throws -> [UInt8] {
        try encWithRaw(bytes) { try PageCodec.decompress(.gzip, $0, uncompressedSize: size, maxSize: 1 << 30) }
    }

    /// 3000 bytes over a 29-letter alphabet; gzip picks a dynamic Huffman block for it.
    static let dynamicSample: [UInt8] = (0..<3000).map { (i: Int) -> UInt8 in
        let cube: Int = i * i * i
        return UInt8((cube + 3 * i) % 29 + 65)
    }

    static let vectors: [(String, String, [UInt8])] = [
        ("gzip, fixed Huffman (Python gzip)", "1f8b08000000000002030b492cca53282ec92f4a2d567049cd29495428494cca017232f31402128b0a4b534b14d23281027a0a21c35329032313330b2b1b3b072717370f2f1fbf80a090b088a898b884a494b48cac9cbc82a292b28aaa9aba86a696b68eae9ebe81a191b189a999b985a595b58dad9d7d625232264a01002ff7d0c458010000", encCodecSample),
        ("zlib, stored block (level 0)", "7801015801a7fe5461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e205461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e205461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e205461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e205461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e205461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f61626361626361626361626361626361626361626364f4ad6d07", encCodecSample),
        ("zlib, fixed Huffman (Z_FIXED)", "78010b492cca53282ec92f4a2d567049cd29495428494cca017232f31402128b0a4b534b14d23281027a0a21c35329032313330b2b1b3b072717370f2f1fbf80a090b088a898b884a494b48cac9cbc82a292b28aaa9aba86a696b68eae9ebe81a191b189a999b985a595b58dad9d7d625232264a0100f4ad6d07", encCodecSample),
        ("raw DEFLATE without a wrapper", "0b492cca53282ec92f4a2d567049cd29495428494cca017232f31402128b0a4b534b14d23281027a0a21c35329032313330b2b1b3b072717370f2f1fbf80a090b088a898b884a494b48cac9cbc82a292b28aaa9aba86a696b68eae9ebe81a191b189a999b985a595b58dad9d7d625232264a0100", encCodecSample),
        ("gzip, two members, the first with a file name", "1f8b08080000000002ff706167652e62696e000b492cca53282ec92f4a2d567049cd29495428494cca017232f31402128b0a4b534b14d23281027a0a21e42a05009e3d9dfb640000001f8b0800000000000203cb29495428494cca492d56c8cc5308482c2a2c4d2d5148cb040ae829842416e5291497e41701655d5273e8af948191899985958d9d83938b9b87978f5f4050485844544c5c42524a5a46564e5e4151495945554d5d43534b5b47574fdfc0d0c8d8c4d4ccdcc2d2cadac6d6ce3e31291913a5000094a83c88f4000000", encCodecSample),
        ("gzip, dynamic Huffman", "1f8b0800000000000203edc9b10d80300c00c1d98cc1a2886247299013b3ff1aac41f1d79e5c7ecfd4e11a479e5adb5eafe865ed89252449922449922449fe213f92398d48b80b0000", dynamicSample),
    ]

    @Test("streams from Python's zlib and gzip inflate exactly", arguments: vectors)
    func pythonStreams(_ vector: (String, String, [UInt8])) throws {
        #expect(try inflate(encHex(vector.1), size: vector.2.count) == vector.2)
    }

    @Test("a dynamic block header is really dynamic (BTYPE 2)")
    func dynamicBlockType() {
        let bytes = encHex(Self.vectors[5].1)
        #expect((bytes[10] >> 1) & 3 == 2)
    }

    @Test("a corrupted CRC-32 or Adler-32 is detected")
    func checksums() {
        var gzip = encHex(Self.vectors[0].1)
        gzip[gzip.count - 8] ^= 0x01
        #expect(throws: ParquetError.self) { try inflate(gzip, size: encCodecSample.count) }
        var zlib = encHex(Self.vectors[2].1)
        zlib[zlib.count - 1] ^= 0x01
        #expect(throws: ParquetError.self) { try inflate(zlib, size: encCodecSample.count) }
    }

    @Test("a declared size other than the stream's output is .corrupt")
    func wrongSize() {
        let bytes = encHex(Self.vectors[0].1)
        for size in [0, encCodecSample.count - 1, encCodecSample.count + 1] {
            let error = #expect(throws: ParquetError.self) { try inflate(bytes, size: size) }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("every truncation of every vector throws, never crashes")
    func truncations() {
        for vector in Self.vectors {
            let bytes = encHex(vector.1)
            for length in 0..<bytes.count {
                #expect(throws: ParquetError.self) { try inflate(Array(bytes.prefix(length)), size: vector.2.count) }
            }
        }
    }

    @Test("bit flips and random bytes throw or decode, never crash")
    func hostile() {
        var generator = EncSeededGenerator(seed: 21)
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = encHex(Self.vectors[round / 2 % Self.vectors.count].1)
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
                }
            } else {
                bytes = generator.bytes(Int.random(in: 0...200, using: &generator))
            }
            _ = try? inflate(bytes, size: Int.random(in: 0...4000, using: &generator))
        }
    }

    @Test("over-subscribed Huffman code lengths are refused")
    func overSubscribed() {
        #expect(throws: ParquetError.self) { try HuffmanTable(lengths: [1, 1, 1]) }
        #expect(throws: ParquetError.self) { try HuffmanTable(lengths: [2, 2, 2, 2, 2]) }
        #expect(throws: Never.self) { try HuffmanTable(lengths: [1, 2, 3, 3]) }
        #expect(throws: Never.self) { try HuffmanTable(lengths: [1, 0, 0]) }
    }
}
