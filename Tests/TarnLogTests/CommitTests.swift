// CommitTests: transactions end to end on stores — create, append, conflicts, races, crashes.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTestSupport

@Suite("Commits")
struct CommitTests {
    static func createTable(_ log: DeltaLog, configuration: [String: String] = [:], schema: Schema = TestTables.schema) throws {
        var txn = try log.startTransaction(operation: "CREATE TABLE")
        txn.add(.metadata(try TestTables.metadata(configuration: configuration, schema: schema)))
        #expect(try txn.commitOrThrow() == 0)
    }

    static func append(_ log: DeltaLog, _ path: String) throws -> CommitOutcome {
        var txn = try log.startTransaction(operation: "WRITE")
        txn.operationParameters = ["mode": "Append"]
        txn.add(.add(TestTables.add(path)))
        return try txn.commit()
    }

    @Test("creating a table writes protocol 1/2, metadata and a commitInfo first")
    func create() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "db/t")
        try Self.createTable(log)
        let actions = try CommitFile.parse(store.read("db/t/_delta_log/00000000000000000000.json"), path: "", version: 0)
        guard case let .commitInfo(info)? = actions.first else { Issue.record("commitInfo is not first"); return }
        #expect(info.engineInfo == "Tarn/0.1.0")
        #expect(info.operation == "CREATE TABLE")
        #expect(info.timestamp != nil)
        #expect(actions.contains(.tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 2))))
        let snapshot = try log.snapshot()
        #expect(snapshot.version == 0)
        #expect(snapshot.files.isEmpty)
    }

    @Test("a timestamp_ntz column makes the new table 3/7 with the timestampNtz feature")
    func ntzProtocol() throws {
        let log = DeltaLog(store: InMemoryFileStore(), tablePath: "t")
        try Self.createTable(log, schema: Schema([Field("t", .timestamp(.ntz))]))
        let p = try log.snapshot().tableProtocol
        #expect(p.minReaderVersion == 3 && p.minWriterVersion == 7)
        #expect(p.hasReaderFeature("timestampNtz") && p.hasWriterFeature("timestampNtz"))
    }

    @Test("appends commit at successive versions with readVersion and isBlindAppend")
    func appends() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        for i in 1...3 { #expect(try Self.append(log, "f\(i)").version == Int64(i)) }
        let history = try log.history()
        #expect(history.map(\.version) == [3, 2, 1, 0])
        #expect(history[0].commitInfo?.readVersion == 2)
        #expect(history[0].commitInfo?.isBlindAppend == true)
        #expect(history[0].commitInfo?.operationParameters?["mode"] == "Append")
        #expect(try log.snapshot().files.count == 3)
    }

    @Test("a blind append that loses the race is rebased onto the winner")
    func rebase() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        var ours = try log.startTransaction(operation: "WRITE")
        ours.add(.add(TestTables.add("ours")))
        let other = DeltaLog(store: store, tablePath: "t")
        #expect(try Self.append(other, "theirs").version == 1)
        #expect(try ours.commit().version == 2)
        #expect(try log.snapshot().files.map(\.path) == ["ours", "theirs"])
    }

    @Test("an overwrite that loses to an append ends in a typed conflict and leaves the table consistent")
    func overwriteConflict() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        _ = try Self.append(log, "f1")
        var overwrite = try log.startTransaction(operation: "WRITE")
        overwrite.operationParameters = ["mode": "Overwrite"]
        overwrite.recordReadWholeTable()
        for f in try log.snapshot().files { overwrite.add(.remove(f.removal(deletionTimestamp: 1))) }
        overwrite.add(.add(TestTables.add("new")))
        _ = try Self.append(DeltaLog(store: store, tablePath: "t"), "f2")
        guard case let .conflict(error) = try overwrite.commit(), case let .conflict(kind, version, _) = error else {
            Issue.record("expected a conflict")
            return
        }
        #expect(kind == .concurrentAppend)
        #expect(version == 2)
        #expect("\(error)".contains("re-run"))
        #expect(try log.snapshot().files.map(\.path) == ["f1", "f2"])
    }

    @Test("two writers with the same txn app id: the second conflicts")
    func idempotentTxn() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        var a = try log.startTransaction(operation: "STREAMING UPDATE")
        var b = try log.startTransaction(operation: "STREAMING UPDATE")
        a.setTransaction(appId: "app", version: 1)
        b.setTransaction(appId: "app", version: 1)
        a.add(.add(TestTables.add("a")))
        b.add(.add(TestTables.add("b")))
        #expect(try a.commit().version == 1)
        guard case let .conflict(.conflict(kind, _, _)) = try b.commit() else { Issue.record("expected conflict"); return }
        #expect(kind == .concurrentTransaction)
        #expect(try log.snapshot().transactionVersion(appId: "app") == 1)
    }

    @Test("creating a table twice: the loser gets tableAlreadyExists")
    func doubleCreate() throws {
        let store = InMemoryFileStore()
        let a = DeltaLog(store: store, tablePath: "t"), b = DeltaLog(store: store, tablePath: "t")
        var ta = try a.startTransaction(operation: "CREATE TABLE")
        var tb = try b.startTransaction(operation: "CREATE TABLE")
        ta.add(.metadata(try TestTables.metadata()))
        tb.add(.metadata(try TestTables.metadata()))
        #expect(try ta.commit().version == 0)
        guard case let .conflict(.conflict(kind, _, _)) = try tb.commit() else { Issue.record("expected conflict"); return }
        #expect(kind == .tableAlreadyExists)
    }

    @Test("appends racing from many threads land at distinct contiguous versions")
    func threadRace() throws {
        let store = InMemoryFileStore()
        let setup = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(setup)
        let threads = 8, perThread = 10
        let failures = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let log = DeltaLog(store: store, tablePath: "t")
            for i in 0..<perThread {
                var txn: Transaction
                do { txn = try log.startTransaction(operation: "WRITE") } catch { failures.add(); continue }
                txn.maxRetries = 1000
                txn.writesCheckpoints = false
                txn.add(.add(TestTables.add("t\(t)-\(i)")))
                if (try? txn.commit().version) == nil { failures.add() }
            }
        }
        #expect(failures.count == 0)
        let snapshot = try DeltaLog(store: store, tablePath: "t").snapshot()
        #expect(snapshot.version == Int64(threads * perThread))
        #expect(snapshot.files.count == threads * perThread)
        let commits = try store.list(prefix: "t/_delta_log").filter { $0.path.hasSuffix(".json") }
        #expect(commits.count == threads * perThread + 1)
    }

    @Test("a crash after failed commits leaves only durable, complete commits")
    func crashConsistency() throws {
        let store = FaultInjectingFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        #expect(try Self.append(log, "f1").version == 1)
        // The next commit becomes visible but the crash strikes before it is durable.
        store.inject(.init(operations: [.putIfAbsent], pathPattern: "*.json", step: .makeDurable))
        #expect(throws: LogError.self) { try Self.append(log, "f2") }
        store.crash()
        let after = DeltaLog(store: store, tablePath: "t")
        let snapshot = try after.snapshot()
        #expect(snapshot.version == 1)
        #expect(snapshot.files.map(\.path) == ["f1"])
        // Writing resumes at the lost version.
        #expect(try Self.append(after, "f3").version == 2)
    }

    @Test("in-commit timestamps are written first and strictly increase")
    func inCommitTimestampsWritten() throws {
        let store = InMemoryFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log, configuration: ["delta.enableInCommitTimestamps": "true"])
        #expect(try log.snapshot().tableProtocol.hasWriterFeature("inCommitTimestamp"))
        for i in 1...3 { _ = try Self.append(log, "f\(i)") }
        var previous: Int64 = 0
        for v in Int64(0)...3 {
            let bytes = try store.read("t/_delta_log/" + LogFileName.commit(v))
            #expect(String(decoding: bytes.prefix(34), as: UTF8.self) == #"{"commitInfo":{"inCommitTimestamp""#)
            let ict = try #require(CommitFile.firstCommitInfo(bytes, path: "", version: v)?.inCommitTimestamp)
            #expect(ict > previous)
            previous = ict
        }
    }

    @Test("a local commit advances the cached snapshot without re-reading the commit")
    func cacheAdvancedByCommit() throws {
        let store = FaultInjectingFileStore()
        let log = DeltaLog(store: store, tablePath: "t")
        try Self.createTable(log)
        _ = try log.snapshot()
        #expect(try Self.append(log, "f1").version == 1)
        store.clearEvents()
        #expect(try log.snapshot().files.map(\.path) == ["f1"])
        #expect(!store.events.contains { $0.operation == .read })
    }

    @Test("append-only tables refuse removes")
    func appendOnly() throws {
        let log = DeltaLog(store: InMemoryFileStore(), tablePath: "t")
        try Self.createTable(log, configuration: ["delta.appendOnly": "true"])
        var txn = try log.startTransaction(operation: "DELETE")
        txn.add(.remove(RemoveFile(path: "x", deletionTimestamp: 1)))
        #expect(throws: LogError.self) { try txn.commit() }
    }
}

final class FailureCounter: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
