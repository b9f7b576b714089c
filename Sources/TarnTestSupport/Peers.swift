// Peers: runs the real interop peers (pyarrow, DuckDB, deltalake) through the Python
// of the project's venv, for tests only. Owns locating the interpreter and the peer
// scripts under Tests/Peers; must never be linked into a library target.
import Foundation

public enum Peers {
    /// The repository root, found from this file's location (Sources/TarnTestSupport/).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Folder of the peer scripts.
    public static let scriptsDirectory: URL = repositoryRoot.appendingPathComponent("Tests/Peers")

    /// The Python with the peers: `$TARN_PYTHON`, else `.venv/bin/python` of the repository.
    public static var python: String? {
        if let env = ProcessInfo.processInfo.environment["TARN_PYTHON"], !env.isEmpty,
           FileManager.default.isExecutableFile(atPath: env) {
            return env
        }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String {
            "the interop peers are not installed: run `bash scripts/test.sh` (it creates .venv with pyarrow, duckdb and deltalake)"
        }
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `Tests/Peers/<script>` with `arguments`, returning its output. Throws
    /// `Unavailable` when there is no venv. A non-zero exit is returned, not thrown:
    /// deltalake may abort at interpreter exit after printing a correct result.
    public static func run(_ script: String, _ arguments: [String], timeout: TimeInterval = 600) throws -> Output {
        guard let python else { throw Unavailable() }
        return try runProcess(python, [scriptsDirectory.appendingPathComponent(script).path] + arguments,
                              environment: ["PYTHONPATH": scriptsDirectory.path, "PYTHONDONTWRITEBYTECODE": "1"],
                              timeout: timeout)
    }

    /// Runs inline Python code with the peers' interpreter.
    public static func runInline(_ code: String, _ arguments: [String] = [], timeout: TimeInterval = 600) throws -> Output {
        guard let python else { throw Unavailable() }
        return try runProcess(python, ["-c", code] + arguments,
                              environment: ["PYTHONPATH": scriptsDirectory.path, "PYTHONDONTWRITEBYTECODE": "1"],
                              timeout: timeout)
    }
}

/// Runs an executable, collecting stdout/stderr (through files, so large outputs never
/// block on a full pipe) with a timeout that kills the process.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       stdin: Data? = nil, timeout: TimeInterval = 600,
                       workingDirectory: URL? = nil) throws -> Peers.Output {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tarn-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let workingDirectory { process.currentDirectoryURL = workingDirectory }
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    let inPipe = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
    try process.run()
    if let stdin {
        inPipe.fileHandleForWriting.write(stdin)
        try? inPipe.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            Thread.sleep(forTimeInterval: 0.5)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            break
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    try? outHandle.close()
    try? errHandle.close()
    let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return Peers.Output(status: process.terminationStatus, stdout: out, stderr: err)
}

/// A fresh temporary directory, removed when `remove()` is called.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ label: String = "tarn-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
