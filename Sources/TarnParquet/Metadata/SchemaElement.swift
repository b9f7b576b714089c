// SchemaElement: one node of the depth-first flattened Parquet schema.
// Owns its compact-protocol decode/encode. Physical type and repetition are typed
// (an unknown value is `.unsupported`: the column tree cannot be built without them);
// the legacy converted type is kept raw so unknown values survive.

/// One node of the flattened schema (`SchemaElement`). Groups have `numChildren`
/// and no `type`; leaves have a `type` and no `numChildren`.
public struct SchemaElement: CompactCodable {
    public var type: PhysicalType?
    /// Byte width for FIXED_LEN_BYTE_ARRAY.
    public var typeLength: Int32?
    /// Nil only for the root.
    public var repetitionType: FieldRepetitionType?
    public var name: String
    public var numChildren: Int32?
    /// Raw `ConvertedType` value; see `convertedType`.
    public var convertedTypeValue: Int32?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldID: Int32?
    public var logicalType: LogicalType?

    /// The converted type, or nil when absent or a value this version does not know.
    public var convertedType: ConvertedType? {
        get { convertedTypeValue.flatMap(ConvertedType.init(rawValue:)) }
        set { convertedTypeValue = newValue?.rawValue }
    }

    public init(
        name: String, type: PhysicalType? = nil, typeLength: Int32? = nil,
        repetitionType: FieldRepetitionType? = nil, numChildren: Int32? = nil,
        convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
        fieldID: Int32? = nil, logicalType: LogicalType? = nil
    ) {
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.numChildren = numChildren
        self.convertedTypeValue = convertedType?.rawValue
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var name: String?
        self.init(name: "")
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32):
                let raw = try reader.readI32()
                guard let known = PhysicalType(rawValue: raw) else {
                    throw ParquetError.unsupported("SchemaElement.type: unknown physical type \(raw)")
                }
                type = known
            case (2, .i32): typeLength = try reader.readI32()
            case (3, .i32):
                let raw = try reader.readI32()
                guard let known = FieldRepetitionType(rawValue: raw) else {
                    throw ParquetError.unsupported("SchemaElement.repetition_type: unknown repetition \(raw)")
                }
                repetitionType = known
            case (4, .binary): name = try reader.readString()
            case (5, .i32): numChildren = try reader.readI32()
            case (6, .i32): convertedTypeValue = try reader.readI32()
            case (7, .i32): scale = try reader.readI32()
            case (8, .i32): precision = try reader.readI32()
            case (9, .i32): fieldID = try reader.readI32()
            case (10, .struct): logicalType = try LogicalType(from: &reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let name else { throw reader.missing("SchemaElement", "name") }
        self.name = name
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        if let type { writer.writeField(1, i32: type.rawValue) }
        if let typeLength { writer.writeField(2, i32: typeLength) }
        if let repetitionType { writer.writeField(3, i32: repetitionType.rawValue) }
        writer.writeField(4, string: name)
        if let numChildren { writer.writeField(5, i32: numChildren) }
        if let convertedTypeValue { writer.writeField(6, i32: convertedTypeValue) }
        if let scale { writer.writeField(7, i32: scale) }
        if let precision { writer.writeField(8, i32: precision) }
        if let fieldID { writer.writeField(9, i32: fieldID) }
        if let logicalType { writer.writeField(10, struct: logicalType) }
        writer.endStruct(saved)
    }
}
