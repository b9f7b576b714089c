// Idempotent writes: a write carrying WriteOptions.transaction (appId, version) commits
// once; repeating it (retry after a crash, a second Table, a racing duplicate) adds
// nothing. Versions of other applications are independent.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Idempotent writes")
struct ConcurrencyIdempotentWriteTests {
    static func options(_ appId: String, _ version: Int64) -> WriteOptions {
        var options = WriteOptions()
        options.transaction = (appId: appId, version: version)
        return options
    }

    @Test("the same (appId, version) written twice commits once and its rows appear once")
    func sameTransactionTwice() throws {
        let store = InMemoryFileStore()
        let id = try TableIdentifier(parsing: "etl.daily")
        let table = try Catalog(store: store).createTable(id, schema: Rows.schema)
        let first = try table.append([try Rows.batch(0..<5)], options: Self.options("loader", 1))
        #expect(first.version == 1)
        let repeated = try table.append([try Rows.batch(0..<5)], options: Self.options("loader", 1))
        #expect(repeated.version == nil)
        #expect(repeated.filesAdded == 0 && repeated.rowsWritten == 0)
        // Another Table object (as after a restart) sees the recorded transaction too.
        let restarted = try Catalog(store: store).openTable(id)
        let again = try restarted.append([try Rows.batch(0..<5)], options: Self.options("loader", 1))
        #expect(again.version == nil)
        #expect(try restarted.history().map(\.version) == [1, 0])
        #expect(Rows.ids(try restarted.read()) == (0..<5).map(Int64.init))
        #expect(try restarted.snapshot().transactionVersion(appId: "loader") == 1)

        // A later version commits; an older one is skipped; other applications are independent.
        #expect(try restarted.append([try Rows.batch(5..<7)], options: Self.options("loader", 2)).version == 2)
        #expect(try restarted.append([try Rows.batch(0..<5)], options: Self.options("loader", 1)).version == nil)
        #expect(try restarted.append([try Rows.batch(7..<8)], options: Self.options("other", 1)).version == 3)
        #expect(Rows.ids(try table.read()) == (0..<8).map(Int64.init))
    }

    @Test("an overwrite with a recorded (appId, version) is skipped too")
    func overwriteSkipped() throws {
        let table = try Catalog(store: InMemoryFileStore()).createTable(try TableIdentifier(parsing: "etl.o"), schema: Rows.schema)
        #expect(try table.overwrite([try Rows.batch(0..<3)], options: Self.options("job", 4)).version == 1)
        try table.append([try Rows.batch(3..<6)])
        #expect(try table.overwrite([try Rows.batch(0..<3)], options: Self.options("job", 4)).version == nil)
        #expect(Rows.ids(try table.read()) == (0..<6).map(Int64.init))
    }

    @Test("two writers racing with the same (appId, version): one commits, the other gets a typed conflict")
    func racingDuplicates() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let id = try TableIdentifier(parsing: "etl.race")
        let slow = try Catalog(store: gate).createTable(id, schema: Rows.schema)
        let fast = try Catalog(store: base).openTable(id)
        gate.beforeNextCommit {
            let winner = try fast.append([try Rows.batch(0..<5)], options: Self.options("loader", 1))
            #expect(winner.version == 1)
        }
        let error = try #require(throws: TableError.self) {
            try slow.append([try Rows.batch(0..<5)], options: Self.options("loader", 1))
        }
        #expect(error.code == .conflict)
        if case let .conflict(kind, _, _) = error.cause as? LogError {
            #expect(kind == .concurrentTransaction)
        } else {
            Issue.record("the cause is not LogError.conflict: \(String(describing: error.cause))")
        }
        // The loser's retry sees the recorded transaction and adds nothing.
        #expect(try slow.append([try Rows.batch(0..<5)], options: Self.options("loader", 1)).version == nil)
        #expect(Rows.ids(try slow.read()) == (0..<5).map(Int64.init))
        #expect(try slow.snapshot().version == 1)
    }
}
