// PutTests: the replacing write used for data files and _last_checkpoint.

import TarnIO
import Testing

@Suite("Put")
struct PutTests {
    @Test("put creates a file, then replaces it whole", arguments: StoreKind.allCases)
    func replaces(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("t/_delta_log/_last_checkpoint", countingBytes(1000))
        try fixture.store.put("t/_delta_log/_last_checkpoint", [42])
        #expect(try fixture.store.read("t/_delta_log/_last_checkpoint") == [42])
        #expect(try fixture.store.list(prefix: "t/_delta_log").map(\.path) == ["t/_delta_log/_last_checkpoint"])
    }

    @Test("put onto a directory is .invalidPath and leaves the directory", arguments: StoreKind.allCases)
    func ontoDirectory(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("dir/inner", [1])
        #expect(performing: { try fixture.store.put("dir", [2]) }, throws: { error in
            if case .invalidPath(let path, _) = error as? StorageError { return path == "dir" }
            return false
        })
        #expect(try fixture.store.read("dir/inner") == [1])
    }

    @Test("readers racing a replacing put see the old or the new content, never a mix", arguments: StoreKind.allCases)
    func atomicReplace(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        let old = [UInt8](repeating: 1, count: 300_000)
        let new = [UInt8](repeating: 2, count: 150_000)
        try store.put("data.parquet", old)
        let torn = Collected<Int>(0)
        Threads.race(threads: 4) { thread in
            if thread == 0 {
                for round in 0..<10 { try? store.put("data.parquet", round.isMultiple(of: 2) ? new : old) }
            } else {
                for _ in 0..<30 {
                    let seen = (try? store.read("data.parquet")) ?? []
                    if seen != old && seen != new { torn.update { $0 += 1 } }
                }
            }
        }
        #expect(torn.snapshot == 0)
        #expect(try store.read("data.parquet") == old)
    }
}
