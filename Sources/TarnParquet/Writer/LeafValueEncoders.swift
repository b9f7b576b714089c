// LeafValueEncoders: per physical type, the value side of a column chunk — dictionary
// lookup, PLAIN bytes, dictionary page bytes and min/max bounds of pages and the chunk.
// One generic encoder per family (fixed width, byte arrays, booleans), specialised by
// the compiler; must never see levels or pages (ColumnChunkWriter owns those).

/// The value side of one leaf chunk. Ranges index the leaf's non-null values.
protocol LeafValueEncoder {
    var supportsDictionary: Bool { get }
    /// Distinct values so far.
    var dictionaryCount: Int { get }
    /// Size of the dictionary as a PLAIN page.
    var dictionaryByteSize: Int { get }
    /// Looks up (inserting) values `range` and appends their dictionary indices.
    mutating func appendIndices(_ range: Range<Int>, to indices: inout [Int32])
    /// Appends the dictionary as PLAIN values.
    func writeDictionary(into out: inout ByteWriter) throws(ParquetError)
    /// Bytes `writePlain` would append for `range`.
    func plainSize(_ range: Range<Int>) -> Int
    func writePlain(_ range: Range<Int>, into out: inout ByteWriter) throws(ParquetError)
    /// Widens the current page's bounds with values `range`.
    mutating func observe(_ range: Range<Int>)
    /// The current page's bounds (nil when no value took part), merged into the
    /// chunk's; the page's bounds are reset.
    mutating func finishPage() -> EncodedBounds?
    /// Bounds of every page finished so far.
    var chunkBounds: EncodedBounds? { get }
}

// MARK: Fixed width (INT32, INT64, FLOAT, DOUBLE)

/// Order and hash key of a fixed-width physical value type.
protocol FixedWidthPolicy {
    associatedtype Value: PlainFixedWidth
    /// Unsigned integer of the same size: the value's bit pattern, used as hash key.
    associatedtype Key: FixedWidthInteger & UnsignedInteger & PlainFixedWidth
    static func scan(_ values: UnsafeBufferPointer<Value>) -> (min: Value, max: Value)?
    static func less(_ a: Value, _ b: Value) -> Bool
}

enum SignedInt32Policy: FixedWidthPolicy {
    typealias Key = UInt32
    static func scan(_ values: UnsafeBufferPointer<Int32>) -> (min: Int32, max: Int32)? { MinMaxScan.integers(values) }
    static func less(_ a: Int32, _ b: Int32) -> Bool { a < b }
}

enum UnsignedInt32Policy: FixedWidthPolicy {
    typealias Key = UInt32
    static func scan(_ values: UnsafeBufferPointer<Int32>) -> (min: Int32, max: Int32)? {
        // SAFETY: Int32 and UInt32 have the same size, stride and alignment.
        values.withMemoryRebound(to: UInt32.self) { unsigned in
            MinMaxScan.integers(unsigned).map { (Int32(bitPattern: $0.min), Int32(bitPattern: $0.max)) }
        }
    }
    static func less(_ a: Int32, _ b: Int32) -> Bool { UInt32(bitPattern: a) < UInt32(bitPattern: b) }
}

enum SignedInt64Policy: FixedWidthPolicy {
    typealias Key = UInt64
    static func scan(_ values: UnsafeBufferPointer<Int64>) -> (min: Int64, max: Int64)? { MinMaxScan.integers(values) }
    static func less(_ a: Int64, _ b: Int64) -> Bool { a < b }
}

enum UnsignedInt64Policy: FixedWidthPolicy {
    typealias Key = UInt64
    static func scan(_ values: UnsafeBufferPointer<Int64>) -> (min: Int64, max: Int64)? {
        // SAFETY: Int64 and UInt64 have the same size, stride and alignment.
        values.withMemoryRebound(to: UInt64.self) { unsigned in
            MinMaxScan.integers(unsigned).map { (Int64(bitPattern: $0.min), Int64(bitPattern: $0.max)) }
        }
    }
    static func less(_ a: Int64, _ b: Int64) -> Bool { UInt64(bitPattern: a) < UInt64(bitPattern: b) }
}

enum FloatPolicy: FixedWidthPolicy {
    typealias Key = UInt32
    static func scan(_ values: UnsafeBufferPointer<Float>) -> (min: Float, max: Float)? { MinMaxScan.floats(values) }
    static func less(_ a: Float, _ b: Float) -> Bool { a < b }
}

enum DoublePolicy: FixedWidthPolicy {
    typealias Key = UInt64
    static func scan(_ values: UnsafeBufferPointer<Double>) -> (min: Double, max: Double)? { MinMaxScan.floats(values) }
    static func less(_ a: Double, _ b: Double) -> Bool { a < b }
}

struct FixedWidthValueEncoder<Policy: FixedWidthPolicy>: LeafValueEncoder {
    /// Indexed through `withUnsafeBufferPointer`, so ranges are 0-based whatever the slice's indices.
    let values: ArraySlice<Policy.Value>
    private var table = FixedWidthHashTable<Policy.Key>()
    private var page: (min: Policy.Value, max: Policy.Value)?
    private(set) var chunk: (min: Policy.Value, max: Policy.Value)?

    init(values: ArraySlice<Policy.Value>) {
        self.values = values
    }

    var supportsDictionary: Bool { true }
    var dictionaryCount: Int { table.count }
    var dictionaryByteSize: Int { table.count * MemoryLayout<Policy.Value>.size }

    mutating func appendIndices(_ range: Range<Int>, to indices: inout [Int32]) {
        values.withUnsafeBufferPointer { all in
            // SAFETY: Key has Value's size, stride and alignment (both fixed-width, same
            // width by the policy); range lies inside the values (chunk writer invariant).
            all.withMemoryRebound(to: Policy.Key.self) { keys in
                table.indices(of: UnsafeBufferPointer(rebasing: keys[range]), appendingTo: &indices)
            }
        }
    }

    func writeDictionary(into out: inout ByteWriter) {
        PlainEncoder.encode(table.keys, into: &out)
    }

    func plainSize(_ range: Range<Int>) -> Int { range.count * MemoryLayout<Policy.Value>.size }

    func writePlain(_ range: Range<Int>, into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { all in
            PlainEncoder.encode(UnsafeBufferPointer(rebasing: all[range]), into: &out)
        }
    }

    mutating func observe(_ range: Range<Int>) {
        let found = values.withUnsafeBufferPointer { all in Policy.scan(UnsafeBufferPointer(rebasing: all[range])) }
        guard let found else { return }
        page = Self.widen(page, found)
    }

    mutating func finishPage() -> EncodedBounds? {
        defer { page = nil }
        guard let page else { return nil }
        chunk = Self.widen(chunk, page)
        return Self.encode(page)
    }

    var chunkBounds: EncodedBounds? {
        guard let chunk else { return nil }
        return Self.encode(chunk)
    }

    private static func widen(
        _ current: (min: Policy.Value, max: Policy.Value)?, _ new: (min: Policy.Value, max: Policy.Value)
    ) -> (min: Policy.Value, max: Policy.Value) {
        guard let current else { return new }
        return (Policy.less(new.min, current.min) ? new.min : current.min,
                Policy.less(current.max, new.max) ? new.max : current.max)
    }

    private static func encode(_ bounds: (min: Policy.Value, max: Policy.Value)) -> EncodedBounds {
        EncodedBounds(min: StatisticsCollector.plainBytes(bounds.min), max: StatisticsCollector.plainBytes(bounds.max))
    }
}

// MARK: Byte arrays (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY)

struct ByteArrayValueEncoder: LeafValueEncoder {
    /// Arrow offsets for BYTE_ARRAY; empty for FIXED_LEN_BYTE_ARRAY.
    let offsets: [Int32]
    let data: [UInt8]
    /// Value width for FIXED_LEN_BYTE_ARRAY; 0 for BYTE_ARRAY.
    let width: Int
    /// Bounds compare the first byte as signed (big-endian two's complement decimals).
    let signedOrder: Bool
    /// Strings truncate long bounds at character boundaries.
    let isString: Bool
    private var table = ByteArrayHashTable()
    /// Value indices of the page's and chunk's min and max.
    private var page: (min: Int, max: Int)?
    private var chunk: (min: Int, max: Int)?

    init(offsets: [Int32], data: [UInt8], isString: Bool) {
        self.offsets = offsets
        self.data = data
        self.width = 0
        self.signedOrder = false
        self.isString = isString
    }

    init(fixedWidthData data: [UInt8], width: Int, signedOrder: Bool) {
        self.offsets = []
        self.data = data
        self.width = width
        self.signedOrder = signedOrder
        self.isString = false
    }

    var supportsDictionary: Bool { true }
    var dictionaryCount: Int { table.count }
    var dictionaryByteSize: Int { width > 0 ? table.count * width : table.plainByteSize }

    mutating func appendIndices(_ range: Range<Int>, to indices: inout [Int32]) {
        // SAFETY: as for `bytes(_:_:_:)`: the range and offsets lie inside the buffers.
        let width = self.width
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBytes { data in
                if width > 0 {
                    table.indices(of: range, width: width, data: data, appendingTo: &indices)
                } else {
                    table.indices(of: range, offsets: offsets, data: data, appendingTo: &indices)
                }
            }
        }
    }

    func writeDictionary(into out: inout ByteWriter) throws(ParquetError) {
        if width > 0 {
            out.write(contentsOf: table.data)
            return
        }
        let offsets = table.offsets
        let data = table.data
        try offsets.withUnsafeBufferPointer { (offsets) throws(ParquetError) in
            try writerWithBytes(data) { (data) throws(ParquetError) in
                try PlainEncoder.encodeByteArrays(offsets: offsets, data: data, into: &out)
            }
        }
    }

    func plainSize(_ range: Range<Int>) -> Int {
        if width > 0 { return range.count * width }
        guard !range.isEmpty else { return 0 }
        return 4 * range.count + Int(offsets[range.upperBound] - offsets[range.lowerBound])
    }

    func writePlain(_ range: Range<Int>, into out: inout ByteWriter) throws(ParquetError) {
        if width > 0 {
            out.write(contentsOf: data[(range.lowerBound * width)..<(range.upperBound * width)])
            return
        }
        guard !range.isEmpty else { return }
        try offsets.withUnsafeBufferPointer { (offsets) throws(ParquetError) in
            try writerWithBytes(data) { (data) throws(ParquetError) in
                let slice = UnsafeBufferPointer(rebasing: offsets[range.lowerBound...range.upperBound])
                try PlainEncoder.encodeByteArrays(offsets: slice, data: data, into: &out)
            }
        }
    }

    /// Value i. SAFETY: i < value count (chunk writer ranges); offsets come from a
    /// validated `Column` or the shredder (non-decreasing, within `data`).
    @inline(__always)
    private func bytes(_ i: Int, _ offsets: UnsafeBufferPointer<Int32>, _ data: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if width > 0 { return UnsafeRawBufferPointer(rebasing: data[(i * width)..<((i + 1) * width)]) }
        return UnsafeRawBufferPointer(rebasing: data[Int(offsets[i])..<Int(offsets[i + 1])])
    }

    @inline(__always)
    private func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if signedOrder, let x = a.first, let y = b.first, x != y {
            return Int8(bitPattern: x) < Int8(bitPattern: y) ? -1 : 1
        }
        return compareBytes(a, b)
    }

    private func compare(_ i: Int, _ j: Int) -> Int {
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBytes { data in compare(bytes(i, offsets, data), bytes(j, offsets, data)) }
        }
    }

    mutating func observe(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var bounds = page ?? (range.lowerBound, range.lowerBound)
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBytes { data in
                var low = bytes(bounds.min, offsets, data)
                var high = bytes(bounds.max, offsets, data)
                for i in range {
                    let value = bytes(i, offsets, data)
                    if compare(value, low) < 0 {
                        low = value
                        bounds.min = i
                    } else if compare(value, high) > 0 {
                        high = value
                        bounds.max = i
                    }
                }
            }
        }
        page = bounds
    }

    mutating func finishPage() -> EncodedBounds? {
        defer { page = nil }
        guard let page else { return nil }
        if let chunk {
            self.chunk = (compare(page.min, chunk.min) < 0 ? page.min : chunk.min,
                          compare(page.max, chunk.max) > 0 ? page.max : chunk.max)
        } else {
            chunk = page
        }
        return encode(page)
    }

    var chunkBounds: EncodedBounds? { chunk.flatMap(encode) }

    private func encode(_ bounds: (min: Int, max: Int)) -> EncodedBounds? {
        offsets.withUnsafeBufferPointer { offsets in
            data.withUnsafeBytes { data in
                if width > 0 {
                    // Fixed-width decimals are never truncated: a prefix is not a bound for them.
                    return EncodedBounds(min: Array(bytes(bounds.min, offsets, data)), max: Array(bytes(bounds.max, offsets, data)))
                }
                return StatisticsCollector.byteBounds(
                    min: bytes(bounds.min, offsets, data), max: bytes(bounds.max, offsets, data), isString: isString)
            }
        }
    }
}

// MARK: Booleans

struct BooleanValueEncoder: LeafValueEncoder {
    let values: [Bool]
    private var page: (sawFalse: Bool, sawTrue: Bool) = (false, false)
    private var chunk: (sawFalse: Bool, sawTrue: Bool) = (false, false)

    init(values: [Bool]) {
        self.values = values
    }

    var supportsDictionary: Bool { false }
    var dictionaryCount: Int { 0 }
    var dictionaryByteSize: Int { 0 }
    mutating func appendIndices(_ range: Range<Int>, to indices: inout [Int32]) {}
    func writeDictionary(into out: inout ByteWriter) {}

    func plainSize(_ range: Range<Int>) -> Int { (range.count + 7) / 8 }

    func writePlain(_ range: Range<Int>, into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { all in
            PlainEncoder.encodeBooleans(UnsafeBufferPointer(rebasing: all[range]), into: &out)
        }
    }

    mutating func observe(_ range: Range<Int>) {
        for i in range {
            if values[i] { page.sawTrue = true } else { page.sawFalse = true }
            if page.sawTrue && page.sawFalse { return }
        }
    }

    mutating func finishPage() -> EncodedBounds? {
        defer { page = (false, false) }
        chunk = (chunk.sawFalse || page.sawFalse, chunk.sawTrue || page.sawTrue)
        return Self.encode(page)
    }

    var chunkBounds: EncodedBounds? { Self.encode(chunk) }

    private static func encode(_ seen: (sawFalse: Bool, sawTrue: Bool)) -> EncodedBounds? {
        guard seen.sawFalse || seen.sawTrue else { return nil }
        return EncodedBounds(min: [seen.sawFalse ? 0 : 1], max: [seen.sawTrue ? 1 : 0])
    }
}
