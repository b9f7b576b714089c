// ValueSinks: per-physical-type accumulators that decode page values (every encoding
// Tarn reads) into one growing typed buffer, spread them over nulls, and convert them
// to the leaf's final storage (int8…uint64, timestamps, decimals, strings, float16).
// Never trust counts: every decoder used checks its input; gathers check indices first.

import TarnColumnar

/// Accumulates the values of one column chunk.
protocol ValueSink {
    /// Values held (dense values plus, in flat mode, the null slots spread so far).
    var count: Int { get }
    mutating func reserve(_ n: Int)
    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError)
    /// Appends exactly `count` values decoded from `input`.
    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError)
    /// Spreads the values appended after `start` (one per entry with the maximum
    /// definition level) over all entries of the page; null slots get zero values.
    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32)
    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage
    /// Whether values of this sink under `conversion` keep their decoded representation,
    /// so the dictionary page can serve as the column's dictionary side-car.
    static func keepsDictionary(_ conversion: LeafConversion) -> Bool
    /// The dictionary page's values in the leaf's final storage (nil without a dictionary
    /// page or when `keepsDictionary(conversion)` is false).
    func dictionaryStorage(_ conversion: LeafConversion) -> ColumnStorage?
}

extension ValueSink {
    static func keepsDictionary(_ conversion: LeafConversion) -> Bool { false }
    func dictionaryStorage(_ conversion: LeafConversion) -> ColumnStorage? { nil }
}

/// Dictionary indices of an RLE_DICTIONARY / PLAIN_DICTIONARY page: a bit-width byte,
/// then the bare RLE/bit-packed hybrid.
enum DictionaryIndices {
    static func decode(_ input: UnsafeRawBufferPointer, count: Int, base: Int, into indices: inout [Int32]) throws(ParquetError) {
        if indices.count < count { indices = [Int32](repeating: 0, count: count) }
        if count == 0 { return }
        guard let width = input.first else {
            throw .corrupt("dictionary-encoded page has no bit-width byte", offset: base)
        }
        guard width <= 32 else {
            throw .corrupt("dictionary index bit width \(width) exceeds 32", offset: base)
        }
        let runs = UnsafeRawBufferPointer(rebasing: input[1...])
        try indices.withUnsafeMutableBufferPointer { (all) throws(ParquetError) in
            _ = try RLEBitPackedHybrid.decode(runs, bitWidth: Int(width), into: UnsafeMutableBufferPointer(rebasing: all[0..<count]), baseOffset: base + 1)
        }
    }
}

/// A fixed-width physical value (INT32, INT64, FLOAT, DOUBLE) with its final conversions.
protocol SinkValue: PlainFixedWidth, AdditiveArithmetic {
    static func decodeDelta(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Self], base: Int) throws(ParquetError)
    static func storage(_ values: [Self], _ conversion: LeafConversion) throws(ParquetError) -> ColumnStorage
    /// The conversion under which values are stored as decoded (no per-value change).
    static var identityConversion: LeafConversion { get }
}

extension Int32: SinkValue {
    static var identityConversion: LeafConversion { .int32 }
    static func decodeDelta(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Int32], base: Int) throws(ParquetError) {
        _ = try DeltaBinaryPacked.decode(input, maxCount: count, appendingTo: &output, baseOffset: base)
    }

    static func storage(_ values: [Int32], _ conversion: LeafConversion) throws(ParquetError) -> ColumnStorage {
        switch conversion {
        case .int32: return .int32(values)
        case .int32ToInt8: return .int8(values.map { Int8(truncatingIfNeeded: $0) })
        case .int32ToInt16: return .int16(values.map { Int16(truncatingIfNeeded: $0) })
        case .int32ToUInt8: return .uint8(values.map { UInt8(truncatingIfNeeded: $0) })
        case .int32ToUInt16: return .uint16(values.map { UInt16(truncatingIfNeeded: $0) })
        case .int32ToUInt32: return .uint32(values.map { UInt32(bitPattern: $0) })
        case .decimalFromInt32: return .int128(values.map { Int128($0) })
        default: throw .unsupported("INT32 values as \(conversion)")
        }
    }
}

extension Int64: SinkValue {
    static var identityConversion: LeafConversion { .int64 }
    static func decodeDelta(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Int64], base: Int) throws(ParquetError) {
        _ = try DeltaBinaryPacked.decode(input, maxCount: count, appendingTo: &output, baseOffset: base)
    }

    static func storage(_ values: [Int64], _ conversion: LeafConversion) throws(ParquetError) -> ColumnStorage {
        switch conversion {
        case .int64, .int96ToTimestamp: return .int64(values)
        case let .int64Times(factor):
            var out = values
            out.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices { buffer[i] = buffer[i] &* factor }
            }
            return .int64(out)
        case .int64NanosToMicros:
            var out = values
            out.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices {
                    let v = buffer[i]
                    let q = v / 1000
                    buffer[i] = (v % 1000 < 0) ? q - 1 : q
                }
            }
            return .int64(out)
        case .int64ToUInt64: return .uint64(values.map { UInt64(bitPattern: $0) })
        case .decimalFromInt64: return .int128(values.map { Int128($0) })
        default: throw .unsupported("INT64 values as \(conversion)")
        }
    }
}

extension Float: SinkValue {
    static var identityConversion: LeafConversion { .float }
    static func decodeDelta(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Float], base: Int) throws(ParquetError) {
        throw .unsupported("DELTA_BINARY_PACKED for FLOAT")
    }

    static func storage(_ values: [Float], _ conversion: LeafConversion) throws(ParquetError) -> ColumnStorage {
        .float32(values)
    }
}

extension Double: SinkValue {
    static var identityConversion: LeafConversion { .double }
    static func decodeDelta(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Double], base: Int) throws(ParquetError) {
        throw .unsupported("DELTA_BINARY_PACKED for DOUBLE")
    }

    static func storage(_ values: [Double], _ conversion: LeafConversion) throws(ParquetError) -> ColumnStorage {
        .float64(values)
    }
}

/// INT32 / INT64 / FLOAT / DOUBLE values.
struct FixedSink<T: SinkValue>: ValueSink {
    var values: [T] = []
    var dictionary: [T]?

    var count: Int { values.count }

    mutating func reserve(_ n: Int) { values.reserveCapacity(n) }

    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError) {
        var entries: [T] = []
        _ = try PlainDecoder.decode(input, count: count, appendingTo: &entries, baseOffset: base)
        dictionary = entries
    }

    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError) {
        switch encoding {
        case .plain:
            let width = MemoryLayout<T>.stride
            guard count >= 0, count <= input.count / width else {
                throw .corrupt("PLAIN \(T.self): \(count) values need more than the \(input.count) bytes that remain", offset: base)
            }
            // One copy into the array's tail (the chunk-sized reservation is kept).
            if count > 0 {
                PlainDecoder.appendBitwise(UnsafeRawBufferPointer(rebasing: input[0..<(count * width)]), count: count, to: &values)
            }
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw .corrupt("dictionary-encoded page without a dictionary page", offset: base) }
            try DictionaryIndices.decode(input, count: count, base: base, into: &indices)
            try dictionary.withUnsafeBufferPointer { (entries) throws(ParquetError) in
                try indices.withUnsafeBufferPointer { (all) throws(ParquetError) in
                    try DictionaryDecoding.gather(entries, indices: UnsafeBufferPointer(rebasing: all[0..<count]), appendingTo: &values, baseOffset: base)
                }
            }
        case .deltaBinaryPacked:
            try T.decodeDelta(input, count: count, appendingTo: &values, base: base)
        case .byteStreamSplit:
            _ = try ByteStreamSplit.decode(input, count: count, appendingTo: &values, baseOffset: base)
        default:
            throw .unsupported("encoding \(encoding) for \(T.self) values")
        }
    }

    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        FixedSpread.spread(&values, from: start, definition: definition, maxDefinition: maxDefinition, zero: T.zero)
    }

    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage {
        try T.storage(values, conversion)
    }

    static func keepsDictionary(_ conversion: LeafConversion) -> Bool { conversion == T.identityConversion }

    func dictionaryStorage(_ conversion: LeafConversion) -> ColumnStorage? {
        guard let dictionary, Self.keepsDictionary(conversion) else { return nil }
        return try? T.storage(dictionary, conversion)
    }
}

enum FixedSpread {
    /// In-place backward spread: the dense values after `start` move to their slots.
    @inline(__always)
    static func spread<T>(_ values: inout [T], from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32, zero: T) {
        let slots = definition.count
        let dense = values.count - start
        guard slots > dense else { return }
        values.append(contentsOf: repeatElement(zero, count: slots - dense))
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress.map({ $0 + start }) else { return }
            var k = dense - 1
            var j = slots - 1
            while j >= 0 {
                // SAFETY: -1 <= k <= j < slots; the buffer holds start + slots values, and
                // k counts down once per present entry, of which there are exactly `dense`;
                // max(k, 0) is read (and discarded) only at a null, and slots >= 1 here.
                // Branch-free: nulls are scattered, a per-entry branch mispredicts.
                let present = definition[j] == maxDefinition
                let moved = base[max(k, 0)]
                base[j] = present ? moved : zero
                k &-= Int(unsafeBitCast(present, to: UInt8.self))
                j -= 1
            }
        }
    }
}

/// INT96 (Impala timestamps) → microseconds.
struct Int96Sink: ValueSink {
    var inner = FixedSink<Int64>()

    var count: Int { inner.count }

    mutating func reserve(_ n: Int) { inner.reserve(n) }

    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError) {
        var entries: [Int64] = []
        try Int96Timestamps.decode(input, count: count, appendingTo: &entries, base: base)
        inner.dictionary = entries
    }

    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError) {
        switch encoding {
        case .plain:
            try Int96Timestamps.decode(input, count: count, appendingTo: &inner.values, base: base)
        case .plainDictionary, .rleDictionary:
            try inner.decode(encoding, input, count: count, base: base, indices: &indices)
        default:
            throw .unsupported("encoding \(encoding) for INT96 values")
        }
    }

    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        inner.spread(from: start, definition: definition, maxDefinition: maxDefinition)
    }

    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage {
        .int64(inner.values)
    }
}

/// PLAIN INT96 (Impala: 8 bytes of nanoseconds in the day, 4 bytes of Julian day)
/// → microseconds since the Unix epoch, nanoseconds rounded toward −∞. Arithmetic
/// wraps on hostile values instead of trapping.
enum Int96Timestamps {
    static let julianDayOfUnixEpoch: Int64 = 2_440_588
    static let microsecondsPerDay: Int64 = 86_400_000_000

    @inline(__always)
    static func micros(low: UInt64, high: UInt32) -> Int64 {
        let nanos = Int64(bitPattern: low)
        var micros = nanos / 1000
        if nanos % 1000 < 0 { micros -= 1 }
        return (Int64(Int32(bitPattern: high)) &- julianDayOfUnixEpoch) &* microsecondsPerDay &+ micros
    }

    static func decode(_ input: UnsafeRawBufferPointer, count: Int, appendingTo output: inout [Int64], base: Int) throws(ParquetError) {
        guard count >= 0, count <= input.count / 12 else {
            throw .corrupt("PLAIN INT96: \(count) values need more than the \(input.count) bytes that remain", offset: base)
        }
        output.reserveCapacity(output.count + count)
        for i in 0..<count {
            // SAFETY: 12 * (i + 1) <= input.count, checked above.
            let low = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: i * 12, as: UInt64.self))
            let high = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self))
            output.append(micros(low: low, high: high))
        }
    }
}

/// BOOLEAN values (PLAIN bit-packed, or RLE in v2 pages).
struct BooleanSink: ValueSink {
    var values: [Bool] = []
    var scratch: [Int32] = []

    var count: Int { values.count }

    mutating func reserve(_ n: Int) { values.reserveCapacity(n) }

    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError) {
        throw .unsupported("dictionary pages for BOOLEAN columns")
    }

    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError) {
        switch encoding {
        case .plain:
            _ = try PlainDecoder.decodeBooleans(input, count: count, appendingTo: &values, baseOffset: base)
        case .rle:
            scratch.removeAll(keepingCapacity: true)
            _ = try RLEBitPackedHybrid.decodeLengthPrefixed(input, bitWidth: 1, count: count, appendingTo: &scratch, baseOffset: base)
            values.append(contentsOf: scratch.lazy.map { $0 != 0 })
        default:
            throw .unsupported("encoding \(encoding) for BOOLEAN values")
        }
    }

    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        FixedSpread.spread(&values, from: start, definition: definition, maxDefinition: maxDefinition, zero: false)
    }

    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage {
        var words = [UInt64](repeating: 0, count: (values.count + 63) >> 6)
        values.withUnsafeBufferPointer { bits in
            for i in bits.indices where bits[i] {
                words[i >> 6] |= UInt64(1) << UInt64(i & 63)
            }
        }
        return .boolean(Bitmap(words: words, count: values.count))
    }
}

/// BYTE_ARRAY values in Arrow layout.
struct ByteArraySink: ValueSink {
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    var dictionary: ByteArrayDictionary?

    var count: Int { offsets.count - 1 }

    mutating func reserve(_ n: Int) { offsets.reserveCapacity(n + 1) }

    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError) {
        dictionary = try ByteArrayDictionary(plain: input, count: count, baseOffset: base)
    }

    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError) {
        switch encoding {
        case .plain:
            _ = try PlainDecoder.decodeByteArrays(input, count: count, offsets: &offsets, data: &data, baseOffset: base)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw .corrupt("dictionary-encoded page without a dictionary page", offset: base) }
            try DictionaryIndices.decode(input, count: count, base: base, into: &indices)
            try indices.withUnsafeBufferPointer { (all) throws(ParquetError) in
                try DictionaryDecoding.gatherByteArrays(dictionary, indices: UnsafeBufferPointer(rebasing: all[0..<count]), offsets: &offsets, data: &data, baseOffset: base)
            }
        case .deltaLengthByteArray:
            _ = try DeltaLengthByteArray.decode(input, count: count, offsets: &offsets, data: &data, baseOffset: base)
        case .deltaByteArray:
            _ = try DeltaByteArray.decode(input, count: count, offsets: &offsets, data: &data, baseOffset: base)
        default:
            throw .unsupported("encoding \(encoding) for BYTE_ARRAY values")
        }
    }

    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        let slots = definition.count
        let dense = count - start
        guard slots > dense else { return }
        offsets.append(contentsOf: repeatElement(0, count: slots - dense))
        offsets.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress.map({ $0 + start }) else { return }
            // base[m] is the end offset of the m-th value after start (base[0] = its start).
            var k = dense
            var j = slots - 1
            while j >= 0 {
                // SAFETY: 0 <= k <= j + 1 <= slots; the buffer holds start + slots + 1 offsets.
                base[j + 1] = base[k]
                if definition[j] == maxDefinition { k -= 1 }
                j -= 1
            }
        }
    }

    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage {
        if conversion == .decimalFromBytes {
            return .int128(try DecimalBytes.decode(offsets: offsets, data: data))
        }
        return .bytes(offsets: offsets, data: data)
    }

    static func keepsDictionary(_ conversion: LeafConversion) -> Bool { conversion == .bytes }

    func dictionaryStorage(_ conversion: LeafConversion) -> ColumnStorage? {
        guard let dictionary, Self.keepsDictionary(conversion),
              let first = dictionary.offsets.first, let last = dictionary.offsets.last else { return nil }
        if first == 0 && Int(last) == dictionary.data.count {
            return .bytes(offsets: dictionary.offsets, data: dictionary.data)
        }
        // Column storage starts its offsets at 0 (ByteArrayDictionary allows a later start).
        return .bytes(offsets: dictionary.offsets.map { $0 &- first }, data: Array(dictionary.data[Int(first)..<Int(last)]))
    }
}

/// FIXED_LEN_BYTE_ARRAY values, back to back.
struct FixedLengthSink: ValueSink {
    let width: Int
    var data: [UInt8] = []
    var dictionary: [UInt8]?

    init(width: Int) {
        self.width = max(1, width)
    }

    var count: Int { data.count / width }

    mutating func reserve(_ n: Int) {
        // Wide values (up to 1 MiB each) must not multiply into a huge reservation.
        data.reserveCapacity(min(n, (1 << 26) / width) * width)
    }

    mutating func setDictionary(_ input: UnsafeRawBufferPointer, count: Int, base: Int) throws(ParquetError) {
        var entries: [UInt8] = []
        _ = try PlainDecoder.decodeFixedLengthByteArrays(input, count: count, typeLength: width, appendingTo: &entries, baseOffset: base)
        dictionary = entries
    }

    mutating func decode(_ encoding: Encoding, _ input: UnsafeRawBufferPointer, count: Int, base: Int, indices: inout [Int32]) throws(ParquetError) {
        switch encoding {
        case .plain:
            _ = try PlainDecoder.decodeFixedLengthByteArrays(input, count: count, typeLength: width, appendingTo: &data, baseOffset: base)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw .corrupt("dictionary-encoded page without a dictionary page", offset: base) }
            try DictionaryIndices.decode(input, count: count, base: base, into: &indices)
            let entries = dictionary.count / width
            let width = self.width
            try indices.withUnsafeBufferPointer { (all) throws(ParquetError) in
                let used = UnsafeBufferPointer(rebasing: all[0..<count])
                try DictionaryDecoding.checkIndices(used, dictionaryCount: entries, baseOffset: base)
                let start = data.count
                data.append(contentsOf: repeatElement(0, count: count * width))
                dictionary.withUnsafeBytes { source in
                    data.withUnsafeMutableBytes { target in
                        for (i, index) in used.enumerated() {
                            // SAFETY: index < entries (checked above), so its bytes are inside
                            // the dictionary; slot i is inside the bytes appended after start.
                            UnsafeMutableRawBufferPointer(rebasing: target[(start + i * width)..<(start + (i + 1) * width)])
                                .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(Int(index) * width)..<((Int(index) + 1) * width)]))
                        }
                    }
                }
            }
        case .byteStreamSplit:
            _ = try ByteStreamSplit.decodeFixedLength(input, count: count, width: width, appendingTo: &data, baseOffset: base)
        default:
            throw .unsupported("encoding \(encoding) for FIXED_LEN_BYTE_ARRAY values")
        }
    }

    mutating func spread(from start: Int, definition: UnsafeBufferPointer<Int32>, maxDefinition: Int32) {
        let slots = definition.count
        let dense = count - start
        guard slots > dense else { return }
        let width = self.width
        data.append(contentsOf: repeatElement(0, count: (slots - dense) * width))
        data.withUnsafeMutableBytes { buffer in
            var k = dense - 1
            var j = slots - 1
            while j >= 0 {
                let target = (start + j) * width
                if definition[j] == maxDefinition {
                    let source = (start + k) * width
                    // SAFETY: k <= j, both inside the start + slots values of the buffer.
                    if source != target {
                        for b in 0..<width { buffer[target + b] = buffer[source + b] }
                    }
                    k -= 1
                } else {
                    for b in 0..<width { buffer[target + b] = 0 }
                }
                j -= 1
            }
        }
    }

    mutating func finish(_ conversion: LeafConversion, typeLength: Int) throws(ParquetError) -> ColumnStorage {
        let n = count
        switch conversion {
        case .decimalFromBytes:
            var offsets = [Int32](repeating: 0, count: n + 1)
            guard data.count <= Int(Int32.max) else { throw .corrupt("fixed-length values exceed 2^31-1 bytes") }
            for i in 0...n { offsets[i] = Int32(i * width) }
            return .int128(try DecimalBytes.decode(offsets: offsets, data: data))
        case .float16ToFloat:
            var out = [Float](repeating: 0, count: n)
            for i in 0..<n {
                let bits = UInt16(data[2 * i]) | (UInt16(data[2 * i + 1]) << 8)
                out[i] = HalfFloat.float(bits)
            }
            return .float32(out)
        default:
            guard data.count <= Int(Int32.max) else { throw .corrupt("fixed-length values exceed 2^31-1 bytes") }
            var offsets = [Int32](repeating: 0, count: n + 1)
            for i in 0...n { offsets[i] = Int32(i * width) }
            return .bytes(offsets: offsets, data: data)
        }
    }
}

/// Big-endian two's complement decimals → Int128.
enum DecimalBytes {
    static func decode(offsets: [Int32], data: [UInt8]) throws(ParquetError) -> [Int128] {
        let n = max(0, offsets.count - 1)
        var out = [Int128](repeating: 0, count: n)
        for i in 0..<n {
            let start = Int(offsets[i]), end = Int(offsets[i + 1])
            guard let value = int128(data[start..<end]) else {
                throw .corrupt("decimal value of \(end - start) bytes does not fit 128 bits")
            }
            out[i] = value
        }
        return out
    }

    /// The value of big-endian two's complement bytes, or nil beyond 128 bits.
    static func int128(_ bytes: ArraySlice<UInt8>) -> Int128? {
        guard let first = bytes.first else { return 0 }
        let negative = first & 0x80 != 0
        var slice = bytes
        // Leading sign-extension bytes beyond 16 carry no value.
        while slice.count > 16 {
            guard let lead = slice.first, lead == (negative ? 0xFF : 0x00) else { return nil }
            slice = slice.dropFirst()
        }
        if let lead = slice.first, (lead & 0x80 != 0) != negative { return nil }
        var value: Int128 = negative ? -1 : 0
        for byte in slice {
            value = (value &<< 8) | Int128(byte)
        }
        return value
    }

    static func int128(_ bytes: [UInt8]) -> Int128? { int128(bytes[...]) }
}

/// IEEE 754 half precision → Float, without relying on the platform Float16 type.
enum HalfFloat {
    static func float(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
