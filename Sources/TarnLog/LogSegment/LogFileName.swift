// LogFileName: what a file name in `_delta_log/` is (commit, checkpoint part, other).
// Owns the naming patterns of the spec (20-digit versions, `.checkpoint.k.n.parquet`,
// UUID checkpoints); must never touch storage.

/// The kind of a file in `_delta_log/`.
public enum LogFileKind: Sendable, Hashable {
    /// `<v>.json`
    case commit
    /// `<v>.checkpoint.parquet`
    case singleCheckpoint
    /// `<v>.checkpoint.<part>.<parts>.parquet` (part is 1-based)
    case multiPartCheckpoint(part: Int, parts: Int)
    /// `<v>.checkpoint.<uuid>.(json|parquet)` — a v2 checkpoint, which Tarn does not read.
    case uuidCheckpoint
    /// `<v>.crc`, `<a>.<b>.compacted.json` and anything else versioned Tarn ignores.
    case ignored
}

/// A parsed `_delta_log/` file name.
public struct LogFileName: Sendable, Hashable {
    public var version: Int64
    public var kind: LogFileKind

    /// The 20-digit zero-padded form of a version.
    public static func padded(_ version: Int64) -> String {
        let digits = String(version)
        return digits.count >= 20 ? digits : String(repeating: "0", count: 20 - digits.count) + digits
    }

    /// `<v>.json`
    public static func commit(_ version: Int64) -> String { padded(version) + ".json" }
    /// `<v>.checkpoint.parquet`
    public static func checkpoint(_ version: Int64) -> String { padded(version) + ".checkpoint.parquet" }
    /// `<v>.checkpoint.<part>.<parts>.parquet` with 10-digit part numbers.
    public static func checkpointPart(_ version: Int64, part: Int, parts: Int) -> String {
        func ten(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 10 - s.count)) + s }
        return padded(version) + ".checkpoint." + ten(part) + "." + ten(parts) + ".parquet"
    }

    public static let lastCheckpoint = "_last_checkpoint"

    /// Parses a file name (the last path component); nil when it is not a versioned log file.
    public static func parse(_ name: Substring) -> LogFileName? {
        let bytes = name.utf8
        guard bytes.count > 21 else { return nil }
        var version: Int64 = 0
        var index = bytes.startIndex
        for _ in 0..<20 {
            let b = bytes[index]
            guard b >= 0x30, b <= 0x39 else { return nil }
            let (m, o1) = version.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
            guard !o1, !o2 else { return nil }
            version = a
            index = bytes.index(after: index)
        }
        guard bytes[index] == UInt8(ascii: ".") else { return nil }
        let rest = name[index...].dropFirst()
        if rest == "json" { return LogFileName(version: version, kind: .commit) }
        if rest == "checkpoint.parquet" { return LogFileName(version: version, kind: .singleCheckpoint) }
        if rest.hasPrefix("checkpoint.") {
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 4, parts[3] == "parquet", parts[1].count == 10, parts[2].count == 10,
               let part = Int(parts[1]), let total = Int(parts[2]), total >= 1, part >= 1, part <= total {
                return LogFileName(version: version, kind: .multiPartCheckpoint(part: part, parts: total))
            }
            if parts.count == 3, parts[2] == "json" || parts[2] == "parquet" {
                return LogFileName(version: version, kind: .uuidCheckpoint)
            }
        }
        return LogFileName(version: version, kind: .ignored)
    }
}
