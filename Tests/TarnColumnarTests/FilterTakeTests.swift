// Filter by mask and take by indices on every storage kind, checked against scalars.
import Testing
@testable import TarnColumnar

@Suite("Filter and take kernels")
struct FilterTakeTests {
    static var masks: [(String, (Int) -> Bool)] { [
        ("every third", { $0 % 3 == 0 }),
        ("all", { _ in true }),
        ("none", { _ in false }),
        ("a full word then sparse", { $0 < 64 || $0 % 17 == 5 }),
        ("only the last row", { $0 == 149 }),
    ] }

    @Test("filtering any type keeps the rows whose mask bit is set", arguments: KernelFixtures.types)
    func filterEveryType(type: DataType) throws {
        let expected = KernelFixtures.scalars(type, count: 150)
        let column = try KernelFixtures.column(type, count: 150)
        for (name, selects) in Self.masks {
            let mask = Bitmap((0..<150).map(selects))
            let filtered = try column.filter(mask)
            let want = expected.enumerated().filter { selects($0.offset) }.map(\.element)
            #expect(KernelFixtures.values(filtered) == want, "mask \(name)")
            #expect(filtered.type == type)
        }
    }

    @Test("a mask of the wrong length is an error")
    func filterLength() throws {
        let column = try Column(.int64, [1, 2] as [Int64?])
        #expect(throws: ColumnarError.self) { _ = try column.filter(Bitmap(repeating: true, count: 3)) }
    }

    @Test("a boolean column's nulls do not select rows")
    func selectionMaskNulls() throws {
        let predicate = try Column(booleans: [true, nil, false, true])
        let mask = try predicate.selectionMask()
        #expect(mask.setIndices == [0, 3])
    }

    @Test("taking any type gathers rows in index order with repeats", arguments: KernelFixtures.types)
    func takeEveryType(type: DataType) throws {
        let expected = KernelFixtures.scalars(type, count: 150)
        let column = try KernelFixtures.column(type, count: 150)
        for indices in [[], [0], [149, 0, 3, 3, 64, 65, 10], Array((0..<150).reversed()), Array(repeating: 7, count: 70)] {
            let taken = try column.take(indices)
            #expect(KernelFixtures.values(taken) == indices.map { expected[$0] })
        }
    }

    @Test("an index outside the column is an error, not a trap", arguments: [[-1], [10], [0, 1, Int.max]])
    func takeOutOfRange(indices: [Int]) throws {
        let column = try KernelFixtures.column(.list(Field("element", .int32)), count: 10)
        #expect(throws: ColumnarError.self) { _ = try column.take(indices) }
    }

    @Test("batches filter and take every column together")
    func batches() throws {
        let schema = Schema([Field("id", .int64), Field("tags", .list(Field("element", .string)))])
        let batch = try RecordBatch(schema: schema, columns: [
            try KernelFixtures.column(.int64, count: 20),
            try KernelFixtures.column(.list(Field("element", .string)), count: 20),
        ])
        let mask = Bitmap((0..<20).map { $0 % 2 == 1 })
        let filtered = try batch.filter(mask)
        #expect(filtered.rowCount == 10)
        #expect(filtered.columns[1].value(at: 2) == batch.columns[1].value(at: 5))
        let taken = try batch.take([19, 0])
        #expect(taken.columns[0].value(at: 0) == batch.columns[0].value(at: 19))
        #expect(try batch.filter(Bitmap(repeating: false, count: 20)).rowCount == 0)
    }
}
