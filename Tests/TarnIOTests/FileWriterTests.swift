// FileWriterTests: streamed writes are invisible until finish and publish like put/putIfAbsent.

import TarnIO
import Testing

@Suite("Streaming writer")
struct FileWriterTests {
    @Test("appended bytes are invisible until finish, then the whole file appears", arguments: StoreKind.allCases)
    func invisibleUntilFinish(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let writer = try fixture.store.openWriter("t/part-0.parquet", mode: .createNew)
        var expected: [UInt8] = []
        for chunk in 0..<5 {
            let bytes = [UInt8](repeating: UInt8(chunk), count: 10_000 * (chunk + 1))
            try writer.append(bytes)
            expected += bytes
        }
        #expect(writer.bytesWritten == expected.count)
        #expect(try fixture.store.exists("t/part-0.parquet") == false)
        #expect(try fixture.store.list(prefix: "t").isEmpty)
        try writer.finish()
        #expect(try fixture.store.read("t/part-0.parquet") == expected)
        #expect(throws: StorageError.self) { try writer.append([1]) }
        #expect(throws: StorageError.self) { try writer.finish() }
    }

    @Test("a createNew writer loses to an existing file; a replace writer replaces it", arguments: StoreKind.allCases)
    func modes(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("f", [1])
        let creating = try fixture.store.openWriter("f", mode: .createNew)
        try creating.append([2])
        #expect(throws: StorageError.alreadyExists(path: "f")) { try creating.finish() }
        #expect(try fixture.store.read("f") == [1])
        let replacing = try fixture.store.openWriter("f", mode: .replace)
        try replacing.append([3, 3])
        try replacing.finish()
        #expect(try fixture.store.read("f") == [3, 3])
    }

    @Test("an aborted or abandoned writer leaves nothing behind", arguments: StoreKind.allCases)
    func abort(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let writer = try fixture.store.openWriter("d/aborted", mode: .createNew)
        try writer.append(countingBytes(1000))
        writer.abort()
        writer.abort()
        do {
            let abandoned = try fixture.store.openWriter("d/abandoned", mode: .replace)
            try abandoned.append([1])
        }
        #expect(try fixture.store.list(prefix: "d").isEmpty)
        if let root = fixture.rootDirectory {
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: root + "/d")
            #expect(onDisk.isEmpty, "temporary files left: \(onDisk)")
        }
    }
}

import Foundation
