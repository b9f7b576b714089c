// ParquetWriteOptions: the knobs of one ParquetFileWriter, with Arrow-like defaults
// (ZSTD level 1, 1 Mi-row row groups, 1 MiB pages, 1 MiB dictionary limit).
// Owns the defaults and their validation; must never hold per-file state.

/// Options of a `ParquetFileWriter`.
public struct ParquetWriteOptions: Sendable, Hashable {
    /// Page compression of every column: `.zstd` (default), `.snappy`, `.uncompressed`
    /// (`.lz4Raw` is accepted too).
    public var codec: CompressionCodec
    /// ZSTD level (clamped to libzstd's range); ignored by other codecs. Default 1.
    public var compressionLevel: Int
    /// A row group is cut when it holds this many rows. Default 1,048,576.
    public var rowGroupRows: Int
    /// ... or when its in-memory size reaches this many bytes (estimated from the
    /// batches' buffers). Default 128 MiB.
    public var rowGroupBytes: Int
    /// Target (uncompressed) size of a data page. Default 1 MiB.
    public var pageSizeBytes: Int
    /// Most rows per data page (Arrow's default too), so readers can skip within a
    /// chunk. Default 20,000.
    public var dataPageRowLimit: Int
    /// Dictionary-encode columns (all but booleans) until the dictionary reaches
    /// `dictionaryPageSizeLimit`, then continue the chunk in PLAIN. Default true.
    public var dictionaryEnabled: Bool
    /// Default 1 MiB.
    public var dictionaryPageSizeLimit: Int
    /// Default `.v1`, the form every reader knows.
    public var dataPageVersion: DataPageVersion
    /// Min/max/null-count per page and per column chunk. Default true.
    public var writeStatistics: Bool
    /// CRC-32 of each page's stored bytes in its header. Default false.
    public var writePageChecksums: Bool
    /// File key/value metadata (added to the schema's metadata; these win on a clash).
    public var keyValueMetadata: [String: String]
    public var createdBy: String
    /// Encode the columns of a row group on several threads. Default true.
    public var parallel: Bool

    public init(
        codec: CompressionCodec = .zstd, compressionLevel: Int = 1, rowGroupRows: Int = 1_048_576,
        rowGroupBytes: Int = 128 << 20, pageSizeBytes: Int = 1 << 20, dataPageRowLimit: Int = 20_000,
        dictionaryEnabled: Bool = true, dictionaryPageSizeLimit: Int = 1 << 20,
        dataPageVersion: DataPageVersion = .v1, writeStatistics: Bool = true, writePageChecksums: Bool = false,
        keyValueMetadata: [String: String] = [:], createdBy: String = "tarn version 0.1.0", parallel: Bool = true
    ) {
        self.codec = codec
        self.compressionLevel = compressionLevel
        self.rowGroupRows = rowGroupRows
        self.rowGroupBytes = rowGroupBytes
        self.pageSizeBytes = pageSizeBytes
        self.dataPageRowLimit = dataPageRowLimit
        self.dictionaryEnabled = dictionaryEnabled
        self.dictionaryPageSizeLimit = dictionaryPageSizeLimit
        self.dataPageVersion = dataPageVersion
        self.writeStatistics = writeStatistics
        self.writePageChecksums = writePageChecksums
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.parallel = parallel
    }

    /// - Throws: `.invalidArgument` for a non-positive size or a codec Tarn cannot write.
    func validate() throws(ParquetError) {
        guard PageCodec.canCompress(codec) else {
            throw .invalidArgument("cannot write codec \(PageCodec.name(codec)); use .zstd, .snappy or .uncompressed")
        }
        for (name, value) in [("rowGroupRows", rowGroupRows), ("rowGroupBytes", rowGroupBytes),
                              ("pageSizeBytes", pageSizeBytes), ("dataPageRowLimit", dataPageRowLimit),
                              ("dictionaryPageSizeLimit", dictionaryPageSizeLimit)] where value <= 0 {
            throw .invalidArgument("\(name) must be positive, got \(value)")
        }
    }
}
