// FileReaderTests: an opened file serves exact ranges from a fixed view of its content.

import TarnIO
import Testing

@Suite("File reader")
struct FileReaderTests {
    @Test("a reader reports the size and returns exact ranges; ranges outside are errors", arguments: StoreKind.allCases)
    func ranges(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let bytes = countingBytes(10_000)
        try fixture.store.put("t/part-0.parquet", bytes)
        let reader = try fixture.store.openReader("t/part-0.parquet")
        #expect(reader.size == 10_000)
        #expect(reader.path == "t/part-0.parquet")
        #expect(try reader.read(9_992..<10_000) == Array(bytes[9_992..<10_000]))
        #expect(try reader.read(0..<10_000) == bytes)
        #expect(try reader.read(5..<5) == [])
        #expect(throws: StorageError.rangeOutOfBounds(path: "t/part-0.parquet", range: 9_999..<10_001, fileSize: 10_000)) {
            try reader.read(9_999..<10_001)
        }
    }

    @Test("a reader keeps seeing the content it opened after the path is replaced or deleted",
          arguments: StoreKind.allCases)
    func stableView(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("f", [1, 2, 3, 4])
        let reader = try fixture.store.openReader("f")
        try fixture.store.put("f", [9])
        #expect(try reader.read(0..<4) == [1, 2, 3, 4])
        try fixture.store.delete("f")
        #expect(try reader.read(2..<4) == [3, 4])
    }

    @Test("opening a missing file or a directory fails like read", arguments: StoreKind.allCases)
    func openErrors(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("dir/f", [1])
        #expect(throws: StorageError.notFound(path: "missing")) { try fixture.store.openReader("missing") }
        #expect(throws: StorageError.self) { try fixture.store.openReader("dir") }
        #expect(throws: StorageError.self) { try fixture.store.openReader("../f") }
    }

    @Test("many threads can read one reader at once", arguments: StoreKind.allCases)
    func concurrentReads(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let bytes = countingBytes(1 << 20)
        try fixture.store.put("big", bytes)
        let reader = try fixture.store.openReader("big")
        let mismatches = Collected<Int>(0)
        Threads.concurrentPerform(iterations: 64) { index in
            let start = index * 16_384
            let range = start..<(start + 16_384)
            if (try? reader.read(range)) != Array(bytes[range]) { mismatches.update { $0 += 1 } }
        }
        #expect(mismatches.snapshot == 0)
    }
}
