// Feature-store benchmark: 100,000 entities x 20 events (2,000,000 rows: 8 float features,
// an int, a string, a nullable float) in one run — the point-in-time training set for a
// 100,000-row spine vs DuckDB ASOF JOIN and pandas merge_asof; full publish to the online
// store; incremental publish after a 1% upsert; online lookups p50/p99 for 1 and 100 keys
// in process. Inputs are generated and loaded before timing. Prints ratios and the issue's
// goals (Feast 0.67 reference numbers from the issue for publish and lookups).
import BenchmarkSupport
import Dispatch
import Foundation
import TarnColumnar
import TarnIO
import TarnFeatures
import TarnParquet
import TarnTables
#if canImport(Glibc)
import Glibc
#endif

// Tarn's side runs with the allocator policy the tarn CLI sets at startup.
AllocatorPolicy.retainFreedBuffers()

let environment = ProcessInfo.processInfo.environment
let rows = Int(environment["TARN_BENCH_ROWS"] ?? "") ?? 2_000_000
let spineRows = Int(environment["TARN_BENCH_SPINE_ROWS"] ?? "") ?? 100_000
let lookups = Int(environment["TARN_BENCH_LOOKUPS"] ?? "") ?? 100_000
let batchLookups = 2_000
let repeats = 3
let upsertRows = max(1, rows / 100)

// Reference numbers of Feast 0.67 on this machine, from issue 7.
let feastJoinSeconds = 2.0
let feastMaterializeSeconds = 37.0
let feastLookupP50 = 580.0  // µs
let feastLookupP99 = 4_600.0  // µs

let data = Bench.dataDirectory
let source = try Bench.featuresDataset(rows: rows)
let spinePath = data.appendingPathComponent("spine-\(spineRows).parquet")
let root = data.appendingPathComponent("features-lakehouse")

/// CPU seconds (user + system, all threads) of this process so far: with a shared, loaded
/// machine the wall times inflate, CPU time shows the work itself.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Wall and CPU seconds of `body`.
func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let cpu = cpuSeconds()
    let wall = try Bench.time(body)
    return (wall, cpuSeconds() - cpu)
}

func load(_ url: URL) throws -> [RecordBatch] {
    let bytes = [UInt8](try Data(contentsOf: url))
    let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: url.lastPathComponent)
    return try reader.read()
}

if !FileManager.default.fileExists(atPath: spinePath.path) {
    print("generating the spine (\(spineRows) rows)…")
    try runPython([Bench.packageRoot.appendingPathComponent("Peers/features_pit.py").path, "spine", spinePath.path, String(spineRows)])
}

// MARK: Peers (first, so both sides see a warm page cache)

print("DuckDB ASOF JOIN and pandas merge_asof on \(spineRows) spine rows × \(rows) feature rows…")
let peer = try Bench.runPeer("features_pit.py", ["run", source.path, spinePath.path, String(repeats)])
@MainActor func peerNumber(_ key: String) -> Double { (peer[key] as? NSNumber)?.doubleValue ?? .nan }

// MARK: Tarn setup (untimed)

try? FileManager.default.removeItem(at: root)
let features = try FeatureStore(root: root.path)
let online = try OnlineStore(root: root.path)
let table = "bench.events"
let sourceBatches = try load(source)
let spine = try load(spinePath)
print("creating feature table \(table) (\(rows) rows)…")
let createSeconds = try Bench.time {
    try features.createFeatureTable(name: table, primaryKeys: ["entity_id"], timestampKey: "event_ts", initial: sourceBatches)
}
print(String(format: "  created in %.2f s (merge-validated write, untimed below)", createSeconds))

// MARK: Point-in-time training set

let lookup = FeatureLookup(table: table, lookupKey: "entity_id", timestampLookupKey: "ts")
var joinTimes: [Double] = []
var joinCPU: [Double] = []
var trainingSet: TrainingSet? = nil
for _ in 0..<repeats {
    let m = try measure { trainingSet = try features.createTrainingSet(spine: spine, lookups: [lookup]) }
    joinTimes.append(m.wall)
    joinCPU.append(m.cpu)
}
let joinSeconds = Bench.median(joinTimes)
var matched = 0
var f0Sum = 0.0
// Matched rows: the never-null `count` feature is set (the timestamp key is not an output).
if let set = trainingSet, let count = set.batch.column(named: "count"), let f0 = set.batch.column(named: "f0") {
    matched = count.count - count.nullCount
    if let values = f0.values(as: Double.self) {
        for i in 0..<f0.count where f0.isValid(i) { f0Sum += values[i] }
    }
}

// MARK: Online store

var fullTimes: [Double] = []
var fullCPU: [Double] = []
var fullReport: PublishReport? = nil
for _ in 0..<repeats {
    let m = try measure { fullReport = try online.publish(table: table, mode: .full) }
    fullTimes.append(m.wall)
    fullCPU.append(m.cpu)
}
let fullSeconds = Bench.median(fullTimes)

/// A 1% upsert: new latest events for `upsertRows` random entities (an append through the
/// feature-store merge; no existing row matches, so no file is rewritten).
var rng = SystemRandomNumberGenerator()
let yearEnd: Int64 = 1_735_689_600_000_000 + 365 * 86_400_000_000
@MainActor func upsertBatch(round: Int) throws -> RecordBatch {
    var rng = SystemRandomNumberGenerator()
    var ids = Set<Int64>()
    while ids.count < upsertRows { ids.insert(Int64.random(in: 0..<100_000, using: &rng)) }
    let entity = Array(ids)
    let n = entity.count
    var columns: [Column] = [
        try Column(.int64, values: entity),
        try Column(.timestamp(.utc), values: (0..<n).map { Int64(round) * 1_000_000 + yearEnd + Int64($0) }),
    ]
    for _ in 0..<8 { columns.append(try Column(.float64, values: (0..<n).map { _ in Double.random(in: -1...1, using: &rng) })) }
    columns.append(try Column(.int32, values: (0..<n).map { _ in Int32.random(in: 0..<1000, using: &rng) }))
    columns.append(try Column(.string, scalars: (0..<n).map { _ in .string("segment-upsert") }))
    columns.append(try Column(.float64, values: (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) }))
    return try RecordBatch(schema: sourceBatches[0].schema, columns: columns)
}
var incrementalTimes: [Double] = []
var incrementalCPU: [Double] = []
var incrementalReport: PublishReport? = nil
for round in 0..<repeats {
    try features.writeFeatures(name: table, [upsertBatch(round: round)])
    let m = try measure { incrementalReport = try online.publish(table: table, mode: .incremental) }
    incrementalTimes.append(m.wall)
    incrementalCPU.append(m.cpu)
}
let incrementalSeconds = Bench.median(incrementalTimes)

// Single-key lookups: warm up, then time each call.
let keyIDs = (0..<lookups).map { _ in Int64.random(in: 0..<100_000, using: &rng) }
for id in keyIDs.prefix(10_000) { _ = try online.lookup(table: table, key: [.int(id)]) }
var single: [Double] = []
single.reserveCapacity(lookups)
var hits = 0
for id in keyIDs {
    let start = DispatchTime.now().uptimeNanoseconds
    let row = try online.lookup(table: table, key: [.int(id)])
    single.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
    if row != nil { hits += 1 }
}
// 100-key batch lookups.
var batched: [Double] = []
for b in 0..<batchLookups {
    let ids = (0..<100).map { keyIDs[(b * 100 + $0) % keyIDs.count] }
    let keys = try RecordBatch(schema: Schema([Field("entity_id", .int64)]), columns: [Column(.int64, values: ids)])
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try online.lookup(table: table, keys: keys)
    batched.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
}

// MARK: Report

print("\ntraining set columns: \(trainingSet?.schema.names.joined(separator: ", ") ?? "-")")
print("check: matched spine rows tarn \(matched), duckdb \(Int(peerNumber("duckdb_matched"))), pandas \(Int(peerNumber("pandas_matched")))")
print(String(format: "check: sum of f0 over matches tarn %.6f, duckdb %.6f, pandas %.6f", f0Sum, peerNumber("duckdb_f0_sum"), peerNumber("pandas_f0_sum")))
if let fullReport {
    print("full publish: \(fullReport.rowsRead) rows read, \(fullReport.state.rowCount) keys online, \(fullReport.filesRead) files")
}
if let incrementalReport {
    print("incremental publish (\(upsertRows) upserted rows): mode \(incrementalReport.state.mode.rawValue), \(incrementalReport.filesRead) file(s) read, \(incrementalReport.rowsWritten) rows written")
}
print("lookups: \(hits) of \(lookups) single-key lookups found a row")
print(String(format: "CPU seconds (medians; wall times include waiting on a loaded machine): training set %.3f, full publish %.3f, incremental publish %.3f",
             Bench.median(joinCPU), Bench.median(fullCPU), Bench.median(incrementalCPU)))

Bench.printTable("Feature store: point-in-time training set (\(spineRows) spine rows, \(rows) feature rows)", [
    Bench.Row("training set vs DuckDB ASOF JOIN", tarn: joinSeconds, peer: peerNumber("duckdb_asof_s"), peerName: "duckdb"),
    Bench.Row("training set vs pandas merge_asof", tarn: joinSeconds, peer: peerNumber("pandas_merge_asof_s"), peerName: "pandas"),
    Bench.Row("training set vs Feast (issue)", tarn: joinSeconds, peer: feastJoinSeconds, peerName: "feast 0.67"),
])
Bench.printTable("Feature store: online store (SQLite, in process)", [
    Bench.Row("full publish (\(rows) rows)", tarn: fullSeconds, peer: feastMaterializeSeconds, peerName: "feast materialize"),
    Bench.Row("incremental publish (1% upsert)", tarn: incrementalSeconds, peer: feastMaterializeSeconds, peerName: "feast materialize"),
    Bench.Row("1-key lookup p50", tarn: Bench.percentile(single, 50), peer: feastLookupP50, unit: "us", peerName: "feast"),
    Bench.Row("1-key lookup p99", tarn: Bench.percentile(single, 99), peer: feastLookupP99, unit: "us", peerName: "feast"),
    Bench.Row("100-key lookup p50", tarn: Bench.percentile(batched, 50), peer: feastLookupP50, unit: "us", peerName: "feast 1-key"),
    Bench.Row("100-key lookup p99", tarn: Bench.percentile(batched, 99), peer: feastLookupP99, unit: "us", peerName: "feast 1-key"),
])

func verdict(_ ok: Bool) -> String { ok ? "met" : "NOT met" }
let duckdb = peerNumber("duckdb_asof_s")
let p50 = Bench.percentile(single, 50)
let p99 = Bench.percentile(single, 99)
print("\n== Goals (issue 7) ==")
print(String(format: "join at least as fast as DuckDB ASOF JOIN: %.3f s vs %.3f s — %@", joinSeconds, duckdb, verdict(joinSeconds <= duckdb)))
print(String(format: "publish 10x faster than Feast's 37 s materialize (< 3.7 s): full %.3f s — %@", fullSeconds, verdict(fullSeconds < feastMaterializeSeconds / 10)))
print(String(format: "1-key lookup p50 < 50 µs: %.1f µs — %@", p50, verdict(p50 < 50)))
print(String(format: "1-key lookup p99 < 250 µs: %.1f µs — %@", p99, verdict(p99 < 250)))
