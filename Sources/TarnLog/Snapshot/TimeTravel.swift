// TimeTravel: how a caller names the version it wants, and the pure resolution of a
// timestamp to a version over known commit times. Must never do IO.

/// Which version of a table to read.
public enum TimeTravel: Sendable, Hashable {
    /// Exactly this version.
    case version(Int64)
    /// The latest version whose commit time is at or before this instant (µs since the epoch).
    case timestamp(Int64)
}

/// One entry of a table's history.
public struct CommitRecord: Sendable, Hashable {
    public var version: Int64
    /// The commit's time in ms (in-commit timestamp, commitInfo.timestamp or file time).
    public var timestamp: Int64
    public var commitInfo: CommitInfo?
}

enum TimestampResolution {
    /// The index of the last element of `times` (ascending commit times in ms, in version
    /// order) that is ≤ `targetMillis`; nil if all are later. Non-monotonic times are
    /// tolerated by scanning (commit clocks may step back slightly).
    static func lastIndex(atOrBefore targetMillis: Int64, times: [Int64]) -> Int? {
        var result: Int? = nil
        for (i, t) in times.enumerated() where t <= targetMillis { result = i }
        return result
    }
}
