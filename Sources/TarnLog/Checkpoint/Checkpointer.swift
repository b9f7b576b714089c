// Checkpointer: writes a classic single-file checkpoint of a snapshot and then
// `_last_checkpoint`. Owns the order (checkpoint file first, hint second) and which
// actions a checkpoint holds; must never write a checkpoint for a version it has not
// fully replayed. Log cleanup after a checkpoint lives in LogCleanup.swift.
import TarnIO

public enum Checkpointer {
    /// Default `delta.deletedFileRetentionDuration`: one week, in ms.
    public static let defaultTombstoneRetention: Int64 = 7 * 24 * 3600 * 1000

    /// Milliseconds of a Delta interval property (`interval 7 days`, `interval 1 week`,
    /// `interval 36 hours`); nil when the text is not an interval Tarn understands.
    public static func intervalMillis(_ text: String) -> Int64? {
        let words = text.lowercased().split(separator: " ")
        guard words.count == 3, words[0] == "interval", let n = Int64(words[1]), n >= 0 else { return nil }
        let unit: Int64
        switch words[2].hasSuffix("s") ? words[2].dropLast() : words[2] {
        case "millisecond": unit = 1
        case "second": unit = 1000
        case "minute": unit = 60_000
        case "hour": unit = 3_600_000
        case "day": unit = 86_400_000
        case "week": unit = 604_800_000
        default: return nil
        }
        let (ms, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? nil : ms
    }

    /// The actions a checkpoint of `snapshot` holds: protocol, metadata, txns, domain
    /// metadata, live adds and the tombstones deleted within
    /// `delta.deletedFileRetentionDuration` (default one week) before `now` (ms).
    public static func actions(of snapshot: Snapshot, now: Int64? = nil) -> [Action] {
        let retention = snapshot.configuration[TableProperty.deletedFileRetentionDuration].flatMap(intervalMillis)
            ?? defaultTombstoneRetention
        let cutoff = now.map { $0 - retention }
        var out: [Action] = []
        out.reserveCapacity(snapshot.files.count + snapshot.state.tombstones.count + 2 + snapshot.transactions.count)
        out.append(.tableProtocol(snapshot.tableProtocol))
        out.append(.metadata(snapshot.metadata))
        for txn in snapshot.transactions.values.sorted(by: { $0.appId < $1.appId }) { out.append(.txn(txn)) }
        for d in snapshot.domainMetadata.values.sorted(by: { $0.domain < $1.domain }) { out.append(.domainMetadata(d)) }
        for add in snapshot.files { out.append(.add(add)) }
        for remove in snapshot.state.tombstones.values.sorted(by: { $0.path < $1.path }) {
            if let cutoff, let deleted = remove.deletionTimestamp, deleted < cutoff { continue }
            out.append(.remove(remove))
        }
        return out
    }

    /// Writes `<version>.checkpoint.parquet` for `snapshot`, then `_last_checkpoint`.
    /// - Throws: `.storage` or codec errors; nothing is written to `_last_checkpoint` then.
    public static func write(_ snapshot: Snapshot, log: DeltaLog) throws(LogError) {
        let actions = actions(of: snapshot, now: Transaction.nowMillis())
        let path = log.logFile(LogFileName.checkpoint(snapshot.version))
        let bytes = try CheckpointCodec.write(actions, tableProtocol: snapshot.tableProtocol, path: path)
        do {
            try log.store.put(path, bytes)
        } catch {
            throw DeltaLog.wrap("write checkpoint", path, error)
        }
        let hint = LastCheckpoint(version: snapshot.version, size: Int64(actions.count), sizeInBytes: Int64(bytes.count),
                                  numOfAddFiles: Int64(snapshot.files.count))
        let hintPath = log.logFile(LogFileName.lastCheckpoint)
        do {
            try log.store.put(hintPath, hint.bytes)
        } catch {
            throw DeltaLog.wrap("write", hintPath, error)
        }
    }
}
