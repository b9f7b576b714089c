// StorageErrorTests: every error names its path and says what to do.

import TarnIO
import Testing

@Suite("Storage errors")
struct StorageErrorTests {
    @Test("descriptions name the path and end with something to do", arguments: [
        (StorageError.notFound(path: "t/x"), "'t/x'", "check the path"),
        (.alreadyExists(path: "t/_delta_log/1.json"), "'t/_delta_log/1.json'", "retry"),
        (.invalidPath(path: "../x", reason: "has a '.' or '..' segment"), "'../x'", "segment"),
        (.rangeOutOfBounds(path: "f", range: 5..<20, fileSize: 10), "5..<20", "truncated"),
        (.directoryNotEmpty(path: "ns"), "'ns'", "recursively"),
        (.io(path: "f", operation: "fsync", errno: 28, detail: "No space left on device"), "errno 28", "free space"),
        (.corrupt(path: "f", detail: "it shrank"), "'f'", "retry the read"),
        (.notFound(path: ""), "<store root>", "check"),
    ])
    func descriptions(error: StorageError, mentions: String, remedy: String) {
        #expect(error.description.contains(mentions))
        #expect(error.description.contains(remedy))
    }

    @Test("path is the path every case carries")
    func paths() {
        #expect(StorageError.io(path: "a/b", operation: "read", errno: 5, detail: "EIO").path == "a/b")
        #expect(StorageError.rangeOutOfBounds(path: "c", range: 0..<1, fileSize: 0).path == "c")
    }
}
