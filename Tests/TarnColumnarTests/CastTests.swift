// Cast: widenings, checked narrowings, text parsing with row-naming errors, formatting
// to text, temporal conversions and nested casts.
import Testing
@testable import TarnColumnar

@Suite("Cast kernel")
struct CastTests {
    @Test("values convert between types", arguments: [
        (DataType.int32, [ScalarValue.int(1), .null, .int(-7)], DataType.int64, [ScalarValue.int(1), .null, .int(-7)]),
        (.int64, [.int(200), .int(-1)], .int16, [.int(200), .int(-1)]),
        (.uint8, [.uint(255)], .int64, [.int(255)]),
        (.int32, [.int(3)], .float64, [.float(3)]),
        (.float64, [.float(2.9), .float(-2.9)], .int32, [.int(2), .int(-2)]),
        (.float64, [.float(0.1)], .float32, [.float(Double(Float(0.1)))]),
        (.int64, [.int(12)], .decimal(precision: 5, scale: 2), [.decimal(1200, scale: 2)]),
        (.decimal(precision: 6, scale: 3), [.decimal(12_345, scale: 3), .decimal(-12_345, scale: 3)], .decimal(precision: 5, scale: 2),
         [.decimal(1235, scale: 2), .decimal(-1235, scale: 2)]),
        (.decimal(precision: 5, scale: 2), [.decimal(-150, scale: 2)], .float64, [.float(-1.5)]),
        (.decimal(precision: 5, scale: 2), [.decimal(-150, scale: 2)], .int32, [.int(-1)]),
        (.boolean, [.boolean(true), .boolean(false)], .int8, [.int(1), .int(0)]),
        (.int32, [.int(0), .int(5), .null], .boolean, [.boolean(false), .boolean(true), .null]),
        (.string, [.string(" 42 "), .null, .string("-9223372036854775808")], .int64, [.int(42), .null, .int(Int64.min)]),
        (.string, [.string("1.5e3"), .string("NaN")], .float64, [.float(1500), .float(.nan)]),
        (.string, [.string("TRUE"), .string("false")], .boolean, [.boolean(true), .boolean(false)]),
        (.string, [.string("2024-02-29")], .date32, [.date(19_782)]),
        (.string, [.string("1969-12-31 23:59:59.5"), .string("1970-01-01T01:00:00+01:00")], .timestamp(.ntz),
         [.timestamp(-500_000, .ntz), .timestamp(0, .ntz)]),
        (.string, [.string("-12.50")], .decimal(precision: 4, scale: 2), [.decimal(-1250, scale: 2)]),
        (.string, [.string("ab")], .binary, [.binary([0x61, 0x62])]),
        (.int64, [.int(-12), .null], .string, [.string("-12"), .null]),
        (.float64, [.float(0.1), .float(-.infinity)], .string, [.string("0.1"), .string("-Infinity")]),
        (.date32, [.date(-1)], .string, [.string("1969-12-31")]),
        (.timestamp(.utc), [.timestamp(-1, .utc)], .string, [.string("1969-12-31T23:59:59.999999Z")]),
        (.decimal(precision: 5, scale: 2), [.decimal(-5, scale: 2)], .string, [.string("-0.05")]),
        (.list(Field("element", .int32)), [.list([.int(1), .null])], .string, [.string("[1,null]")]),
        (.date32, [.date(1)], .timestamp(.utc), [.timestamp(86_400_000_000, .utc)]),
        (.timestamp(.utc), [.timestamp(-1, .utc)], .date32, [.date(-1)]),
        (.timestamp(.utc), [.timestamp(5, .utc)], .timestamp(.ntz), [.timestamp(5, .ntz)]),
        (.list(Field("element", .int32)), [.list([.int(1)]), .null], .list(Field("element", .int64)), [.list([.int(1)]), .null]),
        (.structure([Field("a", .int8)]), [.structure([.int(1)])], .structure([Field("a", .string)]), [.structure([.string("1")])]),
    ])
    func converts(from: DataType, values: [ScalarValue], to: DataType, expected: [ScalarValue]) throws {
        let cast = try Column(from, scalars: values).cast(to: to)
        #expect(cast.type == to)
        let got = KernelFixtures.values(cast)
        // NaN never equals itself; compare its description instead.
        #expect(got.map(\.description) == expected.map(\.description))
    }

    @Test("a value that does not fit or parse fails naming its row", arguments: [
        (DataType.int64, [ScalarValue.int(1), .int(300)], DataType.int8, "row 1"),
        (.int32, [.int(-1)], .uint32, "row 0"),
        (.float64, [.float(1), .float(.nan)], .int64, "row 1"),
        (.string, [.string("1"), .null, .string("x1")], .int32, "row 2"),
        (.string, [.string("2024-02-30")], .date32, "row 0"),
        (.string, [.string("1.234")], .decimal(precision: 5, scale: 2), "row 0"),
        (.int64, [.int(1000)], .decimal(precision: 3, scale: 1), "row 0"),
    ])
    func failures(from: DataType, values: [ScalarValue], to: DataType, row: String) throws {
        let column = try Column(from, scalars: values)
        do {
            _ = try column.cast(to: to)
            Issue.record("cast succeeded")
        } catch {
            #expect(error.description.contains(row), "\(error)")
        }
    }

    @Test("null slots are never range-checked")
    func nullSlotsSkipped() throws {
        let column = try Column(.int64, values: [1, 999_999] as [Int64], validity: Bitmap([true, false]))
        let cast = try column.cast(to: .int8)
        #expect(KernelFixtures.values(cast) == [.int(1), .null])
    }

    @Test("unsupported conversions are type mismatches", arguments: [
        (DataType.date32, DataType.int64), (.boolean, .date32), (.int64, .binary), (.list(Field("element", .int32)), .int32),
    ])
    func unsupported(from: DataType, to: DataType) throws {
        let column = Column.empty(from)
        #expect(throws: ColumnarError.self) { _ = try column.cast(to: to) }
    }

    @Test("binary that is not UTF-8 does not become a string")
    func binaryToString() throws {
        let column = try Column(.binary, scalars: [.binary([0xFF, 0xFE])])
        #expect(throws: ColumnarError.self) { _ = try column.cast(to: .string) }
    }
}
