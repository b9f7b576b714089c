// ColumnChunkReader: decodes one leaf column chunk (all its pages) into typed buffers —
// levels, dictionary, PLAIN / dictionary / DELTA_* / BYTE_STREAM_SPLIT / RLE values —
// and, for top-level primitives, scatters values over nulls straight into the final arrays.
// Never allocates from an unchecked count: page value counts are bounded by the options
// and the chunk's declared totals; every decoder checks its input before copying.

import TarnColumnar

/// Decodes one column chunk of one row group.
struct ColumnChunkReader {
    let descriptor: ColumnDescriptor
    let codec: CompressionCodec
    let options: ParquetReadOptions
    /// Keep definition/repetition levels and dense values for LevelAssembly (nested
    /// leaves); otherwise scatter into one value per row with a validity bitmap.
    let keepLevels: Bool
    /// Level entries the chunk declares (ColumnMetaData.num_values).
    let declaredValues: Int
    /// Rows of the row group (flat mode must produce exactly this many).
    let rows: Int

    func read(_ chunk: [UInt8], fileOffset: Int) throws(ParquetError) -> DecodedLeaf {
        switch descriptor.physicalType {
        case .boolean:
            var sink = BooleanSink()
            return try run(&sink, chunk, fileOffset)
        case .int32:
            var sink = FixedSink<Int32>()
            return try run(&sink, chunk, fileOffset)
        case .int64:
            var sink = FixedSink<Int64>()
            return try run(&sink, chunk, fileOffset)
        case .int96:
            var sink = Int96Sink()
            return try run(&sink, chunk, fileOffset)
        case .float:
            var sink = FixedSink<Float>()
            return try run(&sink, chunk, fileOffset)
        case .double:
            var sink = FixedSink<Double>()
            return try run(&sink, chunk, fileOffset)
        case .byteArray:
            var sink = ByteArraySink()
            return try run(&sink, chunk, fileOffset)
        case .fixedLenByteArray:
            var sink = FixedLengthSink(width: descriptor.typeLength)
            return try run(&sink, chunk, fileOffset)
        }
    }

    private func run<Sink: ValueSink>(_ sink: inout Sink, _ chunk: [UInt8], _ fileOffset: Int) throws(ParquetError) -> DecodedLeaf {
        var state = ChunkState(
            maxDefinition: descriptor.maxDefinitionLevel, maxRepetition: descriptor.maxRepetitionLevel,
            keepLevels: keepLevels)
        // Codes only for flat leaves whose values keep their physical representation
        // (a converted leaf's dictionary would need the same conversion).
        state.collectCodes = options.keepDictionaryCodes && !keepLevels
            && Sink.keepsDictionary(descriptor.conversion)
        // Reserve from the declared totals, bounded by what the bytes plausibly hold
        // (16 values per stored byte; highly compressed chunks just grow) so a lying
        // footer cannot force a huge allocation.
        let reserve = max(0, min(keepLevels ? declaredValues : rows, chunk.count &* 16 &+ 1024))
        sink.reserve(reserve)
        state.reserve(reserve)
        if state.collectCodes { state.codes.reserveCapacity(reserve) }
        var pageBuffer: [UInt8] = []
        try chunk.withUnsafeBufferPointer { (typed) throws(ParquetError) in
            var pages = PageReader(
                bytes: UnsafeRawBufferPointer(typed), fileOffset: fileOffset,
                maxPageSize: options.maxPageSize, verifyChecksums: options.verifyChecksums)
            while state.entries < declaredValues, let page = try pages.next() {
                try decodePage(page, sink: &sink, state: &state, pageBuffer: &pageBuffer)
            }
        }
        guard state.entries == declaredValues else {
            throw .corrupt("column chunk holds \(state.entries) values, its metadata declares \(declaredValues)", offset: fileOffset)
        }
        if !keepLevels {
            guard state.entries == rows else {
                throw .corrupt("column chunk holds \(state.entries) values for \(rows) rows", offset: fileOffset)
            }
        }
        let storage = try sink.finish(descriptor.conversion, typeLength: descriptor.typeLength)
        if keepLevels {
            return DecodedLeaf(storage: storage, validity: nil, count: state.entries,
                               definition: state.definition, repetition: state.repetition)
        }
        var leaf = DecodedLeaf(storage: storage, validity: state.validity.finish(), count: state.entries,
                               definition: [], repetition: [])
        if state.collectCodes, state.dictionaryPages == 1, state.codes.count == state.entries,
           let values = sink.dictionaryStorage(descriptor.conversion), values.valueCount > 0 {
            leaf.dictionaryCodes = state.codes
            leaf.dictionaryValues = values
        }
        return leaf
    }

    private func decodePage<Sink: ValueSink>(
        _ page: Page, sink: inout Sink, state: inout ChunkState, pageBuffer: inout [UInt8]
    ) throws(ParquetError) {
        let uncompressedSize = Int(page.header.uncompressedPageSize)
        switch page.kind {
        case let .dictionary(header):
            let count = Int(header.numValues)
            guard count >= 0 else { throw .corrupt("dictionary page declares \(count) values", offset: page.bodyOffset) }
            guard header.encoding == .plain || header.encoding == .plainDictionary else {
                throw .unsupported("dictionary page encoding \(header.encodingValue)")
            }
            try withDecompressed(page.body, size: uncompressedSize, buffer: &pageBuffer, offset: page.bodyOffset) { (body) throws(ParquetError) in
                try sink.setDictionary(body, count: count, base: page.bodyOffset)
            }
            state.dictionaryPages += 1
        case let .dataV1(header):
            let count = try checkedValueCount(Int(header.numValues), state: state, offset: page.bodyOffset)
            guard let encoding = header.encoding else {
                throw .unsupported("value encoding \(header.encodingValue)")
            }
            let definitionEncoding = header.definitionLevelEncoding ?? .rle
            let repetitionEncoding = header.repetitionLevelEncoding ?? .rle
            try withDecompressed(page.body, size: uncompressedSize, buffer: &pageBuffer, offset: page.bodyOffset) { (body) throws(ParquetError) in
                var position = 0
                if descriptor.maxRepetitionLevel > 0 {
                    position += try state.decodeRepetition(
                        UnsafeRawBufferPointer(rebasing: body[position...]), encoding: repetitionEncoding, lengthPrefixed: true,
                        count: count, base: page.bodyOffset + position)
                }
                if descriptor.maxDefinitionLevel > 0 {
                    position += try state.decodeDefinition(
                        UnsafeRawBufferPointer(rebasing: body[position...]), encoding: definitionEncoding, lengthPrefixed: true,
                        count: count, base: page.bodyOffset + position)
                }
                try decodeValues(
                    encoding, UnsafeRawBufferPointer(rebasing: body[position...]), count: count,
                    base: page.bodyOffset + position, sink: &sink, state: &state)
            }
        case let .dataV2(header):
            let count = try checkedValueCount(Int(header.numValues), state: state, offset: page.bodyOffset)
            guard let encoding = header.encoding else {
                throw .unsupported("value encoding \(header.encodingValue)")
            }
            let repetitionLength = Int(header.repetitionLevelsByteLength)
            let definitionLength = Int(header.definitionLevelsByteLength)
            guard repetitionLength >= 0, definitionLength >= 0,
                  repetitionLength + definitionLength <= page.body.count,
                  repetitionLength + definitionLength <= uncompressedSize else {
                throw .corrupt("data page v2 level lengths \(repetitionLength) + \(definitionLength) exceed the page", offset: page.bodyOffset)
            }
            if descriptor.maxRepetitionLevel > 0 {
                _ = try state.decodeRepetition(
                    UnsafeRawBufferPointer(rebasing: page.body[0..<repetitionLength]), encoding: .rle, lengthPrefixed: false,
                    count: count, base: page.bodyOffset)
            }
            if descriptor.maxDefinitionLevel > 0 {
                _ = try state.decodeDefinition(
                    UnsafeRawBufferPointer(rebasing: page.body[repetitionLength..<(repetitionLength + definitionLength)]),
                    encoding: .rle, lengthPrefixed: false, count: count, base: page.bodyOffset + repetitionLength)
            }
            let valuesStart = repetitionLength + definitionLength
            let compressedValues = UnsafeRawBufferPointer(rebasing: page.body[valuesStart...])
            let valuesSize = uncompressedSize - valuesStart
            let valuesOffset = page.bodyOffset + valuesStart
            if header.isCompressed {
                try withDecompressed(compressedValues, size: valuesSize, buffer: &pageBuffer, offset: valuesOffset) { (values) throws(ParquetError) in
                    try decodeValues(encoding, values, count: count, base: valuesOffset, sink: &sink, state: &state)
                }
            } else {
                try decodeValues(encoding, compressedValues, count: count, base: valuesOffset, sink: &sink, state: &state)
            }
        }
    }

    private func checkedValueCount(_ count: Int, state: ChunkState, offset: Int) throws(ParquetError) -> Int {
        guard count >= 0, count <= options.maxValuesPerPage else {
            throw .corrupt("page declares \(count) values (limit \(options.maxValuesPerPage))", offset: offset)
        }
        guard count <= declaredValues - state.entries else {
            throw .corrupt("page declares \(count) values but the column chunk has only \(declaredValues - state.entries) left", offset: offset)
        }
        return count
    }

    /// Runs `body` over the page bytes decompressed into the reusable scratch buffer
    /// (or over the stored bytes when the codec is UNCOMPRESSED).
    private func withDecompressed(
        _ stored: UnsafeRawBufferPointer, size: Int, buffer: inout [UInt8], offset: Int,
        _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> Void
    ) throws(ParquetError) {
        if codec == .uncompressed {
            guard stored.count == size else {
                throw .corrupt("uncompressed page holds \(stored.count) bytes, its header declares \(size)", offset: offset)
            }
            try body(stored)
            return
        }
        guard size >= 0, size <= options.maxPageSize else {
            throw .corrupt("page declares \(size) uncompressed bytes (limit \(options.maxPageSize))", offset: offset)
        }
        if buffer.count < size {
            buffer = [UInt8](repeating: 0, count: size)
        }
        try buffer.withUnsafeMutableBufferPointer { (all) throws(ParquetError) in
            let target = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(all)[0..<size])
            do throws(ParquetError) {
                try PageCodec.decompress(codec, stored, into: target)
            } catch {
                throw error.adding(offset: offset)
            }
            try body(UnsafeRawBufferPointer(target))
        }
    }

    /// Decodes the values of one data page whose levels `state` has just read.
    private func decodeValues<Sink: ValueSink>(
        _ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int,
        sink: inout Sink, state: inout ChunkState
    ) throws(ParquetError) {
        let present = state.pagePresentCount(count)
        let start = sink.count
        try sink.decode(encoding, input, count: present, base: base, indices: &state.indices)
        guard sink.count == start + present else {
            throw .corrupt("page decoded \(sink.count - start) values, \(present) expected", offset: base)
        }
        if state.collectCodes {
            if encoding == .rleDictionary || encoding == .plainDictionary {
                // The sink left this page's codes at the front of the scratch indices.
                state.codes.append(contentsOf: state.indices[0..<present])
            } else {
                // A PLAIN (or other) page after the dictionary: the chunk has no codes.
                state.collectCodes = false
                state.codes = []
            }
        }
        state.finishPage(count: count, present: present, sink: &sink, sinkStart: start)
    }
}

/// Levels, validity and scratch buffers of one chunk being decoded.
struct ChunkState {
    let maxDefinition: Int
    let maxRepetition: Int
    let keepLevels: Bool
    /// Level entries decoded so far.
    var entries = 0
    /// Nested mode: all levels of the chunk.
    var definition: [Int32] = []
    var repetition: [Int32] = []
    /// Flat mode: the current page's definition levels (reused).
    var pageDefinition: [Int32] = []
    var pageDefinitionCount = 0
    /// Where the current page's levels start in `definition` (nested mode).
    var pageLevelStart = 0
    var validity = ValidityBuilder()
    var indices: [Int32] = []
    /// Flat mode with `keepDictionaryCodes`: one dictionary code per entry so far (0 at
    /// nulls); `collectCodes` turns false for good at the first non-dictionary page.
    var collectCodes = false
    var codes: [Int32] = []
    var dictionaryPages = 0

    init(maxDefinition: Int, maxRepetition: Int, keepLevels: Bool) {
        self.maxDefinition = maxDefinition
        self.maxRepetition = maxRepetition
        self.keepLevels = keepLevels
    }

    mutating func reserve(_ n: Int) {
        if keepLevels {
            if maxDefinition > 0 { definition.reserveCapacity(n) }
            if maxRepetition > 0 { repetition.reserveCapacity(n) }
        }
    }

    mutating func decodeRepetition(
        _ input: UnsafeRawBufferPointer, encoding: Encoding, lengthPrefixed: Bool, count: Int, base: Int
    ) throws(ParquetError) -> Int {
        let start = repetition.count
        repetition.append(contentsOf: repeatElement(0, count: count))
        return try repetition.withUnsafeMutableBufferPointer { (all) throws(ParquetError) -> Int in
            let target = UnsafeMutableBufferPointer(rebasing: all[start...])
            return try LevelDecoding.decode(input, encoding: encoding, lengthPrefixed: lengthPrefixed,
                                            maxLevel: maxRepetition, into: target, base: base)
        }
    }

    mutating func decodeDefinition(
        _ input: UnsafeRawBufferPointer, encoding: Encoding, lengthPrefixed: Bool, count: Int, base: Int
    ) throws(ParquetError) -> Int {
        if keepLevels {
            let start = definition.count
            pageLevelStart = start
            definition.append(contentsOf: repeatElement(0, count: count))
            return try definition.withUnsafeMutableBufferPointer { (all) throws(ParquetError) -> Int in
                let target = UnsafeMutableBufferPointer(rebasing: all[start...])
                return try LevelDecoding.decode(input, encoding: encoding, lengthPrefixed: lengthPrefixed,
                                                maxLevel: maxDefinition, into: target, base: base)
            }
        }
        if pageDefinition.count < count {
            pageDefinition = [Int32](repeating: 0, count: count)
        }
        pageDefinitionCount = count
        return try pageDefinition.withUnsafeMutableBufferPointer { (all) throws(ParquetError) -> Int in
            let target = UnsafeMutableBufferPointer(rebasing: all[0..<count])
            return try LevelDecoding.decode(input, encoding: encoding, lengthPrefixed: lengthPrefixed,
                                            maxLevel: maxDefinition, into: target, base: base)
        }
    }

    /// Non-null values among the current page's `count` entries.
    func pagePresentCount(_ count: Int) -> Int {
        if maxDefinition == 0 { return count }
        let level = Int32(maxDefinition)
        if keepLevels {
            return definition.withUnsafeBufferPointer { all in
                LevelDecoding.count(UnsafeBufferPointer(rebasing: all[pageLevelStart..<(pageLevelStart + count)]), equalTo: level)
            }
        }
        return pageDefinition.withUnsafeBufferPointer { all in
            LevelDecoding.count(UnsafeBufferPointer(rebasing: all[0..<count]), equalTo: level)
        }
    }

    /// Records the page: validity and scatter in flat mode.
    mutating func finishPage<Sink: ValueSink>(count: Int, present: Int, sink: inout Sink, sinkStart: Int) {
        entries += count
        if keepLevels { return }
        if present == count {
            validity.appendValid(count)
            return
        }
        let level = Int32(maxDefinition)
        pageDefinition.withUnsafeBufferPointer { all in
            let levels = UnsafeBufferPointer(rebasing: all[0..<count])
            sink.spread(from: sinkStart, definition: levels, maxDefinition: level)
            if collectCodes {
                FixedSpread.spread(&codes, from: codes.count - present, definition: levels, maxDefinition: level, zero: 0)
            }
            validity.append(levels, maxDefinition: level)
        }
    }
}

/// Definition/repetition level sections of data pages.
enum LevelDecoding {
    /// Decodes `into.count` levels; returns the bytes consumed. Levels above `maxLevel`
    /// are `.corrupt`.
    static func decode(
        _ input: UnsafeRawBufferPointer, encoding: Encoding, lengthPrefixed: Bool, maxLevel: Int,
        into target: UnsafeMutableBufferPointer<Int32>, base: Int
    ) throws(ParquetError) -> Int {
        let bitWidth = RLEBitPackedHybrid.bitWidth(forMaxValue: maxLevel)
        let consumed: Int
        switch encoding {
        case .rle:
            if lengthPrefixed {
                consumed = try RLEBitPackedHybrid.decodeLengthPrefixed(input, bitWidth: bitWidth, into: target, baseOffset: base)
            } else {
                _ = try RLEBitPackedHybrid.decode(input, bitWidth: bitWidth, into: target, baseOffset: base)
                consumed = input.count
            }
        case .bitPacked:
            consumed = try decodeBitPacked(input, bitWidth: bitWidth, into: target, base: base)
        default:
            throw .unsupported("level encoding \(encoding)")
        }
        // Widths round up to powers of two; a level above the maximum would mislead assembly.
        if (1 << bitWidth) - 1 != maxLevel {
            var largest: Int32 = 0
            for level in target { largest = max(largest, level) }
            guard Int(largest) <= maxLevel else {
                throw .corrupt("level \(largest) exceeds the column's maximum \(maxLevel)", offset: base)
            }
        }
        return consumed
    }

    /// The deprecated BIT_PACKED level encoding: values packed most significant bit first.
    static func decodeBitPacked(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, into target: UnsafeMutableBufferPointer<Int32>, base: Int
    ) throws(ParquetError) -> Int {
        let bytes = (target.count * bitWidth + 7) / 8
        guard bytes <= input.count else {
            throw .corrupt("BIT_PACKED levels need \(bytes) bytes, \(input.count) remain", offset: base)
        }
        var bit = 0
        for i in 0..<target.count {
            var value: Int32 = 0
            for _ in 0..<bitWidth {
                let byte = input[bit >> 3]
                value = (value << 1) | Int32((byte >> UInt8(7 - (bit & 7))) & 1)
                bit += 1
            }
            target[i] = value
        }
        return bytes
    }

    static func count(_ levels: UnsafeBufferPointer<Int32>, equalTo level: Int32) -> Int {
        var n = 0
        for value in levels where value == level { n &+= 1 }
        return n
    }
}

/// Builds a validity bitmap page by page; materialises words only once a null appears.
struct ValidityBuilder {
    var words: [UInt64] = []
    var count = 0
    var nulls = 0

    mutating func appendValid(_ n: Int) {
        if nulls == 0 {
            count += n
            return
        }
        appendBits(n) { _ in true }
    }

    mutating func append(_ levels: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        if nulls == 0 {
            // Materialise the all-valid prefix.
            words = [UInt64](repeating: ~0, count: (count + 63) >> 6)
            if count & 63 != 0, !words.isEmpty {
                words[words.count - 1] = (UInt64(1) << UInt64(count & 63)) &- 1
            }
            words.reserveCapacity((count + levels.count) * 2 / 64 + 1)
        }
        // Whole words at a time, branch-free (nulls are random, a per-bit branch mispredicts).
        var i = 0
        let n = levels.count
        var pageValid = 0
        while i < n {
            if count & 63 == 0 { words.append(0) }
            let wordIndex = count >> 6
            let shift = count & 63
            let take = min(64 - shift, n - i)
            var bits: UInt64 = 0
            for j in 0..<take {
                // A Bool's bit pattern is 0 or 1 (a `? 1 : 0` is lowered to a branch).
                bits |= UInt64(unsafeBitCast(levels[i &+ j] == maxDefinition, to: UInt8.self)) &<< UInt64(truncatingIfNeeded: j)
            }
            pageValid += bits.nonzeroBitCount
            words[wordIndex] |= bits << UInt64(shift)
            i += take
            count += take
        }
        nulls += n - pageValid
    }

    private mutating func appendBits(_ n: Int, _ bit: (Int) -> Bool) {
        var i = 0
        while i < n {
            if count & 63 == 0 { words.append(0) }
            let wordIndex = count >> 6
            var word = words[wordIndex]
            var shift = count & 63
            while shift < 64 && i < n {
                if bit(i) { word |= UInt64(1) << UInt64(shift) }
                shift += 1
                i += 1
                count += 1
            }
            words[wordIndex] = word
        }
    }

    func finish() -> Bitmap? {
        nulls == 0 ? nil : Bitmap(words: words, count: count)
    }
}
