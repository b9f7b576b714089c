// Robustness: any bytes or token soup into the lexer and parser gives a tree or an
// ExpressionError — never a crash or a hang; nesting depth is bounded.
import Testing
import TarnExpression

@Suite("Parser robustness")
struct ParserRobustnessTests {
    @Test("random byte strings give a result or an ExpressionError")
    func randomBytes() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<40, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? ExpressionParser.parse(text)
        }
    }

    @Test("random token soups give a result or an ExpressionError")
    func tokenSoup() {
        let pieces = ["a", "b.c", "1", "2.5", "'s'", "(", ")", ",", "+", "-", "*", "/", "%", "||", "::", "int", "=", "<", ">=",
                      "AND", "OR", "NOT", "IS", "NULL", "IN", "BETWEEN", "LIKE", "ESCAPE", "CASE", "WHEN", "THEN", "ELSE", "END",
                      "CAST", "AS", "EXTRACT", "FROM", "DATE", "INTERVAL", "DISTINCT", "count", "*", "DECIMAL", "<", ">", "TRUE",
                      "ARRAY", "STRUCT", ":", "[", "]", "@", ";", "\"q\"", "TIMESTAMP", "'2024-01-01'", "DAY"]
        var random = SplitMix64(seed: 7)
        var parsed = 0
        for _ in 0..<5000 {
            let n = Int.random(in: 1..<25, using: &random)
            let text = (0..<n).map { _ in pieces.randomElement(using: &random) ?? "a" }.joined(separator: " ")
            if let e = try? ExpressionParser.parse(text) {
                parsed += 1
                // Whatever parses prints back to the same tree.
                #expect((try? ExpressionParser.parse(e.sql)) == e, "\(text)")
            }
        }
        #expect(parsed > 0)
    }

    /// Each case repeats `unit` 20,000 times between `head` and `tail`.
    @Test("deep nesting is an error, not a stack overflow", arguments: [
        ("", "(", "1"), ("", "- ", "1"), ("", "NOT ", "a"), ("a", " + a", ""), ("a", " OR a", ""),
        ("a", "::int", ""), ("CAST(a AS ", "ARRAY<", "INT"), ("", "f(", ""), ("", "CASE WHEN ", ""),
        ("", "a IN (", ""), ("a", " = a", ""), ("a", " IS NULL", ""), ("a", " || a", ""),
    ])
    func deepNesting(head: String, unit: String, tail: String) {
        let text = head + String(repeating: unit, count: 20_000) + tail
        #expect {
            try ExpressionParser.parse(text)
        } throws: { error in
            (error as? ExpressionError)?.message.contains("nested too deeply") ?? false
        }
    }

    @Test("nesting up to the budget parses and prints")
    func nestingWithinBudget() throws {
        let depth = 200
        let text = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try ExpressionParser.parse(text) == ExpressionParser.parse("1"))
        let chain = "a" + String(repeating: " + a", count: 200)
        let tree = try ExpressionParser.parse(chain)
        #expect(try ExpressionParser.parse(tree.sql) == tree)
    }
}
