// OPTIMIZE: rewrites small files of each partition into files near a target size (bin
// packing), or rewrites whole partitions sorted by a Z-order curve of some columns
// (clustering), in one commit whose adds and removes carry dataChange = false.
// Must never change the table's rows, and never read-depend on the whole table: its
// conflict footprint is only the files it removes, so concurrent blind appends commit.
import Dispatch
import Foundation
import TarnColumnar
import TarnIO
import TarnLog
import TarnParquet

/// Count and sizes of a set of files, as Delta reports `filesAdded` / `filesRemoved`.
public struct OptimizeFileStats: Sendable, Equatable {
    public var totalFiles: Int
    public var totalSize: Int64
    public var min: Int64
    public var max: Int64
    public var avg: Double

    init(sizes: [Int64]) {
        totalFiles = sizes.count
        totalSize = sizes.reduce(0, +)
        min = sizes.min() ?? 0
        max = sizes.max() ?? 0
        avg = sizes.isEmpty ? 0 : Double(totalSize) / Double(sizes.count)
    }

    /// `{"avg":...,"max":...,"min":...,"totalFiles":...,"totalSize":...}` as Delta writes it.
    public var json: String {
        "{\"avg\":\(avg),\"max\":\(max),\"min\":\(min),\"totalFiles\":\(totalFiles),\"totalSize\":\(totalSize)}"
    }
}

/// What an optimize did.
public struct OptimizeMetrics: Sendable {
    /// The committed version; nil when there was nothing to rewrite (nothing committed).
    public var version: Int64?
    public var numFilesAdded: Int
    public var numFilesRemoved: Int
    public var filesAdded: OptimizeFileStats
    public var filesRemoved: OptimizeFileStats
    /// Partitions that had files rewritten.
    public var partitionsOptimized: Int
    /// Groups of files rewritten together (bins, or z-ordered partitions).
    public var numBatches: Int
    /// Files matching the predicate (all files when none).
    public var totalConsideredFiles: Int
    /// Considered files left as they were.
    public var totalFilesSkipped: Int
}

extension Table {
    /// Default `delta.targetFileSize`: 128 MiB.
    public static let defaultTargetFileSize = 128 * 1024 * 1024

    /// Compacts small files: in every partition (of those `predicate` selects), files
    /// smaller than the target size (`targetFileSize`, else the `delta.targetFileSize`
    /// property, else 128 MiB) are packed into groups of about the target size and each
    /// group is rewritten as one file. Partitions with fewer than two small files are left
    /// alone. Rows are unchanged; time travel to earlier versions still reads the old files
    /// until vacuum removes them.
    ///
    /// Isolation: the commit removes exactly the files it rewrote (dataChange = false) and
    /// records no read, so concurrent appends never conflict with it; a concurrent delete,
    /// update or optimize that removed one of the same files makes it fail with `.conflict`
    /// (nothing committed; the rewritten files are left for vacuum).
    /// - Parameter predicate: may only use partition columns (`.invalidArgument` otherwise).
    /// - Throws: `.invalidArgument` for a bad predicate or target size; `.conflict`; `.storage`.
    @discardableResult
    public func optimize(where predicate: TarnColumnar.Predicate? = nil, targetFileSize: Int? = nil) throws(TableError) -> OptimizeMetrics {
        try access.require(.manage, action: "optimize")
        return try runOptimize(predicate: predicate, targetFileSize: targetFileSize, zOrderColumns: [])
    }

    /// Z-order clustering: rewrites all files of every partition (of those `predicate`
    /// selects) with rows sorted along a Z-order curve of `columns` (interleaved bits of
    /// each column's rank), cut into files of about the target size. Files then cover
    /// narrow ranges of every listed column, so range predicates on them skip more files.
    /// Partitions whose only file is already larger than the target are rewritten too.
    /// Isolation as `optimize(where:targetFileSize:)`.
    /// - Throws: `.invalidArgument` for no columns, unknown columns, partition columns, or
    ///   a predicate on data columns; `.conflict`; `.storage`.
    @discardableResult
    public func zOrder(by columns: [String], where predicate: TarnColumnar.Predicate? = nil, targetFileSize: Int? = nil) throws(TableError) -> OptimizeMetrics {
        try access.require(.manage, action: "z-order")
        guard !columns.isEmpty else {
            throw TableError(.invalidArgument, "z-order needs at least one column", table: name)
        }
        return try runOptimize(predicate: predicate, targetFileSize: targetFileSize, zOrderColumns: columns)
    }

    private func runOptimize(predicate: TarnColumnar.Predicate?, targetFileSize: Int?, zOrderColumns: [String]) throws(TableError) -> OptimizeMetrics {
        let snapshot = try snapshot()
        let partitionColumns = Set(snapshot.partitionColumns)
        if let predicate {
            for column in predicate.columns where !partitionColumns.contains(column) {
                throw TableError(.invalidArgument, "optimize predicates may only use partition columns; '\(column)' is not one (partition columns: \(snapshot.partitionColumns.joined(separator: ", ")))", table: name)
            }
        }
        for column in zOrderColumns {
            guard snapshot.schema.index(of: column) != nil else {
                throw TableError(.invalidArgument, "no column '\(column)' to z-order by; the table has \(snapshot.schema.names.joined(separator: ", "))", table: name)
            }
            guard !partitionColumns.contains(column) else {
                throw TableError(.invalidArgument, "'\(column)' is a partition column; z-order by data columns only (every file holds one value of it already)", table: name)
            }
        }
        let target = try resolvedTargetFileSize(targetFileSize, snapshot: snapshot)

        let considered = snapshot.files(matching: predicate)
        var byPartition: [[String?]: [AddFile]] = [:]
        var partitionOrder: [[String?]] = []
        for file in considered {
            let key = snapshot.partitionColumns.map { file.partitionValues[$0] ?? nil }
            if byPartition[key] == nil { partitionOrder.append(key) }
            byPartition[key, default: []].append(file)
        }
        // Groups of files to rewrite together.
        var groups: [[AddFile]] = []
        var partitionsOptimized = 0
        for key in partitionOrder {
            let files = byPartition[key] ?? []
            let partitionGroups = zOrderColumns.isEmpty ? Self.binPack(files, target: Int64(target)) : [files]
            if !partitionGroups.isEmpty { partitionsOptimized += 1 }
            groups.append(contentsOf: partitionGroups)
        }

        var adds: [AddFile] = []
        var removed: [AddFile] = []
        let scan = TableScan(table: self, snapshot: snapshot, schema: snapshot.schema, predicate: nil,
                             files: [], totalFiles: snapshot.files.count)
        let dataScan = TableScan(table: self, snapshot: snapshot, schema: snapshot.dataSchema, predicate: nil,
                                 files: [], totalFiles: snapshot.files.count)
        for group in groups {
            if zOrderColumns.isEmpty {
                // One partition per bin: stream its files into one new file.
                guard let first = group.first else { continue }
                adds.append(try compact(group, partitionValues: first.partitionValues, snapshot: snapshot, scan: dataScan))
            } else {
                let batches = try readWhole(group, scan: scan)
                let rows = batches.reduce(0) { $0 + $1.rowCount }
                var options = WriteOptions()
                let bytes = group.reduce(Int64(0)) { $0 + $1.size }
                let fileCount = max(1, Int((bytes + Int64(target) - 1) / Int64(max(1, target))))
                options.maxRowsPerFile = max(1, (rows + fileCount - 1) / fileCount)
                var written = try writeDataFiles(try zOrderSorted(batches, columns: zOrderColumns), snapshot: snapshot, options: options)
                for i in written.indices { written[i].dataChange = false }
                adds.append(contentsOf: written)
            }
            removed.append(contentsOf: group)
        }

        var metrics = OptimizeMetrics(version: nil, numFilesAdded: adds.count, numFilesRemoved: removed.count,
                                      filesAdded: OptimizeFileStats(sizes: adds.map(\.size)),
                                      filesRemoved: OptimizeFileStats(sizes: removed.map(\.size)),
                                      partitionsOptimized: partitionsOptimized, numBatches: groups.count,
                                      totalConsideredFiles: considered.count,
                                      totalFilesSkipped: considered.count - removed.count)
        guard !removed.isEmpty else { return metrics }

        var transaction = log.startTransaction(operation: "OPTIMIZE", readSnapshot: snapshot)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Footprint: only the removed files (no recorded read), so blind appends rebase.
        transaction.add(removed.map { .remove($0.removal(deletionTimestamp: now, dataChange: false)) })
        transaction.add(adds.map { .add($0) })
        transaction.operationParameters = [
            "predicate": JSONText.array(predicate.map { [$0.description] } ?? []),
            "zOrderBy": JSONText.array(zOrderColumns),
            "targetSize": String(target),
        ]
        transaction.operationMetrics = [
            "numFilesAdded": String(metrics.numFilesAdded), "numFilesRemoved": String(metrics.numFilesRemoved),
            "filesAdded": metrics.filesAdded.json, "filesRemoved": metrics.filesRemoved.json,
            "partitionsOptimized": String(partitionsOptimized), "numBatches": String(metrics.numBatches),
            "totalConsideredFiles": String(metrics.totalConsideredFiles),
            "totalFilesSkipped": String(metrics.totalFilesSkipped), "preserveInsertionOrder": "true",
        ]
        do {
            metrics.version = try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the optimize was not committed")
        }
        return metrics
    }

    func resolvedTargetFileSize(_ explicit: Int?, snapshot: Snapshot) throws(TableError) -> Int {
        if let explicit {
            guard explicit > 0 else {
                throw TableError(.invalidArgument, "the target file size must be positive, not \(explicit)", table: name)
            }
            return explicit
        }
        if let text = snapshot.configuration["delta.targetFileSize"] {
            guard let value = Self.byteSize(text), value > 0 else {
                throw TableError(.invalidArgument, "table property delta.targetFileSize is '\(text)', not a positive number of bytes", table: name)
            }
            return value
        }
        return Self.defaultTargetFileSize
    }

    /// Bytes of a size property: a number of bytes, or with a `b`, `kb`, `mb` or `gb`
    /// suffix (binary multiples, case-insensitive); nil otherwise.
    static func byteSize(_ text: String) -> Int? {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, shift) in [("kb", 10), ("mb", 20), ("gb", 30), ("k", 10), ("m", 20), ("g", 30), ("b", 0)] where lowered.hasSuffix(suffix) {
            guard let n = Int(lowered.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n >= 0,
                  n <= Int.max >> shift else { return nil }
            return n << shift
        }
        return Int(lowered)
    }

    /// Greedy bin packing of the files smaller than `target` (smallest first); bins of a
    /// single file are dropped (rewriting one file alone compacts nothing).
    static func binPack(_ files: [AddFile], target: Int64) -> [[AddFile]] {
        let small = files.filter { $0.size < target }.sorted { ($0.size, $0.path) < ($1.size, $1.path) }
        var bins: [[AddFile]] = []
        var current: [AddFile] = []
        var currentSize: Int64 = 0
        for file in small {
            if !current.isEmpty, currentSize + file.size > target {
                bins.append(current)
                current = []
                currentSize = 0
            }
            current.append(file)
            currentSize += file.size
        }
        if !current.isEmpty { bins.append(current) }
        return bins.filter { $0.count > 1 }
    }

    /// Rewrites the files of one partition as one file (dataChange = false), streaming:
    /// files are read a window at a time in parallel and fed to one Parquet writer, so
    /// memory holds a window of files plus one row group, never the whole bin.
    private func compact(_ files: [AddFile], partitionValues: [String: String?], snapshot: Snapshot,
                         scan: TableScan) throws(TableError) -> AddFile {
        let dataSchema = snapshot.dataSchema
        let partitionColumns = snapshot.partitionColumns
        do {
            var writer = try ParquetFileWriter(schema: dataSchema, options: ParquetWriteOptions(codec: .zstd, compressionLevel: 1))
            let window = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
            // Small files' batches are concatenated into chunks of about `chunkRows` rows
            // before they reach the writer: a few large batches encode much faster than
            // hundreds of tiny ones, and memory still holds only a window plus one chunk.
            let chunkRows = 131_072
            var chunk: [RecordBatch] = []
            var chunkCount = 0
            func flushChunk() throws {
                guard !chunk.isEmpty else { return }
                let combined = chunk.count == 1 ? chunk[0] : try RecordBatch.concat(chunk)
                try writer.write(combined.withSchema(dataSchema))
                chunk = []
                chunkCount = 0
            }
            var start = 0
            while start < files.count {
                let end = min(files.count, start + window)
                for batch in try readWhole(Array(files[start..<end]), scan: scan) {
                    chunk.append(batch.withSchema(dataSchema))
                    chunkCount += batch.rowCount
                    if chunkCount >= chunkRows { try flushChunk() }
                }
                start = end
            }
            try flushChunk()
            let bytes = try writer.finish()
            var directory = PartitionValues.directory(partitionColumns: partitionColumns, values: partitionValues)
            while directory.hasSuffix("/") { directory.removeLast() }
            let fileName = "part-00000-\(UUID().uuidString.lowercased())-c000.zstd.parquet"
            let relative = directory.isEmpty ? fileName : directory + "/" + fileName
            try store.put(storePath(relative), bytes)
            var columns: [String: ColumnBounds] = [:]
            for (path, bounds) in writer.columnStatistics { columns[path.dotted] = bounds }
            let stats = FileStatistics(numRecords: Int64(writer.rowCount), columns: columns)
            return AddFile(path: AddFile.encodePath(relative), partitionValues: partitionValues, size: Int64(bytes.count),
                           modificationTime: Int64(Date().timeIntervalSince1970 * 1000), dataChange: false,
                           stats: stats.json(schema: dataSchema, indexedColumns: snapshot.indexedColumnCount))
        } catch let error as TableError {
            throw error
        } catch let error as ParquetError {
            throw TableError(.storage, "cannot encode a compacted file", table: name, cause: error)
        } catch let error as StorageError {
            throw TableError(.storage, "cannot write a compacted file", table: name, cause: error)
        } catch {
            throw TableError(.storage, "cannot write a compacted file", table: name, cause: StringError("\(error)"))
        }
    }

    /// Every row of `files` in the columns of `scan`, files read in parallel.
    private func readWhole(_ files: [AddFile], scan: TableScan) throws(TableError) -> [RecordBatch] {
        let results = ConcurrentResults<Result<[RecordBatch], TableError>>(count: files.count)
        let parallelInside = files.count == 1
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, scan.read(files[i], parallel: parallelInside))
        }
        var out: [RecordBatch] = []
        for result in results.values {
            switch result {
            case let .success(batches): out.append(contentsOf: batches.filter { $0.rowCount > 0 })
            case let .failure(error): throw error
            case nil: throw TableError(.storage, "a data file was not read", table: name)
            }
        }
        return out
    }

    /// The rows of `batches` as one batch sorted by the Z-order value of `columns`: each
    /// column's values are replaced by their rank (order-preserving for every type, nulls
    /// first), scaled to `64 / columns.count` bits (at most 32), and the bits interleaved.
    func zOrderSorted(_ batches: [RecordBatch], columns: [String]) throws(TableError) -> [RecordBatch] {
        guard !batches.isEmpty else { return [] }
        do {
            let all = try RecordBatch.concat(batches)
            let count = all.rowCount
            guard count > 1 else { return [all] }
            let bits = min(32, 64 / max(1, columns.count))
            var scaled: [[UInt64]] = []
            for name in columns {
                guard let column = all.column(named: name) else {
                    throw TableError(.invalidArgument, "no column '\(name)' to z-order by", table: self.name)
                }
                let order = try Column.sortIndices(columns: [column], ascending: [true], nullsFirst: [true])
                var values = [UInt64](repeating: 0, count: count)
                let scale = UInt64(1) << UInt64(bits)
                for (rank, row) in order.enumerated() {
                    // rank < count, so the quotient is below 2^bits and cannot overflow.
                    let product = UInt64(rank).multipliedFullWidth(by: scale)
                    values[row] = UInt64(count).dividingFullWidth(product).quotient
                }
                scaled.append(values)
            }
            var z = [UInt64](repeating: 0, count: count)
            for row in 0..<count {
                var value: UInt64 = 0
                for bit in stride(from: bits - 1, through: 0, by: -1) {
                    for c in 0..<scaled.count {
                        value = (value << 1) | ((scaled[c][row] >> UInt64(bit)) & 1)
                    }
                }
                z[row] = value
            }
            let sortedRows = (0..<count).sorted { z[$0] < z[$1] }
            return [try all.take(sortedRows)]
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.invalidArgument, "cannot z-order the rows", table: name, cause: StringError("\(error)"))
        }
    }
}
