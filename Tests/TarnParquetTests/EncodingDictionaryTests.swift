// Tests of dictionary gathering: fixed-width and byte-array dictionaries, indices
// checked against the dictionary size, and malformed dictionaries refused.

import Testing
@testable import TarnParquet

@Suite("Dictionary gathering")
struct EncodingDictionaryTests {
    @Test("fixed-width values are gathered by index and appended")
    func fixedWidth() throws {
        var out: [Double] = [0.5]
        try DictionaryDecoding.gather([10.0, 20.0, 30.0], indices: [2, 0, 0, 1], appendingTo: &out)
        #expect(out == [0.5, 30.0, 10.0, 10.0, 20.0])
    }

    @Test("out-of-range and negative indices throw .corrupt and append nothing",
          arguments: [[Int32(3)], [0, 1, 7], [-1], [Int32.min]])
    func outOfRange(indices: [Int32]) {
        var out: [Int64] = []
        let error = #expect(throws: ParquetError.self) {
            try DictionaryDecoding.gather([Int64(1), 2, 3], indices: indices, appendingTo: &out)
        }
        #expect(error?.code == .corrupt)
        #expect(out.isEmpty)
    }

    @Test("an empty dictionary accepts no index but an empty index list")
    func emptyDictionary() throws {
        var out: [Int32] = []
        try DictionaryDecoding.gather([Int32](), indices: [], appendingTo: &out)
        #expect(out.isEmpty)
        #expect(throws: ParquetError.self) { try DictionaryDecoding.gather([Int32](), indices: [0], appendingTo: &out) }
    }

    @Test("byte arrays are gathered into offsets + data")
    func byteArrays() throws {
        let plain: [UInt8] = [2, 0, 0, 0] + Array("hi".utf8) + [0, 0, 0, 0] + [5, 0, 0, 0] + Array("tarns".utf8)
        let dictionary = try encWithRaw(plain) { try ByteArrayDictionary(plain: $0, count: 3) }
        #expect(dictionary.count == 3)
        var offsets: [Int32] = []
        var data: [UInt8] = []
        try DictionaryDecoding.gatherByteArrays(dictionary, indices: [2, 0, 1, 2], offsets: &offsets, data: &data)
        #expect(offsets == [0, 5, 7, 7, 12])
        #expect(data == Array("tarnshitarns".utf8))
        try DictionaryDecoding.gatherByteArrays(dictionary, indices: [1, 1], offsets: &offsets, data: &data)
        #expect(offsets == [0, 5, 7, 7, 12, 12, 12])
        let error = #expect(throws: ParquetError.self) {
            try DictionaryDecoding.gatherByteArrays(dictionary, indices: [0, 3], offsets: &offsets, data: &data)
        }
        #expect(error?.code == .corrupt)
        #expect(offsets.count == 7)
    }

    @Test("malformed dictionary offsets are refused when the dictionary is built",
          arguments: [[Int32(0), 5], [0, 2, 1], [-1, 0], [1, 0]])
    func badDictionary(offsets: [Int32]) {
        let error = #expect(throws: ParquetError.self) { try ByteArrayDictionary(offsets: offsets, data: [1, 2, 3]) }
        #expect(error?.code == .corrupt)
    }

    @Test("dictionary indices decoded from RLE gather end to end")
    func fromRLE() throws {
        let indices: [Int32] = (0..<1000).map { Int32(($0 * 7) % 5) }
        let encoded = try RLEBitPackedHybrid.encode(indices, bitWidth: 3)
        var decoded: [Int32] = []
        _ = try encWithRaw(encoded) { try RLEBitPackedHybrid.decode($0, bitWidth: 3, count: indices.count, appendingTo: &decoded) }
        var out: [Int32] = []
        try DictionaryDecoding.gather([100, 101, 102, 103, 104], indices: decoded, appendingTo: &out)
        #expect(out == indices.map { 100 + $0 })
    }
}
