// ActionDecoding: typed field access over one action's JSON object.
// Owns the "required / optional / wrong type" checks of action fields; must never
// accept a field of the wrong JSON type silently.

/// Why an action's JSON could not be decoded (mapped to `LogError.corrupt` by callers).
struct ActionDecodeError: Error, Sendable {
    var message: String
}

/// The members of one action object with typed getters.
struct ActionFields {
    let action: String
    let value: JSONValue

    init(_ action: String, _ value: JSONValue) throws(ActionDecodeError) {
        guard case .object = value else {
            throw ActionDecodeError(message: "action '\(action)' is not a JSON object")
        }
        self.action = action
        self.value = value
    }

    func present(_ key: String) -> JSONValue? {
        guard let v = value[key], v != .null else { return nil }
        return v
    }

    func string(_ key: String) throws(ActionDecodeError) -> String {
        guard let v = present(key) else { throw ActionDecodeError(message: "\(action).\(key) is missing") }
        guard let s = v.stringValue else { throw ActionDecodeError(message: "\(action).\(key) is not a string") }
        return s
    }

    func optionalString(_ key: String) throws(ActionDecodeError) -> String? {
        guard let v = present(key) else { return nil }
        guard let s = v.stringValue else { throw ActionDecodeError(message: "\(action).\(key) is not a string") }
        return s
    }

    func int64(_ key: String) throws(ActionDecodeError) -> Int64 {
        guard let v = present(key) else { throw ActionDecodeError(message: "\(action).\(key) is missing") }
        guard let i = v.int64Value else { throw ActionDecodeError(message: "\(action).\(key) is not an integer") }
        return i
    }

    func optionalInt64(_ key: String) throws(ActionDecodeError) -> Int64? {
        guard let v = present(key) else { return nil }
        guard let i = v.int64Value else { throw ActionDecodeError(message: "\(action).\(key) is not an integer") }
        return i
    }

    func bool(_ key: String, default fallback: Bool? = nil) throws(ActionDecodeError) -> Bool {
        guard let v = present(key) else {
            if let fallback { return fallback }
            throw ActionDecodeError(message: "\(action).\(key) is missing")
        }
        guard let b = v.boolValue else { throw ActionDecodeError(message: "\(action).\(key) is not a boolean") }
        return b
    }

    func optionalBool(_ key: String) throws(ActionDecodeError) -> Bool? {
        guard let v = present(key) else { return nil }
        guard let b = v.boolValue else { throw ActionDecodeError(message: "\(action).\(key) is not a boolean") }
        return b
    }

    /// A map of strings to strings; non-string values are kept as their JSON text.
    func stringMap(_ key: String) throws(ActionDecodeError) -> [String: String]? {
        guard let v = present(key) else { return nil }
        guard let members = v.members else { throw ActionDecodeError(message: "\(action).\(key) is not an object") }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for m in members {
            switch m.value {
            case let .string(s): map[m.key] = s
            case .null: continue
            default: map[m.key] = JSONWriter.string(m.value)
            }
        }
        return map
    }

    /// A map of strings to optional strings (partition values: JSON null is a null value).
    func nullableStringMap(_ key: String) throws(ActionDecodeError) -> [String: String?]? {
        guard let v = present(key) else { return nil }
        guard let members = v.members else { throw ActionDecodeError(message: "\(action).\(key) is not an object") }
        var map: [String: String?] = [:]
        map.reserveCapacity(members.count)
        for m in members {
            switch m.value {
            case let .string(s): map[m.key] = .some(s)
            case .null: map[m.key] = .some(nil)
            default: throw ActionDecodeError(message: "\(action).\(key).\(m.key) is not a string or null")
            }
        }
        return map
    }

    func stringArray(_ key: String) throws(ActionDecodeError) -> [String]? {
        guard let v = present(key) else { return nil }
        guard let elements = v.elements else { throw ActionDecodeError(message: "\(action).\(key) is not an array") }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for e in elements {
            guard let s = e.stringValue else { throw ActionDecodeError(message: "\(action).\(key) holds a non-string") }
            out.append(s)
        }
        return out
    }
}

/// Builds an action object, leaving out nil optionals.
struct ActionObjectBuilder {
    var members: [JSONMember] = []

    mutating func add(_ key: String, _ value: JSONValue) { members.append(JSONMember(key, value)) }
    mutating func add(_ key: String, _ value: String?) { if let value { members.append(JSONMember(key, .string(value))) } }
    mutating func add(_ key: String, _ value: Int64?) { if let value { members.append(JSONMember(key, .int(value))) } }
    mutating func add(_ key: String, _ value: Bool?) { if let value { members.append(JSONMember(key, .bool(value))) } }
    mutating func add(_ key: String, _ map: [String: String]?) {
        guard let map else { return }
        members.append(JSONMember(key, .object(map.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) })))
    }
    mutating func add(_ key: String, nullable map: [String: String?]?) {
        guard let map else { return }
        members.append(JSONMember(key, .object(map.sorted { $0.key < $1.key }.map {
            JSONMember($0.key, $0.value.map(JSONValue.string) ?? .null)
        })))
    }
    mutating func add(_ key: String, _ array: [String]?) {
        guard let array else { return }
        members.append(JSONMember(key, .array(array.map(JSONValue.string))))
    }

    var value: JSONValue { .object(members) }
}
