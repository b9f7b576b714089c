// DataType: the logical types Tarn columns hold (Arrow-like).
// Owns the type tree and how each type maps to its in-memory storage; must never
// know about any file format (Parquet and Delta map to it in their own layers).

/// Whether a timestamp is an instant (UTC) or a wall-clock time without zone (NTZ).
/// Both are stored as microseconds since 1970-01-01T00:00:00.
public enum TimestampZone: String, Sendable, Hashable {
    case utc
    case ntz
}

/// A logical column type.
public indirect enum DataType: Sendable, Hashable, CustomStringConvertible {
    case boolean
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float32, float64
    /// UTF-8 text.
    case string
    case binary
    /// Days since 1970-01-01, stored as Int32.
    case date32
    /// Microseconds since 1970-01-01, stored as Int64.
    case timestamp(TimestampZone)
    /// Fixed-point decimal; unscaled values stored as Int128. Precision 1...38.
    case decimal(precision: Int, scale: Int)
    /// Variable-length list; the element field names the child (Parquet calls it "element").
    case list(Field)
    case structure([Field])
    /// Map from non-null keys to values, stored as a list of (key, value) entries.
    case map(key: Field, value: Field)

    public var isNested: Bool {
        switch self {
        case .list, .structure, .map: return true
        default: return false
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64, .decimal:
            return true
        default:
            return false
        }
    }

    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return true
        default: return false
        }
    }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Spark/Delta-style type names: `long`, `string`, `array<float>`, `struct<a:int>`.
    public var description: String {
        switch self {
        case .boolean: return "boolean"
        case .int8: return "byte"
        case .int16: return "short"
        case .int32: return "int"
        case .int64: return "long"
        case .uint8: return "ubyte"
        case .uint16: return "ushort"
        case .uint32: return "uint"
        case .uint64: return "ulong"
        case .float32: return "float"
        case .float64: return "double"
        case .string: return "string"
        case .binary: return "binary"
        case .date32: return "date"
        case .timestamp(.utc): return "timestamp"
        case .timestamp(.ntz): return "timestamp_ntz"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case let .list(element): return "array<\(element.type)>"
        case let .structure(fields):
            return "struct<" + fields.map { "\($0.name):\($0.type)" }.joined(separator: ",") + ">"
        case let .map(key, value): return "map<\(key.type),\(value.type)>"
        }
    }
}

/// A named, typed slot of a schema or of a nested type.
public struct Field: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    /// Free-form metadata (Delta column metadata, comments, Parquet field ids).
    public var metadata: [String: String]

    public init(_ name: String, _ type: DataType, nullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }

    public var description: String {
        "\(name): \(type)\(nullable ? "" : " not null")"
    }
}

/// An ordered list of fields with table-level metadata.
public struct Schema: Sendable, Hashable, CustomStringConvertible {
    public var fields: [Field]
    public var metadata: [String: String]

    public init(_ fields: [Field], metadata: [String: String] = [:]) {
        self.fields = fields
        self.metadata = metadata
    }

    public var count: Int { fields.count }
    public var names: [String] { fields.map(\.name) }

    /// Index of the first field named `name` (exact match), or nil.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// Index of the field named `name`, matching case-insensitively when no exact match exists.
    public func lookup(_ name: String) -> Int? {
        if let exact = index(of: name) { return exact }
        let lowered = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == lowered }
    }

    public func field(named name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }

    /// The schema of the fields at `indices`, in that order.
    public func project(_ indices: [Int]) -> Schema {
        Schema(indices.map { fields[$0] }, metadata: metadata)
    }

    public var description: String {
        fields.map(\.description).joined(separator: ", ")
    }
}
