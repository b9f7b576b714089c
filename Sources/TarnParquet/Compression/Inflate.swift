// Inflate: DEFLATE decompression (RFC 1951: stored, fixed and dynamic Huffman blocks)
// with the gzip (RFC 1952) and zlib (RFC 1950) wrappers, for the GZIP codec.
// Huffman decoding is table-driven; every code-length table is validated (over-subscribed
// codes rejected, unused codes marked invalid); output never exceeds the declared size and
// input is never read past its end (at most 8 phantom zero bytes are fed to the bit buffer).

enum Inflate {
    /// Decompresses a gzip member sequence, a zlib stream or (failing both headers) a raw
    /// DEFLATE stream into exactly `output.count` bytes, checking CRC-32 / Adler-32.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        if input.count >= 2 && input[0] == 0x1F && input[1] == 0x8B {
            try decompressGzip(input, into: output)
        } else if input.count >= 2 && input[0] & 0x0F == 8 && input[0] >> 4 <= 7
                    && (Int(input[0]) << 8 | Int(input[1])) % 31 == 0 {
            try decompressZlib(input, into: output)
        } else {
            var state = InflateState(input: input, output: output)
            try state.run()
            guard state.outputPosition == output.count else {
                throw .corrupt("DEFLATE stream produced \(state.outputPosition) bytes, \(output.count) declared")
            }
        }
    }

    static func decompressGzip(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        var position = 0
        var produced = 0
        repeat {
            let member = UnsafeRawBufferPointer(rebasing: input[position...])
            var reader = ByteReader(member, base: position)
            guard try reader.readByte() == 0x1F, try reader.readByte() == 0x8B else {
                throw .corrupt("gzip member has a bad magic number", offset: position)
            }
            guard try reader.readByte() == 8 else { throw .unsupported("gzip compression method other than DEFLATE") }
            let flags = try reader.readByte()
            guard flags & 0xE0 == 0 else { throw .corrupt("gzip header has reserved flag bits set", offset: position + 3) }
            try reader.skip(6) // mtime, xfl, os
            if flags & 0x04 != 0 { // FEXTRA
                let extraLength = Int(try reader.readLittleEndian(UInt16.self))
                try reader.skip(extraLength)
            }
            if flags & 0x08 != 0 { while try reader.readByte() != 0 {} } // FNAME
            if flags & 0x10 != 0 { while try reader.readByte() != 0 {} } // FCOMMENT
            if flags & 0x02 != 0 { try reader.skip(2) } // FHCRC
            let bodyStart = position + reader.position
            var state = InflateState(
                input: UnsafeRawBufferPointer(rebasing: input[bodyStart...]),
                output: output, outputStart: produced)
            try state.run()
            let memberEnd = bodyStart + state.inputConsumed
            var trailer = ByteReader(UnsafeRawBufferPointer(rebasing: input[memberEnd...]), base: memberEnd)
            let expectedCRC = try trailer.readLittleEndian(UInt32.self)
            let expectedSize = try trailer.readLittleEndian(UInt32.self)
            let memberOutput = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(output)[produced..<state.outputPosition])
            guard CRC32.checksum(memberOutput) == expectedCRC else {
                throw .corrupt("gzip CRC-32 mismatch", offset: memberEnd)
            }
            guard UInt32(truncatingIfNeeded: memberOutput.count) == expectedSize else {
                throw .corrupt("gzip ISIZE \(expectedSize) disagrees with the \(memberOutput.count) bytes inflated", offset: memberEnd + 4)
            }
            produced = state.outputPosition
            position = memberEnd + 8
        } while position + 2 <= input.count && input[position] == 0x1F && input[position + 1] == 0x8B
        guard produced == output.count else {
            throw .corrupt("gzip stream produced \(produced) bytes, \(output.count) declared")
        }
    }

    static func decompressZlib(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetError) {
        guard input[1] & 0x20 == 0 else { throw .unsupported("zlib stream with a preset dictionary") }
        var state = InflateState(input: UnsafeRawBufferPointer(rebasing: input[2...]), output: output)
        try state.run()
        let end = 2 + state.inputConsumed
        guard state.outputPosition == output.count else {
            throw .corrupt("zlib stream produced \(state.outputPosition) bytes, \(output.count) declared")
        }
        guard end + 4 <= input.count else { throw .corrupt("zlib stream lacks its Adler-32 trailer", offset: end) }
        let expected = UInt32(input[end]) << 24 | UInt32(input[end + 1]) << 16 | UInt32(input[end + 2]) << 8 | UInt32(input[end + 3])
        guard Adler32.checksum(UnsafeRawBufferPointer(output)) == expected else {
            throw .corrupt("zlib Adler-32 mismatch", offset: end)
        }
    }
}

/// A canonical Huffman decoding table: `1 << maxLength` entries indexed by the next
/// `maxLength` input bits (LSB first); entry = symbol << 4 | code length, 0 = no code.
struct HuffmanTable {
    var entries: [UInt16]
    var maxLength: Int

    /// Builds the table for `lengths[symbol]` (0 = unused, 1…15).
    /// - Throws: `.corrupt` if the lengths over-subscribe the code space. Incomplete codes
    ///   are accepted; their unassigned bit patterns decode as errors.
    init(lengths: UnsafeBufferPointer<UInt8>) throws(ParquetError) {
        var countPerLength = [Int](repeating: 0, count: 16)
        var longest = 0
        for length in lengths {
            countPerLength[Int(length)] += 1
            longest = max(longest, Int(length))
        }
        var left = 1
        for length in 1..<16 {
            left = (left << 1) - countPerLength[length]
            guard left >= 0 else { throw .corrupt("Huffman code lengths over-subscribe the code space") }
        }
        maxLength = max(1, longest)
        let size = 1 << maxLength
        var table = [UInt16](repeating: 0, count: size)
        // Canonical codes: the first code of each length follows the last of the shorter
        // lengths (unused symbols, counted in countPerLength[0], take no codes).
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            nextCode[length] = code
            code = (code + countPerLength[length]) << 1
        }
        table.withUnsafeMutableBufferPointer { slots in
            for (symbol, lengthByte) in lengths.enumerated() where lengthByte != 0 {
                let length = Int(lengthByte)
                let canonical = nextCode[length]
                nextCode[length] += 1
                // Codes are sent most-significant bit first; the bit buffer is LSB first.
                var reversed = 0
                for bit in 0..<length where canonical & (1 << bit) != 0 {
                    reversed |= 1 << (length - 1 - bit)
                }
                let entry = UInt16(symbol << 4 | length)
                var index = reversed
                while index < size {
                    // SAFETY: index < size == slots.count.
                    slots[index] = entry
                    index += 1 << length
                }
            }
        }
        entries = table
    }

    init(lengths: [UInt8]) throws(ParquetError) {
        var table: HuffmanTable?
        try lengths.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            table = try HuffmanTable(lengths: buffer)
        }
        guard let table else { throw .corrupt("Huffman table could not be built") }
        self = table
    }

    static let fixedLiteralLength: HuffmanTable? = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        return try? HuffmanTable(lengths: lengths)
    }()

    static let fixedDistance: HuffmanTable? = try? HuffmanTable(lengths: [UInt8](repeating: 5, count: 32))
}

/// The state of one raw DEFLATE decode: an LSB-first bit buffer over the input and a
/// write position in the caller's output.
struct InflateState {
    let input: UnsafeRawBufferPointer
    let output: UnsafeMutableRawBufferPointer
    /// Back-references may not reach before this position (the start of this stream).
    let outputStart: Int
    var outputPosition: Int
    var inputPosition = 0
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    /// Zero bytes fed past the end of the input (allowed only while their bits are unused).
    var phantomBytes = 0

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer, outputStart: Int = 0) {
        self.input = input
        self.output = output
        self.outputStart = outputStart
        self.outputPosition = outputStart
    }

    /// Input bytes really consumed (bits still buffered are given back).
    var inputConsumed: Int { inputPosition - (bitCount >> 3 - phantomBytes) }

    /// Tops the bit buffer up to at least 56 bits.
    @inline(__always)
    mutating func refill() throws(ParquetError) {
        if inputPosition + 8 <= input.count {
            // SAFETY: 8 bytes at inputPosition are inside the input (checked above).
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: inputPosition, as: UInt64.self))
            bitBuffer |= word << UInt64(bitCount)
            inputPosition += (63 - bitCount) >> 3
            bitCount |= 56
            return
        }
        while bitCount <= 56 {
            if inputPosition < input.count {
                bitBuffer |= UInt64(input[inputPosition]) << UInt64(bitCount)
                inputPosition += 1
            } else {
                phantomBytes += 1
                guard phantomBytes <= 8 else { throw .corrupt("DEFLATE stream is truncated") }
            }
            bitCount += 8
        }
    }

    /// Fails if bits past the end of the input were consumed.
    @inline(__always)
    func checkNotOverrun() throws(ParquetError) {
        if phantomBytes * 8 > bitCount { throw .corrupt("DEFLATE stream is truncated") }
    }

    @inline(__always)
    mutating func bits(_ count: Int) -> Int {
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    @inline(__always)
    mutating func decodeSymbol(_ table: UnsafeBufferPointer<UInt16>, maxLength: Int) throws(ParquetError) -> Int {
        // SAFETY: the index is masked to maxLength bits and the table has 1 << maxLength entries.
        let entry = Int(table[Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(maxLength)) - 1))])
        let length = entry & 15
        guard length != 0 else { throw .corrupt("DEFLATE stream uses an unassigned Huffman code") }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return entry >> 4
    }

    /// Decodes blocks until the final one ends.
    mutating func run() throws(ParquetError) {
        var final = false
        while !final {
            try refill()
            final = bits(1) == 1
            let type = bits(2)
            switch type {
            case 0:
                try storedBlock()
            case 1:
                guard let literal = HuffmanTable.fixedLiteralLength, let distance = HuffmanTable.fixedDistance else {
                    throw .corrupt("fixed Huffman tables unavailable")
                }
                try huffmanBlock(literal, distance)
            case 2:
                let (literal, distance) = try dynamicTables()
                try huffmanBlock(literal, distance)
            default:
                throw .corrupt("DEFLATE block type 3 is reserved")
            }
            try checkNotOverrun()
        }
    }

    mutating func storedBlock() throws(ParquetError) {
        try checkNotOverrun()
        // Drop to a byte boundary, then hand buffered whole bytes back to the input.
        _ = bits(bitCount & 7)
        inputPosition = inputConsumed
        bitBuffer = 0
        bitCount = 0
        phantomBytes = 0
        guard inputPosition + 4 <= input.count else { throw .corrupt("DEFLATE stored block header is truncated") }
        let length = Int(input[inputPosition]) | Int(input[inputPosition + 1]) << 8
        let complement = Int(input[inputPosition + 2]) | Int(input[inputPosition + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw .corrupt("DEFLATE stored block length check fails") }
        inputPosition += 4
        guard length <= input.count - inputPosition else { throw .corrupt("DEFLATE stored block runs past the input") }
        guard length <= output.count - outputPosition else { throw .corrupt("DEFLATE output exceeds the declared size") }
        if length > 0, let target = output.baseAddress, let source = input.baseAddress {
            // SAFETY: both ranges checked just above.
            (target + outputPosition).copyMemory(from: source + inputPosition, byteCount: length)
        }
        inputPosition += length
        outputPosition += length
    }

    mutating func dynamicTables() throws(ParquetError) -> (HuffmanTable, HuffmanTable) {
        try refill()
        let literalCount = bits(5) + 257
        let distanceCount = bits(5) + 1
        let codeLengthCount = bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw .corrupt("DEFLATE dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount {
            try refill()
            codeLengthLengths[InflateState.codeLengthOrder[i]] = UInt8(bits(3))
        }
        let codeLengthTable = try HuffmanTable(lengths: codeLengthLengths)
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        try codeLengthTable.entries.withUnsafeBufferPointer { (table) throws(ParquetError) in
            while index < lengths.count {
                try refill()
                let symbol = try decodeSymbol(table, maxLength: codeLengthTable.maxLength)
                var repeatValue: UInt8 = 0
                var repeatCount: Int
                switch symbol {
                case 0..<16:
                    lengths[index] = UInt8(symbol)
                    index += 1
                    continue
                case 16:
                    guard index > 0 else { throw .corrupt("DEFLATE code length repeat with no previous length") }
                    repeatValue = lengths[index - 1]
                    repeatCount = 3 + bits(2)
                case 17:
                    repeatCount = 3 + bits(3)
                default:
                    repeatCount = 11 + bits(7)
                }
                guard repeatCount <= lengths.count - index else { throw .corrupt("DEFLATE code length repeat runs past the table") }
                for k in 0..<repeatCount { lengths[index + k] = repeatValue }
                index += repeatCount
            }
        }
        guard lengths[256] != 0 else { throw .corrupt("DEFLATE dynamic block has no end-of-block code") }
        let literal = try HuffmanTable(lengths: Array(lengths[0..<literalCount]))
        let distance = try HuffmanTable(lengths: Array(lengths[literalCount...]))
        return (literal, distance)
    }

    mutating func huffmanBlock(_ literal: HuffmanTable, _ distance: HuffmanTable) throws(ParquetError) {
        guard let outputBase = output.baseAddress else {
            // No room for any byte: only an immediately ending block is valid.
            try literal.entries.withUnsafeBufferPointer { (table) throws(ParquetError) in
                try refill()
                guard try decodeSymbol(table, maxLength: literal.maxLength) == 256 else {
                    throw .corrupt("DEFLATE output exceeds the declared size")
                }
            }
            return
        }
        let outputEnd = output.count
        let literalMax = literal.maxLength
        let distanceMax = distance.maxLength
        try literal.entries.withUnsafeBufferPointer { (literalTable) throws(ParquetError) in
            try distance.entries.withUnsafeBufferPointer { (distanceTable) throws(ParquetError) in
                try InflateState.lengthBase.withUnsafeBufferPointer { (lengthBase) throws(ParquetError) in
                    try InflateState.distanceBase.withUnsafeBufferPointer { (distanceBase) throws(ParquetError) in
                        while true {
                            // 56 bits cover a length code (15) + extra (5) + distance code (15) + extra (13).
                            try refill()
                            let symbol = try decodeSymbol(literalTable, maxLength: literalMax)
                            if symbol < 256 {
                                guard outputPosition < outputEnd else { throw .corrupt("DEFLATE output exceeds the declared size") }
                                // SAFETY: outputPosition < outputEnd, checked above.
                                outputBase.storeBytes(of: UInt8(truncatingIfNeeded: symbol), toByteOffset: outputPosition, as: UInt8.self)
                                outputPosition += 1
                                continue
                            }
                            if symbol == 256 { return }
                            let lengthSymbol = symbol - 257
                            guard lengthSymbol < 29 else { throw .corrupt("DEFLATE length symbol \(symbol) is invalid") }
                            // SAFETY: lengthSymbol < 29 == table sizes.
                            let length = lengthBase[lengthSymbol] + bits(InflateState.lengthExtra[lengthSymbol])
                            let distanceSymbol = try decodeSymbol(distanceTable, maxLength: distanceMax)
                            guard distanceSymbol < 30 else { throw .corrupt("DEFLATE distance symbol \(distanceSymbol) is invalid") }
                            // SAFETY: distanceSymbol < 30 == table sizes.
                            let distance = distanceBase[distanceSymbol] + bits(InflateState.distanceExtra[distanceSymbol])
                            guard distance <= outputPosition - outputStart else {
                                throw .corrupt("DEFLATE distance \(distance) reaches before the start of the output")
                            }
                            guard length <= outputEnd - outputPosition else {
                                throw .corrupt("DEFLATE output exceeds the declared size")
                            }
                            Snappy.copyMatch(outputBase, at: outputPosition, offset: distance, length: length, outputEnd: outputEnd)
                            outputPosition += length
                        }
                    }
                }
            }
        }
    }
}

/// Adler-32 (zlib's trailer checksum).
enum Adler32 {
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + 5552)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }
}
