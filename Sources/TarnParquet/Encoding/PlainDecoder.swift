// PlainDecoder: PLAIN decoding of every physical type into typed Swift arrays.
// Knows nothing about pages or nulls: bytes and a value count in, values appended out.
// Counts and lengths from the data are checked against the input before any copy or
// allocation; fixed-width values are one bulk copy (little-endian host assumed).

/// A fixed-width value PLAIN can copy directly from little-endian bytes
/// (`Int32`, `Int64`, `Float`, `Double`, and the 12-byte `Int96`).
public protocol PlainFixedWidth: BitwiseCopyable, Sendable {}
extension Int32: PlainFixedWidth {}
extension Int64: PlainFixedWidth {}
extension UInt32: PlainFixedWidth {}
extension UInt64: PlainFixedWidth {}
extension Float: PlainFixedWidth {}
extension Double: PlainFixedWidth {}

/// A raw INT96 value: 12 bytes as stored (Impala timestamps: 8 bytes of nanoseconds
/// within the day, then a 4-byte Julian day number).
public struct Int96: PlainFixedWidth, Hashable {
    public var low: UInt64
    public var high: UInt32

    public init(low: UInt64, high: UInt32) {
        self.low = low
        self.high = high
    }

    /// Julian day number of 1970-01-01.
    public static let julianDayOfUnixEpoch: Int64 = 2_440_588
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// The Impala timestamp as microseconds since the Unix epoch (nanoseconds truncated
    /// toward negative infinity). Arithmetic wraps rather than traps on absurd values.
    public var timestampMicroseconds: Int64 {
        let nanosOfDay = Int64(bitPattern: low)
        let julianDay = Int64(Int32(bitPattern: high))
        // Floor division without `nanosOfDay - 999`, which traps near Int64.min (hostile input).
        let quotient = nanosOfDay / 1000
        let micros = nanosOfDay % 1000 < 0 ? quotient - 1 : quotient
        return (julianDay &- Int96.julianDayOfUnixEpoch) &* Int96.microsecondsPerDay &+ micros
    }

    /// The Impala INT96 encoding of `micros` since the Unix epoch.
    public init(timestampMicroseconds micros: Int64) {
        var days = micros / Int96.microsecondsPerDay
        var rest = micros % Int96.microsecondsPerDay
        if rest < 0 {
            rest += Int96.microsecondsPerDay
            days -= 1
        }
        self.low = UInt64(bitPattern: rest &* 1000)
        self.high = UInt32(truncatingIfNeeded: days &+ Int96.julianDayOfUnixEpoch)
    }
}

/// PLAIN decoding (`Encoding.plain`).
public enum PlainDecoder {
    /// Appends `count` fixed-width values (`Int32`, `Int64`, `Float`, `Double`) to `output`.
    ///
    /// - Returns: bytes consumed (`count * stride`).
    /// - Throws: `.corrupt` if the input holds fewer than `count` values.
    /// - Complexity: one bounds check and one bulk copy.
    public static func decode<T: PlainFixedWidth>(
        _ input: UnsafeRawBufferPointer, count: Int, as type: T.Type = T.self,
        appendingTo output: inout [T], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        let width = MemoryLayout<T>.size
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard count <= input.count / width else {
            throw .corrupt("PLAIN \(T.self): \(count) values of \(width) bytes exceed the \(input.count) bytes that remain", offset: baseOffset)
        }
        if count == 0 { return 0 }
        if MemoryLayout<T>.stride == width {
            // SAFETY: count * width bytes are inside the input (checked above); T is
            // bitwise-copyable and stored little-endian, as on every supported host.
            let typed = UnsafeRawBufferPointer(rebasing: input[0..<(count * width)])
            appendBitwise(typed, count: count, to: &output)
        } else {
            // Types whose stride exceeds their size (Int96: 12 bytes, stride 16).
            output.reserveCapacity(output.count + count)
            for i in 0..<count {
                // SAFETY: (i + 1) * width <= count * width <= input.count.
                output.append(loadPacked(input, at: i * width, as: T.self))
            }
        }
        return count * width
    }

    /// Appends `count` values copied bitwise from `bytes` (which holds exactly
    /// `count * MemoryLayout<T>.stride` bytes, stride == size) to `output`.
    @inline(__always)
    static func appendBitwise<T: BitwiseCopyable>(_ bytes: UnsafeRawBufferPointer, count: Int, to output: inout [T]) {
        if output.isEmpty && output.capacity < count {
            // (An empty array with room keeps its reservation: the append below fills it.)
            output = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                // SAFETY: the buffer has room for count values = bytes.count bytes.
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                initialized = count
            }
            return
        }
        // One copy straight into the array's uninitialized tail (no fill pass first):
        // append(contentsOf:) hands that tail to BitwiseValues._copyContents.
        output.append(contentsOf: BitwiseValues<T>(bytes: bytes, count: count))
    }

    @inline(__always)
    static func loadPacked<T: BitwiseCopyable>(_ input: UnsafeRawBufferPointer, at offset: Int, as type: T.Type) -> T {
        // SAFETY: the caller checked offset + size(T) <= input.count; loadUnaligned reads
        // MemoryLayout<T>.size bytes (12 for Int96).
        input.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    /// Appends `count` INT96 values converted from Impala timestamps to microseconds
    /// since the Unix epoch.
    public static func decodeInt96Timestamps(
        _ input: UnsafeRawBufferPointer, count: Int,
        appendingTo output: inout [Int64], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard count <= input.count / 12 else {
            throw .corrupt("PLAIN INT96: \(count) values of 12 bytes exceed the \(input.count) bytes that remain", offset: baseOffset)
        }
        output.reserveCapacity(output.count + count)
        for i in 0..<count {
            // SAFETY: 12 * (i + 1) <= input.count, checked above.
            let low = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self))
            let high = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self))
            output.append(Int96(low: low, high: high).timestampMicroseconds)
        }
        return count * 12
    }

    /// Appends `count` PLAIN booleans (bit-packed, LSB first) to `output`.
    /// - Returns: bytes consumed (`ceil(count / 8)`).
    public static func decodeBooleans(
        _ input: UnsafeRawBufferPointer, count: Int,
        appendingTo output: inout [Bool], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        // count / 8 first: count itself is untrusted and may be near Int.max.
        let bytes = count / 8 + (count % 8 == 0 ? 0 : 1)
        guard bytes <= input.count else {
            throw .corrupt("PLAIN BOOLEAN: \(count) values need \(bytes) bytes but \(input.count) remain", offset: baseOffset)
        }
        let start = output.count
        output.append(contentsOf: repeatElement(false, count: count))
        output.withUnsafeMutableBufferPointer { all in
            for i in 0..<count {
                // SAFETY: i / 8 < bytes <= input.count; start + i < all.count.
                all[start + i] = (input[i >> 3] >> UInt8(i & 7)) & 1 == 1
            }
        }
        return bytes
    }

    /// Appends `count` PLAIN byte arrays (4-byte little-endian length, then the bytes)
    /// in Arrow layout: `data` gets the bytes; `offsets` gets one end offset per value,
    /// preceded by the current `data.count` when `offsets` is empty (so it always holds
    /// values + 1 entries).
    ///
    /// - Returns: bytes consumed.
    /// - Throws: `.corrupt` when a length runs past the input or `data` would exceed
    ///   2^31-1 bytes (the reach of Int32 offsets).
    /// - Complexity: one pass; `data` grows by at most `input.count` bytes.
    public static func decodeByteArrays(
        _ input: UnsafeRawBufferPointer, count: Int,
        offsets: inout [Int32], data: inout [UInt8], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        // Every value costs at least its 4-byte length.
        guard count <= input.count / 4 else {
            throw .corrupt("PLAIN BYTE_ARRAY: \(count) values need at least 4 bytes each but \(input.count) remain", offset: baseOffset)
        }
        guard data.count + input.count - 4 * count <= Int(Int32.max) else {
            throw .corrupt("PLAIN BYTE_ARRAY: values exceed 2^31-1 bytes in one column chunk", offset: baseOffset)
        }
        if offsets.isEmpty { offsets.append(Int32(data.count)) }
        guard count > 0, let inputBase = input.baseAddress else { return 0 }
        let inputCount = input.count
        // Pass 1: walk the lengths, checking each against the input, recording end offsets.
        let offsetStart = offsets.count
        let dataStart = data.count
        offsets.append(contentsOf: repeatElement(0, count: count))
        var position = 0
        var end = dataStart
        let walked: ParquetError? = offsets.withUnsafeMutableBufferPointer { all in
            for i in 0..<count {
                guard inputCount &- position >= 4 else {
                    return .corrupt("PLAIN BYTE_ARRAY length runs past the end", offset: baseOffset + position)
                }
                // SAFETY: 4 bytes at position are inside the input (checked above).
                let length = Int(UInt32(littleEndian: inputBase.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position &+= 4
                guard length <= inputCount &- position else {
                    return .corrupt("PLAIN BYTE_ARRAY value length \(length) exceeds the \(inputCount - position) bytes that remain", offset: baseOffset + position - 4)
                }
                position &+= length
                end &+= length
                // Cannot overflow: data grows by at most input.count - 4 * count bytes (checked).
                all[offsetStart &+ i] = Int32(truncatingIfNeeded: end)
            }
            return nil
        }
        if let walked {
            offsets.removeSubrange(offsetStart...)
            throw walked
        }
        // Pass 2: copy the value bytes, skipping the length prefixes.
        data.append(contentsOf: repeatElement(0, count: end - dataStart))
        offsets.withUnsafeBufferPointer { ends in
            data.withUnsafeMutableBytes { target in
                guard let targetBase = target.baseAddress else { return }
                var source = 0
                var previous = dataStart
                for i in 0..<count {
                    let next = Int(ends[offsetStart &+ i])
                    let length = next &- previous
                    // SAFETY: pass 1 proved source + 4 + length <= inputCount and the ends
                    // partition target[dataStart..<end].
                    ByteCopy.copy(
                        targetBase + previous, writable: target.count &- previous,
                        from: inputBase + (source &+ 4), readable: inputCount &- source &- 4, length: length)
                    source &+= 4 &+ length
                    previous = next
                }
            }
        }
        return position
    }

    /// Appends `count` FIXED_LEN_BYTE_ARRAY values of `typeLength` bytes each to `data`
    /// (value i of the page is `data[start + i*typeLength ..< start + (i+1)*typeLength]`).
    /// - Returns: bytes consumed (`count * typeLength`).
    public static func decodeFixedLengthByteArrays(
        _ input: UnsafeRawBufferPointer, count: Int, typeLength: Int,
        appendingTo data: inout [UInt8], baseOffset: Int = 0
    ) throws(ParquetError) -> Int {
        guard count >= 0 else { throw .invalidArgument("negative value count \(count)") }
        guard typeLength > 0 else { throw .corrupt("FIXED_LEN_BYTE_ARRAY type length \(typeLength) is not positive", offset: baseOffset) }
        guard count <= input.count / typeLength else {
            throw .corrupt("PLAIN FIXED_LEN_BYTE_ARRAY: \(count) values of \(typeLength) bytes exceed the \(input.count) bytes that remain", offset: baseOffset)
        }
        let total = count * typeLength
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<total]))
        return total
    }
}

/// `count` values of `T` stored back to back (possibly unaligned) in `bytes`, which holds
/// exactly `count * MemoryLayout<T>.stride` bytes (stride == size). As a Sequence its bulk
/// copy is one memcpy into the destination: `Array.append(contentsOf:)` reserves
/// `underestimatedCount` and initializes its new tail through `_copyContents`, so
/// values land once, without the zero fill and second copy of grow-then-overwrite.
struct BitwiseValues<T: BitwiseCopyable>: Sequence {
    let bytes: UnsafeRawBufferPointer
    let count: Int

    struct Iterator: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        let count: Int
        var index: Int

        mutating func next() -> T? {
            guard index < count else { return nil }
            // SAFETY: index < count, so (index + 1) * stride <= bytes.count.
            let value = bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
            index += 1
            return value
        }
    }

    var underestimatedCount: Int { count }

    func makeIterator() -> Iterator { Iterator(bytes: bytes, count: count, index: 0) }

    func _copyContents(initializing target: UnsafeMutableBufferPointer<T>) -> (Iterator, Int) {
        let copied = Swift.min(count, target.count)
        if copied > 0, let destination = target.baseAddress, let source = bytes.baseAddress {
            // SAFETY: the target has room for `copied` values and the source holds
            // count * stride >= copied * stride bytes; T is bitwise-copyable.
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: copied * MemoryLayout<T>.stride)
        }
        return (Iterator(bytes: bytes, count: count, index: copied), copied)
    }
}
