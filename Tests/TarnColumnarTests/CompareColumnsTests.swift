// Column-to-column comparison: every type, null propagation, NaN order, type checks.
import Testing
@testable import TarnColumnar

@Suite("Column comparison")
struct CompareColumnsTests {
    static func truth(_ column: Column) -> [Bool?] {
        (0..<column.count).map { if case let .boolean(b) = column.value(at: $0) { return b } else { return nil } }
    }

    @Test("a column equals itself on every non-null row, for every type", arguments: KernelFixtures.types)
    func selfEquality(type: DataType) throws {
        let column = try KernelFixtures.column(type, count: 80)
        let equal = try column.compare(.equal, column)
        let expected: [Bool?] = (0..<80).map { column.isNull($0) ? nil : true }
        #expect(Self.truth(equal) == expected)
        #expect(Self.truth(try column.compare(.less, column)) == expected.map { $0.map { !$0 } })
    }

    @Test("rows compare pairwise with nulls propagating", arguments: [
        (DataType.int64, [ScalarValue.int(1), .int(5), .null, .int(-2)], [ScalarValue.int(2), .int(5), .int(0), .null], ComparisonOperator.less, [true, false, nil, nil] as [Bool?]),
        (.float64, [.float(.nan), .float(1), .float(.nan)], [.float(.nan), .float(.nan), .float(.infinity)], .greater, [false, false, true]),
        (.string, [.string("b"), .string("a")], [.string("ab"), .string("a")], .greaterOrEqual, [true, true]),
        (.boolean, [.boolean(false), .boolean(true)], [.boolean(true), .boolean(true)], .notEqual, [true, false]),
        (.list(Field("element", .int32)), [.list([.int(1)]), .list([.int(1), .int(2)])], [.list([.int(1)]), .list([.int(1)])], .greater, [false, true]),
    ])
    func pairwise(type: DataType, left: [ScalarValue], right: [ScalarValue], op: ComparisonOperator, expected: [Bool?]) throws {
        let a = try Column(type, scalars: left), b = try Column(type, scalars: right)
        #expect(Self.truth(try a.compare(op, b)) == expected)
    }

    @Test("different types or lengths are errors")
    func errors() throws {
        let a = try Column(.int64, [1] as [Int64?])
        #expect(throws: ColumnarError.self) { _ = try a.compare(.equal, try Column(.int32, [1] as [Int32?])) }
        #expect(throws: ColumnarError.self) { _ = try a.compare(.equal, try Column(.int64, [1, 2] as [Int64?])) }
    }
}
