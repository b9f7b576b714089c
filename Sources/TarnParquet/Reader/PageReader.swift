// PageReader: walks the pages of one column chunk held in memory — decodes each page
// header, checks its sizes against the bytes that remain and the reader's limits,
// verifies the CRC when present, and skips index and unknown pages.
// Never decompresses or decodes values (ColumnChunkReader does) and never reads outside the chunk.

/// One page of a column chunk, its body still compressed.
struct Page {
    enum Kind {
        case dictionary(DictionaryPageHeader)
        case dataV1(DataPageHeader)
        case dataV2(DataPageHeaderV2)
    }

    var kind: Kind
    var header: PageHeader
    /// The page body as stored (compressed), inside the chunk buffer.
    var body: UnsafeRawBufferPointer
    /// File offset of `body[0]`.
    var bodyOffset: Int
}

/// Iterates pages over a chunk's bytes. The buffer must outlive the reader: create it
/// inside the closure that borrows the chunk and do not let it escape.
struct PageReader {
    let bytes: UnsafeRawBufferPointer
    /// File offset of `bytes[0]`.
    let fileOffset: Int
    let maxPageSize: Int
    let verifyChecksums: Bool
    private(set) var position = 0

    init(bytes: UnsafeRawBufferPointer, fileOffset: Int, maxPageSize: Int, verifyChecksums: Bool) {
        self.bytes = bytes
        self.fileOffset = fileOffset
        self.maxPageSize = maxPageSize
        self.verifyChecksums = verifyChecksums
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The next dictionary or data page, or nil at the end of the chunk.
    /// - Throws: `.corrupt` for a malformed header, a size that runs past the chunk or
    ///   exceeds `maxPageSize`, or a CRC mismatch.
    mutating func next() throws(ParquetError) -> Page? {
        while position < bytes.count {
            let headerOffset = fileOffset + position
            let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
            let (header, headerLength) = try PageHeader.decode(rest, fileOffset: headerOffset)
            let compressed = Int(header.compressedPageSize)
            let uncompressed = Int(header.uncompressedPageSize)
            let remaining = rest.count - headerLength
            guard compressed >= 0, compressed <= remaining else {
                throw .corrupt("page of \(compressed) compressed bytes runs past the column chunk (\(remaining) bytes remain)", offset: headerOffset)
            }
            guard uncompressed >= 0 else {
                throw .corrupt("page declares a negative uncompressed size \(uncompressed)", offset: headerOffset)
            }
            guard uncompressed <= maxPageSize else {
                throw .corrupt("page declares \(uncompressed) uncompressed bytes, above the limit of \(maxPageSize)", offset: headerOffset)
            }
            let bodyStart = position + headerLength
            let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + compressed)])
            position = bodyStart + compressed
            if verifyChecksums, let crc = header.crc {
                let actual = CRC32.checksum(body)
                guard actual == UInt32(bitPattern: crc) else {
                    throw .corrupt("page CRC mismatch: header says \(UInt32(bitPattern: crc)), data gives \(actual)", offset: headerOffset)
                }
            }
            let bodyOffset = fileOffset + bodyStart
            switch header.type {
            case .dictionaryPage:
                guard let dictionary = header.dictionaryPageHeader else {
                    throw .corrupt("dictionary page without a dictionary page header", offset: headerOffset)
                }
                return Page(kind: .dictionary(dictionary), header: header, body: body, bodyOffset: bodyOffset)
            case .dataPage:
                guard let data = header.dataPageHeader else {
                    throw .corrupt("data page without a data page header", offset: headerOffset)
                }
                return Page(kind: .dataV1(data), header: header, body: body, bodyOffset: bodyOffset)
            case .dataPageV2:
                guard let data = header.dataPageHeaderV2 else {
                    throw .corrupt("data page v2 without a data page v2 header", offset: headerOffset)
                }
                return Page(kind: .dataV2(data), header: header, body: body, bodyOffset: bodyOffset)
            case .indexPage, nil:
                continue  // index pages and page types from the future carry no values
            }
        }
        return nil
    }
}
