// Slice and concat on every storage kind, checked against per-row scalars.
import Testing
@testable import TarnColumnar

@Suite("Slice and concat kernels")
struct SliceConcatTests {
    @Test("slicing any type keeps exactly the rows of the range", arguments: KernelFixtures.types)
    func sliceEveryType(type: DataType) throws {
        let expected = KernelFixtures.scalars(type, count: 150)
        let column = try KernelFixtures.column(type, count: 150)
        for range in [0..<150, 0..<0, 3..<4, 1..<70, 63..<129, 64..<128, 149..<150, 150..<150] {
            let sliced = try column.slice(range)
            #expect(sliced.count == range.count)
            #expect(sliced.type == type)
            #expect(KernelFixtures.values(sliced) == Array(expected[range]), "range \(range)")
            #expect(sliced.nullCount == expected[range].filter { $0 == .null }.count)
        }
    }

    @Test("a sliced nested column rebases its offsets to start at zero")
    func sliceRebasesOffsets() throws {
        let column = try Column(.list(Field("element", .int32)), scalars: [.list([.int(1), .int(2)]), .list([.int(3)]), .list([.int(4), .int(5)])])
        let sliced = try column.slice(1..<3)
        guard case let .list(offsets, values) = sliced.storage else {
            Issue.record("not a list")
            return
        }
        #expect(offsets == [0, 1, 3])
        #expect(values.count == 3)
    }

    @Test("a slice outside the column is an error", arguments: [(-1)..<2, 0..<11, 10..<12])
    func sliceOutOfRange(range: Range<Int>) throws {
        let column = try Column(.int64, [Int64?](repeating: 1, count: 10))
        #expect(throws: ColumnarError.self) { _ = try column.slice(range) }
    }

    @Test("concatenating any type appends rows, nulls and nested children", arguments: KernelFixtures.types)
    func concatEveryType(type: DataType) throws {
        let a = try KernelFixtures.column(type, count: 37)
        let b = try KernelFixtures.column(type, count: 0)
        let c = try KernelFixtures.column(type, count: 100, nulls: false, offset: 37)
        let joined = try Column.concat([a, b, c])
        let expected = KernelFixtures.scalars(type, count: 37) + KernelFixtures.scalars(type, count: 100, nulls: false, offset: 37)
        #expect(joined.count == 137)
        #expect(KernelFixtures.values(joined) == expected)
        // Concat of slices equals the original.
        let original = try KernelFixtures.column(type, count: 150)
        let pieces = [try original.slice(0..<5), try original.slice(5..<70), try original.slice(70..<150)]
        #expect(KernelFixtures.values(try Column.concat(pieces)) == KernelFixtures.values(original))
    }

    @Test("concat rejects columns of different types and an empty list")
    func concatMismatch() throws {
        let a = try Column(.int64, [1] as [Int64?])
        let b = try Column(.int32, [1] as [Int32?])
        #expect(throws: ColumnarError.self) { _ = try Column.concat([a, b]) }
        #expect(throws: ColumnarError.self) { _ = try Column.concat([]) }
    }

    @Test("batches slice and concat by rows and reject a different schema")
    func batches() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let batch = try RecordBatch(schema: schema, columns: [
            try Column(.int64, [1, 2, 3] as [Int64?]), try Column(strings: ["a", nil, "c"]),
        ])
        let sliced = try batch.slice(1..<3)
        #expect(sliced.rowCount == 2)
        #expect(sliced.columns[1].value(at: 1) == .string("c"))
        let joined = try RecordBatch.concat([batch, sliced])
        #expect(joined.rowCount == 5)
        #expect(joined.columns[0].value(at: 4) == .int(3))
        let other = try RecordBatch(schema: Schema([Field("id", .int64), Field("title", .string)]), columns: batch.columns)
        #expect(throws: ColumnarError.self) { _ = try RecordBatch.concat([batch, other]) }
    }
}
