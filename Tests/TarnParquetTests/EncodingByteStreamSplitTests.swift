// Tests of BYTE_STREAM_SPLIT: a hand-written vector, round trips for every supported
// type and FIXED_LEN_BYTE_ARRAY, and sizes that do not fit.

import Testing
@testable import TarnParquet

@Suite("BYTE_STREAM_SPLIT")
struct EncodingByteStreamSplitTests {
    @Test("byte k of each value lives in stream k")
    func knownVector() throws {
        // Two Int32 values 0x04030201 and 0x08070605: streams [01 05][02 06][03 07][04 08].
        let bytes: [UInt8] = [0x01, 0x05, 0x02, 0x06, 0x03, 0x07, 0x04, 0x08]
        var out: [Int32] = []
        let consumed = try encWithRaw(bytes) { try ByteStreamSplit.decode($0, count: 2, appendingTo: &out) }
        #expect(out == [0x0403_0201, 0x0807_0605])
        #expect(consumed == 8)
    }

    func roundTrip<T: PlainFixedWidth & Equatable>(_ values: [T]) throws -> [T] {
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { ByteStreamSplit.encode($0, into: &writer) }
        var out: [T] = []
        _ = try encWithRaw(writer.bytes) { try ByteStreamSplit.decode($0, count: values.count, appendingTo: &out) }
        return out
    }

    @Test("Float, Double, Int32 and Int64 round trip")
    func roundTrips() throws {
        let floats: [Float] = (0..<37).map { Float($0) * 1.5 - 7 }
        #expect(try roundTrip(floats) == floats)
        let doubles: [Double] = (0..<37).map { Double($0) / 3 }
        #expect(try roundTrip(doubles) == doubles)
        let ints32: [Int32] = [.min, -1, 0, 1, .max]
        #expect(try roundTrip(ints32) == ints32)
        let ints64: [Int64] = [.min, -1, 0, 1, .max]
        #expect(try roundTrip(ints64) == ints64)
        #expect(try roundTrip([Double]()) == [])
    }

    @Test("fixed-length byte arrays round trip")
    func fixedLength() throws {
        let data: [UInt8] = (0..<30).map { UInt8($0) }
        var writer = ByteWriter()
        data.withUnsafeBytes { ByteStreamSplit.encodeFixedLength($0, width: 5, into: &writer) }
        var out: [UInt8] = []
        _ = try encWithRaw(writer.bytes) { try ByteStreamSplit.decodeFixedLength($0, count: 6, width: 5, appendingTo: &out) }
        #expect(out == data)
    }

    @Test("a section that is not whole values, or too short, throws .corrupt")
    func badSizes() {
        var out: [Double] = []
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw([UInt8](repeating: 0, count: 12)) { try ByteStreamSplit.decode($0, count: 1, appendingTo: &out) }
        }
        #expect(throws: ParquetError.self) {
            _ = try encWithRaw([UInt8](repeating: 0, count: 16)) { try ByteStreamSplit.decode($0, count: 3, appendingTo: &out) }
        }
    }
}
