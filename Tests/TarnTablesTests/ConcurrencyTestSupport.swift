// Helpers for the concurrency and crash-safety tests: rows that name their writer and
// sequence, relaunching this test binary as child writer processes, and a store that
// lets a test run a competing write at the exact moment a commit is about to be made.
// Test-only; must never be used to hide a failure (every helper reports what it saw).
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables

/// Rows of the writer tests: `writer` and `seq` say who wrote the append, `id` is unique.
enum WriterRows {
    static let schema = Schema([
        Field("writer", .int64, nullable: false), Field("seq", .int64, nullable: false), Field("id", .int64, nullable: false),
    ])

    /// `count` rows of writer `writer`, append `seq`, with ids `firstID ..< firstID + count`.
    static func batch(writer: Int, seq: Int, firstID: Int64, count: Int) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: Array(repeating: Int64(writer), count: count)),
            try Column(.int64, values: Array(repeating: Int64(seq), count: count)),
            try Column(.int64, values: (0..<Int64(count)).map { firstID + $0 }),
        ])
    }

    /// Every row as (writer, seq, id).
    static func rows(_ batches: [RecordBatch]) -> [(writer: Int64, seq: Int64, id: Int64)] {
        var out: [(writer: Int64, seq: Int64, id: Int64)] = []
        for batch in batches {
            let writer = batch.column(named: "writer"), seq = batch.column(named: "seq"), id = batch.column(named: "id")
            for row in 0..<batch.rowCount {
                guard case let .int(w) = writer?.value(at: row), case let .int(s) = seq?.value(at: row),
                      case let .int(i) = id?.value(at: row) else { continue }
                out.append((w, s, i))
            }
        }
        return out
    }

    static func ids(_ batches: [RecordBatch]) -> [Int64] {
        rows(batches).map(\.id).sorted()
    }
}

/// Child writer processes: this test binary relaunched with a filter that selects one
/// child test, enabled by an environment variable.
enum ChildProcess {
    /// Relaunching works when the tests run straight from the SwiftPM test bundle.
    static var canRelaunch: Bool {
        CommandLine.arguments.first?.hasSuffix(".xctest") ?? false
    }

    /// Starts the test `filter` (e.g. "Suite/function") in a new process with `environment`
    /// added; stdout goes to `stdoutPath` and stderr to `stdoutPath + ".err"` (or nowhere).
    static func launch(filter: String, environment: [String: String], stdoutPath: String? = nil) throws -> Process {
        let executable = try #require(CommandLine.arguments.first)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        child.environment = env
        if let stdoutPath {
            FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            FileManager.default.createFile(atPath: stdoutPath + ".err", contents: nil)
            child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
            child.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath + ".err"))
        } else {
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
        }
        try child.run()
        return child
    }

    /// Writes a line to stdout with one write(2), so a kill never leaves it buffered.
    static func report(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// The appending children of a multi-process test: the test binary relaunched as
/// `processes` writers, each waiting for the parent's `go` file, then appending
/// `appendsPerProcess` batches of `rowsPerAppend` WriterRows to one table and reporting
/// every commit as a line "committed VERSION WRITER SEQ".
struct AppendingWriters {
    /// The suite's child test (`Suite/function`) that calls `runChild()`.
    let childTest: String
    /// Environment variables naming the lakehouse root and the writer number.
    let rootVariable: String
    let writerVariable: String
    let tableName: String
    let processes: Int
    let appendsPerProcess: Int
    let rowsPerAppend: Int

    /// True in a relaunched writer.
    var isChild: Bool { ProcessInfo.processInfo.environment[rootVariable] != nil }
    /// True in the parent when relaunching works.
    var canRelaunch: Bool { !isChild && ChildProcess.canRelaunch }

    /// The first row id of append `seq` of `writer` (ids never overlap).
    func firstID(writer: Int, seq: Int) -> Int64 {
        Int64(writer * 1_000_000 + seq * rowsPerAppend)
    }

    /// In a writer: waits for `go` (about a minute at most), then appends and reports.
    func runChild() throws {
        let environment = ProcessInfo.processInfo.environment
        let root = try #require(environment[rootVariable])
        let writer = try #require(environment[writerVariable].flatMap { Int($0) })
        let table = try Catalog(root: root).openTable(TableIdentifier(parsing: tableName))
        var polls = 0
        while !FileManager.default.fileExists(atPath: root + "/go") {
            polls += 1
            try #require(polls < 120_000, "the parent never said go")
            usleep(500)
        }
        for seq in 0..<appendsPerProcess {
            let batch = try WriterRows.batch(writer: writer, seq: seq, firstID: firstID(writer: writer, seq: seq), count: rowsPerAppend)
            let result = try table.append([batch])
            ChildProcess.report("committed \(result.version ?? -1) \(writer) \(seq)")
        }
    }

    /// In the parent: starts the writers on the lakehouse at `root` and lets them go.
    func start(root: String) throws -> [Process] {
        var children: [Process] = []
        for writer in 0..<processes {
            children.append(try ChildProcess.launch(filter: childTest,
                                                    environment: [rootVariable: root, writerVariable: String(writer)],
                                                    stdoutPath: root + "/writer-\(writer).out"))
        }
        _ = FileManager.default.createFile(atPath: root + "/go", contents: Data([1]))
        return children
    }

    /// Waits for every writer and expects it to exit 0 having reported each append;
    /// returns the reports.
    func finish(_ children: [Process], root: String) -> [(version: Int64, writer: Int, seq: Int)] {
        var reports: [(version: Int64, writer: Int, seq: Int)] = []
        for (writer, child) in children.enumerated() {
            child.waitUntilExit()
            let errors = (try? String(contentsOfFile: root + "/writer-\(writer).out.err", encoding: .utf8)) ?? ""
            #expect(child.terminationStatus == 0, "writer \(writer) failed: \(errors.suffix(2000))")
            let output = (try? String(contentsOfFile: root + "/writer-\(writer).out", encoding: .utf8)) ?? ""
            let lines = output.split(separator: "\n").filter { $0.hasPrefix("committed ") }
            #expect(lines.count == appendsPerProcess, "writer \(writer) reported \(lines.count) appends")
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 4, let version = Int64(parts[1]), let reporter = Int(parts[2]), let seq = Int(parts[3]) else {
                    Issue.record("bad report line: \(line)")
                    continue
                }
                reports.append((version, reporter, seq))
            }
        }
        return reports
    }
}

/// A store that runs `hook` once, just before the first commit file (`_delta_log/*.json`)
/// is written through it — the moment a transaction has read its snapshot and written
/// its data files. A competing write done by the hook makes the race deterministic.
final class CommitGateStore: FileStore, @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `pendingHook` is only touched while holding `lock`;
    // `base` is itself Sendable.
    let base: any FileStore
    private let lock = NSLock()
    private var pendingHook: (@Sendable () throws -> Void)?

    init(_ base: any FileStore) { self.base = base }

    /// Arms `hook` for the next commit write.
    func beforeNextCommit(_ hook: @escaping @Sendable () throws -> Void) {
        lock.lock()
        pendingHook = hook
        lock.unlock()
    }

    private func takeHook(for path: String) -> (@Sendable () throws -> Void)? {
        guard path.contains("_delta_log/"), path.hasSuffix(".json") else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let hook = pendingHook
        pendingHook = nil
        return hook
    }

    func list(prefix: String, after: String?, recursive: Bool) throws(StorageError) -> [FileInfo] {
        try base.list(prefix: prefix, after: after, recursive: recursive)
    }

    func listDirectories(prefix: String) throws(StorageError) -> [String] { try base.listDirectories(prefix: prefix) }
    func read(_ path: String) throws(StorageError) -> [UInt8] { try base.read(path) }
    func read(_ path: String, range: Range<Int>) throws(StorageError) -> [UInt8] { try base.read(path, range: range) }
    func head(_ path: String) throws(StorageError) -> FileInfo { try base.head(path) }
    func put(_ path: String, _ bytes: [UInt8]) throws(StorageError) { try base.put(path, bytes) }
    func delete(_ path: String) throws(StorageError) { try base.delete(path) }
    func createDirectory(_ path: String) throws(StorageError) { try base.createDirectory(path) }
    func deleteDirectory(_ path: String, recursively: Bool) throws(StorageError) {
        try base.deleteDirectory(path, recursively: recursively)
    }

    func putIfAbsent(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
        if let hook = takeHook(for: path) {
            do {
                try hook()
            } catch {
                Issue.record("the competing write in the commit hook failed: \(error)")
            }
        }
        try base.putIfAbsent(path, bytes)
    }
}

/// Checks that every commit file of the table at `tableDirectory` parses: each line one
/// JSON object. Returns the versions found; records an issue for each bad file.
func checkCommitFilesParse(tableDirectory: String, skipping known: inout Set<String>) throws -> [Int64] {
    let logDirectory = tableDirectory + "/_delta_log"
    var versions: [Int64] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: logDirectory) where name.hasSuffix(".json") {
        guard let version = Int64(name.dropLast(5)) else { continue }
        versions.append(version)
        if known.contains(name) { continue }
        let data = try Data(contentsOf: URL(fileURLWithPath: logDirectory + "/" + name))
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        #expect(!lines.isEmpty, "\(name) is empty")
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(object is [String: Any], "\(name) has a line that is not a JSON object: \(line.prefix(120))")
        }
        known.insert(name)
    }
    return versions.sorted()
}

/// Results written by index from concurrent workers.
final class ResultSlots<Value>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `slots` is only touched while holding `lock`.
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

/// Runs `bodies` on separate threads, started together, and returns their results in order.
func runTogether<Value>(_ bodies: [@Sendable () -> Value]) -> [Value?] {
    let results = ResultSlots<Value>(count: bodies.count)
    DispatchQueue.concurrentPerform(iterations: bodies.count) { index in
        results.set(index, bodies[index]())
    }
    return results.values
}
