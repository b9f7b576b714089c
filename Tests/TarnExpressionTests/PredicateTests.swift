// IN, BETWEEN, LIKE/ILIKE and CASE over columns, with their NULL rules.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Predicates and CASE")
struct PredicateTests {
    @Test("IN with NULLs: a match is true, otherwise NULL if the value or a list item is NULL")
    func inList() throws {
        #expect(try Fixture.values("i IN (1, 40)") == [.boolean(true), .boolean(false), .null, .boolean(true)])
        #expect(try Fixture.values("i IN (1, NULL)") == [.boolean(true), .null, .null, .null])
        #expect(try Fixture.values("i NOT IN (1, NULL)") == [.boolean(false), .null, .null, .null])
        #expect(try Fixture.values("i NOT IN (1, 2)") == [.boolean(false), .boolean(true), .null, .boolean(true)])
        #expect(try Fixture.values("s IN ('apple', 'x', 'y', 'cherry pie', 'z')") == [.boolean(true), .boolean(false), .null, .boolean(true)])
        #expect(try Fixture.values("i IN (1, 2, 3, 4, 40, NULL)") == [.boolean(true), .null, .null, .boolean(true)])
        #expect(try Fixture.values("j IN (i * 10, 20)") == [.boolean(true), .boolean(true), .null, .boolean(false)])
        #expect(try Fixture.value("NULL IN (1)") == .null)
        // Long lists take the hashed paths; the answers are the same.
        let ints = (100..<140).map(String.init).joined(separator: ", ")
        #expect(try Fixture.values("i IN (\(ints), 40, -2)") == [.boolean(false), .boolean(true), .null, .boolean(true)])
        #expect(try Fixture.values("i NOT IN (\(ints), 40, NULL)") == [.null, .null, .null, .boolean(false)])
        #expect(try Fixture.values("j IN (\(ints), 20)") == [.boolean(false), .boolean(true), .boolean(false), .boolean(false)])
        let strings = (0..<20).map { "'w\($0)'" }.joined(separator: ", ")
        #expect(try Fixture.values("s IN (\(strings), 'Banana')") == [.boolean(false), .boolean(true), .null, .boolean(false)])
        #expect(try Fixture.values("s NOT IN (\(strings), NULL)") == [.null, .null, .null, .null])
    }

    @Test("BETWEEN is inclusive and NULL-aware")
    func between() throws {
        #expect(try Fixture.values("i BETWEEN -2 AND 1") == [.boolean(true), .boolean(true), .null, .boolean(false)])
        #expect(try Fixture.values("i NOT BETWEEN -2 AND 1") == [.boolean(false), .boolean(false), .null, .boolean(true)])
        #expect(try Fixture.values("j BETWEEN 15 AND NULL") == [.boolean(false), .null, .null, .null])
    }

    @Test("LIKE patterns with % _ and escapes", arguments: [
        ("abc", "abc", true), ("abc", "a%", true), ("abc", "%c", true), ("abc", "%b%", true), ("abc", "a_c", true),
        ("abc", "_", false), ("abc", "___", true), ("abc", "%", true), ("", "%", true), ("", "_", false),
        ("abc", "a%b%c", true), ("abc", "a%c%", true), ("abcb", "%b", true), ("abc", "%bc%c", false),
        ("a%c", "a!%c", true), ("abc", "a!%c", false), ("a_c", "a!_c", true), ("axc", "a!_c", false),
        ("héllo", "h_llo", true), ("héllo", "h%o", true), ("日本語", "__語", true), ("aaa", "%a%a%a%", true), ("aa", "%a%a%a%", false),
        ("mississippi", "%ss%pp%", true), ("banana", "b%na", true), ("banana", "%an_n%", true),
        (String(repeating: "ab", count: 50) + "needle!", "%needle%", true), (String(repeating: "ne", count: 50) + "edl", "%needle%", false),
        (String(repeating: "x", count: 70) + "n", "%n%", true), (String(repeating: "x", count: 70) + "ne", "%xne%", true),
    ])
    func like(value: String, pattern: String, matches: Bool) throws {
        let batch = try RecordBatch(schema: Schema([Field("v", .string)]), columns: [Column(strings: [value, nil])])
        #expect(try Fixture.values("v LIKE '\(pattern)' ESCAPE '!'", batch: batch) == [.boolean(matches), .null])
        #expect(try Fixture.values("v NOT LIKE '\(pattern)' ESCAPE '!'", batch: batch) == [.boolean(!matches), .null])
    }

    @Test("ILIKE ignores case; bad patterns are errors")
    func ilike() throws {
        #expect(try Fixture.values("s ILIKE 'BAN%'") == [.boolean(false), .boolean(true), .null, .boolean(false)])
        #expect(try Fixture.values("s LIKE 'ban%'") == [.boolean(false), .boolean(false), .null, .boolean(false)])
        #expect(Fixture.errorKind("s LIKE 'a!' ESCAPE '!'") == .invalidArgument)
        #expect(Fixture.errorKind("s LIKE 'a' ESCAPE 'xy'") == .invalidArgument)
        #expect(Fixture.errorKind("i LIKE 'a'") == .typeMismatch)
        #expect(Fixture.errorKind("s LIKE s") == .unsupported)
        #expect(try Fixture.values("s LIKE NULL") == [.null, .null, .null, .null])
    }

    @Test("CASE picks the first true branch; branches are evaluated only on their rows")
    func caseWhen() throws {
        #expect(try Fixture.values("CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END") == [.string("pos"), .string("neg"), .null, .string("pos")])
        #expect(try Fixture.values("CASE WHEN i > 0 THEN j ELSE 0 END") == [.int(10), .int(0), .int(0), .int(40)])
        #expect(try Fixture.values("CASE i WHEN 1 THEN 'one' WHEN 40 THEN 'forty' ELSE 'other' END") == [.string("one"), .string("other"), .string("other"), .string("forty")])
        // Division by zero in a branch that no row takes is not an error.
        #expect(try Fixture.values("CASE WHEN j > 100 THEN j / 0 ELSE j END") == [.float(10), .float(20), .float(30), .float(40)])
        #expect(try Fixture.values("CASE WHEN i = -2 THEN 0 ELSE 80 / (i + 2) END") == [.float(80.0 / 3), .float(0), .null, .float(80.0 / 42)])
        #expect(try Fixture.values("CASE WHEN b THEN d END") == [.float(1.5), .null, .null, .float(2.0)])
        #expect(try Fixture.bind("CASE WHEN b THEN 1 ELSE 2.5 END").type == .decimal(precision: 11, scale: 1))
    }
}
