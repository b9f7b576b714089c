// DELETE: copy-on-write removal of the rows matching a predicate, as one Delta commit
// (operation DELETE). Only files that partition values or stats say may match are read;
// untouched files keep their paths. Never deletes a file from storage (vacuum does).
import Dispatch
import TarnColumnar
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
}

extension Table {
    /// Deletes the rows for which `predicate` is TRUE (all rows when nil) in one commit.
    ///
    /// Semantics: SQL three-valued logic — a row whose predicate is NULL (e.g. `x > 5`
    /// with `x` null) is kept. Files that cannot match (partition values, min/max stats)
    /// are not read. A file whose rows all match is removed without rewriting (for a
    /// predicate on partition columns only this is decided without reading it); a file
    /// with some matching rows is replaced by a new file of its other rows. When no row
    /// matches, nothing is committed (`version` nil).
    ///
    /// Isolation: the commit records the predicate as read, so a concurrent commit that
    /// adds files the predicate may match (e.g. an append to the same partition) or
    /// removes a file this delete removes makes it fail with `.conflict`; appends to
    /// other partitions are rebased over.
    ///
    /// Danger: deleted rows stay readable by time travel until vacuum deletes the
    /// removed files.
    /// - Throws: `.invalidArgument` for an unknown column or a literal of the wrong type
    ///   in the predicate (nothing committed); `.conflict`; `.storage`/`.corrupt`.
    @discardableResult
    public func delete(where predicate: Predicate? = nil, options: WriteOptions = .init()) throws(TableError) -> DeleteMetrics {
        let started = DispatchTime.now().uptimeNanoseconds
        let snapshot = try snapshot()
        try validatePredicate(predicate, schema: snapshot.schema)
        let candidates = snapshot.files(matching: predicate)

        // Cheap case: a predicate on partition columns only is decided per file without reading it.
        var wholeFiles: [AddFile] = []
        var wholeRows = 0
        var toRead: [AddFile] = []
        for file in candidates {
            if let rows = try rowsIfWholeFileMatches(file, predicate: predicate, snapshot: snapshot) {
                wholeFiles.append(file)
                wholeRows += rows
            } else if try partitionOnlyPredicateRejects(file, predicate: predicate, snapshot: snapshot) {
                continue
            } else {
                toRead.append(file)
            }
        }

        var deleted = wholeRows
        var copied = 0
        var rewrite = try rewriteFiles(toRead, snapshot: snapshot, options: options) { (_, rows) throws(TableError) -> FileRewriteDecision in
            let mask = try self.matchMask(rows, predicate)
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
        metrics.version = try commitRewrite(rewrite, operation: "DELETE", predicate: predicate, snapshot: snapshot, metrics: [
            "numRemovedFiles": String(metrics.numRemovedFiles), "numAddedFiles": String(metrics.numAddedFiles),
            "numDeletedRows": String(metrics.numDeletedRows), "numCopiedRows": String(metrics.numCopiedRows),
            "executionTimeMs": String(metrics.executionTimeMs),
        ])
        return metrics
    }

    /// The file's row count when `predicate` uses partition columns only, is TRUE for the
    /// file's partition values, and the stats know the row count; nil otherwise.
    private func rowsIfWholeFileMatches(_ file: AddFile, predicate: Predicate?, snapshot: Snapshot) throws(TableError) -> Int? {
        guard let records = FileStatistics.parse(file.stats ?? "", schema: snapshot.dataSchema)?.numRecords else { return nil }
        guard let predicate else { return Int(records) }
        guard partitionTruth(file, predicate: predicate, snapshot: snapshot) == true else { return nil }
        return Int(records)
    }

    /// Whether a partition-only predicate is FALSE or NULL for the file's partition values.
    private func partitionOnlyPredicateRejects(_ file: AddFile, predicate: Predicate?, snapshot: Snapshot) throws(TableError) -> Bool {
        guard let predicate else { return false }
        guard let truth = partitionTruth(file, predicate: predicate, snapshot: snapshot) else { return false }
        return truth != true
    }

    /// The predicate's value on the file's partition values: `.some(true/false)`, `.some(nil)`
    /// for SQL NULL; nil when the predicate reads a data column (or cannot be evaluated).
    private func partitionTruth(_ file: AddFile, predicate: Predicate, snapshot: Snapshot) -> Bool?? {
        let partitionColumns = Set(snapshot.partitionColumns)
        guard !partitionColumns.isEmpty, predicate.columns.allSatisfy({ partitionColumns.contains($0) }) else { return nil }
        var fields: [Field] = []
        var columns: [Column] = []
        for name in snapshot.partitionColumns {
            guard let field = snapshot.schema.field(named: name),
                  let value = try? PartitionValues.parse(file.partitionValues[name] ?? nil, type: field.type, column: name),
                  let column = try? Column.repeating(value, type: field.type, count: 1) else { return nil }
            var relaxed = field
            relaxed.nullable = true
            fields.append(relaxed)
            columns.append(column)
        }
        guard let batch = try? RecordBatch(schema: Schema(fields), columns: columns, rowCount: 1),
              let truth = try? batch.evaluate(predicate) else { return nil }
        if truth.isNull(0) { return .some(nil) }
        return .some(truth.value(at: 0) == .boolean(true))
    }
}
