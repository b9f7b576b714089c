// API tokens: created for a principal (the secret is shown once), stored in
// `_system.tokens` as a random salt and the SHA-256 of salt + secret, listed, revoked,
// and checked by the server. Must never store or log the secret itself.
import TarnColumnar

/// A token as listed (never its secret or hash).
public struct TokenInfo: Sendable, Hashable {
    public var id: String
    public var principal: String
    public var createdBy: String
    /// Microseconds since the epoch.
    public var createdAt: Int64
    public var expiresAt: Int64?
}

/// A created token: `secret` is the whole token text, shown once.
public struct CreatedToken: Sendable {
    public var info: TokenInfo
    public var secret: String
}

extension AccessControl {
    static let tokenPrefix = "tarn_"

    /// Creates a token for `principal` valid for `lifetimeSeconds` (nil: no expiry), one
    /// commit to `_system.tokens`. The token text is `tarn_<id>_<secret>`.
    /// - Throws: `.accessDenied` unless the caller is an admin or creates a token for
    ///   itself; `.notFound` for an unknown principal; `.invalidArgument` for a lifetime ≤ 0.
    public func createToken(for principal: String, lifetimeSeconds: Int64? = nil) throws(TableError) -> CreatedToken {
        try PrincipalName.validate(principal)
        if principal != caller.principal.name { try requireAdmin(action: "CREATE TOKEN") }
        if let lifetimeSeconds, lifetimeSeconds <= 0 {
            throw TableError(.invalidArgument, "a token lifetime must be positive (got \(lifetimeSeconds) s)")
        }
        let state = try store.current(bootstrapAs: caller.principal)
        guard let record = state.principals[principal] else { throw TableError(.notFound, "principal '\(principal)' does not exist") }
        guard record.kind != .group else { throw TableError(.invalidArgument, "'\(principal)' is a group; tokens are for users and service principals") }
        let id = Hex.encode(Hex.randomBytes(8))
        let secret = Hex.encode(Hex.randomBytes(24))
        let salt = Hex.encode(Hex.randomBytes(16))
        let hash = SHA256Digest.hex(Array((salt + secret).utf8))
        let now = Clock.nowMicros()
        let expires = lifetimeSeconds.map { now + $0 * 1_000_000 }
        let actor = caller.principal.name
        var p = parameters
        p["principal"] = principal
        p["tokenId"] = id
        try store.tokens.rewrite(operation: "CREATE TOKEN", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            rows + [[.string(id), .string(principal), .string(salt), .string(hash), .string(actor), .time(now),
                     expires.map { .time($0) } ?? .null]]
        }
        let info = TokenInfo(id: id, principal: principal, createdBy: actor, createdAt: now, expiresAt: expires)
        return CreatedToken(info: info, secret: Self.tokenPrefix + id + "_" + secret)
    }

    /// Tokens of `principal` (all tokens when nil), sorted by creation. A principal may
    /// list its own; listing others' needs an admin.
    public func tokens(of principal: String? = nil) throws(TableError) -> [TokenInfo] {
        if principal != caller.principal.name { try requireAdmin(action: "LIST TOKENS") }
        return try store.tokens.rows(try store.tokens.latest())
            .map(Self.tokenInfo)
            .filter { principal == nil || $0.principal == principal }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Revokes token `id` (one commit). The token's principal or an admin may.
    /// - Throws: `.notFound` for an unknown id.
    public func revokeToken(id: String) throws(TableError) {
        let rows = try store.tokens.rows(try store.tokens.latest())
        guard let row = rows.first(where: { $0[0].text == id }) else { throw TableError(.notFound, "no token with id '\(Names.printable(id))'") }
        if row[1].text != caller.principal.name { try requireAdmin(action: "REVOKE TOKEN") }
        var p = parameters
        p["tokenId"] = id
        p["principal"] = row[1].text
        try store.tokens.rewrite(operation: "REVOKE TOKEN", parameters: p) { (rows) throws(TableError) -> [SystemRow]? in
            let kept = rows.filter { $0[0].text != id }
            return kept.count == rows.count ? nil : kept
        }
    }

    /// The principal a token authenticates, or nil for an unknown, revoked, expired or
    /// malformed token, or one whose principal was dropped. Compares hashes in constant time.
    public func authenticate(token: String) throws(TableError) -> Principal? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count < 256 else { return nil }
        let parts = token.dropFirst(Self.tokenPrefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let id = String(parts[0]), secret = String(parts[1])
        let rows = try store.tokens.rows(try store.tokens.latest())
        guard let row = rows.first(where: { $0[0].text == id }) else { return nil }
        guard Hex.constantTimeEqual(SHA256Digest.hex(Array((row[2].text + secret).utf8)), row[3].text) else { return nil }
        if let expires = row[6].micros, expires <= Clock.nowMicros() { return nil }
        let state = try store.current(bootstrapAs: caller.principal)
        guard let record = state.principals[row[1].text] else { return nil }
        return Principal(unchecked: record.name, kind: record.kind)
    }

    static func tokenInfo(_ row: SystemRow) -> TokenInfo {
        TokenInfo(id: row[0].text, principal: row[1].text, createdBy: row[4].text, createdAt: row[5].micros ?? 0,
                  expiresAt: row[6].micros)
    }
}
