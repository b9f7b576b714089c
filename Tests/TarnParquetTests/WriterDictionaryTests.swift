// Tests of dictionary encoding in the writer: the hash tables keep first-seen order and
// distinguish bit patterns, the hybrid run encoder agrees with the checked decoder, and a
// chunk falls back to PLAIN once its dictionary passes the size limit.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Writer dictionary encoding")
struct WriterDictionaryTests {
    @Test("fixed-width table: first-seen order, repeated lookups, growth past the initial size")
    func fixedWidthTable() {
        var table = FixedWidthHashTable<UInt64>(initialCapacity: 4)
        let keys: [UInt64] = (0..<5000).map { UInt64($0 % 1700) * 7919 }
        var indices: [Int32] = []
        keys.withUnsafeBufferPointer { table.indices(of: $0, appendingTo: &indices) }
        #expect(table.count == 1700)
        #expect(indices == keys.indices.map { Int32($0 % 1700) })
        #expect(table.keys == (0..<1700).map { UInt64($0) * 7919 })
    }

    @Test("floats are keyed by bit pattern: -0.0 and +0.0 stay distinct entries")
    func signedZeroEntries() {
        var table = FixedWidthHashTable<UInt64>()
        let keys = [0.0, -0.0, 0.0].map(\.bitPattern)
        var indices: [Int32] = []
        keys.withUnsafeBufferPointer { table.indices(of: $0, appendingTo: &indices) }
        #expect(indices == [0, 1, 0])
    }

    @Test("byte-array table: values compared in place, empty and long values included")
    func byteArrayTable() {
        var table = ByteArrayHashTable(initialCapacity: 2)
        let words = ["", "alpha", "beta", "", "alpha", String(repeating: "long-", count: 40), "beta"]
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for word in words {
            data.append(contentsOf: word.utf8)
            offsets.append(Int32(data.count))
        }
        var indices: [Int32] = []
        offsets.withUnsafeBufferPointer { o in
            data.withUnsafeBytes { d in table.indices(of: 0..<words.count, offsets: o, data: d, appendingTo: &indices) }
        }
        #expect(indices == [0, 1, 2, 0, 1, 3, 2])
        #expect(table.count == 4)
        #expect(table.plainByteSize == 4 * 4 + 5 + 4 + 200)
    }

    @Test("the hybrid run encoder round-trips through the decoder", arguments: [1, 2, 3, 7, 8, 13, 20, 32])
    func hybridRoundTrip(bitWidth: Int) throws {
        var generator = WriterRandom(seed: UInt64(bitWidth))
        let maxValue = bitWidth == 32 ? Int64(Int32.max) : (Int64(1) << Int64(bitWidth)) - 1
        var values: [Int32] = []
        for block in 0..<40 {
            let length = Int.random(in: 1...30, using: &generator)
            if block % 3 == 0 {
                values.append(contentsOf: repeatElement(Int32(Int64.random(in: 0...maxValue, using: &generator)), count: length))
            } else {
                for _ in 0..<length { values.append(Int32(Int64.random(in: 0...maxValue, using: &generator))) }
            }
        }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { HybridRunEncoder.encode($0, bitWidth: bitWidth, into: &encoded) }
        var decoded: [Int32] = []
        _ = try encoded.withUnsafeBytes {
            try RLEBitPackedHybrid.decode($0, bitWidth: bitWidth, count: values.count, appendingTo: &decoded)
        }
        #expect(decoded == values)
    }

    @Test("levels use RLE runs: a constant run of 1000 levels takes 3 bytes")
    func constantLevels() {
        let levels = [UInt8](repeating: 1, count: 1000)
        var encoded: [UInt8] = []
        levels.withUnsafeBufferPointer { HybridRunEncoder.encode($0, bitWidth: 1, into: &encoded) }
        #expect(encoded == [0xD0, 0x0F, 0x01])
    }

    @Test("a chunk is dictionary-encoded while the dictionary stays under the limit")
    func dictionaryChunk() throws {
        let field = Field("s", .string, nullable: false)
        let column = try Column(strings: (0..<5000).map { "value-\($0 % 50)" })
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]))
        let metadata = try writerFooter(file)
        let meta = try writerChunkMeta(metadata)
        #expect(meta.dictionaryPageOffset == 4)
        #expect(meta.encodings.contains(.rleDictionary))
        #expect(!meta.encodings.contains(.rle))
        let headers = try writerPageHeaders(file, metadata)
        #expect(headers.first?.type == .dictionaryPage)
        #expect(headers.first?.dictionaryPageHeader?.numValues == 50)
        #expect(headers.dropFirst().allSatisfy { $0.dataPageHeader?.encoding == .rleDictionary })
        let stats = meta.encodingStats ?? []
        #expect(stats.contains { $0.pageType == .dictionaryPage && $0.encoding == .plain && $0.count == 1 })
    }

    @Test("past the dictionary size limit the rest of the chunk is PLAIN, the dictionary kept")
    func fallback() throws {
        let field = Field("id", .int64, nullable: false)
        // Each value four times: 256 new entries (2 KiB) per 1024 values.
        let column = try Column(.int64, values: (0..<10_000).map { Int64($0 / 4) })
        // 4 KiB is reached after two steps of 1024 values.
        let options = ParquetWriteOptions(dictionaryPageSizeLimit: 4096)
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]), options: options)
        let metadata = try writerFooter(file)
        let headers = try writerPageHeaders(file, metadata)
        try #require(headers.count >= 3)
        #expect(headers[0].type == .dictionaryPage)
        #expect(headers[0].dictionaryPageHeader?.numValues == 512)
        #expect(headers[1].dataPageHeader?.encoding == .rleDictionary)
        #expect(headers[1].dataPageHeader?.numValues == 2048)
        #expect(headers.dropFirst(2).allSatisfy { $0.dataPageHeader?.encoding == .plain })
        let meta = try writerChunkMeta(metadata)
        #expect(Set(meta.encodings) == [.plain, .rleDictionary])
        #expect(meta.numValues == 10_000)
        #expect(meta.dataPageOffset == meta.dictionaryPageOffset.map { $0 + Int64(headers[0].compressedPageSize) + Int64(headerLength(file, at: Int($0))) })
    }

    @Test("a dictionary no smaller than PLAIN on the first page is dropped: unique values stay PLAIN")
    func uniqueValuesSkipDictionary() throws {
        let field = Field("ts", .timestamp(.utc), nullable: false)
        let column = try Column(.timestamp(.utc), values: (0..<50_000).map { Int64($0) * 1_000_003 })
        let file = try ParquetFileWriter.write([writerBatch(field, column)], schema: Schema([field]))
        let metadata = try writerFooter(file)
        let meta = try writerChunkMeta(metadata)
        #expect(meta.dictionaryPageOffset == nil)
        #expect(meta.encodings == [.plain])
        #expect(try writerPageHeaders(file, metadata).allSatisfy { $0.dataPageHeader?.encoding == .plain })
    }

    private func headerLength(_ file: [UInt8], at offset: Int) -> Int {
        let slice = Array(file[offset...])
        return (try? slice.withUnsafeBytes { try PageHeader.decode($0) }.headerLength) ?? -1
    }

    @Test("booleans and dictionaryEnabled = false are always PLAIN")
    func plainOnly() throws {
        let field = Field("b", .boolean, nullable: false)
        let file = try ParquetFileWriter.write([writerBatch(field, Column(booleans: [true, false, true]))], schema: Schema([field]))
        let meta = try writerChunkMeta(try writerFooter(file))
        #expect(meta.dictionaryPageOffset == nil && meta.encodings == [.plain])

        let ints = Field("i", .int32)
        let noDictionary = try ParquetFileWriter.write(
            [writerBatch(ints, writerColumn(.int32, [.int(1), .int(1), nil]))], schema: Schema([ints]),
            options: ParquetWriteOptions(dictionaryEnabled: false))
        let intMeta = try writerChunkMeta(try writerFooter(noDictionary))
        #expect(intMeta.dictionaryPageOffset == nil && intMeta.encodings == [.plain, .rle])
    }
}
