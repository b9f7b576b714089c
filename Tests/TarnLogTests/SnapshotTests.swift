// SnapshotTests: loading snapshots from a store, incremental advance, time travel, refusals.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTestSupport

@Suite("Snapshots and time travel")
struct SnapshotTests {
    @Test("a snapshot reflects every commit and the cache advances by reading only new commits")
    func incrementalAdvance() throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 3)
        let log = DeltaLog(store: store, tablePath: "t")
        let s3 = try log.snapshot()
        #expect(s3.version == 3)
        #expect(s3.files.map(\.path) == ["f1.parquet", "f2.parquet", "f3.parquet"])
        #expect(s3.schema == TestTables.schema)
        try TestTables.writeCommit(store, version: 4, [TestTables.commitInfo(9_000), .remove(RemoveFile(path: "f1.parquet", deletionTimestamp: 5))])
        // A corrupt old commit proves the advance does not re-read it.
        try store.put("t/_delta_log/" + LogFileName.commit(1), Array("garbage\n".utf8))
        let s4 = try log.snapshot()
        #expect(s4.version == 4)
        #expect(s4.files.map(\.path) == ["f2.parquet", "f3.parquet"])
        #expect(s3.files.count == 3)  // the old snapshot is unchanged
        // A fresh log must read commit 1 and reports the corruption with its line.
        #expect(throws: LogError.self) { try DeltaLog(store: store, tablePath: "t").snapshot() }
    }

    @Test("time travel by version returns each historical state")
    func byVersion() throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 5)
        let log = DeltaLog(store: store, tablePath: "t")
        for v in Int64(0)...5 {
            let s = try log.snapshot(asOf: .version(v))
            #expect(s.version == v)
            #expect(s.files.count == Int(v))
        }
        #expect {
            try log.snapshot(asOf: .version(6))
        } throws: { error in
            guard case let .missingVersion(v, latest, _) = error as? LogError else { return false }
            return v == 6 && latest == 5
        }
    }

    @Test("time travel by timestamp picks the latest commit at or before it", arguments: [
        (Int64(1_000_000), Int64(0)), (1_000_999, 0), (1_001_000, 1), (1_003_500, 3), (9_999_999, 5),
    ])
    func byTimestamp(_ millis: Int64, _ expected: Int64) throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 5, baseTime: 1_000_000)  // version v at 1_000_000 + v*1000 ms
        let log = DeltaLog(store: store, tablePath: "t")
        #expect(try log.snapshot(asOf: .timestamp(millis * 1000)).version == expected)
    }

    @Test("a timestamp before the first commit is a clear error")
    func beforeFirstCommit() throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 2, baseTime: 1_000_000)
        let log = DeltaLog(store: store, tablePath: "t")
        #expect {
            try log.snapshot(asOf: .timestamp(999_999_000))
        } throws: { error in
            guard case let .timestampBeforeFirstCommit(_, first, version, _) = error as? LogError else { return false }
            return first == 1_000_000_000 && version == 0 && "\(error)".contains("before the first available commit")
        }
    }

    @Test("in-commit timestamps are used when the table enables them")
    func inCommitTimestamps() throws {
        let store = InMemoryFileStore()
        try TestTables.writeCommit(store, version: 0, [
            TestTables.commitInfo(5_000_000, ict: 1_000_000),
            .tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["inCommitTimestamp"])),
            .metadata(try TestTables.metadata(configuration: ["delta.enableInCommitTimestamps": "true"])),
        ])
        try TestTables.writeCommit(store, version: 1, [TestTables.commitInfo(4_000_000, ict: 2_000_000), .add(TestTables.add("a"))])
        let log = DeltaLog(store: store, tablePath: "t")
        #expect(try log.snapshot(asOf: .timestamp(1_500_000_000)).version == 0)
        #expect(try log.snapshot(asOf: .timestamp(2_000_000_000)).version == 1)
        #expect(try log.history().map(\.timestamp) == [2_000_000, 1_000_000])
    }

    @Test("versions whose log was cleaned up are reported gone with the readable range")
    func versionGone() throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 3)
        try store.delete("t/_delta_log/" + LogFileName.commit(0))
        let log = DeltaLog(store: store, tablePath: "t")
        #expect {
            try log.snapshot(asOf: .version(1))
        } throws: { error in
            guard case .versionGone = error as? LogError else { return false }
            return true
        }
    }

    @Test("a missing table is reported as such")
    func missingTable() {
        #expect {
            try DeltaLog(store: InMemoryFileStore(), tablePath: "nope").snapshot()
        } throws: { error in
            guard case .tableNotFound = error as? LogError else { return false }
            return true
        }
    }

    @Test("tables needing unsupported reader features are refused naming the feature", arguments: [
        (TableProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["v2Checkpoint"], writerFeatures: ["v2Checkpoint"]), [String: String](), "v2Checkpoint"),
        (TableProtocol(minReaderVersion: 4, minWriterVersion: 7), [:], "readerVersion4"),
        (TableProtocol(minReaderVersion: 2, minWriterVersion: 5), ["delta.columnMapping.mode": "name"], "columnMapping"),
        (TableProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["variantType"], writerFeatures: []), [:], "variantType"),
    ])
    func refusals(_ p: TableProtocol, _ config: [String: String], _ feature: String) throws {
        let store = InMemoryFileStore()
        try TestTables.writeCommit(store, version: 0, [.tableProtocol(p), .metadata(try TestTables.metadata(configuration: config))])
        #expect {
            try DeltaLog(store: store, tablePath: "t").snapshot()
        } throws: { error in
            guard case let .unsupportedFeature(name, side, _, _) = error as? LogError else { return false }
            return name == feature && side == .reader && "\(error)".contains(feature)
        }
    }

    @Test("files with deletion vectors are refused; timestampNtz tables are read")
    func deletionVectorsAndNtz() throws {
        let store = InMemoryFileStore()
        var add = TestTables.add("a")
        add.deletionVector = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "x", offset: 1, sizeInBytes: 1, cardinality: 1)
        try TestTables.writeCommit(store, version: 0, [
            .tableProtocol(TableProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors", "timestampNtz"], writerFeatures: ["deletionVectors", "timestampNtz"])),
            .metadata(try TestTables.metadata(schema: Schema([Field("t", .timestamp(.ntz))]))),
        ])
        let log = DeltaLog(store: store, tablePath: "t")
        #expect(try log.snapshot().schema.fields[0].type == .timestamp(.ntz))
        try TestTables.writeCommit(store, version: 1, [.add(add)])
        #expect {
            try log.snapshot()
        } throws: { error in
            guard case let .unsupportedFeature(name, _, _, _) = error as? LogError else { return false }
            return name == "deletionVectors"
        }
    }

    @Test("shared logs are one instance per store key and table")
    func sharedLogs() throws {
        let store = InMemoryFileStore()
        let a = DeltaLog.shared(store: store, storeKey: "mem-shared-test", tablePath: "t")
        let b = DeltaLog.shared(store: store, storeKey: "mem-shared-test", tablePath: "t")
        let c = DeltaLog.shared(store: store, storeKey: "mem-shared-test", tablePath: "u")
        #expect(a === b)
        #expect(a !== c)
    }

    @Test("history lists commitInfos newest first")
    func history() throws {
        let store = InMemoryFileStore()
        try TestTables.create(store, appends: 4)
        let history = try DeltaLog(store: store, tablePath: "t").history(limit: 2)
        #expect(history.map(\.version) == [4, 3])
        #expect(history.first?.commitInfo?.operation == "WRITE")
        #expect(history.first?.timestamp == 1_004_000)
    }

    @Test("files(matching:) prunes by partition and stats")
    func pruning() throws {
        let store = InMemoryFileStore()
        try TestTables.writeCommit(store, version: 0, [
            .tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 2)),
            .metadata(try TestTables.metadata(partitionColumns: ["day"])),
            .add(TestTables.add("day=1970-01-01/a", partition: ["day": "1970-01-01"], stats: #"{"numRecords":2,"minValues":{"id":1},"maxValues":{"id":5},"nullCount":{"id":0}}"#)),
            .add(TestTables.add("day=1970-01-02/b", partition: ["day": "1970-01-02"], stats: #"{"numRecords":2,"minValues":{"id":6},"maxValues":{"id":9},"nullCount":{"id":0}}"#)),
        ])
        let s = try DeltaLog(store: store, tablePath: "t").snapshot()
        #expect(s.files(matching: .comparison(column: "day", op: .equal, value: .date(1))).map(\.path) == ["day=1970-01-02/b"])
        #expect(s.files(matching: .comparison(column: "id", op: .less, value: .int(3))).map(\.path) == ["day=1970-01-01/a"])
        #expect(s.files(matching: nil).count == 2)
        #expect(s.dataSchema.names == ["id", "name"])
    }
}
