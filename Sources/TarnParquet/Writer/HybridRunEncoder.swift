// HybridRunEncoder: the writer's RLE / bit-packed hybrid encoder for levels (bytes) and
// dictionary indices (Int32), specialised per element type with a tight packing loop.
// Owns run detection and bit packing on the write path; must never be used to decode
// (Encoding/RLEBitPackedHybrid.swift is the checked decoder both sides test against).

enum HybridRunEncoder {
    /// Bits needed for values 0...maxValue (at least 1, so a one-entry dictionary still
    /// gets a readable width).
    static func bitWidth(forMaxValue maxValue: Int) -> Int {
        maxValue <= 1 ? 1 : (Int.bitWidth - (maxValue).leadingZeroBitCount)
    }

    /// Appends the bare hybrid encoding of `values` (each in 0..<2^bitWidth, bitWidth 1...32).
    ///
    /// Runs of at least 8 equal values become RLE runs once pending literals are
    /// completed to a multiple of 8 (taking values from the run); everything else is
    /// bit-packed in groups of 8, the last group padded with zeros.
    static func encode<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        out.reserveCapacity(out.count + (n * bitWidth) / 8 + 16)
        var literalStart = 0
        var i = 0
        while i < n {
            // SAFETY: i < n and j < n index `values`, whose count is n.
            let value = values[i]
            var j = i &+ 1
            while j < n && values[j] == value { j &+= 1 }
            let pending = i &- literalStart
            let pad = (8 &- (pending & 7)) & 7
            if j &- i &- pad >= 8 {
                let literalEnd = i &+ pad
                if literalEnd > literalStart {
                    writeBitPacked(values, literalStart..<literalEnd, bitWidth: bitWidth, into: &out)
                }
                writeRun(UInt64(truncatingIfNeeded: value), count: j &- literalEnd, bitWidth: bitWidth, into: &out)
                literalStart = j
            }
            i = j
        }
        if literalStart < n {
            writeBitPacked(values, literalStart..<n, bitWidth: bitWidth, into: &out)
        }
    }

    /// Appends a 4-byte little-endian length, then the bare encoding (v1 page levels).
    static func encodeLengthPrefixed<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int, into out: inout [UInt8]) {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        encode(values, bitWidth: bitWidth, into: &out)
        let length = UInt32(truncatingIfNeeded: out.count - lengthAt - 4)
        for k in 0..<4 { out[lengthAt + k] = UInt8(truncatingIfNeeded: length >> UInt32(8 * k)) }
    }

    /// Appends `count` copies of one value as a single RLE run (optionally length-prefixed).
    static func encodeRun(_ value: UInt8, count: Int, bitWidth: Int, lengthPrefixed: Bool, into out: inout [UInt8]) {
        var run: [UInt8] = []
        if count > 0 { writeRun(UInt64(value), count: count, bitWidth: bitWidth, into: &run) }
        if lengthPrefixed {
            let length = UInt32(truncatingIfNeeded: run.count)
            for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: length >> UInt32(8 * k))) }
        }
        out.append(contentsOf: run)
    }

    @inline(__always)
    private static func writeULEB128(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func writeRun(_ value: UInt64, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        writeULEB128(UInt64(count) << 1, into: &out)
        for k in 0..<((bitWidth + 7) >> 3) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k)))
        }
    }

    /// Bit-packs `range` (padded with zeros to a multiple of 8 values) LSB first.
    private static func writeBitPacked<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, _ range: Range<Int>, bitWidth: Int, into out: inout [UInt8]
    ) {
        let groups = (range.count + 7) >> 3
        writeULEB128(UInt64(groups) << 1 | 1, into: &out)
        let mask: UInt64 = bitWidth >= 64 ? ~0 : (UInt64(1) << UInt64(bitWidth)) &- 1
        let width = UInt64(bitWidth)
        var accumulator: UInt64 = 0
        var bits: UInt64 = 0
        for k in range {
            // SAFETY: the caller's range lies inside `values`.
            // Before the add bits < 32 and width <= 32, so the accumulator never overflows.
            accumulator |= (UInt64(truncatingIfNeeded: values[k]) & mask) << bits
            bits &+= width
            if bits >= 32 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 24))
                accumulator >>= 32
                bits &-= 32
            }
        }
        // Zero padding of the last group: groups * bitWidth bytes in total.
        bits &+= width &* UInt64(groups * 8 - range.count)
        while bits > 0 {
            out.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
            bits = bits >= 8 ? bits &- 8 : 0
        }
    }
}
