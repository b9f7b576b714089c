// FileMetaData and ColumnOrder: the root of a Parquet footer.
// Own their compact-protocol decode/encode. Files with encryption metadata are
// refused as `.unsupported`; the footer envelope (magic, length) is Footer.swift's.

/// The order that `Statistics.minValue`/`maxValue` follow for a leaf column
/// (`ColumnOrder` union).
public enum ColumnOrder: CompactCodable, Hashable {
    /// Order defined by the logical type, or the physical type without one.
    case typeDefinedOrder
    /// IEEE 754 totalOrder for floating point.
    case ieee754TotalOrder
    /// Chronological order of INT96 timestamps.
    case int96TimestampOrder
    /// A member this version does not know: min/max must then be ignored.
    case other(fieldID: Int16)

    public var fieldID: Int16 {
        switch self {
        case .typeDefinedOrder: return 1
        case .ieee754TotalOrder: return 2
        case .int96TimestampOrder: return 3
        case .other(let fieldID): return fieldID
        }
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var result: ColumnOrder?
        var members = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            members += 1
            switch (field.id, field.type) {
            case (1, .struct): result = .typeDefinedOrder
            case (2, .struct): result = .ieee754TotalOrder
            case (3, .struct): result = .int96TimestampOrder
            default: result = .other(fieldID: field.id)
            }
            try reader.skip(field.type)
        }
        reader.endStruct(saved)
        guard members == 1, let result else {
            throw reader.corrupt("ColumnOrder union has \(members) members, expected 1")
        }
        self = result
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeEmptyStructField(fieldID)
        writer.endStruct(saved)
    }
}

/// The file metadata stored in the footer (`FileMetaData`).
public struct FileMetaData: CompactCodable {
    /// 1 or 2; readers treat them alike.
    public var version: Int32
    /// Depth-first flattened schema; element 0 is the root.
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroup]
    public var keyValueMetadata: [KeyValue]?
    public var createdBy: String?
    /// One per leaf column, in leaf order, when present.
    public var columnOrders: [ColumnOrder]?

    public init(
        version: Int32 = 1, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        self.init(schema: [], numRows: 0, rowGroups: [])
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): version = try reader.readI32()
            case (2, .list): schema = try reader.readStructList(SchemaElement.self, "FileMetaData.schema")
            case (3, .i64): numRows = try reader.readI64()
            case (4, .list): rowGroups = try reader.readStructList(RowGroup.self, "FileMetaData.row_groups")
            case (5, .list):
                keyValueMetadata = try reader.readStructList(KeyValue.self, "FileMetaData.key_value_metadata")
            case (6, .binary): createdBy = try reader.readString()
            case (7, .list): columnOrders = try reader.readStructList(ColumnOrder.self, "FileMetaData.column_orders")
            case (8, _), (9, _):
                throw ParquetError.unsupported("encrypted Parquet files")
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let version else { throw reader.missing("FileMetaData", "version") }
        guard let schema else { throw reader.missing("FileMetaData", "schema") }
        guard let numRows else { throw reader.missing("FileMetaData", "num_rows") }
        guard let rowGroups else { throw reader.missing("FileMetaData", "row_groups") }
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeField(1, i32: version)
        writer.writeField(2, structs: schema)
        writer.writeField(3, i64: numRows)
        writer.writeField(4, structs: rowGroups)
        if let keyValueMetadata { writer.writeField(5, structs: keyValueMetadata) }
        if let createdBy { writer.writeField(6, string: createdBy) }
        if let columnOrders { writer.writeField(7, structs: columnOrders) }
        writer.endStruct(saved)
    }
}
