// DomainMetadata: the `domainMetadata` action — named configuration blobs of a table.
// Owns its JSON form; must never interpret a domain's configuration.

/// The `domainMetadata` action.
public struct DomainMetadata: Sendable, Hashable {
    public var domain: String
    /// Usually a JSON document, kept as text.
    public var configuration: String
    /// A tombstone: the domain is deleted.
    public var removed: Bool

    public init(domain: String, configuration: String, removed: Bool = false) {
        self.domain = domain
        self.configuration = configuration
        self.removed = removed
    }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        domain = try f.string(ActionKey.domain)
        configuration = try f.optionalString(ActionKey.configuration) ?? ""
        removed = try f.bool(ActionKey.removed, default: false)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.domain, domain)
        b.add(ActionKey.configuration, configuration)
        b.add(ActionKey.removed, removed)
        return b.value
    }
}
