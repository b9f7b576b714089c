// TableIdentifier and the naming rules for namespaces and tables.
// Owns validation of user-given names (no path tricks, no control characters, bounded
// length); must never build a storage path from an unvalidated name.

/// A table's name in a catalog: `namespace.table`.
public struct TableIdentifier: Sendable, Hashable, CustomStringConvertible {
    public let namespace: String
    public let name: String

    /// - Throws: `TableError.invalidName` if either part breaks the naming rules.
    public init(namespace: String, name: String) throws(TableError) {
        try Names.validate(namespace, kind: "namespace")
        try Names.validate(name, kind: "table")
        self.namespace = namespace
        self.name = name
    }

    /// Parses `namespace.table`.
    /// - Throws: `TableError.invalidName` unless the text is exactly two valid names joined by one dot.
    public init(parsing text: String) throws(TableError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw TableError(.invalidName, "'\(Names.printable(text))' is not a table name; write namespace.table (e.g. sales.orders)")
        }
        try self.init(namespace: String(parts[0]), name: String(parts[1]))
    }

    /// Store path of the table directory under the lakehouse root.
    public var path: String { namespace + "/" + name }

    public var description: String { namespace + "." + name }
}

/// Rules for namespace, table and column names.
public enum Names {
    /// Longest accepted name, in characters.
    public static let maximumLength = 128

    /// Names start with a letter or underscore and continue with letters, digits,
    /// underscores or hyphens; at most `maximumLength` characters. This excludes '/',
    /// '.', '..', whitespace and control characters by construction.
    public static func validate(_ name: String, kind: String) throws(TableError) {
        guard !name.isEmpty else {
            throw TableError(.invalidName, "the \(kind) name is empty")
        }
        guard name.count <= maximumLength else {
            throw TableError(.invalidName, "the \(kind) name is \(name.count) characters long; the limit is \(maximumLength)")
        }
        for (i, scalar) in name.unicodeScalars.enumerated() {
            let ok: Bool
            switch scalar {
            case "a"..."z", "A"..."Z", "_": ok = true
            case "0"..."9", "-": ok = i > 0
            default: ok = false
            }
            guard ok else {
                throw TableError(.invalidName,
                                 "the \(kind) name '\(printable(name))' has the character \(describe(scalar)) at position \(i + 1); use letters, digits, '_' and '-', starting with a letter or '_'")
            }
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value < 0x20 || scalar.value == 0x7F { return "U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(4))" }
        return "'\(scalar)'"
    }

    /// The name with control characters escaped and long names shortened, for messages.
    static func printable(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return name.unicodeScalars.count > 80 ? out + "…" : out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
