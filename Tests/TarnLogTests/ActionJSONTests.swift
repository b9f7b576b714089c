// ActionJSONTests: every action's JSON form, commit file parsing and its errors.
import Testing
import TarnColumnar
@testable import TarnLog

@Suite("Action JSON")
struct ActionJSONTests {
    static let actions: [Action] = [
        .tableProtocol(TableProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz"])),
        .metadata(Metadata(id: "id-1", name: "t", description: "d", schemaString: #"{"type":"struct","fields":[]}"#,
                           partitionColumns: ["p"], configuration: ["delta.checkpointInterval": "5"], createdTime: 7)),
        .add(AddFile(path: "p=a%20b/f.parquet", partitionValues: ["p": "a b", "q": nil], size: 10, modificationTime: 11,
                     dataChange: true, stats: #"{"numRecords":1}"#, tags: ["k": "v"], baseRowId: 4, defaultRowCommitVersion: 2)),
        .remove(RemoveFile(path: "f.parquet", deletionTimestamp: 12, dataChange: true, extendedFileMetadata: true,
                           partitionValues: [:], size: 10)),
        .txn(SetTransaction(appId: "app", version: 3, lastUpdated: 99)),
        .domainMetadata(DomainMetadata(domain: "delta.clustering", configuration: "{}", removed: false)),
        .commitInfo(CommitInfo(timestamp: 1, operation: "WRITE", operationParameters: ["mode": "Append"],
                               readVersion: 0, isBlindAppend: true, engineInfo: "Tarn/0.1.0",
                               otherFields: [JSONMember("clientVersion", .string("x")), JSONMember("nested", .object(["a": .array([.int(1)])]))])),
    ]

    @Test("actions survive a commit file round trip", arguments: actions)
    func roundTrip(_ action: Action) throws {
        let bytes = CommitFile.serialize([action])
        #expect(bytes.last == 0x0A)
        #expect(bytes.filter { $0 == 0x0A }.count == 1)
        let parsed = try CommitFile.parse(bytes, path: "00.json", version: 0)
        #expect(parsed == [action])
    }

    @Test("commitInfo keeps unknown fields and non-string parameters from other writers")
    func commitInfoUnknownFields() throws {
        let line = #"{"commitInfo":{"timestamp":5,"operation":"WRITE","operationParameters":{"mode":"Append","partitionBy":[]},"clientVersion":"delta-rs.0.20","operationMetrics":{"num_added_files":1},"userMetadata":{"x":1}}}"#
        let parsed = try CommitFile.parse(Array(line.utf8), path: "x.json", version: 1)
        guard case let .commitInfo(ci)? = parsed.first else { Issue.record("no commitInfo"); return }
        #expect(ci.operationParameters?["partitionBy"] == "[]")
        #expect(ci.operationMetrics?["num_added_files"] == "1")
        #expect(ci.otherFields.map(\.key) == ["clientVersion", "userMetadata"])
        let again = try CommitFile.parse(CommitFile.serialize(parsed), path: "x.json", version: 1)
        #expect(again == parsed)
    }

    @Test("unknown action types and blank lines are skipped; cdc is recognised")
    func unknownActions() throws {
        let text = "{\"futureAction\":{\"x\":1}}\n\n{\"txn\":{\"appId\":\"a\",\"version\":1}}\r\n{\"cdc\":{\"path\":\"c\",\"size\":1,\"dataChange\":false}}\n"
        let parsed = try CommitFile.parse(Array(text.utf8), path: "x.json", version: 1)
        #expect(parsed == [.txn(SetTransaction(appId: "a", version: 1)), .cdc])
    }

    @Test("a malformed line is a corrupt-log error naming file, version and line", arguments: [
        ("{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"add\":{\"path\":", 2),
        ("{\"add\":{\"path\":\"x\"}}\n", 1),                       // size missing
        ("{\"txn\":{\"appId\":\"a\",\"version\":1}}\n\n[1]\n", 3),  // not an object
        ("{\"add\":{\"path\":1,\"size\":1}}", 1),                  // wrong type
    ])
    func malformed(_ text: String, _ line: Int) {
        do {
            _ = try CommitFile.parse(Array(text.utf8), path: "t/_delta_log/00000000000000000007.json", version: 7)
            Issue.record("expected an error")
        } catch let error {
            guard case let .corrupt(path, version, errorLine, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path.hasSuffix("00000000000000000007.json"))
            #expect(version == 7)
            #expect(errorLine == line)
            #expect(error.description.contains("line \(line)"))
        }
    }

    @Test("file paths are percent-encoded in the log and decoded for reading")
    func pathEncoding() {
        #expect(AddFile.encodePath("p=a b/part-0.parquet") == "p=a%20b/part-0.parquet")
        #expect(AddFile.encodePath("x%y/é.parquet") == "x%25y/%C3%A9.parquet")
        #expect(TestTables.add("p=a%20b/%C3%A9.parquet").decodedPath == "p=a b/é.parquet")
    }

    @Test("the replay key includes the deletion vector id")
    func fileKey() {
        var a = TestTables.add("f")
        #expect(a.key == FileKey(path: "f"))
        a.deletionVector = DeletionVectorDescriptor(storageType: "u", pathOrInlineDv: "ab", offset: 4, sizeInBytes: 1, cardinality: 1)
        #expect(a.key == FileKey(path: "f", deletionVectorId: "uab@4"))
    }
}
