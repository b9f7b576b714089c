// NotCompared: a property wrapper for syntax-tree fields that say where a node came from
// (source locations) and must not take part in equality or hashing, so that a statement
// parsed from differently laid out text compares equal. Never wrap a field with meaning.

/// Wraps a value that equality and hashing ignore: two wrappers are always equal.
@propertyWrapper
public struct NotCompared<Value: Sendable>: Sendable, Hashable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public static func == (lhs: NotCompared, rhs: NotCompared) -> Bool { true }

    public func hash(into hasher: inout Hasher) {}
}
