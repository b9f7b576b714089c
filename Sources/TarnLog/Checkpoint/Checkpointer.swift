// Checkpointer: writes a classic single-file checkpoint of a snapshot and then
// `_last_checkpoint`. Owns the order (checkpoint file first, hint second) and which
// actions a checkpoint holds; must never write a checkpoint for a version it has not
// fully replayed. Log cleanup (deleting old commits/checkpoints) is a later issue.
import TarnIO

public enum Checkpointer {
    /// The actions a checkpoint of `snapshot` holds: protocol, metadata, txns, domain
    /// metadata, live adds and unexpired tombstones.
    public static func actions(of snapshot: Snapshot) -> [Action] {
        var out: [Action] = []
        out.reserveCapacity(snapshot.files.count + snapshot.state.tombstones.count + 2 + snapshot.transactions.count)
        out.append(.tableProtocol(snapshot.tableProtocol))
        out.append(.metadata(snapshot.metadata))
        for txn in snapshot.transactions.values.sorted(by: { $0.appId < $1.appId }) { out.append(.txn(txn)) }
        for d in snapshot.domainMetadata.values.sorted(by: { $0.domain < $1.domain }) { out.append(.domainMetadata(d)) }
        for add in snapshot.files { out.append(.add(add)) }
        for remove in snapshot.state.tombstones.values.sorted(by: { $0.path < $1.path }) { out.append(.remove(remove)) }
        return out
    }

    /// Writes `<version>.checkpoint.parquet` for `snapshot`, then `_last_checkpoint`.
    /// - Throws: `.storage` or codec errors; nothing is written to `_last_checkpoint` then.
    public static func write(_ snapshot: Snapshot, log: DeltaLog) throws(LogError) {
        let actions = actions(of: snapshot)
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
