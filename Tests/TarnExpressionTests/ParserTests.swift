// ExpressionParser: precedence, every construct, types, and error positions.
import Testing
import TarnColumnar
import TarnExpression

private let here = SourceLocation.start

private func col(_ name: String...) -> Expression { .column(name, at: here) }
private func int(_ v: Int64) -> Expression { .literal(.integer(v), at: here) }
private func bin(_ op: BinaryOperator, _ a: Expression, _ b: Expression) -> Expression { .binary(op, a, b, at: here) }

@Suite("Expression parser")
struct ParserTests {
    /// Each text and its fully parenthesised reading.
    @Test("precedence and associativity follow the table", arguments: [
        ("a OR b AND c", "a OR (b AND c)"),
        ("a AND b OR c", "(a AND b) OR c"),
        ("NOT a AND b", "(NOT a) AND b"),
        ("NOT a = b", "NOT (a = b)"),
        ("a = b AND c < d", "(a = b) AND (c < d)"),
        ("a || b = c", "(a || b) = c"),
        ("a + b || c", "(a + b) || c"),
        ("a + b * c", "a + (b * c)"),
        ("a - b - c", "(a - b) - c"),
        ("a / b % c", "(a / b) % c"),
        ("-a * b", "(-a) * b"),
        ("-a::int", "-(a::int)"),
        ("a + b BETWEEN c AND d + e", "(a + b) BETWEEN c AND (d + e)"),
        ("a IS NULL OR b IN (1, 2)", "(a IS NULL) OR (b IN (1, 2))"),
        ("NOT a LIKE 'x%'", "NOT (a LIKE 'x%')"),
        ("a NOT BETWEEN 1 AND 2 AND c", "(a NOT BETWEEN 1 AND 2) AND c"),
        ("- - a", "-(-a)"),
        ("NOT NOT a", "NOT (NOT a)"),
        ("a = b = c", "(a = b) = c"),
    ])
    func precedence(text: String, parenthesised: String) throws {
        #expect(try ExpressionParser.parse(text) == ExpressionParser.parse(parenthesised))
    }

    @Test("trees of the basic constructs")
    func trees() throws {
        #expect(try ExpressionParser.parse("a + 1 * b") == bin(.add, col("a"), bin(.multiply, int(1), col("b"))))
        #expect(try ExpressionParser.parse("t.\"Amount\"") == col("t", "Amount"))
        #expect(try ExpressionParser.parse("s.end") == col("s", "end"))
        #expect(try ExpressionParser.parse("x <> 3") == bin(.notEqual, col("x"), int(3)))
        #expect(try ExpressionParser.parse("x != 3") == bin(.notEqual, col("x"), int(3)))
        #expect(try ExpressionParser.parse("x == 3") == bin(.equal, col("x"), int(3)))
        #expect(try ExpressionParser.parse("x <=> y") == bin(.isNotDistinctFrom, col("x"), col("y")))
        #expect(try ExpressionParser.parse("x IS DISTINCT FROM y") == bin(.isDistinctFrom, col("x"), col("y")))
        #expect(try ExpressionParser.parse("x IS NOT DISTINCT FROM y") == bin(.isNotDistinctFrom, col("x"), col("y")))
        #expect(try ExpressionParser.parse("-5") == .unary(.negate, int(5), at: here))
        #expect(try ExpressionParser.parse("+5") == int(5))
        #expect(try ExpressionParser.parse("NULL") == .literal(.null, at: here))
        #expect(try ExpressionParser.parse("true") == .literal(.boolean(true), at: here))
        #expect(try ExpressionParser.parse("1.50") == .literal(.decimal("1.50"), at: here))
        #expect(try ExpressionParser.parse("99999999999999999999") == .literal(.decimal("99999999999999999999"), at: here))
        #expect(try ExpressionParser.parse("'a''b'") == .literal(.string("a'b"), at: here))
        #expect(try ExpressionParser.parse("DATE '2024-02-29'") == .literal(.date("2024-02-29"), at: here))
        #expect(try ExpressionParser.parse("timestamp '2024-01-01 10:00:00'") == .literal(.timestamp("2024-01-01 10:00:00"), at: here))
        #expect(try ExpressionParser.parse("INTERVAL '3' DAY") == .literal(.interval(3, .day), at: here))
        #expect(try ExpressionParser.parse("interval 2 hours") == .literal(.interval(2, .hour), at: here))
        #expect(try ExpressionParser.parse("INTERVAL '-1 month'") == .literal(.interval(-1, .month), at: here))
        #expect(try ExpressionParser.parse("timestamp") == col("timestamp"))
        #expect(try ExpressionParser.parse("date + 1") == bin(.add, col("date"), int(1)))
        #expect(try ExpressionParser.parse("version") == col("version"))
    }

    @Test("predicates: IS, IN, BETWEEN, LIKE with their negations")
    func predicates() throws {
        #expect(try ExpressionParser.parse("a IS NOT NULL") == .isNull(col("a"), negated: true, at: here))
        #expect(try ExpressionParser.parse("a IS NOT TRUE") == .isTruth(col("a"), value: true, negated: true, at: here))
        #expect(try ExpressionParser.parse("a IS FALSE") == .isTruth(col("a"), value: false, negated: false, at: here))
        #expect(try ExpressionParser.parse("a NOT IN (1, b)") == .inList(col("a"), [int(1), col("b")], negated: true, at: here))
        #expect(try ExpressionParser.parse("a BETWEEN 1 AND 2") == .between(col("a"), low: int(1), high: int(2), negated: false, at: here))
        #expect(try ExpressionParser.parse("a NOT ILIKE 'x!%' ESCAPE '!'") == .like(
            col("a"), pattern: .literal(.string("x!%"), at: here), escape: .literal(.string("!"), at: here),
            caseInsensitive: true, negated: true, at: here))
    }

    @Test("CASE, CAST, ::, EXTRACT and function calls")
    func constructs() throws {
        #expect(try ExpressionParser.parse("CASE WHEN a THEN 1 ELSE 2 END") == .caseWhen(
            operand: nil, branches: [CaseBranch(when: col("a"), then: int(1))], otherwise: int(2), at: here))
        #expect(try ExpressionParser.parse("case x when 1 then 'a' when 2 then 'b' end") == .caseWhen(
            operand: col("x"),
            branches: [CaseBranch(when: int(1), then: .literal(.string("a"), at: here)),
                       CaseBranch(when: int(2), then: .literal(.string("b"), at: here))],
            otherwise: nil, at: here))
        #expect(try ExpressionParser.parse("CAST(a AS DECIMAL(10, 2))") == .cast(col("a"), .decimal(precision: 10, scale: 2), at: here))
        #expect(try ExpressionParser.parse("a::bigint::string") == .cast(.cast(col("a"), .int64, at: here), .string, at: here))
        #expect(try ExpressionParser.parse("EXTRACT(year FROM d)") == .extract(.year, col("d"), at: here))
        #expect(try ExpressionParser.parse("COUNT(*)") == .function(FunctionCall(name: "count", arguments: [], isStar: true), at: here))
        #expect(try ExpressionParser.parse("count(DISTINCT a)") == .function(FunctionCall(name: "count", arguments: [col("a")], distinct: true), at: here))
        #expect(try ExpressionParser.parse("now()") == .function(FunctionCall(name: "now", arguments: []), at: here))
        #expect(try ExpressionParser.parse("current_date") == .function(FunctionCall(name: "current_date", arguments: []), at: here))
        #expect(try ExpressionParser.parse("left(s, 2)") == .function(FunctionCall(name: "left", arguments: [col("s"), int(2)]), at: here))
        #expect(try ExpressionParser.parse("*") == .star(qualifier: [], at: here))
        #expect(try ExpressionParser.parse("t.*") == .star(qualifier: ["t"], at: here))
    }

    @Test("aggregates are found anywhere in a tree")
    func aggregates() throws {
        #expect(try ExpressionParser.parse("1 + sum(a)").containsAggregate)
        #expect(try ExpressionParser.parse("CASE WHEN x THEN COUNT(*) END").containsAggregate)
        #expect(try !ExpressionParser.parse("lower(a) || 'x'").containsAggregate)
        #expect(FunctionCatalog.isAggregate("AVG"))
        #expect(!FunctionCatalog.isAggregate("upper"))
    }

    @Test("type names", arguments: [
        ("BOOLEAN", DataType.boolean), ("tinyint", .int8), ("SMALLINT", .int16), ("INT", .int32), ("integer", .int32),
        ("BIGINT", .int64), ("long", .int64), ("FLOAT", .float32), ("REAL", .float32), ("DOUBLE", .float64),
        ("DECIMAL(38, 10)", .decimal(precision: 38, scale: 10)), ("DECIMAL", .decimal(precision: 10, scale: 0)),
        ("STRING", .string), ("VARCHAR(20)", .string), ("TEXT", .string), ("BINARY", .binary), ("DATE", .date32),
        ("TIMESTAMP", .timestamp(.utc)), ("TIMESTAMP_NTZ", .timestamp(.ntz)),
        ("ARRAY<INT>", .list(Field("element", .int32))),
        ("MAP<STRING, BIGINT>", .map(key: Field("key", .string, nullable: false), value: Field("value", .int64))),
        ("STRUCT<a: INT, `b c`: ARRAY<DOUBLE>>", .structure([Field("a", .int32), Field("b c", .list(Field("element", .float64)))])),
    ])
    func types(text: String, type: DataType) throws {
        var cursor = try TokenCursor(text: text)
        #expect(try ExpressionParser.parseType(&cursor) == type)
        #expect(cursor.isAtEnd)
        var again = try TokenCursor(text: type.sqlName)
        #expect(try ExpressionParser.parseType(&again) == type)
    }

    @Test("errors say what was expected, what was found, and where", arguments: [
        ("a +", 1, 4, "expected an expression, found end of input"),
        ("(a + b", 1, 7, "expected ')', found end of input"),
        ("a b", 1, 3, "expected end of expression, found identifier b"),
        ("f(a,)", 1, 5, "expected an expression, found ')'"),
        ("CASE WHEN a THEN 1", 1, 19, "expected WHEN, ELSE or END, found end of input"),
        ("CAST(a AS blob2)", 1, 11, "expected a type name, found identifier blob2"),
        ("a IN 1", 1, 6, "expected '(', found number 1"),
        ("x BETWEEN 1 OR 2", 1, 13, "expected AND, found keyword OR"),
        ("DATE '2024-13-01'", 1, 6, "invalid DATE literal '2024-13-01'"),
        ("select", 1, 1, "expected an expression, found keyword SELECT"),
        ("a IS 5", 1, 6, "expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found number 5"),
        ("DECIMAL_ok(1) +\n  CAST(x AS DECIMAL(40, 2))", 2, 21, "decimal precision must be 1 to 38"),
    ])
    func errors(text: String, line: Int, column: Int, message: String) {
        #expect {
            try ExpressionParser.parse(text)
        } throws: { error in
            guard let e = error as? ExpressionError else { return false }
            return e.kind == .syntax && e.location?.line == line && e.location?.column == column && e.message.hasPrefix(message)
        }
    }

    @Test("a rendered parse error points a caret at the offending token")
    func caret() {
        do {
            _ = try ExpressionParser.parse("price * (1 - discount")
            Issue.record("expected an error")
        } catch {
            #expect(error.rendered(source: "price * (1 - discount")
                == "line 1, column 22: expected ')', found end of input\nprice * (1 - discount\n" + String(repeating: " ", count: 21) + "^")
        }
    }

    @Test("a statement parser continues after the expression")
    func continuation() throws {
        var cursor = try TokenCursor(text: "a + 1 AS total FROM t")
        let e = try ExpressionParser.parseExpression(&cursor)
        #expect(e == bin(.add, col("a"), int(1)))
        #expect(cursor.isKeyword("AS"))
    }
}
