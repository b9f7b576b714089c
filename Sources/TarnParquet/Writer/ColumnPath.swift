// ColumnPath: the name of one leaf column — its path of field names from the root,
// as Parquet's path_in_schema spells it (lists add "list", maps add "key_value").
// Owns only naming; must never resolve a path against a schema.

/// The path of a leaf column, e.g. `["features", "list", "element"]`.
public struct ColumnPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [String]

    public init(_ components: [String]) {
        self.components = components
    }

    /// Components joined with dots, as `path_in_schema` is printed by parquet tools.
    public var dotted: String { components.joined(separator: ".") }

    public var description: String { dotted }
}

extension ColumnPath: ExpressibleByStringLiteral {
    /// A path from its dotted form: `"a.b"` is `["a", "b"]` (names containing dots
    /// need `init(_:)` with explicit components).
    public init(dotted: String) {
        self.init(dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }

    /// A dotted path literal: `"a.b"` is `["a", "b"]`.
    public init(stringLiteral value: String) {
        self.init(dotted: value)
    }
}
