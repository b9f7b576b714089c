// Conflict retries of DELETE, UPDATE and MERGE: a concurrent append into what the
// operation read makes it plan again on the new snapshot, so the appended rows are
// deleted / updated / matched too (as if the operation ran after the append); with no
// retries left the conflict is reported and nothing is committed.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("DELETE / UPDATE / MERGE conflict retries")
struct DeleteUpdateMergeRetryTests {
    /// A table on a commit gate (partitioned by day: ids ≡ 1 mod 3 live in day 20001) and
    /// a second handle on the same store that the gate's hook appends through.
    static func tables() throws -> (gate: CommitGateStore, operating: Table, appending: Table) {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let operating = try Table.create(store: gate, path: "t", schema: Rows.schema, partitionColumns: ["day"])
        try operating.append([try Rows.batch(0..<30)])
        return (gate, operating, try Table.open(store: base, path: "t"))
    }

    @Test("a DELETE retried after a conflicting append deletes the appended rows of the partition too")
    func deleteRetries() throws {
        let (gate, deleter, appender) = try Self.tables()
        gate.beforeNextCommit { try appender.append([try Rows.batch([100, 103, 99])]) }
        let metrics = try deleter.delete(whereSQL: "day = DATE '2024-10-05'")  // day 20001
        #expect(metrics.conflictRetries == 1)
        #expect(metrics.version == 3)
        #expect(Rows.ids(try appender.read()) == ((0..<30).filter { $0 % 3 != 1 } + [99]).map(Int64.init).sorted())
    }

    @Test("an UPDATE retried after a conflicting append updates the appended rows too")
    func updateRetries() throws {
        let (gate, updater, appender) = try Self.tables()
        gate.beforeNextCommit { try appender.append([try Rows.batch([100])]) }
        let metrics = try updater.update(where: .comparison(column: "day", op: .equal, value: .date(20001)),
                                         set: ["name": .literal(.string("u"))])
        #expect(metrics.conflictRetries == 1 && metrics.numUpdatedRows == 11)
        let renamed = try appender.read(predicate: .comparison(column: "name", op: .equal, value: .string("u")))
        #expect(Rows.ids(renamed) == ((0..<30).filter { $0 % 3 == 1 } + [100]).map(Int64.init))
    }

    @Test("a MERGE retried after a conflicting append matches the appended row")
    func mergeRetries() throws {
        let (gate, merger, appender) = try Self.tables()
        gate.beforeNextCommit { try appender.append([try Rows.batch([40])]) }
        let metrics = try merger.merge(source: [try Rows.batch([40, 41])], on: [(target: "id", source: "id")])
            .whenMatchedDelete().whenNotMatchedInsertAll().execute()
        #expect(metrics.conflictRetries == 1)
        #expect(metrics.numTargetRowsDeleted == 1 && metrics.numTargetRowsInserted == 1)
        #expect(Rows.ids(try appender.read()) == ((0..<30) + [41]).map(Int64.init))
    }

    @Test("with no retries the conflict is reported and nothing of the operation is committed")
    func noRetries() throws {
        let (gate, deleter, appender) = try Self.tables()
        gate.beforeNextCommit { try appender.append([try Rows.batch([100])]) }
        let error = try #require(throws: TableError.self) {
            try deleter.delete(whereSQL: "day = DATE '2024-10-05'", conflictRetries: 0)
        }
        #expect(error.code == .conflict)
        #expect(try appender.snapshot().version == 2)
        #expect(Rows.ids(try appender.read()) == ((0..<30) + [100]).map(Int64.init))
    }
}
