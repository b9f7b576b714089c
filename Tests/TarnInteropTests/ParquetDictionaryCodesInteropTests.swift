// Dictionary codes from files pyarrow writes: Tarn's reader with keepDictionaryCodes
// attaches codes that reproduce every value (nulls, several row groups, small pages,
// v1 and v2 data pages), and none to a column pyarrow wrote without a dictionary.
// (TarnParquetTests has no Python peers; the Tarn-written half lives there.)
import Foundation
import Testing
import TarnColumnar
import TarnParquet
import TarnTestSupport

@Suite("Parquet dictionary codes from pyarrow files")
struct ParquetDictionaryCodesInteropTests {
    /// The row i value of the string column pyarrow writes (nil = null).
    static func segment(_ i: Int) -> String? {
        i % 9 == 4 ? nil : (i % 13 == 0 ? "" : "seg-\(i % 23)")
    }

    @Test("codes from pyarrow's dictionary pages reproduce the values", arguments: ["1.0", "2.0"])
    func pyarrowFile(pageVersion: String) throws {
        let dir = try TemporaryDirectory("parquet-dictionary-codes")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("codes.parquet").path
        let output = try Peers.runInline("""
            import sys
            import pyarrow as pa, pyarrow.parquet as pq
            n = 5000
            seg = [None if i % 9 == 4 else ("" if i % 13 == 0 else "seg-%d" % (i % 23)) for i in range(n)]
            key = [None if i % 7 == 2 else (i % 31) - 15 for i in range(n)]
            plain = ["p%d" % (i % 5) for i in range(n)]
            table = pa.table({"seg": pa.array(seg, pa.string()), "key": pa.array(key, pa.int64()),
                              "plain": pa.array(plain, pa.string())})
            pq.write_table(table, sys.argv[1], row_group_size=2000, data_page_size=512,
                           use_dictionary=["seg", "key"], data_page_version=sys.argv[2], compression="zstd")
            print("WROTE")
            """, [path, pageVersion])
        #expect(output.stdout.contains("WROTE"), "pyarrow failed: \(output.stderr.suffix(2000))")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "codes.parquet",
                                           options: ParquetReadOptions(keepDictionaryCodes: true))
        let batches = try reader.read()
        #expect(batches.count == 3)
        var row = 0
        for batch in batches {
            let seg = try #require(batch.column(named: "seg"))
            let key = try #require(batch.column(named: "key"))
            let plain = try #require(batch.column(named: "plain"))
            let segCodes = try #require(seg.dictionary, "seg has codes")
            let keyCodes = try #require(key.dictionary, "key has codes")
            #expect(plain.dictionary == nil)
            for i in 0..<batch.rowCount {
                let n = row + i
                #expect(seg.string(at: i) == Self.segment(n), "seg row \(n)")
                if let expected = Self.segment(n) {
                    #expect(segCodes.values.string(at: Int(segCodes.codes[i])) == expected, "seg code row \(n)")
                }
                let expectedKey: ScalarValue = n % 7 == 2 ? .null : .int(Int64(n % 31) - 15)
                #expect(key.value(at: i) == expectedKey, "key row \(n)")
                if expectedKey != .null {
                    #expect(keyCodes.values.value(at: Int(keyCodes.codes[i])) == expectedKey, "key code row \(n)")
                }
            }
            row += batch.rowCount
        }
    }
}
