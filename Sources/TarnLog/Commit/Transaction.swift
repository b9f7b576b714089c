// Transaction: one optimistic write to a table — collects actions against a read
// snapshot, writes the next commit file with put-if-absent, and on losing the race
// reads the winners, asks the ConflictChecker, and retries or reports the conflict.
// Must never overwrite a commit file or report success before the commit is durable.
import Foundation
import TarnColumnar
import TarnIO

/// How a commit ended.
public enum CommitOutcome: Sendable {
    /// The commit is durable at `version`.
    case committed(version: Int64)
    /// A concurrent writer won with changes this transaction cannot be rebased over
    /// (a `LogError.conflict`).
    case conflict(LogError)

    /// The committed version, or nil on conflict.
    public var version: Int64? {
        if case let .committed(v) = self { return v }
        return nil
    }
}

/// An optimistic transaction. Value type: build it, then `commit()`.
public struct Transaction: Sendable {
    public let log: DeltaLog
    /// The snapshot the transaction read; nil when it creates the table.
    public let readSnapshot: Snapshot?
    public var operation: String
    public var operationParameters: [String: String] = [:]
    public var operationMetrics: [String: String] = [:]
    /// Actions to commit (commitInfo is added by `commit()`).
    public private(set) var actions: [Action] = []
    /// Reads made by the operation that decide its result (for conflict detection).
    public private(set) var readPredicates: [TarnColumnar.Predicate] = []
    public private(set) var readWholeTable = false
    /// Retries after lost races before giving up. A lost race costs one listing of the
    /// winners' commits (no data is re-read), so many writers on one table may lose many
    /// times in a row under load; from the fourth loss on, a short random pause breaks
    /// lockstep between writers.
    public var maxRetries = 100
    /// Write a checkpoint after commits whose version is a multiple of the interval.
    public var writesCheckpoints = true

    init(log: DeltaLog, readSnapshot: Snapshot?, operation: String) {
        self.log = log
        self.readSnapshot = readSnapshot
        self.operation = operation
    }

    public mutating func add(_ newActions: [Action]) { actions.append(contentsOf: newActions) }
    public mutating func add(_ action: Action) { actions.append(action) }

    /// Records this write as version `version` of application `appId` (idempotent writes).
    public mutating func setTransaction(appId: String, version: Int64) {
        actions.append(.txn(SetTransaction(appId: appId, version: version, lastUpdated: Transaction.nowMillis())))
    }

    /// Declares that the result depends on the files matching `predicate`.
    public mutating func recordRead(predicate: TarnColumnar.Predicate) { readPredicates.append(predicate) }
    /// Declares that the result depends on every file of the table.
    public mutating func recordReadWholeTable() { readWholeTable = true }

    /// Only adds data (no removes, no metadata/protocol/domain change, nothing read).
    public var isBlindAppend: Bool {
        guard !readWholeTable, readPredicates.isEmpty, readSnapshot != nil else { return false }
        var sawAdd = false
        for action in actions {
            switch action {
            case let .add(a): if !a.dataChange { return false }; sawAdd = true
            case .txn, .commitInfo: continue
            default: return false
            }
        }
        return sawAdd
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    var footprint: TransactionFootprint {
        var removed = Set<String>(), apps = Set<String>(), domains = Set<String>()
        for action in actions {
            switch action {
            case let .remove(r): removed.insert(r.path)
            case let .txn(t): apps.insert(t.appId)
            case let .domainMetadata(d): domains.insert(d.domain)
            default: continue
            }
        }
        return TransactionFootprint(readVersion: readSnapshot?.version, isBlindAppend: isBlindAppend,
                                    readWholeTable: readWholeTable, readPredicates: readPredicates,
                                    removedPaths: removed, appIds: apps, domains: domains,
                                    schema: readSnapshot?.schema, partitionColumns: readSnapshot?.partitionColumns ?? [])
    }

    /// Validates and completes the actions: protocol for a new table, write-protocol checks.
    func preparedActions() throws(LogError) -> (actions: [Action], metadata: Metadata) {
        var out = actions
        var newMetadata: Metadata? = nil
        var newProtocol: TableProtocol? = nil
        for action in actions {
            if case let .metadata(m) = action { newMetadata = m }
            if case let .tableProtocol(p) = action { newProtocol = p }
        }
        guard let metadata = newMetadata ?? readSnapshot?.metadata else {
            throw LogError.invalidArgument("creating a table needs a metaData action with its schema")
        }
        _ = try metadata.schema()
        if readSnapshot == nil, newProtocol == nil {
            let p = try ProtocolSupport.minimalProtocol(for: metadata)
            out.insert(.tableProtocol(p), at: 0)
            newProtocol = p
        }
        guard let tableProtocol = newProtocol ?? readSnapshot?.tableProtocol else {
            throw LogError.invalidArgument("the table has no protocol")
        }
        try ProtocolSupport.checkWrite(tableProtocol, metadata: metadata, tablePath: log.tablePath)
        if metadata.configuration[TableProperty.appendOnly]?.lowercased() == "true",
           actions.contains(where: { if case let .remove(r) = $0 { return r.dataChange } else { return false } }) {
            throw LogError.invalidArgument("table '\(log.tablePath)' is append-only (delta.appendOnly=true); it cannot remove data")
        }
        return (out, metadata)
    }

    /// Commits the transaction: writes `_delta_log/<version>.json` with put-if-absent at
    /// the version after the read snapshot; on a lost race reads the winners and retries
    /// at a later version when they do not conflict. Writes a checkpoint afterwards when
    /// the version is a multiple of `delta.checkpointInterval` (a failed checkpoint does
    /// not fail the commit).
    /// - Returns: `.committed(version)` once durable, or `.conflict` with the reason.
    /// - Throws: `.invalidArgument`, `.unsupportedFeature`, `.storage`, `.corrupt`.
    public func commit() throws(LogError) -> CommitOutcome {
        let (prepared, metadata) = try preparedActions()
        let footprint = self.footprint
        let blind = isBlindAppend
        var version = (readSnapshot?.version ?? -1) + 1
        let useICT = metadata.configuration[TableProperty.enableInCommitTimestamps]?.lowercased() == "true"
        var lastCommitTime: Int64 = readSnapshot?.commitTime ?? 0
        var attempt = 0
        while true {
            let now = Transaction.nowMillis()
            let info = CommitInfo(
                timestamp: now, operation: operation,
                operationParameters: operationParameters,
                operationMetrics: operationMetrics.isEmpty ? nil : operationMetrics,
                readVersion: readSnapshot?.version, isolationLevel: "Serializable", isBlindAppend: blind,
                engineInfo: DeltaLog.engineInfo, inCommitTimestamp: useICT ? max(now, lastCommitTime + 1) : nil,
                otherFields: log.committer.map { [JSONMember("userName", .string($0))] } ?? [])
            let committed: [Action] = [.commitInfo(info)] + prepared
            let bytes = CommitFile.serialize(committed)
            let path = log.logFile(LogFileName.commit(version))
            do {
                try log.store.putIfAbsent(path, bytes)
            } catch .alreadyExists {
                attempt += 1
                let winners = try readWinners(from: version)
                if let conflict = ConflictChecker.check(footprint, against: winners) { return .conflict(conflict) }
                if attempt > maxRetries {
                    return .conflict(.conflict(kind: .tooManyRetries, winningVersion: version,
                                               detail: "other writers won \(attempt) times in a row"))
                }
                version = (winners.last?.version ?? version) + 1
                if attempt > 3 { Transaction.pauseAfterLostRace(attempt) }
                for w in winners {
                    for case let .commitInfo(ci) in w.actions {
                        lastCommitTime = max(lastCommitTime, ci.inCommitTimestamp ?? ci.timestamp ?? 0)
                    }
                }
                continue
            } catch {
                throw DeltaLog.wrap("commit", path, error)
            }
            log.didCommit(version: version, actions: committed, fileModificationTime: now)
            afterCommit(version: version, metadata: metadata)
            return .committed(version: version)
        }
    }

    /// A random pause of up to 2 ms per lost race so far (at most 50 ms): writers that keep
    /// colliding stop retrying in lockstep.
    static func pauseAfterLostRace(_ attempt: Int) {
        let limit = min(50_000, 2_000 * attempt)
        usleep(UInt32(Int.random(in: 0...limit)))
    }

    /// Commits, turning a conflict into a thrown `LogError.conflict`.
    @discardableResult
    public func commitOrThrow() throws(LogError) -> Int64 {
        switch try commit() {
        case let .committed(version): return version
        case let .conflict(error): throw error
        }
    }

    /// The commits from `version` on that exist now, in order (at least the one we lost to).
    func readWinners(from version: Int64) throws(LogError) -> [WinningCommit] {
        let listing = try log.list(after: log.logFile(LogFileName.commit(version - 1)))
        let inventory = LogSegment.Inventory(listing: listing)
        var winners: [WinningCommit] = []
        var v = version
        while let file = inventory.commits[v] {
            winners.append(WinningCommit(version: v, actions: try CommitFile.parse(log.read(file.path), path: file.path, version: v)))
            v += 1
        }
        if winners.isEmpty {
            // The listing lagged the failed create: read the one we know exists.
            let path = log.logFile(LogFileName.commit(version))
            winners.append(WinningCommit(version: version, actions: try CommitFile.parse(log.read(path), path: path, version: version)))
        }
        return winners
    }

    func afterCommit(version: Int64, metadata: Metadata) {
        let interval = metadata.configuration[TableProperty.checkpointInterval].flatMap(Int.init).map { max(1, $0) } ?? 10
        guard writesCheckpoints, version > 0, version % Int64(interval) == 0 else { return }
        // Best effort: the commit is durable already; a missing checkpoint only costs replay time.
        if let snapshot = try? log.snapshot(asOf: .version(version)) {
            if (try? Checkpointer.write(snapshot, log: log)) != nil {
                // Expired log files go only once a newer checkpoint exists (best effort too).
                _ = try? LogCleanup.cleanUp(log: log, configuration: metadata.configuration, now: Transaction.nowMillis())
            }
        }
    }
}
