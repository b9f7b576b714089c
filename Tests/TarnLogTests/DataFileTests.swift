// DataFileTests: building add actions from the Parquet writer's statistics.
import Testing
import TarnColumnar
import TarnParquet
@testable import TarnLog

@Suite("Add actions for written data files")
struct DataFileTests {
    @Test("stats come from the Parquet writer's per-leaf bounds, nested structs included")
    func fromWriterStatistics() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string), Field("s", .structure([Field("x", .float64)])),
                             Field("tags", .list(Field("element", .string)))])
        let batch = try RecordBatch(schema: schema, columns: [
            Column(.int64, scalars: [.int(3), .int(-1), .null]),
            Column(.string, scalars: [.string("b"), .null, .string("a")]),
            Column(.structure([Field("x", .float64)]), scalars: [.structure([.float(1)]), .structure([.float(-2)]), .structure([.null])]),
            Column(.list(Field("element", .string)), scalars: [.list([.string("t")]), .list([]), .null]),
        ])
        var writer = try ParquetFileWriter(schema: schema)
        try writer.write(batch)
        let bytes = try writer.finish()
        let add = AddFile.dataFile(relativePath: "p=a b/part-0.parquet", size: Int64(bytes.count), modificationTime: 5,
                                   partitionValues: ["p": "a b"], numRecords: 3, parquetStatistics: writer.columnStatistics,
                                   dataSchema: schema)
        #expect(add.path == "p=a%20b/part-0.parquet")
        #expect(add.dataChange)
        let stats = try #require(add.statistics(schema: schema))
        #expect(stats.numRecords == 3)
        #expect(stats.bounds("id") == ColumnBounds(min: .int(-1), max: .int(3), nullCount: 1, rowCount: 3))
        #expect(stats.bounds("name")?.min == .string("a"))
        #expect(stats.bounds("s.x")?.max == .float(1))
        #expect(stats.bounds("tags") == nil)
    }
}
