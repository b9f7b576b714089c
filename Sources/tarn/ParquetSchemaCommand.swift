// `tarn parquet schema FILE`: the file's columns as Tarn types, and with --parquet the
// raw Parquet schema (message form with physical types and annotations).
import ArgumentParser
import TarnColumnar
import TarnParquet
import TarnTables

struct ParquetSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema of a Parquet file.",
        discussion: "Columns are shown with Tarn's types (Spark/Delta names); --parquet shows the Parquet message schema."
    )

    @Argument(help: "The Parquet file.")
    var file: String

    @Flag(name: .long, help: "Show the Parquet message schema (physical types, repetition, annotations).")
    var parquet = false

    func run() throws {
        try reportingErrors {
            let reader = try ParquetFileReader(input: try StoreParquetInput(localFile: file), name: file)
            if parquet {
                writeOut(ParquetSchemaText.message(reader.metadata.schema))
            } else {
                var out = ""
                for field in reader.schema.fields { ParquetSchemaText.appendField(field, indent: 0, into: &out) }
                writeOut(out)
            }
        }
    }
}

enum ParquetSchemaText {
    static func appendField(_ field: Field, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        out += "\(pad)\(field.name): \(typeName(field.type))\(field.nullable ? "" : " not null")\n"
        switch field.type {
        case let .structure(children):
            for child in children { appendField(child, indent: indent + 1, into: &out) }
        case let .list(element) where element.type.isNested:
            appendField(element, indent: indent + 1, into: &out)
        case let .map(key, value) where value.type.isNested:
            appendField(key, indent: indent + 1, into: &out)
            appendField(value, indent: indent + 1, into: &out)
        default:
            break
        }
    }

    static func typeName(_ type: DataType) -> String {
        switch type {
        case .structure: return "struct"
        case let .list(element) where element.type.isNested: return "array"
        case let .map(key, value) where value.type.isNested: return "map<\(key.type), …>"
        default: return type.description
        }
    }

    /// The schema in Parquet's message notation, e.g. `optional int64 a (INTEGER(64,true));`.
    static func message(_ elements: [SchemaElement]) -> String {
        var out = ""
        var index = 0
        func emit(depth: Int) {
            guard index < elements.count else { return }
            let element = elements[index]
            index += 1
            let pad = String(repeating: "  ", count: depth)
            let repetition = element.repetitionType.map { "\($0)" } ?? (depth == 0 ? "message" : "required")
            let annotation = annotationText(element)
            if let children = element.numChildren, children > 0 || element.type == nil {
                out += depth == 0 ? "message \(element.name) {\n" : "\(pad)\(repetition) group \(element.name)\(annotation) {\n"
                for _ in 0..<max(0, Int(children)) { emit(depth: depth + 1) }
                out += depth == 0 ? "}\n" : "\(pad)}\n"
            } else {
                var physical = element.type.map(physicalName) ?? "?"
                if element.type == .fixedLenByteArray, let length = element.typeLength { physical += "(\(length))" }
                out += "\(pad)\(repetition) \(physical) \(element.name)\(annotation);\n"
            }
        }
        emit(depth: 0)
        return out
    }

    static func physicalName(_ type: PhysicalType) -> String {
        switch type {
        case .boolean: return "boolean"
        case .int32: return "int32"
        case .int64: return "int64"
        case .int96: return "int96"
        case .float: return "float"
        case .double: return "double"
        case .byteArray: return "binary"
        case .fixedLenByteArray: return "fixed_len_byte_array"
        }
    }

    static func annotationText(_ element: SchemaElement) -> String {
        var parts: [String] = []
        if let logical = element.logicalType { parts.append(logicalName(logical)) } else if let converted = element.convertedType {
            parts.append("\(converted)".uppercased())
        }
        if let id = element.fieldID { parts.append("field_id=\(id)") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func logicalName(_ logical: LogicalType) -> String {
        switch logical {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enumeration: return "ENUM"
        case let .decimal(scale, precision): return "DECIMAL(\(precision),\(scale))"
        case .date: return "DATE"
        case let .time(utc, unit): return "TIME(\(unit),\(utc ? "UTC" : "local"))"
        case let .timestamp(utc, unit): return "TIMESTAMP(\(unit),\(utc ? "UTC" : "local"))"
        case let .integer(bits, signed): return "INTEGER(\(bits),\(signed))"
        case .null: return "NULL"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case let .other(id): return "LOGICAL(\(id))"
        default: return "\(logical)"
        }
    }
}
