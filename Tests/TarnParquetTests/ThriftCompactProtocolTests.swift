// Tests of the Thrift compact protocol reader and writer: wire forms, skipping of
// unknown fields, and the limits that keep hostile input from crashing or allocating.

import Testing
@testable import TarnParquet

@Suite("Thrift compact protocol")
struct ThriftCompactProtocolTests {
    @Test("integers survive a zigzag varint round trip at their extremes", arguments: [
        Int64.min, Int64(Int32.min), -129, -1, 0, 1, 63, 64, 127, 128, 50399, Int64(Int32.max), Int64.max,
    ])
    func integerRoundTrip(value: Int64) throws {
        var writer = CompactWriter()
        writer.writeI64(value)
        if let narrow = Int32(exactly: value) { writer.writeI32(narrow) }
        if let narrow = Int16(exactly: value) { writer.writeI16(narrow) }
        let decoded = try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
            var values = [try reader.readI64()]
            if Int32(exactly: value) != nil { values.append(Int64(try reader.readI32())) }
            if Int16(exactly: value) != nil { values.append(Int64(try reader.readI16())) }
            #expect(reader.remaining == 0)
            return values
        }
        #expect(decoded.allSatisfy { $0 == value })
    }

    @Test("an i32 varint holding a value wider than 32 bits is corrupt")
    func i32OutOfRange() {
        var writer = CompactWriter()
        writer.writeI64(Int64(Int32.max) + 1)
        let error = #expect(throws: ParquetError.self) {
            try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.readI32()
            }
        }
        #expect(error?.code == .corrupt)
    }

    @Test("doubles are little-endian on the wire")
    func doubleLittleEndian() throws {
        var writer = CompactWriter()
        writer.writeDouble(1.0)
        #expect(writer.bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        let value = try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readDouble()
        }
        #expect(value == 1.0)
    }

    @Test("field ids that grow by 1...15 use the short header, others the long form")
    func fieldHeaderForms() throws {
        var writer = CompactWriter()
        let saved = writer.beginStruct()
        writer.writeField(1, i32: 7)  // delta 1: short
        writer.writeField(16, i32: 8)  // delta 15: short
        writer.writeField(40, i32: 9)  // delta 24: long
        writer.writeField(3, i32: 10)  // negative delta: long
        writer.writeField(3, i32: 11)  // zero delta: long
        writer.endStruct(saved)
        #expect(writer.bytes == [
            0x15, 0x0E,
            0xF5, 0x10,
            0x05, 0x50, 0x12,
            0x05, 0x06, 0x14,
            0x05, 0x06, 0x16,
            0x00,
        ])
        let fields = try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
            var fields: [(Int16, Int32)] = []
            let saved = try reader.beginStruct()
            while let header = try reader.readFieldHeader() {
                #expect(header.type == .i32)
                fields.append((header.id, try reader.readI32()))
            }
            reader.endStruct(saved)
            return fields
        }
        #expect(fields.map(\.0) == [1, 16, 40, 3, 3])
        #expect(fields.map(\.1) == [7, 8, 9, 10, 11])
    }

    @Test("a short-form delta after a long-form id counts from that id")
    func deltaAfterLongForm() throws {
        // Long form id 100 (i64), then delta 2 → id 102 (i32), then stop.
        let bytes: [UInt8] = [0x06, 0xC8, 0x01, 0x02, 0x25, 0x04, 0x00]
        let ids = try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
            var ids: [Int16] = []
            let saved = try reader.beginStruct()
            while let header = try reader.readFieldHeader() {
                ids.append(header.id)
                try reader.skip(header.type)
            }
            reader.endStruct(saved)
            return ids
        }
        #expect(ids == [100, 102])
    }

    @Test("a short-form delta that overflows the 16-bit field id is corrupt")
    func fieldIDOverflow() {
        // Long form id 32767, then delta 1.
        let bytes: [UInt8] = [0x03, 0xFE, 0xFF, 0x03, 0x00, 0x13, 0x00, 0x00]
        #expect(throws: ParquetError.self) {
            try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                let saved = try reader.beginStruct()
                while let header = try reader.readFieldHeader() { try reader.skip(header.type) }
                reader.endStruct(saved)
            }
        }
    }

    @Test("bool fields carry their value in the header nibble")
    func boolFields() throws {
        var writer = CompactWriter()
        let saved = writer.beginStruct()
        writer.writeBoolField(1, true)
        writer.writeBoolField(2, false)
        writer.endStruct(saved)
        #expect(writer.bytes == [0x11, 0x12, 0x00])
        let values = try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
            var values: [Bool] = []
            let saved = try reader.beginStruct()
            while let header = try reader.readFieldHeader() {
                #expect(header.type == .bool)
                values.append(try reader.readBool())
            }
            reader.endStruct(saved)
            return values
        }
        #expect(values == [true, false])
    }

    @Test("bools in lists are one byte each, with element type 1 or 2 and false as 0 or 2", arguments: [
        [UInt8]([0x41, 1, 0, 2, 1]),
        [UInt8]([0x42, 1, 0, 2, 1]),
    ])
    func boolsInLists(bytes: [UInt8]) throws {
        let values = try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readList(of: .bool, "bools") { (reader: inout CompactReader) throws(ParquetError) in
                try reader.readBool()
            }
        }
        #expect(values == [true, false, false, true])
    }

    @Test("a bool list element byte other than 0, 1 or 2 is corrupt")
    func badBoolByte() {
        #expect(throws: ParquetError.self) {
            try withCompactReader([0x11, 7]) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.readList(of: .bool, "bools") { (reader: inout CompactReader) throws(ParquetError) in
                    try reader.readBool()
                }
            }
        }
    }

    @Test("lists of 15 or more elements use the long header")
    func longListHeader() throws {
        var writer = CompactWriter()
        let values = (0..<20).map { Int32($0 * 1000 - 5000) }
        writer.writeListHeader(.i32, count: values.count)
        for value in values { writer.writeI32(value) }
        #expect(writer.bytes.prefix(2) == [0xF5, 20])
        let decoded = try withCompactReader(writer.bytes) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readI32List("values")
        }
        #expect(decoded == values)
    }

    @Test("unknown fields of every type, nested, are skipped and decoding resumes after them")
    func nestedSkip() throws {
        var writer = CompactWriter()
        let saved = writer.beginStruct()
        writer.writeField(1, i32: 42)
        // 2: struct { 1: list<map<string, struct{1: bool}>> , 2: double, 3: uuid, 4: set<i8> }
        writer.writeFieldHeader(2, .struct)
        let inner = writer.beginStruct()
        writer.writeFieldHeader(1, .list)
        writer.writeListHeader(.map, count: 2)
        for _ in 0..<2 {
            writer.writeMapHeader(key: .binary, value: .struct, count: 1)
            writer.writeString("key")
            let element = writer.beginStruct()
            writer.writeBoolField(1, true)
            writer.endStruct(element)
        }
        writer.writeFieldHeader(2, .double)
        writer.writeDouble(2.5)
        writer.writeFieldHeader(3, .uuid)
        writer.writeUUID(Array(repeating: 0xAB, count: 16))
        writer.writeFieldHeader(4, .set)
        writer.writeListHeader(.i8, count: 3)
        for byte in [Int8(1), -2, 3] { writer.writeI8(byte) }
        writer.writeFieldHeader(5, .map)
        writer.writeMapHeader(key: .i32, value: .i64, count: 0)
        writer.endStruct(inner)
        writer.writeBoolField(3, false)
        writer.writeField(4, string: "after")
        writer.endStruct(saved)

        let (number, flag, text) = try withCompactReader(writer.bytes) {
            (reader: inout CompactReader) throws(ParquetError) -> (Int32?, Bool?, String?) in
            var number: Int32?
            var flag: Bool?
            var text: String?
            let saved = try reader.beginStruct()
            while let header = try reader.readFieldHeader() {
                switch (header.id, header.type) {
                case (1, .i32): number = try reader.readI32()
                case (3, .bool): flag = try reader.readBool()
                case (4, .binary): text = try reader.readString()
                default: try reader.skip(header.type)
                }
            }
            reader.endStruct(saved)
            #expect(reader.remaining == 0)
            #expect(reader.depth == 0)
            return (number, flag, text)
        }
        #expect(number == 42)
        #expect(flag == false)
        #expect(text == "after")
    }

    @Test("structs nested deeper than the limit throw instead of recursing")
    func deepStructNesting() {
        // Unknown field 1 of type struct, nested 100 times, then 100 stops.
        let bytes = [UInt8](repeating: 0x1C, count: 100) + [UInt8](repeating: 0, count: 101)
        let error = #expect(throws: ParquetError.self) {
            try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.skip(.struct)
            }
        }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("nesting") == true)
    }

    @Test("lists nested deeper than the limit throw instead of recursing")
    func deepListNesting() {
        // list<list<list<...>>> of one element each, 10 000 deep.
        let bytes = [UInt8](repeating: 0x19, count: 10_000) + [0x00]
        let error = #expect(throws: ParquetError.self) {
            try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.skip(.list)
            }
        }
        #expect(error?.message.contains("nesting") == true)
    }

    @Test("nesting exactly at the limit is accepted")
    func nestingAtLimit() throws {
        let depth = CompactReader.defaultMaximumDepth
        let bytes = [UInt8](repeating: 0x1C, count: depth - 1) + [UInt8](repeating: 0, count: depth)
        try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.skip(.struct)
            #expect(reader.remaining == 0)
        }
    }

    @Test("absurd container counts and binary lengths throw before allocating", arguments: [
        // list header, long form, count 2^31-1 of i64
        [UInt8]([0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x01]),
        // list count larger than Int32
        [UInt8]([0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        // list of 100 doubles with 16 bytes left
        [UInt8]([0xF7, 100]) + [UInt8](repeating: 0, count: 16),
        // list of 2 UUIDs with 20 bytes left
        [UInt8]([0x2D]) + [UInt8](repeating: 0, count: 20),
        // map of 1 000 000 entries
        [UInt8]([0xC0, 0x84, 0x3D, 0x55, 0x01, 0x02]),
        // varint longer than 10 bytes
        [UInt8]([0xF6]) + [UInt8](repeating: 0xFF, count: 12),
    ])
    func absurdCounts(bytes: [UInt8]) {
        for type in [ThriftType.list, .map] where (bytes[0] == 0xC0) == (type == .map) {
            let error = #expect(throws: ParquetError.self) {
                try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                    try reader.skip(type)
                }
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("a binary length beyond the remaining bytes throws", arguments: [
        [UInt8]([0x80, 0x80, 0x80, 0x80, 0x08]),  // 2^31
        [UInt8]([0x05, 0x61, 0x62]),  // 5 with 2 left
        [UInt8]([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),  // 2^64-1
    ])
    func absurdBinaryLength(bytes: [UInt8]) {
        #expect(throws: ParquetError.self) {
            try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.readBinary()
            }
        }
        #expect(throws: ParquetError.self) {
            try withCompactReader(bytes) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.skip(.binary)
            }
        }
    }

    @Test("unknown field type nibbles are corrupt", arguments: [UInt8(0x1E), 0x1F])
    func unknownFieldType(byte: UInt8) {
        #expect(throws: ParquetError.self) {
            try withCompactReader([byte, 0, 0]) { (reader: inout CompactReader) throws(ParquetError) in
                _ = try reader.readFieldHeader()
            }
        }
    }

    @Test("a list of a different element type than expected is corrupt, an empty one is not")
    func listElementTypeMismatch() throws {
        #expect(throws: ParquetError.self) {
            try withCompactReader([0x18, 0x00]) { (reader: inout CompactReader) throws(ParquetError) in
                try reader.readI32List("values")
            }
        }
        let empty = try withCompactReader([0x08]) { (reader: inout CompactReader) throws(ParquetError) in
            try reader.readI32List("values")
        }
        #expect(empty.isEmpty)
    }
}
