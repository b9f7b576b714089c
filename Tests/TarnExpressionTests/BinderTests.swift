// Binding: name resolution (unknown, ambiguous, qualified, struct fields) and type errors.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Expression binder")
struct BinderTests {
    let scope = BindingScope([
        ScopeColumn(qualifier: "o", name: "id", type: .int64, nullable: false),
        ScopeColumn(qualifier: "o", name: "amount", type: .decimal(precision: 10, scale: 2)),
        ScopeColumn(qualifier: "sales.c", name: "id", type: .int64),
        ScopeColumn(qualifier: "sales.c", name: "Address", type: .structure([Field("city", .string), Field("zip", .int32)])),
    ])

    private func bind(_ sql: String) throws -> BoundExpression {
        try ExpressionBinder(scope: scope).bind(ExpressionParser.parse(sql))
    }

    private func error(_ sql: String) -> ExpressionError? {
        do {
            _ = try bind(sql)
            return nil
        } catch let e as ExpressionError {
            return e
        } catch {
            return nil
        }
    }

    @Test("names resolve case-insensitively, with qualifiers and struct fields")
    func resolution() throws {
        guard case .column(1, _, true) = try bind("AMOUNT") else { Issue.record("amount"); return }
        guard case .column(0, _, false) = try bind("o.id") else { Issue.record("o.id"); return }
        guard case .column(2, _, _) = try bind("c.id") else { Issue.record("c.id"); return }
        guard case .column(2, _, _) = try bind("sales.c.id") else { Issue.record("sales.c.id"); return }
        guard case .field(.column(3, _, _), 0, .string) = try bind("address.city") else { Issue.record("address.city"); return }
        guard case .field(.column(3, _, _), 1, .int32) = try bind("c.address.zip") else { Issue.record("c.address.zip"); return }
    }

    @Test("unknown columns suggest the closest name; ambiguous ones name the candidates")
    func nameErrors() throws {
        let unknown = try #require(error("o.amout + 1"))
        #expect(unknown.kind == .unknownColumn)
        #expect(unknown.message == "unknown column 'o.amout' (did you mean 'o.amount'?)")
        #expect(unknown.location?.column == 1)
        let ambiguous = try #require(error("1 + id"))
        #expect(ambiguous.kind == .ambiguousColumn)
        #expect(ambiguous.message.contains("o.id, sales.c.id"))
        #expect(ambiguous.location?.column == 5)
        #expect(error("address.country")?.kind == .unknownColumn)
        #expect(error("amount.x")?.kind == .unknownColumn)
        #expect(error("nothing_like_it")?.message == "unknown column 'nothing_like_it'")
    }

    @Test("type errors name the operands", arguments: [
        ("amount + address", ExpressionError.Kind.typeMismatch), ("o.id AND TRUE", .typeMismatch), ("NOT amount", .typeMismatch),
        ("address > 1", .typeMismatch), ("CAST(address AS INT)", .typeMismatch), ("o.id = 'abc'", .invalidArgument),
        ("sum(o.id)", .unknownFunction), ("lowr(o.id)", .unknownFunction), ("lower()", .invalidArgument),
        ("substr('a', o.id)", .unsupported), ("*", .invalidArgument), ("count(*)", .unknownFunction),
        ("CASE WHEN o.id THEN 1 END", .typeMismatch), ("CASE WHEN TRUE THEN 1 ELSE DATE '2024-01-01' END", .typeMismatch),
        ("o.id IN (1, DATE '2024-01-01')", .typeMismatch), ("date_trunc('fortnight', DATE '2024-01-01')", .invalidArgument),
    ])
    func typeErrors(sql: String, kind: ExpressionError.Kind) {
        #expect(error(sql)?.kind == kind)
    }

    @Test("an unknown function suggests a close name")
    func functionSuggestion() {
        #expect(error("uper('a')")?.message == "unknown function uper() (did you mean upper()?)")
    }

    @Test("constant subtrees are folded once; failing ones are left for the rows")
    func folding() throws {
        guard case .literal(.int(7), _) = try bind("1 + 2 * 3") else { Issue.record("not folded"); return }
        guard case .arithmetic = try bind("1 / 0") else { Issue.record("1/0 should stay unfolded"); return }
        guard case .literal(.timestamp(123, .utc), _) = try ExpressionBinder(scope: scope, options: .init(now: 123)).bind(ExpressionParser.parse("now()")) else {
            Issue.record("now() is the statement time"); return
        }
    }

    @Test("predicates must be boolean")
    func predicate() throws {
        let binder = ExpressionBinder(scope: scope)
        #expect(throws: ExpressionError.self) { try binder.bindPredicate(ExpressionParser.parse("o.id + 1")) }
        #expect(try binder.bindPredicate(ExpressionParser.parse("o.id > 1")).type == .boolean)
        #expect(try binder.bindPredicate(ExpressionParser.parse("NULL")).type == .boolean)
    }
}
