// ScanOperator: reads Parquet files (a Delta snapshot's data files or a parquet glob)
// lazily, a window of row groups at a time decoded in parallel, with column projection,
// row-group pruning by the pushed Predicate, partition columns restored, and the pushed
// filter applied on the worker threads. Must never read past what its consumer pulls
// (plus one window), so LIMIT stops the scan early.
import Dispatch
import Synchronization
import TarnColumnar
import TarnIO
import TarnParquet
import TarnTables

/// One Parquet file of a scan.
public struct ScanFile: Sendable {
    /// Path shown in EXPLAIN and errors.
    public var path: String
    public var open: @Sendable (_ parallel: Bool) throws(SQLError) -> ParquetFileReader
    /// Partition values (Delta tables), by column name.
    public var partitionValues: [String: String?]

    public init(path: String, partitionValues: [String: String?] = [:],
                open: @escaping @Sendable (_ parallel: Bool) throws(SQLError) -> ParquetFileReader) {
        self.path = path
        self.partitionValues = partitionValues
        self.open = open
    }

    /// A file of a FileStore.
    public static func store(_ store: any FileStore, path: String, display: String,
                             partitionValues: [String: String?] = [:]) -> ScanFile {
        ScanFile(path: display, partitionValues: partitionValues) { parallel throws(SQLError) in
            do {
                let input = try StoreParquetInput(store: store, path: path)
                var options = ParquetReadOptions()
                options.parallel = parallel
                // Dictionary codes let GROUP BY on a bare column skip hashing every row.
                options.keepDictionaryCodes = true
                return try ParquetFileReader(input: input, name: display, options: options)
            } catch let error as StorageError {
                throw SQLError(.io, "cannot read data file \(display)", cause: error)
            } catch let error as ParquetError {
                throw SQLError(.io, "cannot read Parquet file \(display)", cause: error)
            } catch {
                throw SQLError(.io, "cannot read \(display): \(error)")
            }
        }
    }

    /// A local Parquet file.
    public static func local(_ path: String) -> ScanFile {
        ScanFile(path: path) { parallel throws(SQLError) in
            do {
                let input = try StoreParquetInput(localFile: path)
                var options = ParquetReadOptions()
                options.parallel = parallel
                // Dictionary codes let GROUP BY on a bare column skip hashing every row.
                options.keepDictionaryCodes = true
                return try ParquetFileReader(input: input, name: path, options: options)
            } catch let error as StorageError {
                throw SQLError(.io, "cannot read Parquet file \(path)", cause: error)
            } catch let error as ParquetError {
                throw SQLError(.io, "cannot read Parquet file \(path)", cause: error)
            } catch {
                throw SQLError(.io, "cannot read \(path): \(error)")
            }
        }
    }
}

/// Counts a scan reports in EXPLAIN.
public struct ScanCounts: Sendable {
    public var totalFiles = 0
    public var skippedFiles = 0
    public var totalRowGroups = 0
    public var skippedRowGroups = 0
    public var rowsRead = 0
}

public final class ScanOperator: PhysicalOperator {
    /// The produced columns: table columns in scan order (nullable).
    public let schema: Schema
    let name: String
    let files: [ScanFile]
    let partitionColumns: Set<String>
    let pruning: Predicate?
    let filter: PhysicalExpression?
    let context: ExecutionContext
    /// Extra EXPLAIN lines (snapshot version, time travel).
    let notes: [String]
    public private(set) var counts: ScanCounts

    private var nextFile = 0
    private var units: [(reader: ParquetFileReader, file: Int, group: Int)] = []
    private var ready: [RecordBatch] = []
    private var readyPosition = 0

    /// - Parameters:
    ///   - columns: the fields to produce (types of the table schema; partition columns included).
    ///   - totalFiles: files before partition/statistics pruning (files.count when none happened).
    ///   - filter: applied to each produced batch (bound over `columns`).
    public init(name: String, files: [ScanFile], totalFiles: Int, columns: [Field], partitionColumns: Set<String>,
                pruning: Predicate?, filter: PhysicalExpression?, notes: [String] = [], context: ExecutionContext) {
        self.name = name
        self.files = files
        self.partitionColumns = partitionColumns
        self.pruning = pruning
        self.filter = filter
        self.context = context
        self.notes = notes
        schema = Schema(columns.map { var f = $0; f.nullable = true; return f })
        counts = ScanCounts(totalFiles: totalFiles, skippedFiles: totalFiles - files.count)
    }

    public var label: String {
        var text = "Scan \(name) [\(schema.names.joined(separator: ", "))]"
        if let filter { text += " filter \(filter.text)" }
        return text
    }

    public var details: [String] {
        var lines = notes
        if let pruning { lines.append("pushed predicate: \(pruning)") }
        lines.append("files: \(counts.totalFiles) total, \(counts.skippedFiles) skipped by partition/statistics, \(files.count) to read")
        let groups = rowGroupCounts()
        lines.append("row groups: \(groups.total) total, \(groups.skipped) skipped by statistics")
        return lines
    }

    public var children: [any PhysicalOperator] { [] }

    /// Row groups of the files to read and how many the pushed predicate rules out
    /// (reads only the footers).
    public func rowGroupCounts() -> (total: Int, skipped: Int) {
        var total = 0, skipped = 0
        for file in files {
            guard let reader = try? file.open(false) else { continue }
            total += reader.rowGroupCount
            if let pruning {
                let available = Set(reader.schema.names)
                skipped += reader.rowGroupCount - reader.rowGroupsMatching(pruning.restrictedForScan(to: available)).count
            }
        }
        return (total, skipped)
    }

    public func next() throws(SQLError) -> RecordBatch? {
        while true {
            if readyPosition < ready.count {
                readyPosition += 1
                return ready[readyPosition - 1]
            }
            ready = []
            readyPosition = 0
            if try !fill() { return nil }
        }
    }

    /// Reads the next window of row groups; false when the scan is done.
    private func fill() throws(SQLError) -> Bool {
        try context.checkCancelled()
        let window = context.parallelism
        while units.count < window && nextFile < files.count {
            try openFiles(count: max(1, window * 2))
        }
        if units.isEmpty { return false }
        let take = min(window, units.count)
        let batch = Array(units[0..<take])
        units.removeFirst(take)
        let results = Mutex<[Result<RecordBatch?, SQLError>?]>([Result<RecordBatch?, SQLError>?](repeating: nil, count: take))
        let decoder = RowGroupDecoder(schema: schema, partitionColumns: partitionColumns, filter: filter)
        let files = self.files
        let work: @Sendable (Int) -> Void = { i in
            let unit = batch[i]
            let result: Result<RecordBatch?, SQLError>
            do throws(SQLError) {
                result = .success(try decoder.read(reader: unit.reader, file: files[unit.file], group: unit.group))
            } catch {
                result = .failure(error)
            }
            results.withLock { $0[i] = result }
        }
        if take == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: take, execute: work) }
        let collected = results.withLock { $0 }
        for result in collected {
            switch result {
            case let .success(batch)?:
                if let batch, batch.rowCount > 0 {
                    counts.rowsRead += batch.rowCount
                    ready.append(batch)
                }
            case let .failure(error)?: throw error
            case nil: throw SQLError(.execution, "internal: a row group of \(name) was not read")
            }
        }
        return true
    }

    /// Opens up to `count` files (footers in parallel) and queues their matching row groups.
    private func openFiles(count: Int) throws(SQLError) {
        let end = min(files.count, nextFile + count)
        let range = nextFile..<end
        nextFile = end
        let single = files.count == 1
        let opened = Mutex<[Result<ParquetFileReader, SQLError>?]>([Result<ParquetFileReader, SQLError>?](repeating: nil, count: range.count))
        let files = self.files
        let start = range.lowerBound
        let work: @Sendable (Int) -> Void = { i in
            let result: Result<ParquetFileReader, SQLError>
            do throws(SQLError) {
                result = .success(try files[start + i].open(single))
            } catch {
                result = .failure(error)
            }
            opened.withLock { $0[i] = result }
        }
        if range.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: range.count, execute: work) }
        let readers = opened.withLock { $0 }
        for (offset, result) in readers.enumerated() {
            switch result {
            case let .success(reader)?:
                var groups = Array(0..<reader.rowGroupCount)
                if let pruning {
                    groups = reader.rowGroupsMatching(pruning.restrictedForScan(to: Set(reader.schema.names)))
                }
                counts.totalRowGroups += reader.rowGroupCount
                counts.skippedRowGroups += reader.rowGroupCount - groups.count
                for group in groups { units.append((reader, start + offset, group)) }
            case let .failure(error)?: throw error
            case nil: throw SQLError(.execution, "internal: a file of \(name) was not opened")
            }
        }
    }
}

/// Decodes row groups into a scan's columns on worker threads.
struct RowGroupDecoder: Sendable {
    let schema: Schema
    let partitionColumns: Set<String>
    let filter: PhysicalExpression?

    /// Decodes one row group into the scan's columns and applies the filter.
    func read(reader: ParquetFileReader, file: ScanFile, group: Int) throws(SQLError) -> RecordBatch? {
        let fileColumns = Set(reader.schema.names)
        let dataColumns = schema.names.filter { !partitionColumns.contains($0) && fileColumns.contains($0) }
        let rows = reader.rowCount(rowGroup: group) ?? 0
        let raw: RecordBatch?
        if dataColumns.isEmpty {
            raw = nil
        } else {
            do {
                raw = try reader.readRowGroup(group, columns: dataColumns)
            } catch {
                throw SQLError(.io, "cannot decode row group \(group) of \(file.path)", cause: error)
            }
        }
        var columns: [Column] = []
        columns.reserveCapacity(schema.count)
        for field in schema.fields {
            if partitionColumns.contains(field.name) {
                let text = file.partitionValues[field.name] ?? nil
                let column = try partitionColumn(text, field: field, rows: rows)
                columns.append(column)
            } else if let column = raw?.column(named: field.name) {
                if column.type == field.type {
                    columns.append(column)
                } else {
                    columns.append(try columnar("reading \(field.name) of \(file.path)") { () throws(ColumnarError) in
                        try column.cast(to: field.type)
                    })
                }
            } else {
                // A column added after this file was written reads as NULLs.
                columns.append(Column.nulls(field.type, count: rows))
            }
        }
        var batch = try columnar("scan of \(file.path)") { () throws(ColumnarError) in
            try RecordBatch(schema: schema, columns: columns, rowCount: rows)
        }
        if let filter { batch = try FilterOperator.apply(filter, to: batch) }
        return batch
    }

    func partitionColumn(_ text: String?, field: Field, rows: Int) throws(SQLError) -> Column {
        do {
            let value = try PartitionValues.parse(text, type: field.type, column: field.name)
            return try Column.repeating(value, type: field.type, count: rows)
        } catch {
            throw SQLError(.execution, "bad partition value \(text ?? "NULL") for column \(field.name)", cause: error)
        }
    }
}

extension Predicate {
    /// The predicate with conditions on columns outside `available` replaced by TRUE (for
    /// row-group pruning, where only the file's own columns have statistics).
    func restrictedForScan(to available: Set<String>) -> Predicate {
        switch self {
        case let .comparison(c, _, _), let .isNull(c), let .isNotNull(c), let .inList(c, _):
            return available.contains(c) ? self : .constant(true)
        case let .and(a, b): return .and(a.restrictedForScan(to: available), b.restrictedForScan(to: available))
        case let .or(a, b): return .or(a.restrictedForScan(to: available), b.restrictedForScan(to: available))
        case let .not(p):
            let inner = p.restrictedForScan(to: available)
            return inner == p ? self : .constant(true)
        case .constant: return self
        }
    }
}

import TarnLog
