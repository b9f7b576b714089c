// DictionaryDecoding: gathering dictionary values by the indices of an RLE_DICTIONARY
// (or PLAIN_DICTIONARY) data page, for fixed-width values and for byte arrays.
// Every index is checked against the dictionary size (one vectorisable pass computing
// the largest index) before any value is copied; an out-of-range index is `.corrupt`.

/// Gathers dictionary entries by index.
public enum DictionaryDecoding {
    /// Largest index as unsigned, so negative indices compare as huge.
    @usableFromInline
    static func maxIndex(_ indices: UnsafeBufferPointer<Int32>) -> UInt32 {
        var largest: UInt32 = 0
        for index in indices {
            largest = max(largest, UInt32(bitPattern: index))
        }
        return largest
    }

    @usableFromInline
    static func checkIndices(_ indices: UnsafeBufferPointer<Int32>, dictionaryCount: Int, baseOffset: Int?) throws(ParquetError) {
        if indices.isEmpty { return }
        let largest = maxIndex(indices)
        guard Int(largest) < dictionaryCount else {
            let position = indices.firstIndex { Int(UInt32(bitPattern: $0)) >= dictionaryCount } ?? 0
            throw .corrupt("dictionary index \(indices[position]) at value \(position) is out of range for a dictionary of \(dictionaryCount) entries", offset: baseOffset)
        }
    }

    /// Appends `dictionary[indices[i]]` for every index to `output`.
    ///
    /// - Throws: `.corrupt` if any index is negative or `>= dictionary.count`
    ///   (nothing is appended then).
    /// - Complexity: one pass to find the largest index, one gather pass without checks.
    ///   Inlinable so that callers in other modules get a specialised loop.
    @inlinable
    public static func gather<T: BitwiseCopyable>(
        _ dictionary: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>,
        appendingTo output: inout [T], baseOffset: Int? = nil
    ) throws(ParquetError) {
        try checkIndices(indices, dictionaryCount: dictionary.count, baseOffset: baseOffset)
        let count = indices.count
        if count == 0 { return }
        guard let dictionaryBase = dictionary.baseAddress, let indexBase = indices.baseAddress else { return }
        let start = output.count
        // Placeholder growth with a real dictionary value (T has no generic zero).
        output.append(contentsOf: repeatElement(dictionaryBase[0], count: count))
        output.withUnsafeMutableBufferPointer { all in
            guard let target = all.baseAddress.map({ $0 + start }) else { return }
            for i in 0..<count {
                // SAFETY: every index is in 0..<dictionary.count (checkIndices above);
                // i < count == the slots appended after start.
                target[i] = dictionaryBase[Int(UInt32(bitPattern: indexBase[i]))]
            }
        }
    }

    /// Fixed-width gather from arrays (convenience over the buffer form).
    @inlinable
    public static func gather<T: BitwiseCopyable>(
        _ dictionary: [T], indices: [Int32], appendingTo output: inout [T], baseOffset: Int? = nil
    ) throws(ParquetError) {
        try dictionary.withUnsafeBufferPointer { (dictionaryBuffer) throws(ParquetError) in
            try indices.withUnsafeBufferPointer { (indexBuffer) throws(ParquetError) in
                try gather(dictionaryBuffer, indices: indexBuffer, appendingTo: &output, baseOffset: baseOffset)
            }
        }
    }

    /// Appends `dictionary[indices[i]]` for a byte-array dictionary, in Arrow layout:
    /// `offsets` gets a leading `data.count` when empty, then one end offset per value.
    ///
    /// - Throws: `.corrupt` for an out-of-range index (nothing is appended then) or when
    ///   the gathered bytes would exceed 2^31-1 (Int32 offsets).
    /// - Complexity: two passes over the indices (check and size), one copy per value.
    public static func gatherByteArrays(
        _ dictionary: ByteArrayDictionary, indices: UnsafeBufferPointer<Int32>,
        offsets: inout [Int32], data: inout [UInt8], baseOffset: Int? = nil
    ) throws(ParquetError) {
        try checkIndices(indices, dictionaryCount: dictionary.count, baseOffset: baseOffset)
        if offsets.isEmpty { offsets.append(Int32(truncatingIfNeeded: data.count)) }
        let count = indices.count
        if count == 0 { return }
        try dictionary.offsets.withUnsafeBufferPointer { (dictionaryOffsets) throws(ParquetError) in
            try dictionary.data.withUnsafeBufferPointer { (dictionaryData) throws(ParquetError) in
                guard let dictionaryOffsetBase = dictionaryOffsets.baseAddress, let indexBase = indices.baseAddress else { return }
                var total = 0
                for i in 0..<count {
                    // SAFETY: indices were checked < dictionary.count == offsets.count - 1.
                    let index = Int(indexBase[i])
                    total &+= Int(dictionaryOffsetBase[index &+ 1] &- dictionaryOffsetBase[index])
                }
                guard data.count + total <= Int(Int32.max) else {
                    throw .corrupt("dictionary-decoded byte arrays exceed 2^31-1 bytes in one column", offset: baseOffset)
                }
                let dataStart = data.count
                let offsetStart = offsets.count
                offsets.append(contentsOf: repeatElement(0, count: count))
                if total == 0 {
                    offsets.withUnsafeMutableBufferPointer { all in
                        for i in 0..<count { all[offsetStart + i] = Int32(truncatingIfNeeded: dataStart) }
                    }
                    return
                }
                data.append(contentsOf: repeatElement(0, count: total))
                data.withUnsafeMutableBytes { dataBuffer in
                    offsets.withUnsafeMutableBufferPointer { offsetBuffer in
                        guard let dataBase = dataBuffer.baseAddress, let offsetBase = offsetBuffer.baseAddress,
                              let dictionaryDataBase = dictionaryData.baseAddress else { return }
                        var position = dataStart
                        let dataEnd = dataBuffer.count
                        let dictionaryEnd = dictionaryData.count
                        for i in 0..<count {
                            let index = Int(indexBase[i])
                            // SAFETY: index < dictionary.count; ByteArrayDictionary validated its
                            // offsets (non-decreasing, inside data) at init; the lengths sum to
                            // `total`, the bytes appended after dataStart, so position + length
                            // <= dataEnd and start + length <= dictionaryEnd.
                            let start = Int(dictionaryOffsetBase[index])
                            let length = Int(dictionaryOffsetBase[index &+ 1]) &- start
                            ByteCopy.copy(
                                dataBase + position, writable: dataEnd &- position,
                                from: UnsafeRawPointer(dictionaryDataBase) + start, readable: dictionaryEnd &- start, length: length)
                            position &+= length
                            offsetBase[offsetStart &+ i] = Int32(truncatingIfNeeded: position)
                        }
                    }
                }
            }
        }
    }

    /// Byte-array gather with indices from an array.
    public static func gatherByteArrays(
        _ dictionary: ByteArrayDictionary, indices: [Int32],
        offsets: inout [Int32], data: inout [UInt8], baseOffset: Int? = nil
    ) throws(ParquetError) {
        try indices.withUnsafeBufferPointer { (indexBuffer) throws(ParquetError) in
            try gatherByteArrays(dictionary, indices: indexBuffer, offsets: &offsets, data: &data, baseOffset: baseOffset)
        }
    }
}

/// A byte-array dictionary in Arrow layout, validated once so that gathering from it
/// needs no per-value offset checks.
public struct ByteArrayDictionary: Sendable {
    /// `count + 1` non-decreasing offsets into `data`, starting at 0 or more.
    public let offsets: [Int32]
    public let data: [UInt8]

    /// Number of entries.
    public var count: Int { max(0, offsets.count - 1) }

    /// - Throws: `.corrupt` if the offsets decrease, are negative or run past `data`.
    public init(offsets: [Int32], data: [UInt8]) throws(ParquetError) {
        do {
            try offsets.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
                try PlainEncoder.validateOffsets(buffer, dataCount: data.count)
            }
        } catch {
            throw .corrupt("byte-array dictionary: \(error.message)")
        }
        self.offsets = offsets
        self.data = data
    }

    /// Decodes a PLAIN dictionary page of `count` byte arrays.
    public init(plain input: UnsafeRawBufferPointer, count: Int, baseOffset: Int = 0) throws(ParquetError) {
        var offsets: [Int32] = []
        var data: [UInt8] = []
        _ = try PlainDecoder.decodeByteArrays(input, count: count, offsets: &offsets, data: &data, baseOffset: baseOffset)
        if offsets.isEmpty { offsets = [0] }
        self.offsets = offsets
        self.data = data
    }
}
