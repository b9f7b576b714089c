// Predicate evaluation over a batch: three-valued logic, IN lists, nested names.
import Testing
@testable import TarnColumnar

@Suite("Predicate evaluation")
struct EvaluateTests {
    static func batch() throws -> RecordBatch {
        let point = DataType.structure([Field("x", .int32), Field("label", .string)])
        return try RecordBatch(schema: Schema([Field("id", .int64), Field("score", .float64), Field("p", point)]), columns: [
            try Column(.int64, [1, 2, 3, nil] as [Int64?]),
            try Column(.float64, [0.5, nil, 2.5, 9] as [Double?]),
            try Column(point, scalars: [.structure([.int(1), .string("a")]), .null, .structure([.null, .string("c")]), .structure([.int(4), .null])]),
        ])
    }

    static func truth(_ column: Column) -> [Bool?] {
        (0..<column.count).map { if case let .boolean(b) = column.value(at: $0) { return b } else { return nil } }
    }

    @Test("predicates follow SQL three-valued logic", arguments: [
        (Predicate.comparison(column: "id", op: .greater, value: .int(1)), [false, true, true, nil] as [Bool?]),
        (.and(.comparison(column: "id", op: .greater, value: .int(1)), .comparison(column: "score", op: .less, value: .int(5))), [false, nil, true, false]),
        (.or(.comparison(column: "id", op: .greater, value: .int(1)), .comparison(column: "score", op: .less, value: .int(5))), [true, true, true, nil]),
        (.or(.comparison(column: "id", op: .equal, value: .int(9)), .comparison(column: "score", op: .greater, value: .int(5))), [false, nil, false, true]),
        (.not(.comparison(column: "score", op: .equal, value: .float(0.5))), [false, nil, true, true]),
        (.isNull(column: "score"), [false, true, false, false]),
        (.isNotNull(column: "ID"), [true, true, true, false]),
        (.inList(column: "id", values: [.int(1), .int(3)]), [true, false, true, nil]),
        (.inList(column: "id", values: [.int(1), .null]), [true, nil, nil, nil]),
        (.comparison(column: "p.x", op: .greaterOrEqual, value: .int(1)), [true, nil, nil, true]),
        (.isNull(column: "p.label"), [false, true, false, true]),
        (.comparison(column: "id", op: .equal, value: .null), [nil, nil, nil, nil]),
        (.constant(true), [true, true, true, true]),
    ])
    func threeValued(predicate: Predicate, expected: [Bool?]) throws {
        let batch = try Self.batch()
        #expect(Self.truth(try batch.evaluate(predicate)) == expected)
        let kept = try batch.filter(predicate)
        #expect(kept.rowCount == expected.filter { $0 == true }.count)
    }

    @Test("an unknown column is an error")
    func unknownColumn() throws {
        #expect(throws: ColumnarError.self) { _ = try Self.batch().evaluate(.isNull(column: "nope")) }
        #expect(throws: ColumnarError.self) { _ = try Self.batch().evaluate(.isNull(column: "id.x")) }
    }
}
