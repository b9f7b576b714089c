// Three-valued logic: the AND / OR / NOT truth tables over TRUE, FALSE and NULL,
// for constants and for columns.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Three-valued logic")
struct ThreeValuedLogicTests {
    static let values: [Bool?] = [true, false, nil]

    static func and(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == false || b == false { return false }
        if a == nil || b == nil { return nil }
        return true
    }

    static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
        if a == true || b == true { return true }
        if a == nil || b == nil { return nil }
        return false
    }

    static func text(_ v: Bool?) -> String { v.map { $0 ? "TRUE" : "FALSE" } ?? "NULL" }
    static func scalar(_ v: Bool?) -> ScalarValue { v.map { .boolean($0) } ?? .null }

    @Test("AND, OR and NOT of constants follow Kleene logic")
    func constants() throws {
        for a in Self.values {
            #expect(try Fixture.value("NOT \(Self.text(a))") == Self.scalar(a.map { !$0 }))
            for b in Self.values {
                #expect(try Fixture.value("\(Self.text(a)) AND \(Self.text(b))") == Self.scalar(Self.and(a, b)))
                #expect(try Fixture.value("\(Self.text(a)) OR \(Self.text(b))") == Self.scalar(Self.or(a, b)))
            }
        }
    }

    @Test("AND, OR and NOT of columns follow Kleene logic row by row")
    func columns() throws {
        var left: [Bool?] = [], right: [Bool?] = []
        for a in Self.values { for b in Self.values { left.append(a); right.append(b) } }
        let batch = try RecordBatch(schema: Schema([Field("p", .boolean), Field("q", .boolean)]),
                                    columns: [Column(booleans: left), Column(booleans: right)])
        #expect(try Fixture.values("p AND q", batch: batch) == zip(left, right).map { Self.scalar(Self.and($0, $1)) })
        #expect(try Fixture.values("p OR q", batch: batch) == zip(left, right).map { Self.scalar(Self.or($0, $1)) })
        #expect(try Fixture.values("NOT p", batch: batch) == left.map { Self.scalar($0.map { !$0 }) })
        #expect(try Fixture.values("p AND TRUE", batch: batch) == left.map(Self.scalar))
        #expect(try Fixture.values("p OR NULL", batch: batch) == left.map { Self.scalar(Self.or($0, nil)) })
        #expect(try Fixture.values("p AND NULL", batch: batch) == left.map { Self.scalar(Self.and($0, nil)) })
    }
}
