// Concurrent appends from several OS processes to one table on the local file system:
// every append becomes exactly one version, no version is lost or written twice, and
// every row arrives once. The test binary relaunches itself as the writer processes.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Concurrent appends from OS processes")
struct ConcurrencyMultiProcessTests {
    static let rootVariable = "TARN_TABLES_APPEND_ROOT"
    static let writerVariable = "TARN_TABLES_APPEND_WRITER"
    static let processes = 4
    static let appendsPerProcess = 50
    static let rowsPerAppend = 3
    static let tableName = "race.events"

    static var isChild: Bool { ProcessInfo.processInfo.environment[rootVariable] != nil }
    static var canRelaunch: Bool { !isChild && ChildProcess.canRelaunch }

    static func firstID(writer: Int, seq: Int) -> Int64 {
        Int64(writer * 1_000_000 + seq * rowsPerAppend)
    }

    @Test("child process: append to the shared table in a loop", .enabled(if: isChild))
    func childAppender() throws {
        let environment = ProcessInfo.processInfo.environment
        let root = try #require(environment[Self.rootVariable])
        let writer = try #require(environment[Self.writerVariable].flatMap { Int($0) })
        let table = try Catalog(root: root).openTable(TableIdentifier(parsing: Self.tableName))
        // Start together: wait for the parent's go file (about a minute at most).
        var polls = 0
        while !FileManager.default.fileExists(atPath: root + "/go") {
            polls += 1
            try #require(polls < 120_000, "the parent never said go")
            usleep(500)
        }
        for seq in 0..<Self.appendsPerProcess {
            let batch = try WriterRows.batch(writer: writer, seq: seq, firstID: Self.firstID(writer: writer, seq: seq),
                                             count: Self.rowsPerAppend)
            let result = try table.append([batch])
            ChildProcess.report("committed \(result.version ?? -1) \(writer) \(seq)")
        }
    }

    @Test("4 processes x 50 appends: 200 contiguous versions, every row exactly once",
          .enabled(if: canRelaunch), .timeLimit(.minutes(2)))
    func processesAppend() throws {
        let directory = try TemporaryDirectory("tarn-race")
        defer { directory.remove() }
        let catalog = try Catalog(root: directory.path)
        let id = try TableIdentifier(parsing: Self.tableName)
        let table = try catalog.createTable(id, schema: WriterRows.schema)
        #expect(try table.snapshot().version == 0)

        var children: [Process] = []
        defer { for child in children where child.isRunning { child.terminate() } }
        for writer in 0..<Self.processes {
            children.append(try ChildProcess.launch(
                filter: "ConcurrencyMultiProcessTests/childAppender",
                environment: [Self.rootVariable: directory.path, Self.writerVariable: String(writer)],
                stdoutPath: directory.path + "/writer-\(writer).out"))
        }
        _ = FileManager.default.createFile(atPath: directory.path + "/go", contents: Data([1]))
        var reported: [Int64: (writer: Int, seq: Int)] = [:]
        for (writer, child) in children.enumerated() {
            child.waitUntilExit()
            let errors = (try? String(contentsOfFile: directory.path + "/writer-\(writer).out.err", encoding: .utf8)) ?? ""
            #expect(child.terminationStatus == 0, "writer \(writer) failed: \(errors.suffix(2000))")
            let output = (try? String(contentsOfFile: directory.path + "/writer-\(writer).out", encoding: .utf8)) ?? ""
            let lines = output.split(separator: "\n").filter { $0.hasPrefix("committed ") }
            #expect(lines.count == Self.appendsPerProcess, "writer \(writer) reported \(lines.count) appends")
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 4, let version = Int64(parts[1]), let seq = Int(parts[3]) else {
                    Issue.record("bad report line: \(line)")
                    continue
                }
                #expect(reported[version] == nil, "version \(version) reported by two appends")
                reported[version] = (writer, seq)
            }
        }
        let total = Self.processes * Self.appendsPerProcess

        // Versions: exactly 0...200, each append one WRITE commit, as the writers reported.
        let fresh = try catalog.openTable(id)
        let snapshot = try fresh.snapshot()
        #expect(snapshot.version == Int64(total))
        #expect(Set(reported.keys) == Set((1...Int64(total))))
        var known = Set<String>()
        let versions = try checkCommitFilesParse(tableDirectory: directory.path + "/race/events", skipping: &known)
        #expect(versions == Array(0...Int64(total)))
        let history = try fresh.history()
        #expect(history.map(\.version) == Array((0...Int64(total)).reversed()))
        let writes = history.filter { $0.version > 0 }
        #expect(writes.count == total)
        #expect(writes.allSatisfy { $0.commitInfo?.operation == "WRITE" && $0.commitInfo?.isBlindAppend == true })

        // Each commit adds exactly one file, holding the rows of the append that reported it.
        for version in 1...Int64(total) {
            let name = String(format: "%020lld.json", version)
            let text = try String(contentsOfFile: directory.path + "/race/events/_delta_log/" + name, encoding: .utf8)
            let actions = text.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            let adds = actions.compactMap { $0["add"] as? [String: Any] }
            #expect(adds.count == 1 && actions.count == 2, "version \(version) has \(adds.count) adds in \(actions.count) actions")
            let stats = adds.first?["stats"] as? String
            #expect(stats != nil, "version \(version) has no stats")
            if let (writer, seq) = reported[version], let stats {
                let first = Self.firstID(writer: writer, seq: seq)
                #expect(stats.contains(#""id":\#(first)"#), "version \(version): stats \(stats) lack id \(first)")
            }
        }

        // Rows: every (writer, seq) once, with its ids.
        let rows = WriterRows.rows(try fresh.read())
        #expect(rows.count == total * Self.rowsPerAppend)
        var expected: [Int64] = []
        for writer in 0..<Self.processes {
            for seq in 0..<Self.appendsPerProcess {
                let first = Self.firstID(writer: writer, seq: seq)
                expected += (0..<Int64(Self.rowsPerAppend)).map { first + $0 }
            }
        }
        #expect(rows.map(\.id).sorted() == expected.sorted())
        #expect(rows.allSatisfy { (0..<Int64(Self.rowsPerAppend)).contains($0.id - Self.firstID(writer: Int($0.writer), seq: Int($0.seq))) })
    }
}
