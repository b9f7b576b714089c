// Tests of DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: pages written by pyarrow,
// round trips, and prefix/length checks on hostile input.

import Testing
@testable import TarnParquet

@Suite("Delta byte arrays")
struct DeltaByteArrayTests {
    static let words = ["apple", "applesauce", "apply", "banana", "band", "bandana", "", "can", "candle", "candlestick"]
    /// The 153 strings of the pyarrow fixtures.
    static let fixtureStrings: [String] = {
        let base = Array(repeating: words, count: 3).flatMap { $0 }
        return base + Array(repeating: "x", count: 153 - base.count)
    }()

    func strings(_ offsets: [Int32], _ data: [UInt8]) -> [String] {
        (0..<(offsets.count - 1)).map { String(decoding: data[Int(offsets[$0])..<Int(offsets[$0 + 1])], as: UTF8.self) }
    }

    func arrow(_ values: [String]) -> ([Int32], [UInt8]) {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for value in values {
            data += Array(value.utf8)
            offsets.append(Int32(data.count))
        }
        return (offsets, data)
    }

    @Test("a DELTA_LENGTH_BYTE_ARRAY page written by pyarrow decodes")
    func pyarrowDeltaLength() throws {
        let bytes = encHex(Self.pyarrowDeltaLength)
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let consumed = try encWithRaw(bytes) { try DeltaLengthByteArray.decode($0, count: 153, offsets: &offsets, data: &data) }
        #expect(strings(offsets, data) == Self.fixtureStrings)
        #expect(consumed == bytes.count)
    }

    @Test("a DELTA_BYTE_ARRAY page written by pyarrow decodes")
    func pyarrowDeltaByteArray() throws {
        let bytes = encHex(Self.pyarrowDeltaByteArray)
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let consumed = try encWithRaw(bytes) { try DeltaByteArray.decode($0, count: 153, offsets: &offsets, data: &data) }
        #expect(strings(offsets, data) == Self.fixtureStrings)
        #expect(consumed == bytes.count)
    }

    static let roundTripCases: [[String]] = [
        [],
        [""],
        ["only"],
        words,
        (0..<500).map { "key-\($0 / 3)-\($0 % 3)" },
        ["same", "same", "same", "", "", "sam", "same-but-longer"],
    ]

    @Test("DELTA_LENGTH_BYTE_ARRAY round trips", arguments: roundTripCases)
    func deltaLengthRoundTrip(values: [String]) throws {
        let (offsets, data) = arrow(values)
        var writer = ByteWriter()
        try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try DeltaLengthByteArray.encode(offsets: o, data: $0, into: &writer) } }
        var outOffsets: [Int32] = []
        var outData: [UInt8] = []
        let consumed = try encWithRaw(writer.bytes + [1, 2, 3]) { try DeltaLengthByteArray.decode($0, count: values.count, offsets: &outOffsets, data: &outData) }
        #expect(strings(outOffsets, outData) == values)
        #expect(consumed == writer.bytes.count)
    }

    @Test("DELTA_BYTE_ARRAY round trips and appends after existing values", arguments: roundTripCases)
    func deltaByteArrayRoundTrip(values: [String]) throws {
        let (offsets, data) = arrow(values)
        var writer = ByteWriter()
        try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try DeltaByteArray.encode(offsets: o, data: $0, into: &writer) } }
        var outOffsets: [Int32] = [0, 2]
        var outData: [UInt8] = Array("zz".utf8)
        let consumed = try encWithRaw(writer.bytes) { try DeltaByteArray.decode($0, count: values.count, offsets: &outOffsets, data: &outData) }
        #expect(strings(outOffsets, outData) == ["zz"] + values)
        #expect(consumed == writer.bytes.count)
    }

    func deltaByteArrayBytes(prefixes: [Int32], suffixes: [String]) throws -> [UInt8] {
        var writer = ByteWriter()
        try prefixes.withUnsafeBufferPointer { try DeltaBinaryPacked.encode($0, into: &writer) }
        let (offsets, data) = arrow(suffixes)
        try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try DeltaLengthByteArray.encode(offsets: o, data: $0, into: &writer) } }
        return writer.bytes
    }

    @Test("a prefix longer than the previous value throws .corrupt")
    func prefixTooLong() throws {
        let bytes = try deltaByteArrayBytes(prefixes: [0, 4], suffixes: ["abc", "d"])
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw(bytes) { try DeltaByteArray.decode($0, count: 2, offsets: &offsets, data: &data) }
        }
        #expect(error?.code == .corrupt)
        let negative = try deltaByteArrayBytes(prefixes: [0, -1], suffixes: ["abc", "d"])
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw(negative) { try DeltaByteArray.decode($0, count: 2, offsets: &offsets, data: &data) }
        }
    }

    @Test("prefixes that would expand past the output limit are refused before allocating")
    func outputLimit() throws {
        var suffixes = [String(repeating: "a", count: 1000)]
        suffixes += Array(repeating: "", count: 2000)
        let prefixes: [Int32] = [0] + Array(repeating: 1000, count: 2000)
        let bytes = try deltaByteArrayBytes(prefixes: prefixes, suffixes: suffixes)
        #expect(bytes.count < 1500, "about 1.4 KB that describe 2 MB")
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw(bytes) { try DeltaByteArray.decode($0, count: 2001, offsets: &offsets, data: &data, maxDataBytes: 1 << 20) }
        }
        #expect(error?.code == .corrupt)
        _ = try encWithRaw(bytes) { try DeltaByteArray.decode($0, count: 2001, offsets: &offsets, data: &data, maxDataBytes: 1 << 22) }
        #expect(data.count == 2001 * 1000)
    }

    @Test("lengths past the input, negative lengths and count mismatches throw .corrupt")
    func badLengths() throws {
        var writer = ByteWriter()
        try [Int32(3), 100].withUnsafeBufferPointer { try DeltaBinaryPacked.encode($0, into: &writer) }
        let tooLong = writer.bytes + Array("abcdef".utf8)
        writer = ByteWriter()
        try [Int32(3), -2].withUnsafeBufferPointer { try DeltaBinaryPacked.encode($0, into: &writer) }
        let negative = writer.bytes + Array("abcdef".utf8)
        for bytes in [tooLong, negative] {
            var offsets: [Int32] = []
            var data: [UInt8] = []
            #expect(throws: ParquetError.self) {
                _ = try encWithRaw(bytes) { try DeltaLengthByteArray.decode($0, count: 2, offsets: &offsets, data: &data) }
            }
        }
        var offsets: [Int32] = []
        var data: [UInt8] = []
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw(tooLong) { try DeltaLengthByteArray.decode($0, count: 3, offsets: &offsets, data: &data) }
        }
    }

    @Test("random bytes never crash either decoder")
    func randomBytes() {
        var generator = EncSeededGenerator(seed: 11)
        for round in 0..<3000 {
            var bytes = generator.bytes(Int.random(in: 0...80, using: &generator))
            if round % 2 == 0 && bytes.count > 3 { bytes[0] = 0x80; bytes[1] = 0x01; bytes[2] = 0x04 }
            var offsets: [Int32] = []
            var data: [UInt8] = []
            let count = Int.random(in: 0...20, using: &generator)
            _ = try? encWithRaw(bytes) { try DeltaLengthByteArray.decode($0, count: count, offsets: &offsets, data: &data) }
            _ = try? encWithRaw(bytes) { try DeltaByteArray.decode($0, count: count, offsets: &offsets, data: &data, maxDataBytes: 1 << 20) }
        }
    }

    /// pyarrow 26, DELTA_LENGTH_BYTE_ARRAY page body of `fixtureStrings`.
    static let pyarrowDeltaLength = "80010499010a13040404045f8b3ddd4f5f8b3ddd4f5f8b3ddd0faaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00000000006170706c656170706c6573617563656170706c7962616e616e6162616e6462616e64616e6163616e63616e646c6563616e646c65737469636b6170706c656170706c6573617563656170706c7962616e616e6162616e6462616e64616e6163616e63616e646c6563616e646c65737469636b6170706c656170706c6573617563656170706c7962616e616e6162616e6462616e64616e6163616e63616e646c6563616e646c65737469636b787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"

    /// pyarrow 26, DELTA_BYTE_ARRAY page body of `fixtureStrings`.
    static let pyarrowDeltaByteArray = "8001049901000b040303035b922796095b922796095b9227960967b66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddb000000000080010499010a0904030303150a275857150a275857150a275817546ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb66ddbb600000000006170706c6573617563657962616e616e6164616e6163616e646c65737469636b6170706c6573617563657962616e616e6164616e6163616e646c65737469636b6170706c6573617563657962616e616e6164616e6163616e646c65737469636b78"
}
