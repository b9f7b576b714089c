// ColumnMetaData and PageEncodingStats: what the footer says about one column chunk.
// Own their compact-protocol decode/encode. Codec and encodings stay raw so an
// unknown one fails only when that column is read; the physical type is typed.

/// Count of pages of one type and encoding in a column chunk (`PageEncodingStats`).
public struct PageEncodingStats: CompactCodable {
    public var pageTypeValue: Int32
    public var encodingValue: Int32
    public var count: Int32

    public var pageType: PageType? { PageType(rawValue: pageTypeValue) }
    public var encoding: Encoding? { Encoding(rawValue: encodingValue) }

    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.init(pageTypeValue: pageType.rawValue, encodingValue: encoding.rawValue, count: count)
    }

    public init(pageTypeValue: Int32, encodingValue: Int32, count: Int32) {
        self.pageTypeValue = pageTypeValue
        self.encodingValue = encodingValue
        self.count = count
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var pageType: Int32?
        var encoding: Int32?
        var count: Int32?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): pageType = try reader.readI32()
            case (2, .i32): encoding = try reader.readI32()
            case (3, .i32): count = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let pageType else { throw reader.missing("PageEncodingStats", "page_type") }
        guard let encoding else { throw reader.missing("PageEncodingStats", "encoding") }
        guard let count else { throw reader.missing("PageEncodingStats", "count") }
        self.init(pageTypeValue: pageType, encodingValue: encoding, count: count)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: pageTypeValue)
        writer.writeField(2, i32: encodingValue)
        writer.writeField(3, i32: count)
        writer.endStruct(saved)
    }
}

/// Metadata of one column chunk (`ColumnMetaData`). Offsets are from the start of
/// the file and untrusted: the reader checks them against the file size.
public struct ColumnMetaData: CompactCodable {
    public var type: PhysicalType
    /// Raw `Encoding` values used anywhere in the chunk; see `encodings`.
    public var encodingValues: [Int32]
    public var pathInSchema: [String]
    /// Raw `CompressionCodec`; see `codec`.
    public var codecValue: Int32
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var keyValueMetadata: [KeyValue]?
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?
    public var encodingStats: [PageEncodingStats]?
    public var bloomFilterOffset: Int64?
    public var bloomFilterLength: Int32?
    public var sizeStatistics: SizeStatistics?

    /// The codec, or nil for a codec this version does not know.
    public var codec: CompressionCodec? { CompressionCodec(rawValue: codecValue) }
    /// The known encodings among `encodingValues` (unknown ones are left out).
    public var encodings: [Encoding] { encodingValues.compactMap(Encoding.init(rawValue:)) }

    public init(
        type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec,
        numValues: Int64, totalUncompressedSize: Int64, totalCompressedSize: Int64,
        keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64, indexPageOffset: Int64? = nil,
        dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
        encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil, bloomFilterLength: Int32? = nil,
        sizeStatistics: SizeStatistics? = nil
    ) {
        self.type = type
        self.encodingValues = encodings.map(\.rawValue)
        self.pathInSchema = pathInSchema
        self.codecValue = codec.rawValue
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
        self.sizeStatistics = sizeStatistics
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var type: PhysicalType?
        var encodings: [Int32]?
        var path: [String]?
        var codec: Int32?
        var numValues: Int64?
        var uncompressed: Int64?
        var compressed: Int64?
        var dataPageOffset: Int64?
        self.init(
            type: .boolean, encodings: [], pathInSchema: [], codec: .uncompressed, numValues: 0,
            totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0)
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32):
                let raw = try reader.readI32()
                guard let known = PhysicalType(rawValue: raw) else {
                    throw ParquetError.unsupported("ColumnMetaData.type: unknown physical type \(raw)")
                }
                type = known
            case (2, .list): encodings = try reader.readI32List("ColumnMetaData.encodings")
            case (3, .list): path = try reader.readStringList("ColumnMetaData.path_in_schema")
            case (4, .i32): codec = try reader.readI32()
            case (5, .i64): numValues = try reader.readI64()
            case (6, .i64): uncompressed = try reader.readI64()
            case (7, .i64): compressed = try reader.readI64()
            case (8, .list): keyValueMetadata = try reader.readStructList(KeyValue.self, "ColumnMetaData.key_value_metadata")
            case (9, .i64): dataPageOffset = try reader.readI64()
            case (10, .i64): indexPageOffset = try reader.readI64()
            case (11, .i64): dictionaryPageOffset = try reader.readI64()
            case (12, .struct): statistics = try Statistics(from: &reader)
            case (13, .list):
                encodingStats = try reader.readStructList(PageEncodingStats.self, "ColumnMetaData.encoding_stats")
            case (14, .i64): bloomFilterOffset = try reader.readI64()
            case (15, .i32): bloomFilterLength = try reader.readI32()
            case (16, .struct): sizeStatistics = try SizeStatistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let type else { throw reader.missing("ColumnMetaData", "type") }
        guard let encodings else { throw reader.missing("ColumnMetaData", "encodings") }
        guard let path else { throw reader.missing("ColumnMetaData", "path_in_schema") }
        guard let codec else { throw reader.missing("ColumnMetaData", "codec") }
        guard let numValues else { throw reader.missing("ColumnMetaData", "num_values") }
        guard let uncompressed else { throw reader.missing("ColumnMetaData", "total_uncompressed_size") }
        guard let compressed else { throw reader.missing("ColumnMetaData", "total_compressed_size") }
        guard let dataPageOffset else { throw reader.missing("ColumnMetaData", "data_page_offset") }
        self.type = type
        self.encodingValues = encodings
        self.pathInSchema = path
        self.codecValue = codec
        self.numValues = numValues
        self.totalUncompressedSize = uncompressed
        self.totalCompressedSize = compressed
        self.dataPageOffset = dataPageOffset
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: type.rawValue)
        writer.writeField(2, i32s: encodingValues)
        writer.writeField(3, strings: pathInSchema)
        writer.writeField(4, i32: codecValue)
        writer.writeField(5, i64: numValues)
        writer.writeField(6, i64: totalUncompressedSize)
        writer.writeField(7, i64: totalCompressedSize)
        if let keyValueMetadata { writer.writeField(8, structs: keyValueMetadata) }
        writer.writeField(9, i64: dataPageOffset)
        if let indexPageOffset { writer.writeField(10, i64: indexPageOffset) }
        if let dictionaryPageOffset { writer.writeField(11, i64: dictionaryPageOffset) }
        if let statistics { writer.writeField(12, struct: statistics) }
        if let encodingStats { writer.writeField(13, structs: encodingStats) }
        if let bloomFilterOffset { writer.writeField(14, i64: bloomFilterOffset) }
        if let bloomFilterLength { writer.writeField(15, i32: bloomFilterLength) }
        if let sizeStatistics { writer.writeField(16, struct: sizeStatistics) }
        writer.endStruct(saved)
    }
}
