// The dictionary side-car of a Column: what attaching checks, that slice and take keep
// codes that still reproduce the values, and that kernels building new columns drop it.
import Testing
@testable import TarnColumnar

@Suite("Column dictionary side-car")
struct ColumnDictionaryTests {
    /// "b", nil, "a", "b", "", "c" over the dictionary ["a", "b", "", "c", "unused"].
    static func encoded() throws -> Column {
        let column = try Column(strings: ["b", nil, "a", "b", "", "c"])
        let values = try Column(strings: ["a", "b", "", "c", "unused"])
        return try column.withDictionary(codes: [1, 0, 0, 1, 2, 3], values: values)
    }

    /// Every valid row's value equals the dictionary value its code names.
    static func codesReproduceValues(_ column: Column) throws {
        let dictionary = try #require(column.dictionary)
        #expect(dictionary.codes.count == column.count)
        #expect(dictionary.values.validity == nil)
        for row in 0..<column.count where column.isValid(row) {
            let code = Int(dictionary.codes[row])
            #expect(code >= 0 && code < dictionary.values.count)
            #expect(dictionary.values.string(at: code) == column.string(at: row), "row \(row)")
        }
    }

    @Test("attaching keeps the storage and exposes codes and values")
    func attach() throws {
        let column = try Self.encoded()
        #expect(column.count == 6)
        #expect(column.string(at: 0) == "b")
        #expect(column.isNull(1))
        #expect(column.dictionary?.values.count == 5)
        try Self.codesReproduceValues(column)
        #expect(column.withoutDictionary.dictionary == nil)
        #expect(column.withoutDictionary.string(at: 5) == "c")
    }

    @Test("columns are built without a dictionary")
    func defaultNil() throws {
        #expect(try Column(strings: ["a"]).dictionary == nil)
        #expect(try Column(.int64, [1, nil] as [Int64?]).dictionary == nil)
    }

    static let badAttachments: [(String, [Int32], [String?])] = [
        ("too few codes", [0, 0], ["a", "b"]),
        ("too many codes", [0, 0, 0, 0], ["a", "b"]),
        ("negative code", [0, -1, 0], ["a", "b"]),
        ("code past the end", [0, 2, 0], ["a", "b"]),
        ("null dictionary value", [0, 0, 0], ["a", nil]),
    ]

    @Test("attaching rejects inconsistent codes and values", arguments: badAttachments)
    func rejects(name: String, codes: [Int32], values: [String?]) throws {
        let column = try Column(strings: ["a", "b", "a"])
        let dictionary = try Column(strings: values)
        #expect(throws: ColumnarError.self, "\(name)") {
            _ = try column.withDictionary(codes: codes, values: dictionary)
        }
    }

    @Test("attaching rejects values of another type")
    func rejectsType() throws {
        let column = try Column(strings: ["a"])
        let values = try Column(.int64, [1] as [Int64?])
        #expect(throws: ColumnarError.self) { _ = try column.withDictionary(codes: [0], values: values) }
    }

    @Test("integer columns carry dictionaries too")
    func integers() throws {
        let column = try Column(.int64, [7, 9, nil, 7] as [Int64?])
        let values = try Column(.int64, [9, 7] as [Int64?])
        let encoded = try column.withDictionary(codes: [1, 0, 0, 1], values: values)
        let taken = try encoded.take([3, 2, 1])
        let dictionary = try #require(taken.dictionary)
        #expect(dictionary.codes == [1, 0, 0])
        #expect(taken.value(at: 0) == .int(7))
        #expect(taken.isNull(1))
    }

    static let slices: [Range<Int>] = [0..<6, 0..<0, 1..<4, 2..<3, 4..<6]

    @Test("slice keeps codes consistent with the sliced rows", arguments: slices)
    func slice(range: Range<Int>) throws {
        let column = try Self.encoded()
        let sliced = try column.slice(range)
        #expect(sliced.dictionary?.codes == Array(try #require(column.dictionary).codes[range]))
        try Self.codesReproduceValues(sliced)
    }

    @Test("take gathers the codes with the rows, repeats and reorders included")
    func take() throws {
        let column = try Self.encoded()
        let taken = try column.take([5, 0, 0, 1, 4, 2])
        #expect(taken.dictionary?.codes == [3, 1, 1, 0, 2, 0])
        #expect(taken.string(at: 0) == "c")
        try Self.codesReproduceValues(taken)
    }

    @Test("batch slice and take keep the side-car of each column")
    func batch() throws {
        let column = try Self.encoded()
        let batch = try RecordBatch(schema: Schema([Field("s", .string)]), columns: [column])
        try Self.codesReproduceValues(try batch.slice(1..<5).columns[0])
        try Self.codesReproduceValues(try batch.take([4, 3]).columns[0])
        #expect(try batch.take([4, 3]).columns[0].dictionary?.codes == [2, 1])
    }

    @Test("filter keeps the side-car of the selected rows", arguments: [DataType.string, .int64])
    func filter(type: DataType) throws {
        let strings = try Self.encoded()
        let column = type == .string ? strings
            : try Column(.int64, [2, nil, 1, 2, 3, 4] as [Int64?])
                .withDictionary(codes: [1, 0, 0, 1, 2, 3], values: try Column(.int64, [1, 2, 3, 4, 5] as [Int64?]))
        let filtered = try column.filter(Bitmap([true, false, true, true, false, true]))
        #expect(filtered.dictionary?.codes == [1, 0, 1, 3])
        let dictionary = try #require(filtered.dictionary)
        for row in 0..<filtered.count {
            #expect(dictionary.values.value(at: Int(dictionary.codes[row])) == filtered.value(at: row))
        }
    }

    @Test("kernels that build new columns drop the side-car")
    func dropped() throws {
        let column = try Self.encoded()
        #expect(try Column.concat([column, column]).dictionary == nil)
        #expect(try column.cast(to: .binary).dictionary == nil)
    }
}
