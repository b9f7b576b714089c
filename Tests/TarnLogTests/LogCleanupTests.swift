// LogCleanupTests: expired log files go only below the newest expired checkpoint, the log
// keeps starting at a checkpoint, and time travel to a cleaned version is versionGone.
import Foundation
import Testing
import TarnColumnar
import TarnIO
@testable import TarnLog
import TarnTestSupport

@Suite("Log cleanup")
struct LogCleanupTests {
    static let day: Int64 = 86_400_000

    /// A table `t` with `commits` appends after the create, checkpoints every `interval`.
    static func buildTable(_ store: any FileStore, commits: Int, configuration: [String: String]) throws -> DeltaLog {
        let log = DeltaLog(store: store, tablePath: "t")
        var create = try log.startTransaction(operation: "CREATE TABLE")
        create.add(.metadata(try TestTables.metadata(configuration: configuration)))
        try create.commitOrThrow()
        for i in 1...commits {
            var txn = try log.startTransaction(operation: "WRITE")
            txn.add(.add(TestTables.add("f\(i).parquet")))
            try txn.commitOrThrow()
        }
        return log
    }

    static func logNames(_ store: any FileStore) throws -> Set<String> {
        Set(try store.list(prefix: "t/_delta_log").map { StoragePath.lastComponent(of: $0.path) })
    }

    @Test("nothing is deleted while no checkpoint is older than the retention")
    func nothingExpired() throws {
        let store = InMemoryFileStore()
        let log = try Self.buildTable(store, commits: 12, configuration: ["delta.checkpointInterval": "5"])
        let before = try Self.logNames(store)
        let deleted = try LogCleanup.cleanUp(log: log, configuration: [:], now: Transaction.nowMillis())
        #expect(deleted.isEmpty)
        #expect(try Self.logNames(store) == before)
    }

    @Test("after the retention, files below the newest expired checkpoint go; it and later files stay")
    func expiredBelowCheckpoint() throws {
        let store = InMemoryFileStore()
        let log = try Self.buildTable(store, commits: 12, configuration: ["delta.checkpointInterval": "5"])
        let expected = try log.snapshot()
        let deleted = try LogCleanup.cleanUp(log: log, configuration: [:], now: Transaction.nowMillis() + 31 * Self.day)
        let names = try Self.logNames(store)
        // Checkpoints 5 and 10 exist; 10 is the newest expired one: everything below it goes.
        for v in Int64(0)..<10 {
            #expect(!names.contains(LogFileName.commit(v)), "commit \(v) should be deleted")
        }
        #expect(!names.contains(LogFileName.checkpoint(5)))
        #expect(names.contains(LogFileName.checkpoint(10)))
        for v in Int64(10)...12 { #expect(names.contains(LogFileName.commit(v))) }
        #expect(names.contains(LogFileName.lastCheckpoint))
        #expect(deleted.count == 11)
        let fresh = DeltaLog(store: store, tablePath: "t")
        #expect(try fresh.snapshot().files == expected.files)
        #expect(try fresh.snapshot(asOf: .version(10)).version == 10)
        #expect(try fresh.snapshot(asOf: .version(11)).files.count == 11)
        let error = try #require(throws: LogError.self) { try fresh.snapshot(asOf: .version(4)) }
        guard case let .versionGone(version, available, _) = error else {
            Issue.record("expected versionGone, got \(error)")
            return
        }
        #expect(version == 4)
        #expect(available == 10...12)
    }

    @Test("the retention is delta.logRetentionDuration: inside it nothing goes")
    func configuredRetention() throws {
        let store = InMemoryFileStore()
        let configuration = ["delta.checkpointInterval": "5", "delta.logRetentionDuration": "interval 60 days"]
        let log = try Self.buildTable(store, commits: 6, configuration: configuration)
        #expect(try LogCleanup.cleanUp(log: log, configuration: configuration, now: Transaction.nowMillis() + 31 * Self.day).isEmpty)
        let deleted = try LogCleanup.cleanUp(log: log, configuration: configuration, now: Transaction.nowMillis() + 61 * Self.day)
        #expect(deleted.count == 5)
        #expect(try !Self.logNames(store).contains(LogFileName.commit(4)))
        #expect(try Self.logNames(store).contains(LogFileName.commit(5)))
    }

    @Test("delta.enableExpiredLogCleanup=false keeps every file")
    func disabled() throws {
        let store = InMemoryFileStore()
        let configuration = ["delta.checkpointInterval": "5", "delta.enableExpiredLogCleanup": "false"]
        let log = try Self.buildTable(store, commits: 6, configuration: configuration)
        #expect(try LogCleanup.cleanUp(log: log, configuration: configuration, now: Transaction.nowMillis() + 400 * Self.day).isEmpty)
    }

    @Test("only files whose own time is expired go, even below an expired checkpoint")
    func perFileTimes() {
        func info(_ name: String, _ time: Int64) -> FileInfo {
            FileInfo(path: "t/_delta_log/" + name, size: 1, modificationTime: time)
        }
        let listing = [
            info(LogFileName.commit(0), 100), info(LogFileName.commit(1), 5000), info(LogFileName.commit(2), 200),
            info(LogFileName.checkpoint(2), 200), info(LogFileName.commit(3), 300), info(LogFileName.checkpoint(3), 9000),
            info(LogFileName.lastCheckpoint, 9000),
        ]
        let expired = LogCleanup.expiredFiles(listing: listing, retention: 1000, now: 2000)
        // Newest expired checkpoint is 2 (3 is too new); commit 1 is too new itself.
        #expect(expired.map { StoragePath.lastComponent(of: $0.path) } == [LogFileName.commit(0)])
    }

    @Test("a commit that writes a checkpoint cleans the log with a zero retention")
    func afterCheckpointCommit() throws {
        let store = InMemoryFileStore()
        let configuration = ["delta.checkpointInterval": "5", "delta.logRetentionDuration": "interval 0 days"]
        let log = try Self.buildTable(store, commits: 11, configuration: configuration)
        let names = try Self.logNames(store)
        #expect(names.contains(LogFileName.checkpoint(10)))
        #expect(!names.contains(LogFileName.checkpoint(5)))
        #expect(!names.contains(LogFileName.commit(9)))
        #expect(names.contains(LogFileName.commit(10)))
        #expect(names.contains(LogFileName.commit(11)))
        #expect(try DeltaLog(store: store, tablePath: "t").snapshot().files.count == 11)
        #expect(throws: LogError.self) { try DeltaLog(store: store, tablePath: "t").snapshot(asOf: .version(3)) }
        _ = log
    }
}
