// Tests of PLAIN decoding and encoding for every physical type, INT96 timestamps,
// Arrow-layout byte arrays, and the length checks on short or hostile input.

import Testing
@testable import TarnParquet

@Suite("PLAIN encoding")
struct EncodingPlainTests {
    func roundTrip<T: PlainFixedWidth & Equatable>(_ values: [T]) throws -> [T] {
        var writer = ByteWriter()
        PlainEncoder.encode(values, into: &writer)
        #expect(writer.bytes.count == values.count * MemoryLayout<T>.size)
        var out: [T] = []
        let consumed = try encWithRaw(writer.bytes) { try PlainDecoder.decode($0, count: values.count, appendingTo: &out) }
        #expect(consumed == writer.bytes.count)
        return out
    }

    @Test("fixed-width values round trip (Int32, Int64, Float, Double)")
    func fixedWidth() throws {
        let ints32: [Int32] = [0, 1, -1, .min, .max, 123_456]
        #expect(try roundTrip(ints32) == ints32)
        let ints64: [Int64] = [0, 1, -1, .min, .max, 9_876_543_210]
        #expect(try roundTrip(ints64) == ints64)
        let floats: [Float] = [0, -0.5, 3.25, .infinity, .greatestFiniteMagnitude]
        #expect(try roundTrip(floats) == floats)
        let doubles: [Double] = [0, -0.5, 3.25, -.infinity, .leastNonzeroMagnitude]
        #expect(try roundTrip(doubles) == doubles)
        #expect(try roundTrip([Int32]()) == [])
    }

    @Test("INT32 bytes are little-endian and appended after existing values")
    func littleEndianAppend() throws {
        var out: [Int32] = [9]
        _ = try encWithRaw([0x01, 0x00, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF]) { try PlainDecoder.decode($0, count: 2, appendingTo: &out) }
        #expect(out == [9, 1, -2])
    }

    @Test("too few bytes for the count throw .corrupt before copying")
    func shortFixedWidth() {
        var out: [Int64] = []
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw([UInt8](repeating: 0, count: 15)) { try PlainDecoder.decode($0, count: 2, appendingTo: &out) }
        }
        #expect(error?.code == .corrupt)
        #expect(out.isEmpty)
    }

    @Test("booleans are bit-packed LSB first")
    func booleans() throws {
        let values: [Bool] = [true, false, true, true, false, false, false, false, true, true]
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &writer) }
        #expect(writer.bytes == [0b0000_1101, 0b0000_0011])
        var out: [Bool] = []
        let consumed = try encWithRaw(writer.bytes) { try PlainDecoder.decodeBooleans($0, count: values.count, appendingTo: &out) }
        #expect(out == values)
        #expect(consumed == 2)
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw([0xFF]) { try PlainDecoder.decodeBooleans($0, count: 9, appendingTo: &out) }
        }
    }

    @Test("INT96 Impala timestamps convert to microseconds since the epoch",
          arguments: [Int64(0), 1, -1, 1_700_000_000_123_456, -86_400_000_001, 253_402_300_799_999_999])
    func int96(micros: Int64) throws {
        var writer = ByteWriter()
        [micros].withUnsafeBufferPointer { PlainEncoder.encodeInt96Timestamps($0, into: &writer) }
        #expect(writer.bytes.count == 12)
        var out: [Int64] = []
        _ = try encWithRaw(writer.bytes) { try PlainDecoder.decodeInt96Timestamps($0, count: 1, appendingTo: &out) }
        #expect(out == [micros])
        var raw: [Int96] = []
        _ = try encWithRaw(writer.bytes) { try PlainDecoder.decode($0, count: 1, as: Int96.self, appendingTo: &raw) }
        #expect(raw.first?.timestampMicroseconds == micros)
    }

    @Test("a known INT96 value: 2000-01-01 00:00:00.000001")
    func int96Known() throws {
        // Julian day 2451545 = 2000-01-01; 1000 ns into the day.
        let bytes: [UInt8] = [0xE8, 0x03, 0, 0, 0, 0, 0, 0] + [0x59, 0x68, 0x25, 0x00]
        var out: [Int64] = []
        _ = try encWithRaw(bytes) { try PlainDecoder.decodeInt96Timestamps($0, count: 1, appendingTo: &out) }
        #expect(out == [946_684_800_000_001])
    }

    @Test("byte arrays decode into offsets + data, continuing existing offsets")
    func byteArrays() throws {
        let bytes: [UInt8] = [3, 0, 0, 0] + Array("abc".utf8) + [0, 0, 0, 0] + [2, 0, 0, 0] + Array("xy".utf8)
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let consumed = try encWithRaw(bytes) { try PlainDecoder.decodeByteArrays($0, count: 3, offsets: &offsets, data: &data) }
        #expect(consumed == bytes.count)
        #expect(offsets == [0, 3, 3, 5])
        #expect(data == Array("abcxy".utf8))
        _ = try encWithRaw([1, 0, 0, 0, 0x7A]) { try PlainDecoder.decodeByteArrays($0, count: 1, offsets: &offsets, data: &data) }
        #expect(offsets == [0, 3, 3, 5, 6])
        var writer = ByteWriter()
        try offsets.withUnsafeBufferPointer { o in
            try data.withUnsafeBytes { try PlainEncoder.encodeByteArrays(offsets: o, data: $0, into: &writer) }
        }
        #expect(writer.bytes == bytes + [1, 0, 0, 0, 0x7A])
    }

    static let badByteArrays: [[UInt8]] = [
        [5, 0, 0, 0, 0x61],                 // length past the end
        [0xFF, 0xFF, 0xFF, 0xFF, 0x61],     // absurd length
        [1, 0, 0],                          // truncated length
        [1, 0, 0, 0, 0x61, 2, 0, 0, 0],     // second value truncated
    ]

    @Test("byte-array lengths past the input throw .corrupt", arguments: badByteArrays)
    func badByteArray(bytes: [UInt8]) {
        var offsets: [Int32] = []
        var data: [UInt8] = []
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw(bytes) { try PlainDecoder.decodeByteArrays($0, count: 2, offsets: &offsets, data: &data) }
        }
        #expect(error?.code == .corrupt)
    }

    @Test("fixed-length byte arrays copy count × typeLength bytes")
    func fixedLength() throws {
        var data: [UInt8] = []
        let consumed = try encWithRaw([1, 2, 3, 4, 5, 6, 7]) { try PlainDecoder.decodeFixedLengthByteArrays($0, count: 2, typeLength: 3, appendingTo: &data) }
        #expect(consumed == 6)
        #expect(data == [1, 2, 3, 4, 5, 6])
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw([1, 2, 3]) { try PlainDecoder.decodeFixedLengthByteArrays($0, count: 2, typeLength: 3, appendingTo: &data) }
        }
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw([1, 2, 3]) { try PlainDecoder.decodeFixedLengthByteArrays($0, count: 1, typeLength: 0, appendingTo: &data) }
        }
    }
}
