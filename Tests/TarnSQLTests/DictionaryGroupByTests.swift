// GROUP BY on a key column that carries dictionary codes gives exactly what GROUP BY on
// the same data without codes gives — same groups in the same order, same aggregates —
// with NULL keys, unused and repeated dictionary values, empty strings, several batches
// and files with different dictionaries, large batches split over workers, and after a
// WHERE filter; and the code path is really taken (the operator counts its batches).
import Foundation
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport
@testable import TarnSQL

@Suite("GROUP BY on dictionary codes")
struct DictionaryGroupByTests {
    /// A string key column with codes: row values drawn from `dictionary` by `codes`,
    /// null where `nulls` says (those rows hold code 0).
    static func stringKey(dictionary: [String], codes: [Int32], nulls: (Int) -> Bool) throws -> Column {
        let values: [String?] = codes.indices.map { nulls($0) ? nil : dictionary[Int(codes[$0])] }
        let plainCodes = codes.indices.map { nulls($0) ? Int32(0) : codes[$0] }
        return try Column(strings: values).withDictionary(codes: plainCodes, values: try Column(strings: dictionary))
    }

    static func intKey(dictionary: [Int64], codes: [Int32], nulls: (Int) -> Bool) throws -> Column {
        let values: [Int64?] = codes.indices.map { nulls($0) ? nil : dictionary[Int(codes[$0])] }
        let plainCodes = codes.indices.map { nulls($0) ? Int32(0) : codes[$0] }
        return try Column(.int64, values).withDictionary(codes: plainCodes, values: try Column(.int64, dictionary.map { Optional($0) }))
    }

    static let calls: [AggregateCall] = {
        let v = columnRef(1, .int64, "v")
        let f = columnRef(2, .float64, "f")
        return [
            AggregateCall(function: .countStar, argument: nil, name: "n"),
            AggregateCall(function: .count, argument: v, name: "c"),
            AggregateCall(function: .sum, argument: v, name: "s"),
            AggregateCall(function: .avg, argument: f, name: "a"),
            AggregateCall(function: .min, argument: v, name: "lo"),
            AggregateCall(function: .max, argument: v, name: "hi"),
        ]
    }()

    /// Runs the aggregate over `batches` and returns its rows and how many batches took
    /// the dictionary path.
    static func aggregate(_ batches: [RecordBatch], keyType: DataType, calls: [AggregateCall] = calls,
                          parallelism: Int = 2) throws -> ([[ScalarValue]], Int) {
        let op = try HashAggregateOperator(input: CountingSource(batches), keys: [columnRef(0, keyType, "k")], keyNames: ["k"],
                                           aggregates: calls, context: context(parallelism: parallelism))
        let result = rows(try op.drain())
        return (result, op.dictionaryBatches)
    }

    /// Batches of (k, v, f) with `key` as k and values derived from the row.
    static func batch(key: Column, offset: Int) throws -> RecordBatch {
        let n = key.count
        var v: [Int64?] = []
        var f: [Double?] = []
        for i in 0..<n {
            let r = i + offset
            let value: Int64 = Int64(r % 17) - 8
            v.append(r % 6 == 5 ? nil : value)
            let half: Double = Double(r % 13) * 0.5
            f.append(r % 8 == 7 ? nil : half)
        }
        return try TarnSQLTests.batch([("k", key), ("v", try int64Column(v)), ("f", try doubleColumn(f))])
    }

    /// The same batches with every dictionary dropped.
    static func plain(_ batches: [RecordBatch]) throws -> [RecordBatch] {
        try batches.map { b in try RecordBatch(schema: b.schema, columns: b.columns.map(\.withoutDictionary)) }
    }

    static func codes(_ count: Int, seed: UInt64, modulo: UInt64) -> [Int32] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int32(rng.next() % modulo) }
    }

    @Test("string keys: nulls, unused and repeated dictionary values, empty strings, several batches", arguments: [1, 2, 4])
    func strings(parallelism: Int) throws {
        // Batch 1: "unused" is never referenced; "" is a real key; "b" appears twice in
        // the dictionary (codes 1 and 4) and must stay one group.
        let first = try Self.stringKey(dictionary: ["a", "b", "", "unused", "b"],
                                       codes: Self.codes(500, seed: 1, modulo: 5).map { $0 == 3 ? 0 : $0 },
                                       nulls: { $0 % 10 == 3 })
        // Batch 2: another dictionary order with a new value, no nulls.
        let second = try Self.stringKey(dictionary: ["c", "", "a", "b"], codes: Self.codes(300, seed: 2, modulo: 4), nulls: { _ in false })
        // Batch 3: only nulls and one value.
        let third = try Self.stringKey(dictionary: ["zz", "a"], codes: Self.codes(200, seed: 3, modulo: 2), nulls: { $0 % 2 == 0 })
        let batches = [try Self.batch(key: first, offset: 0), try Self.batch(key: second, offset: 500), try Self.batch(key: third, offset: 800)]
        let (coded, dictionaryBatches) = try Self.aggregate(batches, keyType: .string, parallelism: parallelism)
        let (plain, plainBatches) = try Self.aggregate(try Self.plain(batches), keyType: .string, parallelism: parallelism)
        #expect(dictionaryBatches == 3)
        #expect(plainBatches == 0)
        #expect(coded == plain)
        #expect(Set(coded.map { $0[0] }) == [.string("a"), .string("b"), .string(""), .string("c"), .string("zz"), .null])
    }

    @Test("integer keys with nulls give the same groups as without codes")
    func integers() throws {
        let first = try Self.intKey(dictionary: [7, -3, 0, 99], codes: Self.codes(400, seed: 4, modulo: 3), nulls: { $0 % 7 == 0 })
        let second = try Self.intKey(dictionary: [0, 7, 12], codes: Self.codes(400, seed: 5, modulo: 3), nulls: { $0 % 5 == 0 })
        let batches = [try Self.batch(key: first, offset: 0), try Self.batch(key: second, offset: 400)]
        let (coded, dictionaryBatches) = try Self.aggregate(batches, keyType: .int64)
        let (plain, _) = try Self.aggregate(try Self.plain(batches), keyType: .int64)
        #expect(dictionaryBatches == 2)
        #expect(coded == plain)
        #expect(!coded.contains { $0[0] == .int(99) }, "an unused dictionary value is no group")
    }

    @Test("large batches split over workers, mixed with batches without codes")
    func largeBatches() throws {
        let dictionary = (0..<50).map { "segment-\($0)" }
        let big = try Self.stringKey(dictionary: dictionary, codes: Self.codes(70_000, seed: 6, modulo: 50), nulls: { $0 % 1000 == 17 })
        let other = try Self.stringKey(dictionary: dictionary.reversed(), codes: Self.codes(40_000, seed: 7, modulo: 50), nulls: { _ in false })
        let batches = [try Self.batch(key: big, offset: 0), try Self.plain([try Self.batch(key: other, offset: 1)])[0],
                       try Self.batch(key: other, offset: 2)]
        let (coded, dictionaryBatches) = try Self.aggregate(batches, keyType: .string, parallelism: 3)
        let (plain, _) = try Self.aggregate(try Self.plain(batches), keyType: .string, parallelism: 3)
        #expect(dictionaryBatches == 2)
        #expect(coded == plain)
        #expect(coded.count == 51)
    }

    @Test("DISTINCT aggregates and a dictionary far larger than the batch keep the hashing path")
    func fallbacks() throws {
        let key = try Self.stringKey(dictionary: ["a", "b", "c"], codes: Self.codes(100, seed: 8, modulo: 3), nulls: { $0 % 9 == 0 })
        let batches = [try Self.batch(key: key, offset: 0)]
        let distinct = Self.calls + [AggregateCall(function: .count, argument: columnRef(1, .int64, "v"), distinct: true, name: "cd")]
        let (coded, dictionaryBatches) = try Self.aggregate(batches, keyType: .string, calls: distinct)
        let (plain, _) = try Self.aggregate(try Self.plain(batches), keyType: .string, calls: distinct)
        #expect(dictionaryBatches == 0)
        #expect(coded == plain)

        let huge = (0..<5000).map { "v\($0)" }
        let sparse = try Self.stringKey(dictionary: huge, codes: Self.codes(300, seed: 9, modulo: 5000), nulls: { _ in false })
        let (sparseRows, sparseBatches) = try Self.aggregate([try Self.batch(key: sparse, offset: 0)], keyType: .string)
        let (sparsePlain, _) = try Self.aggregate(try Self.plain([try Self.batch(key: sparse, offset: 0)]), keyType: .string)
        #expect(sparseBatches == 0)
        #expect(sparseRows == sparsePlain)
    }

    // MARK: Through SQL on a table

    /// A table `s.t (seg string, v bigint)` written in two files whose dictionaries differ.
    final class Fixture {
        let directory: TemporaryDirectory
        let catalog: Catalog
        static func seg(_ i: Int) -> String? { i % 11 == 4 ? nil : (i % 13 == 0 ? "" : "s\((i * 7) % 9)") }
        static func v(_ i: Int) -> Int64? { i % 5 == 0 ? nil : Int64(i % 23) - 11 }

        init() throws {
            directory = try TemporaryDirectory("sql-dictionary-group-by")
            catalog = try Catalog(root: directory.path)
            let schema = Schema([Field("seg", .string), Field("v", .int64)])
            let table = try catalog.createTable(TableIdentifier(namespace: "s", name: "t"), schema: schema)
            for range in [0..<3000, 3000..<4500] {
                // The second file uses other segment names too, so its dictionary differs.
                let names: [String?] = range.map { i -> String? in
                    guard let name = Self.seg(i) else { return nil }
                    return range.lowerBound == 0 ? name : name + "x"
                }
                try table.append([try RecordBatch(schema: schema, columns: [
                    try Column(strings: names), try Column(.int64, range.map(Self.v)),
                ])])
            }
        }

        deinit { directory.remove() }

        /// Rows of `sql` and how many batches its aggregate grouped by codes.
        func run(_ sql: String) throws -> ([[ScalarValue]], Int) {
            let parsed = try SQLParser.parse(sql)
            guard parsed.count == 1, case let .query(query) = parsed[0].statement else {
                throw SQLError(.syntax, "not one query: \(sql)")
            }
            let op = try QueryRunner.open(query, context: QueryContext(catalog: catalog))
            let result = rows(try op.drain())
            return (result, Self.dictionaryBatches(op))
        }

        static func dictionaryBatches(_ op: any PhysicalOperator) -> Int {
            var total = (op as? HashAggregateOperator)?.dictionaryBatches ?? 0
            for child in op.children { total += dictionaryBatches(child) }
            return total
        }
    }

    static let queries: [(String, String)] = [
        ("SELECT seg, count(*), count(v), sum(v), avg(v), min(v), max(v) FROM s.t GROUP BY seg",
         "SELECT lower(seg), count(*), count(v), sum(v), avg(v), min(v), max(v) FROM s.t GROUP BY lower(seg)"),
        ("SELECT seg, count(*), sum(v) FROM s.t WHERE v > 0 GROUP BY seg",
         "SELECT lower(seg), count(*), sum(v) FROM s.t WHERE v > 0 GROUP BY lower(seg)"),
        ("SELECT seg, max(v) FROM s.t WHERE seg <> 's3' OR seg IS NULL GROUP BY seg",
         "SELECT lower(seg), max(v) FROM s.t WHERE seg <> 's3' OR seg IS NULL GROUP BY lower(seg)"),
    ]

    @Test("GROUP BY a dictionary-encoded table column equals GROUP BY the same values computed", arguments: queries)
    func sql(coded: String, computed: String) throws {
        let fixture = try Fixture()
        let (codedRows, codedBatches) = try fixture.run(coded)
        let (computedRows, computedBatches) = try fixture.run(computed)
        #expect(codedBatches >= 1, "the bare column reaches the aggregate with its codes")
        #expect(computedBatches == 0)
        #expect(canonical(codedRows) == canonical(computedRows))
        #expect(codedRows.contains { $0[0] == .null })
        #expect(codedRows.contains { $0[0] == .string("") })
    }
}
