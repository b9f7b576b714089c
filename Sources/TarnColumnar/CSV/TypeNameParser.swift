// TypeNameParser: reads type names as `DataType.description` prints them (Spark/Delta
// style: `long`, `decimal(10,2)`, `array<float>`, `struct<a:int,b:string>`,
// `map<string,long>`) plus common SQL aliases, and `name:type,…` column lists for
// `--schema` options. Must never accept a name it cannot map exactly.

extension DataType {
    /// The type a name denotes (case-insensitive; spaces allowed around punctuation).
    /// Throws `.invalidValue` naming the position of the first problem.
    public init(parsing text: String) throws(ColumnarError) {
        var parser = TypeNameParser(text)
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.atEnd else { throw parser.error("unexpected text after the type") }
        self = type
    }
}

extension CSVReadOptions {
    /// Parses `name:type,name:type` (types as `DataType(parsing:)`, commas inside `<>`
    /// or `()` belong to the type) into `columnTypes`.
    public static func parseColumnTypes(_ spec: String) throws(ColumnarError) -> [String: DataType] {
        var parser = TypeNameParser(spec)
        var result: [String: DataType] = [:]
        parser.skipSpaces()
        while !parser.atEnd {
            let name = parser.readName(until: [":"])
            guard !name.isEmpty, parser.consume(":") else { throw parser.error("expected name:type") }
            guard result[name] == nil else { throw parser.error("column '\(name)' is given twice") }
            result[name] = try parser.parseType()
            parser.skipSpaces()
            if parser.atEnd { break }
            guard parser.consume(",") else { throw parser.error("expected ',' between columns") }
            parser.skipSpaces()
        }
        return result
    }
}

struct TypeNameParser {
    let characters: [Character]
    let text: String
    var position = 0

    init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    var atEnd: Bool { position >= characters.count }

    func error(_ message: String) -> ColumnarError {
        .invalidValue("\(message) at position \(position + 1) of type '\(text)'")
    }

    mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    mutating func consume(_ c: Character) -> Bool {
        skipSpaces()
        guard position < characters.count, characters[position] == c else { return false }
        position += 1
        return true
    }

    /// Characters up to (not including) one of `stops`, trimmed.
    mutating func readName(until stops: Set<Character>) -> String {
        skipSpaces()
        var name = ""
        while position < characters.count, !stops.contains(characters[position]) {
            name.append(characters[position])
            position += 1
        }
        while name.last?.isWhitespace == true { name.removeLast() }
        return name
    }

    mutating func readWord() -> String {
        skipSpaces()
        var word = ""
        while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" {
            word.append(characters[position])
            position += 1
        }
        return word.lowercased()
    }

    mutating func readInt() throws(ColumnarError) -> Int {
        skipSpaces()
        var digits = ""
        while position < characters.count, let d = characters[position].wholeNumberValue, characters[position].isASCII {
            digits.append(Character(String(d)))
            position += 1
        }
        guard !digits.isEmpty, digits.count <= 3, let value = Int(digits) else { throw error("expected a number") }
        return value
    }

    mutating func parseType() throws(ColumnarError) -> DataType {
        let start = position
        let word = readWord()
        switch word {
        case "boolean", "bool": return .boolean
        case "byte", "tinyint", "int8": return .int8
        case "short", "smallint", "int16": return .int16
        case "int", "integer", "int32": return .int32
        case "long", "bigint", "int64": return .int64
        case "ubyte", "uint8": return .uint8
        case "ushort", "uint16": return .uint16
        case "uint", "uint32": return .uint32
        case "ulong", "uint64": return .uint64
        case "float", "real", "float32": return .float32
        case "double", "float64": return .float64
        case "string", "varchar", "text", "utf8": return .string
        case "binary", "bytes", "blob": return .binary
        case "date", "date32": return .date32
        case "timestamp", "timestamptz": return .timestamp(.utc)
        case "timestamp_ntz": return .timestamp(.ntz)
        case "decimal", "numeric":
            guard consume("(") else { return .decimal(precision: 10, scale: 0) }
            let precision = try readInt()
            let scale = consume(",") ? try readInt() : 0
            guard consume(")") else { throw error("expected ')'") }
            guard (1...38).contains(precision), scale <= precision else {
                throw error("decimal precision must be 1...38 and scale at most the precision")
            }
            return .decimal(precision: precision, scale: scale)
        case "array", "list":
            guard consume("<") else { throw error("expected '<'") }
            let element = try parseType()
            guard consume(">") else { throw error("expected '>'") }
            return .list(Field("element", element))
        case "map":
            guard consume("<") else { throw error("expected '<'") }
            let key = try parseType()
            guard consume(",") else { throw error("expected ','") }
            let value = try parseType()
            guard consume(">") else { throw error("expected '>'") }
            return .map(key: Field("key", key, nullable: false), value: Field("value", value))
        case "struct":
            guard consume("<") else { throw error("expected '<'") }
            var fields: [Field] = []
            if consume(">") { return .structure([]) }
            repeat {
                let name = readName(until: [":", ",", ">"])
                guard !name.isEmpty, consume(":") else { throw error("expected field:type") }
                fields.append(Field(name, try parseType()))
            } while consume(",")
            guard consume(">") else { throw error("expected '>'") }
            return .structure(fields)
        default:
            position = start
            skipSpaces()
            throw error(word.isEmpty ? "expected a type name" : "unknown type '\(word)'")
        }
    }
}
