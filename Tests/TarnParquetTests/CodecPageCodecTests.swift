// Tests of PageCodec as the page reader sees it: ZSTD through libzstd, size limits
// checked before allocation, unsupported codecs named, and hostile input to every codec.

import Testing
@testable import TarnParquet

@Suite("PageCodec")
struct CodecPageCodecTests {
    /// pyarrow 26 `pa.compress(encCodecSample, codec="zstd")`.
    static let pyarrowZstd = "28b52ffd605800dd0300f4065461726e2073746f7265732044656c7461207461626c657320696e20506172717565742066696c65732e20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f61626364020083ce8ba33a4a9501"

    func decompress(_ codec: CompressionCodec, _ bytes: [UInt8], size: Int, maxSize: Int = 1 << 30) throws -> [UInt8] {
        try encWithRaw(bytes) { try PageCodec.decompress(codec, $0, uncompressedSize: size, maxSize: maxSize) }
    }

    @Test("a zstd frame from pyarrow decodes")
    func zstdReference() throws {
        #expect(try decompress(.zstd, encHex(Self.pyarrowZstd), size: encCodecSample.count) == encCodecSample)
    }

    @Test("every writable codec round trips", arguments: [CompressionCodec.uncompressed, .snappy, .zstd, .lz4Raw])
    func roundTrip(codec: CompressionCodec) throws {
        #expect(PageCodec.canCompress(codec))
        for input in [[], [42], encCompressibleBytes(123_457)] as [[UInt8]] {
            for level in [1, 3, 19] {
                let compressed = try encWithRaw(input) { try PageCodec.compress(codec, $0, level: level) }
                #expect(try decompress(codec, compressed, size: input.count) == input)
            }
        }
    }

    @Test("a reused CodecContext decompresses and compresses many pages, and survives errors")
    func reusedContext() throws {
        let context = CodecContext()
        for round in 0..<20 {
            let input = encCompressibleBytes(1000 + round * 37, seed: UInt64(round))
            let compressed = try encWithRaw(input) { try PageCodec.compress(.zstd, $0, level: 3, context: context) }
            let output = try encWithRaw(compressed) {
                try PageCodec.decompress(.zstd, $0, uncompressedSize: input.count, maxSize: 1 << 20, context: context)
            }
            #expect(output == input)
            #expect(throws: ParquetError.self) {
                try encWithRaw(Array(compressed.dropLast(3))) {
                    try PageCodec.decompress(.zstd, $0, uncompressedSize: input.count, maxSize: 1 << 20, context: context)
                }
            }
        }
    }

    @Test("a zstd size mismatch and a garbled frame are .corrupt with libzstd's reason")
    func zstdErrors() throws {
        let frame = encHex(Self.pyarrowZstd)
        let short = #expect(throws: ParquetError.self) { try decompress(.zstd, frame, size: encCodecSample.count - 1) }
        #expect(short?.code == .corrupt)
        let long = #expect(throws: ParquetError.self) { try decompress(.zstd, frame, size: encCodecSample.count + 1) }
        #expect(long?.code == .corrupt)
        var garbled = frame
        garbled[1] ^= 0xFF
        let bad = #expect(throws: ParquetError.self) { try decompress(.zstd, garbled, size: encCodecSample.count) }
        #expect(bad?.message.hasPrefix("zstd:") == true)
    }

    @Test("negative or over-limit declared sizes are refused before allocating",
          arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .lz4])
    func sizeLimits(codec: CompressionCodec) {
        let negative = #expect(throws: ParquetError.self) { try decompress(codec, [1, 2, 3], size: -1) }
        #expect(negative?.code == .corrupt)
        let huge = #expect(throws: ParquetError.self) { try decompress(codec, [1, 2, 3], size: Int.max, maxSize: 1 << 20) }
        #expect(huge?.code == .corrupt)
    }

    @Test("UNCOMPRESSED must match the declared size exactly")
    func uncompressedSize() throws {
        #expect(try decompress(.uncompressed, [1, 2, 3], size: 3) == [1, 2, 3])
        #expect(throws: ParquetError.self) { try decompress(.uncompressed, [1, 2, 3], size: 2) }
    }

    @Test("BROTLI and LZO are .unsupported and named", arguments: [CompressionCodec.brotli, .lzo])
    func unsupported(codec: CompressionCodec) {
        let error = #expect(throws: ParquetError.self) { try decompress(codec, [1, 2, 3], size: 3) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains(PageCodec.name(codec)) == true)
        #expect(throws: ParquetError.self) { try encWithRaw([1]) { try PageCodec.compress(codec, $0, level: 0) } }
    }

    @Test("empty input with a declared size of zero is an empty page for every readable codec")
    func emptyPage() throws {
        for codec in CompressionCodec.allCases where PageCodec.canDecompress(codec) {
            #expect(try decompress(codec, [], size: 0) == [])
        }
    }

    @Test("random bytes, truncations and bit flips to every codec throw, never crash")
    func hostile() throws {
        var generator = EncSeededGenerator(seed: 42)
        let sample = encCompressibleBytes(5000)
        var streams: [(CompressionCodec, [UInt8])] = []
        for codec in [CompressionCodec.snappy, .zstd, .lz4Raw] {
            streams.append((codec, try encWithRaw(sample) { try PageCodec.compress(codec, $0, level: 3) }))
        }
        let codecs: [CompressionCodec] = [.snappy, .gzip, .zstd, .lz4Raw, .lz4]
        for round in 0..<3000 {
            let codec: CompressionCodec
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                codec = codecs[round / 3 % codecs.count]
                bytes = generator.bytes(Int.random(in: 0...300, using: &generator))
            case 1:
                let (streamCodec, stream) = streams[round / 3 % streams.count]
                codec = streamCodec
                bytes = Array(stream.prefix(Int.random(in: 0..<stream.count, using: &generator)))
            default:
                let (streamCodec, stream) = streams[round / 3 % streams.count]
                codec = streamCodec
                bytes = stream
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
                }
            }
            let size = round % 3 == 0 ? Int.random(in: 0...10_000, using: &generator) : sample.count
            do {
                let out = try decompress(codec, bytes, size: size, maxSize: 1 << 20)
                #expect(out.count == size)
            } catch let error as ParquetError {
                #expect(error.code == .corrupt)
            }
        }
    }
}
