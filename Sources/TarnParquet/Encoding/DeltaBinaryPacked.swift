// DeltaBinaryPacked: DELTA_BINARY_PACKED decoding and encoding of Int32 and Int64.
// Owns the header checks (block size, miniblocks, value count bounded by the bytes that
// remain and by the caller's maximum) and reports the bytes consumed, because
// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY embed this encoding. Never trusts a count
// or bit width from the data before checking it; arithmetic wraps as the spec requires.

/// DELTA_BINARY_PACKED (`Encoding.deltaBinaryPacked`).
public enum DeltaBinaryPacked {
    /// Largest block size accepted (writers use 128; the spec only asks for a multiple of 128).
    public static let maxBlockSize = 1 << 15
    /// Block size and miniblock count the encoder writes (as parquet-mr and Arrow do).
    public static let defaultBlockSize = 128
    public static let defaultMiniblockCount = 4

    /// The header fields.
    public struct Header: Sendable, Equatable {
        public var blockSize: Int
        public var miniblockCount: Int
        public var totalCount: Int
        public var firstValue: Int64
    }

    /// Reads and checks the header. `totalCount` is checked against `maxCount` and
    /// against the bytes that remain (each block costs at least 1 + miniblockCount bytes).
    static func readHeader(_ reader: inout ByteReader, maxCount: Int) throws(ParquetError) -> Header {
        let start = reader.absoluteOffset
        let blockSize = try reader.readLength(limit: maxBlockSize, "DELTA_BINARY_PACKED block size")
        guard blockSize > 0, blockSize % 128 == 0 else {
            throw .corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a positive multiple of 128", offset: start)
        }
        let miniblockCount = try reader.readLength(limit: blockSize, "DELTA_BINARY_PACKED miniblock count")
        guard miniblockCount > 0, blockSize % miniblockCount == 0, (blockSize / miniblockCount) % 32 == 0 else {
            throw .corrupt("DELTA_BINARY_PACKED miniblock count \(miniblockCount) does not split block size \(blockSize) into multiples of 32", offset: start)
        }
        let totalCount = try reader.readLength(limit: max(0, maxCount), "DELTA_BINARY_PACKED value count")
        let firstValue = try reader.readZigZag()
        if totalCount > 1 {
            let blocks = (totalCount - 1 + blockSize - 1) / blockSize
            guard blocks <= reader.remaining / (1 + miniblockCount) else {
                throw .corrupt("DELTA_BINARY_PACKED value count \(totalCount) needs more blocks than the \(reader.remaining) remaining bytes can hold", offset: start)
            }
        }
        return Header(blockSize: blockSize, miniblockCount: miniblockCount, totalCount: totalCount, firstValue: firstValue)
    }

    /// Decodes the header only (for callers that need the value count first).
    public static func readHeader(_ input: UnsafeRawBufferPointer, maxCount: Int, baseOffset: Int = 0) throws(ParquetError) -> Header {
        var reader = ByteReader(input, base: baseOffset)
        return try readHeader(&reader, maxCount: maxCount)
    }

    /// Decodes all values of the stream and appends them to `output`.
    ///
    /// - Parameter maxCount: the most values the caller accepts (the page's value count);
    ///   a header declaring more is `.corrupt`. Nothing is allocated beyond this.
    /// - Returns: bytes consumed: the header plus every block up to the last value
    ///   (miniblocks are taken at their full padded size, per the spec).
    /// - Throws: `.corrupt` for a malformed header, a miniblock bit width above 32, or
    ///   data that ends early.
    public static func decode(
        _ input: UnsafeRawBufferPointer, maxCount: Int,
        appendingTo output: inout [Int32], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        try decodeGeneric(input, maxCount: maxCount, maxBitWidth: 32, appendingTo: &output, baseOffset: baseOffset)
    }

    /// Int64 form of `decode(_:maxCount:appendingTo:baseOffset:)`; bit widths up to 64.
    public static func decode(
        _ input: UnsafeRawBufferPointer, maxCount: Int,
        appendingTo output: inout [Int64], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        try decodeGeneric(input, maxCount: maxCount, maxBitWidth: 64, appendingTo: &output, baseOffset: baseOffset)
    }

    @inline(__always)
    static func decodeGeneric<T: FixedWidthInteger>(
        _ input: UnsafeRawBufferPointer, maxCount: Int, maxBitWidth: Int,
        appendingTo output: inout [T], baseOffset: Int
    ) throws(ParquetError) -> Int {
        var reader = ByteReader(input, base: baseOffset)
        let header = try readHeader(&reader, maxCount: maxCount)
        let total = header.totalCount
        if total == 0 { return reader.position }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: total))
        do {
            try output.withUnsafeMutableBufferPointer { (all) throws(ParquetError) in
                guard let base = all.baseAddress else { return }
                try decodeBlocks(&reader, header: header, maxBitWidth: maxBitWidth, into: base + start)
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
        return reader.position
    }

    /// Decodes the blocks after the header into `target` (room for `header.totalCount`).
    @inline(__always)
    static func decodeBlocks<T: FixedWidthInteger>(
        _ reader: inout ByteReader, header: Header, maxBitWidth: Int, into target: UnsafeMutablePointer<T>
    ) throws(ParquetError) {
        let total = header.totalCount
        let valuesPerMiniblock = header.blockSize / header.miniblockCount
        var last = UInt64(bitPattern: header.firstValue)
        target[0] = T(truncatingIfNeeded: last)
        var produced = 1
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: valuesPerMiniblock) { (scratch) throws(ParquetError) in
            guard let scratchBase = scratch.baseAddress else { return }
            while produced < total {
                let minDelta = UInt64(bitPattern: try reader.readZigZag())
                let widths = try reader.readBytes(header.miniblockCount)
                var miniblock = 0
                while miniblock < header.miniblockCount && produced < total {
                    let bitWidth = Int(widths[miniblock])
                    guard bitWidth <= maxBitWidth else {
                        throw .corrupt("DELTA_BINARY_PACKED miniblock bit width \(bitWidth) exceeds \(maxBitWidth)", offset: reader.absoluteOffset - header.miniblockCount + miniblock)
                    }
                    let byteCount = valuesPerMiniblock * bitWidth / 8
                    let source = try reader.readBytes(byteCount)
                    let take = min(valuesPerMiniblock, total - produced)
                    if bitWidth == 0 {
                        for k in 0..<take {
                            last = last &+ minDelta
                            // SAFETY: produced + k < total, the room the caller gave.
                            target[produced + k] = T(truncatingIfNeeded: last)
                        }
                    } else if let sourceBase = source.baseAddress {
                        // SAFETY: `source` holds valuesPerMiniblock * bitWidth / 8 bytes, enough
                        // for `take <= valuesPerMiniblock` values; scratch holds valuesPerMiniblock.
                        BitPacking.unpack64(sourceBase, sourceByteCount: byteCount, bitWidth: bitWidth, count: take, into: scratchBase)
                        for k in 0..<take {
                            last = last &+ minDelta &+ scratchBase[k]
                            // SAFETY: produced + k < total, the room the caller gave.
                            target[produced + k] = T(truncatingIfNeeded: last)
                        }
                    }
                    produced += take
                    miniblock += 1
                }
            }
        }
    }

    // MARK: Encoding

    /// Appends `values` DELTA_BINARY_PACKED with 32-bit wrapping deltas (bit widths ≤ 32).
    public static func encode(
        _ values: UnsafeBufferPointer<Int32>, into out: inout ByteWriter,
        blockSize: Int = defaultBlockSize, miniblockCount: Int = defaultMiniblockCount
    ) throws(ParquetError) {
        try encodeGeneric(values, into: &out, blockSize: blockSize, miniblockCount: miniblockCount)
    }

    /// Appends `values` DELTA_BINARY_PACKED with 64-bit wrapping deltas.
    public static func encode(
        _ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter,
        blockSize: Int = defaultBlockSize, miniblockCount: Int = defaultMiniblockCount
    ) throws(ParquetError) {
        try encodeGeneric(values, into: &out, blockSize: blockSize, miniblockCount: miniblockCount)
    }

    /// Array conveniences returning the encoded bytes.
    public static func encode(_ values: [Int32]) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { buffer in
            // Default block parameters are valid, so this cannot throw.
            try? encode(buffer, into: &out)
        }
        return out.bytes
    }

    public static func encode(_ values: [Int64]) -> [UInt8] {
        var out = ByteWriter()
        values.withUnsafeBufferPointer { buffer in
            // Default block parameters are valid, so this cannot throw.
            try? encode(buffer, into: &out)
        }
        return out.bytes
    }

    static func encodeGeneric<T: FixedWidthInteger & SignedInteger>(
        _ values: UnsafeBufferPointer<T>, into out: inout ByteWriter, blockSize: Int, miniblockCount: Int
    ) throws(ParquetError) {
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= maxBlockSize, miniblockCount > 0,
              blockSize % miniblockCount == 0, (blockSize / miniblockCount) % 32 == 0 else {
            throw .invalidArgument("DELTA_BINARY_PACKED block size \(blockSize) with \(miniblockCount) miniblocks is invalid")
        }
        let valuesPerMiniblock = blockSize / miniblockCount
        out.writeULEB128(UInt64(blockSize))
        out.writeULEB128(UInt64(miniblockCount))
        out.writeULEB128(UInt64(values.count))
        guard let first = values.first else {
            out.writeZigZag(0)
            return
        }
        out.writeZigZag(Int64(first))
        var deltas = [T](repeating: 0, count: blockSize)
        var relative = [UInt64](repeating: 0, count: blockSize)
        var previous = first
        var index = 1
        while index < values.count {
            let n = min(blockSize, values.count - index)
            var minDelta = T.max
            for k in 0..<n {
                let value = values[index + k]
                let delta = value &- previous
                deltas[k] = delta
                minDelta = min(minDelta, delta)
                previous = value
            }
            out.writeZigZag(Int64(minDelta))
            var widths = [UInt8](repeating: 0, count: miniblockCount)
            for k in 0..<n {
                // Unsigned difference in T's own width, so Int32 deltas stay within 32 bits.
                let difference = deltas[k] &- minDelta
                relative[k] = UInt64(truncatingIfNeeded: difference) & (T.bitWidth == 64 ? ~0 : (1 << UInt64(T.bitWidth)) - 1)
            }
            let usedMiniblocks = (n + valuesPerMiniblock - 1) / valuesPerMiniblock
            for m in 0..<usedMiniblocks {
                var accumulated: UInt64 = 0
                for k in (m * valuesPerMiniblock)..<min(n, (m + 1) * valuesPerMiniblock) { accumulated |= relative[k] }
                widths[m] = UInt8(BitPacking.bitWidth(of: accumulated))
            }
            out.write(contentsOf: widths)
            for m in 0..<usedMiniblocks {
                let lower = m * valuesPerMiniblock
                let upper = min(n, lower + valuesPerMiniblock)
                let padding = repeatElement(UInt64(0), count: valuesPerMiniblock - (upper - lower))
                BitPacking.pack(PackSource(first: relative[lower..<upper], second: padding), bitWidth: Int(widths[m]), into: &out.bytes)
            }
            index += n
        }
    }
}
