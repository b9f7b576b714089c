// Hash join over hand-built batches: inner/left/right/full/cross against a nested-loop
// join computed here, with duplicate keys, NULL keys (never match), both build sides,
// a residual condition, and the memory limit on the build side.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Query hash join")
struct QueryJoinTests {
    func sides() throws -> (left: [RecordBatch], right: [RecordBatch]) {
        let left1 = try batch([("id", try int64Column([1, 2, 2, nil, 5])), ("a", try stringColumn(["x", "y", "z", "n", nil]))])
        let left2 = try batch([("id", try int64Column([7, 1])), ("a", try stringColumn(["p", "q"]))])
        let right1 = try batch([("rid", try int64Column([2, 1, nil, 9, 2])), ("b", try doubleColumn([0.5, 1.5, 2.5, 3.5, 4.5]))])
        return ([left1, left2], [right1])
    }

    /// Nested-loop reference join. `condition` sees (left row, right row).
    func reference(_ left: [[ScalarValue]], _ right: [[ScalarValue]], kind: JoinKind,
                   condition: ([ScalarValue], [ScalarValue]) -> Bool) -> [[ScalarValue]] {
        var out: [[ScalarValue]] = []
        var rightMatched = [Bool](repeating: false, count: right.count)
        let leftNulls = [ScalarValue](repeating: .null, count: left.first?.count ?? 2)
        let rightNulls = [ScalarValue](repeating: .null, count: right.first?.count ?? 2)
        for l in left {
            var matched = false
            for (j, r) in right.enumerated() where condition(l, r) {
                out.append(l + r)
                matched = true
                rightMatched[j] = true
            }
            if !matched && (kind == .left || kind == .full) { out.append(l + rightNulls) }
        }
        if kind == .right || kind == .full {
            for (j, r) in right.enumerated() where !rightMatched[j] { out.append(leftNulls + r) }
        }
        return out
    }

    func keysEqual(_ l: [ScalarValue], _ r: [ScalarValue]) -> Bool {
        l[0] != .null && r[0] != .null && l[0] == r[0]
    }

    @Test("equi-joins of every kind, both build sides, match a nested-loop join (NULL keys never match)",
          arguments: [JoinKind.inner, .left, .right, .full], [false, true])
    func equiJoin(kind: JoinKind, buildLeft: Bool) throws {
        let (l, r) = try sides()
        let op = try HashJoinOperator(left: CountingSource(l), right: CountingSource(r), kind: kind,
                                      leftKeys: [columnRef(0, .int64, "id")], rightKeys: [columnRef(0, .int64, "rid")],
                                      residual: nil, buildLeft: buildLeft, context: context())
        let expected = reference(rows(l), rows(r), kind: kind, condition: keysEqual)
        #expect(canonical(rows(try op.drain())) == canonical(expected))
    }

    @Test("a large probe batch against unique build keys is matched by all workers, every kind",
          arguments: [JoinKind.inner, .left, .right, .full])
    func parallelProbe(kind: JoinKind) throws {
        var rng = SeededGenerator(seed: 21)
        let probeKeys: [Int64?] = (0..<70_000).map { _ in rng.next() % 50 == 0 ? nil : Int64(rng.next() % 1_500) }
        let probe = try batch([("k", try int64Column(probeKeys)), ("row", try int64Column((0..<70_000).map { Int64($0) }))])
        let buildKeys: [Int64?] = (0..<1_000).map { $0 == 999 ? nil : Int64($0 * 2) }
        let build = try batch([("k", try int64Column(buildKeys)), ("w", try int64Column((0..<1_000).map { Int64($0) }))])
        let op = try HashJoinOperator(left: CountingSource([probe]), right: CountingSource([build]), kind: kind,
                                      leftKeys: [columnRef(0, .int64, "k")], rightKeys: [columnRef(0, .int64, "k")],
                                      residual: nil, buildLeft: false, context: context(parallelism: 2))
        var expected: [[ScalarValue]] = []
        var buildIndex: [Int64: Int] = [:]
        for (i, k) in buildKeys.enumerated() { if let k { buildIndex[k] = i } }
        var matched = Set<Int>()
        for (row, k) in probeKeys.enumerated() {
            if let k, let i = buildIndex[k] {
                expected.append([.int(k), .int(Int64(row)), .int(k), .int(Int64(i))])
                matched.insert(i)
            } else if kind == .left || kind == .full {
                expected.append([int(k), .int(Int64(row)), .null, .null])
            }
        }
        if kind == .right || kind == .full {
            for (i, k) in buildKeys.enumerated() where !matched.contains(i) { expected.append([.null, .null, int(k), .int(Int64(i))]) }
        }
        #expect(canonical(rows(try op.drain())) == canonical(expected))
    }

    @Test("a residual condition filters matches before outer-join padding", arguments: [JoinKind.inner, .left, .full])
    func residual(kind: JoinKind) throws {
        let (l, r) = try sides()
        // residual: b > 1.0 over the joined row (id, a, rid, b).
        let residual = PhysicalExpression(type: .boolean, text: "b > 1.0") { batch throws(SQLError) in
            do { return try batch.columns[3].compareThreeValued(.greater, .float(1.0)) } catch { throw SQLError(.execution, "\(error)") }
        }
        let op = try HashJoinOperator(left: CountingSource(l), right: CountingSource(r), kind: kind,
                                      leftKeys: [columnRef(0, .int64, "id")], rightKeys: [columnRef(0, .int64, "rid")],
                                      residual: residual, buildLeft: false, context: context())
        let expected = reference(rows(l), rows(r), kind: kind) { a, b in
            guard keysEqual(a, b), case let .float(x) = b[1] else { return false }
            return x > 1.0
        }
        #expect(canonical(rows(try op.drain())) == canonical(expected))
    }

    @Test("cross join pairs every row with every row")
    func crossJoin() throws {
        let (l, r) = try sides()
        let op = try HashJoinOperator(left: CountingSource(l), right: CountingSource(r), kind: .cross, leftKeys: [], rightKeys: [],
                                      residual: nil, buildLeft: false, context: context())
        let expected = reference(rows(l), rows(r), kind: .inner) { _, _ in true }
        #expect(canonical(rows(try op.drain())) == canonical(expected))
    }

    @Test("int32 and int64 keys join after widening; string keys join by bytes")
    func keyTypes() throws {
        let left = try batch([("id", try Column(.int32, [Int32?(1), 2, 3])), ("s", try stringColumn(["a", "bb", ""]))])
        let right = try batch([("id", try int64Column([3, 1])), ("s", try stringColumn(["", "bb"]))])
        let byInt = try HashJoinOperator(left: CountingSource([left]), right: CountingSource([right]), kind: .inner,
                                         leftKeys: [columnRef(0, .int32, "id")], rightKeys: [columnRef(0, .int64, "id")],
                                         residual: nil, buildLeft: true, context: context())
        #expect(canonical(rows(try byInt.drain()).map { [$0[0], $0[2]] }) == ["1|1", "3|3"])
        let byString = try HashJoinOperator(left: CountingSource([left]), right: CountingSource([right]), kind: .inner,
                                            leftKeys: [columnRef(1, .string, "s")], rightKeys: [columnRef(1, .string, "s")],
                                            residual: nil, buildLeft: false, context: context())
        #expect(canonical(rows(try byString.drain()).map { [$0[0], $0[2]] }) == ["2|1", "3|3"])
    }

    @Test("an empty build side: inner gives nothing, left keeps every probe row")
    func emptySide() throws {
        let (l, _) = try sides()
        let emptyRight = CountingSource(schema: Schema([Field("rid", .int64), Field("b", .float64)]), batches: [])
        let inner = try HashJoinOperator(left: CountingSource(l), right: emptyRight, kind: .inner,
                                         leftKeys: [columnRef(0, .int64, "id")], rightKeys: [columnRef(0, .int64, "rid")],
                                         residual: nil, buildLeft: false, context: context())
        #expect(try inner.drain().isEmpty)
        let emptyRight2 = CountingSource(schema: Schema([Field("rid", .int64), Field("b", .float64)]), batches: [])
        let left = try HashJoinOperator(left: CountingSource(l), right: emptyRight2, kind: .left,
                                        leftKeys: [columnRef(0, .int64, "id")], rightKeys: [columnRef(0, .int64, "rid")],
                                        residual: nil, buildLeft: false, context: context())
        #expect(rows(try left.drain()).count == 7)
    }

    @Test("a build side over the memory limit fails with memoryLimit")
    func memoryLimit() throws {
        let big = try batch([("id", try int64Column((0..<20_000).map { Int64?($0) }))])
        let op = try HashJoinOperator(left: CountingSource([big]), right: CountingSource([big]), kind: .inner,
                                      leftKeys: [columnRef(0, .int64, "id")], rightKeys: [columnRef(0, .int64, "id")],
                                      residual: nil, buildLeft: false, context: context(memory: 32 * 1024))
        do {
            _ = try op.drain()
            Issue.record("expected the memory limit to be hit")
        } catch {
            #expect(error.kind == .memoryLimit)
        }
    }
}
