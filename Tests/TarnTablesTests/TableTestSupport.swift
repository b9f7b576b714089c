// Helpers for table tests: small batches of a fixed schema.
import TarnColumnar
import TarnTables
import TarnTestSupport

enum Rows {
    /// The fixture's score of `id` (nil when SQL NULL).
    static func score(_ id: Int) -> Double? { id % 5 == 0 ? nil : Double(id) / 2 }

    /// An in-memory table with rows 0..<30 in three appends (versions 1–3), partitioned
    /// by `day` when asked: the starting point of the DML tests.
    static func table(partitioned: Bool) throws -> Table {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema,
                                     partitionColumns: partitioned ? ["day"] : [])
        for start in stride(from: 0, to: 30, by: 10) { try table.append([try batch(start..<(start + 10))]) }
        return table
    }

    static let schema = Schema([
        Field("id", .int64, nullable: false), Field("name", .string), Field("score", .float64), Field("day", .date32),
    ])

    /// Rows `ids` with name "n<id>", score id/2 (null when id % 5 == 0), day 20000 + id % 3.
    static func batch(_ ids: some Sequence<Int>) throws -> RecordBatch {
        let list = Array(ids)
        return try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: list.map(Int64.init)),
            try Column(strings: list.map { "n\($0)" }),
            try Column(.float64, list.map { $0 % 5 == 0 ? nil : Double($0) / 2 }),
            try Column(.date32, values: list.map { Int32(20000 + $0 % 3) }),
        ])
    }

    static func ids(_ batches: [RecordBatch]) -> [Int64] {
        batches.flatMap { b in (0..<b.rowCount).compactMap { i -> Int64? in
            if case let .int(v) = b.column(named: "id")?.value(at: i) { return v }
            return nil
        } }.sorted()
    }
}
