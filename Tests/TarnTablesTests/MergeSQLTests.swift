// MERGE with SQL conditions and values (MergeCondition.sql, MergeValue.sql), aliases,
// an extra ON condition, and their errors — checked against a reference computed here
// from plain dictionaries, on an in-memory store.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("MERGE with SQL")
struct MergeSQLTests {
    static let schema = Schema([Field("key", .int64), Field("value", .int64), Field("tag", .string)])

    static func batch(_ rows: [(Int64, Int64?, String)]) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: rows.map(\.0)), try Column(.int64, rows.map(\.1)), try Column(strings: rows.map(\.2)),
        ])
    }

    /// Target keys 0..<40, value = key, tag "t<key % 2>", in two files.
    static func table() throws -> Table {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema)
        try table.append([try batch((0..<20).map { (Int64($0), Int64($0), "t\($0 % 2)") })])
        try table.append([try batch((20..<40).map { (Int64($0), Int64($0), "t\($0 % 2)") })])
        return table
    }

    /// key → (value, tag) of every row (a key appearing twice is recorded under -1).
    static func rows(_ table: Table) throws -> [Int64: (Int64?, String)] {
        var out: [Int64: (Int64?, String)] = [:]
        for b in try table.read() {
            for i in 0..<b.rowCount {
                guard case let .int(key)? = b.column(named: "key")?.value(at: i) else { continue }
                var value: Int64?
                if case let .int(v)? = b.column(named: "value")?.value(at: i) { value = v }
                var tag = ""
                if case let .string(s)? = b.column(named: "tag")?.value(at: i) { tag = s }
                out[out[key] == nil ? key : -1] = (value, tag)
            }
        }
        return out
    }

    static func same(_ a: [Int64: (Int64?, String)], _ b: [Int64: (Int64?, String)]) -> Bool {
        guard a.count == b.count else { return false }
        for (key, row) in a {
            guard let other = b[key], other.0 == row.0, other.1 == row.1 else { return false }
        }
        return true
    }

    @Test("SQL conditions and values over target and source columns; clauses apply in order")
    func sqlClauses() throws {
        let table = try Self.table()
        let sourceRows: [(Int64, Int64?, String)] = (30..<50).map { (k: Int) -> (Int64, Int64?, String) in
            (Int64(k), k % 3 == 0 ? nil : Int64(k * 10), "s\(k % 4)")
        }
        let source = try Self.batch(sourceRows)
        let metrics = try table.merge(source: [source], on: [(target: "key", source: "key")])
            .whenMatched(condition: .sql("source.value IS NOT NULL AND source.value > target.value * 5"),
                         update: ["value": .sql("source.value + target.value"), "tag": .sql("target.tag || '+' || source.tag")])
            .whenMatchedDelete(condition: .sql("source.value IS NULL"))
            .whenNotMatched(condition: .sql("source.key % 2 = 0"), insert: ["key": .sql("source.key"), "value": .sql("-source.key"),
                                                                           "tag": .literal(.string("new"))])
            .execute()
        var expected: [Int64: (Int64?, String)] = [:]
        for k in 0..<40 { expected[Int64(k)] = (Int64(k), "t\(k % 2)") }
        for k in 30..<50 {
            let value: Int64? = k % 3 == 0 ? nil : Int64(k * 10)
            if k < 40 {
                if let value, value > Int64(k) * 5 {
                    expected[Int64(k)] = (value + Int64(k), "t\(k % 2)+s\(k % 4)")
                } else if value == nil {
                    expected[Int64(k)] = nil
                }
            } else if k % 2 == 0 {
                expected[Int64(k)] = (-Int64(k), "new")
            }
        }
        #expect(Self.same(try Self.rows(table), expected))
        #expect(metrics.numTargetRowsInserted == 5)
        let info = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(info.operationParameters?["matchedPredicates"]?.contains("source.value > target.value * 5") == true)
    }

    @Test("aliases name the sides; unqualified names resolve when only one side has them")
    func aliases() throws {
        let table = try Self.table()
        let source = try RecordBatch(schema: Schema([Field("k", .int64), Field("amount", .int64)]), columns: [
            try Column(.int64, values: [Int64(1), 2, 100]), try Column(.int64, values: [Int64(5), 6, 7]),
        ])
        try table.merge(source: [source], on: [(target: "key", source: "k")])
            .withAliases(target: "t", source: "s")
            .whenMatched(update: ["value": .sql("t.value + amount")])
            .whenNotMatched(insert: ["key": .sql("k"), "value": .sql("amount"), "tag": .sql("'from ' || s.k")])
            .execute()
        let rows = try Self.rows(table)
        #expect(rows[1]?.0 == 6 && rows[2]?.0 == 8)
        #expect(rows[100]?.0 == 7 && rows[100]?.1 == "from 100")
    }

    @Test("an extra ON condition narrows the matches: pairs where it is not TRUE count as not matched")
    func matchCondition() throws {
        let table = try Self.table()
        let source = try Self.batch([(1, 100, "x"), (2, 100, "x")])
        let metrics = try table.merge(source: [source], on: [(target: "key", source: "key")])
            .withMatchCondition(.sql("target.tag = 't1'"))
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute()
        // key 1 has tag t1: updated; key 2 (t0) does not match, so its source row is inserted beside it.
        #expect(metrics.numTargetRowsUpdated == 1 && metrics.numTargetRowsInserted == 1)
        let rows = try Self.rows(table)
        #expect(rows[1]?.0 == 100)
        #expect(rows[-1] != nil)  // key 2 now appears twice
        let info = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(info.operationParameters?["predicate"] == "target.key = source.key AND (target.tag = 't1')")
    }

    @Test("SQL errors are typed and name the clause; nothing is committed",
          arguments: [
            MergeCondition.sql("source.nope > 1"),
            .sql("target.value >"),
            .sql("value > 1"),          // both sides have value: ambiguous
            .sql("source.value + 1"),   // not BOOLEAN
          ])
    func badConditions(condition: MergeCondition) throws {
        let table = try Self.table()
        let error = try #require(throws: TableError.self) {
            _ = try table.merge(source: [try Self.batch([(1, 5, "x")])], on: [(target: "key", source: "key")])
                .whenMatched(condition: condition, update: ["value": .source("value")]).execute()
        }
        #expect(error.code == .invalidArgument, "\(error)")
        #expect(try table.snapshot().version == 2)
    }

    @Test("a not-matched clause cannot read the target; a by-source clause cannot read the source")
    func sidesChecked() throws {
        let table = try Self.table()
        let notMatched = try #require(throws: TableError.self) {
            _ = try table.merge(source: [try Self.batch([(100, 5, "x")])], on: [(target: "key", source: "key")])
                .whenNotMatched(condition: .sql("target.value > 1"), insert: ["key": .sql("source.key")]).execute()
        }
        #expect(notMatched.code == .invalidArgument)
        let bySource = try #require(throws: TableError.self) {
            _ = try table.merge(source: [try Self.batch([(100, 5, "x")])], on: [(target: "key", source: "key")])
                .whenNotMatchedBySource(update: ["value": .sql("source.value")]).execute()
        }
        #expect(bySource.code == .invalidArgument)
        #expect(try table.snapshot().version == 2)
    }
}
