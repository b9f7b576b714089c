// Robustness of the reader on damaged files: truncation at every footer boundary and at
// random offsets, seeded random byte flips (>= 1,000 mutations), and absurd lengths.
// Every read must either succeed or throw ParquetError — never crash, hang or balloon.

import Testing
import TarnColumnar
@testable import TarnParquet

@Suite("Reader: hostile files")
struct ReaderHostileTests {
    /// Tight limits keep each damaged read fast in debug builds; the defaults are
    /// exercised by the other suites.
    static let options = ParquetReadOptions(maxPageSize: 1 << 20, maxValuesPerPage: 1 << 16, maxFooterSize: 1 << 20)

    /// A small deterministic generator (PCG-style LCG), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    /// Opens and reads everything; returns true when it succeeded. Errors are ParquetError
    /// by the API's typed throws; the test fails only by crashing.
    @discardableResult
    static func attempt(_ bytes: [UInt8]) -> Bool {
        do {
            let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "hostile.parquet", options: options)
            _ = try reader.read()
            for group in 0..<reader.rowGroupCount {
                for name in reader.schema.names { _ = reader.statistics(rowGroup: group, column: name) }
            }
            return true
        } catch {
            #expect(error.file == "hostile.parquet")
            return false
        }
    }

    static func footerStart(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        let length = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        return n - 8 - length
    }

    @Test("every fixture reads cleanly before damage", arguments: ReaderFixtures.names)
    func pristine(fixture: String) throws {
        let bytes = try #require(ReaderFixtures.bytes(fixture))
        #expect(Self.attempt(bytes))
    }

    @Test("truncation at every byte of the footer and at random offsets fails cleanly", arguments: ReaderFixtures.names)
    func truncation(fixture: String) throws {
        let bytes = try #require(ReaderFixtures.bytes(fixture))
        let start = Self.footerStart(bytes)
        for cut in max(0, start - 8)..<bytes.count {
            #expect(!Self.attempt(Array(bytes[..<cut])))
        }
        var random = Generator(state: UInt64(bytes.count))
        for _ in 0..<20 {
            #expect(!Self.attempt(Array(bytes[..<random.below(bytes.count)])))
        }
    }

    @Test("data pages cut short inside a kept footer fail cleanly", arguments: ReaderFixtures.names)
    func zeroedData(fixture: String) throws {
        let bytes = try #require(ReaderFixtures.bytes(fixture))
        let start = Self.footerStart(bytes)
        var random = Generator(state: 7 &+ UInt64(bytes.count))
        for _ in 0..<20 {
            var damaged = bytes
            let from = 4 + random.below(max(1, start - 4))
            let to = min(start, from + 1 + random.below(64))
            for i in from..<to { damaged[i] = 0 }
            Self.attempt(damaged)
        }
    }

    @Test("1,200 seeded random byte flips never crash")
    func byteFlips() throws {
        var random = Generator(state: 0x5EED)
        let fixtures = try ReaderFixtures.names.map { try #require(ReaderFixtures.bytes($0)) }
        var succeeded = 0
        for round in 0..<1200 {
            var bytes = fixtures[round % fixtures.count]
            let start = Self.footerStart(bytes)
            let flips = 1 + random.below(3)
            for _ in 0..<flips {
                // Half the flips land in the footer, where one bit changes the most.
                let position = random.below(2) == 0 ? start + random.below(bytes.count - 8 - start) : random.below(bytes.count)
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
            }
            if Self.attempt(bytes) { succeeded += 1 }
        }
        // Some flips land in padding or values and still read; most must not.
        #expect(succeeded < 1200)
    }

    @Test("absurd lengths and counts written over real fields fail cleanly")
    func absurdLengths() throws {
        var random = Generator(state: 0xABCD)
        let patterns: [[UInt8]] = [
            [0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0x00, 0x00, 0x00, 0x80],
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0xFE, 0xFF, 0xFF, 0xFF, 0x0F],
        ]
        for fixture in ReaderFixtures.names {
            let original = try #require(ReaderFixtures.bytes(fixture))
            // The footer length itself.
            for length: UInt32 in [0, 1, UInt32(original.count), UInt32(original.count - 8), .max] {
                var bytes = original
                withUnsafeBytes(of: length.littleEndian) { for (k, b) in $0.enumerated() { bytes[bytes.count - 8 + k] = b } }
                #expect(!Self.attempt(bytes))
            }
            // Huge varints and lengths at random places, mostly inside the footer.
            for _ in 0..<30 {
                var bytes = original
                let pattern = patterns[random.below(patterns.count)]
                let start = Self.footerStart(bytes)
                let position = random.below(3) == 0 ? random.below(bytes.count - pattern.count) : start + random.below(max(1, bytes.count - 8 - start - pattern.count))
                for (k, b) in pattern.enumerated() where position + k < bytes.count - 8 { bytes[position + k] = b }
                Self.attempt(bytes)
            }
        }
    }

    @Test("a page larger than maxPageSize is refused before decompression")
    func pageLimit() throws {
        let bytes = try #require(ReaderFixtures.bytes("flat_v1_snappy_dict"))
        let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: "small-limit.parquet", options: ParquetReadOptions(maxPageSize: 8))
        do {
            _ = try reader.read()
            Issue.record("expected the page limit to refuse a page")
        } catch {
            #expect(error.code == .corrupt)
            #expect(error.column != nil)
            #expect(error.offset != nil)
            #expect(error.description.contains("small-limit.parquet"))
        }
    }

    @Test("an input that fails to read surfaces as an I/O error naming the file")
    func failingInput() throws {
        struct Failing: ParquetInput {
            var size: Int { 1000 }
            func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] { throw ParquetError(.io, "disk on fire") }
        }
        do {
            _ = try ParquetFileReader(input: Failing(), name: "failing.parquet")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .io)
            #expect(error.file == "failing.parquet")
        }
    }
}
