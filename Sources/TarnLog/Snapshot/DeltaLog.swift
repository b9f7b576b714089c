// DeltaLog: one table's transaction log on a FileStore — loads snapshots (latest, by
// version, by timestamp), caches the latest and advances it by reading only newer
// commits, lists history, and starts transactions. The IO edge of TarnLog: replay,
// segment selection and conflict checks it calls are pure. Thread-safe.
import Dispatch
import TarnIO

public final class DeltaLog: Sendable {
    public let store: any FileStore
    /// Store-relative path of the table root ("" for the store root).
    public let tablePath: String
    /// Store-relative path of `_delta_log`.
    public let logPath: String
    /// `engineInfo` written into every commit.
    public static let engineInfo = "Tarn/0.1.0"
    /// Who commits through this log: written as `userName` into every commitInfo
    /// (provenance only; nil writes none).
    public let committer: String?

    private let cache = LogLock<Snapshot?>(nil)
    /// Commit times (ms) by version read for timestamp resolution; commits are immutable.
    private let commitTimes = LogLock<[Int64: Int64]>([:])

    public init(store: any FileStore, tablePath: String, committer: String? = nil) {
        self.store = store
        self.committer = committer
        var path = tablePath
        while path.hasSuffix("/") { path.removeLast() }
        self.tablePath = path
        self.logPath = path.isEmpty ? "_delta_log" : path + "/_delta_log"
    }

    func logFile(_ name: String) -> String { logPath + "/" + name }

    private static let registry = LogLock<[String: DeltaLog]>([:])

    /// The process-wide `DeltaLog` of a table, so every opener shares one snapshot cache.
    /// `storeKey` names the storage (for example a `LocalFileStore` root); the cache is
    /// still checked against storage on every `snapshot()`, so sharing is always safe.
    public static func shared(store: any FileStore, storeKey: String, tablePath: String) -> DeltaLog {
        let key = storeKey + "\u{0}" + tablePath
        return registry.withLock { logs in
            if let log = logs[key] { return log }
            let log = DeltaLog(store: store, tablePath: tablePath)
            logs[key] = log
            return log
        }
    }

    static func wrap(_ operation: String, _ path: String, _ error: StorageError) -> LogError {
        .storage(operation: operation, path: path, cause: error.description, underlying: error)
    }

    // MARK: Existence and listing

    /// Whether the table has at least one commit or checkpoint.
    public func tableExists() throws(LogError) -> Bool {
        LogSegment.Inventory(listing: try list(after: nil)).latest != nil
    }

    func list(after: String?) throws(LogError) -> [FileInfo] {
        do {
            return try store.list(prefix: logPath, after: after)
        } catch {
            throw DeltaLog.wrap("list", logPath, error)
        }
    }

    func read(_ path: String) throws(LogError) -> [UInt8] {
        do {
            return try store.read(path)
        } catch {
            throw DeltaLog.wrap("read", path, error)
        }
    }

    // MARK: Snapshots

    /// The snapshot at `asOf` (the latest when nil). The latest is cached and advanced by
    /// reading only commits newer than the cached version.
    /// - Throws: `.tableNotFound`, `.missingVersion`, `.versionGone`,
    ///   `.timestampBeforeFirstCommit`, `.corrupt`, `.unsupportedFeature`, `.storage`.
    public func snapshot(asOf: TimeTravel? = nil) throws(LogError) -> Snapshot {
        switch asOf {
        case nil:
            return try latestSnapshot()
        case let .version(v):
            if let cached = cache.withLock({ $0 }), cached.version == v { return cached }
            return try loadSnapshot(listing: list(after: nil), version: v)
        case let .timestamp(micros):
            let version = try resolveVersion(atTimestamp: micros)
            return try snapshot(asOf: .version(version))
        }
    }

    /// Drops the cached snapshot (the next `snapshot()` reloads from storage).
    public func invalidateCache() {
        cache.withLock { $0 = nil }
    }

    func latestSnapshot() throws(LogError) -> Snapshot {
        if let cached = cache.withLock({ $0 }) {
            let newer = try list(after: logFile(LogFileName.commit(cached.version)))
            let inventory = LogSegment.Inventory(listing: newer)
            let newCommits = inventory.commits.keys.filter { $0 > cached.version }.sorted()
            if newCommits.isEmpty { return cached }
            if let last = newCommits.last, newCommits.count == Int(last - cached.version) {
                // Contiguous: advance by the new commits only.
                let refs = newCommits.compactMap { v in inventory.commits[v].map { CommitFileRef(version: v, file: $0) } }
                let advanced = try advance(cached, with: refs)
                store(advanced)
                return advanced
            }
        }
        let snapshot = try loadLatestFromStorage()
        store(snapshot)
        return snapshot
    }

    func store(_ snapshot: Snapshot) {
        cache.withLock { current in
            if current == nil || (current?.version ?? -1) < snapshot.version { current = snapshot }
        }
    }

    /// Advances the cached snapshot by a commit this process just made at `version`, when
    /// the cache is exactly one version behind (saves re-reading our own commit).
    func didCommit(version: Int64, actions: [Action], fileModificationTime: Int64?) {
        guard let cached = cache.withLock({ $0 }), cached.version == version - 1 else { return }
        var state = cached.state
        state.applyCommit(actions, version: version, fileModificationTime: fileModificationTime)
        if let advanced = try? Snapshot(tablePath: tablePath, state: state) { store(advanced) }
    }

    func advance(_ snapshot: Snapshot, with commits: [CommitFileRef]) throws(LogError) -> Snapshot {
        var state = snapshot.state
        let actions = try readCommits(commits)
        for (ref, acts) in zip(commits, actions) {
            state.applyCommit(acts, version: ref.version, fileModificationTime: ref.file.modificationTime)
        }
        return try Snapshot(tablePath: tablePath, state: state)
    }

    func loadLatestFromStorage() throws(LogError) -> Snapshot {
        // Use the _last_checkpoint hint to list only from the checkpoint on; fall back to a
        // full listing when the hint is missing, torn or stale.
        var hint: LastCheckpoint? = nil
        do {
            hint = LastCheckpoint.parse(try store.read(logFile(LogFileName.lastCheckpoint)))
        } catch .notFound {
            hint = nil
        } catch {
            hint = nil
        }
        if let hint {
            let partial = try list(after: logFile(LogFileName.padded(hint.version)))
            let inventory = LogSegment.Inventory(listing: partial)
            if inventory.checkpoints[hint.version] != nil,
               let segment = try? LogSegment.select(inventory: inventory, tablePath: tablePath, targetVersion: nil) {
                return try load(segment)
            }
        }
        return try loadSnapshot(listing: list(after: nil), version: nil)
    }

    func loadSnapshot(listing: [FileInfo], version: Int64?) throws(LogError) -> Snapshot {
        let segment = try LogSegment.select(listing: listing, tablePath: tablePath, targetVersion: version)
        return try load(segment)
    }

    /// Loads the snapshot a segment describes: checkpoint actions, then commits.
    public func load(_ segment: LogSegment) throws(LogError) -> Snapshot {
        var state = TableState()
        if let checkpoint = segment.checkpoint {
            var actions: [Action] = []
            for file in checkpoint.files {
                actions.append(contentsOf: try CheckpointCodec.readActions(read(file.path), path: file.path, version: checkpoint.version))
            }
            state.applyCheckpoint(actions, version: checkpoint.version)
        }
        let actions = try readCommits(segment.commits)
        for (ref, acts) in zip(segment.commits, actions) {
            state.applyCommit(acts, version: ref.version, fileModificationTime: ref.file.modificationTime)
        }
        return try Snapshot(tablePath: tablePath, state: state)
    }

    /// Reads and parses commit files, in parallel when there are many.
    func readCommits(_ refs: [CommitFileRef]) throws(LogError) -> [[Action]] {
        if refs.count < 8 {
            var out: [[Action]] = []
            out.reserveCapacity(refs.count)
            for ref in refs { out.append(try CommitFile.parse(read(ref.file.path), path: ref.file.path, version: ref.version)) }
            return out
        }
        let results = LogLock<[Result<[Action], LogError>?]>(Array(repeating: nil, count: refs.count))
        let workers = min(4, refs.count)
        let store = self.store
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < refs.count {
                let ref = refs[i]
                let result: Result<[Action], LogError>
                do {
                    let bytes = try store.read(ref.file.path)
                    result = .success(try CommitFile.parse(bytes, path: ref.file.path, version: ref.version))
                } catch let error as StorageError {
                    result = .failure(DeltaLog.wrap("read", ref.file.path, error))
                } catch let error as LogError {
                    result = .failure(error)
                } catch {
                    result = .failure(.corrupt(path: ref.file.path, version: ref.version, line: nil, detail: "\(error)"))
                }
                let index = i
                results.withLock { $0[index] = result }
                i += workers
            }
        }
        let collected = results.withLock { $0 }
        var out: [[Action]] = []
        out.reserveCapacity(refs.count)
        for (i, r) in collected.enumerated() {
            guard let r else {
                throw LogError.corrupt(path: refs[i].file.path, version: refs[i].version, line: nil, detail: "commit was not read")
            }
            out.append(try r.get())
        }
        return out
    }

    // MARK: Time travel and history

    /// The commit time (ms) of commit `version` from its file: in-commit timestamp when
    /// `useInCommit`, else commitInfo.timestamp, else the file's modification time.
    func commitTime(_ file: FileInfo, version: Int64, useInCommit: Bool) throws(LogError) -> Int64 {
        if let known = commitTimes.withLock({ $0[version] }) { return known }
        let info = try CommitFile.firstCommitInfo(read(file.path), path: file.path, version: version)
        let ts = CommitTimestamps(inCommitTimestamp: info?.inCommitTimestamp, commitInfoTimestamp: info?.timestamp,
                                  fileModificationTime: file.modificationTime)
        let resolved = ts.resolved(useInCommit: useInCommit) ?? file.modificationTime
        commitTimes.withLock { $0[version] = resolved }
        return resolved
    }

    /// The latest version whose commit time is ≤ `micros` (µs since the epoch).
    /// - Throws: `.timestampBeforeFirstCommit` when every readable commit is later;
    ///   `.tableNotFound`; `.storage`.
    public func resolveVersion(atTimestamp micros: Int64) throws(LogError) -> Int64 {
        let inventory = LogSegment.Inventory(listing: try list(after: nil))
        guard let range = inventory.readableRange else { throw LogError.tableNotFound(tablePath: tablePath) }
        let latest = try latestSnapshot()
        let versions = inventory.commits.keys.filter { range.contains($0) }.sorted()
        guard !versions.isEmpty else { return range.upperBound }
        let target = micros >= 0 ? micros / 1000 : (micros - 999) / 1000  // floor to ms
        func time(_ i: Int) throws(LogError) -> Int64 {
            let v = versions[i]
            guard let file = inventory.commits[v] else { return Int64.max }
            return try commitTime(file, version: v, useInCommit: latest.state.usesInCommitTimestamp(at: v))
        }
        let first = try time(0)
        if target < first {
            if range.lowerBound < versions[0] {
                // A checkpoint older than the first commit: it has no time of its own.
                return range.lowerBound
            }
            throw LogError.timestampBeforeFirstCommit(timestamp: micros, firstCommit: first * 1000,
                                                      firstVersion: versions[0], tablePath: tablePath)
        }
        // Binary search for the last commit with time ≤ target (commit times are monotonic).
        var low = 0, high = versions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if try time(mid) <= target { low = mid } else { high = mid - 1 }
        }
        return versions[low]
    }

    /// The newest commits first, at most `limit` (all when nil): version, time, commitInfo.
    public func history(limit: Int? = nil) throws(LogError) -> [CommitRecord] {
        let inventory = LogSegment.Inventory(listing: try list(after: nil))
        var versions = inventory.commits.keys.sorted(by: >)
        if let limit { versions = Array(versions.prefix(max(0, limit))) }
        let useICT: (Int64) -> Bool
        if let latest = try? latestSnapshot() {
            let state = latest.state
            useICT = { state.usesInCommitTimestamp(at: $0) }
        } else {
            useICT = { _ in false }
        }
        var out: [CommitRecord] = []
        out.reserveCapacity(versions.count)
        for v in versions {
            guard let file = inventory.commits[v] else { continue }
            let info = try CommitFile.firstCommitInfo(read(file.path), path: file.path, version: v)
            let ts = CommitTimestamps(inCommitTimestamp: info?.inCommitTimestamp, commitInfoTimestamp: info?.timestamp,
                                      fileModificationTime: file.modificationTime)
            out.append(CommitRecord(version: v, timestamp: ts.resolved(useInCommit: useICT(v)) ?? file.modificationTime, commitInfo: info))
        }
        return out
    }

    // MARK: Transactions

    /// A transaction against the latest snapshot (or creating the table when none exists).
    public func startTransaction(operation: String) throws(LogError) -> Transaction {
        let snapshot: Snapshot?
        do {
            snapshot = try latestSnapshot()
        } catch .tableNotFound {
            snapshot = nil
        }
        return Transaction(log: self, readSnapshot: snapshot, operation: operation)
    }

    /// A transaction reading `snapshot`.
    public func startTransaction(operation: String, readSnapshot: Snapshot?) -> Transaction {
        Transaction(log: self, readSnapshot: readSnapshot, operation: operation)
    }
}

extension CommitFile {
    /// The first `commitInfo` of a commit file, parsing lines only until it is found.
    public static func firstCommitInfo(_ bytes: [UInt8], path: String, version: Int64?) throws(LogError) -> CommitInfo? {
        var start = 0
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            if end > start {
                let value: JSONValue
                do {
                    value = try JSONParser.parse(bytes, range: start..<end)
                } catch {
                    throw LogError.corrupt(path: path, version: version, line: line, detail: error.description)
                }
                if let info = value[ActionKey.commitInfo] {
                    do {
                        return try CommitInfo(fields: ActionFields(ActionKey.commitInfo, info))
                    } catch {
                        throw LogError.corrupt(path: path, version: version, line: line, detail: error.message)
                    }
                }
            }
            start = end + 1
            line += 1
        }
        return nil
    }
}
