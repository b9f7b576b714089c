// Revocation across OS processes: a child process (TARN_USER=alice) holds an open table
// and reads it; the parent revokes alice's SELECT; the child's next read is denied. The
// test binary relaunches itself as the child.
import Foundation
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport

@Suite("Access across processes")
struct AccessMultiProcessTests {
    static let rootVariable = "TARN_ACCESS_CHILD_ROOT"
    static var isChild: Bool { ProcessInfo.processInfo.environment[rootVariable] != nil }
    static var canRelaunch: Bool { !isChild && ChildProcess.canRelaunch }

    /// Polls (without a clock) until `condition` holds, at most about a minute.
    static func waitFor(_ what: String, _ condition: () -> Bool) throws {
        var polls = 0
        while !condition() {
            polls += 1
            try #require(polls < 120_000, "gave up waiting for \(what)")
            usleep(500)
        }
    }

    @Test("child process: read, wait for the revoke, read again", .enabled(if: isChild))
    func childReader() throws {
        let root = try #require(ProcessInfo.processInfo.environment[Self.rootVariable])
        let catalog = try Catalog(root: root)  // acts as TARN_USER
        let table = try catalog.openTable(TableIdentifier(parsing: "sales.orders"))
        ChildProcess.report("first read \(try table.read().reduce(0) { $0 + $1.rowCount }) rows as \(catalog.principal.name)")
        try Self.waitFor("the revoke") { FileManager.default.fileExists(atPath: root + "/revoked") }
        let second: Result<[RecordBatch], TableError> = Result { () throws(TableError) in try table.read() }
        switch second {
        case .success: ChildProcess.report("second read allowed")
        case let .failure(error): ChildProcess.report("second read failed \(error.code): \(error.accessDenied?.principal ?? "?")")
        }
    }

    @Test("a revoke in one process denies the other process's next read", .enabled(if: canRelaunch), .timeLimit(.minutes(2)))
    func revokeAcrossProcesses() throws {
        let directory = try TemporaryDirectory("tarn-access-processes")
        defer { directory.remove() }
        let root = directory.path + "/lake"
        let admin = try Catalog(root: root, principal: try Principal("root_admin"))
        let id = try TableIdentifier(parsing: "sales.orders")
        try admin.createTable(id, schema: Rows.schema).append([try Rows.batch(0..<7)])
        try admin.access.createPrincipal("alice", kind: .user)
        try admin.access.grant([.select], on: .table(id), to: "alice")

        let output = directory.path + "/child.out"
        let child = try ChildProcess.launch(filter: "AccessMultiProcessTests/childReader",
                                            environment: [Self.rootVariable: root, Identity.userVariable: "alice"],
                                            stdoutPath: output)
        defer { if child.isRunning { child.terminate() } }
        func childOutput() -> String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
        try Self.waitFor("the child's first read") { childOutput().contains("first read") || !child.isRunning }
        #expect(childOutput().contains("first read 7 rows as alice"), "child said: \(childOutput())")
        try admin.access.revoke([.select], on: .table(id), from: "alice")
        _ = FileManager.default.createFile(atPath: root + "/revoked", contents: Data([1]))
        child.waitUntilExit()
        let errors = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
        #expect(child.terminationStatus == 0, "child failed: \(errors.suffix(2000))")
        #expect(childOutput().contains("second read failed accessDenied: alice"), "child said: \(childOutput())")
    }
}
