// VACUUM: deletes data files under the table directory that no retained version needs —
// not referenced by the current snapshot, not removed within the retention window, and
// last modified before it — and records VACUUM START / VACUUM END commits around the
// deletions. Must never delete `_delta_log`, hidden (`_`/`.`) paths, referenced files,
// or anything newer than the retention (an in-flight writer's files).
import Foundation
import TarnIO
import TarnLog

/// What a vacuum deleted (or, in a dry run, would delete).
public struct VacuumResult: Sendable {
    /// The committed VACUUM END version; nil for a dry run.
    public var version: Int64?
    public var dryRun: Bool
    /// Paths relative to the table directory, sorted.
    public var files: [String]
    /// Total bytes of `files`.
    public var sizeOfData: Int64
    /// The retention applied, in ms.
    public var retentionMillis: Int64
}

extension Table {
    /// Deletes files no version within the retention window needs.
    ///
    /// A file is deleted when it lies under the table directory (outside `_delta_log` and
    /// hidden `_`/`.` paths other than partition directories), is not referenced by the
    /// latest snapshot, was not removed after `now - retention` (so time travel within
    /// the window keeps working), and was last modified at or before `now - retention`
    /// (so files of writers that have not committed yet survive). The cutoff is inclusive
    /// at millisecond precision.
    ///
    /// Dangers: time travel to a version older than the retention fails afterwards (its
    /// files are gone), and a retention shorter than the table's
    /// `delta.deletedFileRetentionDuration` (default 1 week) can delete files that long
    /// queries or slow writers still need — it is refused unless `enforceRetention` is false.
    /// - Parameters:
    ///   - retentionHours: the window; the table's `delta.deletedFileRetentionDuration` when nil.
    ///   - dryRun: only list the files; nothing is deleted or committed.
    /// - Throws: `.invalidArgument` for a negative or too-short retention (nothing done);
    ///   `.conflict`/`.storage` when a commit or deletion fails.
    @discardableResult
    public func vacuum(retentionHours: Double? = nil, dryRun: Bool = false, enforceRetention: Bool = true) throws(TableError) -> VacuumResult {
        try access.require(.manage, action: "vacuum")
        return try vacuum(retentionHours: retentionHours, dryRun: dryRun, enforceRetention: enforceRetention,
                   now: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// `vacuum` at the clock time `now` (ms since the epoch); tests move the clock.
    func vacuum(retentionHours: Double?, dryRun: Bool, enforceRetention: Bool, now: Int64) throws(TableError) -> VacuumResult {
        let snapshot = try snapshot()
        let configured = snapshot.configuration[TableProperty.deletedFileRetentionDuration]
        let defaultRetention = configured.flatMap(Checkpointer.intervalMillis) ?? Checkpointer.defaultTombstoneRetention
        var retention = defaultRetention
        if let retentionHours {
            guard retentionHours.isFinite, retentionHours >= 0, retentionHours < 1e9 else {
                throw TableError(.invalidArgument, "the vacuum retention must be a non-negative number of hours, not \(retentionHours)", table: name)
            }
            retention = Int64((retentionHours * 3_600_000).rounded(.down))
        }
        if enforceRetention, retention < defaultRetention {
            throw TableError(.invalidArgument, """
                a vacuum retention of \(Self.hoursText(retention)) is shorter than the table's retention of \
                \(Self.hoursText(defaultRetention)) (delta.deletedFileRetentionDuration\(configured.map { " = '\($0)'" } ?? ", default 1 week")); \
                it could delete files that time travel to recent versions, running queries or concurrent writers \
                still need. Pass enforceRetention: false to vacuum anyway, or lower delta.deletedFileRetentionDuration
                """, table: name)
        }
        let threshold = now - retention

        var keep = Set<String>()
        // Paths as the log holds them (URI-encoded) and, for adds, decoded; absolute URIs
        // that point into the table directory also as relative paths.
        let location = locationDescription
        func remember(_ logPath: String) {
            keep.insert(logPath)
            for prefix in ["file://" + location + "/", "file:" + location + "/"] where logPath.hasPrefix(prefix) {
                keep.insert(String(logPath.dropFirst(prefix.count)))
            }
        }
        for add in snapshot.files {
            remember(add.path)
            keep.insert(add.decodedPath)
        }
        // The cutoff is inclusive: a file removed (or last modified) at or before
        // `now - retention` has aged out. Times are whole milliseconds, so with retention 0
        // a removal committed in the same millisecond as the vacuum's clock reading (and
        // thus before the snapshot it read) is deleted, as the retention rule says.
        for tombstone in snapshot.tombstones {
            // A tombstone without a time is kept: its age is unknown.
            if (tombstone.deletionTimestamp ?? Int64.max) > threshold { remember(tombstone.path) }
        }
        let listing: [FileInfo]
        do {
            listing = try store.list(prefix: path, recursive: true)
        } catch {
            throw TableError(.storage, "cannot list the table directory", table: name, cause: error)
        }
        let partitionColumns = Set(snapshot.partitionColumns)
        var doomed: [FileInfo] = []
        var relativePaths: [String] = []
        for info in listing {
            let relative = path.isEmpty ? info.path : String(info.path.dropFirst(path.count + 1))
            guard !Self.isHidden(relative, partitionColumns: partitionColumns), !keep.contains(relative), !keep.contains(AddFile.encodePath(relative)),
                  info.modificationTime <= threshold else { continue }
            doomed.append(info)
            relativePaths.append(relative)
        }
        let size = doomed.reduce(Int64(0)) { $0 + Int64($1.size) }
        var result = VacuumResult(version: nil, dryRun: dryRun, files: relativePaths, sizeOfData: size, retentionMillis: retention)
        if dryRun { return result }

        var start = log.startTransaction(operation: "VACUUM START", readSnapshot: snapshot)
        start.operationParameters = ["retentionCheckEnabled": String(enforceRetention),
                                     "defaultRetentionMillis": String(defaultRetention),
                                     "specifiedRetentionMillis": String(retention)]
        start.operationMetrics = ["numFilesToDelete": String(doomed.count), "sizeOfDataToDelete": String(size)]
        do {
            try start.commitOrThrow()
        } catch {
            throw wrap(error, "vacuum did not start (VACUUM START was not committed); nothing was deleted")
        }
        var deleted = 0
        var failure: TableError? = nil
        for info in doomed {
            do {
                try store.delete(info.path)
                deleted += 1
            } catch {
                failure = TableError(.storage, "vacuum could not delete \(info.path)", table: name, cause: error)
                break
            }
        }
        let endSnapshot = try self.snapshot()
        var end = log.startTransaction(operation: "VACUUM END", readSnapshot: endSnapshot)
        end.operationParameters = ["status": failure == nil ? "COMPLETED" : "FAILED"]
        end.operationMetrics = ["numDeletedFiles": String(deleted), "numVacuumedDirectories": "0"]
        do {
            result.version = try end.commitOrThrow()
        } catch {
            throw failure ?? wrap(error, "vacuum deleted \(deleted) files but VACUUM END was not committed")
        }
        if let failure { throw failure }
        return result
    }

    /// Whether a table-relative path is hidden from vacuum: `_delta_log` and any path
    /// with a component starting with `_` or `.`, unless that component is a partition
    /// directory (`<partition column>=<value>`); and deletion-vector files.
    static func isHidden(_ relative: String, partitionColumns: Set<String>) -> Bool {
        // Deletion-vector files are named by the adds that use them, not by their paths;
        // Tarn does not resolve those names, so it never deletes such files.
        if let name = relative.split(separator: "/").last, name.hasPrefix("deletion_vector_"), name.hasSuffix(".bin") {
            return true
        }
        for component in relative.split(separator: "/") {
            guard component.hasPrefix("_") || component.hasPrefix(".") else { continue }
            if let eq = component.firstIndex(of: "="), partitionColumns.contains(String(component[..<eq])) { continue }
            return true
        }
        return false
    }

    static func hoursText(_ millis: Int64) -> String {
        let hours = Double(millis) / 3_600_000
        return hours == hours.rounded() ? "\(Int64(hours)) hours" : "\(hours) hours"
    }
}
