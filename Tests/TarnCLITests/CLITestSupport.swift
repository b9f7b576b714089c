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
