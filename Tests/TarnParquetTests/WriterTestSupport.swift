// Helpers shared by the writer and round-trip tests: building columns from scalars,
// decoding the footer of written bytes, and reading page headers of a chunk.
// Test-only; never used by library code.

import Testing
import TarnColumnar
@testable import TarnParquet

/// A column of `type` from scalars (nil = null); fails the test on a bad literal.
func writerColumn(_ type: DataType, _ values: [ScalarValue?]) throws -> Column {
    try Column(type, scalars: values.map { $0 ?? .null })
}

/// A one-column batch.
func writerBatch(_ field: Field, _ column: Column) throws -> RecordBatch {
    try RecordBatch(schema: Schema([field]), columns: [column])
}

/// The FileMetaData of a complete file written by ParquetFileWriter.
func writerFooter(_ file: [UInt8]) throws -> FileMetaData {
    try #require(file.count >= 12)
    #expect(Array(file.prefix(4)) == ParquetFooter.magic)
    #expect(Array(file.suffix(4)) == ParquetFooter.magic)
    let lengthBytes = file[(file.count - 8)..<(file.count - 4)]
    let length = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    try #require(length > 0 && length <= file.count - 12)
    let footer = Array(file[(file.count - 8 - length)..<(file.count - 8)])
    return try footer.withUnsafeBytes { try FileMetaData.decode(footerBytes: $0) }
}

/// Page headers of the column chunk `column` of row group `rowGroup`, in file order.
func writerPageHeaders(_ file: [UInt8], _ metadata: FileMetaData, rowGroup: Int = 0, column: Int = 0) throws -> [PageHeader] {
    let optionalMeta: ColumnMetaData? = metadata.rowGroups[rowGroup].columns[column].metaData
    let meta = try #require(optionalMeta)
    let start = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
    let end = start + Int(meta.totalCompressedSize)
    var headers: [PageHeader] = []
    var position = start
    while position < end {
        let slice = Array(file[position..<end])
        let (header, length) = try slice.withUnsafeBytes { try PageHeader.decode($0, fileOffset: position) }
        headers.append(header)
        position += length + Int(header.compressedPageSize)
    }
    #expect(position == end)
    return headers
}

/// Little-endian bytes of a fixed-width value, as PLAIN statistics hold them.
func writerPlain<T>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value) { Array($0) }
}

/// The ColumnMetaData of a chunk (optional in the Thrift struct).
func writerChunkMeta(_ metadata: FileMetaData, rowGroup: Int = 0, column: Int = 0) throws -> ColumnMetaData {
    let optionalMeta: ColumnMetaData? = metadata.rowGroups[rowGroup].columns[column].metaData
    return try #require(optionalMeta)
}

/// SplitMix64 for deterministic test data.
struct WriterRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
