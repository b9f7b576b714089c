// Hostile-input sweep over the PLAIN, BYTE_STREAM_SPLIT, dictionary and RLE decoders:
// random bytes with random and absurd counts must throw ParquetError (never trap,
// hang or allocate in proportion to a count the bytes cannot back).

import Testing
@testable import TarnParquet

@Suite("Encodings under hostile input")
struct EncodingHostileInputTests {
    static let hugeCounts = [Int.max, Int.max / 2, Int(Int32.max), 1 << 40, -1, Int.min]

    @Test("absurd counts are refused before allocating", arguments: hugeCounts)
    func absurdCounts(count: Int) {
        let bytes: [UInt8] = [0x02, 0x01, 0x03, 0x00, 0x00, 0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]
        encWithRaw(bytes) { raw in
            var ints: [Int64] = []
            var int96: [Int96] = []
            var micros: [Int64] = []
            var bools: [Bool] = []
            var offsets: [Int32] = []
            var data: [UInt8] = []
            var levels: [Int32] = []
            var floats: [Float] = []
            #expect(throws: ParquetError.self) { try PlainDecoder.decode(raw, count: count, appendingTo: &ints) }
            #expect(throws: ParquetError.self) { try PlainDecoder.decode(raw, count: count, appendingTo: &int96) }
            #expect(throws: ParquetError.self) { try PlainDecoder.decodeInt96Timestamps(raw, count: count, appendingTo: &micros) }
            #expect(throws: ParquetError.self) { try PlainDecoder.decodeBooleans(raw, count: count, appendingTo: &bools) }
            #expect(throws: ParquetError.self) { try PlainDecoder.decodeByteArrays(raw, count: count, offsets: &offsets, data: &data) }
            #expect(throws: ParquetError.self) { try PlainDecoder.decodeFixedLengthByteArrays(raw, count: count, typeLength: 3, appendingTo: &data) }
            #expect(throws: ParquetError.self) { try ByteStreamSplit.decode(raw, count: count, appendingTo: &floats) }
            #expect(throws: ParquetError.self) { try RLEBitPackedHybrid.decode(raw, bitWidth: 1, count: count, appendingTo: &levels) }
            #expect(throws: ParquetError.self) { try DeltaLengthByteArray.decode(raw, count: count, offsets: &offsets, data: &data) }
            #expect(throws: ParquetError.self) { try DeltaByteArray.decode(raw, count: count, offsets: &offsets, data: &data) }
        }
    }

    @Test("an RLE count far beyond what the runs hold fails without allocating it")
    func rleCountBeyondRuns() {
        // One run of 5 values, 2^40 asked for.
        var out: [Int32] = []
        let error = #expect(throws: ParquetError.self) {
            _ = try encWithRaw([0x0A, 0x01]) { try RLEBitPackedHybrid.decode($0, bitWidth: 1, count: 1 << 40, appendingTo: &out) }
        }
        #expect(error?.code == .corrupt)
        // Bit width 0 bit-packed runs cost no bytes: a legitimately large count still decodes.
        // Header 601 = 300 groups of 8.
        _ = try? encWithRaw([0xD9, 0x04]) { try RLEBitPackedHybrid.decode($0, bitWidth: 0, count: 2000, appendingTo: &out) }
        #expect(out.count == 2000)
        #expect(out.allSatisfy { $0 == 0 })
    }

    @Test("random bytes with random counts throw or decode for every decoder")
    func randomSweep() {
        var generator = EncSeededGenerator(seed: 1234)
        for _ in 0..<3000 {
            let bytes = generator.bytes(Int.random(in: 0...64, using: &generator))
            let count = Int.random(in: 0...100, using: &generator)
            encWithRaw(bytes) { raw in
                var doubles: [Double] = []
                var ints: [Int32] = []
                var bools: [Bool] = []
                var offsets: [Int32] = []
                var data: [UInt8] = []
                _ = try? PlainDecoder.decode(raw, count: count, appendingTo: &doubles)
                _ = try? PlainDecoder.decodeBooleans(raw, count: count, appendingTo: &bools)
                _ = try? PlainDecoder.decodeByteArrays(raw, count: count, offsets: &offsets, data: &data)
                _ = try? PlainDecoder.decodeFixedLengthByteArrays(raw, count: count, typeLength: Int.random(in: 1...16, using: &generator), appendingTo: &data)
                _ = try? ByteStreamSplit.decode(raw, count: count, appendingTo: &ints)
                _ = try? RLEBitPackedHybrid.decodeLengthPrefixed(raw, bitWidth: count % 33, count: count, appendingTo: &ints)
                if let dictionary = try? ByteArrayDictionary(plain: raw, count: count % 4) {
                    let indices = (0..<count).map { _ in Int32.random(in: -2...5, using: &generator) }
                    _ = try? DictionaryDecoding.gatherByteArrays(dictionary, indices: indices, offsets: &offsets, data: &data)
                }
                for offset in offsets.dropFirst() { #expect(Int(offset) <= data.count) }
            }
        }
    }
}
