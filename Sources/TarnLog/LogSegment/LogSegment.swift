// LogSegment: which log files make up the table at one version — pure selection from a
// sorted `_delta_log/` listing. Invariants: the checkpoint (if any) is complete and at or
// below the version; commits are exactly checkpoint+1...version with no gap.
// Must never do IO; the listing and `_last_checkpoint` content are handed in.
import TarnIO

/// A complete checkpoint: one file, or all parts of a multi-part checkpoint in part order.
public struct CheckpointFiles: Sendable, Hashable {
    public var version: Int64
    public var files: [FileInfo]
    public var isMultiPart: Bool { files.count > 1 }
}

/// A commit file of the segment.
public struct CommitFileRef: Sendable, Hashable {
    public var version: Int64
    public var file: FileInfo
}

/// The files that reconstruct the table at `version`.
public struct LogSegment: Sendable, Hashable {
    public var tablePath: String
    public var version: Int64
    public var checkpoint: CheckpointFiles?
    /// Commits after the checkpoint, in version order, ending at `version`.
    public var commits: [CommitFileRef]

    /// What a listing of `_delta_log/` holds, indexed by version.
    public struct Inventory: Sendable {
        public var commits: [Int64: FileInfo] = [:]
        /// Complete checkpoints by version (single-file preferred over multi-part).
        public var checkpoints: [Int64: CheckpointFiles] = [:]
        /// The newest version present as a commit or complete checkpoint.
        public var latest: Int64? {
            let c = commits.keys.max(), k = checkpoints.keys.max()
            switch (c, k) {
            case let (x?, y?): return max(x, y)
            case let (x?, nil): return x
            case let (nil, y?): return y
            default: return nil
            }
        }
        /// Every version that can be reconstructed: from commit 0, or from a checkpoint, up
        /// through contiguous commits. Nil when none.
        public var readableRange: ClosedRange<Int64>? {
            guard let latest else { return nil }
            var starts: [Int64] = Array(checkpoints.keys)
            if commits[0] != nil { starts.append(0) }
            // The oldest start from which every later version up to `latest` is reachable.
            var earliest: Int64? = nil
            for start in starts.sorted(by: >) {
                var v = start + 1
                var reachable = true
                while v <= latest {
                    if commits[v] == nil, checkpoints[v] == nil { reachable = false; break }
                    v += 1
                }
                if reachable { earliest = start } else { break }
            }
            return earliest.map { $0...latest }
        }

        public init(listing: [FileInfo]) {
            var parts: [Int64: [Int: [Int: FileInfo]]] = [:]  // version → parts count → part → file
            var singles: [Int64: FileInfo] = [:]
            for info in listing {
                let name = info.path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(info.path)
                guard let parsed = LogFileName.parse(name) else { continue }
                switch parsed.kind {
                case .commit: commits[parsed.version] = info
                case .singleCheckpoint: singles[parsed.version] = info
                case let .multiPartCheckpoint(part, total): parts[parsed.version, default: [:]][total, default: [:]][part] = info
                case .uuidCheckpoint, .ignored: continue
                }
            }
            for (version, info) in singles { checkpoints[version] = CheckpointFiles(version: version, files: [info]) }
            for (version, byTotal) in parts where checkpoints[version] == nil {
                for (total, byPart) in byTotal.sorted(by: { $0.key < $1.key }) where byPart.count == total {
                    var files: [FileInfo] = []
                    for p in 1...total { if let f = byPart[p] { files.append(f) } }
                    if files.count == total {
                        checkpoints[version] = CheckpointFiles(version: version, files: files)
                        break
                    }
                }
            }
        }
    }

    /// Selects the segment for `targetVersion` (the latest when nil) from a listing of
    /// `_delta_log/` (any order; non-log files are ignored).
    /// - Throws: `.tableNotFound` when the listing holds no log; `.missingVersion` when the
    ///   target is newer than the latest; `.versionGone` when it was cleaned up;
    ///   `.corrupt` naming the missing commit when the commits after the checkpoint have a gap.
    public static func select(listing: [FileInfo], tablePath: String, targetVersion: Int64?) throws(LogError) -> LogSegment {
        try select(inventory: Inventory(listing: listing), tablePath: tablePath, targetVersion: targetVersion)
    }

    public static func select(inventory: Inventory, tablePath: String, targetVersion: Int64?) throws(LogError) -> LogSegment {
        guard let latest = inventory.latest else { throw LogError.tableNotFound(tablePath: tablePath) }
        let target = targetVersion ?? latest
        guard target >= 0 else { throw LogError.invalidArgument("version \(target) is negative; versions start at 0") }
        guard target <= latest else { throw LogError.missingVersion(version: target, latest: latest, tablePath: tablePath) }
        let checkpointVersion = inventory.checkpoints.keys.filter { $0 <= target }.max()
        let checkpoint = checkpointVersion.flatMap { inventory.checkpoints[$0] }
        let start = (checkpointVersion ?? -1) + 1
        if checkpoint == nil, inventory.commits[0] == nil {
            throw LogError.versionGone(version: target, available: inventory.readableRange ?? latest...latest, tablePath: tablePath)
        }
        var commits: [CommitFileRef] = []
        if start <= target {
            commits.reserveCapacity(Int(target - start + 1))
            for v in start...target {
                guard let info = inventory.commits[v] else {
                    throw LogError.corrupt(path: LogFileName.commit(v), version: v, line: nil,
                                           detail: "the commit file for version \(v) is missing but later log files exist (a gap in the log)")
                }
                commits.append(CommitFileRef(version: v, file: info))
            }
        }
        return LogSegment(tablePath: tablePath, version: target, checkpoint: checkpoint, commits: commits)
    }
}
