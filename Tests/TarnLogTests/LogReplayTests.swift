// LogReplayTests: the spec's reconciliation rules, applied by pure replay.
import Testing
@testable import TarnLog

@Suite("Log replay")
struct LogReplayTests {
    static func remove(_ path: String, at time: Int64 = 10) -> Action {
        .remove(RemoveFile(path: path, deletionTimestamp: time))
    }

    @Test("latest protocol and metadata win; adds, removes and re-adds reconcile by path")
    func reconciliation() throws {
        let m1 = try TestTables.metadata()
        var m2 = m1
        m2.configuration = ["delta.appendOnly": "false"]
        let state = LogReplay.replay(checkpoint: nil, commits: [
            (0, [.tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 2)), .metadata(m1), .add(TestTables.add("a")), .add(TestTables.add("b"))], 100),
            (1, [Self.remove("a"), .add(TestTables.add("c"))], 200),
            (2, [.add(TestTables.add("a", size: 7)), Self.remove("b"), .metadata(m2),
                 .tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 3))], 300),
        ])
        #expect(state.version == 2)
        #expect(state.metadata == m2)
        #expect(state.tableProtocol?.minWriterVersion == 3)
        #expect(Set(state.files.keys.map(\.path)) == ["a", "c"])
        #expect(state.files[FileKey(path: "a")]?.size == 7)
        #expect(Set(state.tombstones.keys.map(\.path)) == ["b"])
    }

    @Test("txn keeps the latest version per app; domain metadata tombstones delete")
    func txnAndDomains() {
        let state = LogReplay.replay(checkpoint: nil, commits: [
            (0, [.txn(SetTransaction(appId: "x", version: 1)), .txn(SetTransaction(appId: "y", version: 5)),
                 .domainMetadata(DomainMetadata(domain: "d1", configuration: "a")), .domainMetadata(DomainMetadata(domain: "d2", configuration: "b"))], nil),
            (1, [.txn(SetTransaction(appId: "x", version: 2)), .domainMetadata(DomainMetadata(domain: "d1", configuration: "", removed: true))], nil),
        ])
        #expect(state.transactions["x"]?.version == 2)
        #expect(state.transactions["y"]?.version == 5)
        #expect(Array(state.domainMetadata.keys) == ["d2"])
    }

    @Test("replay starts from checkpoint actions and records commit timestamps")
    func checkpointThenCommits() {
        let state = LogReplay.replay(checkpoint: (version: 9, actions: [.add(TestTables.add("a")), .add(TestTables.add("b"))]),
                                     commits: [(10, [TestTables.commitInfo(5000, ict: 6000), Self.remove("a")], 4000)])
        #expect(state.version == 10)
        #expect(Array(state.files.keys.map(\.path)) == ["b"])
        #expect(state.commitTimestamps[10] == CommitTimestamps(inCommitTimestamp: 6000, commitInfoTimestamp: 5000, fileModificationTime: 4000))
        #expect(state.commitTimestamps[9] == nil)
    }

    @Test("tombstones older than the retention cutoff are dropped")
    func tombstoneRetention() {
        let state = LogReplay.replay(checkpoint: nil, commits: [
            (0, [.add(TestTables.add("a")), .add(TestTables.add("b"))], nil),
            (1, [Self.remove("a", at: 5), Self.remove("b", at: 50)], nil),
        ], tombstoneRetentionCutoff: 10)
        #expect(Array(state.tombstones.keys.map(\.path)) == ["b"])
    }

    @Test("the same path with different deletion vectors is two logical files")
    func deletionVectorKeys() {
        var withDV = TestTables.add("a")
        withDV.deletionVector = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: "xyz", offset: nil, sizeInBytes: 1, cardinality: 1)
        let state = LogReplay.replay(checkpoint: nil, commits: [
            (0, [.add(TestTables.add("a"))], nil),
            (1, [.remove(RemoveFile(path: "a", deletionTimestamp: 1)), .add(withDV)], nil),
        ])
        #expect(Array(state.files.keys) == [FileKey(path: "a", deletionVectorId: "ixyz")])
    }

    @Test("replaying tens of thousands of adds stays linear")
    func manyAdds() {
        let adds = (0..<50_000).map { Action.add(TestTables.add("part-\($0).parquet")) }
        let removes = (0..<25_000).map { Action.remove(RemoveFile(path: "part-\($0 * 2).parquet", deletionTimestamp: 1)) }
        let state = LogReplay.replay(checkpoint: nil, commits: [(0, adds, nil), (1, removes, nil)])
        #expect(state.files.count == 25_000)
        #expect(state.tombstones.count == 25_000)
    }
}
