// Tests of the Parquet file envelope and of decoding a real footer written by pyarrow:
// magic and length checks, encrypted files, page-header lengths, and hostile bytes
// (every truncation and many single-byte corruptions) that must throw, never crash.

import Testing
@testable import TarnParquet

/// The footer of a 1366-byte file written by pyarrow 26 (`pq.write_table(...,
/// compression="zstd", store_schema=False)`) for a table of 3 rows with columns
/// name: string, ts: timestamp[us, UTC], vals: list<float32>,
/// pt: struct<x: int32, y: string>, amount: decimal128(9, 2).
enum PyarrowFooterFixture {
    static let fileSize = 1366
    static let hex = [
        "150419ac35001806736368656d61150a00150c250218046e616d6525004c1c000000150425021802747325144c8c111c2c0000000000350218047661",
        "6c73150215064c3c000000350418046c697374150200150825021807656c656d656e74003502180270741504001502250218017800150c2502180179",
        "25004c1c000000150e150815021806616d6f756e74250a150415122c5c150415120000001606191c196c26001c150c19350006101918046e616d6515",
        "0c160616840116a801264e26081c36022802636418026162111100192c15041500150200150015101502003c160819061926020400000026001c1504",
        "19350006101918027473150c160616cc0116f00126fe0126b0011c18080080f82deb0d0600180800202110d70d0600160228080080f82deb0d060018",
        "0800202110d70d0600111100192c15041500150200150015101502003c29061926020400000026001c1508193500061019380476616c73046c697374",
        "07656c656d656e74150c160816aa0116ce0126de0326a0031c18040000204018040000c03f160428040000204018040000c03f111100192c15041500",
        "150200150015101502003c2926060219460202000400000026001c1502193500061019280270740178150c160616a60116ca0126b40526ee041c1804",
        "030000001804010000001600280403000000180401000000111100192c15041500150200150015101502003c2906193600000600000026001c150c19",
        "3500061019280270740179150c1606167e16a20126fa0626b8061c3602280162180161111100192c15041500150200150015101502003c1604190619",
        "3600020400000026001c150e1935000610191806616d6f756e74150c160616a60116ca0126a00826da071c18040000007b1804fffffe381600280400",
        "00007b1804fffffe38111100192c15041500150200150015101502003c29061926000600000016c40716062608169c09002820706172717565742d63",
        "70702d6172726f772076657273696f6e2032362e302e31196c1c00001c00001c00001c00001c00001c000000",
    ].joined()
    static var bytes: [UInt8] { bytesFromHex(hex) }

    /// Bytes 4..<39 of the same file: the dictionary page header of column `name`
    /// followed by its 21 bytes of zstd data.
    static let firstPage = bytesFromHex("15041518152a4c1504150012000028b52ffd200c610000020000006162020000006364")
}

@Suite("Parquet footer")
struct FooterTests {
    @Test("the footer of a pyarrow file decodes to its schema, types and statistics")
    func pyarrowFooter() throws {
        let metadata = try FileMetaData.decode(footerBytes: PyarrowFooterFixture.bytes)
        #expect(metadata.numRows == 3)
        #expect(metadata.version == 2)
        #expect(metadata.createdBy == "parquet-cpp-arrow version 26.0.1")
        #expect(metadata.schema.map(\.name) == ["schema", "name", "ts", "vals", "list", "element", "pt", "x", "y", "amount"])
        #expect(metadata.schema.map(\.numChildren) == [5, nil, nil, 1, 1, nil, 2, nil, nil, nil])
        #expect(metadata.schema.map(\.type) == [
            nil, .byteArray, .int64, nil, nil, .float, nil, .int32, .byteArray, .fixedLenByteArray,
        ])
        #expect(metadata.schema.map(\.repetitionType) == [
            .required, .optional, .optional, .optional, .repeated, .optional, .optional, .optional, .optional,
            .optional,
        ])
        #expect(metadata.schema[1].logicalType == .string)
        #expect(metadata.schema[1].convertedType == .utf8)
        #expect(metadata.schema[2].logicalType == .timestamp(isAdjustedToUTC: true, unit: .micros))
        #expect(metadata.schema[3].logicalType == .list)
        #expect(metadata.schema[3].convertedType == .list)
        #expect(metadata.schema[6].logicalType == nil)
        let amount = metadata.schema[9]
        #expect(amount.logicalType == .decimal(scale: 2, precision: 9))
        #expect(amount.typeLength == 4)
        #expect(amount.scale == 2)
        #expect(amount.precision == 9)
        #expect(amount.convertedType == .decimal)

        try #require(metadata.rowGroups.count == 1)
        let rowGroup = metadata.rowGroups[0]
        #expect(rowGroup.numRows == 3)
        #expect(rowGroup.totalByteSize == 482)
        #expect(rowGroup.columns.count == 6)
        let columns = rowGroup.columns.compactMap(\.metaData)
        try #require(columns.count == 6)
        #expect(columns.map(\.pathInSchema) == [
            ["name"], ["ts"], ["vals", "list", "element"], ["pt", "x"], ["pt", "y"], ["amount"],
        ])
        #expect(columns.allSatisfy { $0.codec == .zstd })
        #expect(columns.allSatisfy { Set($0.encodings) == [.plain, .rle, .rleDictionary] })
        #expect(columns.map(\.numValues) == [3, 3, 4, 3, 3, 3])
        #expect(columns.map(\.totalCompressedSize) == [84, 120, 103, 101, 81, 101])
        #expect(columns.map(\.dictionaryPageOffset) == [4, 88, 208, 311, 412, 493])
        #expect(columns.map(\.dataPageOffset) == [39, 127, 239, 346, 445, 528])

        let name = try #require(columns[0].statistics)
        #expect(name.minValue == Array("ab".utf8))
        #expect(name.maxValue == Array("cd".utf8))
        #expect(name.nullCount == 1)
        #expect(name.isMinValueExact == true)
        #expect(name.isMaxValueExact == true)
        #expect(name.min == nil)
        let ts = try #require(columns[1].statistics)
        let tsMin = try #require(ts.minValue)
        #expect(littleEndianInt64(tsMin) == 1_704_067_200_000_000)
        #expect(columns[2].statistics?.nullCount == 2)
        #expect(columns[0].sizeStatistics?.unencodedByteArrayDataBytes == 4)  // "ab" + "cd"
        let amountStats = try #require(columns[5].statistics)
        #expect(amountStats.minValue == [0xFF, 0xFF, 0xFE, 0x38])  // -456, big-endian two's complement
        #expect(amountStats.maxValue == [0x00, 0x00, 0x00, 0x7B])  // 123
        #expect(metadata.columnOrders == Array(repeating: .typeDefinedOrder, count: 6))
    }

    func littleEndianInt64(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    @Test("re-encoding the pyarrow footer gives back its exact bytes")
    func pyarrowFooterReencodes() throws {
        let metadata = try FileMetaData.decode(footerBytes: PyarrowFooterFixture.bytes)
        #expect(metadata.encode() == PyarrowFooterFixture.bytes)
    }

    @Test("the footer length is read from the tail and checked against the file size")
    func footerLengthFromTail() throws {
        let footer = PyarrowFooterFixture.bytes
        let tail = littleEndian32(footer.count) + ParquetFooter.magic
        #expect(try ParquetFooter.footerLength(tail: tail, fileSize: PyarrowFooterFixture.fileSize) == footer.count)
        // The smallest file that can hold this footer, and one byte less.
        #expect(try ParquetFooter.footerLength(tail: tail, fileSize: footer.count + 12) == footer.count)
        let error = #expect(throws: ParquetError.self) {
            try ParquetFooter.footerLength(tail: tail, fileSize: footer.count + 11)
        }
        #expect(error?.code == .corrupt)
    }

    func littleEndian32(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    @Test("bad tails are rejected", arguments: [
        ([UInt8]([10, 0, 0, 0, 0x50, 0x41, 0x52, 0x32]), 100, ParquetError.Code.corrupt),  // PAR2
        ([UInt8]([0, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]), 100, .corrupt),  // empty metadata
        ([UInt8]([0xFF, 0xFF, 0xFF, 0xFF, 0x50, 0x41, 0x52, 0x31]), 100, .corrupt),  // 4 GiB
        ([UInt8]([1, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]), 12, .corrupt),  // file too small
        ([UInt8]([10, 0, 0, 0, 0x50, 0x41, 0x52, 0x45]), 100, .unsupported),  // PARE
        ([UInt8]([10, 0, 0, 0, 0x50, 0x41, 0x52]), 100, .invalidArgument),  // 7-byte tail
    ])
    func badTails(tail: [UInt8], fileSize: Int, code: ParquetError.Code) {
        let error = #expect(throws: ParquetError.self) {
            try ParquetFooter.footerLength(tail: tail, fileSize: fileSize)
        }
        #expect(error?.code == code)
    }

    @Test("the leading magic must be PAR1 (or PARE)")
    func leadingMagic() throws {
        try ParquetFooter.checkLeadingMagic(Array("PAR1xyz".utf8))
        #expect(throws: ParquetError.self) { try ParquetFooter.checkLeadingMagic(Array("PAR".utf8)) }
        #expect(throws: ParquetError.self) { try ParquetFooter.checkLeadingMagic(Array("\u{0}PAR1".utf8)) }
    }

    @Test("encodeTail appends the length and magic that footerLength accepts")
    func encodeTail() throws {
        let tail = ParquetFooter.encodeTail(MetadataSamples.fileMetaData)
        let metadataLength = try ParquetFooter.footerLength(tail: Array(tail.suffix(8)), fileSize: tail.count + 4)
        #expect(metadataLength == tail.count - 8)
        let decoded = try FileMetaData.decode(footerBytes: Array(tail.prefix(metadataLength)))
        #expect(decoded == MetadataSamples.fileMetaData)
    }

    @Test("the footer truncated at every byte throws a ParquetError")
    func truncatedEverywhere() {
        let footer = PyarrowFooterFixture.bytes
        var failures = 0
        for length in 0..<footer.count {
            do {
                _ = try FileMetaData.decode(footerBytes: Array(footer.prefix(length)))
            } catch {
                failures += 1
            }
        }
        #expect(failures == footer.count)
    }

    @Test("single-byte corruptions of the footer decode or throw, never crash")
    func corruptedBytes() {
        let footer = PyarrowFooterFixture.bytes
        var outcomes = (decoded: 0, threw: 0)
        for index in footer.indices {
            for replacement in [UInt8(0x00), 0xFF, footer[index] ^ 0x80, footer[index] &+ 1] {
                var corrupted = footer
                corrupted[index] = replacement
                do {
                    _ = try FileMetaData.decode(footerBytes: corrupted)
                    outcomes.decoded += 1
                } catch {
                    outcomes.threw += 1
                }
            }
        }
        #expect(outcomes.decoded + outcomes.threw == footer.count * 4)
        #expect(outcomes.threw > 0)
    }

    @Test("a page header reports the bytes it took, so the page data follows it")
    func pageHeaderLength() throws {
        let page = PyarrowFooterFixture.firstPage
        let (header, headerLength) = try page.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try PageHeader.decode(buffer, fileOffset: 4) }
        }.get()
        #expect(headerLength == 14)
        #expect(header.type == .dictionaryPage)
        #expect(header.uncompressedPageSize == 12)
        #expect(header.compressedPageSize == 21)
        #expect(header.dictionaryPageHeader == DictionaryPageHeader(numValues: 2, encoding: .plain, isSorted: false))
        // Header + data end where pyarrow's metadata says the data page starts.
        #expect(4 + headerLength + Int(header.compressedPageSize) == 39)
        #expect(header.encoded() == Array(page.prefix(headerLength)))
    }

    @Test("a truncated page header throws with the file offset of the failure")
    func truncatedPageHeader() {
        let page = Array(PyarrowFooterFixture.firstPage.prefix(9))
        let error = #expect(throws: ParquetError.self) {
            try page.withUnsafeBytes { buffer in
                Result { () throws(ParquetError) in try PageHeader.decode(buffer, fileOffset: 1000) }
            }.get()
        }
        #expect(error?.code == .corrupt)
        #expect((error?.offset ?? 0) >= 1000)
    }
}

@Suite("Parquet footer of a whole file")
struct FooterWholeFileTests {
    @Test("a whole file in memory yields its metadata and the footer offset")
    func wholeFile() throws {
        let pages = [UInt8](repeating: 0xAA, count: 50)
        let file = ParquetFooter.magic + pages + ParquetFooter.encodeTail(MetadataSamples.fileMetaData)
        let (metadata, footerOffset) = try file.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try ParquetFooter.decodeMetadata(file: buffer) }
        }.get()
        #expect(metadata == MetadataSamples.fileMetaData)
        #expect(footerOffset == 54)
    }

    @Test("a whole file cut short anywhere throws a ParquetError")
    func wholeFileTruncated() {
        let file = ParquetFooter.magic + ParquetFooter.encodeTail(MetadataSamples.fileMetaData)
        for length in 0..<file.count {
            let prefix = Array(file.prefix(length))
            #expect(throws: ParquetError.self) {
                try prefix.withUnsafeBytes { buffer in
                    Result { () throws(ParquetError) in try ParquetFooter.decodeMetadata(file: buffer) }
                }.get()
            }
        }
    }
}
