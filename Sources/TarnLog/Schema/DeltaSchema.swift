// DeltaSchema: Delta's schema JSON (Spark's StructType serialization) <-> TarnColumnar Schema.
// Owns type names, nesting (struct/array/map, containsNull/valueContainsNull) and column
// metadata; must never accept a type it cannot represent (errors name the column).
import TarnColumnar

public enum DeltaSchema {
    /// Metadata keys whose values Delta writes as JSON numbers or booleans; Tarn keeps
    /// every metadata value as text in `Field.metadata` and writes these back typed.
    static let numericMetadataKeys: Set<String> = [
        "delta.columnMapping.id", "delta.identity.start", "delta.identity.step",
        "delta.identity.highWaterMark", "parquet.field.id",
    ]
    static let booleanMetadataKeys: Set<String> = ["delta.identity.allowExplicitInsert"]

    /// Parses a `schemaString` into a schema.
    /// - Throws: `LogError.corrupt` (path `metaData.schemaString`) naming the bad column.
    public static func parse(_ schemaString: String) throws(LogError) -> Schema {
        let json: JSONValue
        do {
            json = try JSONParser.parse(schemaString)
        } catch {
            throw LogError.corrupt(path: "metaData.schemaString", version: nil, line: nil, detail: error.description)
        }
        guard json["type"]?.stringValue == "struct", let fields = json["fields"]?.elements else {
            throw LogError.corrupt(path: "metaData.schemaString", version: nil, line: nil, detail: "the schema is not a struct type")
        }
        var out: [Field] = []
        out.reserveCapacity(fields.count)
        for f in fields { out.append(try parseField(f, parentPath: "")) }
        return Schema(out)
    }

    static func schemaError(_ column: String, _ detail: String) -> LogError {
        .corrupt(path: "metaData.schemaString", version: nil, line: nil, detail: "column '\(column)': \(detail)")
    }

    static func parseField(_ json: JSONValue, parentPath: String) throws(LogError) -> Field {
        guard let name = json["name"]?.stringValue else { throw schemaError(parentPath, "a field has no name") }
        let path = parentPath.isEmpty ? name : parentPath + "." + name
        guard let typeJSON = json["type"] else { throw schemaError(path, "no type") }
        let type = try parseType(typeJSON, path: path)
        let nullable = json["nullable"]?.boolValue ?? true
        var metadata: [String: String] = [:]
        for m in json["metadata"]?.members ?? [] {
            switch m.value {
            case let .string(s): metadata[m.key] = s
            case .null: continue
            default: metadata[m.key] = JSONWriter.string(m.value)
            }
        }
        return Field(name, type, nullable: nullable, metadata: metadata)
    }

    static func parseType(_ json: JSONValue, path: String) throws(LogError) -> DataType {
        if let name = json.stringValue { return try primitive(name, path: path) }
        guard let kind = json["type"]?.stringValue else { throw schemaError(path, "type is neither a name nor an object") }
        switch kind {
        case "struct":
            guard let fields = json["fields"]?.elements else { throw schemaError(path, "struct without fields") }
            var out: [Field] = []
            for f in fields { out.append(try parseField(f, parentPath: path)) }
            return .structure(out)
        case "array":
            guard let element = json["elementType"] else { throw schemaError(path, "array without elementType") }
            let containsNull = json["containsNull"]?.boolValue ?? true
            return .list(Field("element", try parseType(element, path: path + ".element"), nullable: containsNull))
        case "map":
            guard let key = json["keyType"], let value = json["valueType"] else { throw schemaError(path, "map without keyType/valueType") }
            let valueContainsNull = json["valueContainsNull"]?.boolValue ?? true
            return .map(key: Field("key", try parseType(key, path: path + ".key"), nullable: false),
                        value: Field("value", try parseType(value, path: path + ".value"), nullable: valueContainsNull))
        default:
            throw schemaError(path, "unsupported type '\(kind)'")
        }
    }

    static func primitive(_ name: String, path: String) throws(LogError) -> DataType {
        switch name {
        case "string": return .string
        case "long": return .int64
        case "integer": return .int32
        case "short": return .int16
        case "byte": return .int8
        case "float": return .float32
        case "double": return .float64
        case "boolean": return .boolean
        case "binary": return .binary
        case "date": return .date32
        case "timestamp": return .timestamp(.utc)
        case "timestamp_ntz": return .timestamp(.ntz)
        default:
            if name.hasPrefix("decimal") {
                if name == "decimal" { return .decimal(precision: 10, scale: 0) }
                let inner = name.dropFirst("decimal(".count).dropLast()
                let parts = inner.split(separator: ",").map { $0.trimmingSpaces() }
                if name.hasPrefix("decimal("), name.hasSuffix(")"), parts.count == 2,
                   let p = Int(parts[0]), let s = Int(parts[1]), (1...38).contains(p), (0...p).contains(s) {
                    return .decimal(precision: p, scale: s)
                }
                throw schemaError(path, "invalid decimal type '\(name)'")
            }
            if name == "variant" {
                throw LogError.unsupportedFeature(name: "variantType", side: .reader, tablePath: "", detail: "column '\(path)' has type variant")
            }
            throw schemaError(path, "unsupported type '\(name)'")
        }
    }

    /// Delta's schema JSON of `schema`.
    /// - Throws: `LogError.invalidArgument` for a type Delta cannot hold (unsigned integers).
    public static func json(_ schema: Schema) throws(LogError) -> JSONValue {
        var fields: [JSONValue] = []
        for f in schema.fields { fields.append(try fieldJSON(f, parentPath: "")) }
        return .object([JSONMember("type", .string("struct")), JSONMember("fields", .array(fields))])
    }

    /// Delta's schema JSON of `schema` as a string (for `metaData.schemaString`).
    public static func jsonString(_ schema: Schema) throws(LogError) -> String {
        JSONWriter.string(try json(schema))
    }

    static func fieldJSON(_ field: Field, parentPath: String) throws(LogError) -> JSONValue {
        let path = parentPath.isEmpty ? field.name : parentPath + "." + field.name
        var metadata: [JSONMember] = []
        for (key, value) in field.metadata.sorted(by: { $0.key < $1.key }) {
            if numericMetadataKeys.contains(key), let i = Int64(value) {
                metadata.append(JSONMember(key, .int(i)))
            } else if booleanMetadataKeys.contains(key), let b = Bool(value) {
                metadata.append(JSONMember(key, .bool(b)))
            } else {
                metadata.append(JSONMember(key, .string(value)))
            }
        }
        return .object([
            JSONMember("name", .string(field.name)),
            JSONMember("type", try typeJSON(field.type, path: path)),
            JSONMember("nullable", .bool(field.nullable)),
            JSONMember("metadata", .object(metadata)),
        ])
    }

    static func typeJSON(_ type: DataType, path: String) throws(LogError) -> JSONValue {
        switch type {
        case .boolean: return .string("boolean")
        case .int8: return .string("byte")
        case .int16: return .string("short")
        case .int32: return .string("integer")
        case .int64: return .string("long")
        case .float32: return .string("float")
        case .float64: return .string("double")
        case .string: return .string("string")
        case .binary: return .string("binary")
        case .date32: return .string("date")
        case .timestamp(.utc): return .string("timestamp")
        case .timestamp(.ntz): return .string("timestamp_ntz")
        case let .decimal(p, s): return .string("decimal(\(p),\(s))")
        case .uint8, .uint16, .uint32, .uint64:
            throw LogError.invalidArgument("column '\(path)' has unsigned type \(type), which Delta tables cannot hold; cast it to a signed type")
        case let .list(element):
            return .object([
                JSONMember("type", .string("array")),
                JSONMember("elementType", try typeJSON(element.type, path: path + ".element")),
                JSONMember("containsNull", .bool(element.nullable)),
            ])
        case let .structure(fields):
            var out: [JSONValue] = []
            for f in fields { out.append(try fieldJSON(f, parentPath: path)) }
            return .object([JSONMember("type", .string("struct")), JSONMember("fields", .array(out))])
        case let .map(key, value):
            return .object([
                JSONMember("type", .string("map")),
                JSONMember("keyType", try typeJSON(key.type, path: path + ".key")),
                JSONMember("valueType", try typeJSON(value.type, path: path + ".value")),
                JSONMember("valueContainsNull", .bool(value.nullable)),
            ])
        }
    }

    /// Whether any column (at any depth) is `timestamp_ntz`.
    public static func containsTimestampNtz(_ schema: Schema) -> Bool {
        func walk(_ t: DataType) -> Bool {
            switch t {
            case .timestamp(.ntz): return true
            case let .list(e): return walk(e.type)
            case let .structure(fs): return fs.contains { walk($0.type) }
            case let .map(k, v): return walk(k.type) || walk(v.type)
            default: return false
            }
        }
        return schema.fields.contains { walk($0.type) }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
