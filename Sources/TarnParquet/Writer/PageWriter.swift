// PageWriter: turns an encoded page body into header + stored bytes — compression,
// data page v1 and v2 layout, dictionary pages, sizes and optional CRC-32.
// Owns page framing on the write path; must never choose encodings or page boundaries
// (ColumnChunkWriter does) and never write a size that does not fit the header's i32.

/// Data page format version of written files.
public enum DataPageVersion: Sendable, Hashable {
    /// DATA_PAGE: levels (length-prefixed RLE) and values compressed together.
    case v1
    /// DATA_PAGE_V2: levels uncompressed before the compressed values; rows counted.
    case v2
}

/// A finished page: its Thrift header and the bytes stored after it.
struct WrittenPage: Sendable {
    var header: [UInt8]
    var body: [UInt8]
    /// Header plus uncompressed body size (ColumnMetaData's total_uncompressed_size part).
    var uncompressedSize: Int
    var storedSize: Int { header.count + body.count }
}

/// Frames the pages of one column chunk; owns the chunk's compression context, so it
/// is used by one thread at a time.
struct PageWriter {
    let codec: CompressionCodec
    let compressionLevel: Int
    let writeChecksums: Bool
    /// Reused across the chunk's pages (a zstd context per page would dominate small pages).
    let context = CodecContext()

    private func checkedSize(_ size: Int, _ what: String) throws(ParquetError) -> Int32 {
        guard let value = Int32(exactly: size) else {
            throw .invalidArgument("\(what) of \(size) bytes does not fit a page header (limit 2 GiB); lower pageSizeBytes or split large values")
        }
        return value
    }

    private func compress(_ bytes: [UInt8]) throws(ParquetError) -> [UInt8] {
        if codec == .uncompressed { return bytes }
        return try writerWithBytes(bytes) { (raw) throws(ParquetError) in
            try PageCodec.compress(codec, raw, level: compressionLevel, context: context)
        }
    }

    private func checksum(_ parts: [UInt8]...) -> Int32? {
        guard writeChecksums else { return nil }
        var crc: UInt32 = 0
        for part in parts {
            crc = part.withUnsafeBytes { CRC32.update(crc, $0) }
        }
        return Int32(bitPattern: crc)
    }

    /// A dictionary page of `count` PLAIN values.
    func dictionaryPage(_ plain: [UInt8], count: Int) throws(ParquetError) -> WrittenPage {
        let body = try compress(plain)
        var header = PageHeader(
            type: .dictionaryPage, uncompressedPageSize: try checkedSize(plain.count, "dictionary page"),
            compressedPageSize: try checkedSize(body.count, "compressed dictionary page"),
            dictionaryPageHeader: DictionaryPageHeader(numValues: try checkedSize(count, "dictionary"), encoding: .plain))
        header.crc = checksum(body)
        let headerBytes = header.encoded()
        return WrittenPage(header: headerBytes, body: body, uncompressedSize: headerBytes.count + plain.count)
    }

    /// A v1 data page; `body` is rep levels, def levels (each length-prefixed) and values.
    func dataPageV1(
        _ body: [UInt8], numValues: Int, encoding: Encoding, statistics: Statistics?
    ) throws(ParquetError) -> WrittenPage {
        let stored = try compress(body)
        var header = PageHeader(
            type: .dataPage, uncompressedPageSize: try checkedSize(body.count, "data page"),
            compressedPageSize: try checkedSize(stored.count, "compressed data page"),
            dataPageHeader: DataPageHeader(
                numValues: try checkedSize(numValues, "page value count"), encoding: encoding, statistics: statistics))
        header.crc = checksum(stored)
        let headerBytes = header.encoded()
        return WrittenPage(header: headerBytes, body: stored, uncompressedSize: headerBytes.count + body.count)
    }

    /// A v2 data page: `levels` (rep then def, bare RLE) stored as is, `values` compressed.
    func dataPageV2(
        levels: [UInt8], repetitionLength: Int, definitionLength: Int, values: [UInt8],
        numValues: Int, numNulls: Int, numRows: Int, encoding: Encoding, statistics: Statistics?
    ) throws(ParquetError) -> WrittenPage {
        let compressedValues = try compress(values)
        var body = levels
        body.append(contentsOf: compressedValues)
        var header = PageHeader(
            type: .dataPageV2,
            uncompressedPageSize: try checkedSize(levels.count + values.count, "data page"),
            compressedPageSize: try checkedSize(body.count, "compressed data page"),
            dataPageHeaderV2: DataPageHeaderV2(
                numValues: try checkedSize(numValues, "page value count"),
                numNulls: try checkedSize(numNulls, "page null count"),
                numRows: try checkedSize(numRows, "page row count"), encoding: encoding,
                definitionLevelsByteLength: try checkedSize(definitionLength, "definition levels"),
                repetitionLevelsByteLength: try checkedSize(repetitionLength, "repetition levels"),
                isCompressed: codec != .uncompressed, statistics: statistics))
        header.crc = checksum(body)
        let headerBytes = header.encoded()
        return WrittenPage(header: headerBytes, body: body, uncompressedSize: headerBytes.count + levels.count + values.count)
    }
}

/// `bytes.withUnsafeBytes` for a body with typed throws (the standard one only rethrows).
@inline(__always)
func writerWithBytes<R>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R
) throws(ParquetError) -> R {
    let result = bytes.withUnsafeBytes { raw in Result { () throws(ParquetError) in try body(raw) } }
    return try result.get()
}
