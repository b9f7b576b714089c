// ParserMutationTests: the parser never crashes or hangs on mangled input. Statements of
// the round-trip corpus are cut, spliced and have characters dropped or repeated by a
// seeded generator; every result is either statements that print and re-parse equal, or
// an SQLError whose location lies inside the text.
import Testing
@testable import TarnSQL

@Suite("Parser: mangled input")
struct ParserMutationTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mangle(_ text: String, _ other: String, using rng: inout SeededGenerator) -> String {
        var chars = Array(text)
        let otherChars = Array(other)
        guard !chars.isEmpty else { return text }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: // cut at a random point
            chars = Array(chars[..<Int.random(in: 0..<chars.count, using: &rng)])
        case 1: // drop a random run
            let start = Int.random(in: 0..<chars.count, using: &rng)
            let end = min(chars.count, start + Int.random(in: 1...6, using: &rng))
            chars.removeSubrange(start..<end)
        case 2: // splice the tail of another statement
            let cut = Int.random(in: 0..<chars.count, using: &rng)
            let from = otherChars.isEmpty ? 0 : Int.random(in: 0..<otherChars.count, using: &rng)
            chars = Array(chars[..<cut]) + Array(otherChars[from...])
        case 3: // repeat a random run
            let start = Int.random(in: 0..<chars.count, using: &rng)
            let end = min(chars.count, start + Int.random(in: 1...8, using: &rng))
            chars.insert(contentsOf: chars[start..<end], at: end)
        default: // insert a troublesome character
            let specials: [Character] = ["(", ")", "'", "\"", "`", ";", ",", ".", "@", "*", "-", "/", "\n", "é"]
            chars.insert(specials[Int.random(in: 0..<specials.count, using: &rng)], at: Int.random(in: 0...chars.count, using: &rng))
        }
        return String(chars)
    }

    @Test("mangled statements parse or fail with a located error; what parses round-trips", arguments: [1, 2, 3, 4])
    func mangled(_ seed: UInt64) {
        var rng = SeededGenerator(state: seed)
        let corpus = ParserRoundTripTests.corpus
        for _ in 0..<600 {
            let text = Self.mangle(corpus[Int.random(in: 0..<corpus.count, using: &rng)],
                                   corpus[Int.random(in: 0..<corpus.count, using: &rng)], using: &rng)
            do {
                for parsed in try SQLParser.parse(text) {
                    let reparsed = try SQLParser.parseStatement(parsed.statement.sql)
                    #expect(reparsed == parsed.statement, "\(text) printed as \(parsed.statement.sql)")
                }
            } catch {
                let location = error.location
                #expect(location != nil, "\(text): \(error.message)")
                if let location {
                    #expect(location.offset >= 0 && location.offset <= text.count, "\(text): \(error.message)")
                    #expect(location.line >= 1 && location.column >= 1)
                }
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("every word listed as a statement start does start a statement")
    func statementKeywordsAreReal() {
        for keyword in StatementParser.statementKeywords {
            do {
                _ = try SQLParser.parse(keyword + " ")
            } catch {
                // The keyword itself is accepted: the error is after it (at the end of input).
                #expect(error.location?.column == keyword.count + 2, "\(keyword): \(error.message)")
            }
        }
    }
}
