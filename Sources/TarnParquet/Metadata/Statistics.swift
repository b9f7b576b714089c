// Statistics, SizeStatistics, KeyValue and SortingColumn of parquet.thrift: small structs shared by
// column chunks, pages and row groups. Own their compact-protocol decode and encode;
// must never interpret min/max bytes (that needs the column's type and order).

/// Min/max/null statistics of a column chunk or page (`Statistics`).
/// All fields are optional; `min`/`max` are the deprecated signed-order fields,
/// `minValue`/`maxValue` the ones ordered by the file's `ColumnOrder`. Values are
/// PLAIN-encoded without a length prefix for byte arrays.
public struct Statistics: CompactCodable {
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?
    public var isMaxValueExact: Bool?
    public var isMinValueExact: Bool?
    public var nanCount: Int64?

    public init(
        max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
        maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil,
        isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil, nanCount: Int64? = nil
    ) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        // Decoded into locals and moved into place once: this runs for every page
        // header that carries statistics.
        var max: [UInt8]?
        var min: [UInt8]?
        var nullCount: Int64?
        var distinctCount: Int64?
        var maxValue: [UInt8]?
        var minValue: [UInt8]?
        var isMaxValueExact: Bool?
        var isMinValueExact: Bool?
        var nanCount: Int64?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): max = try reader.readBinary()
            case (2, .binary): min = try reader.readBinary()
            case (3, .i64): nullCount = try reader.readI64()
            case (4, .i64): distinctCount = try reader.readI64()
            case (5, .binary): maxValue = try reader.readBinary()
            case (6, .binary): minValue = try reader.readBinary()
            case (7, .bool): isMaxValueExact = try reader.readBool()
            case (8, .bool): isMinValueExact = try reader.readBool()
            case (9, .i64): nanCount = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        if let max { writer.writeField(1, binary: max) }
        if let min { writer.writeField(2, binary: min) }
        if let nullCount { writer.writeField(3, i64: nullCount) }
        if let distinctCount { writer.writeField(4, i64: distinctCount) }
        if let maxValue { writer.writeField(5, binary: maxValue) }
        if let minValue { writer.writeField(6, binary: minValue) }
        if let isMaxValueExact { writer.writeBoolField(7, isMaxValueExact) }
        if let isMinValueExact { writer.writeBoolField(8, isMinValueExact) }
        if let nanCount { writer.writeField(9, i64: nanCount) }
        writer.endStruct(saved)
    }
}

/// A key/value pair of file or column metadata (`KeyValue`).
public struct KeyValue: CompactCodable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var key: String?
        var value: String?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .binary): key = try reader.readString()
            case (2, .binary): value = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let key else { throw reader.missing("KeyValue", "key") }
        self.init(key: key, value: value)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, string: key)
        if let value { writer.writeField(2, string: value) }
        writer.endStruct(saved)
    }
}

/// Sort order of one leaf column within a row group (`SortingColumn`).
public struct SortingColumn: CompactCodable {
    /// Index of the leaf column in the row group.
    public var columnIndex: Int32
    public var descending: Bool
    public var nullsFirst: Bool

    public init(columnIndex: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIndex = columnIndex
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var columnIndex: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): columnIndex = try reader.readI32()
            case (2, .bool): descending = try reader.readBool()
            case (3, .bool): nullsFirst = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let columnIndex else { throw reader.missing("SortingColumn", "column_idx") }
        guard let descending else { throw reader.missing("SortingColumn", "descending") }
        guard let nullsFirst else { throw reader.missing("SortingColumn", "nulls_first") }
        self.init(columnIndex: columnIndex, descending: descending, nullsFirst: nullsFirst)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: columnIndex)
        writer.writeBoolField(2, descending)
        writer.writeBoolField(3, nullsFirst)
        writer.endStruct(saved)
    }
}

/// Sizes that help a reader estimate memory before decoding (`SizeStatistics`).
public struct SizeStatistics: CompactCodable {
    /// BYTE_ARRAY columns only: bytes of the values without their length prefixes.
    public var unencodedByteArrayDataBytes: Int64?
    /// Count of each repetition level 0...max.
    public var repetitionLevelHistogram: [Int64]?
    /// Count of each definition level 0...max.
    public var definitionLevelHistogram: [Int64]?

    public init(
        unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
        definitionLevelHistogram: [Int64]? = nil
    ) {
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        self.repetitionLevelHistogram = repetitionLevelHistogram
        self.definitionLevelHistogram = definitionLevelHistogram
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        self.init()
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i64): unencodedByteArrayDataBytes = try reader.readI64()
            case (2, .list): repetitionLevelHistogram = try reader.readI64List("SizeStatistics.repetition_level_histogram")
            case (3, .list): definitionLevelHistogram = try reader.readI64List("SizeStatistics.definition_level_histogram")
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        if let unencodedByteArrayDataBytes { writer.writeField(1, i64: unencodedByteArrayDataBytes) }
        if let repetitionLevelHistogram { writer.writeField(2, i64s: repetitionLevelHistogram) }
        if let definitionLevelHistogram { writer.writeField(3, i64s: definitionLevelHistogram) }
        writer.endStruct(saved)
    }
}
