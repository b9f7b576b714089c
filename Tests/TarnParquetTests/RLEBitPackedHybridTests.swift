// Tests of the RLE / bit-packing hybrid: spec vectors, round trips at every bit width,
// the length-prefixed form, partial runs, and malformed runs that must throw.

import Testing
@testable import TarnParquet

@Suite("RLE / bit-packing hybrid")
struct RLEBitPackedHybridTests {
    func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [Int32] {
        var out: [Int32] = []
        _ = try encWithRaw(bytes) { try RLEBitPackedHybrid.decode($0, bitWidth: bitWidth, count: count, appendingTo: &out) }
        return out
    }

    @Test("the spec's bit-packing example (0…7 at 3 bits) decodes")
    func specBitPackedExample() throws {
        // Header 1 group: (1 << 1) | 1; then 10001000 11000110 11111010.
        #expect(try decode([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test("an RLE run repeats its value; the value takes ceil(width/8) bytes")
    func rleRun() throws {
        // 10 repeats of 0x0102 at bit width 9: header 10 << 1 = 20, value LE in 2 bytes.
        #expect(try decode([20, 0x02, 0x01], bitWidth: 9, count: 10) == Array(repeating: 0x0102, count: 10))
    }

    @Test("a run longer than the values wanted is cut at the count")
    func runLongerThanWanted() throws {
        #expect(try decode([100, 0x05], bitWidth: 3, count: 4) == [5, 5, 5, 5])
        // Bit-packed group of 8 of which 5 are wanted.
        #expect(try decode([0x03, 0x88, 0xC6, 0xFA], bitWidth: 3, count: 5) == [0, 1, 2, 3, 4])
    }

    @Test("round trip at every bit width 0…32", arguments: 0...32)
    func roundTrip(bitWidth: Int) throws {
        var generator = EncSeededGenerator(seed: UInt64(bitWidth) + 1)
        let limit: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        var values: [Int32] = []
        for chunk in 0..<40 {
            let length = Int.random(in: 1...30, using: &generator)
            if chunk % 3 == 0 {
                let value = Int32(truncatingIfNeeded: UInt64.random(in: 0...limit, using: &generator))
                values += Array(repeating: value, count: length)
            } else {
                for _ in 0..<length { values.append(Int32(truncatingIfNeeded: UInt64.random(in: 0...limit, using: &generator))) }
            }
        }
        let encoded = try RLEBitPackedHybrid.encode(values, bitWidth: bitWidth)
        #expect(try decode(encoded, bitWidth: bitWidth, count: values.count) == values)
        // Every prefix length decodes too (values not a multiple of 8).
        for prefix in [0, 1, 7, 9, values.count - 1] {
            #expect(try decode(encoded, bitWidth: bitWidth, count: prefix) == Array(values.prefix(prefix)))
        }
    }

    @Test("bytes after a bit-packed run never leak into its values", arguments: [5, 17, 31])
    func trailingBytesIgnored(bitWidth: Int) throws {
        var generator = EncSeededGenerator(seed: UInt64(bitWidth) * 3)
        let limit: UInt64 = (1 << UInt64(bitWidth)) - 1
        // 24 distinct-ish values: one bit-packed run of 3 groups, then set bits after it.
        let values: [Int32] = (0..<24).map { i in Int32(truncatingIfNeeded: (UInt64.random(in: 0...limit, using: &generator) & ~1) | UInt64(i & 1)) }
        let encoded = try RLEBitPackedHybrid.encode(values, bitWidth: bitWidth)
        let padded = encoded + Array(repeating: 0xFF, count: 16)
        #expect(try decode(padded, bitWidth: bitWidth, count: values.count) == values)
        #expect(try decode(padded, bitWidth: bitWidth, count: 21) == Array(values.prefix(21)))
    }

    @Test("the encoder uses an RLE run for 8 or more repeats")
    func encoderChoosesRLE() throws {
        let encoded = try RLEBitPackedHybrid.encode(Array(repeating: 3, count: 50), bitWidth: 2)
        #expect(encoded == [100, 3])
        let mixed: [Int32] = [1, 2, 3] + Array(repeating: 0, count: 20)
        let mixedEncoded = try RLEBitPackedHybrid.encode(mixed, bitWidth: 2)
        #expect(try decode(mixedEncoded, bitWidth: 2, count: mixed.count) == mixed)
        #expect(mixedEncoded.count < 8)
    }

    @Test("bit width 32 keeps negative bit patterns")
    func width32() throws {
        let values: [Int32] = [Int32.min, -1, 0, Int32.max, 5, 6, 7, 8, 9]
        let encoded = try RLEBitPackedHybrid.encode(values, bitWidth: 32)
        #expect(try decode(encoded, bitWidth: 32, count: values.count) == values)
    }

    @Test("bit width 0 decodes zeros from RLE runs")
    func width0() throws {
        #expect(try decode([0x10], bitWidth: 0, count: 8) == Array(repeating: 0, count: 8))
        #expect(try RLEBitPackedHybrid.encode(Array(repeating: 0, count: 3), bitWidth: 0) == [0x03])
        #expect(try decode([0x03], bitWidth: 0, count: 3) == [0, 0, 0])
    }

    @Test("the length-prefixed form reports the whole section as consumed")
    func lengthPrefixed() throws {
        let values: [Int32] = [1, 0, 1, 1, 0, 0, 0, 1, 1, 1]
        var writer = ByteWriter()
        try values.withUnsafeBufferPointer { try RLEBitPackedHybrid.encodeLengthPrefixed($0, bitWidth: 1, into: &writer) }
        let bytes = writer.bytes + [0xEE, 0xEE] // another section follows
        var out: [Int32] = []
        let consumed = try encWithRaw(bytes) {
            try RLEBitPackedHybrid.decodeLengthPrefixed($0, bitWidth: 1, count: values.count, appendingTo: &out)
        }
        #expect(out == values)
        #expect(consumed == writer.bytes.count)
        var buffer = [Int32](repeating: -1, count: values.count)
        let consumed2 = try encWithRaw(bytes) { raw in
            try buffer.withUnsafeMutableBufferPointer { try RLEBitPackedHybrid.decodeLengthPrefixed(raw, bitWidth: 1, into: $0) }
        }
        #expect(buffer == values)
        #expect(consumed2 == consumed)
    }

    @Test("decoding appends after existing values")
    func appends() throws {
        var out: [Int32] = [42]
        _ = try encWithRaw([0x06, 0x01]) { try RLEBitPackedHybrid.decode($0, bitWidth: 1, count: 3, appendingTo: &out) }
        #expect(out == [42, 1, 1, 1])
    }

    static let malformed: [(String, [UInt8], Int, Int)] = [
        ("empty input", [], 1, 4),
        ("runs end early", [0x04, 0x01], 1, 4),
        ("bit-packed bytes missing", [0x03, 0x88], 3, 8),
        ("RLE value bytes missing", [0x10, 0x01], 16, 8),
        ("RLE value wider than the bit width", [0x10, 0x09], 3, 8),
        ("header varint never ends", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 1, 8),
        ("huge bit-packed run", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], 8, 8),
        ("length prefix past the end", [0x10, 0, 0, 0, 0x08, 0x01], 1, 4),
    ]

    @Test("malformed runs throw .corrupt", arguments: malformed)
    func malformedInput(_ testCase: (String, [UInt8], Int, Int)) {
        let (_, bytes, bitWidth, count) = testCase
        var out: [Int32] = [7]
        let error = #expect(throws: ParquetError.self) {
            if testCase.0 == "length prefix past the end" {
                _ = try encWithRaw(bytes) { try RLEBitPackedHybrid.decodeLengthPrefixed($0, bitWidth: bitWidth, count: count, appendingTo: &out) }
            } else {
                _ = try encWithRaw(bytes) { try RLEBitPackedHybrid.decode($0, bitWidth: bitWidth, count: count, appendingTo: &out) }
            }
        }
        #expect(error?.code == .corrupt)
        #expect(out == [7], "a failed decode leaves the output as it was")
    }

    @Test("bit widths outside 0…32 are invalid arguments")
    func badBitWidth() {
        let error = #expect(throws: ParquetError.self) { try decode([0x02, 0x01], bitWidth: 33, count: 1) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("random bytes at every width throw or decode, never crash")
    func randomBytes() {
        var generator = EncSeededGenerator(seed: 99)
        for round in 0..<3000 {
            let bytes = generator.bytes(Int.random(in: 0...40, using: &generator))
            let bitWidth = round % 33
            var out: [Int32] = []
            do {
                _ = try encWithRaw(bytes) { try RLEBitPackedHybrid.decode($0, bitWidth: bitWidth, count: Int.random(in: 0...500, using: &generator), appendingTo: &out) }
            } catch {
                #expect((error as? ParquetError)?.code == .corrupt)
            }
        }
    }
}
