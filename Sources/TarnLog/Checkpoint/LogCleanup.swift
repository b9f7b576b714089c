// LogCleanup: deletes expired `_delta_log/` entries (commits, checkpoints, checksums)
// per `delta.logRetentionDuration` (default 30 days), only below the newest checkpoint
// that is itself expired, so the remaining log always starts at a complete checkpoint.
// Must never delete that checkpoint, anything newer, or `_last_checkpoint`.
import TarnIO

public enum LogCleanup {
    /// Default `delta.logRetentionDuration`: 30 days, in ms.
    public static let defaultLogRetention: Int64 = 30 * 86_400_000

    /// The log retention of a table's configuration (ms): `delta.logRetentionDuration`
    /// parsed as a Delta interval, else 30 days.
    public static func retentionMillis(_ configuration: [String: String]) -> Int64 {
        configuration[TableProperty.logRetentionDuration].flatMap(Checkpointer.intervalMillis) ?? defaultLogRetention
    }

    /// Whether the table allows cleanup (`delta.enableExpiredLogCleanup`, default true).
    public static func isEnabled(_ configuration: [String: String]) -> Bool {
        configuration["delta.enableExpiredLogCleanup"]?.lowercased() != "false"
    }

    /// The log files `cleanUp` would delete from `listing` (a listing of `_delta_log/`):
    /// every versioned file (commit, checkpoint or part, `.crc`, compacted commit) whose
    /// version is below the boundary — the newest complete checkpoint whose files were all
    /// last modified at or before `now - retention` — and which is itself expired by
    /// modification time. Empty when no checkpoint is expired. Pure.
    public static func expiredFiles(listing: [FileInfo], retention: Int64, now: Int64) -> [FileInfo] {
        let cutoff = now - retention
        let inventory = LogSegment.Inventory(listing: listing)
        let boundary = inventory.checkpoints.values
            .filter { checkpoint in checkpoint.files.allSatisfy { $0.modificationTime <= cutoff } }
            .map(\.version).max()
        guard let boundary else { return [] }
        var expired: [FileInfo] = []
        for info in listing {
            let name = info.path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(info.path)
            guard let parsed = LogFileName.parse(name), parsed.version < boundary, info.modificationTime <= cutoff else { continue }
            expired.append(info)
        }
        return expired
    }

    /// Deletes the expired log files of `log` (see `expiredFiles`), oldest version first,
    /// using the retention of `configuration`. `now` is ms since the epoch.
    /// - Returns: the store paths deleted.
    /// - Throws: `.storage` when listing or a deletion fails (files deleted before the
    ///   failure stay deleted; the log still starts at a checkpoint or an older commit).
    @discardableResult
    public static func cleanUp(log: DeltaLog, configuration: [String: String], now: Int64) throws(LogError) -> [String] {
        guard isEnabled(configuration) else { return [] }
        let listing = try log.list(after: nil)
        let expired = expiredFiles(listing: listing, retention: retentionMillis(configuration), now: now)
        // Oldest first: an interrupted cleanup leaves a contiguous tail of the log.
        let ordered = expired.sorted { $0.path < $1.path }
        var deleted: [String] = []
        for info in ordered {
            do {
                try log.store.delete(info.path)
            } catch {
                throw DeltaLog.wrap("delete expired log file", info.path, error)
            }
            deleted.append(info.path)
        }
        return deleted
    }
}
