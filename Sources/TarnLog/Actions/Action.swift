// Action: one line of a Delta commit file, as a closed set of the actions Tarn knows.
// Owns the mapping between an action and its one-key JSON object; must never fail on an
// action type it does not know (the spec says to ignore those).

/// One action of the Delta log.
public enum Action: Sendable, Hashable {
    case tableProtocol(TableProtocol)
    case metadata(Metadata)
    case add(AddFile)
    case remove(RemoveFile)
    case commitInfo(CommitInfo)
    case txn(SetTransaction)
    case domainMetadata(DomainMetadata)
    /// A change-data file; recognised and ignored by Tarn's readers.
    case cdc
    case checkpointMetadata(CheckpointMetadata)
    case sidecar(Sidecar)

    /// Decodes one action line's object; nil for an unknown action type.
    static func decode(_ value: JSONValue) throws(ActionDecodeError) -> Action? {
        guard let members = value.members else { throw ActionDecodeError(message: "a log line is not a JSON object") }
        for member in members {
            switch member.key {
            case ActionKey.add: return .add(try AddFile(fields: ActionFields(member.key, member.value)))
            case ActionKey.remove: return .remove(try RemoveFile(fields: ActionFields(member.key, member.value)))
            case ActionKey.metaData: return .metadata(try Metadata(fields: ActionFields(member.key, member.value)))
            case ActionKey.protocol: return .tableProtocol(try TableProtocol(fields: ActionFields(member.key, member.value)))
            case ActionKey.commitInfo: return .commitInfo(try CommitInfo(fields: ActionFields(member.key, member.value)))
            case ActionKey.txn: return .txn(try SetTransaction(fields: ActionFields(member.key, member.value)))
            case ActionKey.domainMetadata: return .domainMetadata(try DomainMetadata(fields: ActionFields(member.key, member.value)))
            case ActionKey.cdc: return .cdc
            case ActionKey.checkpointMetadata:
                return .checkpointMetadata(try CheckpointMetadata(fields: ActionFields(member.key, member.value)))
            case ActionKey.sidecar: return .sidecar(try Sidecar(fields: ActionFields(member.key, member.value)))
            default: continue
            }
        }
        return nil
    }

    /// The one-key JSON object of this action; nil for `.cdc` (Tarn never writes it).
    public var json: JSONValue? {
        switch self {
        case let .tableProtocol(p): return .object([JSONMember(ActionKey.protocol, p.json)])
        case let .metadata(m): return .object([JSONMember(ActionKey.metaData, m.json)])
        case let .add(a): return .object([JSONMember(ActionKey.add, a.json)])
        case let .remove(r): return .object([JSONMember(ActionKey.remove, r.json)])
        case let .commitInfo(c): return .object([JSONMember(ActionKey.commitInfo, c.json)])
        case let .txn(t): return .object([JSONMember(ActionKey.txn, t.json)])
        case let .domainMetadata(d): return .object([JSONMember(ActionKey.domainMetadata, d.json)])
        case .cdc: return nil
        case let .checkpointMetadata(c): return .object([JSONMember(ActionKey.checkpointMetadata, c.json)])
        case let .sidecar(s): return .object([JSONMember(ActionKey.sidecar, s.json)])
        }
    }
}
