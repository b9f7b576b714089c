// Footer: the Parquet file envelope: `PAR1` at both ends, then the footer length.
// Owns validating the last 8 bytes against the file size and turning footer bytes
// into FileMetaData (and back). Must never trust the stored length; `PARE`
// (encrypted footer) is `.unsupported`.

/// The layout constants and checks of a Parquet file's envelope:
/// `PAR1` · pages · FileMetaData · 4-byte little-endian metadata length · `PAR1`.
public enum ParquetFooter {
    /// `PAR1`, at the start and the end of every plain Parquet file.
    public static let magic: [UInt8] = [0x50, 0x41, 0x52, 0x31]
    /// `PARE`, the trailing magic of a file whose footer is encrypted.
    public static let encryptedMagic: [UInt8] = [0x50, 0x41, 0x52, 0x45]
    /// Length field plus trailing magic.
    public static let tailLength = 8
    /// Leading magic, at least one byte of metadata, length and trailing magic.
    public static let minimumFileSize = 4 + 1 + 8

    /// Checks the first 4 bytes of a file.
    public static func checkLeadingMagic(_ head: UnsafeRawBufferPointer) throws(ParquetError) {
        guard head.count >= 4 else {
            throw ParquetError.corrupt("file shorter than the 4-byte PAR1 magic", offset: 0)
        }
        guard matches(head, at: 0, magic) || matches(head, at: 0, encryptedMagic) else {
            throw ParquetError.corrupt("not a Parquet file: no PAR1 magic at the start", offset: 0)
        }
    }

    public static func checkLeadingMagic(_ head: [UInt8]) throws(ParquetError) {
        let result = head.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try checkLeadingMagic(buffer) }
        }
        try result.get()
    }

    /// Validates the last 8 bytes of a file of `fileSize` bytes and returns the
    /// length of the serialized FileMetaData, which starts at
    /// `fileSize - 8 - length` and is guaranteed to lie after the leading magic.
    public static func footerLength(tail: UnsafeRawBufferPointer, fileSize: Int) throws(ParquetError) -> Int {
        let tailOffset = fileSize - tailLength
        guard tail.count == tailLength else {
            throw ParquetError.invalidArgument("footer tail must be the last \(tailLength) bytes, got \(tail.count)")
        }
        guard fileSize >= minimumFileSize else {
            throw ParquetError.corrupt(
                "file of \(fileSize) bytes is shorter than the smallest Parquet file (\(minimumFileSize))", offset: 0)
        }
        if matches(tail, at: 4, encryptedMagic) {
            throw ParquetError.unsupported("encrypted Parquet files")
        }
        guard matches(tail, at: 4, magic) else {
            throw ParquetError.corrupt("not a Parquet file: no PAR1 magic at the end", offset: fileSize - 4)
        }
        // SAFETY: `tail.count == 8`, checked above, so bytes 0..<4 are inside it.
        let stored = UInt32(littleEndian: tail.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let length = Int(stored)
        let available = fileSize - magic.count - tailLength  // bytes after the leading magic
        guard length > 0, length <= available else {
            throw ParquetError.corrupt(
                "footer length \(length) does not fit in a file of \(fileSize) bytes", offset: tailOffset)
        }
        return length
    }

    public static func footerLength(tail: [UInt8], fileSize: Int) throws(ParquetError) -> Int {
        let result = tail.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try footerLength(tail: buffer, fileSize: fileSize) }
        }
        return try result.get()
    }

    /// Decodes the metadata of a whole file held in memory: checks both magics and
    /// the stored length, then decodes. `footerOffset` is where the metadata starts.
    public static func decodeMetadata(
        file: UnsafeRawBufferPointer
    ) throws(ParquetError) -> (metadata: FileMetaData, footerOffset: Int) {
        try checkLeadingMagic(file)
        guard file.count >= tailLength else {
            throw ParquetError.corrupt("file of \(file.count) bytes has no Parquet footer", offset: 0)
        }
        // SAFETY: `file.count >= tailLength`, checked just above.
        let tail = UnsafeRawBufferPointer(rebasing: file[(file.count - tailLength)...])
        let length = try footerLength(tail: tail, fileSize: file.count)
        let footerOffset = file.count - tailLength - length
        // SAFETY: footerLength guarantees 0 < length <= file.count - 12, so the range
        // lies between the leading magic and the tail.
        let footer = UnsafeRawBufferPointer(rebasing: file[footerOffset..<(file.count - tailLength)])
        return (try FileMetaData.decode(footerBytes: footer, fileOffset: footerOffset), footerOffset)
    }

    /// The bytes the writer appends after the last page: metadata, its length, `PAR1`.
    public static func encodeTail(_ metadata: FileMetaData) -> [UInt8] {
        var bytes = metadata.encode()
        let length = UInt32(truncatingIfNeeded: bytes.count)
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: magic)
        return bytes
    }

    @inline(__always)
    static func matches(_ buffer: UnsafeRawBufferPointer, at offset: Int, _ expected: [UInt8]) -> Bool {
        guard offset >= 0, offset + expected.count <= buffer.count else { return false }
        // SAFETY: offset + expected.count <= buffer.count, checked just above.
        for index in 0..<expected.count where buffer[offset + index] != expected[index] {
            return false
        }
        return true
    }
}

extension FileMetaData {
    /// Decodes the serialized FileMetaData of a footer. `fileOffset` is the file
    /// offset of `footerBytes[0]`, used in errors. Bytes after the struct are ignored.
    public static func decode(
        footerBytes: UnsafeRawBufferPointer, fileOffset: Int = 0
    ) throws(ParquetError) -> FileMetaData {
        var reader = CompactReader(footerBytes, base: fileOffset)
        return try FileMetaData(from: &reader)
    }

    public static func decode(footerBytes: [UInt8], fileOffset: Int = 0) throws(ParquetError) -> FileMetaData {
        let result = footerBytes.withUnsafeBytes { buffer in
            Result { () throws(ParquetError) in try decode(footerBytes: buffer, fileOffset: fileOffset) }
        }
        return try result.get()
    }

    /// The serialized FileMetaData (without length and magic; see `ParquetFooter.encodeTail`).
    public func encode() -> [UInt8] {
        var writer = CompactWriter(capacity: 1024)
        encode(to: &writer)
        return writer.bytes
    }
}
