// ColumnChunkWriter: encodes one shredded leaf of a row group into a column chunk —
// page boundaries, dictionary encoding with fallback to PLAIN, levels, statistics.
// Owns the chunk's pages and the numbers its ColumnMetaData needs (relative offsets);
// must never know absolute file positions (the file writer adds the chunk's base).

import TarnColumnar

/// One encoded column chunk, positions relative to its first byte.
struct EncodedColumnChunk: Sendable {
    /// Pages in file order (the dictionary page first when present).
    var pages: [WrittenPage]
    /// Whether `pages[0]` is a dictionary page.
    var hasDictionaryPage: Bool
    var totalUncompressedSize: Int
    var totalCompressedSize: Int
    var numValues: Int
    var encodings: [Encoding]
    var encodingStats: [PageEncodingStats]
    var statistics: Statistics?
    /// Chunk bounds in the leaf's logical type (min/max nil when unknown or all null).
    var bounds: ColumnBounds
}

enum ColumnChunkWriter {
    /// Values looked up or encoded per step; dictionary size and page size are checked
    /// between steps (as Arrow's write batch), so a dictionary can pass its limit by one step.
    static let batchSize = 1024

    static func write(_ shredded: ShreddedLeaf, leaf: WriterLeaf, options: ParquetWriteOptions) throws(ParquetError) -> EncodedColumnChunk {
        switch (shredded.values, leaf.order) {
        case let (.boolean(values), _):
            return try run(BooleanValueEncoder(values: values), shredded, leaf, options)
        case let (.int32(values), .unsigned):
            return try run(FixedWidthValueEncoder<UnsignedInt32Policy>(values: values), shredded, leaf, options)
        case let (.int32(values), _):
            return try run(FixedWidthValueEncoder<SignedInt32Policy>(values: values), shredded, leaf, options)
        case let (.int64(values), .unsigned):
            return try run(FixedWidthValueEncoder<UnsignedInt64Policy>(values: values), shredded, leaf, options)
        case let (.int64(values), _):
            return try run(FixedWidthValueEncoder<SignedInt64Policy>(values: values), shredded, leaf, options)
        case let (.float(values), _):
            return try run(FixedWidthValueEncoder<FloatPolicy>(values: values), shredded, leaf, options)
        case let (.double(values), _):
            return try run(FixedWidthValueEncoder<DoublePolicy>(values: values), shredded, leaf, options)
        case let (.byteArray(offsets, data), _):
            let encoder = ByteArrayValueEncoder(offsets: offsets, data: data, isString: leaf.dataType == .string)
            return try run(encoder, shredded, leaf, options)
        case let (.fixedLenByteArray(data, width), order):
            let encoder = ByteArrayValueEncoder(fixedWidthData: data, width: width, signedOrder: order == .signedBytes)
            return try run(encoder, shredded, leaf, options)
        }
    }

    private static func run<Encoder: LeafValueEncoder>(
        _ encoder: Encoder, _ shredded: ShreddedLeaf, _ leaf: WriterLeaf, _ options: ParquetWriteOptions
    ) throws(ParquetError) -> EncodedColumnChunk {
        var state = ChunkEncodingState(
            encoder: encoder, shredded: shredded, leaf: leaf, options: options,
            pageWriter: PageWriter(codec: options.codec, compressionLevel: options.compressionLevel,
                                   writeChecksums: options.writePageChecksums))
        return try state.encode()
    }
}

/// The mutable state of encoding one chunk.
private struct ChunkEncodingState<Encoder: LeafValueEncoder> {
    var encoder: Encoder
    let shredded: ShreddedLeaf
    let leaf: WriterLeaf
    let options: ParquetWriteOptions
    let pageWriter: PageWriter

    var pages: [WrittenPage] = []
    var dictionaryMode: Bool
    var usedDictionary = false
    var indices: [Int32] = []
    var pageLevelStart = 0
    var pageValueStart = 0
    var pageRows = 0
    var levelPosition = 0
    var valuePosition = 0
    var chunkNulls = 0
    var dataPageEncodings: [Encoding: Int32] = [:]

    init(encoder: Encoder, shredded: ShreddedLeaf, leaf: WriterLeaf, options: ParquetWriteOptions, pageWriter: PageWriter) {
        self.encoder = encoder
        self.shredded = shredded
        self.leaf = leaf
        self.options = options
        self.pageWriter = pageWriter
        // All-null or empty leaves get PLAIN pages: a dictionary of nothing helps no reader.
        dictionaryMode = options.dictionaryEnabled && encoder.supportsDictionary && shredded.values.count > 0
    }

    var maxDefinition: UInt8 { UInt8(truncatingIfNeeded: leaf.maxDefinitionLevel) }

    mutating func encode() throws(ParquetError) -> EncodedColumnChunk {
        let levelCount = shredded.levelCount
        let hasDefinition = leaf.maxDefinitionLevel > 0
        let hasRepetition = leaf.maxRepetitionLevel > 0
        let rowLimit = max(1, options.dataPageRowLimit)
        guard shredded.values.count <= levelCount,
              !hasDefinition || shredded.uniformDefinitionLevel != nil || shredded.definitionLevels.count == levelCount,
              !hasRepetition || shredded.repetitionLevels.count == levelCount else {
            throw ParquetError.invalidArgument("leaf \(leaf.path.joined(separator: ".")): levels and values disagree")
        }
        let full = maxDefinition
        while levelPosition < levelCount {
            var end = min(levelPosition + ColumnChunkWriter.batchSize, levelCount)
            var rows = 0
            if hasRepetition {
                // Pages end on record boundaries: extend the step to the next row start.
                while end < levelCount && shredded.repetitionLevels[end] != 0 { end += 1 }
                rows = shredded.repetitionLevels.withUnsafeBufferPointer { rep in
                    // SAFETY: end <= levelCount == rep.count (checked before the loop).
                    var n = 0
                    for k in levelPosition..<end where rep[k] == 0 { n += 1 }
                    return n
                }
            } else {
                end = min(end, levelPosition + max(1, rowLimit - pageRows))
                rows = end - levelPosition
            }
            let present: Int
            if let uniform = shredded.uniformDefinitionLevel {
                present = uniform == full ? end - levelPosition : 0
            } else if hasDefinition {
                present = shredded.definitionLevels.withUnsafeBufferPointer { def in
                    // SAFETY: end <= levelCount == def.count (checked before the loop).
                    var n = 0
                    for k in levelPosition..<end { n &+= def[k] == full ? 1 : 0 }
                    return n
                }
            } else {
                present = end - levelPosition
            }
            let values = valuePosition..<(valuePosition + present)
            guard values.upperBound <= shredded.values.count else {
                throw ParquetError.invalidArgument("leaf \(leaf.path.joined(separator: ".")): levels announce more values than were given")
            }
            if dictionaryMode { encoder.appendIndices(values, to: &indices) }
            if options.writeStatistics { encoder.observe(values) }
            levelPosition = end
            valuePosition = values.upperBound
            pageRows += rows

            // Capped at 1 GiB so dictionary offsets (Int32) can never overflow.
            if dictionaryMode && encoder.dictionaryByteSize >= min(options.dictionaryPageSizeLimit, 1 << 30) {
                // Like parquet-mr and Arrow: keep the dictionary built so far for the pages
                // written with it and continue the chunk in PLAIN.
                try flushPage()
                dictionaryMode = false
            } else if estimatedPageSize() >= options.pageSizeBytes || pageRows >= rowLimit {
                try flushPage()
            }
        }
        try flushPage()
        return try finish()
    }

    func estimatedPageSize() -> Int {
        let values: Int
        if dictionaryMode {
            let width = HybridRunEncoder.bitWidth(forMaxValue: encoder.dictionaryCount - 1)
            values = (indices.count * width + 7) / 8
        } else {
            values = encoder.plainSize(pageValueStart..<valuePosition)
        }
        return values + (levelPosition - pageLevelStart) / 8
    }

    /// Whether the dictionary may pay off: smaller than PLAIN so far, or fewer than 95%
    /// of the values so far were distinct.
    func dictionaryPays(_ valueRange: Range<Int>) -> Bool {
        let width = HybridRunEncoder.bitWidth(forMaxValue: encoder.dictionaryCount - 1)
        let dictionaryCost = encoder.dictionaryByteSize + (indices.count * width + 7) / 8
        if dictionaryCost < encoder.plainSize(valueRange) { return true }
        return encoder.dictionaryCount * 100 < valueRange.upperBound * 95
    }

    mutating func flushPage() throws(ParquetError) {
        let levelRange = pageLevelStart..<levelPosition
        guard !levelRange.isEmpty else { return }
        let valueRange = pageValueStart..<valuePosition
        let nulls = levelRange.count - valueRange.count
        var statistics: Statistics?
        if options.writeStatistics {
            statistics = StatisticsCollector.statistics(encoder.finishPage(), nullCount: nulls, order: leaf.order)
        }
        // Levels: bare for v2 (kept uncompressed), length-prefixed inside the body for v1.
        var levels = [UInt8]()
        var repetitionLength = 0
        if leaf.maxRepetitionLevel > 0 {
            let width = HybridRunEncoder.bitWidth(forMaxValue: leaf.maxRepetitionLevel)
            shredded.repetitionLevels.withUnsafeBufferPointer { rep in
                let slice = UnsafeBufferPointer(rebasing: rep[levelRange])
                if options.dataPageVersion == .v1 {
                    HybridRunEncoder.encodeLengthPrefixed(slice, bitWidth: width, into: &levels)
                } else {
                    HybridRunEncoder.encode(slice, bitWidth: width, into: &levels)
                }
            }
            repetitionLength = levels.count
        }
        if leaf.maxDefinitionLevel > 0, let uniform = shredded.uniformDefinitionLevel {
            let width = HybridRunEncoder.bitWidth(forMaxValue: leaf.maxDefinitionLevel)
            HybridRunEncoder.encodeRun(uniform, count: levelRange.count, bitWidth: width,
                                       lengthPrefixed: options.dataPageVersion == .v1, into: &levels)
        } else if leaf.maxDefinitionLevel > 0 {
            let width = HybridRunEncoder.bitWidth(forMaxValue: leaf.maxDefinitionLevel)
            shredded.definitionLevels.withUnsafeBufferPointer { def in
                let slice = UnsafeBufferPointer(rebasing: def[levelRange])
                if options.dataPageVersion == .v1 {
                    HybridRunEncoder.encodeLengthPrefixed(slice, bitWidth: width, into: &levels)
                } else {
                    HybridRunEncoder.encode(slice, bitWidth: width, into: &levels)
                }
            }
        }
        let definitionLength = levels.count - repetitionLength

        // Values: into the body after the levels for v1, into their own buffer for v2.
        var values = ByteWriter(capacity: 0)
        if options.dataPageVersion == .v1 {
            values.bytes = levels
        }
        if dictionaryMode && !usedDictionary && !valueRange.isEmpty && !dictionaryPays(valueRange) {
            // Like parquet-mr: when the first dictionary page is no smaller than PLAIN and
            // almost every value was new (unique timestamps, ids, random floats), drop the
            // dictionary before it is written and keep the chunk PLAIN, instead of hashing
            // up to the size limit. Columns with some repeats keep it: their dictionary
            // can still pay off over the chunk.
            dictionaryMode = false
            indices.removeAll(keepingCapacity: false)
        }
        let encoding: Encoding
        if dictionaryMode {
            encoding = .rleDictionary
            let width = HybridRunEncoder.bitWidth(forMaxValue: encoder.dictionaryCount - 1)
            values.bytes.reserveCapacity(values.count + 1 + (indices.count * width) / 8 + 64)
            values.writeByte(UInt8(width))
            indices.withUnsafeBufferPointer { HybridRunEncoder.encode($0, bitWidth: width, into: &values.bytes) }
            indices.removeAll(keepingCapacity: true)
            usedDictionary = true
        } else {
            encoding = .plain
            values.bytes.reserveCapacity(values.count + encoder.plainSize(valueRange))
            try encoder.writePlain(valueRange, into: &values)
        }

        let page: WrittenPage
        switch options.dataPageVersion {
        case .v1:
            page = try pageWriter.dataPageV1(values.bytes, numValues: levelRange.count, encoding: encoding, statistics: statistics)
        case .v2:
            page = try pageWriter.dataPageV2(
                levels: levels, repetitionLength: repetitionLength, definitionLength: definitionLength,
                values: values.bytes, numValues: levelRange.count, numNulls: nulls, numRows: pageRows,
                encoding: encoding, statistics: statistics)
        }
        pages.append(page)
        dataPageEncodings[encoding, default: 0] += 1
        chunkNulls += nulls
        pageLevelStart = levelPosition
        pageValueStart = valuePosition
        pageRows = 0
    }

    mutating func finish() throws(ParquetError) -> EncodedColumnChunk {
        var allPages = pages
        var encodingStats: [PageEncodingStats] = []
        var encodings: Set<Encoding> = []
        if usedDictionary {
            var plain = ByteWriter(capacity: encoder.dictionaryByteSize)
            try encoder.writeDictionary(into: &plain)
            allPages.insert(try pageWriter.dictionaryPage(plain.bytes, count: encoder.dictionaryCount), at: 0)
            encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
            encodings.insert(.plain)
        }
        let dataPageType: PageType = options.dataPageVersion == .v1 ? .dataPage : .dataPageV2
        for encoding in [Encoding.plain, .rleDictionary] {
            if let count = dataPageEncodings[encoding] {
                encodingStats.append(PageEncodingStats(pageType: dataPageType, encoding: encoding, count: count))
                encodings.insert(encoding)
            }
        }
        if leaf.maxDefinitionLevel > 0 || leaf.maxRepetitionLevel > 0 { encodings.insert(.rle) }

        var statistics: Statistics?
        var bounds = ColumnBounds(min: nil, max: nil, nullCount: chunkNulls, rowCount: shredded.levelCount)
        if options.writeStatistics {
            let chunkBounds = encoder.chunkBounds
            statistics = StatisticsCollector.statistics(chunkBounds, nullCount: chunkNulls, order: leaf.order)
            if let chunkBounds {
                bounds.min = StatisticsCollector.scalar(chunkBounds.min, leaf: leaf)
                bounds.max = StatisticsCollector.scalar(chunkBounds.max, leaf: leaf)
            }
        }
        return EncodedColumnChunk(
            pages: allPages, hasDictionaryPage: usedDictionary,
            totalUncompressedSize: allPages.reduce(0) { $0 + $1.uncompressedSize },
            totalCompressedSize: allPages.reduce(0) { $0 + $1.storedSize },
            numValues: shredded.levelCount,
            encodings: encodings.sorted { $0.rawValue < $1.rawValue },
            encodingStats: encodingStats, statistics: statistics, bounds: bounds)
    }
}
