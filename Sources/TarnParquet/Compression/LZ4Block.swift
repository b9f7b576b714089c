// LZ4Block: the LZ4 block format (LZ4_RAW) and the Hadoop framing Parquet's deprecated
// LZ4 codec uses (big-endian uncompressed and compressed lengths around LZ4 blocks).
// Decompression only (compression for LZ4_RAW too, for tests and writers); every
// literal length, match length and offset is checked before memory is touched.

enum LZ4Block {
    /// Decompresses one LZ4 block into exactly `output.count` bytes.
    /// - Throws: `.corrupt` for a length past the input or output, an offset of 0 or
    ///   reaching before the output start, or a block that does not fill the output.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        let produced = try decompressPartial(input, into: output)
        guard produced == output.count else {
            throw .corrupt("LZ4 block produced \(produced) bytes, \(output.count) declared")
        }
    }

    /// Decompresses one block into the start of `output`, returning the bytes produced.
    static func decompressPartial(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) -> Int {
        guard let inputBase = input.baseAddress, !input.isEmpty else {
            throw .corrupt("LZ4 block is empty")
        }
        guard let outputBase = output.baseAddress else {
            // Nothing may be produced: the only valid block is a single empty literal.
            guard input.count == 1, inputBase.load(as: UInt8.self) == 0 else {
                throw .corrupt("LZ4 block produces bytes but none are declared")
            }
            return 0
        }
        let inputEnd = input.count
        let outputEnd = output.count
        var ip = 0
        var op = 0
        while true {
            guard ip < inputEnd else { throw .corrupt("LZ4 block ends inside a sequence", offset: ip) }
            // SAFETY: ip < inputEnd.
            let token = inputBase.load(fromByteOffset: ip, as: UInt8.self)
            ip &+= 1
            var literalLength = Int(token >> 4)
            if literalLength == 15 {
                literalLength = try readExtendedLength(inputBase, &ip, inputEnd, start: literalLength)
            }
            guard literalLength <= inputEnd &- ip else { throw .corrupt("LZ4 literal of \(literalLength) bytes runs past the input", offset: ip) }
            guard literalLength <= outputEnd &- op else { throw .corrupt("LZ4 literal of \(literalLength) bytes overflows the declared size", offset: ip) }
            // SAFETY: both ranges checked just above.
            (outputBase + op).copyMemory(from: inputBase + ip, byteCount: literalLength)
            ip &+= literalLength
            op &+= literalLength
            if ip == inputEnd { return op }
            guard 2 <= inputEnd &- ip else { throw .corrupt("LZ4 match offset runs past the input", offset: ip) }
            // SAFETY: 2 bytes at ip, checked above.
            let offset = Int(UInt16(littleEndian: inputBase.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
            ip &+= 2
            guard offset > 0, offset <= op else {
                throw .corrupt("LZ4 match offset \(offset) reaches outside the \(op) bytes produced", offset: ip - 2)
            }
            var matchLength = Int(token & 15)
            if matchLength == 15 {
                matchLength = try readExtendedLength(inputBase, &ip, inputEnd, start: matchLength)
            }
            matchLength &+= 4
            guard matchLength <= outputEnd &- op else {
                throw .corrupt("LZ4 match of \(matchLength) bytes overflows the declared size", offset: ip)
            }
            Snappy.copyMatch(outputBase, at: op, offset: offset, length: matchLength, outputEnd: outputEnd)
            op &+= matchLength
        }
    }

    @inline(__always)
    static func readExtendedLength(_ base: UnsafeRawPointer, _ ip: inout Int, _ end: Int, start: Int) throws(ParquetError) -> Int {
        var length = start
        while true {
            guard ip < end else { throw .corrupt("LZ4 length runs past the input", offset: ip) }
            // SAFETY: ip < end.
            let byte = base.load(fromByteOffset: ip, as: UInt8.self)
            ip &+= 1
            length &+= Int(byte)
            if byte != 255 { return length }
        }
    }

    /// Hadoop-framed LZ4: repeated [uncompressed length BE32][compressed length BE32][block].
    /// Falls back to a bare LZ4 block (what some older writers produced under this codec).
    static func decompressHadoop(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        do {
            try decompressHadoopFrames(input, into: output)
        } catch {
            do {
                try decompress(input, into: output)
            } catch {
                throw .corrupt("LZ4 (Hadoop) data is neither Hadoop-framed nor a bare LZ4 block: \(error.message)")
            }
        }
    }

    static func decompressHadoopFrames(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        var reader = ByteReader(input)
        var op = 0
        while reader.remaining > 0 {
            let frameLength = Int(try reader.readLittleEndian(UInt32.self).byteSwapped)
            guard frameLength <= output.count - op else {
                throw .corrupt("Hadoop LZ4 frame of \(frameLength) bytes overflows the declared size", offset: reader.position - 4)
            }
            var frameProduced = 0
            while frameProduced < frameLength {
                let blockLength = Int(try reader.readLittleEndian(UInt32.self).byteSwapped)
                let block = try reader.readBytes(blockLength)
                guard let outputBase = output.baseAddress else { throw .corrupt("Hadoop LZ4 frame produces bytes but none are declared") }
                let target = UnsafeMutableRawBufferPointer(start: outputBase + op + frameProduced, count: frameLength - frameProduced)
                frameProduced += try decompressPartial(block, into: target)
            }
            op += frameLength
        }
        guard op == output.count else { throw .corrupt("Hadoop LZ4 data produced \(op) bytes, \(output.count) declared") }
    }

    // MARK: Compression

    static let hashBits = 16

    /// Worst-case compressed size of `count` bytes.
    static func maxCompressedLength(_ count: Int) -> Int { count + count / 255 + 16 }

    /// Compresses `input` as one LZ4 block (greedy 4-byte hash matching).
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let count = input.count
        return [UInt8](unsafeUninitializedCapacity: maxCompressedLength(count)) { buffer, initialized in
            guard let outputBase = buffer.baseAddress else { initialized = 0; return }
            let out = UnsafeMutableRawPointer(outputBase)
            guard let source = input.baseAddress, count > 0 else {
                out.storeBytes(of: UInt8(0), as: UInt8.self)
                initialized = 1
                return
            }
            var op = 0
            var anchor = 0
            // The format requires the last 5 bytes to be literals and the last match to
            // start at least 12 bytes before the end.
            let matchLimit = count - 12
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 1 << hashBits) { table in
                table.update(repeating: -1)
                // SAFETY (whole loop): 4-byte loads happen at ip <= matchLimit < count - 4;
                // match extension stops 5 bytes before the end.
                @inline(__always) func load32(_ at: Int) -> UInt32 { source.loadUnaligned(fromByteOffset: at, as: UInt32.self) }
                @inline(__always) func hash(_ word: UInt32) -> Int { Int((word &* 2_654_435_761) >> UInt32(32 - hashBits)) }
                var ip = 0
                while ip < matchLimit {
                    let word = load32(ip)
                    let slot = hash(word)
                    let candidate = Int(table[slot])
                    table[slot] = Int32(ip)
                    guard candidate >= 0, ip - candidate <= 65535, load32(candidate) == word else {
                        ip += 1
                        continue
                    }
                    var matched = 4
                    let matchEnd = count - 5
                    while ip + matched < matchEnd,
                          source.load(fromByteOffset: candidate + matched, as: UInt8.self) == source.load(fromByteOffset: ip + matched, as: UInt8.self) {
                        matched += 1
                    }
                    op = writeSequence(source + anchor, literals: ip - anchor, offset: ip - candidate, matchLength: matched, out: out, at: op)
                    ip += matched
                    anchor = ip
                }
            }
            op = writeSequence(source + anchor, literals: count - anchor, offset: 0, matchLength: 0, out: out, at: op)
            initialized = op
        }
    }

    /// Writes one sequence; `matchLength == 0` writes the final literals-only sequence.
    static func writeSequence(_ literals: UnsafeRawPointer, literals literalCount: Int, offset: Int, matchLength: Int, out: UnsafeMutableRawPointer, at position: Int) -> Int {
        var op = position
        let matchCode = matchLength == 0 ? 0 : matchLength - 4
        let token = UInt8(min(literalCount, 15) << 4 | min(matchCode, 15))
        out.storeBytes(of: token, toByteOffset: op, as: UInt8.self)
        op += 1
        func writeExtended(_ value: Int) {
            var rest = value - 15
            while rest >= 255 {
                out.storeBytes(of: UInt8(255), toByteOffset: op, as: UInt8.self)
                op += 1
                rest -= 255
            }
            out.storeBytes(of: UInt8(rest), toByteOffset: op, as: UInt8.self)
            op += 1
        }
        if literalCount >= 15 { writeExtended(literalCount) }
        (out + op).copyMemory(from: literals, byteCount: literalCount)
        op += literalCount
        if matchLength == 0 { return op }
        out.storeBytes(of: UInt16(offset).littleEndian, toByteOffset: op, as: UInt16.self)
        op += 2
        if matchCode >= 15 { writeExtended(matchCode) }
        return op
    }
}
