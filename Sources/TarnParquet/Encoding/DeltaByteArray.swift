// DeltaByteArray: DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (prefix lengths + suffixes)
// decoding into Arrow-layout offsets + data, and their encoders.
// Every length is checked (non-negative, prefix <= previous value's length, total within
// the input or the caller's output limit) before bytes are copied or allocated.

/// DELTA_LENGTH_BYTE_ARRAY (`Encoding.deltaLengthByteArray`): all lengths
/// DELTA_BINARY_PACKED, then all bytes back to back.
public enum DeltaLengthByteArray {
    /// Decodes exactly `count` values, appending in Arrow layout (`offsets` gets a leading
    /// `data.count` when empty, then one end offset per value).
    ///
    /// - Returns: bytes consumed (the lengths block plus the value bytes).
    /// - Throws: `.corrupt` when the lengths hold a different number of values, a length
    ///   is negative, or the bytes run past the input or 2^31-1.
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int,
        offsets: inout [Int32], data: inout [UInt8], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        var lengths: [Int32] = []
        let lengthBytes = try DeltaBinaryPacked.decode(input, maxCount: count, appendingTo: &lengths, baseOffset: baseOffset)
        guard lengths.count == count else {
            throw .corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.count) lengths, expected \(count)", offset: baseOffset)
        }
        let remaining = input.count - lengthBytes
        let total = try checkedTotal(lengths, limit: remaining, what: "DELTA_LENGTH_BYTE_ARRAY values", baseOffset: baseOffset + lengthBytes)
        guard data.count + total <= Int(Int32.max) else {
            throw .corrupt("byte arrays exceed 2^31-1 bytes in one column", offset: baseOffset + lengthBytes)
        }
        appendOffsets(lengths, offsets: &offsets, dataCount: data.count)
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[lengthBytes..<(lengthBytes + total)]))
        return lengthBytes + total
    }

    /// Sum of `lengths`, each checked non-negative, the sum checked `<= limit`.
    static func checkedTotal(_ lengths: [Int32], limit: Int, what: String, baseOffset: Int) throws(ParquetError) -> Int {
        var total = 0
        var smallest: Int32 = 0
        for length in lengths {
            total &+= Int(length)
            smallest = min(smallest, length)
        }
        guard smallest >= 0 else { throw .corrupt("\(what): negative length \(smallest)", offset: baseOffset) }
        guard total <= limit else {
            throw .corrupt("\(what) need \(total) bytes but \(limit) remain", offset: baseOffset)
        }
        return total
    }

    static func appendOffsets(_ lengths: [Int32], offsets: inout [Int32], dataCount: Int) {
        if offsets.isEmpty { offsets.append(Int32(truncatingIfNeeded: dataCount)) }
        offsets.reserveCapacity(offsets.count + lengths.count)
        var end = Int32(truncatingIfNeeded: dataCount)
        for length in lengths {
            // Cannot overflow: dataCount + sum(lengths) <= Int32.max was checked.
            end &+= length
            offsets.append(end)
        }
    }

    /// Appends Arrow-layout values (value i is `data[offsets[i]..<offsets[i+1]]`) encoded
    /// DELTA_LENGTH_BYTE_ARRAY.
    /// - Throws: `.invalidArgument` for malformed offsets.
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into out: inout ByteWriter) throws(ParquetError) {
        try PlainEncoder.validateOffsets(offsets, dataCount: data.count)
        let count = max(0, offsets.count - 1)
        var lengths = [Int32](repeating: 0, count: count)
        for i in 0..<count { lengths[i] = offsets[i + 1] - offsets[i] }
        try lengths.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try DeltaBinaryPacked.encode(buffer, into: &out)
        }
        if let first = offsets.first, let last = offsets.last {
            out.write(UnsafeRawBufferPointer(rebasing: data[Int(first)..<Int(last)]))
        }
    }
}

/// DELTA_BYTE_ARRAY (`Encoding.deltaByteArray`): prefix lengths DELTA_BINARY_PACKED, then
/// the suffixes DELTA_LENGTH_BYTE_ARRAY; value i = first prefix[i] bytes of value i-1 + suffix i.
public enum DeltaByteArray {
    /// Default cap on the bytes one call may produce: prefixes let a small input describe
    /// a large output, so the output is bounded separately from the input.
    public static let defaultMaxDataBytes = 1 << 30

    /// Decodes exactly `count` values, appending in Arrow layout.
    ///
    /// - Parameter maxDataBytes: most bytes this call may append to `data`; the total is
    ///   computed from the lengths and checked before anything is allocated.
    /// - Returns: bytes of `input` consumed.
    /// - Throws: `.corrupt` when a prefix is negative or longer than the previous value,
    ///   the counts disagree, or the data runs past the input or the limits.
    public static func decode(
        _ input: UnsafeRawBufferPointer, count: Int,
        offsets: inout [Int32], data: inout [UInt8],
        maxDataBytes: Int = defaultMaxDataBytes, baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        var prefixes: [Int32] = []
        let prefixBytes = try DeltaBinaryPacked.decode(input, maxCount: count, appendingTo: &prefixes, baseOffset: baseOffset)
        guard prefixes.count == count else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(prefixes.count) prefix lengths, expected \(count)", offset: baseOffset)
        }
        let rest = UnsafeRawBufferPointer(rebasing: input[prefixBytes...])
        var suffixLengths: [Int32] = []
        let suffixLengthBytes = try DeltaBinaryPacked.decode(rest, maxCount: count, appendingTo: &suffixLengths, baseOffset: baseOffset + prefixBytes)
        guard suffixLengths.count == count else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(suffixLengths.count) suffix lengths, expected \(count)", offset: baseOffset + prefixBytes)
        }
        let suffixStart = prefixBytes + suffixLengthBytes
        let suffixTotal = try DeltaLengthByteArray.checkedTotal(
            suffixLengths, limit: input.count - suffixStart, what: "DELTA_BYTE_ARRAY suffixes", baseOffset: baseOffset + suffixStart)
        // Check prefixes against the previous value's length and size the output.
        var total = 0
        var previousLength = 0
        for i in 0..<count {
            let prefix = Int(prefixes[i])
            guard prefix >= 0, prefix <= previousLength else {
                throw .corrupt("DELTA_BYTE_ARRAY prefix length \(prefix) of value \(i) exceeds the previous value's \(previousLength) bytes", offset: baseOffset)
            }
            previousLength = prefix + Int(suffixLengths[i])
            total += previousLength
            guard total <= maxDataBytes, data.count + total <= Int(Int32.max) else {
                throw .corrupt("DELTA_BYTE_ARRAY values exceed the output limit of \(min(maxDataBytes, Int(Int32.max) - data.count)) bytes", offset: baseOffset)
            }
        }
        if offsets.isEmpty { offsets.append(Int32(truncatingIfNeeded: data.count)) }
        let dataStart = data.count
        let offsetStart = offsets.count
        offsets.append(contentsOf: repeatElement(0, count: count))
        data.append(contentsOf: repeatElement(0, count: total))
        if count == 0 { return suffixStart + suffixTotal }
        data.withUnsafeMutableBytes { dataBuffer in
            offsets.withUnsafeMutableBufferPointer { offsetBuffer in
                guard let dataBase = dataBuffer.baseAddress, let offsetBase = offsetBuffer.baseAddress else { return }
                var position = dataStart
                var previousStart = dataStart
                var suffixPosition = suffixStart
                for i in 0..<count {
                    let prefix = Int(prefixes[i])
                    let suffix = Int(suffixLengths[i])
                    let valueStart = position
                    // SAFETY: prefix <= previous value's length (checked), and that value
                    // lies at previousStart..<valueStart inside the bytes appended above.
                    if prefix > 0 { (dataBase + position).copyMemory(from: dataBase + previousStart, byteCount: prefix) }
                    position += prefix
                    // SAFETY: the suffixes total suffixTotal <= input.count - suffixStart;
                    // the output has `total` bytes, the sum of prefix + suffix.
                    if suffix > 0, let inputBase = input.baseAddress {
                        (dataBase + position).copyMemory(from: inputBase + suffixPosition, byteCount: suffix)
                    }
                    position += suffix
                    suffixPosition += suffix
                    previousStart = valueStart
                    offsetBase[offsetStart + i] = Int32(truncatingIfNeeded: position)
                }
            }
        }
        return suffixStart + suffixTotal
    }

    /// Appends Arrow-layout values encoded DELTA_BYTE_ARRAY.
    /// - Throws: `.invalidArgument` for malformed offsets.
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into out: inout ByteWriter) throws(ParquetError) {
        try PlainEncoder.validateOffsets(offsets, dataCount: data.count)
        let count = max(0, offsets.count - 1)
        var prefixes = [Int32](repeating: 0, count: count)
        var suffixOffsets = [Int32](repeating: 0, count: count + 1)
        var suffixData: [UInt8] = []
        var previousStart = 0
        var previousEnd = 0
        for i in 0..<count {
            let start = Int(offsets[i])
            let end = Int(offsets[i + 1])
            var common = 0
            let limit = min(end - start, previousEnd - previousStart)
            while common < limit && data[start + common] == data[previousStart + common] { common += 1 }
            prefixes[i] = Int32(common)
            suffixData.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[(start + common)..<end]))
            suffixOffsets[i + 1] = Int32(suffixData.count)
            previousStart = start
            previousEnd = end
        }
        try prefixes.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
            try DeltaBinaryPacked.encode(buffer, into: &out)
        }
        try suffixOffsets.withUnsafeBufferPointer { (offsetBuffer) throws(ParquetError) in
            try suffixData.withUnsafeBufferPointer { (dataBuffer) throws(ParquetError) in
                try DeltaLengthByteArray.encode(offsets: offsetBuffer, data: UnsafeRawBufferPointer(dataBuffer), into: &out)
            }
        }
    }
}
