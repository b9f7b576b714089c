// StoragePathTests: which store keys are accepted and how listings order them.

import TarnIO
import TarnTestSupport
import Testing

@Suite("Store paths")
struct StoragePathTests {
    static let invalidPaths: [String] = [
        "", "/abs", "/", "../x", "a/../b", "a/..", ".", "./a", "a/./b", "a//b", "a/",
        "a\u{0}b", "a\nb", "tab\there", "del\u{7F}", ".tarn-tmp-123", "dir/.tarn-tmp-x",
        String(repeating: "x", count: 256),
    ]

    @Test("invalid file paths are rejected with .invalidPath", arguments: invalidPaths)
    func invalidFilePaths(path: String) {
        #expect {
            try StoragePath.validateFile(path)
        } throws: { error in
            guard case .invalidPath(let reported, _) = error as? StorageError else { return false }
            return reported == path
        }
    }

    @Test("every store rejects invalid paths before touching storage",
          arguments: StoreKind.allCases, ["../x", "a//b", "a\u{0}b", "/etc/passwd", "x/.."])
    func storesRejectInvalidPaths(kind: StoreKind, path: String) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        func isInvalid(_ body: () throws -> Void) -> Bool {
            do { try body(); return false } catch let error as StorageError {
                if case .invalidPath = error { return true }
                return false
            } catch { return false }
        }
        #expect(isInvalid { try store.putIfAbsent(path, [1]) })
        #expect(isInvalid { try store.put(path, [1]) })
        #expect(isInvalid { _ = try store.read(path) })
        #expect(isInvalid { _ = try store.read(path, range: 0..<1) })
        #expect(isInvalid { _ = try store.head(path) })
        #expect(isInvalid { _ = try store.exists(path) })
        #expect(isInvalid { try store.delete(path) })
        #expect(isInvalid { _ = try store.openWriter(path, mode: .createNew) })
        #expect(try store.list(prefix: "", recursive: true).isEmpty)
    }

    @Test("valid file paths are accepted", arguments: [
        "a", "a/b.parquet", "ns/t/_delta_log/00000000000000000000.json", "é/ü", "with space", ".hidden",
        "part-00000-1a2b.zstd.parquet", "x=1/y=%20/part.parquet", String(repeating: "x", count: 255),
    ])
    func validFilePaths(path: String) throws {
        try StoragePath.validateFile(path)
    }

    @Test("directory paths: root is empty, one trailing slash is dropped", arguments: [
        ("", ""), ("a", "a"), ("a/", "a"), ("a/b/", "a/b"), ("_delta_log/", "_delta_log"),
    ])
    func directoryNormalization(input: String, expected: String) throws {
        #expect(try StoragePath.normalizedDirectory(input) == expected)
    }

    @Test("absolute or doubled-slash directory paths are rejected", arguments: ["/", "//", "a//", "/a", "../"])
    func invalidDirectories(path: String) {
        #expect(throws: StorageError.self) { try StoragePath.normalizedDirectory(path) }
    }

    @Test("listing order is UTF-8 byte order", arguments: [
        ("a.txt", "a/b"), ("A", "a"), ("Z", "a"), ("z", "é"), ("00000000000000000009.json", "00000000000000000010.json"),
        ("e\u{301}", "é"),
    ])
    func byteOrder(smaller: String, larger: String) {
        #expect(StoragePath.precedes(smaller, larger))
        #expect(!StoragePath.precedes(larger, smaller))
    }

    @Test("join, parent and last component")
    func pathPieces() {
        #expect(StoragePath.join("", "a") == "a")
        #expect(StoragePath.join("a/b", "c") == "a/b/c")
        #expect(StoragePath.parent(of: "a") == "")
        #expect(StoragePath.parent(of: "a/b/c") == "a/b")
        #expect(StoragePath.lastComponent(of: "a/b/c") == "c")
        #expect(StoragePath.lastComponent(of: "c") == "c")
    }
}
