// SchemaElementsBuilder: maps a Tarn `Schema` to the depth-first Parquet schema
// (`[SchemaElement]` with num_children) and describes each leaf the writer fills.
// Owns the type mapping of the writer (physical, logical, converted types, levels);
// must never look at data — only at types, nullability and field metadata.

import TarnColumnar

/// How min/max of a leaf's physical values are ordered (parquet's TYPE_DEFINED_ORDER).
enum ValueOrder: Sendable {
    case boolean
    /// Two's complement integers (INT32/INT64).
    case signed
    /// Unsigned integers stored in INT32/INT64 bit patterns.
    case unsigned
    /// IEEE floats: NaN excluded, -0.0 as min and +0.0 as max for zeros.
    case float
    /// Unsigned byte-wise lexicographic (strings, binary).
    case bytes
    /// Big-endian two's complement bytes (FIXED_LEN_BYTE_ARRAY decimals).
    case signedBytes
}

/// One leaf column of the schema as the writer sees it.
struct WriterLeaf: Sendable {
    /// Names from the root's child down to the leaf (parquet's path_in_schema).
    var path: [String]
    /// The Tarn type of the leaf values.
    var dataType: DataType
    var physicalType: PhysicalType
    /// Byte width of FIXED_LEN_BYTE_ARRAY values; 0 for other physical types.
    var typeLength: Int
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    var order: ValueOrder
}

/// Builds the flattened Parquet schema of a Tarn schema.
enum SchemaElementsBuilder {
    /// Metadata key holding a field's Parquet field id.
    static let fieldIDKey = "parquet.field_id"
    /// Deepest nesting the writer accepts: levels are stored as bytes.
    static let maxLevel = 255

    /// The schema elements (root first, then depth-first) and the leaves in column order.
    /// - Throws: `.invalidArgument` for a decimal outside precision 1...38 or scale
    ///   0...precision, a bad field id, or nesting deeper than 255 levels.
    static func build(_ schema: Schema) throws(ParquetError) -> (elements: [SchemaElement], leaves: [WriterLeaf]) {
        var elements = [SchemaElement(name: "schema", numChildren: Int32(schema.count))]
        var leaves: [WriterLeaf] = []
        for field in schema.fields {
            try append(field, path: [], definition: 0, repetition: 0, forceRequired: false,
                       elements: &elements, leaves: &leaves)
        }
        return (elements, leaves)
    }

    /// Smallest byte width whose two's complement range holds every unscaled value of `precision` digits.
    static func decimalByteWidth(precision: Int) -> Int {
        let largest = pow10(precision) - 1
        for width in 1..<16 where largest < (Int128(1) << (8 * width - 1)) {
            return width
        }
        return 16
    }

    private static func fieldID(_ field: Field) throws(ParquetError) -> Int32? {
        guard let text = field.metadata[fieldIDKey] else { return nil }
        guard let id = Int32(text) else {
            throw .invalidArgument("field \(field.name): \(fieldIDKey) '\(text)' is not a 32-bit integer")
        }
        return id
    }

    private static func append(
        _ field: Field, path: [String], definition: Int, repetition: Int, forceRequired: Bool,
        elements: inout [SchemaElement], leaves: inout [WriterLeaf]
    ) throws(ParquetError) {
        let optional = field.nullable && !forceRequired
        let definitionHere = definition + (optional ? 1 : 0)
        let path = path + [field.name]
        guard definitionHere + 1 <= maxLevel, repetition + 1 <= maxLevel else {
            throw .invalidArgument("field \(path.joined(separator: ".")) is nested deeper than \(maxLevel) levels")
        }
        var element = SchemaElement(name: field.name, repetitionType: optional ? .optional : .required,
                                    fieldID: try fieldID(field))
        switch field.type {
        case let .list(elementField):
            element.numChildren = 1
            element.convertedType = .list
            element.logicalType = .list
            elements.append(element)
            elements.append(SchemaElement(name: "list", repetitionType: .repeated, numChildren: 1))
            try append(elementField, path: path + ["list"], definition: definitionHere + 1, repetition: repetition + 1,
                       forceRequired: false, elements: &elements, leaves: &leaves)
        case let .structure(fields):
            guard !fields.isEmpty else {
                throw .invalidArgument("struct field \(path.joined(separator: ".")) has no fields; Parquet groups need at least one")
            }
            element.numChildren = Int32(fields.count)
            elements.append(element)
            for child in fields {
                try append(child, path: path, definition: definitionHere, repetition: repetition,
                           forceRequired: false, elements: &elements, leaves: &leaves)
            }
        case let .map(key, value):
            element.numChildren = 1
            element.convertedType = .map
            element.logicalType = .map
            elements.append(element)
            elements.append(SchemaElement(name: "key_value", repetitionType: .repeated, numChildren: 2))
            try append(key, path: path + ["key_value"], definition: definitionHere + 1, repetition: repetition + 1,
                       forceRequired: true, elements: &elements, leaves: &leaves)
            try append(value, path: path + ["key_value"], definition: definitionHere + 1, repetition: repetition + 1,
                       forceRequired: false, elements: &elements, leaves: &leaves)
        default:
            let (physical, typeLength, order) = try annotateLeaf(&element, field.type, path: path)
            elements.append(element)
            leaves.append(WriterLeaf(
                path: path, dataType: field.type, physicalType: physical, typeLength: typeLength,
                maxDefinitionLevel: definitionHere, maxRepetitionLevel: repetition, order: order))
        }
    }

    /// Sets physical, logical and converted type of a leaf element.
    private static func annotateLeaf(
        _ element: inout SchemaElement, _ type: DataType, path: [String]
    ) throws(ParquetError) -> (PhysicalType, Int, ValueOrder) {
        func integer(_ bits: Int8, signed: Bool, _ converted: ConvertedType?) {
            element.logicalType = .integer(bitWidth: bits, isSigned: signed)
            element.convertedType = converted
        }
        switch type {
        case .boolean:
            element.type = .boolean
            return (.boolean, 0, .boolean)
        case .int8: integer(8, signed: true, .int8)
        case .int16: integer(16, signed: true, .int16)
        case .int32: integer(32, signed: true, .int32)
        case .uint8: integer(8, signed: false, .uint8)
        case .uint16: integer(16, signed: false, .uint16)
        case .uint32: integer(32, signed: false, .uint32)
        case .int64:
            element.type = .int64
            integer(64, signed: true, .int64)
            return (.int64, 0, .signed)
        case .uint64:
            element.type = .int64
            integer(64, signed: false, .uint64)
            return (.int64, 0, .unsigned)
        case .float32:
            element.type = .float
            return (.float, 0, .float)
        case .float64:
            element.type = .double
            return (.double, 0, .float)
        case .string:
            element.type = .byteArray
            element.logicalType = .string
            element.convertedType = .utf8
            return (.byteArray, 0, .bytes)
        case .binary:
            element.type = .byteArray
            return (.byteArray, 0, .bytes)
        case .date32:
            element.type = .int32
            element.logicalType = .date
            element.convertedType = .date
            return (.int32, 0, .signed)
        case .timestamp(.utc):
            element.type = .int64
            element.logicalType = .timestamp(isAdjustedToUTC: true, unit: .micros)
            element.convertedType = .timestampMicros
            return (.int64, 0, .signed)
        case .timestamp(.ntz):
            // The spec forbids TIMESTAMP_MICROS (an instant) on local timestamps.
            element.type = .int64
            element.logicalType = .timestamp(isAdjustedToUTC: false, unit: .micros)
            return (.int64, 0, .signed)
        case let .decimal(precision, scale):
            guard (1...38).contains(precision), (0...precision).contains(scale) else {
                throw .invalidArgument("field \(path.joined(separator: ".")): decimal(\(precision),\(scale)) needs precision 1...38 and scale 0...precision")
            }
            element.logicalType = .decimal(scale: Int32(scale), precision: Int32(precision))
            element.convertedType = .decimal
            element.scale = Int32(scale)
            element.precision = Int32(precision)
            if precision <= 9 {
                element.type = .int32
                return (.int32, 0, .signed)
            }
            if precision <= 18 {
                element.type = .int64
                return (.int64, 0, .signed)
            }
            let width = decimalByteWidth(precision: precision)
            element.type = .fixedLenByteArray
            element.typeLength = Int32(width)
            return (.fixedLenByteArray, width, .signedBytes)
        case .list, .structure, .map:
            throw .invalidArgument("field \(path.joined(separator: ".")): nested type reached the leaf mapping")
        }
        // The 8/16/32-bit integers above share INT32.
        element.type = .int32
        let unsigned = type == .uint8 || type == .uint16 || type == .uint32
        return (.int32, 0, unsigned ? .unsigned : .signed)
    }
}
