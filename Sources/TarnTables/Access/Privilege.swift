// Privilege: what a grant allows. Owns the privilege names as SQL and the grants table
// spell them; must never let an unknown name parse to some privilege.

/// A privilege on a securable.
public enum Privilege: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// List the tables of a namespace.
    case use = "USE"
    /// Create tables in a namespace (on the lakehouse: create namespaces).
    case create = "CREATE"
    /// Read any version of a table, its history and detail.
    case select = "SELECT"
    /// Append, overwrite, delete, update, merge.
    case modify = "MODIFY"
    /// Optimize, vacuum, restore, alter, constraints, drop, and granting on the securable.
    case manage = "MANAGE"
    /// Read tables by path (`delta.\`path\``, `parquet.\`…\``), bypassing the catalog; on the lakehouse.
    case readFiles = "READ FILES"
    /// Every privilege above.
    case allPrivileges = "ALL PRIVILEGES"

    public var description: String { rawValue }

    /// Parses a privilege name case-insensitively; spaces or '_' between words, and
    /// `ALL` for `ALL PRIVILEGES`.
    /// - Throws: `.invalidArgument` naming the known privileges.
    public init(parsing text: String) throws(TableError) {
        let words = text.uppercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "\t" }).joined(separator: " ")
        if words == "ALL" { self = .allPrivileges; return }
        guard let privilege = Privilege(rawValue: words) else {
            throw TableError(.invalidArgument,
                             "unknown privilege '\(Names.printable(text))'; use one of \(Privilege.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = privilege
    }
}

/// What the grants table stores in its `privilege` column: a privilege or ownership.
enum GrantedRight {
    /// The owner of a securable; stored as a grant row so transfers have history.
    static let ownership = "OWNERSHIP"
}
