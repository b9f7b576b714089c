// Reading value encodings and physical types beyond the defaults: DELTA_BINARY_PACKED,
// DELTA_BYTE_ARRAY, DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT, INT96 timestamps,
// decimals of every physical width, FLOAT16, TIME, fixed-size binary, page CRCs.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: encodings and physical types")
struct ReaderEncodingTests {
    @Test("DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY and DELTA_LENGTH_BYTE_ARRAY with nulls", arguments: ["delta", "delta_v2"])
    func delta(fixture: String) throws {
        let batch = try ReaderTestSupport.readAll(fixture)
        let n = 200
        try ReaderTestSupport.expectColumn(batch, "a", (0..<n).map { (i: Int) -> ScalarValue in
            let value: Int = i * i * 7 - 1000 * (i % 13)
            return i % 11 == 3 ? N : I(Int64(value))
        })
        try ReaderTestSupport.expectColumn(batch, "b", (0..<n).map { (i: Int) -> ScalarValue in i % 17 == 5 ? N : I(Int64((i * 37) % 101 - 50)) })
        try ReaderTestSupport.expectColumn(batch, "s", (0..<n).map { (i: Int) -> ScalarValue in i % 13 == 7 ? N : S("key-\(i / 3)") })
        try ReaderTestSupport.expectColumn(batch, "t", (0..<n).map { (i: Int) -> ScalarValue in i % 19 == 0 ? N : S(String(repeating: "v", count: i % 7) + String(i)) })
    }

    @Test("BYTE_STREAM_SPLIT for float, double, int32 and int64")
    func byteStreamSplit() throws {
        let batch = try ReaderTestSupport.readAll("bss")
        let m = 50
        try ReaderTestSupport.expectColumn(batch, "f", (0..<m).map { (i: Int) -> ScalarValue in i % 9 == 4 ? N : F(Double(Float(Double(i) * 0.25 - 3.0))) })
        try ReaderTestSupport.expectColumn(batch, "g", (0..<m).map { (i: Int) -> ScalarValue in i % 7 == 1 ? N : F(Double(i) * 1.0e10 - 7.5) })
        try ReaderTestSupport.expectColumn(batch, "i", (0..<m).map { (i: Int) -> ScalarValue in i % 5 == 2 ? N : I(Int64(i * 100003 - 2000000)) })
        try ReaderTestSupport.expectColumn(batch, "j", (0..<m).map { (i: Int) -> ScalarValue in I(Int64(i) * 10000000019 - 99) })
    }

    @Test("INT96 timestamps become UTC microseconds, before and after 1970")
    func int96() throws {
        let batch = try ReaderTestSupport.readAll("int96")
        #expect(batch.schema.fields[0].type == .timestamp(.utc))
        let t = { (v: Int64) in ScalarValue.timestamp(v, .utc) }
        try ReaderTestSupport.expectColumn(batch, "t", [t(0), t(-1), N, t(1700000000123456), t(-86400000001), t(253402300799999999)])
    }

    @Test("INT96 values at the extremes wrap instead of trapping")
    func int96Extremes() {
        #expect(Int96Timestamps.micros(low: 1 << 63, high: 0) < 0)
        #expect(Int96Timestamps.micros(low: .max, high: .max) != 0)
        #expect(Int96Timestamps.micros(low: 1_000, high: 2_440_588) == 1)
        #expect(Int96Timestamps.micros(low: UInt64(bitPattern: -1), high: 2_440_588) == -1)
    }

    @Test("decimals stored as INT32, INT64 and FIXED_LEN_BYTE_ARRAY", arguments: ["decimal_int", "decimal_flba"])
    func decimals(fixture: String) throws {
        let batch = try ReaderTestSupport.readAll(fixture)
        #expect(batch.schema.fields.map(\.type) == [.decimal(precision: 5, scale: 2), .decimal(precision: 15, scale: 3), .decimal(precision: 30, scale: 4)])
        try ReaderTestSupport.expectColumn(batch, "d5", [.decimal(12345, scale: 2), .decimal(-99999, scale: 2), N, .decimal(1, scale: 2), .decimal(0, scale: 2)])
        try ReaderTestSupport.expectColumn(batch, "d15", [.decimal(123456789012345, scale: 3), .decimal(-999999999999999, scale: 3), N, .decimal(-1, scale: 3), .decimal(1000, scale: 3)])
        try ReaderTestSupport.expectColumn(batch, "d30", [
            .decimal(123456789012345678901234567890, scale: 4), .decimal(-999999999999999999999999999999, scale: 4), N,
            .decimal(-1, scale: 4), .decimal(10000, scale: 4),
        ])
    }

    @Test("FLOAT16 reads as float32, TIME as integers, fixed-size binary as binary")
    func misc() throws {
        let batch = try ReaderTestSupport.readAll("misc")
        #expect(batch.schema.fields.map(\.type) == [.float32, .int32, .int64, .binary])
        try ReaderTestSupport.expectColumn(batch, "h", [F(1.5), N, F(-2), F(65504)])
        try ReaderTestSupport.expectColumn(batch, "t32", [I(0), I(1000), N, I(86399999)])
        try ReaderTestSupport.expectColumn(batch, "t64", [I(0), I(1000000), N, I(86399999999)])
        try ReaderTestSupport.expectColumn(batch, "fx", [.binary(Array("abcd".utf8)), N, .binary([0, 0, 0, 0]), .binary(Array("wxyz".utf8))])
    }

    @Test("a page whose bytes do not match its CRC is corrupt, naming file, column and offset", arguments: ["checksums", "checksums_v2"])
    func checksumMismatch(fixture: String) throws {
        var bytes = try #require(ReaderFixtures.bytes(fixture))
        let reader = try ReaderTestSupport.open(fixture)
        let meta = try #require(reader.metadata.rowGroups[0].columns[0].metaData)
        let pageStart = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
        let headerLength = try bytes[pageStart...].withUnsafeBytes { try PageHeader.decode($0).headerLength }
        let (header, _) = try bytes[pageStart...].withUnsafeBytes { try PageHeader.decode($0) }
        #expect(header.crc != nil)
        bytes[pageStart + headerLength] ^= 0x40
        let damaged = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "damaged.parquet")
        do {
            _ = try damaged.read()
            Issue.record("expected a CRC error")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("CRC"))
            #expect(error.file == "damaged.parquet")
            #expect(error.column == "id")
            #expect(error.offset == pageStart)
        }
        // With verification off the damaged page decodes to something or fails cleanly.
        let unchecked = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "damaged.parquet", options: ParquetReadOptions(verifyChecksums: false))
        _ = try? unchecked.read()
    }
}

@Suite("Reader: CRC32")
struct ReaderChecksumTests {
    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("matches the standard check value of 123456789")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("slicing-by-8 equals the bitwise definition at every length and split", arguments: [0, 1, 7, 8, 9, 63, 64, 1000])
    func matchesBitwise(length: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(length)
        let bytes = (0..<length).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        #expect(CRC32.checksum(bytes) == Self.bitwise(bytes))
        let split = length / 3
        let first = bytes[..<split].withUnsafeBytes { CRC32.update(0, $0) }
        let both = bytes[split...].withUnsafeBytes { CRC32.update(first, $0) }
        #expect(both == Self.bitwise(bytes))
    }
}
