// Crash safety against real process death: a writer process appending in a loop is
// killed with SIGKILL at a random moment, over and over, on one table. After every kill
// the table opens, every append the writer reported is there, and no commit is torn.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Crash safety: writers killed with SIGKILL")
struct CrashSafetyKillTests {
    static let rootVariable = "TARN_TABLES_CRASH_ROOT"
    static let trialVariable = "TARN_TABLES_CRASH_TRIAL"
    static let trials = 100
    static let rowsPerAppend = 4
    static let tableName = "crash.log"

    static var isChild: Bool { ProcessInfo.processInfo.environment[rootVariable] != nil }
    static var canRelaunch: Bool { !isChild && ChildProcess.canRelaunch }

    /// Each append is also an idempotent write: version seq + 1 of application "crash-<trial>".
    static func appId(trial: Int) -> String { "crash-\(trial)" }

    static func firstID(trial: Int, seq: Int) -> Int64 {
        Int64(trial * 100_000 + seq * rowsPerAppend)
    }

    @Test("child process: append until killed, reporting each committed append", .enabled(if: isChild))
    func childWriter() throws {
        let environment = ProcessInfo.processInfo.environment
        let root = try #require(environment[Self.rootVariable])
        let trial = try #require(environment[Self.trialVariable].flatMap { Int($0) })
        let table = try Catalog(root: root).openTable(TableIdentifier(parsing: Self.tableName))
        ChildProcess.report("ready")
        let started = Date()
        // Bounded, so an orphaned child stops by itself.
        for seq in 0..<5_000 where Date().timeIntervalSince(started) < 30 {
            let first = Self.firstID(trial: trial, seq: seq)
            var options = WriteOptions()
            options.transaction = (appId: Self.appId(trial: trial), version: Int64(seq + 1))
            let result = try table.append([try WriterRows.batch(writer: trial, seq: seq, firstID: first, count: Self.rowsPerAppend)],
                                          options: options)
            try #require(result.version != nil, "append \(seq) was skipped as already done")
            ChildProcess.report("committed \(result.version ?? -1) \(first)")
        }
    }

    /// Waits until the child's output has a "ready" line (or it exited); false on timeout.
    static func waitForReady(_ outputPath: String, _ child: Process) -> Bool {
        for _ in 0..<30_000 {
            if let text = try? String(contentsOfFile: outputPath, encoding: .utf8), text.contains("ready\n") { return true }
            if !child.isRunning { return false }
            usleep(1_000)
        }
        return false
    }

    @Test("100 SIGKILLs at random moments: the table opens, reported appends survive, no torn commit",
          .enabled(if: canRelaunch), .timeLimit(.minutes(3)))
    func killedWriters() throws {
        let directory = try TemporaryDirectory("tarn-crash")
        defer { directory.remove() }
        let id = try TableIdentifier(parsing: Self.tableName)
        try Catalog(root: directory.path).createTable(id, schema: WriterRows.schema)
        let tableDirectory = directory.path + "/crash/log"
        var generator = SystemRandomNumberGenerator()
        var knownCommits = Set<String>()
        var expectedRows = 0
        var killsDuringWrites = 0
        var reportedAppends = 0

        for trial in 0..<Self.trials {
            let output = directory.path + "/trial-\(trial).out"
            let child = try ChildProcess.launch(filter: "CrashSafetyKillTests/childWriter",
                                                environment: [Self.rootVariable: directory.path, Self.trialVariable: String(trial)],
                                                stdoutPath: output)
            let ready = Self.waitForReady(output, child)
            if ready { usleep(UInt32.random(in: 5_000...200_000, using: &generator)) }
            let wasRunning = child.isRunning
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            let errors = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            try #require(ready && wasRunning, "trial \(trial): the writer did not run until the kill: \(errors.suffix(2000))")
            killsDuringWrites += 1

            var reported: [(version: Int64, firstID: Int64)] = []
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("committed ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let version = Int64(parts[1]), let first = Int64(parts[2]) {
                    reported.append((version, first))
                }
            }

            // The table opens and its latest snapshot loads from the log as it is on disk.
            let table = try Catalog(root: directory.path).openTable(id)
            let snapshot = try table.snapshot()
            let versions = try checkCommitFilesParse(tableDirectory: tableDirectory, skipping: &knownCommits)
            #expect(versions == Array(0...snapshot.version), "trial \(trial): commit versions have gaps")
            if let last = reported.last { #expect(last.version <= snapshot.version) }
            for file in snapshot.files where !FileManager.default.fileExists(atPath: tableDirectory + "/" + file.path) {
                Issue.record("trial \(trial): the snapshot names a missing file \(file.path)")
            }

            // This trial's rows: appends 0..<n, with n the reported count or one more (the
            // kill can land between a commit and its report); each append's rows exactly once.
            let rows = WriterRows.rows(try table.read(predicate: .comparison(column: "writer", op: .equal, value: .int(Int64(trial)))))
            let seqs = Set(rows.map(\.seq))
            let committed = seqs.count
            #expect(committed == reported.count || committed == reported.count + 1,
                    "trial \(trial): \(reported.count) appends reported, \(committed) present")
            #expect(seqs == Set((0..<Int64(committed))), "trial \(trial): appends missing in the middle")
            #expect(rows.count == committed * Self.rowsPerAppend, "trial \(trial): rows duplicated or missing")
            // The idempotent-write record commits with its data, never without it.
            let recorded = snapshot.transactionVersion(appId: Self.appId(trial: trial))
            #expect(recorded == (committed == 0 ? nil : Int64(committed)), "trial \(trial): txn version \(String(describing: recorded)) for \(committed) appends")
            let ids = Set(rows.map(\.id))
            #expect(ids.count == rows.count)
            for (_, first) in reported {
                #expect(ids.contains(first) && ids.contains(first + Int64(Self.rowsPerAppend - 1)),
                        "trial \(trial): reported append \(first) is missing")
            }
            expectedRows += rows.count
            reportedAppends += reported.count
        }
        #expect(killsDuringWrites == Self.trials)
        // The writers got real work done between kills (a floor, not a timing claim).
        #expect(reportedAppends >= 10, "only \(reportedAppends) appends committed in \(Self.trials) trials")

        // The whole table after all the kills: every surviving row once.
        let table = try Catalog(root: directory.path).openTable(id)
        let rows = WriterRows.rows(try table.read())
        #expect(rows.count == expectedRows)
        #expect(Set(rows.map(\.id)).count == rows.count)
    }
}
