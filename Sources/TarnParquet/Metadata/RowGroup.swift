// RowGroup and ColumnChunk: the footer's description of each row group's columns.
// Own their compact-protocol decode/encode. Encrypted column chunks are refused
// (`.unsupported`); page-index offsets are kept but never interpreted here.

/// One column of a row group (`ColumnChunk`).
public struct ColumnChunk: CompactCodable {
    /// Set only in summary files whose data lives elsewhere; Tarn does not follow it.
    public var filePath: String?
    /// Deprecated; writers put 0. Missing is read as 0.
    public var fileOffset: Int64
    /// Optional in parquet.thrift, but writers must set it and decoding requires it
    /// (a chunk without it cannot be read, and requiring it bounds the memory a
    /// hostile list of empty chunks can claim): never nil after decoding.
    public var metaData: ColumnMetaData?
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?

    public init(
        filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData?,
        offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil,
        columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil
    ) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var filePath: String?
        var fileOffset: Int64 = 0
        var metaData: ColumnMetaData?
        var offsetIndexOffset: Int64?
        var offsetIndexLength: Int32?
        var columnIndexOffset: Int64?
        var columnIndexLength: Int32?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): filePath = try reader.readString()
            case (2, .i64): fileOffset = try reader.readI64()
            case (3, .struct): metaData = try ColumnMetaData(from: &reader)
            case (4, .i64): offsetIndexOffset = try reader.readI64()
            case (5, .i32): offsetIndexLength = try reader.readI32()
            case (6, .i64): columnIndexOffset = try reader.readI64()
            case (7, .i32): columnIndexLength = try reader.readI32()
            case (8, _), (9, _):
                throw ParquetError.unsupported("encrypted Parquet column chunks")
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let metaData else { throw reader.missing("ColumnChunk", "meta_data") }
        self.init(
            filePath: filePath, fileOffset: fileOffset, metaData: metaData,
            offsetIndexOffset: offsetIndexOffset, offsetIndexLength: offsetIndexLength,
            columnIndexOffset: columnIndexOffset, columnIndexLength: columnIndexLength)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        if let filePath { writer.writeField(1, string: filePath) }
        writer.writeField(2, i64: fileOffset)
        if let metaData { writer.writeField(3, struct: metaData) }
        if let offsetIndexOffset { writer.writeField(4, i64: offsetIndexOffset) }
        if let offsetIndexLength { writer.writeField(5, i32: offsetIndexLength) }
        if let columnIndexOffset { writer.writeField(6, i64: columnIndexOffset) }
        if let columnIndexLength { writer.writeField(7, i32: columnIndexLength) }
        writer.endStruct(saved)
    }
}

/// One row group (`RowGroup`): its column chunks in schema leaf order.
public struct RowGroup: CompactCodable {
    public var columns: [ColumnChunk]
    /// Uncompressed bytes of all column data.
    public var totalByteSize: Int64
    public var numRows: Int64
    public var sortingColumns: [SortingColumn]?
    /// File offset of the first page of the row group.
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?

    public init(
        columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64, sortingColumns: [SortingColumn]? = nil,
        fileOffset: Int64? = nil, totalCompressedSize: Int64? = nil, ordinal: Int16? = nil
    ) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        self.init(columns: [], totalByteSize: 0, numRows: 0)
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .list): columns = try reader.readStructList(ColumnChunk.self, "RowGroup.columns")
            case (2, .i64): totalByteSize = try reader.readI64()
            case (3, .i64): numRows = try reader.readI64()
            case (4, .list): sortingColumns = try reader.readStructList(SortingColumn.self, "RowGroup.sorting_columns")
            case (5, .i64): fileOffset = try reader.readI64()
            case (6, .i64): totalCompressedSize = try reader.readI64()
            case (7, .i16): ordinal = try reader.readI16()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let columns else { throw reader.missing("RowGroup", "columns") }
        guard let totalByteSize else { throw reader.missing("RowGroup", "total_byte_size") }
        guard let numRows else { throw reader.missing("RowGroup", "num_rows") }
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, structs: columns)
        writer.writeField(2, i64: totalByteSize)
        writer.writeField(3, i64: numRows)
        if let sortingColumns { writer.writeField(4, structs: sortingColumns) }
        if let fileOffset { writer.writeField(5, i64: fileOffset) }
        if let totalCompressedSize { writer.writeField(6, i64: totalCompressedSize) }
        if let ordinal { writer.writeField(7, i16: ordinal) }
        writer.endStruct(saved)
    }
}
