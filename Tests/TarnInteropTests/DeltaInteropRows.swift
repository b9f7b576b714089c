// Rows for the Delta interop tests: every type Tarn writes to a Delta table, with
// nulls, extremes, NaN/-0.0/±inf, empty strings, lists and maps, partition values that
// need escaping. Deterministic from the row id; never random, never read from disk.
import Foundation
import TarnColumnar

enum DeltaInteropRows {
    static let element = Field("element", .float32)
    static let infoFields = [Field("a", .int32), Field("b", .string)]
    static let mapKey = Field("key", .string, nullable: false)
    static let mapValue = Field("value", .int64)

    /// Every type Tarn writes; `region` (string) and `day` (date) are the partition
    /// columns of the partitioned variant.
    static let schema = Schema([
        Field("id", .int64, nullable: false),
        Field("i8", .int8), Field("i16", .int16), Field("i32", .int32),
        Field("f32", .float32), Field("f64", .float64),
        Field("name", .string), Field("payload", .binary), Field("flag", .boolean),
        Field("region", .string), Field("day", .date32),
        Field("ts", .timestamp(.utc)), Field("amount", .decimal(precision: 18, scale: 4)),
        Field("emb", .list(element)), Field("info", .structure(infoFields)),
        Field("tags", .map(key: mapKey, value: mapValue)),
    ])

    /// Delta type names of the schema's columns, as the checker expects them.
    static let deltaTypeNames: [String: String] = [
        "id": "long", "i8": "byte", "i16": "short", "i32": "integer", "f32": "float", "f64": "double",
        "name": "string", "payload": "binary", "flag": "boolean", "region": "string", "day": "date",
        "ts": "timestamp", "amount": "decimal(18,4)", "emb": "array<float>", "info": "struct<a,b>",
        "tags": "map<string,long>",
    ]

    static let regions: [String?] = ["north", "south east", "a/b=c%", nil, "ünï"]
    static let days: [Int32?] = [-1, 0, 19_000, nil, 20_500]

    /// One row's values in schema order.
    static func row(_ id: Int64) -> [ScalarValue] {
        let i = Int(id)
        func maybe(_ isNull: Bool, _ value: @autoclosure () -> ScalarValue) -> ScalarValue { isNull ? .null : value() }
        let int8Cycle: [Int64] = [Int64(Int8.min), -1, 0, 1, Int64(Int8.max), Int64(i % 100)]
        let f64: ScalarValue = i % 8 == 1 ? .null
            : i % 23 == 0 ? .float(.nan)
            : i % 29 == 0 ? .float(.infinity)
            : i % 31 == 0 ? .float(-0.0)
            : .float(Double(i) * 1.5 - 500.125)
        let region = regions[i % regions.count].map(ScalarValue.string) ?? .null
        let day = days[(i / 2) % days.count].map(ScalarValue.date) ?? .null
        let ts: ScalarValue = i % 12 == 11 ? .null
            : i % 25 == 0 ? .timestamp(-86_400_000_001, .utc)
            : .timestamp(1_700_000_000_000_000 + Int64(i) * 1_234_567, .utc)
        let emb: ScalarValue = i % 9 == 8 ? .null
            : i % 10 == 0 ? .list([])
            : .list([.float(Double(i)), i % 7 == 0 ? .null : .float(-0.5), .float(Double(i % 13) * 0.25)])
        let tags: ScalarValue = i % 13 == 12 ? .null
            : i % 6 == 0 ? .map([])
            : .map([.init(.string("k\(i % 3)"), .int(id)), .init(.string("z"), .null)])
        return [
            .int(id),
            maybe(i % 11 == 3, .int(int8Cycle[i % int8Cycle.count])),
            maybe(i % 13 == 5, .int(Int64(Int16(truncatingIfNeeded: i &* 977)))),
            maybe(i % 9 == 4, .int(Int64(Int32(truncatingIfNeeded: i &* 2_654_435_761)))),
            maybe(i % 10 == 7, .float(Double(Float(i) * 0.25 - 30))),
            f64,
            maybe(i % 7 == 2, .string(i % 19 == 0 ? "" : "name-\(i)-ü✓")),
            maybe(i % 6 == 5, .binary(i % 14 == 0 ? [] : [UInt8(i % 256), 0, 255, UInt8((i * 7) % 256)])),
            maybe(i % 5 == 4, .boolean(i % 2 == 0)),
            region,
            day,
            ts,
            maybe(i % 10 == 3, .decimal(Int128(i) * 12_345 - 600_000, scale: 4)),
            emb,
            maybe(i % 15 == 14, .structure([i % 4 == 0 ? .null : .int(Int64(i)), .string("b\(i)")])),
            tags,
        ]
    }

    /// A batch of the rows with ids `ids`.
    static func batch(_ ids: some Sequence<Int64>) throws -> RecordBatch {
        let rows = ids.map(row)
        var columns: [Column] = []
        for (index, field) in schema.fields.enumerated() {
            columns.append(try Column(field.type, scalars: rows.map { $0[index] }))
        }
        return try RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
    }

    /// The ids of `batches` (column "id"), sorted.
    static func ids(_ batches: [RecordBatch]) -> [Int64] {
        batches.flatMap { batch in
            (0..<batch.rowCount).compactMap { row -> Int64? in
                if case let .int(v) = batch.column(named: "id")?.value(at: row) { return v }
                return nil
            }
        }.sorted()
    }
}
