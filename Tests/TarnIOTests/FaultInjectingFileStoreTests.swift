// FaultInjectingFileStoreTests: faults strike where asked, crash() drops exactly what
// was not durable, and events show the order writes became visible and durable.

import TarnIO
import TarnTestSupport
import Testing

@Suite("Fault-injecting store")
struct FaultInjectingFileStoreTests {
    typealias Fault = FaultInjectingFileStore.Fault

    static func isInjected(_ error: any Error) -> Bool {
        if case .io(_, _, let code, let detail) = error as? StorageError { return code == 5 && detail == "injected fault" }
        return false
    }

    @Test("without faults every write survives a crash")
    func cleanWritesAreDurable() throws {
        let store = FaultInjectingFileStore()
        try store.put("t/part-0.parquet", [1])
        try store.putIfAbsent("t/_delta_log/0.json", [2])
        try store.createDirectory("t/empty")
        #expect(store.nonDurablePaths.isEmpty)
        store.crash()
        #expect(try store.read("t/part-0.parquet") == [1])
        #expect(try store.read("t/_delta_log/0.json") == [2])
        #expect(try store.listDirectories(prefix: "t") == ["t/_delta_log", "t/empty"])
    }

    @Test("a fault before a step leaves the state of that step", arguments: [
        (FaultInjectingFileStore.Step.start, false, false),
        (.publish, false, false),
        (.makeDurable, true, false),
    ])
    func faultSteps(step: FaultInjectingFileStore.Step, visibleAfterFault: Bool, visibleAfterCrash: Bool) throws {
        let store = FaultInjectingFileStore()
        store.inject(.write(matching: "*.json", step: step))
        #expect(performing: { try store.putIfAbsent("t/_delta_log/0.json", [1]) }, throws: Self.isInjected)
        #expect(try store.exists("t/_delta_log/0.json") == visibleAfterFault)
        #expect(store.nonDurablePaths == (visibleAfterFault ? ["t/_delta_log/0.json"] : []))
        store.crash()
        #expect(try store.exists("t/_delta_log/0.json") == visibleAfterCrash)
        // The fault fired once; the retry succeeds and is durable.
        try store.putIfAbsent("t/_delta_log/0.json", [2])
        store.crash()
        #expect(try store.read("t/_delta_log/0.json") == [2])
    }

    @Test("a replacing put that fails before durability reverts to the old content on crash")
    func replaceRevertsOnCrash() throws {
        let store = FaultInjectingFileStore()
        try store.put("_last_checkpoint", [1])
        store.inject(Fault(operations: [.put], step: .makeDurable))
        #expect(performing: { try store.put("_last_checkpoint", [2]) }, throws: Self.isInjected)
        #expect(try store.read("_last_checkpoint") == [2])
        store.crash()
        #expect(try store.read("_last_checkpoint") == [1])
    }

    @Test("a delete that fails before durability comes back after a crash")
    func deleteRevertsOnCrash() throws {
        let store = FaultInjectingFileStore()
        try store.put("t/old.parquet", [1])
        store.inject(Fault(operations: [.delete], step: .makeDurable))
        #expect(performing: { try store.delete("t/old.parquet") }, throws: Self.isInjected)
        #expect(try store.exists("t/old.parquet") == false)
        store.crash()
        #expect(try store.read("t/old.parquet") == [1])
    }

    @Test("a fault by call number hits exactly that call, reads included")
    func faultByNumber() throws {
        let store = FaultInjectingFileStore()
        try store.put("a", [1])          // call 1
        store.inject(.operation(number: 3))
        _ = try store.read("a")          // call 2
        #expect(performing: { try store.read("a") }, throws: Self.isInjected)  // call 3
        #expect(try store.read("a") == [1])  // call 4
        #expect(store.operationCount == 4)
    }

    @Test("skip lets matching steps pass before the fault fires; the error can be chosen")
    func skipAndCustomError() throws {
        let store = FaultInjectingFileStore()
        store.inject(Fault(operations: [.putIfAbsent], pathPattern: "log/*", skip: 2,
                           error: .alreadyExists(path: "log/2")))
        try store.putIfAbsent("data/x", [0])
        try store.putIfAbsent("log/0", [0])
        try store.putIfAbsent("log/1", [0])
        #expect(throws: StorageError.alreadyExists(path: "log/2")) { try store.putIfAbsent("log/2", [0]) }
        try store.putIfAbsent("log/2", [0])
        store.clearFaults()
    }

    @Test("events record data files durable before the commit that names them is published")
    func eventOrder() throws {
        let store = FaultInjectingFileStore()
        try store.put("t/part-0.parquet", [1])
        try store.putIfAbsent("t/_delta_log/00000000000000000000.json", [2])
        let steps = store.events.filter { $0.step != .start }.map { "\($0.path) \($0.step.rawValue)" }
        #expect(steps == [
            "t/part-0.parquet publish", "t/part-0.parquet makeDurable",
            "t/_delta_log/00000000000000000000.json publish", "t/_delta_log/00000000000000000000.json makeDurable",
        ])
        store.clearEvents()
        #expect(store.events.isEmpty)
    }

    @Test("crashing after each step of a workload never loses a write that returned")
    func crashAtEveryOperation() throws {
        // Count the calls of a small workload, then replay it failing each call in turn.
        func workload(_ store: FaultInjectingFileStore, acknowledged: inout [String]) {
            for version in 0..<3 {
                let data = "t/part-\(version).parquet"
                let commit = "t/_delta_log/\(version).json"
                guard (try? store.put(data, [UInt8(version)])) != nil else { return }
                acknowledged.append(data)
                guard (try? store.putIfAbsent(commit, [UInt8(version)])) != nil else { return }
                acknowledged.append(commit)
            }
        }
        var ignored: [String] = []
        let probe = FaultInjectingFileStore()
        workload(probe, acknowledged: &ignored)
        let calls = probe.operationCount
        #expect(calls == 6)
        for call in 1...calls {
            for step in FaultInjectingFileStore.Step.allCases {
                let store = FaultInjectingFileStore()
                store.inject(.operation(number: call, step: step))
                var acknowledged: [String] = []
                workload(store, acknowledged: &acknowledged)
                store.crash()
                for path in acknowledged {
                    #expect(try store.exists(path), "call \(call) \(step): \(path) lost")
                }
                let survivors = try store.list(prefix: "t", after: nil, recursive: true).map(\.path)
                #expect(Set(survivors) == Set(acknowledged), "call \(call) \(step)")
            }
        }
    }
}
