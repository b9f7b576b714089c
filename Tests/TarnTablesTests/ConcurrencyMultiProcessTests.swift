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
    static let writers = AppendingWriters(
        childTest: "ConcurrencyMultiProcessTests/childAppender", rootVariable: "TARN_TABLES_APPEND_ROOT",
        writerVariable: "TARN_TABLES_APPEND_WRITER", tableName: "race.events", processes: 4, appendsPerProcess: 50, rowsPerAppend: 3)
    static var isChild: Bool { writers.isChild }
    static var canRelaunch: Bool { writers.canRelaunch }

    @Test("child process: append to the shared table in a loop", .enabled(if: isChild))
    func childAppender() throws {
        try Self.writers.runChild()
    }

    @Test("4 processes x 50 appends: 200 contiguous versions, every row exactly once",
          .enabled(if: canRelaunch), .timeLimit(.minutes(2)))
    func processesAppend() throws {
        let w = Self.writers
        let directory = try TemporaryDirectory("tarn-race")
        defer { directory.remove() }
        let catalog = try Catalog(root: directory.path)
        let id = try TableIdentifier(parsing: w.tableName)
        let table = try catalog.createTable(id, schema: WriterRows.schema)
        #expect(try table.snapshot().version == 0)

        var children: [Process] = []
        defer { for child in children where child.isRunning { child.terminate() } }
        children = try w.start(root: directory.path)
        var reported: [Int64: (writer: Int, seq: Int)] = [:]
        for report in w.finish(children, root: directory.path) {
            #expect(reported[report.version] == nil, "version \(report.version) reported by two appends")
            reported[report.version] = (report.writer, report.seq)
        }
        let total = w.processes * w.appendsPerProcess

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
                let first = w.firstID(writer: writer, seq: seq)
                #expect(stats.contains(#""id":\#(first)"#), "version \(version): stats \(stats) lack id \(first)")
            }
        }

        // Rows: every (writer, seq) once, with its ids.
        let rows = WriterRows.rows(try fresh.read())
        #expect(rows.count == total * w.rowsPerAppend)
        var expected: [Int64] = []
        for writer in 0..<w.processes {
            for seq in 0..<w.appendsPerProcess {
                let first = w.firstID(writer: writer, seq: seq)
                expected += (0..<Int64(w.rowsPerAppend)).map { first + $0 }
            }
        }
        #expect(rows.map(\.id).sorted() == expected.sorted())
        #expect(rows.allSatisfy { (0..<Int64(w.rowsPerAppend)).contains($0.id - w.firstID(writer: Int($0.writer), seq: Int($0.seq))) })
    }
}
