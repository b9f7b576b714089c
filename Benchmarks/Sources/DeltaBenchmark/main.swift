// Delta benchmark: Tarn tables vs deltalake (delta-rs) on the same feature dataset, in one
// run: one zstd write, full scan, a filtered scan that file statistics can skip, per-commit
// latency of small appends, and cold snapshot loads with and without checkpoints.
// Inputs are generated and loaded before timing; deleting tables between repeats is untimed.
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
let appends = Int(environment["TARN_BENCH_APPENDS"] ?? "") ?? 300
let appendRows = 1_000
let repeats = 3
let snapshotRepeats = 5
let rowGroupRows = 1_048_576
let sortedParts = 8
let filterLimit: Int64 = 5_000

let data = Bench.dataDirectory
let work = data.appendingPathComponent("delta")
let source = try Bench.featuresDataset(rows: rows)
let sortedSource = data.appendingPathComponent("features-\(rows)-sorted.parquet")

if !FileManager.default.fileExists(atPath: sortedSource.path) {
    print("sorting the dataset by entity_id…")
    try runPython([Bench.packageRoot.appendingPathComponent("Peers/deltalake_delta.py").path, "sort", source.path, sortedSource.path])
}
// `DeltaBenchmark profile SECTION [N]` repeats one Tarn section N times on the tables a
// previous full run left in .data/delta, without the peer (for perf/callgrind).
let profileSection = CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "profile"
    ? CommandLine.arguments.dropFirst(2).first : nil
let profileRepeats = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 20 : 20

var peer: [String: Any] = [:]
if profileSection == nil {
    try? FileManager.default.removeItem(at: work)
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    // deltalake first, so both sides see a warm page cache for the inputs.
    print("deltalake: write, scans, \(2 * appends) appends, snapshot loads…")
    peer = try Bench.runPeer("deltalake_delta.py", [
        "run", source.path, sortedSource.path, work.path, String(repeats), String(rowGroupRows),
        String(appends), String(appendRows), String(snapshotRepeats),
    ])
}

// MARK: Tarn

func load(_ url: URL) throws -> (Schema, [RecordBatch]) {
    let bytes = [UInt8](try Data(contentsOf: url))
    let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: url.lastPathComponent)
    return (reader.schema, try reader.read())
}

/// Rows `start..<start+count` of a list of batches, as slices (no copies).
func rowsOf(_ batches: [RecordBatch], from start: Int, count: Int) throws -> [RecordBatch] {
    var out: [RecordBatch] = []
    var offset = 0
    var wanted = start..<(start + count)
    for batch in batches {
        let here = offset..<(offset + batch.rowCount)
        let overlap = wanted.clamped(to: here)
        if !overlap.isEmpty {
            out.append(try batch.slice((overlap.lowerBound - offset)..<(overlap.upperBound - offset)))
            wanted = overlap.upperBound..<wanted.upperBound
        }
        offset = here.upperBound
        if wanted.isEmpty { break }
    }
    return out
}

func createTable(_ directory: URL, schema: Schema, properties: [String: String] = [:]) throws -> Table {
    try? FileManager.default.removeItem(at: directory)
    return try Table.create(store: LocalFileStore(root: directory.path), path: "", name: directory.lastPathComponent,
                            schema: schema, properties: properties)
}

print("tarn: write, scans, \(2 * appends) appends, snapshot loads…")
let (schema, batches) = try load(source)
let (_, sortedBatches) = try load(sortedSource)
let options: WriteOptions = {
    var options = WriteOptions()
    options.codec = .zstd
    options.rowGroupRows = rowGroupRows
    return options
}()

if let section = profileSection {
    let predicate = Predicate.comparison(column: "entity_id", op: .less, value: .int(filterLimit))
    var times: [Double] = []
    let appendTable = section == "append"
        ? try createTable(work.appendingPathComponent("tarn-profile-append"), schema: schema) : nil
    for i in 0..<profileRepeats {
        switch section {
        case "append":
            let chunk = try rowsOf(batches, from: (i * appendRows) % max(1, rows - appendRows), count: appendRows)
            times.append(try Bench.time { try appendTable?.append(chunk, options: options) })
        case "write":
            let table = try createTable(work.appendingPathComponent("tarn-profile-write"), schema: schema)
            times.append(try Bench.time { try table.append(batches, options: options) })
        case "scan":
            times.append(try Bench.time { _ = try Table.open(directory: work.appendingPathComponent("tarn-write").path).scan().batches() })
        case "filtered":
            times.append(try Bench.time {
                _ = try Table.open(directory: work.appendingPathComponent("tarn-sorted").path).scan(predicate: predicate).batches()
            })
        case "snapshot0", "snapshotmid", "snapshotlatest":
            let version: Int64? = section == "snapshot0" ? 0 : (section == "snapshotmid" ? Int64(appends / 2) : nil)
            let directory = work.appendingPathComponent(environment["TARN_PROFILE_TABLE"] ?? "tarn-appends-ckpt").path
            times.append(try Bench.time {
                _ = try DeltaLog(store: LocalFileStore(root: directory), tablePath: "").snapshot(asOf: version.map { .version($0) })
            })
        default:
            throw BenchmarkFailure("unknown section \(section): append, write, scan, filtered, snapshot0, snapshotmid, snapshotlatest")
        }
    }
    print("\(section): median \(String(format: "%.3f", Bench.median(times) * 1_000)) ms over \(profileRepeats)")
    exit(0)
}

// 1. One write of the whole dataset into a fresh table (table creation untimed).
let writeTable = work.appendingPathComponent("tarn-write")
var writes: [Double] = []
var writeBytes: Int64 = 0, writeFiles = 0
for _ in 0..<repeats {
    let table = try createTable(writeTable, schema: schema)
    writes.append(try Bench.time { try table.append(batches, options: options) })
    let detail = try table.detail()
    writeBytes = detail.sizeInBytes
    writeFiles = detail.numFiles
}

// 2. Full scan into memory, opening the table each time (as deltalake does).
var scans: [Double] = []
for _ in 0..<repeats {
    var scanned = 0
    scans.append(try Bench.time {
        scanned = try Table.open(directory: writeTable.path).scan().batches().reduce(0) { $0 + $1.rowCount }
    })
    guard scanned == rows else { throw BenchmarkFailure("Tarn scanned \(scanned) rows, expected \(rows)") }
}

// 3. Filtered scan over 8 appends of the sorted data (disjoint entity_id ranges per file).
let sortedTable = work.appendingPathComponent("tarn-sorted")
do {
    let table = try createTable(sortedTable, schema: schema)
    let perPart = (rows + sortedParts - 1) / sortedParts
    for part in 0..<sortedParts {
        let start = part * perPart
        try table.append(try rowsOf(sortedBatches, from: start, count: min(perPart, rows - start)), options: options)
    }
}
let predicate = Predicate.comparison(column: "entity_id", op: .less, value: .int(filterLimit))
var filtered: [Double] = []
var filteredRows = 0, filteredFiles = 0, filteredTotal = 0
for _ in 0..<max(repeats, 5) {
    filtered.append(try Bench.time {
        let scan = try Table.open(directory: sortedTable.path).scan(predicate: predicate)
        filteredRows = try scan.batches().reduce(0) { $0 + $1.rowCount }
        filteredFiles = scan.files.count
        filteredTotal = scan.totalFiles
    })
}

// 4 and 5. Appends of 1,000 rows, then cold snapshot loads, with and without checkpoints.
struct AppendRun {
    var latencies: [Double] = []
    var loads: [String: [Double]] = [:]
    var checkpoints: [Int] = []
}

func appendRun(_ label: String, interval: String) throws -> AppendRun {
    let directory = work.appendingPathComponent("tarn-appends-\(label)")
    let table = try createTable(directory, schema: schema, properties: ["delta.checkpointInterval": interval])
    let chunks = try (0..<appends).map { i in
        try rowsOf(batches, from: (i * appendRows) % max(1, rows - appendRows), count: appendRows)
    }
    var run = AppendRun()
    for chunk in chunks {
        run.latencies.append(try Bench.time { try table.append(chunk, options: options) })
    }
    let logDirectory = directory.appendingPathComponent("_delta_log")
    run.checkpoints = try FileManager.default.contentsOfDirectory(atPath: logDirectory.path)
        .filter { $0.contains(".checkpoint.") }
        .compactMap { $0.split(separator: ".").first.flatMap { Int($0) } }
        .sorted()
    for (key, version) in [("0", Int64?.some(0)), ("mid", Int64(appends / 2)), ("latest", nil)] {
        var times: [Double] = []
        for _ in 0..<snapshotRepeats {
            var loaded: Int64 = -1
            times.append(try Bench.time {
                let log = DeltaLog(store: LocalFileStore(root: directory.path), tablePath: "")
                loaded = try log.snapshot(asOf: version.map { .version($0) }).version
            })
            guard loaded == version ?? Int64(appends) else {
                throw BenchmarkFailure("Tarn loaded version \(loaded), expected \(version ?? Int64(appends))")
            }
        }
        run.loads[key] = times
    }
    return run
}
let withCheckpoints = try appendRun("ckpt", interval: "10")
let withoutCheckpoints = try appendRun("nockpt", interval: "1000000")

// MARK: Report

func doubles(_ key: String, in object: [String: Any]) -> [Double] {
    (object[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
}

func peerLoads(_ label: String, in peer: [String: Any]) -> [String: [Double]] {
    guard let loads = peer["snapshot_\(label)"] as? [String: Any] else { return [:] }
    var out: [String: [Double]] = [:]
    for key in loads.keys { out[key] = doubles(key, in: loads) }
    return out
}

let peerFilteredVariants = (peer["filtered"] as? [String: Any]).map { variants in
    variants.keys.sorted().map { ($0, Bench.median(doubles($0, in: variants))) }
} ?? []
let fastestFiltered = peerFilteredVariants.min { $0.1 < $1.1 } ?? ("none", .nan)
let peerFilteredRows = (peer["filtered_rows"] as? [String: Any])?[fastestFiltered.0] as? Int ?? -1
if peerFilteredRows != filteredRows {
    print("warning: filtered rows differ: Tarn \(filteredRows), deltalake \(peerFilteredRows)")
}

let ms = 1_000.0
var table: [Bench.Row] = [
    .init("write \(rows) rows (s)", tarn: Bench.median(writes), peer: Bench.median(doubles("write", in: peer)), peerName: "deltalake"),
    .init("  data size", tarn: Double(writeBytes) / 1e6, peer: Double((peer["write_bytes"] as? Int) ?? 0) / 1e6, unit: "MB", peerName: "deltalake"),
    .init("  data files", tarn: Double(writeFiles), peer: Double((peer["write_files"] as? Int) ?? 0), unit: "files", peerName: "deltalake"),
    .init("full scan (s)", tarn: Bench.median(scans), peer: Bench.median(doubles("scan", in: peer)), peerName: "deltalake"),
    .init("filtered scan entity_id<\(filterLimit)", tarn: Bench.median(filtered) * ms, peer: fastestFiltered.1 * ms, unit: "ms",
          peerName: "deltalake \(fastestFiltered.0)"),
    .init("  files read (of \(filteredTotal))", tarn: Double(filteredFiles), peer: Double((peer["filtered_files"] as? Int) ?? -1),
          unit: "files", peerName: "deltalake"),
]
for (label, run) in [("ckpt", withCheckpoints), ("nockpt", withoutCheckpoints)] {
    let name = label == "ckpt" ? "interval 10" : "no checkpoint"
    let peerLatencies = doubles("append_\(label)", in: peer)
    table.append(.init("append \(appendRows) rows p50, \(name)", tarn: Bench.median(run.latencies) * ms,
                       peer: Bench.median(peerLatencies) * ms, unit: "ms", peerName: "deltalake"))
    table.append(.init("append \(appendRows) rows p99, \(name)", tarn: Bench.percentile(run.latencies, 99) * ms,
                       peer: Bench.percentile(peerLatencies, 99) * ms, unit: "ms", peerName: "deltalake"))
    let peerSnapshot = peerLoads(label, in: peer)
    for (key, title) in [("0", "v0"), ("mid", "v\(appends / 2)"), ("latest", "latest v\(appends)")] {
        table.append(.init("snapshot \(title), \(name)", tarn: Bench.median(run.loads[key] ?? []) * ms,
                           peer: Bench.median(peerSnapshot[key] ?? []) * ms, unit: "ms", peerName: "deltalake"))
    }
}
Bench.printTable("Delta: \(rows) rows, zstd, \(rowGroupRows)-row groups; \(appends) appends of \(appendRows) rows (medians)", table)
print("(a ratio below 1 means Tarn is faster/smaller; write/scans median of \(repeats), filtered scan of \(max(repeats, 5)), snapshot loads of \(snapshotRepeats), cold: a new DeltaLog / DeltaTable each)")
print("deltalake filtered-scan paths (median ms): " + peerFilteredVariants.map { "\($0.0) " + String(format: "%.1f", $0.1 * ms) }.joined(separator: ", "))
print("filtered scan rows: Tarn \(filteredRows), deltalake \(peerFilteredRows); appends: Tarn holds one Table, deltalake one DeltaTable (write_deltalake(dt, ...)); Tarn fsyncs data and commit files, deltalake does not")
print("checkpoint versions, interval 10: Tarn \(withCheckpoints.checkpoints.prefix(3).map(String.init).joined(separator: ","))…, deltalake \(((peer["checkpoints_ckpt"] as? [Int]) ?? []).prefix(3).map(String.init).joined(separator: ","))…")
