// Behaviour of the core column model: construction checks, nulls, scalars round trip.
import Testing
@testable import TarnColumnar

@Suite("Column model")
struct ColumnTests {
    @Test("a primitive column built from optionals keeps values and nulls")
    func primitiveOptionals() throws {
        let column = try Column(.int64, [1, nil, 3] as [Int64?])
        #expect(column.count == 3)
        #expect(column.nullCount == 1)
        #expect(column.value(at: 0) == .int(1))
        #expect(column.value(at: 1) == .null)
        #expect(column.values(as: Int64.self)?[2] == 3)
    }

    @Test("a column without nulls drops its validity bitmap")
    func allValidDropsBitmap() throws {
        let column = try Column(.int32, values: [1, 2] as [Int32], validity: Bitmap(repeating: true, count: 2))
        #expect(column.validity == nil)
    }

    @Test("storage that does not match the type is rejected")
    func storageMismatch() {
        #expect(throws: ColumnarError.self) {
            _ = try Column(type: .string, count: 1, validity: nil, storage: .int32([1]))
        }
    }

    @Test("nested scalars round trip through a column", arguments: [
        (DataType.list(Field("element", .float32)), [ScalarValue.list([.float(1.5), .null]), .null, .list([])]),
        (DataType.structure([Field("a", .int32), Field("b", .string)]), [.structure([.int(1), .string("x")]), .null]),
        (DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .int64)),
         [.map([.init(.string("k"), .int(7))]), .map([]), .null]),
        (DataType.decimal(precision: 10, scale: 2), [.decimal(12345, scale: 2), .null]),
        (DataType.timestamp(.utc), [.timestamp(-1, .utc), .timestamp(0, .utc)]),
        (DataType.date32, [.date(-719_162), .date(20_000)]),
    ])
    func nestedRoundTrip(type: DataType, values: [ScalarValue]) throws {
        let column = try Column(type, scalars: values)
        #expect(column.count == values.count)
        for (i, v) in values.enumerated() {
            #expect(column.value(at: i) == v)
        }
    }

    @Test("a batch rejects columns of different lengths")
    func batchLengths() throws {
        let a = try Column(.int64, [1, 2] as [Int64?])
        let b = try Column(strings: ["x"])
        #expect(throws: ColumnarError.self) {
            _ = try RecordBatch(schema: Schema([Field("a", .int64), Field("b", .string)]), columns: [a, b])
        }
    }

    @Test("timestamps format as ISO-8601 with microseconds, before and after 1970")
    func timestampFormat() {
        #expect(TemporalFormat.timestamp(0, zone: .utc) == "1970-01-01T00:00:00.000000Z")
        #expect(TemporalFormat.timestamp(-1, zone: .utc) == "1969-12-31T23:59:59.999999Z")
        #expect(TemporalFormat.timestamp(1_764_410_400_123_456, zone: .ntz) == "2025-11-29T10:00:00.123456")
        #expect(TemporalFormat.parseTimestamp("2025-11-29 10:00:00.123456")?.micros == 1_764_410_400_123_456)
        #expect(TemporalFormat.parseTimestamp("2025-11-29T12:00:00+02:00")?.micros == 1_764_410_400_000_000)
    }

    @Test("decimals format and parse at their scale")
    func decimals() {
        #expect(DecimalFormat.string(-5, scale: 2) == "-0.05")
        #expect(DecimalFormat.parse("123.45", precision: 5, scale: 2) == 12345)
        #expect(DecimalFormat.parse("123.456", precision: 6, scale: 2) == nil)
    }
}
