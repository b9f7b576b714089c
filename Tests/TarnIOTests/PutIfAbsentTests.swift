// PutIfAbsentTests: the create-only write the Delta log commits with.
// Exactly one writer wins a path; losers get .alreadyExists and leave nothing behind.

import TarnIO
import Testing

@Suite("Put if absent")
struct PutIfAbsentTests {
    @Test("the first putIfAbsent wins; a second throws .alreadyExists and changes nothing", arguments: StoreKind.allCases)
    func secondWriterLoses(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.putIfAbsent("t/_delta_log/00000000000000000000.json", [1, 2, 3])
        #expect(throws: StorageError.alreadyExists(path: "t/_delta_log/00000000000000000000.json")) {
            try fixture.store.putIfAbsent("t/_delta_log/00000000000000000000.json", [9, 9])
        }
        #expect(try fixture.store.read("t/_delta_log/00000000000000000000.json") == [1, 2, 3])
        #expect(try fixture.store.list(prefix: "t/_delta_log").count == 1)
    }

    @Test("putIfAbsent creates missing parent directories", arguments: StoreKind.allCases)
    func createsParents(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.putIfAbsent("a/b/c/d.json", [4])
        #expect(try fixture.store.read("a/b/c/d.json") == [4])
        #expect(try fixture.store.listDirectories(prefix: "a/b") == ["a/b/c"])
    }

    @Test("a file where a parent directory should be is .invalidPath", arguments: StoreKind.allCases)
    func parentIsAFile(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.put("a", [1])
        #expect(performing: { try fixture.store.putIfAbsent("a/b", [2]) }, throws: { error in
            if case .invalidPath(let path, _) = error as? StorageError { return path == "a/b" }
            return false
        })
        #expect(performing: { try fixture.store.put("a/b/c", [2]) }, throws: { error in
            if case .invalidPath(let path, _) = error as? StorageError { return path == "a/b/c" }
            return false
        })
    }

    @Test("putIfAbsent onto an existing directory is .alreadyExists", arguments: StoreKind.allCases)
    func directoryExists(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        try fixture.store.createDirectory("taken")
        #expect(throws: StorageError.alreadyExists(path: "taken")) { try fixture.store.putIfAbsent("taken", [1]) }
    }

    @Test("of many threads racing to create one path, exactly one wins and its full content is the file",
          arguments: StoreKind.allCases)
    func racingWriters(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let store = fixture.store
        let threads = 12
        for round in 0..<8 {
            let path = "t/_delta_log/\(round).json"
            let outcomes = Collected<[Int: String]>([:])
            Threads.race(threads: threads) { writer in
                // Each writer's content is distinct and large enough to need several writes.
                let content = [UInt8](repeating: UInt8(writer), count: 200_000 + writer)
                do {
                    try store.putIfAbsent(path, content)
                    outcomes.update { $0[writer] = "won" }
                } catch StorageError.alreadyExists(let reported) where reported == path {
                    outcomes.update { $0[writer] = "lost" }
                } catch {
                    outcomes.update { $0[writer] = "\(error)" }
                }
            }
            let results = outcomes.snapshot
            let winners = results.filter { $0.value == "won" }.map(\.key)
            #expect(winners.count == 1, "round \(round): \(results)")
            #expect(results.values.filter { $0 == "lost" }.count == threads - 1, "round \(round): \(results)")
            let winner = try #require(winners.first)
            #expect(try store.read(path) == [UInt8](repeating: UInt8(winner), count: 200_000 + winner))
        }
        #expect(try store.list(prefix: "t/_delta_log").count == 8)
    }

    @Test("separate LocalFileStore instances on one root also have exactly one winner")
    func racingInstances() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        let outcomes = Collected<[Bool]>([])
        Threads.race(threads: 8) { writer in
            let store = LocalFileStore(root: root)
            let won = (try? store.putIfAbsent("commit.json", [UInt8(writer)])) != nil
            outcomes.update { $0.append(won) }
        }
        #expect(outcomes.snapshot.filter { $0 }.count == 1)
        #expect(try fixture.store.read("commit.json").count == 1)
    }
}
