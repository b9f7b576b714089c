// CheckpointTests: classic checkpoint write -> read round trips and their use by snapshots.
import Foundation
import Testing
import TarnColumnar
import TarnIO
@testable import TarnLog
import TarnTestSupport

@Suite("Checkpoints")
struct CheckpointTests {
    static func buildTable(_ store: any FileStore, commits: Int, interval: Int = 10) throws -> DeltaLog {
        let log = DeltaLog(store: store, tablePath: "t")
        var create = try log.startTransaction(operation: "CREATE TABLE")
        create.add(.metadata(try TestTables.metadata(partitionColumns: ["day"], configuration: ["delta.checkpointInterval": String(interval)])))
        try create.commitOrThrow()
        for i in 1...commits {
            var txn = try log.startTransaction(operation: "WRITE")
            txn.add(.add(AddFile(path: "day=2024-01-0\(i % 3 + 1)/f\(i).parquet", partitionValues: ["day": i % 4 == 0 ? nil : "2024-01-0\(i % 3 + 1)"],
                                 size: Int64(100 + i), modificationTime: 1_700_000_000_000 + Int64(i), dataChange: true,
                                 stats: #"{"numRecords":\#(i),"minValues":{"id":\#(i)},"maxValues":{"id":\#(i * 10)},"nullCount":{"id":0}}"#,
                                 tags: i == 2 ? ["k": "v"] : nil)))
            if i % 5 == 0 {
                txn.add(.remove(RemoveFile(path: "day=2024-01-0\((i - 1) % 3 + 1)/f\(i - 1).parquet", deletionTimestamp: Int64(Date().timeIntervalSince1970 * 1000),
                                           dataChange: true, extendedFileMetadata: true, partitionValues: ["day": "x"], size: 1)))
            }
            txn.setTransaction(appId: "app-\(i % 2)", version: Int64(i))
            try txn.commitOrThrow()
        }
        return log
    }

    @Test("a checkpoint round-trips every action of the snapshot")
    func roundTrip() throws {
        let store = InMemoryFileStore()
        let log = try Self.buildTable(store, commits: 7)
        let snapshot = try log.snapshot()
        let actions = Checkpointer.actions(of: snapshot)
        let bytes = try CheckpointCodec.write(actions, tableProtocol: snapshot.tableProtocol, path: "cp")
        let read = try CheckpointCodec.readActions(bytes, path: "cp", version: snapshot.version)
        #expect(read.count == actions.count)
        #expect(Set(read) == Set(actions))
    }

    @Test("commits at the interval write a checkpoint and _last_checkpoint; snapshots use them")
    func writtenAndUsed() throws {
        let store = InMemoryFileStore()
        let log = try Self.buildTable(store, commits: 12, interval: 5)
        let names = try store.list(prefix: "t/_delta_log").map { StoragePath.lastComponent(of: $0.path) }
        #expect(names.contains(LogFileName.checkpoint(5)))
        #expect(names.contains(LogFileName.checkpoint(10)))
        let hint = try #require(LastCheckpoint.parse(store.read("t/_delta_log/_last_checkpoint")))
        #expect(hint.version == 10)
        let expected = try log.snapshot()
        // Without the commits before the checkpoint, the table still loads from it.
        for v in Int64(0)...10 { try store.delete("t/_delta_log/" + LogFileName.commit(v)) }
        let fresh = try DeltaLog(store: store, tablePath: "t").snapshot()
        #expect(fresh.version == 12)
        #expect(fresh.files == expected.files)
        #expect(fresh.metadata == expected.metadata)
        #expect(fresh.tableProtocol == expected.tableProtocol)
        #expect(fresh.transactions == expected.transactions)
        #expect(Set(fresh.tombstones) == Set(expected.tombstones))
        // Versions before the checkpoint are gone now.
        #expect(throws: LogError.self) { try DeltaLog(store: store, tablePath: "t").snapshot(asOf: .version(9)) }
    }

    @Test("a stale or missing _last_checkpoint falls back to listing")
    func staleHint() throws {
        let store = InMemoryFileStore()
        _ = try Self.buildTable(store, commits: 12, interval: 5)
        try store.put("t/_delta_log/_last_checkpoint", LastCheckpoint(version: 5, size: 1).bytes)
        #expect(try DeltaLog(store: store, tablePath: "t").snapshot().version == 12)
        try store.put("t/_delta_log/_last_checkpoint", LastCheckpoint(version: 99, size: 1).bytes)
        #expect(try DeltaLog(store: store, tablePath: "t").snapshot().version == 12)
        try store.delete("t/_delta_log/_last_checkpoint")
        #expect(try DeltaLog(store: store, tablePath: "t").snapshot().version == 12)
    }

    @Test("multi-part checkpoints are read when complete")
    func multiPart() throws {
        let store = InMemoryFileStore()
        let log = try Self.buildTable(store, commits: 3, interval: 100)
        let snapshot = try log.snapshot()
        let actions = Checkpointer.actions(of: snapshot)
        let half = actions.count / 2
        try store.put("t/_delta_log/" + LogFileName.checkpointPart(3, part: 1, parts: 2),
                      CheckpointCodec.write(Array(actions[..<half]), tableProtocol: snapshot.tableProtocol, path: "p1"))
        try store.put("t/_delta_log/" + LogFileName.checkpointPart(3, part: 2, parts: 2),
                      CheckpointCodec.write(Array(actions[half...]), tableProtocol: snapshot.tableProtocol, path: "p2"))
        for v in Int64(0)...3 { try store.delete("t/_delta_log/" + LogFileName.commit(v)) }
        let fresh = try DeltaLog(store: store, tablePath: "t").snapshot()
        #expect(fresh.version == 3)
        #expect(fresh.files == snapshot.files)
    }

    @Test("a corrupt checkpoint is a corrupt-log error naming it")
    func corrupt() throws {
        let store = InMemoryFileStore()
        _ = try Self.buildTable(store, commits: 10, interval: 10)
        try store.put("t/_delta_log/" + LogFileName.checkpoint(10), Array("PAR1garbagePAR1".utf8))
        #expect {
            try DeltaLog(store: store, tablePath: "t").snapshot()
        } throws: { error in
            guard case let .corrupt(path, _, _, _) = error as? LogError else { return false }
            return path.hasSuffix(".checkpoint.parquet")
        }
    }
}

@Suite("Checkpoint hostile input")
struct CheckpointHostileInputTests {
    @Test("damaged checkpoint bytes are errors, never crashes", arguments: [0, 1, 7, 100, 1000, 4000])
    func damaged(_ cut: Int) throws {
        let store = InMemoryFileStore()
        let log = try CheckpointTests.buildTable(store, commits: 3, interval: 100)
        let snapshot = try log.snapshot()
        var bytes = try CheckpointCodec.write(Checkpointer.actions(of: snapshot), tableProtocol: snapshot.tableProtocol, path: "cp")
        // Truncate, or flip bytes in the middle, keeping the magic at both ends.
        if cut < bytes.count - 8 {
            for i in stride(from: 4 + cut, to: min(bytes.count - 8, 4 + cut + 64), by: 3) { bytes[i] ^= 0x5A }
        }
        do {
            let actions = try CheckpointCodec.readActions(bytes, path: "cp", version: 3)
            // Damage that hits only values may still decode; it must not invent actions.
            #expect(actions.count <= Checkpointer.actions(of: snapshot).count)
        } catch {
            #expect(error.description.contains("cp"))
        }
        #expect(throws: LogError.self) { try CheckpointCodec.readActions(Array(bytes.prefix(cut)), path: "cp", version: 3) }
    }
}

@Suite("Checkpoint tombstone retention")
struct CheckpointRetentionTests {
    @Test("interval properties parse", arguments: [
        ("interval 7 days", Int64(604_800_000)), ("interval 1 week", 604_800_000), ("INTERVAL 36 hours", 129_600_000),
        ("interval 30 seconds", 30_000),
    ])
    func intervals(_ text: String, _ ms: Int64) {
        #expect(Checkpointer.intervalMillis(text) == ms)
    }

    @Test("tombstones older than the retention are left out of checkpoints")
    func expiredTombstones() throws {
        let store = InMemoryFileStore()
        let log = try CheckpointTests.buildTable(store, commits: 10, interval: 100)
        let snapshot = try log.snapshot()
        let tombstones = snapshot.tombstones
        #expect(tombstones.count == 2)
        let all = Checkpointer.actions(of: snapshot).filter { if case .remove = $0 { return true } else { return false } }
        #expect(all.count == 2)
        let later = (tombstones.compactMap(\.deletionTimestamp).max() ?? 0) + Checkpointer.defaultTombstoneRetention + 1
        let pruned = Checkpointer.actions(of: snapshot, now: later).filter { if case .remove = $0 { return true } else { return false } }
        #expect(pruned.isEmpty)
    }
}
