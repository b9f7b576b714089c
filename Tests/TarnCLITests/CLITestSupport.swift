// Running the real `tarn` executable from tests: locating it and capturing its output.
import Foundation
import Testing
import TarnTestSupport

enum TarnCLI {
    /// `$TARN_EXECUTABLE`, else the debug build in .build.
    static var executable: String {
        if let env = ProcessInfo.processInfo.environment["TARN_EXECUTABLE"], !env.isEmpty { return env }
        return Peers.repositoryRoot.appendingPathComponent(".build/debug/tarn").path
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:]) throws -> Peers.Output {
        try runProcess(executable, arguments, environment: environment, stdin: stdin.map { Data($0.utf8) },
                       timeout: 300, workingDirectory: directory)
    }
}

/// A temporary directory holding a lakehouse root (`lake/`) and the input files of a
/// test, with `tarn` run against that root (as `TARN_USER` = `user` when given).
struct CLILakehouse {
    let directory: TemporaryDirectory
    var root: String { directory.path + "/lake" }

    /// Writes `text` to file `name` of the directory; returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `tarn ARGUMENTS --root ROOT`, run in the directory.
    func run(_ arguments: [String], as user: String? = nil) throws -> Peers.Output {
        try TarnCLI.run(arguments + ["--root", root], in: directory.url, environment: user.map { ["TARN_USER": $0] } ?? [:])
    }

    /// `tarn features ARGUMENTS --root ROOT`.
    func features(_ arguments: [String], as user: String? = nil) throws -> Peers.Output {
        try run(["features"] + arguments, as: user)
    }

    /// `tarn sql STATEMENT --root ROOT`.
    func sql(_ statement: String, as user: String? = nil) throws -> Peers.Output {
        try run(["sql", statement], as: user)
    }
}
