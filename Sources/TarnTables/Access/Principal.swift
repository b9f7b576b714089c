// Principal: who acts on the lakehouse — a user, a service principal or a group — and
// the rules for principal names. Owns name validation; must never accept a name that
// could act as a path, hide control characters, or grow without bound.

/// The kind of a principal, as stored in `_system.principals.kind`.
public enum PrincipalKind: String, Sendable, Hashable, CaseIterable {
    case user = "USER"
    case servicePrincipal = "SERVICE_PRINCIPAL"
    case group = "GROUP"

    /// How SQL names the kind (`SERVICE PRINCIPAL`).
    public var sqlName: String { self == .servicePrincipal ? "SERVICE PRINCIPAL" : rawValue }
}

/// A principal by name. Names are unique across kinds: a user and a group cannot share one.
public struct Principal: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let kind: PrincipalKind

    /// - Throws: `TableError.invalidName` when `name` breaks `PrincipalName.validate`.
    public init(_ name: String, kind: PrincipalKind = .user) throws(TableError) {
        try PrincipalName.validate(name)
        self.name = name
        self.kind = kind
    }

    /// For names already validated (or validated later, at the first check).
    init(unchecked name: String, kind: PrincipalKind = .user) {
        self.name = name
        self.kind = kind
    }

    public var description: String { name }
}

/// The built-in group whose members hold every privilege on everything.
public enum BuiltinGroup {
    public static let admins = "admins"
}

/// Rules for principal names.
public enum PrincipalName {
    /// Longest accepted principal name, in characters.
    public static let maximumLength = 128

    /// A principal name is 1…128 characters: letters, digits, '_', '-', '.', '@' and '+',
    /// starting with a letter, digit or '_', and never containing "..". That admits OS
    /// user names and e-mail-like names and excludes '/', '\\', whitespace, quotes, NUL
    /// and every other control character.
    public static func validate(_ name: String) throws(TableError) {
        guard !name.isEmpty else {
            throw TableError(.invalidName, "the principal name is empty")
        }
        let length = name.unicodeScalars.count
        guard length <= maximumLength else {
            throw TableError(.invalidName, "the principal name is \(length) characters long; the limit is \(maximumLength)")
        }
        for (i, scalar) in name.unicodeScalars.enumerated() {
            let ok: Bool
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_": ok = true
            case "-", ".", "@", "+": ok = i > 0
            default: ok = false
            }
            guard ok else {
                throw TableError(.invalidName,
                                 "the principal name '\(Names.printable(name))' has the character \(Names.describe(scalar)) at position \(i + 1); use letters, digits, '_', '-', '.', '@' and '+', starting with a letter, digit or '_'")
            }
        }
        if name.contains("..") {
            throw TableError(.invalidName, "the principal name '\(Names.printable(name))' contains '..'")
        }
    }
}
