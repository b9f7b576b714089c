// Robustness of binding and evaluation: random trees over columns of several types give
// a column or an ExpressionError — never a trap — and agree between batch and row.
import Testing
import TarnColumnar
import TarnExpression

@Suite("Evaluation robustness")
struct EvaluationRobustnessTests {
    static func batch() throws -> RecordBatch {
        let schema = Schema([Field("c0", .int64), Field("c1", .string), Field("c2", .float64), Field("t", .structure([Field("select", .int32)]))])
        return try RecordBatch(schema: schema, columns: [
            Column(.int64, [0, 5, nil, -7, Int64.max, 1] as [Int64?]),
            Column(strings: ["", "s'1", nil, "abc", "1", "2.5"]),
            Column(.float64, [0, .nan, nil, -1.5, 1e300, 2] as [Double?]),
            Column(.structure([Field("select", .int32)]), scalars: [.structure([.int(1)]), .null, .structure([.null]), .structure([.int(-1)]), .structure([.int(0)]), .structure([.int(7)])]),
        ])
    }

    /// Equality that counts NaN as equal to NaN.
    static func same(_ a: ScalarValue, _ b: ScalarValue) -> Bool {
        if a == b { return true }
        if case let .float(x) = a, case let .float(y) = b { return x.isNaN && y.isNaN }
        return false
    }

    @Test("random trees bind and evaluate to a column or an ExpressionError")
    func randomTrees() throws {
        let batch = try Self.batch()
        let binder = ExpressionBinder(scope: BindingScope(schema: batch.schema), options: .init(now: 0))
        var random = SplitMix64(seed: 99)
        var evaluated = 0
        for _ in 0..<3000 {
            let tree = RandomExpression.make(depth: 4, &random)
            guard let bound = try? binder.bind(tree) else { continue }
            guard let column = try? bound.evaluate(batch) else { continue }
            evaluated += 1
            #expect(column.count == batch.rowCount)
            #expect(column.type == bound.type, "\(tree.sql)")
            if !bound.nullable { #expect(column.nullCount == 0, "\(tree.sql) is not nullable") }
            // Each row alone gives the same value as the row in the batch.
            if let row = try? batch.slice(1..<2), let single = try? bound.evaluate(row) {
                #expect(Self.same(single.value(at: 0), column.value(at: 1)), "\(tree.sql)")
            }
        }
        #expect(evaluated > 100)
    }

    @Test("an empty batch evaluates to an empty column")
    func emptyBatch() throws {
        let batch = try Self.batch().slice(0..<0)
        let binder = ExpressionBinder(scope: BindingScope(schema: batch.schema))
        for sql in ["c0 + 1", "CASE WHEN c0 > 1 THEN c1 END", "c1 LIKE 'a%'", "coalesce(c2, 0)", "c0 IN (1, 2, 3, 4, 5)", "upper(c1)", "t.select * 2"] {
            let column = try binder.bind(ExpressionParser.parse(sql)).evaluate(batch)
            #expect(column.count == 0, "\(sql)")
        }
    }

    @Test("trees as deep as the parser allows bind, evaluate and print without exhausting the stack")
    func deepTrees() throws {
        let batch = try Self.batch()
        let binder = ExpressionBinder(scope: BindingScope(schema: batch.schema))
        let depth = TokenCursor.defaultMaximumDepth - 8
        let texts = [
            "c2" + String(repeating: " + c2", count: depth),
            String(repeating: "NOT ", count: depth) + "c0 > 1",
            String(repeating: "CASE WHEN c0 > 1 THEN ", count: depth / 3) + "c2" + String(repeating: " ELSE 0 END", count: depth / 3),
            String(repeating: "coalesce(", count: depth / 2) + "c2" + String(repeating: ", 1)", count: depth / 2),
            String(repeating: "-(", count: depth / 2) + "c2" + String(repeating: ")", count: depth / 2),
        ]
        for text in texts {
            let parsed = try ExpressionParser.parse(text)
            #expect(try ExpressionParser.parse(parsed.sql) == parsed)
            let bound = try binder.bind(parsed)
            #expect(try bound.evaluate(batch).count == batch.rowCount)
        }
    }
}
