// CSV robustness and round trips: random bytes never crash the reader (they parse or
// give a ColumnarError), and whatever strings the writer writes read back unchanged.
import Testing
@testable import TarnColumnar

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite("CSV robustness and round trips")
struct CSVRoundTripTests {
    static let alphabet: [UInt8] = Array("a1,\"\n\r ;-.:TZ+é0".utf8)

    @Test("random input parses or fails with a ColumnarError, never a crash")
    func randomBytes() throws {
        var random = TestRandom(seed: 42)
        var failures = 0
        for _ in 0..<2000 {
            let length = random.below(60)
            let bytes = (0..<length).map { _ in Self.alphabet[random.below(Self.alphabet.count)] }
            var options = CSVReadOptions()
            options.hasHeader = random.below(2) == 0
            options.batchRowCount = 1 + random.below(4)
            options.inferenceRows = 1 + random.below(3)
            do {
                let (schema, batches) = try CSVReader.read(bytes, options: options)
                for batch in batches { #expect(batch.schema == schema) }
            } catch {
                failures += 1
            }
        }
        // Both outcomes must occur, or the generator is not exercising the reader.
        #expect(failures > 0 && failures < 2000)
    }

    @Test("strings with delimiters, quotes, newlines and empties survive write then read", arguments: [1, 2, 3, 4, 5])
    func stringRoundTrip(seed: Int) throws {
        var random = TestRandom(seed: UInt64(seed))
        let pieces = ["a", ",", "\"", "\n", "\r\n", " ", "é", "NULL", "", "x\"y", "🙂"]
        let rows = 50
        var columns: [Column] = []
        for _ in 0..<3 {
            let values: [String?] = (0..<rows).map { _ in
                if random.below(8) == 0 { return nil }
                return (0..<random.below(4)).map { _ in pieces[random.below(pieces.count)] }.joined()
            }
            columns.append(try Column(strings: values))
        }
        let schema = Schema([Field("a", .string), Field("b,c", .string), Field("d\"e", .string)])
        let batch = try RecordBatch(schema: schema, columns: columns)
        let text = CSVWriter().write([batch], schema: schema)
        var options = CSVReadOptions()
        options.columnTypes = ["a": .string, "b,c": .string, "d\"e": .string]
        options.batchRowCount = 7
        let (readSchema, batches) = try CSVReader.read(text, options: options)
        #expect(readSchema.names == schema.names)
        let back = try RecordBatch.concat(batches)
        for c in 0..<3 {
            #expect(KernelFixtures.values(back.columns[c]) == KernelFixtures.values(batch.columns[c]))
        }
    }

    @Test("typed values survive write then read with inference")
    func typedRoundTrip() throws {
        let schema = Schema([Field("i", .int64), Field("f", .float64), Field("d", .date32), Field("t", .timestamp(.utc)), Field("b", .boolean)])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column(.int64, [Int64.min, nil, Int64.max] as [Int64?]),
            try Column(.float64, [0.1, -1e-300, nil] as [Double?]),
            try Column(.date32, scalars: [.date(-719_162), .null, .date(2_932_896)]),
            try Column(.timestamp(.utc), scalars: [.timestamp(-1, .utc), .timestamp(0, .utc), .null]),
            try Column(booleans: [true, nil, false]),
        ])
        let (readSchema, batches) = try CSVReader.read(CSVWriter().write([batch], schema: schema))
        #expect(readSchema.fields.map(\.type) == schema.fields.map(\.type))
        let back = try RecordBatch.concat(batches)
        for c in 0..<schema.count {
            #expect(KernelFixtures.values(back.columns[c]) == KernelFixtures.values(batch.columns[c]))
        }
    }
}
