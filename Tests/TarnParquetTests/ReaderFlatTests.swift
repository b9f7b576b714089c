// Reading flat pyarrow files: every primitive type with nulls, through data pages v1 and
// v2, dictionary and PLAIN, and each codec (snappy, zstd, gzip, lz4_raw, none).

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: flat files")
struct ReaderFlatTests {
    static let fullFixtures = ["flat_v1_snappy_dict", "flat_v2_zstd_plain"]
    static let smallFixtures = ["flat_v2_gzip_dict", "flat_v1_lz4raw_plain", "flat_v1_uncompressed_dict", "checksums", "checksums_v2"]

    static let ids: [ScalarValue] = [I(.min), I(.max), I(0), I(1), I(-1), I(2), I(3), I(4), I(5), I(6)]
    static let doubles: [ScalarValue] = [F(1.5), F(-0.0), N, F(.infinity), F(-.infinity), F(.nan), F(3.25), N, F(1e-300), F(2.0)]
    static let strings: [ScalarValue] = [S(""), S("héllo"), N, S("a"), S("a"), S("a longer string value"), S("ü∂"), N, S("z"), S("a")]

    @Test("maps every flat pyarrow type to the Tarn type", arguments: fullFixtures)
    func schema(fixture: String) throws {
        let reader = try ReaderTestSupport.open(fixture)
        let types = reader.schema.fields.map(\.type)
        #expect(types == [
            .int64, .boolean, .int8, .int16, .int32, .uint8, .uint16, .uint32, .uint64, .float32, .float64,
            .string, .binary, .date32, .timestamp(.utc), .timestamp(.ntz), .timestamp(.utc),
        ])
        #expect(reader.schema.names == ["id", "b", "i8", "i16", "i32", "u8", "u16", "u32", "u64", "f32", "f64", "s", "bin", "d", "ts", "ts_ms_ntz", "ts_ns"])
        #expect(reader.rowCount == 10)
        #expect(reader.rowGroupCount == 1)
    }

    @Test("reads exact values and nulls of every flat type", arguments: fullFixtures)
    func values(fixture: String) throws {
        let batch = try ReaderTestSupport.readAll(fixture)
        #expect(batch.rowCount == 10)
        try ReaderTestSupport.expectColumn(batch, "id", Self.ids)
        try ReaderTestSupport.expectColumn(batch, "b", [B(true), B(false), N, B(true), B(true), B(false), B(false), N, B(true), B(false)])
        try ReaderTestSupport.expectColumn(batch, "i8", [I(-128), I(127), N, I(0), I(1), I(-2), I(3), N, I(5), I(-6)])
        try ReaderTestSupport.expectColumn(batch, "i16", [I(-32768), I(32767), N, I(0), I(1), I(-2), I(3), N, I(5), I(-6)])
        try ReaderTestSupport.expectColumn(batch, "i32", [I(-2147483648), I(2147483647), N, I(0), I(1), I(-2), I(3), N, I(5), I(-6)])
        try ReaderTestSupport.expectColumn(batch, "u8", [U(0), U(255), N, U(1), U(2), U(3), U(4), N, U(5), U(6)])
        try ReaderTestSupport.expectColumn(batch, "u16", [U(0), U(65535), N, U(1), U(2), U(3), U(4), N, U(5), U(6)])
        try ReaderTestSupport.expectColumn(batch, "u32", [U(0), U(4294967295), N, U(1), U(2), U(3), U(4), N, U(5), U(6)])
        try ReaderTestSupport.expectColumn(batch, "u64", [U(0), U(.max), N, U(1), U(2), U(3), U(4), N, U(5), U(6)])
        try ReaderTestSupport.expectColumn(batch, "f32", [F(1.5), F(-0.0), N, F(.infinity), F(-.infinity), F(.nan), F(3.25), N, F(Double(Float(1e-30))), F(2.0)])
        try ReaderTestSupport.expectColumn(batch, "f64", Self.doubles)
        try ReaderTestSupport.expectColumn(batch, "s", Self.strings)
        try ReaderTestSupport.expectColumn(batch, "bin", [
            .binary([0, 1]), .binary([]), N, .binary([0xFF]), .binary([0xFF]), .binary(Array("abc".utf8)), .binary([0]), N, .binary(Array("z".utf8)), .binary([0xFF]),
        ])
        try ReaderTestSupport.expectColumn(batch, "d", [.date(-1), .date(0), N, .date(19000), .date(1), .date(2), .date(3), N, .date(-719162), .date(2932896)])
        let utc = { (v: Int64) in ScalarValue.timestamp(v, .utc) }
        let ntz = { (v: Int64) in ScalarValue.timestamp(v, .ntz) }
        try ReaderTestSupport.expectColumn(batch, "ts", [utc(-1), utc(0), N, utc(1700000000123456), utc(1), utc(2), utc(3), N, utc(-62135596800000000), utc(253402300799999999)])
        try ReaderTestSupport.expectColumn(batch, "ts_ms_ntz", [ntz(-1000), ntz(0), N, ntz(1700000000123000), ntz(1000), ntz(2000), ntz(3000), N, ntz(4000), ntz(5000)])
        // Nanoseconds truncate toward negative infinity.
        try ReaderTestSupport.expectColumn(batch, "ts_ns", [utc(-1), utc(0), N, utc(1), utc(0), utc(-2), utc(0), N, utc(1700000000123456), utc(0)])
    }

    @Test("reads each codec and page kind of a small file", arguments: smallFixtures)
    func codecs(fixture: String) throws {
        let batch = try ReaderTestSupport.readAll(fixture)
        #expect(Set(batch.schema.names) == ["id", "f64", "s"])
        try ReaderTestSupport.expectColumn(batch, "id", Self.ids)
        try ReaderTestSupport.expectColumn(batch, "f64", Self.doubles)
        try ReaderTestSupport.expectColumn(batch, "s", Self.strings)
    }

    @Test("decodes the same values sequentially and in parallel")
    func sequential() throws {
        let parallel = try ReaderTestSupport.readAll("flat_v1_snappy_dict")
        let serial = try ReaderTestSupport.readAll("flat_v1_snappy_dict", options: ParquetReadOptions(parallel: false))
        for name in parallel.schema.names {
            let a = try ReaderTestSupport.values(parallel, name)
            let b = try ReaderTestSupport.values(serial, name)
            #expect(zip(a, b).allSatisfy { ReaderTestSupport.same($0, $1) }, "\(name)")
        }
    }

    @Test("a required column has no validity and a non-nullable field")
    func requiredColumn() throws {
        let reader = try ReaderTestSupport.open("flat_v1_snappy_dict")
        // pyarrow writes every field optional unless the schema says otherwise.
        #expect(reader.schema.fields[0].nullable)
        let batch = try reader.readRowGroup(0, columns: ["id"])
        #expect(batch.columns[0].validity == nil)
    }

    @Test("a dictionary that falls back to PLAIN mid-chunk reads every value")
    func dictionaryFallback() throws {
        let batch = try ReaderTestSupport.readAll("dict_fallback")
        let expected = (0..<300).map { i -> ScalarValue in
            let n = i % 150
            return S("v" + (n < 10 ? "00" : n < 100 ? "0" : "") + String(n))
        }
        try ReaderTestSupport.expectColumn(batch, "s", expected)
    }

    @Test("a 0-row file has its schema and one empty batch")
    func emptyFile() throws {
        let reader = try ReaderTestSupport.open("empty")
        #expect(reader.rowCount == 0)
        #expect(reader.schema.fields.map(\.type) == [.int64, .string, .list(Field("element", .int32))])
        let batches = try reader.read()
        #expect(batches.allSatisfy { $0.rowCount == 0 })
    }
}
