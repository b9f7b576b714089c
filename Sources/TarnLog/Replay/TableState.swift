// TableState: the reconciled state of a table at one version, built by log replay.
// Owns the spec's reconciliation rules (latest protocol/metadata win, add/remove by
// (path, dv id), latest txn per app, latest domain metadata); must never do IO.

/// Timestamps recorded for one commit.
public struct CommitTimestamps: Sendable, Hashable {
    /// `commitInfo.inCommitTimestamp` (ms), when present.
    public var inCommitTimestamp: Int64?
    /// `commitInfo.timestamp` (ms), when present.
    public var commitInfoTimestamp: Int64?
    /// Modification time of the commit file (ms).
    public var fileModificationTime: Int64?

    public init(inCommitTimestamp: Int64? = nil, commitInfoTimestamp: Int64? = nil, fileModificationTime: Int64? = nil) {
        self.inCommitTimestamp = inCommitTimestamp
        self.commitInfoTimestamp = commitInfoTimestamp
        self.fileModificationTime = fileModificationTime
    }

    /// The commit's time in ms: in-commit timestamp when `useInCommit`, else
    /// commitInfo.timestamp, else the file's modification time.
    public func resolved(useInCommit: Bool) -> Int64? {
        if useInCommit, let ict = inCommitTimestamp { return ict }
        return commitInfoTimestamp ?? inCommitTimestamp ?? fileModificationTime
    }
}

/// The state of a table after replaying its log up to `version`.
public struct TableState: Sendable {
    /// The version the state reflects; -1 before any action is applied.
    public var version: Int64 = -1
    public var tableProtocol: TableProtocol?
    public var metadata: Metadata?
    /// Live files keyed by (path, deletion vector id).
    public var files: [FileKey: AddFile] = [:]
    /// Removed files whose deletion is newer than the tombstone retention cutoff.
    public var tombstones: [FileKey: RemoveFile] = [:]
    /// Latest `txn` per application id.
    public var transactions: [String: SetTransaction] = [:]
    /// Live domain metadata (removed domains are dropped).
    public var domainMetadata: [String: DomainMetadata] = [:]
    /// Timestamps of the commits replayed (not of versions folded into a checkpoint).
    public var commitTimestamps: [Int64: CommitTimestamps] = [:]
    /// Tombstones deleted before this time (ms) are dropped; nil keeps all.
    public var tombstoneRetentionCutoff: Int64?

    public init(tombstoneRetentionCutoff: Int64? = nil) {
        self.tombstoneRetentionCutoff = tombstoneRetentionCutoff
    }
}

extension TableState {
    /// Applies the actions of a checkpoint taken at `version` (the state before it must be empty).
    public mutating func applyCheckpoint(_ actions: [Action], version: Int64) {
        files.reserveCapacity(actions.count)
        apply(actions, version: version, fileModificationTime: nil, recordTimestamps: false)
    }

    /// Applies the actions of commit `version` (which must be `self.version + 1`).
    public mutating func applyCommit(_ actions: [Action], version: Int64, fileModificationTime: Int64?) {
        apply(actions, version: version, fileModificationTime: fileModificationTime, recordTimestamps: true)
    }

    mutating func apply(_ actions: [Action], version: Int64, fileModificationTime: Int64?, recordTimestamps: Bool) {
        var timestamps = CommitTimestamps(fileModificationTime: fileModificationTime)
        for action in actions {
            switch action {
            case let .add(add):
                let key = add.key
                files[key] = add
                tombstones.removeValue(forKey: key)
            case let .remove(remove):
                let key = remove.key
                files.removeValue(forKey: key)
                if let cutoff = tombstoneRetentionCutoff, let deleted = remove.deletionTimestamp, deleted < cutoff {
                    tombstones.removeValue(forKey: key)
                } else {
                    tombstones[key] = remove
                }
            case let .metadata(m): metadata = m
            case let .tableProtocol(p): tableProtocol = p
            case let .txn(t): transactions[t.appId] = t
            case let .domainMetadata(d):
                if d.removed { domainMetadata.removeValue(forKey: d.domain) } else { domainMetadata[d.domain] = d }
            case let .commitInfo(c):
                timestamps.inCommitTimestamp = c.inCommitTimestamp
                timestamps.commitInfoTimestamp = c.timestamp
            case .cdc, .checkpointMetadata, .sidecar:
                continue
            }
        }
        if recordTimestamps { commitTimestamps[version] = timestamps }
        self.version = version
    }

    /// Whether in-commit timestamps are enabled by the current metadata.
    public var inCommitTimestampsEnabled: Bool {
        metadata?.configuration[TableProperty.enableInCommitTimestamps]?.lowercased() == "true"
    }

    /// The commit time (ms) of a replayed `version`, following the table's timestamp rules.
    public func commitTime(of version: Int64) -> Int64? {
        guard let ts = commitTimestamps[version] else { return nil }
        return ts.resolved(useInCommit: usesInCommitTimestamp(at: version))
    }

    /// Whether commit `version` is covered by in-commit timestamps (enabled, and at or
    /// after the enablement version when the table records one).
    public func usesInCommitTimestamp(at version: Int64) -> Bool {
        guard inCommitTimestampsEnabled else { return false }
        if let text = metadata?.configuration[TableProperty.inCommitTimestampEnablementVersion], let since = Int64(text) {
            return version >= since
        }
        return true
    }
}

/// Pure log replay: the state at the end of a checkpoint plus the commits after it.
public enum LogReplay {
    /// Replays `checkpoint` (actions at `checkpointVersion`) then `commits` in version order.
    /// Commits must be contiguous and follow the checkpoint; callers (`LogSegment`) ensure it.
    public static func replay(checkpoint: (version: Int64, actions: [Action])?,
                              commits: [(version: Int64, actions: [Action], modificationTime: Int64?)],
                              tombstoneRetentionCutoff: Int64? = nil) -> TableState {
        var state = TableState(tombstoneRetentionCutoff: tombstoneRetentionCutoff)
        if let checkpoint { state.applyCheckpoint(checkpoint.actions, version: checkpoint.version) }
        for commit in commits {
            state.applyCommit(commit.actions, version: commit.version, fileModificationTime: commit.modificationTime)
        }
        return state
    }
}
