// ListingTests: list and listDirectories return sorted, complete, prefix-scoped results.

import TarnIO
import Testing

@Suite("Listing")
struct ListingTests {
    static let commitNames = [
        "00000000000000000010.json", "00000000000000000002.json", "00000000000000000000.json",
        "00000000000000000001.json", "00000000000000000010.checkpoint.parquet", "_last_checkpoint",
    ]

    @Test("list returns the files of a directory sorted by path bytes", arguments: StoreKind.allCases)
    func sortedListing(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        for (index, name) in Self.commitNames.enumerated() {
            try fixture.store.putIfAbsent("t/_delta_log/" + name, countingBytes(index + 1))
        }
        let listed = try fixture.store.list(prefix: "t/_delta_log")
        let expected = Self.commitNames.map { "t/_delta_log/" + $0 }.sorted(by: StoragePath.precedes)
        #expect(listed.map(\.path) == expected)
        #expect(listed.first { $0.path.hasSuffix("_last_checkpoint") }?.size == 6)
        #expect(listed.allSatisfy { $0.modificationTime > 0 })
        #expect(try fixture.store.list(prefix: "t/_delta_log/").map(\.path) == expected)
    }

    @Test("list after a path returns only paths sorting strictly after it", arguments: StoreKind.allCases, [
        ("t/_delta_log/00000000000000000001.json", [
            "t/_delta_log/00000000000000000002.json", "t/_delta_log/00000000000000000010.checkpoint.parquet",
            "t/_delta_log/00000000000000000010.json", "t/_delta_log/_last_checkpoint",
        ]),
        ("t/_delta_log/00000000000000000003", [
            "t/_delta_log/00000000000000000010.checkpoint.parquet", "t/_delta_log/00000000000000000010.json",
            "t/_delta_log/_last_checkpoint",
        ]),
        ("t/_delta_log/_last_checkpoint", []),
        ("", [
            "t/_delta_log/00000000000000000000.json", "t/_delta_log/00000000000000000001.json",
            "t/_delta_log/00000000000000000002.json", "t/_delta_log/00000000000000000010.checkpoint.parquet",
            "t/_delta_log/00000000000000000010.json", "t/_delta_log/_last_checkpoint",
        ]),
    ])
    func listAfter(kind: StoreKind, expectation: (after: String, paths: [String])) throws {
        let (after, expected) = expectation
        let fixture = try StoreFixture(kind)
        for name in Self.commitNames { try fixture.store.putIfAbsent("t/_delta_log/" + name, [1]) }
        #expect(try fixture.store.list(prefix: "t/_delta_log", after: after).map(\.path) == expected)
    }

    @Test("non-recursive listing skips subdirectories; recursive listing includes their files",
          arguments: StoreKind.allCases)
    func recursion(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let paths = ["t/b.parquet", "t/x=1/a.parquet", "t/x=1/y=2/c.parquet", "t/a.txt", "u/other"]
        for path in paths { try fixture.store.put(path, [7]) }
        #expect(try fixture.store.list(prefix: "t").map(\.path) == ["t/a.txt", "t/b.parquet"])
        #expect(try fixture.store.list(prefix: "t", after: nil, recursive: true).map(\.path)
            == ["t/a.txt", "t/b.parquet", "t/x=1/a.parquet", "t/x=1/y=2/c.parquet"])
        #expect(try fixture.store.list(prefix: "", after: nil, recursive: true).count == 5)
        #expect(try fixture.store.list(prefix: "").isEmpty)
    }

    @Test("a recursive listing after a path still descends into directories that sort before it",
          arguments: StoreKind.allCases)
    func recursiveAfter(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        for path in ["t/a/1", "t/a/2", "t/b/1", "t/c", "t/a.txt"] { try fixture.store.put(path, [1]) }
        #expect(try fixture.store.list(prefix: "t", after: "t/a/1", recursive: true).map(\.path)
            == ["t/a/2", "t/b/1", "t/c"])
        #expect(try fixture.store.list(prefix: "t", after: "t/a.txt", recursive: true).map(\.path)
            == ["t/a/1", "t/a/2", "t/b/1", "t/c"])
    }

    @Test("a missing directory lists as empty; a file as prefix is an error", arguments: StoreKind.allCases)
    func missingAndFilePrefixes(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        #expect(try fixture.store.list(prefix: "nothing/here").isEmpty)
        #expect(try fixture.store.listDirectories(prefix: "nothing").isEmpty)
        try fixture.store.put("file", [1])
        #expect(throws: StorageError.self) { try fixture.store.list(prefix: "file") }
        #expect(throws: StorageError.self) { try fixture.store.listDirectories(prefix: "file") }
        #expect(try fixture.store.list(prefix: "file/below").isEmpty)
    }

    @Test("listDirectories returns the direct subdirectories sorted", arguments: StoreKind.allCases)
    func directories(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("sales/orders/_delta_log/0.json", [1])
        try fixture.store.put("sales/customers/_delta_log/0.json", [1])
        try fixture.store.createDirectory("_system")
        try fixture.store.createDirectory("Marketing/")
        try fixture.store.put("README", [1])
        #expect(try fixture.store.listDirectories(prefix: "") == ["Marketing", "_system", "sales"])
        #expect(try fixture.store.listDirectories(prefix: "sales") == ["sales/customers", "sales/orders"])
        #expect(try fixture.store.listDirectories(prefix: "sales/orders/_delta_log").isEmpty)
    }

    @Test("a listing sees every file written before it, even from many threads", arguments: StoreKind.allCases)
    func listingSeesCompletedWrites(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        let failures = Collected<[String]>([])
        Threads.concurrentPerform(iterations: 40) { index in
            let name = "log/" + String(repeating: "0", count: 3 - String(index).count) + String(index) + ".json"
            do { try store.putIfAbsent(name, countingBytes(index)) } catch { failures.update { $0.append("\(error)") } }
        }
        #expect(failures.snapshot.isEmpty)
        let listed = try store.list(prefix: "log")
        #expect(listed.count == 40)
        #expect(listed.map(\.size) == Array(0..<40))
    }
}
