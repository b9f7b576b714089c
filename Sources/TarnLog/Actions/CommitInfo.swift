// CommitInfo: the `commitInfo` action — provenance of a commit (when, what, who).
// Owns its JSON form and keeps fields it does not know as raw JSON so they round-trip;
// must never be used for correctness except timestamps (in-commit or fallback).

/// The `commitInfo` action. Known fields are typed; every other field is kept in
/// `otherFields` in its original order and written back unchanged.
public struct CommitInfo: Sendable, Hashable {
    /// Milliseconds since the epoch when the writer made the commit.
    public var timestamp: Int64?
    public var operation: String?
    /// Operation parameters; non-string JSON values are kept as their JSON text.
    public var operationParameters: [String: String]?
    public var operationMetrics: [String: String]?
    public var readVersion: Int64?
    public var isolationLevel: String?
    public var isBlindAppend: Bool?
    public var engineInfo: String?
    /// The in-commit timestamp (ms), present when the table enables in-commit timestamps.
    public var inCommitTimestamp: Int64?
    /// Fields Tarn does not interpret, in order, as raw JSON.
    public var otherFields: [JSONMember]

    public init(timestamp: Int64? = nil, operation: String? = nil, operationParameters: [String: String]? = nil,
                operationMetrics: [String: String]? = nil, readVersion: Int64? = nil, isolationLevel: String? = nil,
                isBlindAppend: Bool? = nil, engineInfo: String? = nil, inCommitTimestamp: Int64? = nil,
                otherFields: [JSONMember] = []) {
        self.timestamp = timestamp
        self.operation = operation
        self.operationParameters = operationParameters
        self.operationMetrics = operationMetrics
        self.readVersion = readVersion
        self.isolationLevel = isolationLevel
        self.isBlindAppend = isBlindAppend
        self.engineInfo = engineInfo
        self.inCommitTimestamp = inCommitTimestamp
        self.otherFields = otherFields
    }

    /// Who made the commit (`userName`, kept among the other fields), when recorded.
    public var userName: String? {
        for member in otherFields where member.key == "userName" {
            if case let .string(name) = member.value { return name }
        }
        return nil
    }

    static let knownKeys: Set<String> = [
        ActionKey.inCommitTimestamp, ActionKey.timestamp, ActionKey.operation, ActionKey.operationParameters,
        ActionKey.operationMetrics, ActionKey.readVersion, ActionKey.isolationLevel, ActionKey.isBlindAppend,
        ActionKey.engineInfo,
    ]

    init(fields f: ActionFields) throws(ActionDecodeError) {
        // Provenance is informative: tolerate odd types in fields other writers fill.
        inCommitTimestamp = try f.optionalInt64(ActionKey.inCommitTimestamp)
        timestamp = f.present(ActionKey.timestamp)?.int64Value
        operation = f.present(ActionKey.operation)?.stringValue
        operationParameters = try? f.stringMap(ActionKey.operationParameters)
        operationMetrics = try? f.stringMap(ActionKey.operationMetrics)
        readVersion = f.present(ActionKey.readVersion)?.int64Value
        isolationLevel = f.present(ActionKey.isolationLevel)?.stringValue
        isBlindAppend = f.present(ActionKey.isBlindAppend)?.boolValue
        engineInfo = f.present(ActionKey.engineInfo)?.stringValue
        otherFields = (f.value.members ?? []).filter { !CommitInfo.knownKeys.contains($0.key) }
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        // The in-commit timestamp comes first, as the spec asks.
        b.add(ActionKey.inCommitTimestamp, inCommitTimestamp)
        b.add(ActionKey.timestamp, timestamp)
        b.add(ActionKey.operation, operation)
        b.add(ActionKey.operationParameters, operationParameters)
        b.add(ActionKey.operationMetrics, operationMetrics)
        b.add(ActionKey.readVersion, readVersion)
        b.add(ActionKey.isolationLevel, isolationLevel)
        b.add(ActionKey.isBlindAppend, isBlindAppend)
        b.add(ActionKey.engineInfo, engineInfo)
        b.members.append(contentsOf: otherFields)
        return b.value
    }
}
