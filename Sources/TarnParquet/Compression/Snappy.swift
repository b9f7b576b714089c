// Snappy: the raw snappy block format (varint length preamble, then literal and copy
// elements), decompression and compression, written from the format description.
// Decompression validates every literal length, copy length and offset against the input
// and the declared output before touching memory; it never writes past the output.

/// Raw snappy (`CompressionCodec.snappy`; not the framed/streaming format).
enum Snappy {
    /// The uncompressed length from the preamble and the preamble's size in bytes.
    static func readPreamble(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> (length: Int, size: Int) {
        var reader = ByteReader(input)
        let length = try reader.readLength(limit: Int(UInt32.max), "snappy uncompressed length")
        return (length, reader.position)
    }

    /// Decompresses `input` into exactly `output.count` bytes.
    /// - Throws: `.corrupt` when the preamble disagrees with `output.count`, an element
    ///   runs past the input or output, an offset is 0 or reaches before the output start,
    ///   or the elements do not fill the output exactly.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let (declared, preambleSize) = try readPreamble(input)
        guard declared == output.count else {
            throw .corrupt("snappy stream declares \(declared) bytes but the page declares \(output.count)")
        }
        if declared == 0 {
            guard preambleSize == input.count else { throw .corrupt("snappy stream has data after an empty preamble") }
            return
        }
        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else {
            throw .corrupt("snappy stream is empty")
        }
        var ip = preambleSize
        let inputEnd = input.count
        var op = 0
        let outputEnd = output.count
        while ip < inputEnd {
            // SAFETY: ip < inputEnd.
            let tag = inputBase.load(fromByteOffset: ip, as: UInt8.self)
            ip &+= 1
            if tag & 3 == 0 {
                var length = Int(tag >> 2) &+ 1
                if length > 60 {
                    let extra = length &- 60
                    guard extra <= inputEnd &- ip else { throw .corrupt("snappy literal length runs past the input", offset: ip) }
                    var value = 0
                    for k in 0..<extra {
                        // SAFETY: ip + k < inputEnd, checked above.
                        value |= Int(inputBase.load(fromByteOffset: ip &+ k, as: UInt8.self)) << (8 &* k)
                    }
                    ip &+= extra
                    length = value &+ 1
                }
                let inputLeft = inputEnd &- ip
                let outputLeft = outputEnd &- op
                if length <= 16 && inputLeft >= 16 && outputLeft >= 16 {
                    // SAFETY: 16 bytes are readable at ip and writable at op (checked);
                    // only `length` of them count, the rest is overwritten later.
                    let a = inputBase.loadUnaligned(fromByteOffset: ip, as: UInt64.self)
                    let b = inputBase.loadUnaligned(fromByteOffset: ip &+ 8, as: UInt64.self)
                    outputBase.storeBytes(of: a, toByteOffset: op, as: UInt64.self)
                    outputBase.storeBytes(of: b, toByteOffset: op &+ 8, as: UInt64.self)
                } else {
                    guard length <= inputLeft else { throw .corrupt("snappy literal of \(length) bytes runs past the input", offset: ip) }
                    guard length <= outputLeft else { throw .corrupt("snappy literal of \(length) bytes overflows the declared size", offset: ip) }
                    // SAFETY: both ranges checked just above.
                    (outputBase + op).copyMemory(from: inputBase + ip, byteCount: length)
                }
                guard length <= inputLeft, length <= outputLeft else {
                    throw .corrupt("snappy literal of \(length) bytes runs past the input or output", offset: ip)
                }
                ip &+= length
                op &+= length
                continue
            }
            var length: Int
            var offset: Int
            switch tag & 3 {
            case 1:
                guard ip < inputEnd else { throw .corrupt("snappy copy runs past the input", offset: ip) }
                length = 4 &+ Int((tag >> 2) & 7)
                // SAFETY: ip < inputEnd, checked above.
                offset = Int(tag >> 5) << 8 | Int(inputBase.load(fromByteOffset: ip, as: UInt8.self))
                ip &+= 1
            case 2:
                guard 2 <= inputEnd &- ip else { throw .corrupt("snappy copy runs past the input", offset: ip) }
                length = 1 &+ Int(tag >> 2)
                // SAFETY: 2 bytes at ip, checked above.
                offset = Int(UInt16(littleEndian: inputBase.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
                ip &+= 2
            default:
                guard 4 <= inputEnd &- ip else { throw .corrupt("snappy copy runs past the input", offset: ip) }
                length = 1 &+ Int(tag >> 2)
                // SAFETY: 4 bytes at ip, checked above.
                offset = Int(UInt32(littleEndian: inputBase.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
                ip &+= 4
            }
            guard offset > 0, offset <= op else {
                throw .corrupt("snappy copy offset \(offset) reaches outside the \(op) bytes produced", offset: ip)
            }
            guard length <= outputEnd &- op else {
                throw .corrupt("snappy copy of \(length) bytes overflows the declared size", offset: ip)
            }
            copyMatch(outputBase, at: op, offset: offset, length: length, outputEnd: outputEnd)
            op &+= length
        }
        guard op == outputEnd else {
            throw .corrupt("snappy stream produced \(op) bytes, \(outputEnd) declared")
        }
    }

    /// Copies `length` bytes from `offset` bytes back, overlapping allowed (a repeat).
    /// The caller checked `offset in 1...at` and `at + length <= outputEnd`.
    @inline(__always)
    static func copyMatch(_ base: UnsafeMutableRawPointer, at position: Int, offset: Int, length: Int, outputEnd: Int) {
        var source = position &- offset
        var target = position
        let end = position &+ length
        if offset >= 8 {
            // 8-byte chunks: each reads bytes at least 8 behind, already final.
            // SAFETY: writes stay below `end` rounded up to 8 only while target + 8 <= outputEnd.
            while target &+ 8 <= outputEnd && target < end {
                let chunk = base.loadUnaligned(fromByteOffset: source, as: UInt64.self)
                base.storeBytes(of: chunk, toByteOffset: target, as: UInt64.self)
                source &+= 8
                target &+= 8
            }
        }
        while target < end {
            // SAFETY: source < target < end <= outputEnd.
            base.storeBytes(of: base.load(fromByteOffset: source, as: UInt8.self), toByteOffset: target, as: UInt8.self)
            source &+= 1
            target &+= 1
        }
    }

    // MARK: Compression

    static let hashBits = 14
    static let fragmentSize = 1 << 16

    /// Worst-case compressed size of `count` bytes.
    static func maxCompressedLength(_ count: Int) -> Int { 32 + count + count / 6 }

    /// Compresses `input` with greedy 4-byte hash matching over 64 KiB fragments.
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let capacity = maxCompressedLength(input.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            guard let outputBase = buffer.baseAddress else { initialized = 0; return }
            let out = UnsafeMutableRawPointer(outputBase)
            var op = 0
            var length = UInt64(input.count)
            while length >= 0x80 {
                out.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, toByteOffset: op, as: UInt8.self)
                op += 1
                length >>= 7
            }
            out.storeBytes(of: UInt8(length), toByteOffset: op, as: UInt8.self)
            op += 1
            guard let inputBase = input.baseAddress else { initialized = op; return }
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1 << hashBits) { table in
                var start = 0
                while start < input.count {
                    let fragmentLength = min(fragmentSize, input.count - start)
                    table.update(repeating: 0)
                    // SAFETY: each fragment's output is at most its worst case, and the sum of
                    // worst cases fits `capacity`.
                    op = compressFragment(inputBase + start, count: fragmentLength, table: table, out: out, at: op)
                    start += fragmentLength
                }
            }
            initialized = op
        }
    }

    @inline(__always)
    static func hash(_ word: UInt32) -> Int {
        Int((word &* 0x1E35_A7BD) >> UInt32(32 - hashBits))
    }

    /// Compresses one fragment (<= 64 KiB) and returns the new output position.
    static func compressFragment(
        _ source: UnsafeRawPointer, count: Int, table: UnsafeMutableBufferPointer<UInt16>,
        out: UnsafeMutableRawPointer, at outputPosition: Int
    ) -> Int {
        var op = outputPosition
        var nextEmit = 0
        let margin = 15
        if count >= margin {
            let ipLimit = count - margin
            var ip = 1
            // SAFETY (whole loop): every 4-byte load is at a position <= ipLimit + 3 < count,
            // and match extension stops at `count`.
            @inline(__always) func load32(_ at: Int) -> UInt32 { source.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
            outer: while true {
                var skip = 32
                var candidate = 0
                // Find a 4-byte match, stepping faster through incompressible data.
                while true {
                    let step = skip >> 5
                    skip += 1
                    if ip > ipLimit { break outer }
                    let word = load32(ip)
                    let slot = hash(word)
                    candidate = Int(table[slot])
                    table[slot] = UInt16(truncatingIfNeeded: ip)
                    if candidate < ip && load32(candidate) == word { break }
                    ip += step
                }
                op = emitLiteral(source + nextEmit, count: ip - nextEmit, out: out, at: op)
                // Emit copies while the next position matches too.
                while true {
                    let matchStart = ip
                    var matched = 4
                    while ip + matched < count,
                          source.load(fromByteOffset: candidate + matched, as: UInt8.self) == source.load(fromByteOffset: ip + matched, as: UInt8.self) {
                        matched += 1
                    }
                    ip += matched
                    op = emitCopy(offset: matchStart - candidate, length: matched, out: out, at: op)
                    nextEmit = ip
                    if ip > ipLimit { break outer }
                    table[hash(load32(ip - 1))] = UInt16(truncatingIfNeeded: ip - 1)
                    let word = load32(ip)
                    let slot = hash(word)
                    candidate = Int(table[slot])
                    table[slot] = UInt16(truncatingIfNeeded: ip)
                    if !(candidate < ip && load32(candidate) == word) {
                        ip += 1
                        break
                    }
                }
            }
        }
        if nextEmit < count {
            op = emitLiteral(source + nextEmit, count: count - nextEmit, out: out, at: op)
        }
        return op
    }

    @inline(__always)
    static func emitLiteral(_ source: UnsafeRawPointer, count: Int, out: UnsafeMutableRawPointer, at position: Int) -> Int {
        if count == 0 { return position }
        var op = position
        let n = count - 1
        if n < 60 {
            out.storeBytes(of: UInt8(n << 2), toByteOffset: op, as: UInt8.self)
            op += 1
        } else {
            var extra = 1
            while extra < 4 && n >> (8 * extra) != 0 { extra += 1 }
            out.storeBytes(of: UInt8((59 + extra) << 2), toByteOffset: op, as: UInt8.self)
            op += 1
            for k in 0..<extra {
                out.storeBytes(of: UInt8(truncatingIfNeeded: n >> (8 * k)), toByteOffset: op, as: UInt8.self)
                op += 1
            }
        }
        (out + op).copyMemory(from: source, byteCount: count)
        return op + count
    }

    @inline(__always)
    static func emitCopy(offset: Int, length: Int, out: UnsafeMutableRawPointer, at position: Int) -> Int {
        var op = position
        var remaining = length
        while remaining >= 68 {
            op = emitCopyElement(offset: offset, length: 64, out: out, at: op)
            remaining -= 64
        }
        if remaining > 64 {
            op = emitCopyElement(offset: offset, length: 60, out: out, at: op)
            remaining -= 60
        }
        return emitCopyElement(offset: offset, length: remaining, out: out, at: op)
    }

    @inline(__always)
    static func emitCopyElement(offset: Int, length: Int, out: UnsafeMutableRawPointer, at position: Int) -> Int {
        if length < 12 && offset < 2048 {
            out.storeBytes(of: UInt8(1 | ((length - 4) << 2) | ((offset >> 8) << 5)), toByteOffset: position, as: UInt8.self)
            out.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: position + 1, as: UInt8.self)
            return position + 2
        }
        out.storeBytes(of: UInt8(2 | ((length - 1) << 2)), toByteOffset: position, as: UInt8.self)
        out.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: position + 1, as: UInt8.self)
        out.storeBytes(of: UInt8(truncatingIfNeeded: offset >> 8), toByteOffset: position + 2, as: UInt8.self)
        return position + 3
    }
}
