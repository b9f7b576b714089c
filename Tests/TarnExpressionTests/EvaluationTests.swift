// Evaluation: arithmetic, comparisons and NULL semantics over whole columns.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Expression evaluation")
struct EvaluationTests {
    @Test("arithmetic over columns and constants, NULL in → NULL out")
    func arithmetic() throws {
        #expect(try Fixture.values("i + 1") == [.int(2), .int(-1), .null, .int(41)])
        #expect(try Fixture.values("j * 2 - i") == [.int(19), .int(42), .null, .int(40)])
        #expect(try Fixture.values("i * d") == [.float(1.5), .float(1.0), .null, .float(80)])
        #expect(try Fixture.values("j / 4") == [.float(2.5), .float(5), .float(7.5), .float(10)])
        #expect(try Fixture.values("j % 7") == [.int(3), .int(6), .int(2), .int(5)])
        #expect(try Fixture.values("-i") == [.int(-1), .int(2), .null, .int(-40)])
        #expect(try Fixture.values("dec + 1") == [.decimal(12445, scale: 2), .decimal(50, scale: 2), .null, .decimal(101, scale: 2)])
        #expect(try Fixture.values("dec * 2.5") == [.decimal(308625, scale: 3), .decimal(-1250, scale: 3), .null, .decimal(25, scale: 3)])
        #expect(try Fixture.value("7 / 2") == .float(3.5))
        #expect(try Fixture.value("7.0 / 2") == .decimal(3_500_000_000_000, scale: 12))
        #expect(try Fixture.value("NULL + 1") == .null)
        #expect(try Fixture.value("-7 % 3") == .int(-1))
        #expect(try Fixture.values("-dec") == [.decimal(-12345, scale: 2), .decimal(50, scale: 2), .null, .decimal(-1, scale: 2)])
        #expect(try Fixture.values("-d") == [.float(-1.5), .float(0.5), .null, .float(-2)])
        #expect(try Fixture.values("dec - d") == [.float(123.45 - 1.5), .float(0), .null, .float(0.01 - 2)])
    }

    @Test("result types follow numeric promotion", arguments: [
        ("j + j", DataType.int32), ("j + i", .int64), ("j + 1", .int32), ("i + 1", .int64), ("j + d", .float64),
        ("j / j", .float64), ("dec + j", .decimal(precision: 13, scale: 2)), ("dec * dec", .decimal(precision: 21, scale: 4)),
        ("dec + d", .float64), ("dt + 1", .date32), ("dt - dt", .int64), ("s || j", .string), ("1.5", .decimal(precision: 2, scale: 1)),
        ("1e2", .float64), ("j + 3000000000", .int64),
    ])
    func types(sql: String, type: DataType) throws {
        #expect(try Fixture.bind(sql).type == type)
    }

    @Test("integer overflow and division by zero are errors", arguments: [
        "i * 9223372036854775807", "j * 2147483647", "-(i - i - 9223372036854775807 - 1)", "i / 0", "i % 0", "d / 0",
        "dec / 0", "99999999999999999999999999999999999999 + dec",
    ])
    func overflow(sql: String) {
        #expect(Fixture.errorKind(sql) == .evaluation)
    }

    @Test("errors on NULL rows do not count: null slots are never checked")
    func nullRowsNotChecked() throws {
        // Row 2 of i is NULL; dividing by it is NULL, not an error.
        #expect(try Fixture.values("j % (i * 0 + 1)") == [.int(0), .int(0), .null, .int(0)])
        #expect(try Fixture.values("100 / i") == [.float(100), .float(-50), .null, .float(2.5)])
    }

    @Test("comparisons: column vs constant, column vs column, across types")
    func comparisons() throws {
        #expect(try Fixture.values("i > 0") == [.boolean(true), .boolean(false), .null, .boolean(true)])
        #expect(try Fixture.values("i < 1.5") == [.boolean(true), .boolean(true), .null, .boolean(false)])
        #expect(try Fixture.values("j = i * 10") == [.boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("d >= j") == [.boolean(false), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("s = 'apple'") == [.boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("dt = '2024-02-29'") == [.boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("dt < DATE '2024-03-01'") == [.boolean(true), .boolean(false), .null, .boolean(true)])
        #expect(try Fixture.values("ts >= dt") == [.boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("dec > 1") == [.boolean(true), .boolean(false), .null, .boolean(false)])
        #expect(try Fixture.values("i = NULL") == [.null, .null, .null, .null])
        #expect(try Fixture.values("j > 15 AND j < 35") == [.boolean(false), .boolean(true), .boolean(true), .boolean(false)])
        #expect(try Fixture.values("j < 15 OR j > 35") == [.boolean(true), .boolean(false), .boolean(false), .boolean(true)])
        #expect(try Fixture.values("1 < i") == [.boolean(false), .boolean(false), .null, .boolean(true)])
    }

    @Test("IS NULL, IS DISTINCT FROM and IS TRUE never return NULL")
    func nullTests() throws {
        #expect(try Fixture.values("i IS NULL") == [.boolean(false), .boolean(false), .boolean(true), .boolean(false)])
        #expect(try Fixture.values("s IS NOT NULL") == [.boolean(true), .boolean(true), .boolean(false), .boolean(true)])
        #expect(try Fixture.values("i IS DISTINCT FROM 1") == [.boolean(false), .boolean(true), .boolean(true), .boolean(true)])
        #expect(try Fixture.values("i IS NOT DISTINCT FROM NULL") == [.boolean(false), .boolean(false), .boolean(true), .boolean(false)])
        #expect(try Fixture.values("b IS TRUE") == [.boolean(true), .boolean(false), .boolean(false), .boolean(true)])
        #expect(try Fixture.values("b IS NOT FALSE") == [.boolean(true), .boolean(false), .boolean(true), .boolean(true)])
    }

    @Test("selection keeps only rows where the predicate is true")
    func selection() throws {
        let batch = try Fixture.batch()
        let predicate = try Fixture.bind("i > 0 OR s = 'Banana'")
        let filtered = try predicate.filter(batch)
        #expect(filtered.rowCount == 3)
        #expect(try predicate.selection(batch).setIndices == [0, 1, 3])
        #expect(predicate.referencedColumns == [0, 3])
    }

    @Test("a batch that does not match the scope is an evaluation error, not a crash")
    func mismatchedBatch() throws {
        let bound = try Fixture.bind("s || 'x'")
        let other = try RecordBatch(schema: Schema([Field("a", .int64)]), columns: [Column(.int64, [1] as [Int64?])])
        #expect(throws: ExpressionError.self) { try bound.evaluate(other) }
    }
}
