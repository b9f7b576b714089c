// MultiProcessTests: put-if-absent exclusion between OS processes, not just threads.
// The test binary relaunches itself: each child runs only `childWriter`, selected by
// --filter and enabled by an environment variable, and races the others on one root.

import Foundation
import TarnIO
import Testing

@Suite("Put if absent across processes")
struct MultiProcessTests {
    static let rootVariable = "TARN_IO_RACE_ROOT"
    static let writerVariable = "TARN_IO_RACE_WRITER"
    static let rounds = 12
    static let processes = 4

    static var isChild: Bool { ProcessInfo.processInfo.environment[rootVariable] != nil }
    /// Relaunching works when the tests run straight from the SwiftPM test bundle.
    static var canRelaunch: Bool { !isChild && (CommandLine.arguments.first?.hasSuffix(".xctest") ?? false) }

    static func content(writer: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(writer), count: 100_000 + writer)
    }

    /// 1 if this writer created the file, 0 if another had already.
    static func attempt(_ store: LocalFileStore, _ path: String, _ bytes: [UInt8]) throws(StorageError) -> UInt8 {
        do {
            try store.putIfAbsent(path, bytes)
            return 1
        } catch .alreadyExists {
            return 0
        }
    }

    @Test("child process: race the other processes for every round's path", .enabled(if: isChild))
    func childWriter() throws {
        let environment = ProcessInfo.processInfo.environment
        let root = try #require(environment[Self.rootVariable])
        let writer = try #require(environment[Self.writerVariable].flatMap { Int($0) })
        let store = LocalFileStore(root: root)
        // Start together: wait for the parent's go signal (giving up after about a
        // minute, so an orphaned child cannot run forever).
        var polls = 0
        while try !store.exists("go") {
            polls += 1
            try #require(polls < 120_000, "the parent never said go")
            usleep(500)
        }
        for round in 0..<Self.rounds {
            let outcome: UInt8 = try Self.attempt(store, "race/\(round).json", Self.content(writer: writer))
            try store.put("results/\(round)/\(writer)", [outcome])
        }
    }

    @Test("of several OS processes racing putIfAbsent on one root, exactly one wins each path",
          .enabled(if: canRelaunch))
    func processesRace() throws {
        let fixture = try StoreFixture(.local)
        let root = try #require(fixture.rootDirectory)
        let executable = try #require(CommandLine.arguments.first)
        var children: [Process] = []
        defer { for child in children where child.isRunning { child.terminate() } }
        for writer in 0..<Self.processes {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["--testing-library", "swift-testing", "--filter", "MultiProcessTests/childWriter"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.rootVariable] = root
            environment[Self.writerVariable] = String(writer)
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            children.append(child)
        }
        try fixture.store.put("go", [1])
        for child in children {
            child.waitUntilExit()
            #expect(child.terminationStatus == 0, "a child writer failed")
        }
        for round in 0..<Self.rounds {
            var winners: [Int] = []
            for writer in 0..<Self.processes {
                let outcome = try fixture.store.read("results/\(round)/\(writer)")
                if outcome == [1] { winners.append(writer) }
            }
            #expect(winners.count == 1, "round \(round): winners \(winners)")
            if let winner = winners.first {
                #expect(try fixture.store.read("race/\(round).json") == Self.content(writer: winner))
            }
        }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: root + "/race")
        #expect(onDisk.count == Self.rounds, "temporary files left: \(onDisk)")
    }
}
