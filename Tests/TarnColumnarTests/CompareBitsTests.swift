// The compare kernel's bit building across word boundaries: every operator on long
// float and integer columns (NaN, ±0, nulls, lengths not a multiple of 64) against a
// per-row reference, so the branch-free bit packing cannot drop or shift a row.
import Testing
@testable import TarnColumnar

@Suite("Compare kernel bits")
struct CompareBitsTests {
    /// NaN sorts above every number and equals itself (Tarn's float order).
    static func reference(_ x: Double, _ op: ComparisonOperator, _ d: Double) -> Bool {
        if x.isNaN || d.isNaN {
            let order = x.isNaN && d.isNaN ? 0 : (x.isNaN ? 1 : -1)
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            }
        }
        switch op {
        case .equal: return x == d
        case .notEqual: return x != d
        case .less: return x < d
        case .lessOrEqual: return x <= d
        case .greater: return x > d
        case .greaterOrEqual: return x >= d
        }
    }

    static let operators: [ComparisonOperator] = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]

    @Test("float comparisons match a per-row reference over many words", arguments: [0.0, -0.0, 0.25, Double.nan])
    func floats(scalar: Double) throws {
        let pool: [Double] = [0, -0.0, 0.25, -1, 3, .nan, .infinity, -.infinity, 0.2500001]
        let values: [Double?] = (0..<203).map { i in i % 11 == 4 ? nil : pool[(i &* 7 &+ i / 5) % pool.count] }
        let column = try Column(.float64, scalars: values.map { $0.map(ScalarValue.float) ?? .null })
        for op in Self.operators {
            let bits = try column.compare(op, .float(scalar))
            #expect(bits.count == values.count)
            for (i, value) in values.enumerated() {
                let expected = value.map { Self.reference($0, op, scalar) } ?? false
                #expect(bits[i] == expected, "row \(i) value \(String(describing: value)) \(op.rawValue) \(scalar)")
            }
        }
    }

    @Test("integer comparisons match a per-row reference over many words", arguments: [130, 200, 64])
    func integers(count: Int) throws {
        let values = (0..<count).map { Int64(($0 &* 37) % 101) - 50 }
        let column = try Column(.int64, values: values)
        for op in Self.operators {
            let bits = try column.compare(op, .int(3))
            for (i, value) in values.enumerated() {
                #expect(bits[i] == Self.reference(Double(value), op, 3), "row \(i) \(op.rawValue)")
            }
        }
    }
}
