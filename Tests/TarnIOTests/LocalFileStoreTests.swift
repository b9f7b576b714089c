// LocalFileStoreTests: what only the on-disk store can show: temporary files stay
// hidden and get removed, symbolic links are not followed out of the root, and the
// root is resolved once.

import Foundation
import TarnIO
import Testing

@Suite("LocalFileStore on disk")
struct LocalFileStoreTests {
    @Test("temporary files and directories are never listed")
    func temporaryFilesHidden() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        try fixture.store.put("t/_delta_log/00000000000000000000.json", [1])
        // What a writer killed mid-commit leaves behind.
        let stray = root + "/t/_delta_log/" + StoragePath.temporaryPrefix + "0123456789abcdef"
        #expect(FileManager.default.createFile(atPath: stray, contents: Data([1, 2])))
        try FileManager.default.createDirectory(
            atPath: root + "/t/" + StoragePath.temporaryPrefix + "dir", withIntermediateDirectories: true)
        let open = try fixture.store.openWriter("t/_delta_log/00000000000000000001.json", mode: .createNew)
        try open.append([1, 2, 3])
        #expect(try fixture.store.list(prefix: "t/_delta_log").map(\.path) == ["t/_delta_log/00000000000000000000.json"])
        #expect(try fixture.store.list(prefix: "t", after: nil, recursive: true).count == 1)
        #expect(try fixture.store.listDirectories(prefix: "t") == ["t/_delta_log"])
        open.abort()
    }

    @Test("put, putIfAbsent and a lost race leave no temporary file on disk")
    func noTemporaryLeftovers() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        try fixture.store.put("d/a", countingBytes(10))
        try fixture.store.put("d/a", countingBytes(20))
        try fixture.store.putIfAbsent("d/b", countingBytes(30))
        #expect(throws: StorageError.alreadyExists(path: "d/b")) { try fixture.store.putIfAbsent("d/b", [1]) }
        let writer = try fixture.store.openWriter("d/c", mode: .createNew)
        try writer.append([1])
        try writer.finish()
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: root + "/d").sorted()
        #expect(onDisk == ["a", "b", "c"])
    }

    @Test("a recursive delete removes a symbolic link but never what it points to")
    func symlinksNotFollowed() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("tarn-io-outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        #expect(FileManager.default.createFile(atPath: outside + "/precious", contents: Data([7])))
        try fixture.store.put("t/data", [1])
        try FileManager.default.createSymbolicLink(atPath: root + "/t/link", withDestinationPath: outside)
        // A linked directory is not descended into by a recursive listing.
        #expect(try fixture.store.list(prefix: "t", after: nil, recursive: true).map(\.path) == ["t/data"])
        try fixture.store.deleteDirectory("t", recursively: true)
        #expect(try fixture.store.listDirectories(prefix: "").isEmpty)
        #expect(FileManager.default.fileExists(atPath: outside + "/precious"))
    }

    @Test("the root is created by the first write, with its missing parents")
    func rootCreatedLazily() throws {
        let fixture = try StoreFixture(.local)
        let base = try #require(fixture.rootDirectory)
        let store = LocalFileStore(root: base + "/not/yet/here/")
        #expect(store.root == base + "/not/yet/here")
        #expect(try store.list(prefix: "").isEmpty)
        try store.putIfAbsent("ns/t/_delta_log/00000000000000000000.json", [1])
        #expect(try store.read("ns/t/_delta_log/00000000000000000000.json") == [1])
        #expect(store.absolutePath("ns/t") == base + "/not/yet/here/ns/t")
    }

    @Test("a relative root is resolved against the current directory once")
    func relativeRoot() {
        let store = LocalFileStore(root: "lakehouse")
        #expect(store.root.hasPrefix("/"))
        #expect(store.root.hasSuffix("/lakehouse"))
    }

    @Test("modification times come from the file system in milliseconds")
    func modificationTime() throws {
        let fixture = try StoreFixture(.local)
        try fixture.store.put("f", [1])
        let info = try fixture.store.head("f")
        let attributes = try FileManager.default.attributesOfItem(atPath: try #require(fixture.rootDirectory) + "/f")
        let date = try #require(attributes[.modificationDate] as? Date)
        #expect(info.modificationTime == Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    @Test("a FIFO in the tree is refused, never waited on")
    func fifoRefused() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        #expect(mkfifo(root + "/pipe", 0o644) == 0)
        let isInvalid: (any Error) -> Bool = { error in
            if case .invalidPath(let path, _) = error as? StorageError { return path == "pipe" }
            return false
        }
        #expect(performing: { try fixture.store.read("pipe") }, throws: isInvalid)
        #expect(performing: { try fixture.store.openReader("pipe") }, throws: isInvalid)
        #expect(performing: { try fixture.store.head("pipe") }, throws: isInvalid)
        #expect(try fixture.store.list(prefix: "").isEmpty)
    }

    @Test("a file shorter than the range asked is reported, not returned short")
    func truncatedBehindOurBack() throws {
        let fixture = try StoreFixture(.local)
        try fixture.store.put("f", countingBytes(10))
        #expect(throws: StorageError.rangeOutOfBounds(path: "f", range: 5..<20, fileSize: 10)) {
            try fixture.store.read("f", range: 5..<20)
        }
    }
}
