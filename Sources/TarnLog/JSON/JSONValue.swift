// JSONValue: the JSON tree of the Delta log (actions, schemas, stats, _last_checkpoint).
// Owns the value model: objects keep member order, integers keep full Int64 precision
// and other numbers keep their exact text; must never lose a field it was given.

/// A JSON value. Integers that fit Int64 are `.int`; every other number is `.number`
/// holding its literal text, so decimals and huge integers round-trip exactly.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The member named `key` of an object (first match), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var int64Value: Int64? {
        switch self {
        case let .int(v): return v
        case let .number(text):
            if let d = Double(text), d.rounded() == d, let v = Int64(exactly: d) { return v }
            return nil
        case let .string(s): return Int64(s)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case let .int(v): return Double(v)
        case let .number(text): return Double(text)
        case let .string(s):
            switch s {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return nil
            }
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    public var isNull: Bool { self == .null }

    public var members: [JSONMember]? {
        if case let .object(m) = self { return m }
        return nil
    }

    public var elements: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    /// An object from ordered pairs.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { JSONMember($0.key, $0.value) })
    }

    /// A number from a Double: integral values that fit Int64 stay exact; NaN and
    /// infinities become strings the way Spark writes them.
    public static func double(_ d: Double) -> JSONValue {
        if d.isNaN { return .string("NaN") }
        if d.isInfinite { return .string(d > 0 ? "Infinity" : "-Infinity") }
        return .number(String(d))
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
