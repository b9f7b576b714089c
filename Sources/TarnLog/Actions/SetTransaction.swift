// SetTransaction: the `txn` action — an application's last committed version, for
// idempotent writes. Owns its JSON form; must never interpret the version.

/// The `txn` action.
public struct SetTransaction: Sendable, Hashable {
    public var appId: String
    public var version: Int64
    /// Milliseconds since the epoch.
    public var lastUpdated: Int64?

    public init(appId: String, version: Int64, lastUpdated: Int64? = nil) {
        self.appId = appId
        self.version = version
        self.lastUpdated = lastUpdated
    }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        appId = try f.string(ActionKey.appId)
        version = try f.int64(ActionKey.version)
        lastUpdated = try f.optionalInt64(ActionKey.lastUpdated)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.appId, appId)
        b.add(ActionKey.version, version)
        b.add(ActionKey.lastUpdated, lastUpdated)
        return b.value
    }
}
