// RESTORE: one commit (operation RESTORE) that makes the latest version hold exactly the
// files (and metadata) of an older version: removes files added since, re-adds files
// removed since. Must never commit when a file to re-add is gone from storage.
import TarnColumnar
import TarnLog

/// What a committed RESTORE did; the numbers are its operationMetrics.
public struct RestoreMetrics: Sendable, Hashable {
    public var version: Int64
    /// The version whose state was restored.
    public var restoredVersion: Int64
    public var tableSizeAfterRestore: Int64
    public var numOfFilesAfterRestore: Int
    public var numRemovedFiles: Int
    public var numRestoredFiles: Int
    public var removedFilesSize: Int64
    public var restoredFilesSize: Int64
}

extension Table {
    /// Restores the table to `version`. See `restore(to:)`.
    @discardableResult
    public func restore(toVersion version: Int64) throws(TableError) -> RestoreMetrics {
        try restore(to: .version(version))
    }

    /// Restores the table to the latest version committed at or before `micros`
    /// (microseconds since the epoch, as `TimeTravel.timestamp`). See `restore(to:)`.
    @discardableResult
    public func restore(toTimestamp micros: Int64) throws(TableError) -> RestoreMetrics {
        try restore(to: .timestamp(micros))
    }

    /// Makes the table's latest version equal to the version `target` selects, in one new
    /// commit: files present now but not then are removed, files present then but not now
    /// are added again (`dataChange` true, with their original stats and partition
    /// values), and the old metadata (schema, partitioning, properties) is written again
    /// when it differs. History is kept: versions in between stay readable by time travel.
    ///
    /// Isolation: the whole table counts as read, so any concurrent data change commits
    /// first makes the restore fail with `.conflict` (retry it to restore over it).
    ///
    /// Danger: files vacuum deleted cannot be brought back; the restore then fails with
    /// `.notFound` naming the file and nothing is committed.
    /// - Throws: `.notFound` for a version that does not exist, a timestamp before the
    ///   first commit, or a vacuumed data file; `.conflict`; `.storage`.
    @discardableResult
    public func restore(to target: TimeTravel) throws(TableError) -> RestoreMetrics {
        try access.require(.manage, action: "restore")
        let current = try snapshot()
        if case let .version(v) = target, v > current.version {
            throw TableError(.notFound, "cannot restore to version \(v): the latest version is \(current.version)", table: name)
        }
        let old = try snapshot(asOf: target)

        let currentFiles = current.files
        let oldFiles = old.files
        let currentKeys = Set(currentFiles.map(\.key))
        let oldKeys = Set(oldFiles.map(\.key))
        let toRemove = currentFiles.filter { !oldKeys.contains($0.key) }
        var toRestore = oldFiles.filter { !currentKeys.contains($0.key) }

        for file in toRestore {
            let path = storePath(file.decodedPath)
            let present: Bool
            do {
                present = try store.exists(path)
            } catch {
                throw TableError(.storage, "cannot check data file \(file.decodedPath) of version \(old.version)", table: name, cause: error)
            }
            guard present else {
                throw TableError(.notFound,
                                 "cannot restore to version \(old.version): its data file \(file.decodedPath) is gone from storage (vacuum removed it); nothing was committed",
                                 table: name)
            }
        }
        let now = Table.nowMillis()
        for i in toRestore.indices {
            toRestore[i].dataChange = true
        }

        var transaction = log.startTransaction(operation: "RESTORE", readSnapshot: current)
        transaction.recordReadWholeTable()
        if !Self.sameMetadata(old.metadata, current.metadata) {
            transaction.add(.metadata(old.metadata))
        }
        transaction.add(toRemove.map { .remove($0.removal(deletionTimestamp: now)) })
        transaction.add(toRestore.map { .add($0) })

        var metrics = RestoreMetrics(
            version: -1, restoredVersion: old.version,
            tableSizeAfterRestore: old.sizeInBytes, numOfFilesAfterRestore: oldFiles.count,
            numRemovedFiles: toRemove.count, numRestoredFiles: toRestore.count,
            removedFilesSize: toRemove.reduce(0) { $0 + $1.size }, restoredFilesSize: toRestore.reduce(0) { $0 + $1.size })
        switch target {
        case let .version(v): transaction.operationParameters = ["version": String(v)]
        case let .timestamp(micros):
            transaction.operationParameters = ["timestamp": TemporalFormat.timestamp(micros, zone: .utc),
                                               "version": String(old.version)]
        }
        transaction.operationMetrics = [
            "tableSizeAfterRestore": String(metrics.tableSizeAfterRestore),
            "numOfFilesAfterRestore": String(metrics.numOfFilesAfterRestore),
            "numRemovedFiles": String(metrics.numRemovedFiles), "numRestoredFiles": String(metrics.numRestoredFiles),
            "removedFilesSize": String(metrics.removedFilesSize), "restoredFilesSize": String(metrics.restoredFilesSize),
        ]
        do {
            metrics.version = try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the restore was not committed")
        }
        return metrics
    }

    private static func sameMetadata(_ a: Metadata, _ b: Metadata) -> Bool {
        a.schemaString == b.schemaString && a.partitionColumns == b.partitionColumns && a.configuration == b.configuration
            && a.description == b.description && a.name == b.name
    }

}
