// FileRewrite: the copy-on-write step shared by DELETE, UPDATE (and usable by MERGE and
// OPTIMIZE): read whole data files of a snapshot, let the caller keep/transform their
// rows, write the replacements with `writeDataFiles`, and return the removes + adds.
// Never commits and never deletes a file from storage; the caller owns the transaction.
import Dispatch
import class Foundation.ProcessInfo
import struct Foundation.Date
import TarnColumnar
import TarnLog

/// What a rewrite callback decides for one data file.
enum FileRewriteDecision: Sendable {
    /// Leave the file in the table untouched.
    case keep
    /// Remove the file; its rows are replaced by `rows` (empty: the file just goes).
    /// `rows` use the table schema (partition columns included, any column order the
    /// snapshot schema has).
    case replace(rows: RecordBatch)
}

/// Files a rewrite removes and the files it wrote in their place.
struct FileRewriteResult: Sendable {
    var removed: [AddFile] = []
    var added: [AddFile] = []

    /// remove actions for `removed` (with `dataChange`), then add actions for `added`.
    func actions(deletionTimestamp: Int64, dataChange: Bool = true) -> [Action] {
        removed.map { .remove($0.removal(deletionTimestamp: deletionTimestamp, dataChange: dataChange)) }
            + added.map { .add($0) }
    }

    var removedBytes: Int64 { removed.reduce(0) { $0 + $1.size } }
    var addedBytes: Int64 { added.reduce(0) { $0 + $1.size } }
}

extension Table {
    /// Reads `files` of `snapshot` whole (every column of the table schema, partition
    /// columns restored, all fields nullable), one batch per file, in file order.
    /// Files are read several at a time; memory holds all of them at once.
    func readWholeFiles(_ files: [AddFile], snapshot: Snapshot) throws(TableError) -> [RecordBatch] {
        if files.isEmpty { return [] }
        let scan = TableScan(table: self, snapshot: snapshot, schema: snapshot.schema, predicate: nil,
                             files: files, totalFiles: snapshot.files.count)
        let results = ConcurrentResults<Result<[RecordBatch], TableError>>(count: files.count)
        let parallelInside = files.count == 1
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, scan.read(files[i], parallel: parallelInside))
        }
        var out: [RecordBatch] = []
        out.reserveCapacity(files.count)
        for result in results.values {
            switch result {
            case let .success(batches):
                if batches.count == 1 {
                    out.append(batches[0])
                } else if batches.isEmpty {
                    out.append(RecordBatch.empty(snapshot.schema.relaxed))
                } else {
                    do {
                        out.append(try RecordBatch.concat(batches))
                    } catch {
                        throw TableError(.corrupt, "cannot assemble the row groups of a data file", table: name, cause: error)
                    }
                }
            case let .failure(error):
                throw error
            case nil:
                throw TableError(.storage, "a data file was not read", table: name)
            }
        }
        return out
    }

    /// Copy-on-write over `files` of `snapshot`: reads each file, asks `decide` (called
    /// in file order on the calling thread), and writes the replacement rows with
    /// `writeDataFiles` (rows are split by partition there, so a changed partition value
    /// moves the row). Written files are unreferenced until the caller commits.
    /// Files are read a window at a time and replacement rows are written once they reach
    /// `options.maxRowsPerFile` (and at the end), so memory holds about a window of files
    /// plus one output file's rows, and small rewrites of one partition share a file.
    func rewriteFiles(_ files: [AddFile], snapshot: Snapshot, options: WriteOptions,
                      decide: (AddFile, RecordBatch) throws(TableError) -> FileRewriteDecision) throws(TableError) -> FileRewriteResult {
        var result = FileRewriteResult()
        var replacements: [RecordBatch] = []
        var pendingRows = 0
        let window = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        var start = 0
        while start < files.count {
            let slice = Array(files[start..<min(files.count, start + window)])
            let batches = try readWholeFiles(slice, snapshot: snapshot)
            for (file, rows) in zip(slice, batches) {
                switch try decide(file, rows) {
                case .keep:
                    continue
                case let .replace(newRows):
                    result.removed.append(file)
                    if newRows.rowCount > 0 {
                        replacements.append(newRows)
                        pendingRows += newRows.rowCount
                    }
                }
            }
            start += slice.count
            if pendingRows >= max(1, options.maxRowsPerFile) {
                result.added += try writeDataFiles(replacements, snapshot: snapshot, options: options)
                replacements = []
                pendingRows = 0
            }
        }
        result.added += try writeDataFiles(replacements, snapshot: snapshot, options: options)
        return result
    }

    /// Checks that `predicate` names only columns of `schema` and that its literals are
    /// comparable with their columns (evaluated on an empty batch).
    func validatePredicate(_ predicate: Predicate?, schema: Schema) throws(TableError) {
        guard let predicate else { return }
        for column in predicate.columns.sorted() where schema.index(of: column) == nil && schema.lookup(column) == nil {
            throw TableError(.invalidArgument, "the predicate uses unknown column '\(column)'; the table has \(schema.names.joined(separator: ", "))", table: name)
        }
        do {
            _ = try RecordBatch.empty(schema.relaxed).evaluate(predicate)
        } catch {
            throw TableError(.invalidArgument, "the predicate \(predicate) does not fit the table's column types", table: name, cause: error)
        }
    }

    /// Rows of `batch` where `predicate` is true (nil: every row), as a mask.
    func matchMask(_ batch: RecordBatch, _ predicate: Predicate?) throws(TableError) -> Bitmap {
        guard let predicate else { return Bitmap(repeating: true, count: batch.rowCount) }
        do {
            return try batch.evaluate(predicate).selectionMask()
        } catch {
            throw TableError(.invalidArgument, "cannot evaluate the predicate \(predicate)", table: name, cause: error)
        }
    }

    /// Milliseconds since the epoch, now.
    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Commits a copy-on-write rewrite made under `filter` (the whole table when nil):
    /// records the filter's pushdown part as read (the whole table when it has none),
    /// adds the removes and adds, and writes the condition text as the `predicate`
    /// parameter and `metrics` into commitInfo.
    /// - Returns: the committed version.
    /// - Throws: `.conflict` when a concurrent commit changed what the rewrite read.
    func commitRewrite(_ rewrite: FileRewriteResult, operation: String, filter: PlannedFilter?,
                       snapshot: Snapshot, metrics: [String: String]) throws(TableError) -> Int64 {
        var transaction = log.startTransaction(operation: operation, readSnapshot: snapshot)
        if let prune = filter?.prune { transaction.recordRead(predicate: prune) } else { transaction.recordReadWholeTable() }
        transaction.add(rewrite.actions(deletionTimestamp: Table.nowMillis()))
        if let filter { transaction.operationParameters = ["predicate": filter.text] }
        transaction.operationMetrics = metrics
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the \(operation.lowercased()) was not committed")
        }
    }
}
