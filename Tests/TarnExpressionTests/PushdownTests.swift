// pushdownPredicate: exact translation of conjuncts into TarnColumnar predicates, and
// nothing that cannot be expressed exactly.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Predicate pushdown")
struct PushdownTests {
    private func pushdown(_ sql: String) throws -> Predicate? {
        let batch = try Fixture.batch()
        let bound = try Fixture.bind(sql, batch: batch)
        return bound.pushdownPredicate { batch.schema.fields[$0].name }
    }

    @Test("translatable conjuncts", arguments: [
        ("i > 5", Predicate?.some(.comparison(column: "i", op: .greater, value: .int(5)))),
        ("5 > i", .comparison(column: "i", op: .less, value: .int(5))),
        ("i > 5 AND lower(s) = 'x'", .comparison(column: "i", op: .greater, value: .int(5))),
        ("s = 'a' AND (i IS NULL OR d <= 2.5)", .and(.comparison(column: "s", op: .equal, value: .string("a")),
                                                      .or(.isNull(column: "i"), .comparison(column: "d", op: .lessOrEqual, value: .decimal(25, scale: 1))))),
        ("i IN (1, 2)", .inList(column: "i", values: [.int(1), .int(2)])),
        ("i NOT IN (1, 2)", .not(.inList(column: "i", values: [.int(1), .int(2)]))),
        ("NOT (i = 1)", .not(.comparison(column: "i", op: .equal, value: .int(1)))),
        ("b", .comparison(column: "b", op: .equal, value: .boolean(true))),
        ("i BETWEEN 1 AND 3", .and(.comparison(column: "i", op: .greaterOrEqual, value: .int(1)), .comparison(column: "i", op: .lessOrEqual, value: .int(3)))),
        ("dt >= '2024-01-01'", .comparison(column: "dt", op: .greaterOrEqual, value: .date(19723))),
        ("s IS NOT NULL", .isNotNull(column: "s")),
    ])
    func translated(sql: String, expected: Predicate?) throws {
        #expect(try pushdown(sql) == expected)
    }

    @Test("nothing inexact is translated", arguments: [
        "i + 1 > 5", "i > 5 OR lower(s) = 'x'", "NOT (i > 5 AND lower(s) = 'x')", "i > j", "CAST(i AS STRING) = '1'",
        "s LIKE 'a%'", "i = NULL", "i IN (1, j)", "j + i IN (1, 2)",
    ])
    func notTranslated(sql: String) throws {
        #expect(try pushdown(sql) == nil)
    }

    @Test("the pushed predicate never rejects a row the expression accepts")
    func agreesWithEvaluation() throws {
        let batch = try Fixture.batch()
        for sql in ["i > 0 AND lower(s) LIKE '%a%'", "i IN (1, NULL) OR b", "NOT (i = 1) AND d < 2", "dec > 1 AND j >= 20"] {
            let bound = try Fixture.bind(sql, batch: batch)
            let accepted = try bound.selection(batch)
            guard let pushed = bound.pushdownPredicate(columnName: { batch.schema.fields[$0].name }) else { continue }
            let kept = try batch.evaluate(pushed).selectionMask()
            #expect((accepted & ~kept).setCount == 0, "\(sql)")
        }
    }
}
