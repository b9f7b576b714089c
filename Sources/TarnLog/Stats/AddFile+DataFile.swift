// AddFile+DataFile: building the `add` action of a data file Tarn just wrote, from the
// Parquet writer's per-leaf statistics. Owns mapping writer leaf paths to stats paths;
// must never read the data file (the writer's statistics are the source).
import TarnColumnar
import TarnParquet

extension FileStatistics {
    /// Statistics from a Parquet writer's per-leaf bounds (`ParquetFileWriter.columnStatistics`).
    /// Leaves inside lists and maps carry no Delta stats and are dropped.
    public init(numRecords: Int64, parquetStatistics: [ColumnPath: ColumnBounds]) {
        var columns: [String: ColumnBounds] = [:]
        for (path, bounds) in parquetStatistics {
            var b = bounds
            b.rowCount = nil
            columns[path.dotted] = b
        }
        self.init(numRecords: numRecords, columns: columns)
    }
}

extension AddFile {
    /// The `add` for a data file written at `relativePath` (unencoded, relative to the
    /// table root), with stats JSON for the first `indexedColumns` leaf columns of
    /// `dataSchema` (the table schema without partition columns).
    /// - Parameters:
    ///   - partitionValues: serialized partition values (see `PartitionValues.serialize`).
    ///   - modificationTime: ms since the epoch (`FileInfo.modificationTime`).
    public static func dataFile(relativePath: String, size: Int64, modificationTime: Int64,
                                partitionValues: [String: String?] = [:], numRecords: Int64,
                                parquetStatistics: [ColumnPath: ColumnBounds], dataSchema: Schema,
                                indexedColumns: Int = FileStatistics.defaultIndexedColumns,
                                dataChange: Bool = true) -> AddFile {
        let stats = FileStatistics(numRecords: numRecords, parquetStatistics: parquetStatistics)
        return AddFile(path: encodePath(relativePath), partitionValues: partitionValues, size: size,
                       modificationTime: modificationTime, dataChange: dataChange,
                       stats: stats.json(schema: dataSchema, indexedColumns: indexedColumns))
    }
}
