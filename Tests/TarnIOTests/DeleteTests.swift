// DeleteTests: file deletion is idempotent; directories are created and removed explicitly.

import TarnIO
import Testing

@Suite("Delete and directories")
struct DeleteTests {
    @Test("delete removes a file and deleting a missing file is not an error", arguments: StoreKind.allCases)
    func idempotentDelete(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("t/part-0.parquet", [1])
        try fixture.store.delete("t/part-0.parquet")
        #expect(try fixture.store.exists("t/part-0.parquet") == false)
        try fixture.store.delete("t/part-0.parquet")
        try fixture.store.delete("never/existed")
        try fixture.store.putIfAbsent("t/part-0.parquet", [2])
        #expect(try fixture.store.read("t/part-0.parquet") == [2])
    }

    @Test("delete of a directory is .invalidPath", arguments: StoreKind.allCases)
    func deleteDirectoryAsFile(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.createDirectory("dir")
        #expect(throws: StorageError.self) { try fixture.store.delete("dir") }
        #expect(try fixture.store.listDirectories(prefix: "") == ["dir"])
    }

    @Test("createDirectory makes parents, is idempotent, and refuses a file in the way", arguments: StoreKind.allCases)
    func createDirectories(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.createDirectory("ns/table/_delta_log")
        try fixture.store.createDirectory("ns/table/_delta_log")
        #expect(try fixture.store.listDirectories(prefix: "ns/table") == ["ns/table/_delta_log"])
        try fixture.store.put("ns/file", [1])
        #expect(throws: StorageError.self) { try fixture.store.createDirectory("ns/file") }
        #expect(throws: StorageError.self) { try fixture.store.createDirectory("ns/file/sub") }
    }

    @Test("deleteDirectory: not recursive refuses a non-empty directory; recursive removes the tree",
          arguments: StoreKind.allCases)
    func deleteDirectories(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("ns/t/_delta_log/0.json", [1])
        try fixture.store.put("ns/t/x=1/part.parquet", [1])
        try fixture.store.put("ns/u/keep", [1])
        #expect(throws: StorageError.directoryNotEmpty(path: "ns/t")) {
            try fixture.store.deleteDirectory("ns/t", recursively: false)
        }
        try fixture.store.deleteDirectory("ns/t", recursively: true)
        #expect(try fixture.store.listDirectories(prefix: "ns") == ["ns/u"])
        #expect(try fixture.store.list(prefix: "", after: nil, recursive: true).map(\.path) == ["ns/u/keep"])
        try fixture.store.deleteDirectory("ns/t", recursively: true)
        try fixture.store.createDirectory("empty")
        try fixture.store.deleteDirectory("empty", recursively: false)
        #expect(try fixture.store.listDirectories(prefix: "") == ["ns"])
    }

    @Test("deleteDirectory refuses the root and files", arguments: StoreKind.allCases)
    func deleteDirectoryRefusals(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("file", [1])
        #expect(throws: StorageError.self) { try fixture.store.deleteDirectory("", recursively: true) }
        #expect(throws: StorageError.self) { try fixture.store.deleteDirectory("file", recursively: true) }
        #expect(try fixture.store.read("file") == [1])
    }
}
