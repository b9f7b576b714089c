// Scans: choose a snapshot (latest or time travel), prune files by partition values
// and min/max statistics, prune row groups by Parquet statistics, read the remaining
// files in parallel with column projection, restore partition columns, and filter rows
// by the predicate exactly. Batches come out in file order.
import Dispatch
import TarnColumnar
import TarnIO
import TarnLog
import TarnParquet

/// A planned scan of one snapshot. Reading happens in `forEachBatch` / `batches()`.
public struct TableScan: Sendable {
    public let table: Table
    public let snapshot: Snapshot
    /// Output schema (the projected columns in the requested order).
    public let schema: Schema
    public let predicate: Predicate?
    /// Files left after partition and statistics pruning.
    public let files: [AddFile]
    /// Files of the snapshot before pruning.
    public let totalFiles: Int

    /// Files skipped without reading.
    public var prunedFiles: Int { totalFiles - files.count }

    /// Reads the files, several at a time, calling `body` with each non-empty batch in
    /// file order. Memory holds at most a window of files at once.
    public func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        let window = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        var start = 0
        while start < files.count {
            let end = min(files.count, start + window)
            let slice = Array(files[start..<end])
            let results = ConcurrentResults<Result<[RecordBatch], TableError>>(count: slice.count)
            let parallelInside = slice.count == 1
            DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                results.set(i, self.read(slice[i], parallel: parallelInside))
            }
            for result in results.values {
                switch result {
                case let .success(batches):
                    for batch in batches where batch.rowCount > 0 { try body(batch) }
                case let .failure(error):
                    throw error
                case nil:
                    throw TableError(.storage, "a data file was not read", table: table.name)
                }
            }
            start = end
        }
    }

    /// Every batch of the scan.
    public func batches() throws(TableError) -> [RecordBatch] {
        var out: [RecordBatch] = []
        do {
            try forEachBatch { out.append($0) }
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.storage, "scan failed", table: table.name, cause: StringError("\(error)"))
        }
        return out
    }

    /// The number of rows the scan returns.
    public func count() throws(TableError) -> Int {
        try batches().reduce(0) { $0 + $1.rowCount }
    }

    /// Reads one data file: row-group pruning, projection, partition columns, filter.
    func read(_ file: AddFile, parallel: Bool) -> Result<[RecordBatch], TableError> {
        let relative = file.decodedPath
        let fullSchema = snapshot.schema
        let partitionColumns = Set(snapshot.partitionColumns)
        // Columns needed: the output's, plus the predicate's.
        var needed = schema.names
        for column in predicate?.columns ?? [] where !needed.contains(column) && fullSchema.index(of: column) != nil {
            needed.append(column)
        }
        do {
            let input = try StoreParquetInput(store: table.store, path: table.storePath(relative))
            var readOptions = ParquetReadOptions()
            readOptions.parallel = parallel
            let reader = try ParquetFileReader(input: input, name: relative, options: readOptions)
            let fileColumns = Set(reader.schema.names)
            let dataNeeded = needed.filter { !partitionColumns.contains($0) && fileColumns.contains($0) }
            let groups = predicate.map { p in reader.rowGroupsMatching(p.restricted(to: fileColumns)) }
                ?? Array(0..<reader.rowGroupCount)
            var out: [RecordBatch] = []
            for group in groups {
                let raw = try reader.readRowGroup(group, columns: dataNeeded)
                let rows = reader.rowCount(rowGroup: group) ?? raw.rowCount
                var columns: [Column] = []
                var fields: [Field] = []
                for name in needed {
                    guard let field = fullSchema.field(named: name) else { continue }
                    var relaxed = field
                    relaxed.nullable = true
                    fields.append(relaxed)
                    if partitionColumns.contains(name) {
                        let text = file.partitionValues[name] ?? nil
                        let value = try PartitionValues.parse(text, type: field.type, column: name)
                        columns.append(try Column.repeating(value, type: field.type, count: rows))
                    } else if let column = raw.column(named: name) {
                        columns.append(column.type == field.type ? column : try column.cast(to: field.type))
                    } else {
                        // A column added after this file was written reads as nulls.
                        columns.append(Column.nulls(field.type, count: rows))
                    }
                }
                var batch = try RecordBatch(schema: Schema(fields), columns: columns, rowCount: rows)
                if let predicate { batch = try batch.filter(predicate) }
                let projected = schema.names.compactMap { batch.schema.index(of: $0) }
                out.append(batch.project(projected).withSchema(schema.relaxed))
            }
            return .success(out)
        } catch let error as TableError {
            return .failure(error)
        } catch let error as ParquetError {
            return .failure(TableError(.corrupt, "cannot read data file \(relative)", table: table.name, cause: error))
        } catch let error as StorageError {
            let code: TableError.Code = { if case .notFound = error { return .notFound } else { return .storage } }()
            return .failure(TableError(code, "cannot read data file \(relative) (removed by vacuum?)", table: table.name, cause: error))
        } catch {
            return .failure(TableError(.corrupt, "cannot read data file \(relative)", table: table.name, cause: StringError("\(error)")))
        }
    }
}

extension Table {
    /// Plans a scan of the latest snapshot or of `asOf`, reading `columns` (all when nil,
    /// top-level names) of the rows matching `predicate`.
    /// - Throws: `.invalidArgument` for unknown columns; snapshot errors of `snapshot(asOf:)`.
    public func scan(columns: [String]? = nil, predicate: Predicate? = nil, asOf: TimeTravel? = nil) throws(TableError) -> TableScan {
        try access.require(.select, action: "scan")
        let snapshot = try loadSnapshot(asOf: asOf)
        let schema = snapshot.schema
        var fields: [Field] = []
        for name in columns ?? schema.names {
            guard let field = schema.field(named: name) ?? schema.lookup(name).map({ schema.fields[$0] }) else {
                throw TableError(.invalidArgument, "no column '\(name)'; the table has \(schema.names.joined(separator: ", "))", table: self.name)
            }
            fields.append(field)
        }
        if let predicate {
            for column in predicate.columns where schema.index(of: column) == nil {
                throw TableError(.invalidArgument, "the predicate uses unknown column '\(column)'", table: self.name)
            }
        }
        let files = snapshot.files(matching: predicate)
        return TableScan(table: self, snapshot: snapshot, schema: Schema(fields), predicate: predicate,
                         files: files, totalFiles: snapshot.files.count)
    }

    /// All rows (of `asOf`) as batches.
    public func read(columns: [String]? = nil, predicate: Predicate? = nil, asOf: TimeTravel? = nil) throws(TableError) -> [RecordBatch] {
        try scan(columns: columns, predicate: predicate, asOf: asOf).batches()
    }
}

extension Predicate {
    /// The predicate with conditions on columns outside `available` replaced by TRUE
    /// (for row-group pruning, where only the file's columns have statistics).
    func restricted(to available: Set<String>) -> Predicate {
        switch self {
        case let .comparison(c, _, _), let .isNull(c), let .isNotNull(c), let .inList(c, _):
            return available.contains(c) ? self : .constant(true)
        case let .and(a, b): return .and(a.restricted(to: available), b.restricted(to: available))
        case let .or(a, b): return .or(a.restricted(to: available), b.restricted(to: available))
        case let .not(p):
            let inner = p.restricted(to: available)
            return inner == p ? self : .constant(true)
        case .constant: return self
        }
    }
}

extension Schema {
    /// The schema with every field nullable (scan output may hold nulls from old files).
    var relaxed: Schema {
        Schema(fields.map { var f = $0; f.nullable = true; return f }, metadata: metadata)
    }
}


import class Foundation.ProcessInfo
