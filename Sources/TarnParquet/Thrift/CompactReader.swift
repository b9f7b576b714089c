// CompactReader: decodes the Thrift compact protocol from bytes of a Parquet file.
// Owns field headers, primitives, container headers, struct nesting and skipping of
// unknown fields. Must never trap, allocate from an unchecked length, or recurse
// deeper than `maximumDepth` (spec/thrift-compact.md lists every limit).

/// One field header of a struct: the field id and its wire type.
public struct ThriftFieldHeader: Sendable, Equatable {
    public var id: Int16
    public var type: ThriftType

    public init(id: Int16, type: ThriftType) {
        self.id = id
        self.type = type
    }
}

/// A list or set header: element type and a count already checked against the
/// bytes that remain (each element needs at least `minimumEncodedSize` bytes).
public struct ThriftListHeader: Sendable, Equatable {
    public var elementType: ThriftType
    public var count: Int
}

/// A map header: key/value types and a checked count. Types are nil for an empty map.
public struct ThriftMapHeader: Sendable, Equatable {
    public var keyType: ThriftType?
    public var valueType: ThriftType?
    public var count: Int
}

/// A forward-only compact-protocol decoder over borrowed bytes.
///
/// Structs are read as `let saved = try reader.beginStruct()`, a loop of
/// `readFieldHeader()` until it returns nil (the stop field), then
/// `reader.endStruct(saved)`. The saved value is the enclosing struct's last field
/// id: the field-id stack lives in the callers' frames, so nesting costs no
/// allocation. Nesting (structs and containers) deeper than `maximumDepth` throws.
public struct CompactReader {
    /// Deepest nesting of structs, lists, sets and maps accepted.
    public static let defaultMaximumDepth = 64

    public var input: ByteReader
    public let maximumDepth: Int
    /// Current nesting depth (structs and containers being read or skipped).
    public private(set) var depth: Int = 0
    private var lastFieldID: Int16 = 0
    /// Value of a bool carried in the last field header: 0 none, 1 true, 2 false.
    private var pendingBool: UInt8 = 0

    /// The caller keeps `bytes` alive while the reader is used. `base` is the file
    /// offset of `bytes[0]`, so errors name file offsets.
    public init(_ bytes: UnsafeRawBufferPointer, base: Int = 0, maximumDepth: Int = CompactReader.defaultMaximumDepth) {
        self.input = ByteReader(bytes, base: base)
        self.maximumDepth = maximumDepth
    }

    /// Bytes consumed so far.
    public var position: Int { input.position }
    public var remaining: Int { input.remaining }
    public var absoluteOffset: Int { input.absoluteOffset }

    // MARK: Errors

    func corrupt(_ message: String) -> ParquetError {
        .corrupt(message, offset: input.absoluteOffset)
    }

    /// The error for a required field that a struct did not contain.
    public func missing(_ structName: String, _ field: String) -> ParquetError {
        .corrupt("\(structName): required field \(field) is missing", offset: input.absoluteOffset)
    }

    // MARK: Structs

    /// Enters a struct; returns the enclosing struct's last field id for `endStruct`.
    @inline(__always)
    public mutating func beginStruct() throws(ParquetError) -> Int16 {
        try enter("struct")
        let saved = lastFieldID
        lastFieldID = 0
        return saved
    }

    /// Leaves a struct whose stop field has been read.
    @inline(__always)
    public mutating func endStruct(_ saved: Int16) {
        lastFieldID = saved
        depth -= 1
    }

    @inline(__always)
    mutating func enter(_ what: StaticString) throws(ParquetError) {
        if depth >= maximumDepth {
            throw corrupt("Thrift nesting deeper than \(maximumDepth) at a \(what)")
        }
        depth += 1
    }

    /// Reads the next field header, or nil at the stop field.
    @inline(__always)
    public mutating func readFieldHeader() throws(ParquetError) -> ThriftFieldHeader? {
        let byte = try input.readByte()
        if byte == 0 { return nil }
        let nibble = byte & 0x0F
        guard let type = ThriftType(nibble: nibble) else {
            throw ParquetError.corrupt("unknown Thrift field type \(nibble)", offset: input.absoluteOffset - 1)
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            let (sum, overflow) = lastFieldID.addingReportingOverflow(delta)
            if overflow { throw corrupt("Thrift field id overflows 16 bits") }
            id = sum
        }
        lastFieldID = id
        pendingBool = type == .bool ? nibble : 0
        return ThriftFieldHeader(id: id, type: type)
    }

    // MARK: Primitives

    /// A bool: from the last field header when it was a bool field, otherwise one
    /// container byte (1 true; 0 or 2 false, as writers differ).
    @inline(__always)
    public mutating func readBool() throws(ParquetError) -> Bool {
        if pendingBool != 0 {
            let value = pendingBool == 1
            pendingBool = 0
            return value
        }
        let byte = try input.readByte()
        switch byte {
        case 1: return true
        case 0, 2: return false
        default: throw ParquetError.corrupt("invalid Thrift bool byte \(byte)", offset: input.absoluteOffset - 1)
        }
    }

    @inline(__always)
    public mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try input.readByte())
    }

    @inline(__always)
    public mutating func readI16() throws(ParquetError) -> Int16 {
        let value = try input.readZigZag()
        guard let narrow = Int16(exactly: value) else { throw corrupt("Thrift i16 \(value) out of range") }
        return narrow
    }

    @inline(__always)
    public mutating func readI32() throws(ParquetError) -> Int32 {
        let value = try input.readZigZag()
        guard let narrow = Int32(exactly: value) else { throw corrupt("Thrift i32 \(value) out of range") }
        return narrow
    }

    @inline(__always)
    public mutating func readI64() throws(ParquetError) -> Int64 {
        try input.readZigZag()
    }

    @inline(__always)
    public mutating func readDouble() throws(ParquetError) -> Double {
        Double(bitPattern: try input.readLittleEndian(UInt64.self))
    }

    /// Binary bytes borrowed from the input; the length is checked before use.
    @inline(__always)
    public mutating func readBinaryBuffer() throws(ParquetError) -> UnsafeRawBufferPointer {
        let length = try input.readLength(limit: input.remaining, "Thrift binary length")
        return try input.readBytes(length)
    }

    /// Binary copied into an array (the only allocation, sized by checked bytes).
    public mutating func readBinary() throws(ParquetError) -> [UInt8] {
        Array(try readBinaryBuffer())
    }

    /// A string; invalid UTF-8 is replaced with U+FFFD rather than rejected.
    public mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinaryBuffer(), as: UTF8.self)
    }

    /// A 16-byte UUID in wire (big-endian) order.
    public mutating func readUUID() throws(ParquetError) -> [UInt8] {
        Array(try input.readBytes(16))
    }

    // MARK: Containers

    /// A list or set header. The count is checked against the bytes that remain.
    public mutating func readListHeader() throws(ParquetError) -> ThriftListHeader {
        let start = input.absoluteOffset
        let byte = try input.readByte()
        let nibble = byte & 0x0F
        guard let elementType = ThriftType(nibble: nibble) else {
            throw ParquetError.corrupt("unknown Thrift list element type \(nibble)", offset: start)
        }
        var count = Int(byte >> 4)
        if count == 15 {
            count = try input.readLength(limit: Int(Int32.max), "Thrift list size")
        }
        let perElement = elementType.minimumEncodedSize
        if count > input.remaining / perElement {
            throw ParquetError.corrupt(
                "Thrift list of \(count) \(elementType) elements cannot fit in the \(input.remaining) bytes that remain",
                offset: start)
        }
        return ThriftListHeader(elementType: elementType, count: count)
    }

    /// A map header. The count is checked against the bytes that remain.
    public mutating func readMapHeader() throws(ParquetError) -> ThriftMapHeader {
        let start = input.absoluteOffset
        let count = try input.readLength(limit: Int(Int32.max), "Thrift map size")
        if count == 0 { return ThriftMapHeader(keyType: nil, valueType: nil, count: 0) }
        let byte = try input.readByte()
        guard let keyType = ThriftType(nibble: byte >> 4), let valueType = ThriftType(nibble: byte & 0x0F) else {
            throw ParquetError.corrupt("unknown Thrift map key/value types 0x\(String(byte, radix: 16))", offset: start)
        }
        let perEntry = keyType.minimumEncodedSize + valueType.minimumEncodedSize
        if count > input.remaining / perEntry {
            throw ParquetError.corrupt(
                "Thrift map of \(count) entries cannot fit in the \(input.remaining) bytes that remain", offset: start)
        }
        return ThriftMapHeader(keyType: keyType, valueType: valueType, count: count)
    }

    /// Reads a list whose elements must be `elementType` (an empty list may carry
    /// any element type). `element` decodes one element.
    @inline(__always)
    public mutating func readList<Element>(
        of elementType: ThriftType,
        _ what: @autoclosure () -> String,
        _ element: (inout CompactReader) throws(ParquetError) -> Element
    ) throws(ParquetError) -> [Element] {
        let header = try readListHeader()
        if header.count == 0 { return [] }
        guard header.elementType == elementType else {
            throw corrupt("\(what()): expected a list of \(elementType), found \(header.elementType)")
        }
        var result: [Element] = []
        // The count is bounded by the remaining bytes, but an element in memory can be
        // far larger than its encoding; cap the up-front reservation.
        result.reserveCapacity(Swift.min(header.count, 1024))
        for _ in 0..<header.count {
            result.append(try element(&self))
        }
        return result
    }

    /// Reads a list of structs.
    public mutating func readStructList<Element: CompactCodable>(
        _ type: Element.Type, _ what: @autoclosure () -> String
    ) throws(ParquetError) -> [Element] {
        try readList(of: .struct, what()) { (reader: inout CompactReader) throws(ParquetError) in
            try Element(from: &reader)
        }
    }

    /// Reads a list of i32 (enum values in Parquet metadata).
    public mutating func readI32List(_ what: @autoclosure () -> String) throws(ParquetError) -> [Int32] {
        try readList(of: .i32, what()) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readI32()
        }
    }

    /// Reads a list of i64.
    public mutating func readI64List(_ what: @autoclosure () -> String) throws(ParquetError) -> [Int64] {
        try readList(of: .i64, what()) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readI64()
        }
    }

    /// Reads a list of strings.
    public mutating func readStringList(_ what: @autoclosure () -> String) throws(ParquetError) -> [String] {
        try readList(of: .binary, what()) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readString()
        }
    }

    // MARK: Skipping

    /// Skips one value of `type`: an unknown field or element, of any nesting.
    public mutating func skip(_ type: ThriftType) throws(ParquetError) {
        switch type {
        case .bool:
            _ = try readBool()
        case .i8:
            try input.skip(1)
        case .i16, .i32, .i64:
            _ = try input.readULEB128()
        case .double:
            try input.skip(8)
        case .uuid:
            try input.skip(16)
        case .binary:
            let length = try input.readLength(limit: input.remaining, "Thrift binary length")
            try input.skip(length)
        case .struct:
            let saved = try beginStruct()
            while let field = try readFieldHeader() {
                try skip(field.type)
            }
            endStruct(saved)
        case .list, .set:
            try enter("list")
            let header = try readListHeader()
            for _ in 0..<header.count {
                try skip(header.elementType)
            }
            depth -= 1
        case .map:
            try enter("map")
            let header = try readMapHeader()
            if let keyType = header.keyType, let valueType = header.valueType {
                for _ in 0..<header.count {
                    try skip(keyType)
                    try skip(valueType)
                }
            }
            depth -= 1
        }
    }
}

/// A Thrift struct that reads itself from, and writes itself to, the compact protocol.
public protocol CompactCodable: Sendable, Equatable {
    init(from reader: inout CompactReader) throws(ParquetError)
    func encode(to writer: inout CompactWriter)
}
