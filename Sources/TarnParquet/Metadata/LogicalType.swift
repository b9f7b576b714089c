// LogicalType and TimeUnit: the parquet.thrift unions that annotate schema elements.
// Own their compact-protocol decode/encode. A union member Tarn does not know
// becomes `.other(fieldID)` instead of failing the file; it must never be guessed.

/// Unit of a TIME or TIMESTAMP logical type (`TimeUnit` union).
public enum TimeUnit: Sendable, Equatable, CaseIterable {
    case millis
    case micros
    case nanos

    var fieldID: Int16 {
        switch self {
        case .millis: return 1
        case .micros: return 2
        case .nanos: return 3
        }
    }

    /// Reads the union; nil for a member this version does not know.
    static func decode(from reader: inout CompactReader) throws(ParquetError) -> TimeUnit? {
        var unit: TimeUnit?
        var members = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            members += 1
            switch (field.id, field.type) {
            case (1, .struct): unit = .millis
            case (2, .struct): unit = .micros
            case (3, .struct): unit = .nanos
            default: break
            }
            try reader.skip(field.type)
        }
        reader.endStruct(saved)
        if members != 1 {
            throw reader.corrupt("TimeUnit union has \(members) members, expected 1")
        }
        return unit
    }

    func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        writer.writeEmptyStructField(fieldID)
        writer.endStruct(saved)
    }
}

/// The logical type annotation of a schema element (`LogicalType` union).
public enum LogicalType: CompactCodable, Hashable {
    case string
    case map
    case list
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// `bitWidth` is 8, 16, 32 or 64.
    case integer(bitWidth: Int8, isSigned: Bool)
    /// `UNKNOWN` in parquet.thrift: a column whose values are all null.
    case null
    case json
    case bson
    case uuid
    case float16
    /// A union member this version does not know (VARIANT, GEOMETRY, a future
    /// type), or a TIME/TIMESTAMP with an unknown unit: the id of the member.
    /// Encoding writes it back as an empty struct, so its payload is not kept.
    case other(fieldID: Int16)

    /// The union member id in parquet.thrift.
    public var fieldID: Int16 {
        switch self {
        case .string: return 1
        case .map: return 2
        case .list: return 3
        case .enumeration: return 4
        case .decimal: return 5
        case .date: return 6
        case .time: return 7
        case .timestamp: return 8
        case .integer: return 10
        case .null: return 11
        case .json: return 12
        case .bson: return 13
        case .uuid: return 14
        case .float16: return 15
        case .other(let fieldID): return fieldID
        }
    }

    public init(from reader: inout CompactReader) throws(ParquetError) {
        var result: LogicalType?
        var members = 0
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            members += 1
            guard field.type == .struct else {
                try reader.skip(field.type)
                result = .other(fieldID: field.id)
                continue
            }
            switch field.id {
            case 1: result = .string; try reader.skip(.struct)
            case 2: result = .map; try reader.skip(.struct)
            case 3: result = .list; try reader.skip(.struct)
            case 4: result = .enumeration; try reader.skip(.struct)
            case 5: result = try Self.decodeDecimal(from: &reader)
            case 6: result = .date; try reader.skip(.struct)
            case 7:
                let (utc, unit) = try Self.decodeTime(from: &reader, "TimeType")
                result = unit.map { .time(isAdjustedToUTC: utc, unit: $0) } ?? .other(fieldID: 7)
            case 8:
                let (utc, unit) = try Self.decodeTime(from: &reader, "TimestampType")
                result = unit.map { .timestamp(isAdjustedToUTC: utc, unit: $0) } ?? .other(fieldID: 8)
            case 10: result = try Self.decodeInteger(from: &reader)
            case 11: result = .null; try reader.skip(.struct)
            case 12: result = .json; try reader.skip(.struct)
            case 13: result = .bson; try reader.skip(.struct)
            case 14: result = .uuid; try reader.skip(.struct)
            case 15: result = .float16; try reader.skip(.struct)
            default: result = .other(fieldID: field.id); try reader.skip(.struct)
            }
        }
        reader.endStruct(saved)
        guard members == 1, let result else {
            throw reader.corrupt("LogicalType union has \(members) members, expected 1")
        }
        self = result
    }

    private static func decodeDecimal(from reader: inout CompactReader) throws(ParquetError) -> LogicalType {
        var scale: Int32?
        var precision: Int32?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): scale = try reader.readI32()
            case (2, .i32): precision = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let scale else { throw reader.missing("DecimalType", "scale") }
        guard let precision else { throw reader.missing("DecimalType", "precision") }
        return .decimal(scale: scale, precision: precision)
    }

    private static func decodeTime(
        from reader: inout CompactReader, _ name: String
    ) throws(ParquetError) -> (Bool, TimeUnit?) {
        var utc: Bool?
        var unit: TimeUnit??
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .bool): utc = try reader.readBool()
            case (2, .struct): unit = .some(try TimeUnit.decode(from: &reader))
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let utc else { throw reader.missing(name, "isAdjustedToUTC") }
        guard let unit else { throw reader.missing(name, "unit") }
        return (utc, unit)
    }

    private static func decodeInteger(from reader: inout CompactReader) throws(ParquetError) -> LogicalType {
        var bitWidth: Int8?
        var signed: Bool?
        let saved = try reader.beginStruct()
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i8): bitWidth = try reader.readI8()
            case (2, .bool): signed = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct(saved)
        guard let bitWidth else { throw reader.missing("IntType", "bitWidth") }
        guard let signed else { throw reader.missing("IntType", "isSigned") }
        return .integer(bitWidth: bitWidth, isSigned: signed)
    }

    public func encode(to writer: inout CompactWriter) {
        let saved = writer.beginStruct()
        switch self {
        case .decimal(let scale, let precision):
            writer.writeFieldHeader(fieldID, .struct)
            let inner = writer.beginStruct()
            writer.writeField(1, i32: scale)
            writer.writeField(2, i32: precision)
            writer.endStruct(inner)
        case .time(let utc, let unit), .timestamp(let utc, let unit):
            writer.writeFieldHeader(fieldID, .struct)
            let inner = writer.beginStruct()
            writer.writeBoolField(1, utc)
            writer.writeFieldHeader(2, .struct)
            unit.encode(to: &writer)
            writer.endStruct(inner)
        case .integer(let bitWidth, let signed):
            writer.writeFieldHeader(fieldID, .struct)
            let inner = writer.beginStruct()
            writer.writeField(1, i8: bitWidth)
            writer.writeBoolField(2, signed)
            writer.endStruct(inner)
        default:
            writer.writeEmptyStructField(fieldID)
        }
        writer.endStruct(saved)
    }
}
