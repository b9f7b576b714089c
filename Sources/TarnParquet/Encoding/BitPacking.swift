// BitPacking: unpacking and packing of little-endian, LSB-first bit-packed integers,
// shared by the RLE/bit-packing hybrid and DELTA_BINARY_PACKED.
// Callers check that the source holds the bytes they ask for; these helpers never
// read outside `source[0..<sourceByteCount]` and never allocate.

@usableFromInline
enum BitPacking {
    /// Bytes needed for `count` values of `bitWidth` bits (rounded up to whole bytes).
    @inline(__always)
    static func byteCount(values count: Int, bitWidth: Int) -> Int {
        (count &* bitWidth &+ 7) >> 3
    }

    /// Unpacks `count` values of `bitWidth` (0…32) bits starting at bit 0 of `source`.
    ///
    /// The caller guarantees `sourceByteCount >= byteCount(values: count, bitWidth:)`.
    /// Values whose 8-byte window fits inside the source are read with one unaligned
    /// 64-bit load, a shift and a mask; only the last few values are assembled byte-wise.
    @inline(__always)
    static func unpack32(
        _ source: UnsafeRawPointer, sourceByteCount: Int, bitWidth: Int,
        count: Int, into output: UnsafeMutablePointer<UInt32>
    ) {
        if bitWidth == 0 {
            output.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (1 << UInt64(bitWidth)) &- 1
        // Value i starts at byte (i*w)>>3; a 64-bit load there stays inside the source
        // while that byte index + 8 <= sourceByteCount.
        var fastCount = 0
        if sourceByteCount >= 8 {
            fastCount = min(count, (((sourceByteCount &- 8) << 3) / bitWidth) &+ 1)
        }
        var i = 0
        var bitPosition = 0
        // Unrolled by 8 (one group of the hybrid encoding per iteration).
        while i &+ 8 <= fastCount {
            for k in 0..<8 {
                let position = bitPosition &+ k &* bitWidth
                // SAFETY: (position >> 3) + 8 <= sourceByteCount because i + k < fastCount.
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: position >> 3, as: UInt64.self))
                output[i &+ k] = UInt32(truncatingIfNeeded: (word >> UInt64(position & 7)) & mask)
            }
            i &+= 8
            bitPosition &+= 8 &* bitWidth
        }
        while i < fastCount {
            // SAFETY: as above, i < fastCount.
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bitPosition >> 3, as: UInt64.self))
            output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bitPosition & 7)) & mask)
            i &+= 1
            bitPosition &+= bitWidth
        }
        while i < count {
            output[i] = UInt32(truncatingIfNeeded: slowValue(source, bitPosition: bitPosition, bitWidth: bitWidth))
            i &+= 1
            bitPosition &+= bitWidth
        }
    }

    /// Unpacks `count` values of `bitWidth` (0…64) bits; same contract as `unpack32`.
    @inline(__always)
    static func unpack64(
        _ source: UnsafeRawPointer, sourceByteCount: Int, bitWidth: Int,
        count: Int, into output: UnsafeMutablePointer<UInt64>
    ) {
        if bitWidth == 0 {
            output.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) &- 1
        var fastCount = 0
        if sourceByteCount >= 8 {
            fastCount = min(count, (((sourceByteCount &- 8) << 3) / bitWidth) &+ 1)
        }
        var i = 0
        var bitPosition = 0
        if bitWidth <= 56 {
            while i < fastCount {
                // SAFETY: (bitPosition >> 3) + 8 <= sourceByteCount because i < fastCount.
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bitPosition >> 3, as: UInt64.self))
                output[i] = (word >> UInt64(bitPosition & 7)) & mask
                i &+= 1
                bitPosition &+= bitWidth
            }
        } else {
            while i < fastCount {
                let byteIndex = bitPosition >> 3
                let shift = bitPosition & 7
                // SAFETY: byteIndex + 8 <= sourceByteCount because i < fastCount.
                var value = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) >> UInt64(shift)
                if shift &+ bitWidth > 64 {
                    // SAFETY: the value ends inside the source, past byte byteIndex + 7,
                    // so byte byteIndex + 8 exists.
                    value |= UInt64(source.load(fromByteOffset: byteIndex &+ 8, as: UInt8.self)) << UInt64(64 &- shift)
                }
                output[i] = value & mask
                i &+= 1
                bitPosition &+= bitWidth
            }
        }
        while i < count {
            output[i] = slowValue(source, bitPosition: bitPosition, bitWidth: bitWidth)
            i &+= 1
            bitPosition &+= bitWidth
        }
    }

    /// One value assembled byte by byte (for the tail, where a 64-bit load would overrun).
    @inline(never)
    static func slowValue(_ source: UnsafeRawPointer, bitPosition: Int, bitWidth: Int) -> UInt64 {
        var value: UInt64 = 0
        var taken = 0
        var position = bitPosition
        while taken < bitWidth {
            // SAFETY: the caller guarantees the source covers bits up to bitPosition + bitWidth.
            let byte = UInt64(source.load(fromByteOffset: position >> 3, as: UInt8.self))
            let offset = position & 7
            let take = min(8 &- offset, bitWidth &- taken)
            value |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) &- 1)) << UInt64(taken)
            taken &+= take
            position &+= take
        }
        return value
    }

    /// Appends `values` packed at `bitWidth` bits each (LSB first) to `out`, padding the
    /// last byte with zero bits. Bits of a value above `bitWidth` are dropped.
    static func pack<S: Sequence>(_ values: S, bitWidth: Int, into out: inout [UInt8]) where S.Element == UInt64 {
        if bitWidth == 0 { return }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) &- 1
        var buffer: UInt64 = 0
        var bufferedBits = 0
        for raw in values {
            let value = raw & mask
            buffer |= value << UInt64(bufferedBits)
            let total = bufferedBits &+ bitWidth
            if total >= 64 {
                withUnsafeBytes(of: buffer.littleEndian) { out.append(contentsOf: $0) }
                let used = 64 &- bufferedBits
                buffer = used >= 64 ? 0 : value >> UInt64(used)
                bufferedBits = total &- 64
            } else {
                bufferedBits = total
            }
        }
        while bufferedBits > 0 {
            out.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bufferedBits = max(0, bufferedBits &- 8)
        }
    }

    /// Smallest bit width that holds `value` (0 for 0).
    @inline(__always)
    static func bitWidth(of value: UInt64) -> Int {
        64 &- value.leadingZeroBitCount
    }
}
