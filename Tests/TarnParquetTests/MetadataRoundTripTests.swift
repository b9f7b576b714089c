// Tests of the parquet.thrift metadata structs: every struct survives encode → decode,
// unknown enum values and union members survive or are named, and missing required
// fields are reported as corrupt with the struct and field.

import Testing
@testable import TarnParquet

/// Fully populated samples of every metadata struct.
enum MetadataSamples {
    static let statistics = Statistics(
        max: [9, 0, 0, 0], min: [1, 0, 0, 0], nullCount: 3, distinctCount: 7,
        maxValue: Array("zeta".utf8), minValue: Array("alpha".utf8),
        isMaxValueExact: true, isMinValueExact: false, nanCount: 0)

    static let keyValues = [KeyValue(key: "writer", value: "tarn"), KeyValue(key: "no-value", value: nil)]

    static let columnMetaData = ColumnMetaData(
        type: .byteArray, encodings: [.plain, .rle, .rleDictionary], pathInSchema: ["pt", "y"], codec: .zstd,
        numValues: 1_000_000, totalUncompressedSize: 5_000_000_000, totalCompressedSize: 123_456,
        keyValueMetadata: keyValues, dataPageOffset: 4_000_000_000, indexPageOffset: 17,
        dictionaryPageOffset: 4, statistics: statistics,
        encodingStats: [
            PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1),
            PageEncodingStats(pageType: .dataPage, encoding: .rleDictionary, count: 12),
        ],
        bloomFilterOffset: 99, bloomFilterLength: 1024,
        sizeStatistics: SizeStatistics(
            unencodedByteArrayDataBytes: 4096, repetitionLevelHistogram: [5, 0, 7],
            definitionLevelHistogram: Array(0..<20)))

    static let columnChunk = ColumnChunk(
        filePath: "part-0.parquet", fileOffset: 0, metaData: columnMetaData,
        offsetIndexOffset: 1000, offsetIndexLength: 20, columnIndexOffset: 2000, columnIndexLength: 30)

    static let rowGroup = RowGroup(
        columns: [columnChunk, ColumnChunk(metaData: columnMetaData)], totalByteSize: 10_000, numRows: 500,
        sortingColumns: [
            SortingColumn(columnIndex: 0, descending: true, nullsFirst: false),
            SortingColumn(columnIndex: 1, descending: false, nullsFirst: true),
        ],
        fileOffset: 4, totalCompressedSize: 9_000, ordinal: 3)

    static let schema: [SchemaElement] = [
        SchemaElement(name: "schema", repetitionType: .required, numChildren: 3),
        SchemaElement(
            name: "amount", type: .fixedLenByteArray, typeLength: 16, repetitionType: .optional,
            convertedType: .decimal, scale: 2, precision: 38, fieldID: 7,
            logicalType: .decimal(scale: 2, precision: 38)),
        SchemaElement(
            name: "ts", type: .int64, repetitionType: .required, convertedType: .timestampMicros,
            logicalType: .timestamp(isAdjustedToUTC: true, unit: .micros)),
        SchemaElement(name: "ünïcode ✓", type: .boolean, repetitionType: .repeated),
    ]

    static let fileMetaData = FileMetaData(
        version: 2, schema: schema, numRows: 1000, rowGroups: [rowGroup, rowGroup],
        keyValueMetadata: keyValues, createdBy: "tarn version 0.1",
        columnOrders: [.typeDefinedOrder, .ieee754TotalOrder, .int96TimestampOrder])

    static let pageHeaders: [PageHeader] = [
        PageHeader(
            type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 80, crc: -12345,
            dataPageHeader: DataPageHeader(
                numValues: 10, encoding: .plain, definitionLevelEncoding: .rle,
                repetitionLevelEncoding: .bitPacked, statistics: statistics)),
        PageHeader(
            type: .dictionaryPage, uncompressedPageSize: 12, compressedPageSize: 21,
            dictionaryPageHeader: DictionaryPageHeader(numValues: 2, encoding: .plain, isSorted: false)),
        PageHeader(
            type: .dataPageV2, uncompressedPageSize: 1 << 30, compressedPageSize: Int32.max,
            dataPageHeaderV2: DataPageHeaderV2(
                numValues: 10, numNulls: 2, numRows: 5, encoding: .deltaBinaryPacked,
                definitionLevelsByteLength: 3, repetitionLevelsByteLength: 4, isCompressed: false,
                statistics: Statistics(nullCount: 2))),
    ]
}

@Suite("Parquet metadata structs")
struct MetadataRoundTripTests {
    func roundTrip<T: CompactCodable>(_ value: T) throws {
        let bytes = encodeCompact(value)
        let (decoded, length) = try decodeCompact(T.self, bytes)
        #expect(decoded == value)
        #expect(length == bytes.count)
    }

    @Test("every metadata struct survives encode then decode")
    func everyStructRoundTrips() throws {
        try roundTrip(MetadataSamples.statistics)
        try roundTrip(Statistics())
        try roundTrip(SizeStatistics())
        for keyValue in MetadataSamples.keyValues { try roundTrip(keyValue) }
        try roundTrip(SortingColumn(columnIndex: 5, descending: true, nullsFirst: true))
        try roundTrip(PageEncodingStats(pageTypeValue: 9, encodingValue: 42, count: 1))
        try roundTrip(MetadataSamples.columnMetaData)
        try roundTrip(MetadataSamples.columnChunk)
        try roundTrip(MetadataSamples.rowGroup)
        for element in MetadataSamples.schema { try roundTrip(element) }
        for header in MetadataSamples.pageHeaders {
            try roundTrip(header)
            if let data = header.dataPageHeader { try roundTrip(data) }
            if let dictionary = header.dictionaryPageHeader { try roundTrip(dictionary) }
            if let v2 = header.dataPageHeaderV2 { try roundTrip(v2) }
        }
        try roundTrip(MetadataSamples.fileMetaData)
        for order in [ColumnOrder.typeDefinedOrder, .ieee754TotalOrder, .int96TimestampOrder, .other(fieldID: 9)] {
            try roundTrip(order)
        }
    }

    @Test("every logical type survives encode then decode", arguments: [
        LogicalType.string, .map, .list, .enumeration, .decimal(scale: 0, precision: 1),
        .decimal(scale: 10, precision: 76), .date,
        .time(isAdjustedToUTC: false, unit: .millis), .time(isAdjustedToUTC: true, unit: .nanos),
        .timestamp(isAdjustedToUTC: true, unit: .millis), .timestamp(isAdjustedToUTC: false, unit: .micros),
        .timestamp(isAdjustedToUTC: true, unit: .nanos),
        .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 64, isSigned: false),
        .null, .json, .bson, .uuid, .float16, .other(fieldID: 16), .other(fieldID: 300),
    ])
    func logicalTypeRoundTrip(type: LogicalType) throws {
        try roundTrip(type)
        try roundTrip(SchemaElement(name: "c", type: .int64, repetitionType: .optional, logicalType: type))
    }

    @Test("an unknown LogicalType union member with a payload decodes as .other")
    func unknownLogicalTypeMember() throws {
        // Long-form field 16 (VARIANT) struct { 1: i8 = 1 }, stop.
        let bytes: [UInt8] = [0x0C, 0x20, 0x13, 0x01, 0x00, 0x00]
        let (type, length) = try decodeCompact(LogicalType.self, bytes)
        #expect(type == .other(fieldID: 16))
        #expect(length == bytes.count)
    }

    @Test("a timestamp with an unknown time unit decodes as .other(8)")
    func unknownTimeUnit() throws {
        // 8: TimestampType { 1: true, 2: TimeUnit { 4: struct {} } }
        let bytes: [UInt8] = [0x8C, 0x11, 0x1C, 0x4C, 0x00, 0x00, 0x00, 0x00]
        let (type, _) = try decodeCompact(LogicalType.self, bytes)
        #expect(type == .other(fieldID: 8))
    }

    @Test("a LogicalType union with zero or two members is corrupt", arguments: [
        [UInt8]([0x00]),
        [UInt8]([0x1C, 0x00, 0x1C, 0x00, 0x00]),
    ])
    func badUnion(bytes: [UInt8]) {
        let error = #expect(throws: ParquetError.self) { try decodeCompact(LogicalType.self, bytes) }
        #expect(error?.code == .corrupt)
    }

    @Test("unknown page types and encodings survive as raw values")
    func unknownEnumValuesSurvive() throws {
        var header = PageHeader(
            type: .dataPage, uncompressedPageSize: 1, compressedPageSize: 1,
            dataPageHeader: DataPageHeader(
                numValues: 1, encodingValue: 77, definitionLevelEncodingValue: 3, repetitionLevelEncodingValue: 3))
        header.typeValue = 42
        let (decoded, _) = try decodeCompact(PageHeader.self, encodeCompact(header))
        #expect(decoded.type == nil)
        #expect(decoded.typeValue == 42)
        #expect(decoded.dataPageHeader?.encoding == nil)
        #expect(decoded.dataPageHeader?.encodingValue == 77)

        var column = MetadataSamples.columnMetaData
        column.codecValue = 99
        column.encodingValues = [0, 55]
        let (decodedColumn, _) = try decodeCompact(ColumnMetaData.self, encodeCompact(column))
        #expect(decodedColumn.codec == nil)
        #expect(decodedColumn.codecValue == 99)
        #expect(decodedColumn.encodings == [.plain])
        #expect(decodedColumn.encodingValues == [0, 55])
    }

    @Test("an unknown physical type in the schema is unsupported")
    func unknownPhysicalType() {
        // 1: i32 = 8, 4: "x", stop
        let bytes: [UInt8] = [0x15, 0x10, 0x38, 0x01, 0x78, 0x00]
        let error = #expect(throws: ParquetError.self) { try decodeCompact(SchemaElement.self, bytes) }
        #expect(error?.code == .unsupported)
    }

    @Test("a missing required field is corrupt and names the struct and field", arguments: [
        ([UInt8]([0x15, 0x04, 0x15, 0x18, 0x00]), "PageHeader", "compressed_page_size"),
        ([UInt8]([0x00]), "KeyValue", "key"),
        ([UInt8]([0x15, 0x02, 0x00]), "DataPageHeader", "encoding"),
        ([UInt8]([0x18, 0x01, 0x61, 0x00]), "FileMetaData", "version"),
    ])
    func missingRequiredField(bytes: [UInt8], structName: String, field: String) {
        let error = #expect(throws: ParquetError.self) {
            switch structName {
            case "PageHeader": _ = try decodeCompact(PageHeader.self, bytes)
            case "KeyValue": _ = try decodeCompact(KeyValue.self, bytes)
            case "DataPageHeader": _ = try decodeCompact(DataPageHeader.self, bytes)
            default: _ = try decodeCompact(FileMetaData.self, bytes)
            }
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains(structName) == true)
        #expect(error?.message.contains(field) == true)
    }

    @Test("unknown fields in a metadata struct are skipped")
    func unknownFieldsSkipped() throws {
        // DictionaryPageHeader { 1: 2, 20: list<string>["a"], 2: 0 (long form), 30: map{}, stop }
        let bytes: [UInt8] = [
            0x15, 0x04,
            0x09, 0x28, 0x18, 0x01, 0x61,
            0x05, 0x04, 0x00,
            0x0B, 0x3C, 0x00,
            0x00,
        ]
        let (header, length) = try decodeCompact(DictionaryPageHeader.self, bytes)
        #expect(header == DictionaryPageHeader(numValues: 2, encoding: .plain))
        #expect(length == bytes.count)
    }

    @Test("a known field with an unexpected wire type is skipped, not misread")
    func wrongWireTypeSkipped() {
        // KeyValue { 1: i32 = 5 } — key has the wrong type, so it is missing.
        let error = #expect(throws: ParquetError.self) {
            try decodeCompact(KeyValue.self, [0x15, 0x0A, 0x00])
        }
        #expect(error?.message.contains("key") == true)
    }

    @Test("a negative page size is corrupt")
    func negativePageSize() {
        let header = PageHeader(type: .dataPage, uncompressedPageSize: -1, compressedPageSize: 4)
        #expect(throws: ParquetError.self) { try decodeCompact(PageHeader.self, encodeCompact(header)) }
    }

    @Test("an encrypted column chunk is unsupported")
    func encryptedColumnChunk() {
        // ColumnChunk { 2: i64 0, 8: struct {}, stop }
        let error = #expect(throws: ParquetError.self) {
            try decodeCompact(ColumnChunk.self, [0x26, 0x00, 0x6C, 0x00, 0x00])
        }
        #expect(error?.code == .unsupported)
    }

    @Test("a column chunk without meta_data is corrupt")
    func columnChunkWithoutMetaData() {
        let error = #expect(throws: ParquetError.self) { try decodeCompact(ColumnChunk.self, [0x26, 0x00, 0x00]) }
        #expect(error?.message.contains("meta_data") == true)
    }
}
