// RLEBitPackedHybrid: the RLE / bit-packing hybrid encoding (levels, dictionary indices,
// RLE booleans), in its bare form and its 4-byte length-prefixed form.
// Knows nothing about pages: bytes and a bit width in, Int32 values out (and back).
// Every run header from the data is checked against the bytes that remain and the
// values still wanted; hostile input throws `.corrupt`, never traps or over-allocates.

/// Decoder and encoder of the RLE / bit-packing hybrid (Parquet encoding `RLE`).
public enum RLEBitPackedHybrid {
    /// Largest bit width the hybrid supports (dictionary indices are at most 32 bits).
    public static let maxBitWidth = 32

    /// Smallest bit width that can encode every value in `0...maxValue` (0 for 0).
    public static func bitWidth(forMaxValue maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : BitPacking.bitWidth(of: UInt64(maxValue))
    }

    // MARK: Decoding

    /// Decodes exactly `output.count` values of the bare form (no length prefix) into `output`.
    ///
    /// - Parameters:
    ///   - input: the encoded runs; decoding stops once `output` is full, so trailing
    ///     bytes (another section of the page) are left alone.
    ///   - bitWidth: 0…32.
    ///   - baseOffset: absolute file offset of `input[0]`, used in error messages.
    /// - Returns: the number of bytes of `input` consumed by the runs read (a run that
    ///   was only partly needed counts whole, clamped to the input).
    /// - Throws: `.invalidArgument` for a bit width outside 0…32; `.corrupt` when the
    ///   runs end before `output.count` values or a run is malformed.
    /// - Complexity: O(values + bytes); RLE runs are a fill, bit-packed runs a shift/mask
    ///   per value with no per-value bounds checks.
    public static func decode(
        _ input: UnsafeRawBufferPointer, bitWidth: Int,
        into output: UnsafeMutableBufferPointer<Int32>, baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard bitWidth >= 0 && bitWidth <= maxBitWidth else {
            throw .invalidArgument("RLE/bit-packed bit width \(bitWidth) is outside 0...32")
        }
        let wanted = output.count
        if wanted == 0 { return 0 }
        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else {
            throw .corrupt("RLE/bit-packed data is empty but \(wanted) values are expected", offset: baseOffset)
        }
        let inputCount = input.count
        let valueByteWidth = (bitWidth + 7) >> 3
        let maxValue: UInt32 = bitWidth == 32 ? .max : (1 << UInt32(bitWidth)) &- 1
        var position = 0
        var produced = 0
        while produced < wanted {
            // Run header: ULEB128, at most 5 bytes for a 32-bit value.
            let headerStart = position
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < inputCount else {
                    throw .corrupt("RLE/bit-packed data ends after \(produced) of \(wanted) values", offset: baseOffset + headerStart)
                }
                // SAFETY: position < inputCount, checked just above.
                let byte = inputBase.load(fromByteOffset: position, as: UInt8.self)
                position &+= 1
                header |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift &+= 7
                if shift > 28 {
                    throw .corrupt("RLE/bit-packed run header is longer than 5 bytes", offset: baseOffset + headerStart)
                }
            }
            let stillWanted = wanted &- produced
            if header & 1 == 0 {
                // RLE run: count, then the value in ceil(bitWidth/8) little-endian bytes.
                let runLength = Int(header >> 1)
                guard runLength <= Int(Int32.max) else {
                    throw .corrupt("RLE run length \(runLength) exceeds 2^31-1", offset: baseOffset + headerStart)
                }
                guard valueByteWidth <= inputCount &- position else {
                    throw .corrupt("RLE run value needs \(valueByteWidth) bytes but \(inputCount - position) remain", offset: baseOffset + position)
                }
                var value: UInt32 = 0
                for k in 0..<valueByteWidth {
                    // SAFETY: position + k < inputCount, checked by the guard above.
                    value |= UInt32(inputBase.load(fromByteOffset: position &+ k, as: UInt8.self)) << UInt32(8 &* k)
                }
                guard value <= maxValue else {
                    throw .corrupt("RLE run value \(value) does not fit bit width \(bitWidth)", offset: baseOffset + position)
                }
                position &+= valueByteWidth
                let take = min(runLength, stillWanted)
                // SAFETY: produced + take <= wanted == output.count.
                (outputBase + produced).update(repeating: Int32(bitPattern: value), count: take)
                produced &+= take
            } else {
                // Bit-packed run: groups of 8 values, bitWidth bytes per group.
                let groups = Int(header >> 1)
                guard groups <= Int(Int32.max) / 8 else {
                    throw .corrupt("bit-packed run of \(groups) groups exceeds 2^31-1 values", offset: baseOffset + headerStart)
                }
                let runValues = groups &* 8
                let runBytes = groups &* bitWidth
                let remainingBytes = inputCount &- position
                let take = min(runValues, stillWanted)
                let neededBytes = BitPacking.byteCount(values: take, bitWidth: bitWidth)
                guard neededBytes <= remainingBytes else {
                    throw .corrupt("bit-packed run needs \(neededBytes) bytes but \(remainingBytes) remain", offset: baseOffset + position)
                }
                let available = min(runBytes, remainingBytes)
                // SAFETY: `remainingBytes` bytes from `position` are inside the input and the
                // first `available` of them cover the `take` values unpacked (neededBytes <=
                // available); the output has room for `take` more values. The unpacker may
                // load (and mask away) bytes after the run: passing the whole remaining input
                // keeps its 64-bit loads going to the run's end instead of a per-bit tail.
                (outputBase + produced).withMemoryRebound(to: UInt32.self, capacity: take) { target in
                    BitPacking.unpack32(inputBase + position, sourceByteCount: remainingBytes, bitWidth: bitWidth, count: take, into: target)
                }
                position &+= available
                produced &+= take
            }
        }
        return position
    }

    /// Decodes `count` values of the bare form and appends them to `output`.
    ///
    /// `count` is checked against the input before anything is allocated: when it is
    /// more than bit-packing at one bit per value could hold, the run headers are walked
    /// first to prove the runs really cover `count` values.
    /// - Returns: bytes of `input` consumed, as for `decode(_:bitWidth:into:baseOffset:)`.
    public static func decode(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
        appendingTo output: inout [Int32], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        if count == 0 { return 0 }
        guard !input.isEmpty else {
            throw .corrupt("RLE/bit-packed data is empty but \(count) values are expected", offset: baseOffset)
        }
        if count > input.count &* 8 &+ 64 {
            try checkRunsCover(input, bitWidth: bitWidth, count: count, baseOffset: baseOffset)
        }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        do {
            return try output.withUnsafeMutableBufferPointer { (all) throws(ParquetError) -> Int in
                let target = UnsafeMutableBufferPointer(rebasing: all[start...])
                return try decode(input, bitWidth: bitWidth, into: target, baseOffset: baseOffset)
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    /// Walks the run headers (skipping their values) and fails unless they describe at
    /// least `count` values within the input. Used before allocating a large output.
    static func checkRunsCover(_ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int, baseOffset: Int) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= maxBitWidth else {
            throw .invalidArgument("RLE/bit-packed bit width \(bitWidth) is outside 0...32")
        }
        var reader = ByteReader(input, base: baseOffset)
        var covered = 0
        while covered < count {
            let headerStart = reader.absoluteOffset
            guard !reader.isAtEnd else {
                throw .corrupt("RLE/bit-packed data holds \(covered) values, \(count) expected", offset: headerStart)
            }
            let header = try reader.readLength(limit: Int(UInt32.max), "RLE/bit-packed run header")
            let stillWanted = count - covered
            if header & 1 == 0 {
                try reader.skip((bitWidth + 7) >> 3)
                covered += min(header >> 1, stillWanted)
            } else {
                let groups = header >> 1
                let take = min(groups * 8, stillWanted)
                try reader.require(BitPacking.byteCount(values: take, bitWidth: bitWidth), "bit-packed run")
                try reader.skip(min(groups * bitWidth, reader.remaining))
                covered += take
            }
        }
    }

    /// Decodes the length-prefixed form (4-byte little-endian byte length, then the runs),
    /// as used for v1 data-page levels and RLE booleans, filling `output`.
    ///
    /// - Returns: bytes consumed: 4 + the declared length (the whole section, even when
    ///   fewer bytes were needed for the values).
    /// - Throws: `.corrupt` when the declared length exceeds the input.
    public static func decodeLengthPrefixed(
        _ input: UnsafeRawBufferPointer, bitWidth: Int,
        into output: UnsafeMutableBufferPointer<Int32>, baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        let section = try lengthPrefixedSection(input, baseOffset: baseOffset)
        _ = try decode(section, bitWidth: bitWidth, into: output, baseOffset: baseOffset + 4)
        return 4 + section.count
    }

    /// Length-prefixed form, appending `count` values to `output`. Returns 4 + declared length.
    public static func decodeLengthPrefixed(
        _ input: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
        appendingTo output: inout [Int32], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        let section = try lengthPrefixedSection(input, baseOffset: baseOffset)
        _ = try decode(section, bitWidth: bitWidth, count: count, appendingTo: &output, baseOffset: baseOffset + 4)
        return 4 + section.count
    }

    /// The runs of a length-prefixed section, checked against the input.
    public static func lengthPrefixedSection(_ input: UnsafeRawBufferPointer, baseOffset: Int = 0) throws(ParquetError) -> UnsafeRawBufferPointer {
        var reader = ByteReader(input, base: baseOffset)
        let length = try reader.readLittleEndian(UInt32.self)
        guard Int(length) <= reader.remaining else {
            throw .corrupt("RLE section length \(length) exceeds the \(reader.remaining) bytes that remain", offset: baseOffset)
        }
        return try reader.readBytes(Int(length))
    }

    // MARK: Encoding

    /// Appends the bare form of `values` to `out`.
    ///
    /// Runs of 8 or more equal values become RLE runs; everything else is bit-packed in
    /// groups of 8 (the last group padded with zeros, which readers ignore because they
    /// stop at their value count). Values must be in `0..<2^bitWidth`; higher bits are
    /// dropped.
    /// - Throws: `.invalidArgument` for a bit width outside 0…32.
    public static func encode(_ values: UnsafeBufferPointer<Int32>, bitWidth: Int, into out: inout ByteWriter) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= maxBitWidth else {
            throw .invalidArgument("RLE/bit-packed bit width \(bitWidth) is outside 0...32")
        }
        let count = values.count
        var literalStart = 0
        var index = 0
        while index < count {
            let value = values[index]
            var runEnd = index &+ 1
            while runEnd < count && values[runEnd] == value { runEnd &+= 1 }
            let runLength = runEnd &- index
            if runLength >= 8 {
                // Pad the pending literals to a multiple of 8 with values from the run.
                let pending = index &- literalStart
                let borrow = pending % 8 == 0 ? 0 : 8 &- pending % 8
                if runLength &- borrow >= 8 {
                    if pending &+ borrow > 0 {
                        writeBitPacked(values, from: literalStart, to: index &+ borrow, bitWidth: bitWidth, into: &out)
                    }
                    writeRLE(value, count: runLength &- borrow, bitWidth: bitWidth, into: &out)
                    literalStart = runEnd
                }
            }
            index = runEnd
        }
        if literalStart < count {
            writeBitPacked(values, from: literalStart, to: count, bitWidth: bitWidth, into: &out)
        }
    }

    /// The bare form of `values` as a new byte array.
    public static func encode(_ values: [Int32], bitWidth: Int) throws(ParquetError) -> [UInt8] {
        var out = ByteWriter(capacity: values.count * bitWidth / 8 + 16)
        try values.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try encode(buffer, bitWidth: bitWidth, into: &out)
        }
        return out.bytes
    }

    /// Appends the length-prefixed form (4-byte little-endian length, then the runs).
    public static func encodeLengthPrefixed(_ values: UnsafeBufferPointer<Int32>, bitWidth: Int, into out: inout ByteWriter) throws(ParquetError) {
        let lengthAt = out.count
        out.writeLittleEndian(UInt32(0))
        try encode(values, bitWidth: bitWidth, into: &out)
        let length = UInt32(truncatingIfNeeded: out.count - lengthAt - 4)
        for k in 0..<4 {
            out.bytes[lengthAt + k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k))
        }
    }

    static func writeRLE(_ value: Int32, count: Int, bitWidth: Int, into out: inout ByteWriter) {
        out.writeULEB128(UInt64(count) << 1)
        let raw = UInt32(bitPattern: value)
        for k in 0..<((bitWidth + 7) >> 3) {
            out.writeByte(UInt8(truncatingIfNeeded: raw >> UInt32(8 * k)))
        }
    }

    static func writeBitPacked(_ values: UnsafeBufferPointer<Int32>, from start: Int, to end: Int, bitWidth: Int, into out: inout ByteWriter) {
        let groups = (end - start + 7) / 8
        out.writeULEB128(UInt64(groups) << 1 | 1)
        let padded = groups * 8
        let slice = values[start..<end].lazy.map { UInt64(UInt32(bitPattern: $0)) }
        let padding = repeatElement(UInt64(0), count: padded - (end - start))
        BitPacking.pack(PackSource(first: slice, second: padding), bitWidth: bitWidth, into: &out.bytes)
    }
}

/// Two collections of UInt64 read one after the other (values then zero padding),
/// without building an intermediate array.
struct PackSource<A: Collection, B: Collection>: Sequence where A.Element == UInt64, B.Element == UInt64 {
    let first: A
    let second: B
    func makeIterator() -> Iterator { Iterator(first: first.makeIterator(), second: second.makeIterator()) }
    struct Iterator: IteratorProtocol {
        var first: A.Iterator
        var second: B.Iterator
        mutating func next() -> UInt64? { first.next() ?? second.next() }
    }
}
