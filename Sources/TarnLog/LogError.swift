// LogError: the one error type of TarnLog.
// Owns what a log failure says (path, version, line, feature, conflict kind, remedy);
// must never re-export a lower layer's error type as API: a storage or Parquet failure
// is kept as a description plus the underlying error as an opaque `any Error` cause.
import TarnColumnar

/// Why a commit lost to a concurrent writer and could not be rebased.
public enum ConflictKind: String, Sendable, Hashable, CaseIterable {
    /// A winner changed the table protocol (reader/writer versions or features).
    case protocolChanged
    /// A winner changed the table metadata (schema, partitioning, properties).
    case metadataChanged
    /// A winner added files that match what this transaction read.
    case concurrentAppend
    /// A winner removed files that this transaction read.
    case concurrentDeleteRead
    /// A winner removed files that this transaction also removes.
    case concurrentDeleteDelete
    /// A winner committed a `txn` action for the same application id.
    case concurrentTransaction
    /// A winner changed the same domain metadata.
    case concurrentDomainMetadata
    /// A winner created the table this transaction was creating.
    case tableAlreadyExists
    /// Retries were exhausted while other writers kept winning.
    case tooManyRetries
}

/// Which side of the protocol a table feature constrains.
public enum FeatureSide: String, Sendable, Hashable {
    case reader
    case writer
}

/// An error from the Delta log layer. `description` says what failed, where, and what to do.
public enum LogError: Error, Sendable, CustomStringConvertible {
    /// A log file (commit, checkpoint, `_last_checkpoint`) is malformed. `line` is 1-based
    /// for commit files; `version` is the log version the file belongs to when known.
    case corrupt(path: String, version: Int64?, line: Int?, detail: String)
    /// No Delta table (no `_delta_log` entries) at `tablePath`.
    case tableNotFound(tablePath: String)
    /// The version does not exist (yet): `latest` is the newest version of the table.
    case missingVersion(version: Int64, latest: Int64, tablePath: String)
    /// The version existed but its log entries were cleaned up; `available` are the
    /// versions that can still be read.
    case versionGone(version: Int64, available: ClosedRange<Int64>, tablePath: String)
    /// Time travel to a timestamp (µs since the epoch) earlier than the first commit
    /// still in the log (`firstCommit` in µs, at `firstVersion`).
    case timestampBeforeFirstCommit(timestamp: Int64, firstCommit: Int64, firstVersion: Int64, tablePath: String)
    /// The table needs a protocol version or a feature Tarn does not implement.
    case unsupportedFeature(name: String, side: FeatureSide, tablePath: String, detail: String)
    /// A concurrent writer won with changes this transaction cannot be rebased over.
    case conflict(kind: ConflictKind, winningVersion: Int64, detail: String)
    /// The caller asked for something invalid (bad schema, missing metadata, ...).
    case invalidArgument(String)
    /// The storage (or the Parquet codec under a checkpoint) failed. `cause` is the
    /// underlying error's description; `underlying` is the error itself, for callers that
    /// want to inspect it (a `StorageError` or `ParquetError`), never part of the contract.
    case storage(operation: String, path: String, cause: String, underlying: any Error & Sendable)

    /// The remedy sentence of a conflict kind.
    public static func remedy(for kind: ConflictKind) -> String {
        switch kind {
        case .protocolChanged, .metadataChanged:
            return "reload the table and run the operation again against the new schema and protocol"
        case .concurrentAppend:
            return "re-run the operation on the latest version, or narrow its predicate to partitions other writers do not append to"
        case .concurrentDeleteRead, .concurrentDeleteDelete:
            return "re-run the operation on the latest version; the files it read were changed by another writer"
        case .concurrentTransaction:
            return "check the application's transaction version against the table before writing again"
        case .concurrentDomainMetadata:
            return "reload the table and re-run the operation"
        case .tableAlreadyExists:
            return "open the existing table instead of creating it, or choose another location"
        case .tooManyRetries:
            return "retry later or reduce the number of concurrent writers"
        }
    }

    public var description: String {
        switch self {
        case let .corrupt(path, version, line, detail):
            var whereText = "'\(path)'"
            if let version { whereText += " (version \(version))" }
            if let line { whereText += " line \(line)" }
            return "corrupt Delta log file \(whereText): \(detail); the log was damaged or written by a broken writer, restore the file from a backup"
        case let .tableNotFound(tablePath):
            return "no Delta table at '\(tablePath)' (no _delta_log commits); check the path or create the table first"
        case let .missingVersion(version, latest, tablePath):
            return "version \(version) of table '\(tablePath)' does not exist; the latest version is \(latest)"
        case let .versionGone(version, available, tablePath):
            return "version \(version) of table '\(tablePath)' is no longer available (its log was cleaned up); "
                + "versions \(available.lowerBound) through \(available.upperBound) can be read"
        case let .timestampBeforeFirstCommit(timestamp, firstCommit, firstVersion, tablePath):
            return "timestamp \(TimestampText.iso(micros: timestamp)) is before the first available commit of table '\(tablePath)' "
                + "(version \(firstVersion) at \(TimestampText.iso(micros: firstCommit))); use a later timestamp"
        case let .unsupportedFeature(name, side, tablePath, detail):
            return "table '\(tablePath)' requires \(side.rawValue) feature '\(name)', which Tarn does not support (\(detail)); "
                + "read it with an engine that supports '\(name)' or rewrite the table without it"
        case let .conflict(kind, winningVersion, detail):
            return "commit conflict (\(kind.rawValue)) with version \(winningVersion): \(detail); " + LogError.remedy(for: kind)
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        case let .storage(operation, path, cause, _):
            return "\(operation) of '\(path)' failed: \(cause)"
        }
    }
}

/// Text forms of timestamps used in messages and in the log.
enum TimestampText {
    static func iso(micros: Int64) -> String {
        TemporalFormat.timestamp(micros, zone: .utc)
    }
}
