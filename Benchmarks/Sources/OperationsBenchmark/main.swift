// Operations benchmark: Tarn vs deltalake (delta-rs) on copies of one Delta table built
// from the 2M-row feature dataset (sorted by entity_id, 8 appends): MERGE of 100,000
// rows keyed by (entity_id, event_ts) (half updates, half inserts) with wall time and
// peak RSS, DELETE of 1% of the rows by a stats-selective predicate, and OPTIMIZE of a
// table built by 300 small appends. Each timed run is a fresh process on a fresh copy
// (copies, loads and process start are untimed); medians of 3 runs, ratios printed.
import BenchmarkSupport
import Foundation
import TarnColumnar
import TarnIO
import TarnLog
import TarnParquet
import TarnTables

// Tarn's side runs with the allocator policy the tarn CLI sets at startup.
AllocatorPolicy.retainFreedBuffers()

let environment = ProcessInfo.processInfo.environment
let rows = Int(environment["TARN_BENCH_ROWS"] ?? "") ?? 2_000_000
let smallAppends = Int(environment["TARN_BENCH_APPENDS"] ?? "") ?? 300
let smallAppendRows = 1_000
let baseAppends = 8
let repeats = 3
let deleteLimit: Int64 = 1_000  // entity_id < 1000: 1% of the rows, 1 of 8 sorted files

let data = Bench.dataDirectory
let work = data.appendingPathComponent("operations")
let source = data.appendingPathComponent("features-\(rows).parquet")
let sortedSource = data.appendingPathComponent("features-\(rows)-sorted.parquet")
let mergeSource = data.appendingPathComponent("operations-merge-source-\(rows).parquet")

func load(_ url: URL) throws -> [RecordBatch] {
    let bytes = [UInt8](try Data(contentsOf: url))
    return try ParquetFileReader(input: ParquetBytesInput(bytes), name: url.lastPathComponent).read()
}

/// This process image's peak resident set (VmHWM; `ru_maxrss` would include the parent's
/// memory at fork time, which Linux keeps across exec).
func peakRSSMegabytes() -> Double {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
        return kilobytes / 1024
    }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// One Tarn operation in this (child) process; prints a JSON line like the peer's.
func runChild(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchmarkFailure("child needs MODE TABLE [ARG]") }
    let table = try Table.open(directory: arguments[1])
    var seconds = 0.0
    var metrics: [String: Int] = [:]
    switch arguments[0] {
    case "merge":
        let batches = try load(URL(fileURLWithPath: arguments[2]))
        var result: MergeMetrics?
        seconds = try Bench.time {
            result = try table.merge(source: batches, on: [(target: "entity_id", source: "entity_id"),
                                                           (target: "event_ts", source: "event_ts")])
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
        }
        metrics = ["numTargetRowsUpdated": result?.numTargetRowsUpdated ?? -1, "numTargetRowsInserted": result?.numTargetRowsInserted ?? -1,
                   "numTargetFilesRemoved": result?.numTargetFilesRemoved ?? -1]
    case "delete":
        let limit = Int64(arguments[2]) ?? deleteLimit
        var result: DeleteMetrics?
        seconds = try Bench.time {
            result = try table.delete(where: .comparison(column: "entity_id", op: .less, value: .int(limit)))
        }
        metrics = ["numDeletedRows": result?.numDeletedRows ?? -1, "numRemovedFiles": result?.numRemovedFiles ?? -1]
    case "optimize":
        var result: OptimizeMetrics?
        seconds = try Bench.time { result = try table.optimize() }
        metrics = ["numFilesRemoved": result?.numFilesRemoved ?? -1, "numFilesAdded": result?.numFilesAdded ?? -1]
    default:
        throw BenchmarkFailure("unknown child mode \(arguments[0])")
    }
    let body = metrics.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
    print(#"{"seconds": \#(seconds), "peak_rss_mb": \#(peakRSSMegabytes()), "metrics": {\#(body)}}"#)
}

if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "child" {
    try runChild(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}

/// Runs `executable arguments` and parses the JSON object on its last stdout line.
func runJSON(_ executable: String, _ arguments: [String]) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let bytes = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: bytes, as: UTF8.self)
    guard let last = text.split(separator: "\n").last,
          let object = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
        throw BenchmarkFailure("\(executable) \(arguments.first ?? "") printed no result (exit \(process.terminationStatus)): \(text.suffix(500))")
    }
    return object
}

let selfPath: String = {
    let path = CommandLine.arguments[0]
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
}()
let peerScript = Bench.packageRoot.appendingPathComponent("Peers/deltalake_operations.py").path

func copyTable(_ from: URL, to name: String) throws -> URL {
    let target = work.appendingPathComponent(name)
    try? FileManager.default.removeItem(at: target)
    try FileManager.default.copyItem(at: from, to: target)
    return target
}

// MARK: inputs (untimed)

for url in [source, sortedSource] where !FileManager.default.fileExists(atPath: url.path) {
    throw BenchmarkFailure("\(url.lastPathComponent) is missing: run DeltaBenchmark first (it generates the dataset)")
}
try? FileManager.default.removeItem(at: work)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
if !FileManager.default.fileExists(atPath: mergeSource.path) {
    _ = try runJSON(Bench.python, [peerScript, "source", sortedSource.path, mergeSource.path])
}

print("building the base table (\(rows) rows sorted by entity_id, \(baseAppends) appends) and a table of \(smallAppends) appends…")
let sortedBatches = try load(sortedSource)
var writeOptions = WriteOptions()
writeOptions.rowGroupRows = 1_048_576
let baseDirectory = work.appendingPathComponent("base")
let base = try Table.create(store: LocalFileStore(root: baseDirectory.path), path: "", name: "base", schema: sortedBatches[0].schema)
let perAppend = rows / baseAppends
func slices(_ batches: [RecordBatch], from start: Int, count: Int) throws -> [RecordBatch] {
    var out: [RecordBatch] = []
    var offset = 0
    for batch in batches {
        let lower = max(start, offset), upper = min(start + count, offset + batch.rowCount)
        if lower < upper { out.append(try batch.slice((lower - offset)..<(upper - offset))) }
        offset += batch.rowCount
    }
    return out
}
for i in 0..<baseAppends {
    try base.append(try slices(sortedBatches, from: i * perAppend, count: i == baseAppends - 1 ? rows - i * perAppend : perAppend),
                    options: writeOptions)
}
let smallDirectory = work.appendingPathComponent("small-appends")
let small = try Table.create(store: LocalFileStore(root: smallDirectory.path), path: "", name: "small", schema: sortedBatches[0].schema)
let unsorted = try load(source)
for i in 0..<smallAppends {
    try small.append(try slices(unsorted, from: (i * smallAppendRows) % max(1, rows - smallAppendRows), count: smallAppendRows))
}

// MARK: runs

struct Measured {
    var seconds: [Double] = []
    var rss: [Double] = []
    var metrics: [String: Any] = [:]
}

func measure(_ operation: String, table: URL, extra: [String], tarn: Bool) throws -> Measured {
    var measured = Measured()
    for run in 0..<repeats {
        let copy = try copyTable(table, to: "\(tarn ? "tarn" : "deltalake")-\(operation)-\(run)")
        let result = tarn
            ? try runJSON(selfPath, ["child", operation, copy.path] + extra)
            : try runJSON(Bench.python, [peerScript, operation, copy.path] + extra)
        guard let seconds = result["seconds"] as? Double, let rss = result["peak_rss_mb"] as? Double else {
            throw BenchmarkFailure("\(operation) printed \(result)")
        }
        measured.seconds.append(seconds)
        measured.rss.append(rss)
        measured.metrics = result["metrics"] as? [String: Any] ?? [:]
        try? FileManager.default.removeItem(at: copy)
    }
    return measured
}

var table: [Bench.Row] = []
for (operation, directory, extra) in [("merge", baseDirectory, [mergeSource.path]), ("delete", baseDirectory, [String(deleteLimit)]),
                                      ("optimize", smallDirectory, [])] {
    print("\(operation): deltalake then Tarn, \(repeats) runs each…")
    let peer = try measure(operation, table: directory, extra: extra, tarn: false)
    let tarn = try measure(operation, table: directory, extra: extra, tarn: true)
    print("  deltalake metrics \(peer.metrics)")
    print("  tarn metrics      \(tarn.metrics)")
    let label: String
    switch operation {
    case "merge": label = "merge 100k rows (50k upd + 50k ins) into \(rows / 1_000_000)M"
    case "delete": label = "delete 1% (entity_id < \(deleteLimit))"
    default: label = "optimize after \(smallAppends) appends"
    }
    table.append(Bench.Row(label, tarn: Bench.median(tarn.seconds), peer: Bench.median(peer.seconds), peerName: "deltalake"))
    if operation == "merge" {
        table.append(Bench.Row("merge peak RSS", tarn: Bench.median(tarn.rss), peer: Bench.median(peer.rss), unit: "MB",
                               peerName: "deltalake"))
    }
}
Bench.printTable("Operations (median of \(repeats) runs, each a fresh process on a fresh copy)", table)
try? FileManager.default.removeItem(at: work)
