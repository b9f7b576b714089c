// Sort order (stable, per-key direction and null placement, NaN last, nested) and
// row hashes (equal rows hash equal, across integer widths; different rows differ).
import Testing
@testable import TarnColumnar

@Suite("Sort and hash kernels")
struct SortHashTests {
    @Test("a single key sorts with nulls placed as asked and ties kept in input order", arguments: [
        (true, true, [3, 5, 1, 4, 0, 2]),
        (true, false, [1, 4, 0, 2, 3, 5]),
        (false, false, [2, 0, 1, 4, 3, 5]),
        (false, true, [3, 5, 2, 0, 1, 4]),
    ])
    func singleKey(ascending: Bool, nullsFirst: Bool, expected: [Int]) throws {
        let column = try Column(.int64, [5, 1, 9, nil, 1, nil] as [Int64?])
        #expect(try Column.sortIndices(columns: [column], ascending: [ascending], nullsFirst: [nullsFirst]) == expected)
    }

    @Test("floats sort with NaN above infinity and -0.0 equal to 0.0")
    func floats() throws {
        let column = try Column(.float64, [.nan, .infinity, 0.0, -0.0, -1] as [Double?])
        #expect(try Column.sortIndices(columns: [column], ascending: [true], nullsFirst: [true]) == [4, 2, 3, 1, 0])
    }

    @Test("the fast integer path is stable and honours descending order")
    func fastPath() throws {
        let column = try Column(.int32, values: [Int32](arrayLiteral: 2, 1, 2, 1, 3))
        #expect(try Column.sortIndices(columns: [column], ascending: [true], nullsFirst: [true]) == [1, 3, 0, 2, 4])
        #expect(try Column.sortIndices(columns: [column], ascending: [false], nullsFirst: [true]) == [4, 0, 2, 1, 3])
    }

    @Test("several keys sort lexicographically, strings byte-wise")
    func multiKey() throws {
        let group = try Column(strings: ["b", "a", "b", "é", "a"])
        let value = try Column(.float32, [1, 2, 0, 5, 1] as [Float?])
        let order = try Column.sortIndices(columns: [group, value], ascending: [true, false], nullsFirst: [true, true])
        #expect(order == [1, 4, 0, 2, 3])
    }

    @Test("several keys of every type sort as the per-type row comparators say, ties in input order",
          arguments: KernelFixtures.types)
    func multiKeyMatchesComparators(_ type: DataType) throws {
        // Repeating values (rows i % 13) and a coarse first key with nulls make many ties.
        let rows = 90
        let first = try Column(.int32, (0..<rows).map { $0 % 11 == 4 ? nil : Int32($0 % 3) } as [Int32?])
        let second = try Column(type, scalars: (0..<rows).map { KernelFixtures.value(type, row: $0 % 13) })
        for (ascending, nullsFirst) in [([true, true], [true, false]), ([false, true], [false, true]),
                                        ([true, false], [false, false]), ([false, false], [true, true])] {
            let order = try Column.sortIndices(columns: [first, second], ascending: ascending, nullsFirst: nullsFirst)
            let comparators = [first, second].enumerated().map { k, column -> (Int, Int) -> Int in
                let values = column.rowComparator()
                return { a, b in
                    switch (column.isNull(a), column.isNull(b)) {
                    case (false, false): return (ascending[k] ? 1 : -1) * values(a, b)
                    case (true, true): return 0
                    case (true, false): return nullsFirst[k] ? -1 : 1
                    case (false, true): return nullsFirst[k] ? 1 : -1
                    }
                }
            }
            let expected = (0..<rows).sorted { a, b in
                for comparator in comparators {
                    let c = comparator(a, b)
                    if c != 0 { return c < 0 }
                }
                return a < b
            }
            #expect(order == expected, "\(type) ascending \(ascending) nullsFirst \(nullsFirst)")
        }
    }

    @Test("nested values sort element by element, then by length")
    func nested() throws {
        let lists = try Column(.list(Field("element", .int32)), scalars: [
            .list([.int(1), .int(2)]), .list([.int(1)]), .list([]), .list([.null]), .list([.int(0), .int(9)]),
        ])
        #expect(try Column.sortIndices(columns: [lists], ascending: [true], nullsFirst: [true]) == [2, 3, 4, 1, 0])
        let structs = try Column(.structure([Field("a", .int32), Field("b", .string)]), scalars: [
            .structure([.int(1), .string("z")]), .structure([.int(1), .string("a")]), .structure([.int(0), .null]),
        ])
        #expect(try Column.sortIndices(columns: [structs], ascending: [true], nullsFirst: [true]) == [2, 1, 0])
    }

    @Test("mismatched flags or key lengths are errors")
    func errors() throws {
        let a = try Column(.int32, [1, 2] as [Int32?])
        let b = try Column(.int32, [1] as [Int32?])
        #expect(throws: ColumnarError.self) { _ = try Column.sortIndices(columns: [a], ascending: [], nullsFirst: [true]) }
        #expect(throws: ColumnarError.self) { _ = try Column.sortIndices(columns: [a, b], ascending: [true, true], nullsFirst: [true, true]) }
    }

    @Test("a batch sorts by named columns")
    func batchSort() throws {
        let batch = try RecordBatch(schema: Schema([Field("k", .int64), Field("v", .string)]), columns: [
            try Column(.int64, [2, 1, nil] as [Int64?]), try Column(strings: ["two", "one", "none"]),
        ])
        let sorted = try batch.sorted(by: [(column: "k", ascending: true, nullsFirst: false)])
        #expect(KernelFixtures.values(sorted.columns[1]) == [.string("one"), .string("two"), .string("none")])
        #expect(throws: ColumnarError.self) { _ = try batch.sorted(by: [(column: "nope", ascending: true, nullsFirst: true)]) }
    }

    @Test("equal rows hash equally and different rows differ", arguments: KernelFixtures.types)
    func hashes(type: DataType) throws {
        let column = try KernelFixtures.column(type, count: 60)
        let doubled = try Column.concat([column, column])
        let hashes = try Column.hashRows([doubled])
        #expect(Array(hashes[0..<60]) == Array(hashes[60..<120]))
        // Distinct values give distinct hashes (the fixture's values are mostly distinct).
        let values = KernelFixtures.values(column)
        var byValue: [ScalarValue: UInt64] = [:]
        for (i, v) in values.enumerated() {
            if let h = byValue[v] { #expect(h == hashes[i]) } else { byValue[v] = hashes[i] }
        }
        #expect(Set(byValue.values).count == byValue.count)
    }

    @Test("hashes agree across integer widths and float zero signs, and combine columns in order")
    func crossType() throws {
        let narrow = try Column(.int16, [1, -2, nil] as [Int16?])
        let wide = try Column(.int64, [1, -2, nil] as [Int64?])
        #expect(try Column.hashRows([narrow]) == Column.hashRows([wide]))
        let zeros = try Column.hashRows([try Column(.float64, [0.0, -0.0, .nan, -.nan] as [Double?])])
        #expect(zeros[0] == zeros[1])
        #expect(zeros[2] == zeros[3])
        let a = try Column(strings: ["x", "y"]), b = try Column(strings: ["y", "x"])
        let ab = try Column.hashRows([a, b]), ba = try Column.hashRows([b, a])
        #expect(ab[0] != ba[0])
        var wrong = [UInt64](repeating: 0, count: 1)
        #expect(throws: ColumnarError.self) { try a.hash(into: &wrong) }
    }
}
