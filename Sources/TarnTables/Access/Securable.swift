// Securable: what privileges are granted on — the lakehouse, a namespace, a table, or
// a kind added later (experiments, registered models). Owns the inheritance chain
// (table → namespace → lakehouse) and the stored form; must never build a path.

/// The kind of a securable. Open: later products add kinds (`SecurableKind("experiment")`).
public struct SecurableKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public init(_ name: String) { self.init(rawValue: name) }

    public static let lakehouse = SecurableKind("LAKEHOUSE")
    public static let namespace = SecurableKind("NAMESPACE")
    public static let table = SecurableKind("TABLE")

    public var description: String { rawValue }
}

/// One securable object. `name` is "" for the lakehouse, `ns` for a namespace, `ns.t`
/// for a table; other kinds use `ns.name` (inheriting from namespace `ns`) or a bare
/// name (inheriting from the lakehouse).
public struct Securable: Sendable, Hashable, CustomStringConvertible {
    public let kind: SecurableKind
    public let name: String

    /// The namespace of system tables; only admins (and explicit grants on it or its
    /// tables) reach it — lakehouse-wide grants do not flow into it.
    public static let systemNamespace = "_system"

    public static let lakehouse = Securable(uncheckedKind: .lakehouse, name: "")

    public static func namespace(_ namespace: String) throws(TableError) -> Securable {
        try Names.validate(namespace, kind: "namespace")
        return Securable(uncheckedKind: .namespace, name: namespace)
    }

    public static func table(_ id: TableIdentifier) -> Securable {
        Securable(uncheckedKind: .table, name: id.description)
    }

    /// A securable of any kind; `name` is validated as one or two dotted names.
    /// - Throws: `.invalidName` for a bad name; `.invalidArgument` for an empty kind.
    public init(kind: SecurableKind, name: String) throws(TableError) {
        switch kind {
        case .lakehouse:
            self = .lakehouse
            return
        case .namespace:
            self = try .namespace(name)
            return
        case .table:
            self = .table(try TableIdentifier(parsing: name))
            return
        default:
            guard !kind.rawValue.isEmpty, kind.rawValue.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || $0 == "_" }) else {
                throw TableError(.invalidArgument, "the securable kind '\(Names.printable(kind.rawValue))' must be letters and '_'")
            }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 1 || parts.count == 2 else {
                throw TableError(.invalidName, "'\(Names.printable(name))' is not a \(kind.rawValue.lowercased()) name; write name or namespace.name")
            }
            for part in parts { try Names.validate(String(part), kind: kind.rawValue.lowercased()) }
            self.init(uncheckedKind: kind, name: name)
        }
    }

    init(uncheckedKind kind: SecurableKind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The securable privileges are inherited from, nil for the lakehouse.
    public var parent: Securable? {
        switch kind {
        case .lakehouse: return nil
        case .namespace: return .lakehouse
        default:
            if let dot = name.firstIndex(of: ".") {
                return Securable(uncheckedKind: .namespace, name: String(name[..<dot]))
            }
            return .lakehouse
        }
    }

    /// Self, then each parent up to the lakehouse — except that the chain of a system
    /// securable stops at the `_system` namespace.
    public var lineage: [Securable] {
        var out: [Securable] = [self]
        var current = self
        while let parent = current.parent {
            if parent.kind == .lakehouse && isSystem { break }
            out.append(parent)
            current = parent
        }
        return out
    }

    /// The `_system` namespace or something in it.
    public var isSystem: Bool {
        switch kind {
        case .lakehouse: return false
        case .namespace: return name == Securable.systemNamespace
        default: return name.hasPrefix(Securable.systemNamespace + ".")
        }
    }

    /// `LAKEHOUSE`, `NAMESPACE sales`, `TABLE sales.orders`.
    public var description: String {
        kind == .lakehouse ? "LAKEHOUSE" : "\(kind.rawValue) \(name)"
    }
}
