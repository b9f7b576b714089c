// Operations racing appends from other OS processes: child processes (this test binary
// relaunched) append while this process runs OPTIMIZE and DELETE in a loop. Every
// outcome is a commit or a reported conflict; no appended row is lost or duplicated at
// any version, and the final table equals the reference computed here.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Operations racing appends from OS processes")
struct OperationsMultiProcessTests {
    static let writers = AppendingWriters(
        childTest: "OperationsMultiProcessTests/childAppender", rootVariable: "TARN_OPERATIONS_RACE_ROOT",
        writerVariable: "TARN_OPERATIONS_RACE_WRITER", tableName: "race.ops", processes: 3, appendsPerProcess: 30, rowsPerAppend: 4)
    static var isChild: Bool { writers.isChild }
    static var canRelaunch: Bool { writers.canRelaunch }

    /// Appends with `seq % 3 == 0` are the ones the DELETE removes.
    static let doomedSeqs: [ScalarValue] = stride(from: 0, to: writers.appendsPerProcess, by: 3).map { .int(Int64($0)) }
    static var deletePredicate: TarnColumnar.Predicate { .inList(column: "seq", values: doomedSeqs) }

    enum Outcome<T> {
        case committed(T)
        case conflict
        case failed(TableError)
    }

    /// What an operation did: its result, a reported conflict, or another error.
    static func outcome<T>(_ body: () throws(TableError) -> T) -> Outcome<T> {
        do {
            return .committed(try body())
        } catch {
            return error.code == .conflict ? .conflict : .failed(error)
        }
    }

    @Test("child process: append to the shared table in a loop", .enabled(if: isChild))
    func childAppender() throws {
        try Self.writers.runChild()
    }

    @Test("3 processes append while this one optimizes and deletes: commits or conflicts, nothing lost or doubled",
          .enabled(if: canRelaunch), .timeLimit(.minutes(3)))
    func appendsRaceOptimizeAndDelete() throws {
        let w = Self.writers
        let directory = try TemporaryDirectory("tarn-ops-race")
        defer { directory.remove() }
        let catalog = try Catalog(root: directory.path)
        let id = try TableIdentifier(parsing: w.tableName)
        let table = try catalog.createTable(id, schema: WriterRows.schema)

        var children: [Process] = []
        defer { for child in children where child.isRunning { child.terminate() } }
        children = try w.start(root: directory.path)

        // Race: optimize and delete while any child is still appending.
        var committedDeletes = 0, committedOptimizes = 0, conflicts = 0, retriesUsed = 0
        while children.contains(where: { $0.isRunning }) {
            switch Self.outcome({ () throws(TableError) in try table.delete(where: Self.deletePredicate) }) {
            case let .committed(metrics):
                if metrics.version != nil { committedDeletes += 1 }
                retriesUsed += metrics.conflictRetries
            case .conflict: conflicts += 1
            case let .failed(error): throw error
            }
            switch Self.outcome({ () throws(TableError) in try table.optimize() }) {
            case let .committed(metrics): if metrics.version != nil { committedOptimizes += 1 }
            case .conflict: conflicts += 1
            case let .failed(error): throw error
            }
        }
        _ = w.finish(children, root: directory.path)
        // After the race one more delete and optimize settle the table.
        try table.delete(where: Self.deletePredicate)
        _ = try table.optimize()

        // The reference: every append's rows, minus the doomed appends.
        var expected: [Int64] = []
        for writer in 0..<w.processes {
            for seq in 0..<w.appendsPerProcess where seq % 3 != 0 {
                let first = w.firstID(writer: writer, seq: seq)
                expected += (0..<Int64(w.rowsPerAppend)).map { first + $0 }
            }
        }
        let fresh = try catalog.openTable(id)
        #expect(WriterRows.ids(try fresh.read()) == expected.sorted(),
                "deletes \(committedDeletes), optimizes \(committedOptimizes), conflicts \(conflicts), retries \(retriesUsed)")

        // Every version parses, and at every version each appended row is there at most
        // once, and every non-doomed row of an append committed by then is there.
        var known = Set<String>()
        let last = try fresh.snapshot().version
        let versions = try checkCommitFilesParse(tableDirectory: directory.path + "/race/ops", skipping: &known)
        #expect(versions == Array(0...last))
        let history = try fresh.history()
        var operationOf: [Int64: String] = [:]
        for commit in history { operationOf[commit.version] = commit.commitInfo?.operation }
        var appendedRows: Set<Int64> = []
        for version in 1...last {
            let rows = WriterRows.rows(try fresh.read(asOf: .version(version)))
            let ids = rows.map(\.id)
            #expect(Set(ids).count == ids.count, "version \(version) (\(operationOf[version] ?? "?")) holds a row twice")
            if operationOf[version] == "WRITE" {
                appendedRows.formUnion(rows.filter { $0.seq % 3 != 0 }.map(\.id))
            }
            let present = Set(ids)
            let missing = appendedRows.subtracting(present)
            #expect(missing.isEmpty, "version \(version) lost \(missing.count) appended rows")
        }
        let operations = Set(history.compactMap { $0.commitInfo?.operation })
        #expect(operations.isSuperset(of: ["WRITE", "DELETE", "OPTIMIZE"]))
    }
}
