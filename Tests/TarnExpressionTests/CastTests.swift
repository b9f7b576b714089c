// CAST: the pairs SQL accepts, their edge cases, and errors for values that do not fit.
import Testing
import TarnColumnar
import TarnExpression

@Suite("CAST")
struct CastTests {
    @Test("casts between strings, numbers, booleans, dates and timestamps", arguments: [
        ("CAST('42' AS INT)", ScalarValue.int(42)), ("CAST(' -7 ' AS BIGINT)", .int(-7)), ("CAST('2.5' AS DOUBLE)", .float(2.5)),
        ("CAST('1.005' AS DECIMAL(5,3))", .decimal(1005, scale: 3)), ("CAST('true' AS BOOLEAN)", .boolean(true)),
        ("CAST('2024-02-29' AS DATE)", .date(19782)), ("CAST('2024-01-01 00:00:01' AS TIMESTAMP)", .timestamp(1_704_067_201_000_000, .utc)),
        ("CAST(42 AS STRING)", .string("42")), ("CAST(2.50 AS VARCHAR)", .string("2.50")), ("CAST(TRUE AS STRING)", .string("true")),
        ("CAST(DATE '2024-02-29' AS STRING)", .string("2024-02-29")), ("CAST(3.7e0 AS INT)", .int(3)), ("CAST(-3.7e0 AS INT)", .int(-3)),
        ("CAST(2.567 AS DECIMAL(3,2))", .decimal(257, scale: 2)), ("CAST(1 AS BOOLEAN)", .boolean(true)), ("CAST(FALSE AS INT)", .int(0)),
        ("CAST(127 AS TINYINT)", .int(127)), ("CAST(DATE '2024-02-29' AS TIMESTAMP)", .timestamp(1_709_164_800_000_000, .utc)),
        ("CAST(TIMESTAMP '2024-02-29 23:59:59' AS DATE)", .date(19782)), ("'7'::int + 1", .int(8)), ("CAST(NULL AS INT)", .null),
        ("CAST(12.99 AS INT)", .int(12)), ("CAST(300 AS DECIMAL(5,2))", .decimal(30000, scale: 2)),
    ])
    func casts(sql: String, expected: ScalarValue) throws {
        #expect(try Fixture.value(sql) == expected, "\(sql)")
    }

    @Test("values that do not fit or parse are evaluation errors", arguments: [
        "CAST('abc' AS INT)", "CAST('1.5' AS INT)", "CAST(128 AS TINYINT)", "CAST(1e300 AS BIGINT)", "CAST('2024-02-30' AS DATE)",
        "CAST('yes' AS BOOLEAN)", "CAST(1000 AS DECIMAL(3,0))", "CAST('nan' AS INT)", "CAST(-1 AS UTINYINT)",
    ])
    func failures(sql: String) {
        do {
            _ = try Fixture.value(sql)
            Issue.record("\(sql) should fail")
        } catch let e as ExpressionError {
            #expect(e.kind == .evaluation, "\(sql): \(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("casts of columns keep NULLs and fail on the first bad row")
    func columns() throws {
        #expect(try Fixture.values("CAST(i AS STRING)") == [.string("1"), .string("-2"), .null, .string("40")])
        #expect(try Fixture.values("CAST(d AS INT)") == [.int(1), .int(0), .null, .int(2)])
        #expect(try Fixture.values("CAST(dec AS DOUBLE)") == [.float(123.45), .float(-0.5), .null, .float(0.01)])
        #expect(try Fixture.values("CAST(j AS SMALLINT)") == [.int(10), .int(20), .int(30), .int(40)])
        #expect(throws: ExpressionError.self) { try Fixture.values("CAST(s AS INT)") }
    }

    @Test("impossible casts are type errors when bound", arguments: [
        "CAST(DATE '2024-01-01' AS INT)", "CAST(1 AS DATE)", "CAST(TRUE AS DECIMAL(3,1))", "CAST(1 AS ARRAY<INT>)",
    ])
    func impossible(sql: String) {
        #expect(Fixture.errorKind(sql) == .typeMismatch, "\(sql)")
    }
}
