// Scalar functions: each function's result, its NULL behaviour and its errors.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Scalar functions")
struct FunctionTests {
    @Test("string functions", arguments: [
        ("lower('HeLLo')", ScalarValue.string("hello")), ("upper('straße')", .string("STRASSE")), ("lower('ÀB')", .string("àb")),
        ("length('héllo')", .int(5)), ("octet_length('héllo')", .int(6)), ("char_length('')", .int(0)),
        ("substr('hello', 2)", .string("ello")), ("substr('hello', 2, 3)", .string("ell")), ("substring('hello', 0, 2)", .string("he")),
        ("substr('hello', -3)", .string("llo")), ("substr('hello', -3, 2)", .string("ll")), ("substr('hello', 10)", .string("")),
        ("substr('hello', 2, -1)", .string("")), ("substr('日本語', 2, 1)", .string("本")),
        ("trim('  a b  ')", .string("a b")), ("ltrim('  a ')", .string("a ")), ("rtrim('  a ')", .string("  a")),
        ("concat('a', NULL, 'b', 1)", .string("ab1")), ("concat_ws('-', 'a', NULL, 'b')", .string("a-b")), ("'a' || 'b' || 3", .string("ab3")),
        ("replace('banana', 'an', 'AN')", .string("bANANa")), ("replace('aaa', '', 'x')", .string("aaa")),
        ("starts_with('banana', 'ban')", .boolean(true)), ("ends_with('banana', 'nab')", .boolean(false)), ("contains('banana', 'nan')", .boolean(true)),
        ("strpos('banana', 'na')", .int(3)), ("strpos('日本語', '語')", .int(3)), ("instr('abc', 'z')", .int(0)),
        ("left('hello', 2)", .string("he")), ("right('hello', 3)", .string("llo")), ("left('hi', 5)", .string("hi")), ("left('hello', -2)", .string("hel")),
        ("reverse('abc')", .string("cba")), ("repeat('ab', 3)", .string("ababab")), ("repeat('ab', 0)", .string("")),
        ("substr('abc', 2, 9223372036854775807)", .string("bc")), ("substr('abc', -9223372036854775807, 2)", .string("ab")),
        ("lpad('7', 3, '0')", .string("007")), ("rpad('ab', 5, 'xy')", .string("abxyx")), ("lpad('hello', 2)", .string("he")),
    ])
    func strings(sql: String, expected: ScalarValue) throws {
        #expect(try Fixture.value(sql) == expected, "\(sql)")
    }

    @Test("string functions give NULL for NULL input", arguments: [
        "lower(NULL)", "upper(NULL)", "length(NULL)", "substr(NULL, 1)", "substr('a', NULL)", "trim(NULL)", "replace(NULL, 'a', 'b')",
        "replace('a', NULL, 'b')", "starts_with(NULL, 'a')", "strpos(NULL, 'a')", "left(NULL, 1)", "lpad(NULL, 3)", "'a' || NULL",
        "reverse(NULL)", "repeat(NULL, 2)", "nullif(NULL, 1)", "abs(NULL)", "round(NULL)", "sqrt(NULL)", "power(2, NULL)",
        "year(NULL)", "date_trunc('month', NULL)", "extract(day FROM NULL)", "coalesce(NULL, NULL)", "greatest(NULL, NULL)",
        "concat_ws(NULL, 'a')", "date_add(NULL, 1)", "datediff(NULL, DATE '2024-01-01')",
    ])
    func nullInput(sql: String) throws {
        #expect(try Fixture.value(sql) == .null, "\(sql)")
    }

    @Test("conditional functions", arguments: [
        ("coalesce(NULL, 2, 3)", ScalarValue.int(2)), ("coalesce(1.5, 2)", .decimal(15, scale: 1)), ("ifnull(NULL, 'x')", .string("x")),
        ("nullif(1, 1)", .null), ("nullif(1, 2)", .int(1)), ("greatest(1, 5, NULL, 3)", .int(5)), ("least(4, 2.5, 7)", .decimal(25, scale: 1)),
        ("greatest('b', 'abc')", .string("b")), ("if(1 < 2, 'y', 'n')", .string("y")), ("if(NULL, 'y', 'n')", .string("n")),
    ])
    func conditional(sql: String, expected: ScalarValue) throws {
        #expect(try Fixture.value(sql) == expected, "\(sql)")
    }

    @Test("conditional functions over columns")
    func conditionalColumns() throws {
        #expect(try Fixture.values("coalesce(i, j)") == [.int(1), .int(-2), .int(30), .int(40)])
        #expect(try Fixture.values("coalesce(s, 'none')") == [.string("apple"), .string("Banana"), .string("none"), .string("cherry pie")])
        #expect(try Fixture.values("nullif(j, 20)") == [.int(10), .null, .int(30), .int(40)])
        #expect(try Fixture.values("greatest(i, 5)") == [.int(5), .int(5), .int(5), .int(40)])
        #expect(try Fixture.values("least(i, d)") == [.float(1), .float(-2), .null, .float(2)])
        #expect(try Fixture.values("upper(s)") == [.string("APPLE"), .string("BANANA"), .null, .string("CHERRY PIE")])
        #expect(try Fixture.values("length(s)") == [.int(5), .int(6), .null, .int(10)])
        #expect(try Fixture.values("substr(s, 2, 3)") == [.string("ppl"), .string("ana"), .null, .string("her")])
        #expect(try Fixture.values("substr(s, -3)") == [.string("ple"), .string("ana"), .null, .string("pie")])
        #expect(try Fixture.values("left(s, 2) || right(s, 2)") == [.string("aple"), .string("Bana"), .null, .string("chie")])
        let unicode = try RecordBatch(schema: Schema([Field("u", .string)]), columns: [Column(strings: ["héllo", "日本語", nil, ""])])
        #expect(try Fixture.values("substr(u, 2, 2)", batch: unicode) == [.string("él"), .string("本語"), .null, .string("")])
        #expect(try Fixture.values("length(u)", batch: unicode) == [.int(5), .int(3), .null, .int(0)])
        #expect(try Fixture.values("right(u, 1)", batch: unicode) == [.string("o"), .string("語"), .null, .string("")])
    }

    @Test("math functions", arguments: [
        ("abs(-3)", ScalarValue.int(3)), ("abs(-2.50)", .decimal(250, scale: 2)), ("abs(-1e0)", .float(1)),
        ("round(2.5)", .decimal(3, scale: 0)), ("round(-2.5)", .decimal(-3, scale: 0)), ("round(1.2345, 2)", .decimal(123, scale: 2)),
        ("round(1234.5, -2)", .decimal(1200, scale: 0)), ("round(2.5e0)", .float(3)), ("round(1.25e0, 1)", .float(1.3)), ("round(1250, -2)", .int(1300)),
        ("floor(-1.5)", .decimal(-2, scale: 0)), ("ceil(1.2)", .decimal(2, scale: 0)), ("floor(2.7e0)", .float(2)), ("ceil(7)", .int(7)),
        ("sqrt(16)", .float(4)), ("ln(1)", .float(0)), ("exp(0)", .float(1)), ("power(2, 10)", .float(1024)), ("pow(4, 0.5)", .float(2)),
        ("log10(1000)", .float(3)), ("log2(8)", .float(3)), ("mod(7, 3)", .int(1)), ("mod(-7, 3)", .int(-1)), ("sign(-4.2)", .int(-1)), ("sign(0)", .int(0)),
    ])
    func math(sql: String, expected: ScalarValue) throws {
        #expect(try Fixture.value(sql) == expected, "\(sql)")
    }

    @Test("math domain errors and overflow are errors", arguments: [
        "DATE '2024-01-01' + INTERVAL 9223372036854775807 DAY", "DATE '2024-01-01' + INTERVAL 9223372036854775807 WEEK",
        "TIMESTAMP '2024-01-01' + INTERVAL 9223372036854775807 MONTH", "date_add(DATE '2024-01-01', 2147483647)",
        "sqrt(-1)", "ln(0)", "log10(-5)", "abs(-9223372036854775807 - 1)", "mod(5, 0)", "round(9223372036854775807, -1)",
    ])
    func mathErrors(sql: String) {
        #expect(throws: ExpressionError.self, "\(sql)") { try Fixture.value(sql) }
    }

    @Test("date and time functions", arguments: [
        ("year(DATE '2024-02-29')", ScalarValue.int(2024)), ("month(DATE '2024-02-29')", .int(2)), ("day(DATE '2024-02-29')", .int(29)),
        ("quarter(DATE '2024-11-01')", .int(4)), ("dayofweek(DATE '2024-02-25')", .int(0)), ("dayofyear(DATE '2024-12-31')", .int(366)),
        ("week(DATE '2021-01-03')", .int(53)), ("week(DATE '2024-12-30')", .int(1)),
        ("hour(TIMESTAMP '2024-01-01 13:45:56.5')", .int(13)), ("minute(TIMESTAMP '2024-01-01 13:45:56')", .int(45)),
        ("second(TIMESTAMP '2024-01-01 13:45:56')", .int(56)), ("EXTRACT(EPOCH FROM TIMESTAMP '1970-01-02 00:00:01Z')", .int(86401)),
        ("EXTRACT(YEAR FROM TIMESTAMP '1969-12-31 23:59:59')", .int(1969)), ("EXTRACT(HOUR FROM DATE '2024-01-01')", .int(0)),
        ("date_part('month', DATE '2024-07-04')", .int(7)), ("EXTRACT(millisecond FROM TIMESTAMP '2024-01-01 00:00:01.234')", .int(1234)),
        ("date_trunc('month', DATE '2024-02-29')", .date(19754)), ("date_trunc('year', DATE '2024-02-29')", .date(19723)),
        ("date_trunc('week', DATE '2024-02-29')", .date(19779)), ("date_trunc('quarter', DATE '2024-05-15')", .date(19814)),
        ("date_trunc('hour', TIMESTAMP '2024-01-01 13:45:56')", .timestamp(1_704_114_000_000_000, .utc)),
        ("date_trunc('day', TIMESTAMP '1969-12-31 23:00:00')", .timestamp(-86_400_000_000, .utc)),
        ("DATE '2024-02-29' + 1", .date(19783)), ("1 + DATE '2024-02-29'", .date(19783)), ("DATE '2024-03-01' - DATE '2024-02-01'", .int(29)),
        ("DATE '2024-01-31' + INTERVAL '1' MONTH", .date(19782)), ("DATE '2024-02-29' + INTERVAL 1 YEAR", .date(20147)),
        ("DATE '2024-02-29' - INTERVAL '2' WEEK", .date(19768)), ("DATE '2024-01-01' + INTERVAL '1' HOUR", .timestamp(1_704_070_800_000_000, .utc)),
        ("TIMESTAMP '2024-01-31 10:00:00' + INTERVAL '1' MONTH", .timestamp(1_709_200_800_000_000, .utc)),
        ("date_add(DATE '2024-02-28', 2)", .date(19783)), ("date_sub(DATE '2024-03-01', 1)", .date(19782)),
        ("datediff(DATE '2024-03-01', DATE '2024-02-01')", .int(29)), ("datediff('2024-03-01', '2024-02-01')", .int(29)),
        ("now()", .timestamp(Fixture.now, .utc)), ("current_date", .date(19675)), ("current_timestamp", .timestamp(Fixture.now, .utc)),
    ])
    func dates(sql: String, expected: ScalarValue) throws {
        #expect(try Fixture.value(sql) == expected, "\(sql)")
    }

    @Test("date functions over columns")
    func dateColumns() throws {
        #expect(try Fixture.values("year(dt)") == [.int(2024), .int(2024), .null, .int(2023)])
        #expect(try Fixture.values("month(dt)") == [.int(2), .int(3), .null, .int(3)])
        #expect(try Fixture.values("day(dt)") == [.int(29), .int(1), .null, .int(1)])
        #expect(try Fixture.values("EXTRACT(MONTH FROM ts)") == [.int(2), .int(1), .null, .int(12)])
        #expect(try Fixture.values("hour(ts)") == [.int(1), .int(0), .null, .int(23)])
        #expect(try Fixture.values("dt + INTERVAL 1 DAY = dt + 1") == [.boolean(true), .boolean(true), .null, .boolean(true)])
    }

    @Test("wrong argument counts and types are binding errors", arguments: [
        ("lower('a', 'b')", ExpressionError.Kind.invalidArgument), ("substr('a')", .invalidArgument), ("abs('a')", .typeMismatch),
        ("year(1)", .typeMismatch), ("date_add(DATE '2024-01-01', 1.5)", .typeMismatch), ("left('a', 'b')", .typeMismatch),
        ("greatest(1, 'a')", .typeMismatch), ("now(1)", .invalidArgument), ("lower(DISTINCT 'a')", .invalidArgument),
        ("TIMESTAMP '2024-01-01' - TIMESTAMP '2024-01-01'", .unsupported), ("INTERVAL 1 DAY", .unsupported),
    ])
    func argumentErrors(sql: String, kind: ExpressionError.Kind) {
        do {
            _ = try Fixture.value(sql)
            Issue.record("\(sql) should fail")
        } catch let e as ExpressionError {
            #expect(e.kind == kind, "\(sql): \(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("every scalar name in the catalog is known to the binder")
    func catalogIsBound() {
        for name in FunctionCatalog.scalars.sorted() {
            do {
                _ = try Fixture.value("\(name)()")
            } catch let e as ExpressionError {
                #expect(e.kind == .invalidArgument, "\(name): \(e)")
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }
}
