// ParquetReadOptions: the limits and switches of one ParquetFileReader.
// Owns the defaults that bound what a hostile file can make the reader allocate;
// must never hold per-read state.

/// Options of a `ParquetFileReader`.
public struct ParquetReadOptions: Sendable, Hashable {
    /// Largest uncompressed page (and dictionary page) accepted; a page declaring more
    /// is `.corrupt` before anything is allocated. Default 256 MiB.
    public var maxPageSize: Int
    /// Largest number of values (level entries) one page may declare. Default 2^24.
    public var maxValuesPerPage: Int
    /// Largest footer accepted. Default 64 MiB.
    public var maxFooterSize: Int
    /// Check page CRCs when the page header carries one. Default true.
    public var verifyChecksums: Bool
    /// Decode row groups × columns on several threads. Default true.
    public var parallel: Bool
    /// Attach a `Column.dictionary` side-car (per-row codes + the dictionary page's values)
    /// to top-level columns whose chunk is dictionary-encoded in every data page, for
    /// readers that group or join on codes (the SQL scan). Costs 4 bytes per row of such
    /// columns. Default false.
    public var keepDictionaryCodes: Bool

    public init(
        maxPageSize: Int = 256 << 20, maxValuesPerPage: Int = 1 << 24, maxFooterSize: Int = 64 << 20,
        verifyChecksums: Bool = true, parallel: Bool = true, keepDictionaryCodes: Bool = false
    ) {
        self.maxPageSize = maxPageSize
        self.maxValuesPerPage = maxValuesPerPage
        self.maxFooterSize = maxFooterSize
        self.verifyChecksums = verifyChecksums
        self.parallel = parallel
        self.keepDictionaryCodes = keepDictionaryCodes
    }
}
