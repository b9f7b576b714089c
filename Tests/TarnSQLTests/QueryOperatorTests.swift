// Sort, top-k, limit/offset, distinct, union all and filter over hand-built batches:
// orders checked against Swift's stable sort with the same NULL placement, top-k against
// sort + prefix, LIMIT edges and that LIMIT stops pulling its input.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Query sort, top-k, limit, distinct, union")
struct QueryOperatorTests {
    func data(seed: UInt64) throws -> [RecordBatch] {
        var rng = SeededGenerator(seed: seed)
        var out: [RecordBatch] = []
        var id: Int64 = 0
        for _ in 0..<3 {
            var a: [Int64?] = [], b: [String?] = [], ids: [Int64?] = []
            for _ in 0..<400 {
                a.append(rng.next() % 6 == 0 ? nil : Int64(rng.next() % 10))
                b.append(rng.next() % 7 == 0 ? nil : "s\(rng.next() % 5)")
                ids.append(id)
                id += 1
            }
            out.append(try batch([("a", try int64Column(a)), ("b", try stringColumn(b)), ("id", try int64Column(ids))]))
        }
        return out
    }

    /// Reference order: compares by (a, b) with the given directions and NULL placement, ties by input order.
    func referenceSort(_ input: [[ScalarValue]], ascending: [Bool], nullsFirst: [Bool]) -> [[ScalarValue]] {
        let keyed = input.enumerated().map { ($0.offset, $0.element) }
        return keyed.sorted { x, y in
            for k in 0..<2 {
                let u = x.1[k], v = y.1[k]
                if u == v { continue }
                if u == .null { return nullsFirst[k] }
                if v == .null { return !nullsFirst[k] }
                let c = ScalarValue.order(u, v) ?? 0
                if c != 0 { return ascending[k] ? c < 0 : c > 0 }
            }
            return x.0 < y.0
        }.map(\.1)
    }

    static let orders: [([Bool], [Bool])] = [
        ([true, true], [false, false]), ([false, true], [false, true]), ([true, false], [true, false]), ([false, false], [true, true]),
    ]

    @Test("ORDER BY two keys with directions and NULLS FIRST/LAST is stable", arguments: 0..<4)
    func sort(order: Int) throws {
        let (ascending, nullsFirst) = Self.orders[order]
        let input = try data(seed: 3)
        let keys = [SortKey(expression: columnRef(0, .int64, "a"), ascending: ascending[0], nullsFirst: nullsFirst[0]),
                    SortKey(expression: columnRef(1, .string, "b"), ascending: ascending[1], nullsFirst: nullsFirst[1])]
        let op = SortOperator(input: CountingSource(input), keys: keys, context: context())
        #expect(rows(try op.drain()) == referenceSort(rows(input), ascending: ascending, nullsFirst: nullsFirst))
    }

    @Test("top-k equals sort + prefix, ties included", arguments: [0, 1, 7, 100, 1199, 1200, 5000])
    func topK(k: Int) throws {
        let input = try data(seed: 4)
        for (ascending, nullsFirst) in Self.orders {
            let keys = [SortKey(expression: columnRef(0, .int64, "a"), ascending: ascending[0], nullsFirst: nullsFirst[0]),
                        SortKey(expression: columnRef(1, .string, "b"), ascending: ascending[1], nullsFirst: nullsFirst[1])]
            let op = TopKOperator(input: CountingSource(input), keys: keys, k: k, context: context())
            let expected = Array(referenceSort(rows(input), ascending: ascending, nullsFirst: nullsFirst).prefix(k))
            #expect(rows(try op.drain()) == expected)
            // One key only (the threshold pre-filter is strict then).
            let single = TopKOperator(input: CountingSource(input), keys: [keys[0]], k: k, context: context())
            let singleExpected = input.isEmpty ? [] : Array(rows(input).enumerated().sorted { x, y in
                let u = x.element[0], v = y.element[0]
                if u == v { return x.offset < y.offset }
                if u == .null { return nullsFirst[0] }
                if v == .null { return !nullsFirst[0] }
                let c = ScalarValue.order(u, v) ?? 0
                return ascending[0] ? c < 0 : c > 0
            }.map(\.element).prefix(k))
            #expect(rows(try single.drain()) == singleExpected)
        }
    }

    @Test("top-k over one large batch with many ties (prefix-bounded pre-filter)", arguments: [1, 10, 9000])
    func topKLargeBatch(k: Int) throws {
        var rng = SeededGenerator(seed: 9)
        let n = 34_000
        let values = (0..<n).map { _ in rng.next() % 50 == 0 ? nil : Int64?(Int64(rng.next() % 300)) }
        let input = try batch([("v", try int64Column(values)), ("id", try int64Column((0..<n).map { Int64($0) }))])
        for (ascending, nullsFirst) in [(true, false), (false, false), (false, true), (true, true)] {
            let key = SortKey(expression: columnRef(0, .int64, "v"), ascending: ascending, nullsFirst: nullsFirst)
            let op = TopKOperator(input: CountingSource([input]), keys: [key], k: k, context: context())
            let order = (0..<n).sorted { x, y in
                let u = values[x], v = values[y]
                if u == v { return x < y }
                guard let u else { return nullsFirst }
                guard let v else { return !nullsFirst }
                return ascending ? u < v : u > v
            }.prefix(k)
            let expected: [[ScalarValue]] = order.map { [values[$0].map { .int($0) } ?? .null, .int(Int64($0))] }
            #expect(rows(try op.drain()) == expected)
        }
    }

    @Test("LIMIT/OFFSET edges", arguments: [(0, 0), (1, 0), (5, 398), (10, 1195), (10, 1200), (10, 5000), (3000, 0)])
    func limitOffset(limit: Int, offset: Int) throws {
        let input = try data(seed: 5)
        let op = LimitOperator(input: CountingSource(input), limit: limit, offset: offset)
        let all = rows(input)
        let expected = Array(all.dropFirst(offset).prefix(limit))
        #expect(rows(try op.drain()) == expected)
    }

    @Test("LIMIT stops pulling its input once it has its rows")
    func limitStopsEarly() throws {
        let input = try data(seed: 6)
        let source = CountingSource(input)
        let op = LimitOperator(input: source, limit: 10, offset: 0)
        #expect(rows(try op.drain()).count == 10)
        #expect(source.pulled == 1)
    }

    @Test("DISTINCT keeps first occurrences; NULLs are equal to each other")
    func distinct() throws {
        let input = try data(seed: 7)
        let projected = input.map { $0.project([0, 1]) }
        let op = DistinctOperator(input: CountingSource(projected), context: context())
        var seen = Set<String>()
        var expected: [[ScalarValue]] = []
        for row in rows(projected) where seen.insert(row.map(\.description).joined(separator: "|")).inserted { expected.append(row) }
        #expect(rows(try op.drain()) == expected)
    }

    @Test("UNION ALL concatenates inputs and casts to the output types")
    func unionAll() throws {
        let a = try batch([("x", try Column(.int32, [Int32?(1), nil]))])
        let b = try batch([("x", try int64Column([3]))])
        let op = UnionAllOperator(inputs: [CountingSource([a]), CountingSource([b])], schema: Schema([Field("x", .int64)]))
        #expect(rows(try op.drain()) == [[.int(1)], [.null], [.int(3)]])
    }

    @Test("filter drops false and NULL rows")
    func filter() throws {
        let b = try batch([("f", try Column(booleans: [true, false, nil, true]))])
        let op = FilterOperator(input: CountingSource([b]), predicate: columnRef(0, .boolean, "f"))
        #expect(rows(try op.drain()) == [[.boolean(true)], [.boolean(true)]])
    }

    @Test("a sort over the memory limit fails with memoryLimit")
    func sortMemoryLimit() throws {
        let input = try data(seed: 8)
        let op = SortOperator(input: CountingSource(input), keys: [SortKey(expression: columnRef(0, .int64, "a"))],
                              context: context(memory: 4096))
        do {
            _ = try op.drain()
            Issue.record("expected the memory limit to be hit")
        } catch {
            #expect(error.kind == .memoryLimit)
        }
    }
}
