// OPTIMIZE [ZORDER BY], VACUUM [RETAIN n HOURS] [DRY RUN] and RESTORE TABLE: calls into
// the TarnTables operations with results in the column names Delta/Databricks use. Never
// weakens a safety check of the operation (vacuum retention) on its own.
import TarnColumnar
import TarnLog
import TarnTables

enum MaintenanceStatements {
    static func optimize(_ context: StatementContext, table: Table, predicate: Predicate?,
                         zOrderBy: [String]) throws(SQLError) -> StatementResult {
        let metrics = try context.table { () throws(TableError) -> OptimizeMetrics in
            zOrderBy.isEmpty ? try table.optimize(where: predicate) : try table.zOrder(by: zOrderBy, where: predicate)
        }
        var rows = ResultRows([
            ("path", .string), ("numFilesAdded", .int64), ("numFilesRemoved", .int64),
            ("filesAdded", .string), ("filesRemoved", .string), ("partitionsOptimized", .int64),
            ("numBatches", .int64), ("totalConsideredFiles", .int64), ("totalFilesSkipped", .int64),
            ("version", .int64),
        ])
        rows.append([
            .string(table.detailLocation), .int(Int64(metrics.numFilesAdded)), .int(Int64(metrics.numFilesRemoved)),
            .string(metrics.filesAdded.json), .string(metrics.filesRemoved.json), .int(Int64(metrics.partitionsOptimized)),
            .int(Int64(metrics.numBatches)), .int(Int64(metrics.totalConsideredFiles)), .int(Int64(metrics.totalFilesSkipped)),
            .integer(metrics.version),
        ])
        let what = zOrderBy.isEmpty ? "optimized" : "z-ordered"
        let message = metrics.version.map { "\(what) \(table.name): \(metrics.numFilesRemoved) files rewritten into \(metrics.numFilesAdded) (version \($0))" }
            ?? "\(table.name): nothing to optimize"
        return try rows.result(statement: context.statementText, kind: .message, message: message)
    }

    static func vacuum(_ context: StatementContext, table: Table, retainHours: Double?, dryRun: Bool) throws(SQLError) -> StatementResult {
        let result: VacuumResult
        do {
            result = try table.vacuum(retentionHours: retainHours, dryRun: dryRun,
                                      enforceRetention: context.options.vacuumRetentionCheck)
        } catch let error where error.code == .invalidArgument && error.message.contains("shorter than the table's retention") {
            var wrapped = SQLError(error, statementText: context.statementText, location: context.location)
            wrapped.message = """
                table \(table.name): the retention is shorter than the table's delta.deletedFileRetentionDuration \
                (default 1 week), so VACUUM could delete files that time travel or running readers still need; \
                to allow it, lower the property first, e.g. ALTER TABLE \(table.name) SET TBLPROPERTIES \
                ('delta.deletedFileRetentionDuration' = 'interval 0 hours')
                """
            throw wrapped
        } catch {
            throw SQLError(error, statementText: context.statementText, location: context.location)
        }
        if dryRun {
            var rows = ResultRows([("path", .string)])
            for file in result.files { rows.append([.string(table.detailLocation + "/" + file)]) }
            return try rows.result(statement: context.statementText, kind: .query,
                                   message: "\(result.files.count) files (\(result.sizeOfData) bytes) would be deleted")
        }
        var rows = ResultRows([("path", .string), ("numDeletedFiles", .int64), ("sizeOfDeletedData", .int64)])
        rows.append([.string(table.detailLocation), .int(Int64(result.files.count)), .int(result.sizeOfData)])
        return try rows.result(statement: context.statementText, kind: .message,
                               message: "vacuumed \(table.name): deleted \(result.files.count) files (\(result.sizeOfData) bytes)")
    }

    static func restore(_ context: StatementContext, table: Table, to target: TimeTravel) throws(SQLError) -> StatementResult {
        let metrics = try context.table { () throws(TableError) in try table.restore(to: target) }
        var rows = ResultRows([
            ("table_size_after_restore", .int64), ("num_of_files_after_restore", .int64),
            ("num_removed_files", .int64), ("num_restored_files", .int64),
            ("removed_files_size", .int64), ("restored_files_size", .int64), ("version", .int64),
        ])
        rows.append([
            .int(metrics.tableSizeAfterRestore), .int(Int64(metrics.numOfFilesAfterRestore)),
            .int(Int64(metrics.numRemovedFiles)), .int(Int64(metrics.numRestoredFiles)),
            .int(metrics.removedFilesSize), .int(metrics.restoredFilesSize), .int(metrics.version),
        ])
        return try rows.result(statement: context.statementText, kind: .message,
                               message: "restored \(table.name) to version \(metrics.restoredVersion) (version \(metrics.version))")
    }
}

extension Table {
    /// The table's location as DESCRIBE DETAIL shows it (absolute for local tables).
    var detailLocation: String {
        (try? detail().location) ?? name
    }
}
