// ConflictChecker: decides, without IO, whether a transaction that lost the race for a
// version can be rebased over the winning commits. Rules follow Delta's optimistic
// concurrency (protocol/metadata changes, concurrent appends into what we read,
// concurrent deletes of what we read or remove, txn app ids, domains); must never
// approve a rebase that could change what the transaction would have written.
import TarnColumnar

/// What a transaction read and changed: the side of the check that lost the race.
public struct TransactionFootprint: Sendable {
    /// The version the transaction read; nil when it creates the table.
    public var readVersion: Int64?
    /// Only adds new data files (no reads, no removes, no metadata/protocol change).
    public var isBlindAppend: Bool
    /// The transaction read every file of the table.
    public var readWholeTable: Bool
    /// Predicates of the reads the transaction made (an empty list with
    /// `readWholeTable == false` means it read nothing).
    public var readPredicates: [Predicate]
    /// Paths of the files the transaction removes.
    public var removedPaths: Set<String>
    /// Application ids of the transaction's `txn` actions.
    public var appIds: Set<String>
    /// Domains the transaction's `domainMetadata` actions change.
    public var domains: Set<String>
    /// Schema and partition columns of the read snapshot, to evaluate read predicates
    /// against winners' files; nil means every winner file is assumed to match.
    public var schema: Schema?
    public var partitionColumns: [String]

    public init(readVersion: Int64?, isBlindAppend: Bool, readWholeTable: Bool = false, readPredicates: [Predicate] = [],
                removedPaths: Set<String> = [], appIds: Set<String> = [], domains: Set<String> = [],
                schema: Schema? = nil, partitionColumns: [String] = []) {
        self.readVersion = readVersion
        self.isBlindAppend = isBlindAppend
        self.readWholeTable = readWholeTable
        self.readPredicates = readPredicates
        self.removedPaths = removedPaths
        self.appIds = appIds
        self.domains = domains
        self.schema = schema
        self.partitionColumns = partitionColumns
    }
}

/// A winning commit: its version and actions.
public struct WinningCommit: Sendable {
    public var version: Int64
    public var actions: [Action]
    public init(version: Int64, actions: [Action]) {
        self.version = version
        self.actions = actions
    }
}

public enum ConflictChecker {
    /// The conflict, if any, between `ours` and the winners (in version order); nil means
    /// the transaction can be retried at the version after the last winner.
    public static func check(_ ours: TransactionFootprint, against winners: [WinningCommit]) -> LogError? {
        let skipping = ours.schema.map { FileSkipping(schema: $0, partitionColumns: ours.partitionColumns) }
        for winner in winners {
            if let conflict = check(ours, winner, skipping: skipping) { return conflict }
        }
        return nil
    }

    static func check(_ ours: TransactionFootprint, _ winner: WinningCommit, skipping: FileSkipping?) -> LogError? {
        func conflict(_ kind: ConflictKind, _ detail: String) -> LogError {
            .conflict(kind: kind, winningVersion: winner.version, detail: detail)
        }
        if ours.readVersion == nil {
            return conflict(.tableAlreadyExists, "another writer created the table first")
        }
        func readMatches(partitionValues: [String: String?]?, stats: String?) -> Bool {
            if ours.readWholeTable { return true }
            guard let skipping else { return !ours.readPredicates.isEmpty }
            return ours.readPredicates.contains { skipping.mayMatch($0, partitionValues: partitionValues, stats: stats) }
        }
        for action in winner.actions {
            switch action {
            case .tableProtocol:
                return conflict(.protocolChanged, "the winning commit changed the table protocol")
            case .metadata:
                return conflict(.metadataChanged, "the winning commit changed the table metadata (schema, partitioning or properties)")
            case let .add(add):
                if !ours.isBlindAppend, add.dataChange, readMatches(partitionValues: add.partitionValues, stats: add.stats) {
                    return conflict(.concurrentAppend, "the winning commit added '\(add.path)', which matches data this transaction read")
                }
            case let .remove(remove):
                if ours.removedPaths.contains(remove.path) {
                    return conflict(.concurrentDeleteDelete, "the winning commit also removed '\(remove.path)'")
                }
                if !ours.isBlindAppend, readMatches(partitionValues: remove.partitionValues, stats: remove.stats) {
                    return conflict(.concurrentDeleteRead, "the winning commit removed '\(remove.path)', which this transaction read")
                }
            case let .txn(txn):
                if ours.appIds.contains(txn.appId) {
                    return conflict(.concurrentTransaction, "the winning commit recorded a transaction for application '\(txn.appId)' (version \(txn.version))")
                }
            case let .domainMetadata(d):
                if ours.domains.contains(d.domain) {
                    return conflict(.concurrentDomainMetadata, "the winning commit changed domain '\(d.domain)'")
                }
            case .commitInfo, .cdc, .checkpointMetadata, .sidecar:
                continue
            }
        }
        return nil
    }
}
