// Every kernel on an empty column of every type: no trap, empty (or null) results.
import Testing
@testable import TarnColumnar

@Suite("Kernels on empty columns")
struct EmptyColumnTests {
    @Test("slice, concat, filter, take, sort, hash, min/max, cast and formatting accept empty columns", arguments: KernelFixtures.types)
    func empty(type: DataType) throws {
        let column = Column.empty(type)
        #expect(try column.slice(0..<0).count == 0)
        #expect(try Column.concat([column, column]).count == 0)
        #expect(try column.filter(Bitmap()).count == 0)
        #expect(try column.take([]).count == 0)
        #expect(try Column.sortIndices(columns: [column], ascending: [true], nullsFirst: [true]).isEmpty)
        #expect(try Column.hashRows([column]).isEmpty)
        #expect(column.minMax().min == .null)
        #expect(try column.cast(to: .string).count == 0)
        #expect(column.isNull().count == 0)
        let batch = try RecordBatch(schema: Schema([Field("c", type)]), columns: [column], rowCount: 0)
        #expect(JSONLinesWriter().write([batch]).isEmpty)
        #expect(String(decoding: CSVWriter().write([batch], schema: batch.schema), as: UTF8.self) == "c\n")
        #expect(try batch.evaluate(.isNull(column: "c")).count == 0)
    }
}
