// Compare with a scalar: exact cross-type numeric rules, NaN order, bytes order,
// dates vs timestamps, decimals, booleans, nested equality, and three-valued nulls.
import Testing
@testable import TarnColumnar

struct ComparisonCase: Sendable, CustomTestStringConvertible {
    let type: DataType
    let values: [ScalarValue]
    let op: ComparisonOperator
    let scalar: ScalarValue
    /// nil = null result.
    let expected: [Bool?]
    var testDescription: String { "\(type) \(op.rawValue) \(scalar)" }
}

@Suite("Compare kernel")
struct CompareTests {
    static let ints: [ScalarValue] = [.int(-5), .int(0), .int(7), .null, .int(2_147_483_647)]
    static let floats: [ScalarValue] = [.float(1.5), .float(.nan), .float(-.infinity), .float(0), .null]
    static let strings: [ScalarValue] = [.string("a"), .string("b"), .string("ab"), .string("é"), .string("")]
    static let decimals: [ScalarValue] = [.decimal(12_345, scale: 2), .decimal(-1, scale: 2), .null]
    static let day: Int64 = 86_400_000_000

    static let cases: [ComparisonCase] = [
        ComparisonCase(type: .int32, values: ints, op: .equal, scalar: .int(7), expected: [false, false, true, nil, false]),
        ComparisonCase(type: .int32, values: ints, op: .less, scalar: .float(2.5), expected: [true, true, false, nil, false]),
        ComparisonCase(type: .int32, values: ints, op: .greater, scalar: .float(-0.5), expected: [false, true, true, nil, true]),
        ComparisonCase(type: .int32, values: ints, op: .notEqual, scalar: .float(0.5), expected: [true, true, true, nil, true]),
        ComparisonCase(type: .int32, values: ints, op: .greaterOrEqual, scalar: .float(-5), expected: [true, true, true, nil, true]),
        ComparisonCase(type: .int32, values: ints, op: .greater, scalar: .uint(UInt64.max), expected: [false, false, false, nil, false]),
        ComparisonCase(type: .int32, values: ints, op: .greater, scalar: .int(-9_999_999_999), expected: [true, true, true, nil, true]),
        ComparisonCase(type: .int32, values: ints, op: .less, scalar: .float(.nan), expected: [true, true, true, nil, true]),
        ComparisonCase(type: .int32, values: ints, op: .lessOrEqual, scalar: .decimal(-45, scale: 1), expected: [true, false, false, nil, false]),
        ComparisonCase(type: .int8, values: [.int(-128), .int(127)], op: .less, scalar: .int(1000), expected: [true, true]),
        ComparisonCase(type: .uint8, values: [.uint(0), .uint(200), .uint(255)], op: .greater, scalar: .int(-1), expected: [true, true, true]),
        ComparisonCase(type: .uint8, values: [.uint(0), .uint(200), .uint(255)], op: .equal, scalar: .int(-1), expected: [false, false, false]),
        ComparisonCase(type: .uint64, values: [.uint(UInt64.max), .uint(0)], op: .less, scalar: .int(-1), expected: [false, false]),
        ComparisonCase(type: .uint64, values: [.uint(UInt64.max), .uint(0)], op: .equal, scalar: .uint(UInt64.max), expected: [true, false]),
        ComparisonCase(type: .int64, values: [.int(Int64.max), .int(Int64.min)], op: .less, scalar: .float(9.3e18), expected: [true, true]),
        ComparisonCase(type: .int64, values: [.int(Int64.max), .int(Int64.min)], op: .equal, scalar: .int(Int64.min), expected: [false, true]),
        ComparisonCase(type: .float64, values: floats, op: .equal, scalar: .float(.nan), expected: [false, true, false, false, nil]),
        ComparisonCase(type: .float64, values: floats, op: .greater, scalar: .float(1), expected: [true, true, false, false, nil]),
        ComparisonCase(type: .float64, values: floats, op: .less, scalar: .int(2), expected: [true, false, true, true, nil]),
        ComparisonCase(type: .float64, values: floats, op: .lessOrEqual, scalar: .float(.nan), expected: [true, true, true, true, nil]),
        ComparisonCase(type: .float64, values: floats, op: .greaterOrEqual, scalar: .float(.infinity), expected: [false, true, false, false, nil]),
        ComparisonCase(type: .float64, values: floats, op: .equal, scalar: .float(-0.0), expected: [false, false, false, true, nil]),
        ComparisonCase(type: .float64, values: [.float(1.25)], op: .equal, scalar: .decimal(125, scale: 2), expected: [true]),
        ComparisonCase(type: .float32, values: [.float(Double(Float(0.1))), .float(.nan)], op: .equal, scalar: .float(Double(Float(0.1))), expected: [true, false]),
        ComparisonCase(type: .float32, values: [.float(1), .float(.nan)], op: .greater, scalar: .int(0), expected: [true, true]),
        ComparisonCase(type: .string, values: strings, op: .less, scalar: .string("ab"), expected: [true, false, false, false, true]),
        ComparisonCase(type: .string, values: strings, op: .greater, scalar: .string("z"), expected: [false, false, false, true, false]),
        ComparisonCase(type: .string, values: strings, op: .equal, scalar: .string(""), expected: [false, false, false, false, true]),
        ComparisonCase(type: .binary, values: [.binary([0xFF]), .binary([0x00, 0x01])], op: .greaterOrEqual, scalar: .binary([0x00, 0x01]), expected: [true, true]),
        ComparisonCase(type: .date32, values: [.date(0), .date(1), .date(-1)], op: .less, scalar: .timestamp(day / 2, .utc), expected: [true, false, true]),
        ComparisonCase(type: .date32, values: [.date(0), .date(1), .date(-1)], op: .equal, scalar: .timestamp(day / 2, .utc), expected: [false, false, false]),
        ComparisonCase(type: .date32, values: [.date(0), .date(1), .date(-1)], op: .greater, scalar: .timestamp(-day / 2, .utc), expected: [true, true, false]),
        ComparisonCase(type: .date32, values: [.date(0), .date(1), .date(-1)], op: .equal, scalar: .date(-1), expected: [false, false, true]),
        ComparisonCase(type: .timestamp(.utc), values: [.timestamp(day, .utc), .timestamp(0, .utc)], op: .equal, scalar: .date(1), expected: [true, false]),
        ComparisonCase(type: .timestamp(.ntz), values: [.timestamp(-1, .ntz), .timestamp(0, .ntz)], op: .less, scalar: .timestamp(0, .ntz), expected: [true, false]),
        ComparisonCase(type: .decimal(precision: 10, scale: 2), values: decimals, op: .equal, scalar: .decimal(1_234_500, scale: 4), expected: [true, false, nil]),
        ComparisonCase(type: .decimal(precision: 10, scale: 2), values: decimals, op: .greater, scalar: .int(123), expected: [true, false, nil]),
        ComparisonCase(type: .decimal(precision: 10, scale: 2), values: decimals, op: .less, scalar: .decimal(-5, scale: 3), expected: [false, true, nil]),
        ComparisonCase(type: .decimal(precision: 10, scale: 2), values: decimals, op: .equal, scalar: .decimal(-10, scale: 3), expected: [false, true, nil]),
        ComparisonCase(type: .boolean, values: [.boolean(true), .boolean(false), .null], op: .equal, scalar: .boolean(true), expected: [true, false, nil]),
        ComparisonCase(type: .boolean, values: [.boolean(true), .boolean(false), .null], op: .less, scalar: .boolean(true), expected: [false, true, nil]),
        ComparisonCase(type: .boolean, values: [.boolean(true), .boolean(false), .null], op: .greaterOrEqual, scalar: .boolean(false), expected: [true, true, nil]),
        ComparisonCase(type: .int64, values: [.int(1), .null], op: .equal, scalar: .null, expected: [nil, nil]),
        ComparisonCase(type: .list(Field("element", .int32)), values: [.list([.int(1)]), .list([]), .null], op: .equal, scalar: .list([.int(1)]), expected: [true, false, nil]),
        ComparisonCase(type: .list(Field("element", .int32)), values: [.list([.int(1)]), .list([]), .null], op: .notEqual, scalar: .list([.int(1)]), expected: [false, true, nil]),
    ]

    @Test("comparison with a scalar follows the documented rules", arguments: cases)
    func comparison(_ c: ComparisonCase) throws {
        let column = try Column(c.type, scalars: c.values)
        let mask = try column.compare(c.op, c.scalar)
        #expect((0..<mask.count).map { mask[$0] } == c.expected.map { $0 == true })
        let threeValued = try column.compareThreeValued(c.op, c.scalar)
        #expect(threeValued.type == .boolean)
        let got: [Bool?] = (0..<threeValued.count).map {
            if case let .boolean(b) = threeValued.value(at: $0) { return b }
            return nil
        }
        #expect(got == c.expected)
    }

    @Test("comparison over many rows sets bits across word boundaries")
    func longColumn() throws {
        let column = try Column(.int64, values: (0..<200).map { Int64($0) })
        let mask = try column.compare(.greaterOrEqual, .int(100))
        #expect(mask.setIndices == Array(100..<200))
    }

    @Test("a scalar of an incomparable kind is a type mismatch", arguments: [
        (DataType.int64, ScalarValue.string("1")), (.string, .int(1)), (.date32, .int(1)), (.boolean, .int(1)),
    ])
    func mismatch(type: DataType, scalar: ScalarValue) throws {
        let column = try Column(type, scalars: [])
        #expect(throws: ColumnarError.self) { _ = try column.compare(.equal, scalar) }
    }

    @Test("ordering a nested column is rejected")
    func nestedOrder() throws {
        let column = try Column(.list(Field("element", .int32)), scalars: [.list([])])
        #expect(throws: ColumnarError.self) { _ = try column.compare(.less, .list([])) }
    }

    @Test("isNull and isNotNull read the validity")
    func nullTests() throws {
        let column = try Column(.int32, [1, nil, 3] as [Int32?])
        #expect(column.isNull().setIndices == [1])
        #expect(column.isNotNull().setIndices == [0, 2])
        let noNulls = try Column(.int32, [1] as [Int32?])
        #expect(noNulls.isNull().setCount == 0)
    }
}
