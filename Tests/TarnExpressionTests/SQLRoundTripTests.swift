// Expression.sql: printed SQL parses back to an equal tree, for written and random trees.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Expression SQL round trip")
struct SQLRoundTripTests {
    @Test("printing then parsing gives the same tree", arguments: [
        "a + b * c", "(a + b) * c", "a - (b - c)", "a / (b * c)", "-(a + b)", "- -a", "-(-5)", "NOT (a AND b)",
        "(a OR b) AND c", "a OR b AND c", "a || b || 'x'", "(a = b) = c", "a = (b = c)", "(a < b) IS NULL",
        "a IS NOT NULL AND b IS TRUE", "x NOT IN (1, 2, NULL)", "x BETWEEN a + 1 AND (b OR c)",
        "(x BETWEEN 1 AND 2) BETWEEN TRUE AND TRUE", "s LIKE 'a%' ESCAPE '\\\\'", "s NOT ILIKE 'a_''b'",
        "CASE WHEN a > 1 THEN 'big' WHEN a IS NULL THEN NULL ELSE 'small' END", "CASE x WHEN 1 THEN 2 END",
        "CAST(a AS DECIMAL(12,3))", "a::STRUCT<x: INT, \"y z\": ARRAY<MAP<STRING,DOUBLE>>>", "count(*)", "count(DISTINCT a, b)",
        "lower(\"Name\") = 'bob'", "\"select\".\"from\" + \"a b\"", "t.*", "*", "EXTRACT(DOW FROM ts)",
        "DATE '2024-01-31' + INTERVAL '3' DAY", "TIMESTAMP '2024-01-01T10:00:00Z'", "TIMESTAMP_NTZ '2024-01-01 10:00'",
        "1.5e3 + .5 - 99999999999999999999", "a IS DISTINCT FROM b", "a <=> b", "current_timestamp", "left(s, 3)",
        "version + 1", "x % 2 = 0 AND NOT y", "-x::int", "(-x)::int",
    ])
    func roundTrip(text: String) throws {
        let parsed = try ExpressionParser.parse(text)
        let printed = parsed.sql
        let reparsed = try ExpressionParser.parse(printed)
        #expect(reparsed == parsed, "\(text) printed as \(printed)")
        #expect(reparsed.sql == printed)
    }

    @Test("random trees round-trip through their SQL text")
    func randomTrees() throws {
        var random = SplitMix64(seed: 0x5eed)
        for _ in 0..<2000 {
            let tree = RandomExpression.make(depth: 5, &random)
            let printed = tree.sql
            let reparsed = try ExpressionParser.parse(printed)
            #expect(reparsed == tree, "printed as \(printed)")
        }
    }

    @Test("equality ignores locations but not structure")
    func equality() throws {
        let a = try ExpressionParser.parse("x + 1")
        let b = try ExpressionParser.parse("  x+1")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.location != b.location)
        #expect(try a != ExpressionParser.parse("1 + x"))
    }
}

/// A small deterministic generator (SplitMix64) so random tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomExpression {
    static let here = SourceLocation.start

    static func make(depth: Int, _ r: inout SplitMix64) -> Expression {
        if depth == 0 || Int.random(in: 0..<4, using: &r) == 0 { return leaf(&r) }
        let d = depth - 1
        switch Int.random(in: 0..<12, using: &r) {
        case 0: return .unary(.not, make(depth: d, &r), at: here)
        case 1: return .unary(.negate, make(depth: d, &r), at: here)
        case 2, 3:
            let op = BinaryOperator.allCases.randomElement(using: &r) ?? .add
            return .binary(op, make(depth: d, &r), make(depth: d, &r), at: here)
        case 4: return .isNull(make(depth: d, &r), negated: Bool.random(using: &r), at: here)
        case 5: return .inList(make(depth: d, &r), [make(depth: d, &r), leaf(&r)], negated: Bool.random(using: &r), at: here)
        case 6:
            return .between(make(depth: d, &r), low: make(depth: d, &r), high: make(depth: d, &r),
                            negated: Bool.random(using: &r), at: here)
        case 7:
            return .like(make(depth: d, &r), pattern: make(depth: d, &r), escape: Bool.random(using: &r) ? leaf(&r) : nil,
                         caseInsensitive: Bool.random(using: &r), negated: Bool.random(using: &r), at: here)
        case 8:
            return .caseWhen(operand: Bool.random(using: &r) ? make(depth: d, &r) : nil,
                             branches: [CaseBranch(when: make(depth: d, &r), then: make(depth: d, &r))],
                             otherwise: Bool.random(using: &r) ? make(depth: d, &r) : nil, at: here)
        case 9: return .cast(make(depth: d, &r), [DataType.int64, .string, .decimal(precision: 9, scale: 2)].randomElement(using: &r) ?? .int64, at: here)
        case 10:
            let name = ["f", "lower", "coalesce", "abs", "length", "greatest", "nullif", "round", "substr", "concat", "upper"].randomElement(using: &r) ?? "f"
            return .function(FunctionCall(name: name, arguments: [make(depth: d, &r), leaf(&r)]), at: here)
        default: return .isTruth(make(depth: d, &r), value: Bool.random(using: &r), negated: Bool.random(using: &r), at: here)
        }
    }

    static func leaf(_ r: inout SplitMix64) -> Expression {
        switch Int.random(in: 0..<7, using: &r) {
        case 0: return .column(["c\(Int.random(in: 0..<3, using: &r))"], at: here)
        case 1: return .literal(.integer(Int64.random(in: 0..<100, using: &r)), at: here)
        case 2: return .literal(.string("s'\(Int.random(in: 0..<9, using: &r))"), at: here)
        case 3: return .literal(.null, at: here)
        case 4: return .literal(.boolean(Bool.random(using: &r)), at: here)
        case 5: return .column(["t", "select"], at: here)
        default: return .literal(.decimal("1.25"), at: here)
        }
    }
}
