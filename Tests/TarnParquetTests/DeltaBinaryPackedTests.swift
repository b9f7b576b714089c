// Tests of DELTA_BINARY_PACKED: the spec's examples at a valid block size, pages written
// by pyarrow, round trips with extreme deltas, consumed-byte counts, and header checks.

import Testing
@testable import TarnParquet

@Suite("DELTA_BINARY_PACKED")
struct DeltaBinaryPackedTests {
    func decode64(_ bytes: [UInt8], maxCount: Int = 1 << 20) throws -> ([Int64], Int) {
        var out: [Int64] = []
        let consumed = try encWithRaw(bytes) { try DeltaBinaryPacked.decode($0, maxCount: maxCount, appendingTo: &out) }
        return (out, consumed)
    }

    func decode32(_ bytes: [UInt8], maxCount: Int = 1 << 20) throws -> ([Int32], Int) {
        var out: [Int32] = []
        let consumed = try encWithRaw(bytes) { try DeltaBinaryPacked.decode($0, maxCount: maxCount, appendingTo: &out) }
        return (out, consumed)
    }

    @Test("spec example 1 (1…5, all deltas 1) at block size 128")
    func specExample1() throws {
        // Header: 128, 4 miniblocks, 5 values, first 1; block: min delta 1, widths 0,0,0,0.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00]
        let (values, consumed) = try decode32(bytes)
        #expect(values == [1, 2, 3, 4, 5])
        #expect(consumed == bytes.count)
    }

    @Test("spec example 2 (7,5,3,1,2,3,4,5: min delta -2, width 2) at block size 128")
    func specExample2() throws {
        // Relative deltas 0,0,0,3,3,3,3 at 2 bits: 0xC0, 0x3F, then 6 zero bytes of padding.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                              0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        let (values, consumed) = try decode64(bytes)
        #expect(values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(consumed == bytes.count)
        #expect(DeltaBinaryPacked.encode([Int64(7), 5, 3, 1, 2, 3, 4, 5]) == bytes)
    }

    @Test("an INT64 page written by pyarrow (block 256, extreme deltas) decodes")
    func pyarrowInt64() throws {
        let bytes = encHex(DeltaFixtures.pyarrowInt64)
        var expected: [Int64] = [7, 5, 3, 1, 2, 3, 4, 5, .min, .max, 0, -1, 1_000_000_007]
        expected += (0..<40).map { Int64($0 * $0 * 31 - 5000) }
        let (values, consumed) = try decode64(bytes)
        #expect(values == expected)
        #expect(consumed == bytes.count)
    }

    @Test("an INT32 page written by pyarrow with wrapping deltas decodes")
    func pyarrowInt32() throws {
        let bytes = encHex("8001049901ffffffff0f9d99c49c0c000000009d99c49c0c00000000")
        let expected: [Int32] = (0..<153).map { Int32(truncatingIfNeeded: ($0 * 2_654_435_761) % 4_294_967_296 - 2_147_483_648) }
        let (values, consumed) = try decode32(bytes)
        #expect(values == expected)
        #expect(consumed == bytes.count)
    }

    static let int64Cases: [[Int64]] = [
        [],
        [42],
        [.min, .max, .min, .max],
        [.max, .min, 0, -1, 1],
        Array(0..<1000).map { Int64($0) * 1_000_003 },
        Array(0..<300).map { $0 % 7 == 0 ? Int64.min + Int64($0) : Int64($0) * -977 },
        Array(repeating: -5, count: 129),
    ]

    @Test("Int64 round trips including min/max deltas", arguments: int64Cases)
    func roundTrip64(values: [Int64]) throws {
        let encoded = DeltaBinaryPacked.encode(values)
        let (decoded, consumed) = try decode64(encoded + [0xAB, 0xCD])
        #expect(decoded == values)
        #expect(consumed == encoded.count, "consumed counts only this encoding's bytes")
    }

    static let int32Cases: [[Int32]] = [
        [],
        [Int32.min],
        [.min, .max, .min, .max, 0],
        Array(0..<777).map { Int32(truncatingIfNeeded: $0 &* 2_654_435_761) },
        Array(0..<100).map { Int32($0 / 10) },
    ]

    @Test("Int32 round trips with wrapping deltas, bit widths ≤ 32", arguments: int32Cases)
    func roundTrip32(values: [Int32]) throws {
        let encoded = DeltaBinaryPacked.encode(values)
        let (decoded, consumed) = try decode32(encoded)
        #expect(decoded == values)
        #expect(consumed == encoded.count)
    }

    @Test("other block layouts round trip")
    func otherLayouts() throws {
        let values: [Int64] = (0..<1000).map { Int64(($0 * 37) % 101) - 50 }
        for (block, miniblocks) in [(128, 1), (256, 8), (1024, 32)] {
            var writer = ByteWriter()
            try values.withUnsafeBufferPointer { try DeltaBinaryPacked.encode($0, into: &writer, blockSize: block, miniblockCount: miniblocks) }
            #expect(try decode64(writer.bytes).0 == values)
        }
        var writer = ByteWriter()
        #expect(throws: ParquetError.self) {
            try values.withUnsafeBufferPointer { try DeltaBinaryPacked.encode($0, into: &writer, blockSize: 100, miniblockCount: 4) }
        }
    }

    static let badHeaders: [(String, [UInt8])] = [
        ("block size not a multiple of 128", [0x40, 0x01, 0x02, 0x00]),
        ("block size zero", [0x00, 0x01, 0x02, 0x00]),
        ("miniblocks not dividing into multiples of 32", [0x80, 0x01, 0x03, 0x02, 0x00]),
        ("zero miniblocks", [0x80, 0x01, 0x00, 0x02, 0x00]),
        ("absurd value count", [0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]),
        ("value count beyond the remaining bytes", [0x80, 0x01, 0x04, 0xC8, 0x01, 0x00, 0x00]),
        ("truncated header", [0x80, 0x01, 0x04]),
        ("miniblock data missing", [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x08, 0x00, 0x00, 0x00, 0x01]),
        ("bit width above 32 for INT32", [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x21, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 200)),
        ("huge block size", [0x80, 0x80, 0x80, 0x80, 0x01, 0x04, 0x02, 0x00]),
    ]

    @Test("malformed headers and blocks throw .corrupt", arguments: badHeaders)
    func malformed(_ testCase: (String, [UInt8])) {
        var out: [Int32] = [1]
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw(testCase.1) { try DeltaBinaryPacked.decode($0, maxCount: 1 << 30, appendingTo: &out) }
        }
        #expect(error?.code == .corrupt)
        #expect(out == [1])
    }

    @Test("a header declaring more values than the caller's maximum is refused")
    func maxCount() {
        let encoded = DeltaBinaryPacked.encode([Int64](repeating: 3, count: 10))
        #expect(throws: ParquetError.self) { try decode64(encoded, maxCount: 9) }
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = EncSeededGenerator(seed: 5)
        for round in 0..<3000 {
            var bytes = generator.bytes(Int.random(in: 0...64, using: &generator))
            if round % 2 == 0 && bytes.count > 3 { bytes[0] = 0x80; bytes[1] = 0x01; bytes[2] = 0x04 }
            var out32: [Int32] = []
            var out64: [Int64] = []
            _ = try? encWithRaw(bytes) { try DeltaBinaryPacked.decode($0, maxCount: 100_000, appendingTo: &out32) }
            _ = try? encWithRaw(bytes) { try DeltaBinaryPacked.decode($0, maxCount: 100_000, appendingTo: &out64) }
        }
    }
}

enum DeltaFixtures {
    /// pyarrow 26, DELTA_BINARY_PACKED INT64 page body (block size 256, 4 miniblocks).
    static let pyarrowInt64 = """
    800204350efdffffffffffffffff0140000000fdffffffffffff7ffdffffffffffff7ffdffffffffffff7f0000000000000080000000000000008000000000000000800000000000000080fafffffffffffffffeffffffffffff7f0000000000000000feffffffffffff7f07ca9a3b00000080702265c4ffffff7f1e000000000000805c000000000000809a00000000000080d800000000000080160100000000008054010000000000809201000000000080d0010000000000800e020000000000804c020000000000808a02000000000080c802000000000080060300000000008044030000000000808203000000000080c003000000000080fe030000000000803c040000000000807a04000000000080b804000000000080f60400000000008034050000000000807205000000000080b005000000000080ee050000000000802c060000000000806a06000000000080a806000000000080e60600000000008024070000000000806207000000000080a007000000000080de070000000000801c080000000000805a080000000000809808000000000080d60800000000008014090000000000805209000000000080000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
    """
}
