// DELETE: copy-on-write removal of the rows matching a predicate, as one Delta commit
// (operation DELETE). Only files that partition values or stats say may match are read;
// untouched files keep their paths. Never deletes a file from storage (vacuum does).
import Dispatch
import TarnColumnar
import TarnExpression
import TarnLog

/// What a committed (or skipped) DELETE did; the numbers are its operationMetrics.
public struct DeleteMetrics: Sendable, Hashable {
    /// The committed version; nil when no row matched and nothing was committed.
    public var version: Int64?
    public var numRemovedFiles: Int
    public var numAddedFiles: Int
    public var numDeletedRows: Int
    /// Rows of rewritten files that did not match and were copied to new files.
    public var numCopiedRows: Int
    public var executionTimeMs: Int64
    /// How often the delete was planned again after a conflicting concurrent commit.
    public var conflictRetries = 0
}

extension Table {
    /// Deletes the rows for which `predicate` is TRUE (all rows when nil) in one commit.
    /// See `delete(matching:options:conflictRetries:)`.
    @discardableResult
    public func delete(where predicate: Predicate? = nil, options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> DeleteMetrics {
        try delete(matching: predicate.map { RowFilter($0) }, options: options, conflictRetries: conflictRetries)
    }

    /// Deletes the rows for which the SQL condition `condition` is TRUE, e.g.
    /// `x > 3 AND lower(s) LIKE 'a%'`. See `delete(matching:options:conflictRetries:)`.
    @discardableResult
    public func delete(whereSQL condition: String, options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> DeleteMetrics {
        try delete(matching: try RowFilter.sql(condition), options: options, conflictRetries: conflictRetries)
    }

    /// Deletes the rows `filter` selects (all rows when nil) in one commit.
    ///
    /// Semantics: SQL three-valued logic — a row whose condition is NULL (e.g. `x > 5`
    /// with `x` null) is kept. Files that cannot match (partition values, min/max stats
    /// of the condition's pushdown part) are not read. A file whose rows all match is
    /// removed without rewriting (for a condition on partition columns only this is
    /// decided without reading it); a file with some matching rows is replaced by a new
    /// file of its other rows. When no row matches, nothing is committed (`version` nil).
    ///
    /// Isolation: the commit records the condition's pushdown part as read (the whole
    /// table when it has none), so a concurrent commit that adds files it may match
    /// (e.g. an append to the same partition) or removes a file this delete removes is a
    /// conflict. On a conflict the delete is planned again on the new snapshot, at most
    /// `conflictRetries` times (the result is then as if it ran after the winner); after
    /// that it fails with `.conflict`. Appends to other partitions are rebased over.
    ///
    /// Danger: deleted rows stay readable by time travel until vacuum deletes the
    /// removed files.
    /// - Throws: `.invalidArgument` for an unknown column, a literal of the wrong type,
    ///   or a SQL condition that does not parse, bind or evaluate (nothing committed);
    ///   `.conflict`; `.storage`/`.corrupt`.
    @discardableResult
    public func delete(matching filter: RowFilter?, options: WriteOptions = .init(),
                       conflictRetries: Int = Table.defaultConflictRetries) throws(TableError) -> DeleteMetrics {
        try access.require(.modify, action: "delete")
        let started = DispatchTime.now().uptimeNanoseconds
        var (metrics, retries) = try retryingConflicts(conflictRetries) { () throws(TableError) -> DeleteMetrics in
            try deleteOnce(filter, options: options, started: started)
        }
        metrics.conflictRetries = retries
        return metrics
    }

    private func deleteOnce(_ filter: RowFilter?, options: WriteOptions, started: UInt64) throws(TableError) -> DeleteMetrics {
        let snapshot = try snapshot()
        let planned = try filter.map { (f) throws(TableError) -> PlannedFilter in
            try PlannedFilter(f, schema: snapshot.schema, table: self, role: "the DELETE condition")
        }
        let candidates = snapshot.files(matching: planned?.prune)

        // Cheap case: a condition on partition columns only is decided per file without reading it.
        var wholeFiles: [AddFile] = []
        var wholeRows = 0
        var toRead: [AddFile] = []
        for file in candidates {
            let truth = planned?.partitionTruth(file, snapshot: snapshot) ?? (planned == nil ? .some(true) : nil)
            if truth == .some(true), let records = FileStatistics.parse(file.stats ?? "", schema: snapshot.dataSchema)?.numRecords {
                wholeFiles.append(file)
                wholeRows += Int(records)
            } else if let truth, truth != true {
                continue
            } else {
                toRead.append(file)
            }
        }

        var deleted = wholeRows
        var copied = 0
        var rewrite = try rewriteFiles(toRead, snapshot: snapshot, options: options) { (_, rows) throws(TableError) -> FileRewriteDecision in
            let mask = try planned?.mask(rows, table: self.name) ?? Bitmap(repeating: true, count: rows.rowCount)
            let matching = mask.setCount
            if matching == 0 { return .keep }
            deleted += matching
            if matching == rows.rowCount { return .replace(rows: RecordBatch.empty(rows.schema)) }
            let kept: RecordBatch
            do {
                kept = try rows.filter(~mask)
            } catch {
                throw TableError(.corrupt, "cannot filter the rows of a data file", table: self.name, cause: error)
            }
            copied += kept.rowCount
            return .replace(rows: kept)
        }
        rewrite.removed.insert(contentsOf: wholeFiles, at: 0)

        func elapsed() -> Int64 { Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) }
        guard !rewrite.removed.isEmpty else {
            return DeleteMetrics(version: nil, numRemovedFiles: 0, numAddedFiles: 0, numDeletedRows: 0, numCopiedRows: 0,
                                 executionTimeMs: elapsed())
        }
        var metrics = DeleteMetrics(version: nil, numRemovedFiles: rewrite.removed.count, numAddedFiles: rewrite.added.count,
                                    numDeletedRows: deleted, numCopiedRows: copied, executionTimeMs: elapsed())
        metrics.version = try commitRewrite(rewrite, operation: "DELETE", filter: planned, snapshot: snapshot, metrics: [
            "numRemovedFiles": String(metrics.numRemovedFiles), "numAddedFiles": String(metrics.numAddedFiles),
            "numDeletedRows": String(metrics.numDeletedRows), "numCopiedRows": String(metrics.numCopiedRows),
            "executionTimeMs": String(metrics.executionTimeMs),
        ])
        return metrics
    }
}
