// MERGE: upserts, conditional and delete clauses, not-matched-by-source, ambiguous
// matches, NULL keys, partitions, file skipping and time travel — each checked against
// a reference computed here from plain dictionaries, on an in-memory store.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

private enum KV {
    static let schema = Schema([Field("key", .int64), Field("value", .int64), Field("part", .string)])

    /// Rows (key, value); part is "p<key % 3>" (or "pnull" for a NULL key).
    static func batch(_ rows: [(Int64?, Int64?)]) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, rows.map(\.0)),
            try Column(.int64, rows.map(\.1)),
            try Column(strings: rows.map { $0.0.map { "p\($0 % 3)" } ?? "pnull" }),
        ])
    }

    /// Source rows (key, value) with int32 columns, to check casting to the target types.
    static func source(_ rows: [(Int64?, Int64?)]) throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("key", .int32), Field("value", .int32), Field("part", .string)]), columns: [
            try Column(.int32, rows.map { $0.0.map(Int32.init) }),
            try Column(.int32, rows.map { $0.1.map(Int32.init) }),
            try Column(strings: rows.map { $0.0.map { "p\($0 % 3)" } ?? "pnull" }),
        ])
    }

    /// Every row as (key, value), sorted (NULL keys first).
    static func rows(_ batches: [RecordBatch]) -> [Pair] {
        batches.flatMap { b in
            (0..<b.rowCount).map { i -> Pair in
                func int(_ name: String) -> Int64? {
                    if case let .int(v) = b.column(named: name)?.value(at: i) { return v }
                    return nil
                }
                return Pair(key: int("key"), value: int("value"))
            }
        }.sorted()
    }

    static func table(partitioned: Bool = false) throws -> Table {
        try Table.create(store: InMemoryFileStore(), path: "t", schema: schema, partitionColumns: partitioned ? ["part"] : [])
    }

    static let onKey: [(target: String, source: String)] = [(target: "key", source: "key")]
}

private struct Pair: Comparable, CustomStringConvertible {
    var key: Int64?
    var value: Int64?
    static func < (a: Pair, b: Pair) -> Bool {
        switch (a.key, b.key) {
        case (nil, nil): return (a.value ?? .min) < (b.value ?? .min)
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x != y ? x < y : (a.value ?? .min) < (b.value ?? .min)
        }
    }
    var description: String { "(\(key.map(String.init) ?? "NULL"), \(value.map(String.init) ?? "NULL"))" }
}

@Suite("Table merge")
struct MergeTests {
    /// Target keys 0..<100 (value = key) in four files of 25 rows (versions 1...4).
    private func seeded(partitioned: Bool = false) throws -> Table {
        let table = try KV.table(partitioned: partitioned)
        for start in stride(from: 0, to: 100, by: 25) {
            try table.append([try KV.batch((start..<(start + 25)).map { (Int64($0), Int64($0)) })])
        }
        return table
    }

    @Test("upsert: half the source updates, half inserts; result equals the reference", arguments: [false, true])
    func upsert(partitioned: Bool) throws {
        let table = try seeded(partitioned: partitioned)
        let sourceRows: [(Int64?, Int64?)] = (50..<150).map { (Int64($0), Int64($0 * 10)) }
        let metrics = try table.merge(source: [try KV.source(sourceRows)], on: KV.onKey)
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute()
        var reference: [Int64: Int64] = [:]
        for k in 0..<100 { reference[Int64(k)] = Int64(k) }
        for (k, v) in sourceRows { if let k { reference[k] = v } }
        let expected = reference.map { Pair(key: $0.key, value: $0.value) }.sorted()
        #expect(KV.rows(try table.read()) == expected)
        #expect(metrics.numSourceRows == 100)
        #expect(metrics.numTargetRowsUpdated == 50)
        #expect(metrics.numTargetRowsInserted == 50)
        #expect(metrics.numTargetRowsDeleted == 0)
        #expect(metrics.numOutputRows == metrics.numTargetRowsUpdated + metrics.numTargetRowsInserted + metrics.numTargetRowsCopied)
        #expect(metrics.version == 5)
        let commit = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(commit.operation == "MERGE")
        #expect(commit.operationMetrics?["numTargetRowsUpdated"] == "50")
        #expect(commit.operationMetrics?["numTargetRowsInserted"] == "50")
        #expect(commit.operationParameters?["predicate"] == "target.key = source.key")
        #expect(commit.operationParameters?["matchedPredicates"] == #"[{"actionType":"update"}]"#)
        #expect(commit.operationParameters?["notMatchedPredicates"] == #"[{"actionType":"insert"}]"#)
    }

    @Test("conditional clauses: the first clause whose condition holds applies")
    func conditionalClauses() throws {
        let table = try seeded()
        // Source keys 90..<110, values alternate above / below the target's.
        let sourceRows: [(Int64?, Int64?)] = (90..<110).map { (k: Int) -> (Int64?, Int64?) in
            let key = Int64(k)
            if k % 2 == 0 { return (key, key + 1000) }
            if k % 3 == 0 { return (key, nil) }
            return (key, key - 1000)
        }
        let metrics = try table.merge(source: [try KV.source(sourceRows)], on: KV.onKey)
            .whenMatched(condition: .compare(.source("value"), .greater, .target("value")),
                         update: ["value": .source("value")])
            .whenMatchedDelete(condition: .isNull(.source("value")))
            .whenNotMatched(condition: .isNotNull(.source("value")), insert: ["key": .source("key"), "value": .literal(.int(-1))])
            .execute()
        var reference: [Int64: Int64] = [:]
        for k in 0..<100 { reference[Int64(k)] = Int64(k) }
        var updated = 0, deleted = 0, inserted = 0
        for (key, value) in sourceRows {
            guard let key else { continue }
            if let old = reference[key] {
                if let value, value > old { reference[key] = value; updated += 1 } else if value == nil { reference[key] = nil; deleted += 1 }
            } else if value != nil {
                reference[key] = -1
                inserted += 1
            }
        }
        #expect(KV.rows(try table.read()) == reference.map { Pair(key: $0.key, value: $0.value) }.sorted())
        #expect(metrics.numTargetRowsUpdated == updated)
        #expect(metrics.numTargetRowsDeleted == deleted)
        #expect(metrics.numTargetRowsInserted == inserted)
        // The inserted rows' unassigned column (part) is NULL.
        let inserts = try table.read(predicate: .comparison(column: "value", op: .equal, value: .int(-1)))
        #expect(inserts.allSatisfy { $0.column(named: "part")?.nullCount == $0.rowCount })
    }

    @Test("not matched by source: target rows without a source row are deleted or updated by condition")
    func notMatchedBySource() throws {
        let table = try seeded()
        let metrics = try table.merge(source: [try KV.source((40..<60).map { (Int64($0), 0) })], on: KV.onKey)
            .whenNotMatchedBySourceDelete(condition: .compare(.target("key"), .less, .literal(.int(10))))
            .whenNotMatchedBySource(update: ["value": .literal(.int(7))])
            .execute()
        var reference: [Int64: Int64] = [:]
        for k in 10..<100 { reference[Int64(k)] = (40..<60).contains(k) ? Int64(k) : 7 }
        #expect(KV.rows(try table.read()) == reference.map { Pair(key: $0.key, value: $0.value) }.sorted())
        #expect(metrics.numTargetRowsDeleted == 10)
        #expect(metrics.numTargetRowsUpdated == 70)
        #expect(metrics.numTargetRowsCopied == 20)
        #expect(metrics.numTargetFilesSkipped == 0)
        #expect(metrics.numTargetRowsNotMatchedBySourceDeleted == 10)
        #expect(metrics.numTargetRowsNotMatchedBySourceUpdated == 70)
        #expect(metrics.numTargetRowsMatchedUpdated == 0)
        let commit = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(commit.operationMetrics?["numTargetRowsNotMatchedBySourceDeleted"] == "10")
        #expect(commit.operationParameters?["notMatchedBySourcePredicates"]
            == #"[{"actionType":"delete","predicate":"target.key < 10"},{"actionType":"update"}]"#)
    }

    @Test("two source rows matching one target row is an error naming the key; nothing is committed")
    func ambiguousMatch() throws {
        let table = try seeded()
        let before = try table.snapshot().version
        let error = #expect(throws: TableError.self) {
            try table.merge(source: [try KV.source([(3, 1), (200, 2), (3, 5)])], on: KV.onKey)
                .whenMatchedUpdateAll()
                .whenNotMatchedInsertAll()
                .execute()
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("multiple source rows matched the same target row") == true)
        #expect(error?.message.contains("key = 3") == true)
        #expect(try table.snapshot().version == before)
        #expect(KV.rows(try table.read()).count == 100)
    }

    @Test("NULL keys never match: the NULL-key source row is inserted, the NULL-key target row kept")
    func nullKeys() throws {
        let table = try KV.table()
        try table.append([try KV.batch([(nil, 1), (1, 1), (2, 2)])])
        let metrics = try table.merge(source: [try KV.source([(nil, 9), (2, 20), (3, 30)])], on: KV.onKey)
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute()
        #expect(metrics.numTargetRowsUpdated == 1)
        #expect(metrics.numTargetRowsInserted == 2)
        let expected = [Pair(key: nil, value: 1), Pair(key: nil, value: 9), Pair(key: 1, value: 1), Pair(key: 2, value: 20), Pair(key: 3, value: 30)]
        #expect(KV.rows(try table.read()) == expected)
    }

    @Test("files outside the source key range are skipped unread and keep their paths")
    func skipsFilesOutsideKeyRange() throws {
        let table = try seeded()
        let before = Set(try table.snapshot().files.map(\.path))
        // Many distinct keys (range predicate) all inside the second file (25..<50).
        let sourceRows: [(Int64?, Int64?)] = (26..<46).map { (Int64($0), -Int64($0)) }
        let metrics = try table.merge(source: [try KV.source(sourceRows)], on: KV.onKey)
            .whenMatchedUpdateAll()
            .execute()
        #expect(metrics.numTargetFilesSkipped == 3)
        #expect(metrics.numTargetFilesScanned == 1)
        #expect(metrics.numTargetFilesRemoved == 1)
        #expect(metrics.numTargetRowsCopied == 5)
        let after = Set(try table.snapshot().files.map(\.path))
        #expect(before.subtracting(after).count == 1)
        #expect(before.intersection(after).count == 3)
        // Few keys (IN-list) in two files: two files read.
        let small = try table.merge(source: [try KV.source([(1, 100), (99, 100)])], on: KV.onKey).whenMatchedUpdateAll().execute()
        #expect(small.numTargetFilesScanned == 2)
    }

    @Test("the version before the merge still reads the old rows (time travel)")
    func timeTravel() throws {
        let table = try seeded()
        let old = KV.rows(try table.read())
        let first = try table.merge(source: [try KV.source([(5, 50)])], on: KV.onKey).whenMatchedDelete().execute()
        let second = try table.merge(source: [try KV.source([(500, 5)])], on: KV.onKey).whenNotMatchedInsertAll().execute()
        #expect(first.version == 5 && second.version == 6)
        #expect(KV.rows(try table.read(asOf: .version(4))) == old)
        #expect(KV.rows(try table.read(asOf: .version(5))) == old.filter { $0.key != 5 })
        #expect(KV.rows(try table.read()) == (old.filter { $0.key != 5 } + [Pair(key: 500, value: 5)]).sorted())
    }

    @Test("a merge that changes nothing commits nothing")
    func noChange() throws {
        let table = try seeded()
        let metrics = try table.merge(source: [try KV.source([(1000, 1)])], on: KV.onKey).whenMatchedDelete().execute()
        #expect(metrics.version == nil)
        #expect(metrics.numTargetFilesSkipped == 4)
        #expect(try table.snapshot().version == 4)
    }

    @Test("bad input is a typed error and commits nothing", arguments: [
        ("unknown target column", TableError.Code.invalidArgument),
        ("unknown source column", .invalidArgument),
        ("unknown key", .invalidArgument),
        ("source read in by-source clause", .invalidArgument),
        ("NOT NULL violated", .schemaMismatch),
        ("value does not fit", .schemaMismatch),
    ])
    func badInput(case name: String, code: TableError.Code) throws {
        let schema = Schema([Field("key", .int64, nullable: false), Field("value", .int64), Field("part", .string)])
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema)
        try table.append([try KV.batch([(1, 1), (2, 2)]).withNonNullKey(schema)])
        let source = [try KV.source([(2, 20), (3, 30)])]
        let merge = table.merge(source: source, on: KV.onKey)
        let error = #expect(throws: TableError.self) {
            switch name {
            case "unknown target column": _ = try merge.whenMatched(update: ["nope": .source("value")]).execute()
            case "unknown source column": _ = try merge.whenNotMatched(insert: ["key": .source("nope")]).execute()
            case "unknown key": _ = try table.merge(source: source, on: [(target: "key", source: "k")]).whenMatchedDelete().execute()
            case "source read in by-source clause": _ = try merge.whenNotMatchedBySourceDelete(condition: .isNull(.source("value"))).execute()
            case "NOT NULL violated": _ = try merge.whenNotMatched(insert: ["value": .source("value")]).execute()
            default: _ = try merge.whenMatched(update: ["value": .literal(.string("not a number"))]).execute()
            }
        }
        #expect(error?.code == code)
        #expect(try table.snapshot().version == 1)
    }
    @Test("a concurrent append into the merge's key range conflicts; one outside it does not", arguments: [(Int64(25), true), (Int64(1000), false)])
    func concurrentAppend(appendedKey: Int64, conflicts: Bool) throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let merging = try Table.create(store: gate, path: "t", schema: KV.schema)
        for start in stride(from: 0, to: 100, by: 25) {
            try merging.append([try KV.batch((start..<(start + 25)).map { (Int64($0), Int64($0)) })])
        }
        let appending = try Table.open(store: base, path: "t")
        gate.beforeNextCommit {
            try appending.append([try KV.batch([(appendedKey, 1)])])
        }
        let merge = merging.merge(source: [try KV.source((20..<30).map { (Int64($0), 0) })], on: KV.onKey).whenMatchedUpdateAll()
            .withConflictRetries(0)
        if conflicts {
            let error = #expect(throws: TableError.self) { try merge.execute() }
            #expect(error?.code == .conflict)
            #expect(try merging.snapshot().version == 5)
        } else {
            let metrics = try merge.execute()
            #expect(metrics.version == 6)
            #expect(KV.rows(try merging.read()).count == 101)
        }
    }
    @Test("composite keys (string + int) match only when every key is equal")
    func compositeKeys() throws {
        let table = try seeded()
        // (part, key) pairs: part is "p<key % 3>" in the target; the source gets it
        // right for even keys and wrong for odd ones, so only even keys match.
        let keys = Array(Int64(10)..<Int64(20))
        let source = try RecordBatch(schema: KV.schema, columns: [
            try Column(.int64, keys.map { Optional($0) }),
            try Column(.int64, keys.map { Optional($0 * 100) }),
            try Column(strings: keys.map { "p\(($0 + ($0 % 2)) % 3)" }),
        ])
        let metrics = try table.merge(source: [source], on: [(target: "part", source: "part"), (target: "key", source: "key")])
            .whenMatched(update: ["value": .source("value")])
            .execute()
        #expect(metrics.numTargetRowsUpdated == 5)
        var reference: [Int64: Int64] = [:]
        for k in Int64(0)..<100 { reference[k] = (10..<20).contains(k) && k % 2 == 0 ? k * 100 : k }
        #expect(KV.rows(try table.read()) == reference.map { Pair(key: $0.key, value: $0.value) }.sorted())
    }
    @Test("several source rows matching one target row are fine for a lone unconditional delete: the row goes once")
    func duplicateMatchesDelete() throws {
        let table = try seeded()
        let metrics = try table.merge(source: [try KV.source([(3, 1), (3, 2), (4, 1)])], on: KV.onKey)
            .whenMatchedDelete()
            .whenNotMatchedInsertAll()
            .execute()
        #expect(metrics.numTargetRowsDeleted == 2)
        #expect(metrics.numTargetRowsInserted == 0)
        #expect(KV.rows(try table.read()).map(\.key) == (0..<100).filter { $0 != 3 && $0 != 4 }.map { Optional(Int64($0)) })
    }
}

extension RecordBatch {
    fileprivate func withNonNullKey(_ schema: Schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: columns, rowCount: rowCount)
    }
}
