// Min/max and sum: nulls ignored, NaN rules, byte-wise strings, overflow errors.
import Testing
@testable import TarnColumnar

@Suite("Aggregate kernels")
struct AggregateTests {
    @Test("min and max ignore nulls for every ordered type", arguments: [
        (DataType.int32, [ScalarValue.int(5), .null, .int(-3), .int(9)], ScalarValue.int(-3), ScalarValue.int(9)),
        (.uint64, [.uint(UInt64.max), .uint(0)], .uint(0), .uint(UInt64.max)),
        (.int8, [.int(-128), .int(127)], .int(-128), .int(127)),
        (.float64, [.float(.nan), .float(2.5), .null, .float(-1)], .float(-1), .float(2.5)),
        (.float32, [.float(-.infinity), .float(3)], .float(-.infinity), .float(3)),
        (.string, [.string("b"), .string("é"), .string("ab"), .string("B")], .string("B"), .string("é")),
        (.binary, [.binary([2]), .binary([1, 255]), .binary([])], .binary([]), .binary([2])),
        (.boolean, [.boolean(true), .null, .boolean(false)], .boolean(false), .boolean(true)),
        (.boolean, [.boolean(true), .boolean(true)], .boolean(true), .boolean(true)),
        (.date32, [.date(-5), .date(100)], .date(-5), .date(100)),
        (.timestamp(.utc), [.timestamp(10, .utc), .timestamp(-10, .utc)], .timestamp(-10, .utc), .timestamp(10, .utc)),
        (.decimal(precision: 5, scale: 2), [.decimal(-100, scale: 2), .decimal(250, scale: 2)], .decimal(-100, scale: 2), .decimal(250, scale: 2)),
        (.int64, [.null, .null], .null, .null),
        (.int64, [], .null, .null),
        (.list(Field("element", .int32)), [.list([.int(1)])], .null, .null),
    ])
    func minMax(type: DataType, values: [ScalarValue], min: ScalarValue, max: ScalarValue) throws {
        let column = try Column(type, scalars: values)
        let result = column.minMax()
        #expect(result.min == min)
        #expect(result.max == max)
    }

    @Test("min and max of an all-NaN column are NaN")
    func allNaN() throws {
        let column = try Column(.float64, [Double.nan, nil, .nan] as [Double?])
        let (min, max) = column.minMax()
        guard case let .float(lo) = min, case let .float(hi) = max else {
            Issue.record("expected floats")
            return
        }
        #expect(lo.isNaN && hi.isNaN)
    }

    @Test("min and max over many rows without nulls")
    func longColumn() throws {
        let column = try Column(.int64, values: (0..<1000).map { Int64(($0 * 7919) % 1000) - 500 })
        #expect(column.minMax().min == .int(-500))
        #expect(column.minMax().max == .int(499))
    }

    @Test("sum is exact for integers and decimals and skips nulls", arguments: [
        (DataType.int8, [ScalarValue.int(100), .int(100), .null], ScalarValue.int(200)),
        (.uint32, [.uint(4_000_000_000), .uint(4_000_000_000)], .uint(8_000_000_000)),
        (.float32, [.float(0.5), .float(0.25)], .float(0.75)),
        (.decimal(precision: 10, scale: 2), [.decimal(150, scale: 2), .decimal(-25, scale: 2)], .decimal(125, scale: 2)),
        (.int64, [.null], .null),
    ])
    func sum(type: DataType, values: [ScalarValue], expected: ScalarValue) throws {
        #expect(try Column(type, scalars: values).sum() == expected)
    }

    @Test("an overflowing integer sum is an error, and a non-numeric sum is a type mismatch")
    func sumErrors() throws {
        let overflow = try Column(.int64, [Int64.max, 1] as [Int64?])
        #expect(throws: ColumnarError.self) { _ = try overflow.sum() }
        let unsigned = try Column(.uint64, [UInt64.max, 1] as [UInt64?])
        #expect(throws: ColumnarError.self) { _ = try unsigned.sum() }
        #expect(throws: ColumnarError.self) { _ = try Column(strings: ["a"]).sum() }
        #expect(throws: ColumnarError.self) { _ = try Column(.date32, scalars: [.date(1)]).sum() }
    }
}
