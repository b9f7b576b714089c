// Test fixtures: a deterministic column of every storage kind (nested included) with
// nulls, and reference results computed row by row through scalars, so each kernel
// is checked against the obvious per-row definition.
import Testing
@testable import TarnColumnar

enum KernelFixtures {
    /// One type per storage kind, plus nested combinations.
    static let types: [DataType] = [
        .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
        .float32, .float64, .string, .binary, .date32, .timestamp(.utc), .timestamp(.ntz),
        .decimal(precision: 10, scale: 2),
        .list(Field("element", .int32)),
        .list(Field("element", .list(Field("element", .string)))),
        .structure([Field("a", .int64), Field("b", .string)]),
        .map(key: Field("key", .string, nullable: false), value: Field("value", .float64)),
        .structure([Field("inner", .list(Field("element", .float32))), Field("flag", .boolean)]),
    ]

    /// Value of `row` for `type` (null on every 7th row starting at 3 when `nulls`).
    static func value(_ type: DataType, row i: Int, nulls: Bool = true) -> ScalarValue {
        if nulls && i % 7 == 3 { return .null }
        switch type {
        case .boolean: return .boolean(i % 3 == 0)
        case .int8: return .int(Int64(i % 200) - 100)
        case .int16: return .int(Int64(i * 37 % 3000) - 1500)
        case .int32: return .int(Int64(i * 7919 % 100_000) - 50_000)
        case .int64: return .int(Int64(i) * 1_000_000_007 - 40_000_000_000)
        case .uint8: return .uint(UInt64(i * 13 % 256))
        case .uint16: return .uint(UInt64(i * 131 % 65_536))
        case .uint32: return .uint(UInt64(i) * 2_654_435_761 % 4_294_967_296)
        case .uint64: return .uint(UInt64(i) &* 11_400_714_819_323_198_485)
        case .float32: return .float(Double(Float(Double(i) * 0.25 - 3)))
        case .float64: return .float(Double(i) * 1.5 - 70.125)
        case .string: return .string(i % 5 == 0 ? "" : "s\(i * 31 % 97)é")
        case .binary: return .binary((0..<(i % 4)).map { UInt8(($0 + i) % 256) })
        case .date32: return .date(Int32(i * 400 - 20_000))
        case let .timestamp(zone): return .timestamp(Int64(i) * 3_600_000_001 - 100_000_000_000, zone)
        case .decimal: return .decimal(Int128(i * 12_345 - 500_000), scale: 2)
        case let .list(element):
            return .list((0..<(i % 4)).map { j in j == 1 && i % 2 == 0 ? .null : value(element.type, row: i + j + 1, nulls: false) })
        case let .structure(fields):
            return .structure(fields.enumerated().map { f, field in
                (i + f) % 5 == 0 ? .null : value(field.type, row: i + f, nulls: false)
            })
        case let .map(_, item):
            return .map((0..<(i % 3)).map { j in
                .init(.string("k\(j)"), j == 1 ? .null : value(item.type, row: i + j, nulls: false))
            })
        }
    }

    static func scalars(_ type: DataType, count: Int, nulls: Bool = true, offset: Int = 0) -> [ScalarValue] {
        (0..<count).map { value(type, row: $0 + offset, nulls: nulls) }
    }

    static func column(_ type: DataType, count: Int, nulls: Bool = true, offset: Int = 0) throws -> Column {
        try Column(type, scalars: scalars(type, count: count, nulls: nulls, offset: offset))
    }

    static func values(_ column: Column) -> [ScalarValue] {
        (0..<column.count).map { column.value(at: $0) }
    }
}
