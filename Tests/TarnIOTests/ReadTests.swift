// ReadTests: whole and ranged reads, head and exists, and their errors.

import TarnIO
import Testing

@Suite("Reading")
struct ReadTests {
    @Test("read returns exactly what was written, including an empty file", arguments: StoreKind.allCases, [0, 1, 4096, 1_000_003])
    func wholeRead(kind: StoreKind, size: Int) throws {
        let fixture = try StoreFixture(kind)
        let bytes = countingBytes(size)
        try fixture.store.put("d/file.bin", bytes)
        #expect(try fixture.store.read("d/file.bin") == bytes)
        #expect(try fixture.store.head("d/file.bin").size == size)
        #expect(try fixture.store.head("d/file.bin").path == "d/file.bin")
    }

    @Test("ranged reads return exactly the requested bytes", arguments: StoreKind.allCases, [
        0..<0, 0..<1, 0..<100, 10..<20, 99..<100, 100..<100, 37..<38,
    ])
    func rangedRead(kind: StoreKind, range: Range<Int>) throws {
        let fixture = try StoreFixture(kind)
        let bytes = countingBytes(100)
        try fixture.store.put("f", bytes)
        #expect(try fixture.store.read("f", range: range) == Array(bytes[range]))
    }

    @Test("a range past the end or below zero is an error, never a short read", arguments: StoreKind.allCases, [
        98..<101, 100..<101, 0..<1000, 200..<300, -1..<5,
    ])
    func rangeOutOfBounds(kind: StoreKind, range: Range<Int>) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("f", countingBytes(100))
        #expect {
            try fixture.store.read("f", range: range)
        } throws: { error in
            (error as? StorageError) == .rangeOutOfBounds(path: "f", range: range, fileSize: 100)
        }
    }

    @Test("reading, ranged reading and head of a missing file throw .notFound", arguments: StoreKind.allCases, [
        "missing", "dir/missing", "file/below",
    ])
    func missingFile(kind: StoreKind, path: String) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("file", [1])
        try fixture.store.createDirectory("dir")
        #expect(throws: StorageError.notFound(path: path)) { try fixture.store.read(path) }
        #expect(throws: StorageError.notFound(path: path)) { try fixture.store.read(path, range: 0..<0) }
        #expect(throws: StorageError.notFound(path: path)) { try fixture.store.head(path) }
        #expect(try fixture.store.exists(path) == false)
    }

    @Test("readIfExists returns nil for a missing file and the bytes otherwise", arguments: StoreKind.allCases)
    func readIfExists(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        #expect(try fixture.store.readIfExists("t/_delta_log/_last_checkpoint") == nil)
        try fixture.store.put("t/_delta_log/_last_checkpoint", [1, 2])
        #expect(try fixture.store.readIfExists("t/_delta_log/_last_checkpoint") == [1, 2])
        #expect(throws: StorageError.self) { try fixture.store.readIfExists("t") }
    }

    @Test("a directory is not a file: read and head throw .invalidPath, exists is false", arguments: StoreKind.allCases)
    func directoryIsNotAFile(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("dir/inner", [1])
        let isInvalidPath: (any Error) -> Bool = { error in
            if case .invalidPath(let path, _) = error as? StorageError { return path == "dir" }
            return false
        }
        #expect(performing: { try fixture.store.read("dir") }, throws: isInvalidPath)
        #expect(performing: { try fixture.store.read("dir", range: 0..<0) }, throws: isInvalidPath)
        #expect(performing: { try fixture.store.head("dir") }, throws: isInvalidPath)
        #expect(try fixture.store.exists("dir") == false)
        #expect(try fixture.store.exists("dir/inner"))
    }
}
