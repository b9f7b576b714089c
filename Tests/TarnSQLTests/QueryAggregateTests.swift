// Hash aggregate over hand-built batches: every aggregate function against values
// computed independently here, SQL NULL semantics (NULL key is one group, NULLs ignored,
// sum of nothing is NULL, count 0), DISTINCT aggregates, and the memory limit.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Query hash aggregate")
struct QueryAggregateTests {
    /// Keys with NULLs and values with NULLs, split over several batches.
    func input(seed: UInt64, rows: Int, batches: Int) throws -> [RecordBatch] {
        var rng = SeededGenerator(seed: seed)
        var out: [RecordBatch] = []
        for _ in 0..<batches {
            var keys: [Int64?] = [], values: [Int64?] = [], labels: [String?] = []
            for _ in 0..<rows {
                let k = Int64(rng.next() % 7)
                keys.append(k == 6 ? nil : k)
                let v = Int64(rng.next() % 20) - 5
                values.append(rng.next() % 5 == 0 ? nil : v)
                let l = rng.next() % 4
                labels.append(l == 3 ? nil : "label-\(l)")
            }
            out.append(try batch([("k", try int64Column(keys)), ("v", try int64Column(values)), ("s", try stringColumn(labels))]))
        }
        return out
    }

    @Test("group by an int key with NULLs: count(*), count, sum, avg, min, max, stddev, variance, count(DISTINCT)")
    func groupByIntegerKey() throws {
        let batches = try input(seed: 1, rows: 300, batches: 4)
        let source = CountingSource(batches)
        let v = columnRef(1, .int64, "v")
        let calls: [AggregateCall] = [
            AggregateCall(function: .countStar, argument: nil, name: "n"),
            AggregateCall(function: .count, argument: v, name: "c"),
            AggregateCall(function: .sum, argument: v, name: "s"),
            AggregateCall(function: .avg, argument: v, name: "a"),
            AggregateCall(function: .min, argument: v, name: "lo"),
            AggregateCall(function: .max, argument: v, name: "hi"),
            AggregateCall(function: .stddevSample, argument: v, name: "sd"),
            AggregateCall(function: .varianceSample, argument: v, name: "var"),
            AggregateCall(function: .count, argument: v, distinct: true, name: "cd"),
        ]
        let op = try HashAggregateOperator(input: source, keys: [columnRef(0, .int64, "k")], keyNames: ["k"],
                                           aggregates: calls, context: context())
        let result = rows(try op.drain())

        // Independent computation.
        var groups: [ScalarValue: [Int64?]] = [:]
        for row in rows(batches) {
            let value: Int64? = { if case let .int(x) = row[1] { return x } else { return nil } }()
            groups[row[0], default: []].append(value)
        }
        #expect(result.count == groups.count)
        #expect(groups[.null] != nil, "the generated data has NULL keys")
        for out in result {
            let values = try #require(groups[out[0]])
            let present = values.compactMap { $0 }
            #expect(out[1] == .int(Int64(values.count)))
            #expect(out[2] == .int(Int64(present.count)))
            if present.isEmpty {
                #expect(out[3] == .null && out[4] == .null && out[5] == .null && out[6] == .null)
                continue
            }
            let sum = present.reduce(0, +)
            #expect(out[3] == .int(sum))
            let mean = Double(sum) / Double(present.count)
            guard case let .float(avg) = out[4] else { Issue.record("avg is not a double: \(out[4])"); continue }
            #expect(abs(avg - mean) < 1e-9)
            #expect(out[5] == .int(present.min() ?? 0))
            #expect(out[6] == .int(present.max() ?? 0))
            if present.count > 1 {
                let variance = present.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(present.count - 1)
                guard case let .float(sd) = out[7], case let .float(vr) = out[8] else { Issue.record("stddev/variance missing"); continue }
                #expect(abs(sd - variance.squareRoot()) < 1e-9)
                #expect(abs(vr - variance) < 1e-9)
            } else {
                #expect(out[7] == .null && out[8] == .null)
            }
            #expect(out[9] == .int(Int64(Set(present).count)))
        }
    }

    @Test("large batches aggregated by two workers and merged equal one worker's result", arguments: [true, false])
    func parallelMerge(grouped: Bool) throws {
        let batches = try input(seed: 11, rows: 40_000, batches: 2)
        let v = columnRef(1, .int64, "v"), s = columnRef(2, .string, "s")
        let calls: [AggregateCall] = [
            AggregateCall(function: .countStar, argument: nil, name: "n"), AggregateCall(function: .count, argument: v, name: "c"),
            AggregateCall(function: .sum, argument: v, name: "s"), AggregateCall(function: .avg, argument: v, name: "a"),
            AggregateCall(function: .min, argument: v, name: "lo"), AggregateCall(function: .max, argument: s, name: "hi"),
            AggregateCall(function: .stddevSample, argument: v, name: "sd"), AggregateCall(function: .variancePopulation, argument: v, name: "vp"),
        ]
        func run(_ parallelism: Int) throws -> [String] {
            let op = try HashAggregateOperator(input: CountingSource(batches), keys: grouped ? [columnRef(0, .int64, "k"), s] : [],
                                               keyNames: grouped ? ["k", "s"] : [], aggregates: calls,
                                               context: context(parallelism: parallelism))
            // Round floating-point results: merged partial sums may differ in the last bits.
            return canonical(rows(try op.drain()).map { row in
                row.map { value in
                    if case let .float(x) = value { return .string(String(format: "%.9g", x)) }
                    return value
                }
            })
        }
        let single = try run(1)
        #expect(single.count == (grouped ? 28 : 1))
        #expect(try run(2) == single)
    }

    @Test("no GROUP BY over empty input gives one row: count 0, sum/min/avg NULL")
    func globalAggregateOfNothing() throws {
        let schema = Schema([Field("v", .int64)])
        let source = CountingSource(schema: schema, batches: [])
        let v = columnRef(0, .int64, "v")
        let op = try HashAggregateOperator(input: source, keys: [], keyNames: [], aggregates: [
            AggregateCall(function: .countStar, argument: nil, name: "n"),
            AggregateCall(function: .count, argument: v, name: "c"),
            AggregateCall(function: .sum, argument: v, name: "s"),
            AggregateCall(function: .min, argument: v, name: "m"),
            AggregateCall(function: .avg, argument: v, name: "a"),
        ], context: context())
        #expect(rows(try op.drain()) == [[.int(0), .int(0), .null, .null, .null]])
    }

    @Test("GROUP BY over empty input gives no rows")
    func groupedAggregateOfNothing() throws {
        let schema = Schema([Field("k", .int64)])
        let op = try HashAggregateOperator(input: CountingSource(schema: schema, batches: []), keys: [columnRef(0, .int64, "k")],
                                           keyNames: ["k"], aggregates: [AggregateCall(function: .countStar, argument: nil, name: "n")],
                                           context: context())
        #expect(try op.drain().isEmpty)
    }

    @Test("string and int keys together; groups span batches; NULL strings form one group")
    func multiColumnKeys() throws {
        let batches = try input(seed: 2, rows: 500, batches: 3)
        let op = try HashAggregateOperator(input: CountingSource(batches), keys: [columnRef(2, .string, "s"), columnRef(0, .int64, "k")],
                                           keyNames: ["s", "k"], aggregates: [
                                               AggregateCall(function: .countStar, argument: nil, name: "n"),
                                               AggregateCall(function: .max, argument: columnRef(2, .string, "s"), name: "m"),
                                           ], context: context())
        var expected: [String: Int] = [:]
        for row in rows(batches) { expected["\(row[2])|\(row[0])", default: 0] += 1 }
        let result = rows(try op.drain())
        #expect(result.count == expected.count)
        for out in result {
            #expect(expected["\(out[0])|\(out[1])"] == Int(try #require({ if case let .int(n) = out[2] { return n } else { return nil } }())))
            #expect(out[3] == out[0], "max of the key column within its group is the key")
        }
    }

    @Test("float keys: -0.0 and 0.0 are one group, NaNs are one group")
    func floatKeys() throws {
        let b = try batch([("f", try doubleColumn([0.0, -0.0, .nan, .nan, 1.5, nil, nil]))])
        let op = try HashAggregateOperator(input: CountingSource([b]), keys: [columnRef(0, .float64, "f")], keyNames: ["f"],
                                           aggregates: [AggregateCall(function: .countStar, argument: nil, name: "n")], context: context())
        let counts = rows(try op.drain()).map { $0[1] }
        #expect(counts.count == 4)
        #expect(counts.filter { $0 == .int(2) }.count == 3)
    }

    @Test("sum of integers past Int64 is an execution error, not a wrap-around")
    func sumOverflow() throws {
        let b = try batch([("v", try int64Column([Int64.max, 1]))])
        let op = try HashAggregateOperator(input: CountingSource([b]), keys: [], keyNames: [], aggregates: [
            AggregateCall(function: .sum, argument: columnRef(0, .int64, "v"), name: "s")], context: context())
        #expect(throws: SQLError.self) { _ = try op.drain() }
    }

    @Test("a GROUP BY whose groups exceed the memory limit fails with a memoryLimit error")
    func memoryLimit() throws {
        let values = (0..<50_000).map { Int64?($0) }
        let b = try batch([("k", try int64Column(values))])
        let op = try HashAggregateOperator(input: CountingSource([b, b]), keys: [columnRef(0, .int64, "k")], keyNames: ["k"],
                                           aggregates: [AggregateCall(function: .countStar, argument: nil, name: "n")],
                                           context: context(memory: 64 * 1024))
        do {
            _ = try op.drain()
            Issue.record("expected the memory limit to be hit")
        } catch {
            #expect(error.kind == .memoryLimit)
            #expect(error.message.contains("memory limit"))
        }
    }
}
