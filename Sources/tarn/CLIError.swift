// How the CLI reports failures: one line `error: <what and where>` on stderr and exit
// status 1, with the cause chain of layered errors. Never prints a stack trace.
import ArgumentParser
import Foundation

/// A failure the CLI reports as one line.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`; any error is printed as one line and turned into exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError(error)
        throw ExitCode(1)
    }
}

func printError(_ error: any Error) {
    let line = "error: \(String(describing: error))".replacingOccurrences(of: "\n", with: " ")
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes text to stdout without buffering surprises when piped.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

func writeOut(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}
