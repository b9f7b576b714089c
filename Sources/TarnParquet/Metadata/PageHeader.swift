// PageHeader and its per-kind headers (data v1, data v2, dictionary) of parquet.thrift.
// Own their compact-protocol decode/encode and report how many bytes a header took.
// Page type and encodings are kept raw so an unknown one reaches the page reader,
// which decides (skip the page or `.unsupported`); decoding never rejects them.

/// Header of a data page, format v1 (`DataPageHeader`).
public struct DataPageHeader: CompactCodable {
    /// Values in the page, nulls included.
    public var numValues: Int32
    public var encodingValue: Int32
    public var definitionLevelEncodingValue: Int32
    public var repetitionLevelEncodingValue: Int32
    public var statistics: Statistics?

    public var encoding: Encoding? { Encoding(rawValue: encodingValue) }
    public var definitionLevelEncoding: Encoding? { Encoding(rawValue: definitionLevelEncodingValue) }
    public var repetitionLevelEncoding: Encoding? { Encoding(rawValue: repetitionLevelEncodingValue) }

    public init(
        numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding = .rle,
        repetitionLevelEncoding: Encoding = .rle, statistics: Statistics? = nil
    ) {
        self.init(
            numValues: numValues, encodingValue: encoding.rawValue,
            definitionLevelEncodingValue: definitionLevelEncoding.rawValue,
            repetitionLevelEncodingValue: repetitionLevelEncoding.rawValue, statistics: statistics)
    }

    public init(
        numValues: Int32, encodingValue: Int32, definitionLevelEncodingValue: Int32,
        repetitionLevelEncodingValue: Int32, statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.encodingValue = encodingValue
        self.definitionLevelEncodingValue = definitionLevelEncodingValue
        self.repetitionLevelEncodingValue = repetitionLevelEncodingValue
        self.statistics = statistics
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Int32?
        var definition: Int32?
        var repetition: Int32?
        var statistics: Statistics?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readI32()
            case (3, .i32): definition = try reader.readI32()
            case (4, .i32): repetition = try reader.readI32()
            case (5, .struct): statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let numValues else { throw reader.missing("DataPageHeader", "num_values") }
        guard let encoding else { throw reader.missing("DataPageHeader", "encoding") }
        guard let definition else { throw reader.missing("DataPageHeader", "definition_level_encoding") }
        guard let repetition else { throw reader.missing("DataPageHeader", "repetition_level_encoding") }
        self.numValues = numValues
        self.encodingValue = encoding
        self.definitionLevelEncodingValue = definition
        self.repetitionLevelEncodingValue = repetition
        self.statistics = statistics
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: encodingValue)
        writer.writeField(3, i32: definitionLevelEncodingValue)
        writer.writeField(4, i32: repetitionLevelEncodingValue)
        if let statistics { writer.writeField(5, struct: statistics) }
        writer.endStruct(saved)
    }
}

/// Header of a data page, format v2 (`DataPageHeaderV2`). Levels are RLE without
/// a length prefix and never compressed; `isCompressed` covers the values only.
public struct DataPageHeaderV2: CompactCodable {
    public var numValues: Int32
    public var numNulls: Int32
    public var numRows: Int32
    public var encodingValue: Int32
    public var definitionLevelsByteLength: Int32
    public var repetitionLevelsByteLength: Int32
    /// Defaults to true when the field is absent, as parquet.thrift specifies.
    public var isCompressed: Bool
    public var statistics: Statistics?

    public var encoding: Encoding? { Encoding(rawValue: encodingValue) }

    public init(
        numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding,
        definitionLevelsByteLength: Int32, repetitionLevelsByteLength: Int32,
        isCompressed: Bool = true, statistics: Statistics? = nil
    ) {
        self.init(
            numValues: numValues, numNulls: numNulls, numRows: numRows, encodingValue: encoding.rawValue,
            definitionLevelsByteLength: definitionLevelsByteLength,
            repetitionLevelsByteLength: repetitionLevelsByteLength,
            isCompressed: isCompressed, statistics: statistics)
    }

    public init(
        numValues: Int32, numNulls: Int32, numRows: Int32, encodingValue: Int32,
        definitionLevelsByteLength: Int32, repetitionLevelsByteLength: Int32,
        isCompressed: Bool = true, statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encodingValue = encodingValue
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Int32?
        var definitionLength: Int32?
        var repetitionLength: Int32?
        var isCompressed = true
        var statistics: Statistics?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): numNulls = try reader.readI32()
            case (3, .i32): numRows = try reader.readI32()
            case (4, .i32): encoding = try reader.readI32()
            case (5, .i32): definitionLength = try reader.readI32()
            case (6, .i32): repetitionLength = try reader.readI32()
            case (7, .bool): isCompressed = try reader.readBool()
            case (8, .struct): statistics = try Statistics(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let numValues else { throw reader.missing("DataPageHeaderV2", "num_values") }
        guard let numNulls else { throw reader.missing("DataPageHeaderV2", "num_nulls") }
        guard let numRows else { throw reader.missing("DataPageHeaderV2", "num_rows") }
        guard let encoding else { throw reader.missing("DataPageHeaderV2", "encoding") }
        guard let definitionLength else {
            throw reader.missing("DataPageHeaderV2", "definition_levels_byte_length")
        }
        guard let repetitionLength else {
            throw reader.missing("DataPageHeaderV2", "repetition_levels_byte_length")
        }
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encodingValue = encoding
        self.definitionLevelsByteLength = definitionLength
        self.repetitionLevelsByteLength = repetitionLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: numNulls)
        writer.writeField(3, i32: numRows)
        writer.writeField(4, i32: encodingValue)
        writer.writeField(5, i32: definitionLevelsByteLength)
        writer.writeField(6, i32: repetitionLevelsByteLength)
        writer.writeBoolField(7, isCompressed)
        if let statistics { writer.writeField(8, struct: statistics) }
        writer.endStruct(saved)
    }
}

/// Header of a dictionary page (`DictionaryPageHeader`).
public struct DictionaryPageHeader: CompactCodable {
    public var numValues: Int32
    public var encodingValue: Int32
    public var isSorted: Bool?

    public var encoding: Encoding? { Encoding(rawValue: encodingValue) }

    public init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
        self.init(numValues: numValues, encodingValue: encoding.rawValue, isSorted: isSorted)
    }

    public init(numValues: Int32, encodingValue: Int32, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encodingValue = encodingValue
        self.isSorted = isSorted
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var numValues: Int32?
        var encoding: Int32?
        var isSorted: Bool?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): numValues = try reader.readI32()
            case (2, .i32): encoding = try reader.readI32()
            case (3, .bool): isSorted = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let numValues else { throw reader.missing("DictionaryPageHeader", "num_values") }
        guard let encoding else { throw reader.missing("DictionaryPageHeader", "encoding") }
        self.init(numValues: numValues, encodingValue: encoding, isSorted: isSorted)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: numValues)
        writer.writeField(2, i32: encodingValue)
        if let isSorted { writer.writeBoolField(3, isSorted) }
        writer.endStruct(saved)
    }
}

/// The header in front of every page (`PageHeader`). Exactly one of the kind
/// headers is normally set, matching `type`; the page reader checks that.
public struct PageHeader: CompactCodable {
    /// Raw `PageType`; see `type`.
    public var typeValue: Int32
    /// Bytes of the page after decompression, header excluded.
    public var uncompressedPageSize: Int32
    /// Bytes of the page as stored, header excluded.
    public var compressedPageSize: Int32
    public var crc: Int32?
    public var dataPageHeader: DataPageHeader?
    /// `IndexPageHeader` has no fields; this records that one was present.
    public var hasIndexPageHeader: Bool
    public var dictionaryPageHeader: DictionaryPageHeader?
    public var dataPageHeaderV2: DataPageHeaderV2?

    /// The page type, or nil for a type this version does not know (skip the page).
    public var type: PageType? { PageType(rawValue: typeValue) }

    public init(
        type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
        dataPageHeader: DataPageHeader? = nil, dictionaryPageHeader: DictionaryPageHeader? = nil,
        dataPageHeaderV2: DataPageHeaderV2? = nil
    ) {
        self.typeValue = type.rawValue
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.hasIndexPageHeader = false
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var typeValue: Int32?
        var uncompressed: Int32?
        var compressed: Int32?
        var crc: Int32?
        var dataPageHeader: DataPageHeader?
        var hasIndexPageHeader = false
        var dictionaryPageHeader: DictionaryPageHeader?
        var dataPageHeaderV2: DataPageHeaderV2?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): typeValue = try reader.readI32()
            case (2, .i32): uncompressed = try reader.readI32()
            case (3, .i32): compressed = try reader.readI32()
            case (4, .i32): crc = try reader.readI32()
            case (5, .struct): dataPageHeader = try DataPageHeader(from: &reader)
            case (6, .struct):
                hasIndexPageHeader = true
                try reader.skip(.struct)
            case (7, .struct): dictionaryPageHeader = try DictionaryPageHeader(from: &reader)
            case (8, .struct): dataPageHeaderV2 = try DataPageHeaderV2(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let typeValue else { throw reader.missing("PageHeader", "type") }
        guard let uncompressed else { throw reader.missing("PageHeader", "uncompressed_page_size") }
        guard let compressed else { throw reader.missing("PageHeader", "compressed_page_size") }
        guard uncompressed >= 0, compressed >= 0 else {
            throw reader.corrupt("PageHeader: negative page size (uncompressed \(uncompressed), compressed \(compressed))")
        }
        self.typeValue = typeValue
        self.uncompressedPageSize = uncompressed
        self.compressedPageSize = compressed
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.hasIndexPageHeader = hasIndexPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: typeValue)
        writer.writeField(2, i32: uncompressedPageSize)
        writer.writeField(3, i32: compressedPageSize)
        if let crc { writer.writeField(4, i32: crc) }
        if let dataPageHeader { writer.writeField(5, struct: dataPageHeader) }
        if hasIndexPageHeader { writer.writeEmptyStructField(6) }
        if let dictionaryPageHeader { writer.writeField(7, struct: dictionaryPageHeader) }
        if let dataPageHeaderV2 { writer.writeField(8, struct: dataPageHeaderV2) }
        writer.endStruct(saved)
    }

    /// Decodes the page header at the start of `bytes` (which may continue with the
    /// page data and further pages). `fileOffset` is the file offset of `bytes[0]`,
    /// used in errors. Returns the header and `headerLength`, the bytes it took:
    /// the page data starts at `fileOffset + headerLength`.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, fileOffset: Int = 0
    ) throws(ParquetError) -> (header: PageHeader, headerLength: Int) {
        var reader = CompactReader(bytes, base: fileOffset)
        let header = try PageHeader(from: &reader)
        return (header, reader.position)
    }

    /// The encoded header, for the writer.
    public func encoded() -> [UInt8] {
        var writer = CompactWriter(capacity: 64)
        encode(to: &writer)
        return writer.bytes
    }
}
