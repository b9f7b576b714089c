// Shared pieces of the benchmark executables: timing, medians, running the Python
// peers, and the ratio table. Never used by the library or the tests.
import Foundation

public enum Bench {
    /// Directory of this package (Benchmarks/), from this file's location.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Scratch space for datasets and outputs (Benchmarks/.data, gitignored).
    public static let dataDirectory: URL = {
        let url = packageRoot.appendingPathComponent(".data")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    public static var python: String {
        if let env = ProcessInfo.processInfo.environment["TARN_PYTHON"], !env.isEmpty { return env }
        return packageRoot.deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path
    }

    /// Seconds taken by `body`.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return sorted[max(0, index)]
    }

    public struct PeerFailed: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Runs a peer script from Benchmarks/Peers and returns the last line of stdout
    /// (the peers print one JSON object last).
    public static func runPeer(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("Peers/\(script)").path] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let last = text.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            throw PeerFailed(description: "\(script) printed no result (exit \(process.terminationStatus)): \(text.suffix(500))")
        }
        return object
    }

    /// One row of the comparison table.
    public struct Row {
        public var name: String
        public var tarn: Double
        public var peer: Double
        public var unit: String
        public var peerName: String
        /// Lower is better (times, sizes).
        public init(_ name: String, tarn: Double, peer: Double, unit: String = "s", peerName: String) {
            self.name = name
            self.tarn = tarn
            self.peer = peer
            self.unit = unit
            self.peerName = peerName
        }
    }

    public static func format(_ value: Double, _ unit: String) -> String {
        switch unit {
        case "s": return String(format: "%.3f s", value)
        case "ms": return String(format: "%.3f ms", value)
        case "us": return String(format: "%.1f µs", value)
        case "MB": return String(format: "%.1f MB", value)
        case "rows/s": return String(format: "%.2f M rows/s", value / 1e6)
        default: return String(format: "%.3f %@", value, unit)
        }
    }

    /// Prints rows as an aligned table with Tarn/peer ratios (< 1 means Tarn is better for
    /// times and sizes).
    public static func printTable(_ title: String, _ rows: [Row]) {
        print("\n== \(title) ==")
        let header = ["measure", "tarn", "peer", "tarn/peer"]
        var lines: [[String]] = [header]
        for r in rows {
            lines.append([r.name, format(r.tarn, r.unit), "\(format(r.peer, r.unit)) (\(r.peerName))",
                          String(format: "%.2fx", r.tarn / r.peer)])
        }
        let widths = (0..<4).map { c in lines.map { $0[c].count }.max() ?? 0 }
        for (i, line) in lines.enumerated() {
            print(line.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}

/// A benchmark step that could not run (a peer failed, data is missing).
public struct BenchmarkFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs the peers' Python with `arguments`; a non-zero exit is a `BenchmarkFailure`.
public func runPython(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Bench.python)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchmarkFailure("python \(arguments.joined(separator: " ")) failed")
    }
}

extension Bench {
    /// The shared features dataset of `rows` rows in the data directory, generated by
    /// Peers/features_dataset.py (numpy/pyarrow) the first time it is asked for.
    public static func featuresDataset(rows: Int) throws -> URL {
        let source = dataDirectory.appendingPathComponent("features-\(rows).parquet")
        if !FileManager.default.fileExists(atPath: source.path) {
            print("generating the dataset (\(rows) rows) with numpy/pyarrow…")
            try runPython([packageRoot.appendingPathComponent("Peers/features_dataset.py").path, source.path, String(rows)])
        }
        return source
    }
}
