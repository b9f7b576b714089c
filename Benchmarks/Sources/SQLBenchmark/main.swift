// SQL benchmark: Tarn SQL vs DuckDB (over the same table's Parquet files) and deltalake's
// scan (its DataFusion QueryBuilder) on the 2M-row features dataset: count(*), a selective
// filter, GROUP BY segment, top-k, a join with a 100k-row dimension table and a
// time-travel read of an old version. Tables are written before timing; each timed Tarn
// query parses, plans (log replay, footers) and runs to materialized batches.
// `SQLBenchmark profile QUERY [N]` repeats one Tarn query on the tables of a previous run.
import BenchmarkSupport
import Foundation
import TarnColumnar
import TarnIO
import TarnParquet
import TarnSQL
import TarnTables

// Tarn's side runs with the allocator policy the tarn CLI sets at startup.
AllocatorPolicy.retainFreedBuffers()

let environment = ProcessInfo.processInfo.environment
let rows = Int(environment["TARN_BENCH_ROWS"] ?? "") ?? 2_000_000
let repeats = Int(environment["TARN_BENCH_REPEATS"] ?? "") ?? 5
let dimensionRows = 100_000
let rowGroupRows = 1_048_576

let data = Bench.dataDirectory
let source = try Bench.featuresDataset(rows: rows)
let lakehouse = data.appendingPathComponent("sql-lakehouse")

/// The queries, with `{features}`, `{dim}`, `{features_v1}` standing for the tables.
let queries: [(name: String, sql: String)] = [
    ("count(*)", "SELECT count(*) FROM {features}"),
    ("selective filter", "SELECT entity_id, f0, score FROM {features} WHERE entity_id < 1000 AND f1 > 0"),
    ("GROUP BY segment", "SELECT segment, avg(f0), count(*) FROM {features} GROUP BY segment"),
    ("top-k f0 DESC LIMIT 10", "SELECT entity_id, f0 FROM {features} ORDER BY f0 DESC LIMIT 10"),
    ("join 100k dimension", "SELECT d.region, count(*), avg(f.f1) FROM {features} f JOIN {dim} d ON f.entity_id = d.entity_id GROUP BY d.region"),
    ("time travel v1 read", "SELECT * FROM {features_v1}"),
]

func tarnSQL(_ sql: String) -> String {
    sql.replacingOccurrences(of: "{features_v1}", with: "bench.features VERSION AS OF 1")
        .replacingOccurrences(of: "{features}", with: "bench.features")
        .replacingOccurrences(of: "{dim}", with: "bench.dim")
}

func runQuery(_ sql: String, catalog: Catalog) throws -> Int {
    let parsed = try SQLParser.parse(sql)
    guard parsed.count == 1, case let .query(query) = parsed[0].statement else { throw BenchmarkFailure("not a query: \(sql)") }
    return try QueryRunner.run(query, context: QueryContext(catalog: catalog)).rowCount
}


let profileQuery = CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "profile" ? CommandLine.arguments[2] : nil
if let profileQuery {
    let catalog = try Catalog(root: lakehouse.path)
    guard let query = queries.first(where: { $0.name.hasPrefix(profileQuery) }) else {
        throw BenchmarkFailure("unknown query \(profileQuery); one of: \(queries.map(\.name).joined(separator: ", "))")
    }
    let n = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 20 : 20
    var times: [Double] = []
    for _ in 0..<n { times.append(try Bench.time { _ = try runQuery(tarnSQL(query.sql), catalog: catalog) }) }
    print("\(query.name): median \(String(format: "%.1f", Bench.median(times) * 1000)) ms over \(n)")
    exit(0)
}

// MARK: Tables (untimed)

print("writing the Tarn tables (features in two appends, dimension \(dimensionRows) rows)…")
try? FileManager.default.removeItem(at: lakehouse)
let catalog = try Catalog(root: lakehouse.path)
let bytes = [UInt8](try Data(contentsOf: source))
let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: source.lastPathComponent)
let batches = try reader.read()
var options = WriteOptions()
options.rowGroupRows = rowGroupRows
let features = try catalog.createTable(TableIdentifier(namespace: "bench", name: "features"), schema: reader.schema)
let half = rows / 2
var first: [RecordBatch] = [], second: [RecordBatch] = []
var offset = 0
for batch in batches {
    let end = offset + batch.rowCount
    if end <= half { first.append(batch) } else if offset >= half { second.append(batch) } else {
        first.append(try batch.slice(0..<(half - offset)))
        second.append(try batch.slice((half - offset)..<batch.rowCount))
    }
    offset = end
}
try features.append(first, options: options)   // version 1
try features.append(second, options: options)  // version 2
let dimensionSchema = Schema([Field("entity_id", .int64), Field("region", .string), Field("weight", .float64)])
let dimension = try catalog.createTable(TableIdentifier(namespace: "bench", name: "dim"), schema: dimensionSchema)
try dimension.append([try RecordBatch(schema: dimensionSchema, columns: [
    try Column(.int64, values: (0..<Int64(dimensionRows)).map { $0 }),
    try Column(strings: (0..<dimensionRows).map { "region-\($0 % 20)" }),
    try Column(.float64, values: (0..<dimensionRows).map { Double($0 % 97) / 7 }),
])])

func files(_ table: Table, version: Int64? = nil) throws -> [String] {
    let directory = lakehouse.appendingPathComponent(table.path).path
    return try table.snapshot(asOf: version.map { .version($0) }).files.map { "\(directory)/\($0.decodedPath)" }
}

// MARK: Peers

/// The peers' manifest for some of the queries (same tables, same files as Tarn's snapshots).
func manifest(for selected: [(name: String, sql: String)]) throws -> URL {
    let manifest: [String: Any] = [
        "tables": [
            "features": ["delta": lakehouse.appendingPathComponent("bench/features").path, "version": NSNull(), "files": try files(features)],
            "features_v1": ["delta": lakehouse.appendingPathComponent("bench/features").path, "version": 1, "files": try files(features, version: 1)],
            "dim": ["delta": lakehouse.appendingPathComponent("bench/dim").path, "version": NSNull(), "files": try files(dimension)],
        ],
        "queries": selected.map { ["name": $0.name, "sql": $0.sql] },
    ]
    let url = data.appendingPathComponent("sql-manifest.json")
    try JSONSerialization.data(withJSONObject: manifest).write(to: url)
    return url
}

// MARK: Peers and Tarn, query by query

// Each query runs on the peers and then on Tarn right after, so a change in machine
// load (other processes, thermal state) touches both sides of a ratio alike.
print("\(queries.count) queries × \(repeats), each on duckdb and deltalake, then on tarn…")
var peer: [String: Any] = ["duckdb": [String: Any](), "deltalake": [String: Any](), "rows": ["duckdb": [String: Any](), "deltalake": [String: Any]()]]
var tarnTimes: [String: [Double]] = [:]
var tarnRows: [String: Int] = [:]
for query in queries {
    let result = try Bench.runPeer("duckdb_sql.py", [try manifest(for: [query]).path, String(repeats)])
    for engine in ["duckdb", "deltalake"] {
        var times = peer[engine] as? [String: Any] ?? [:]
        times[query.name] = (result[engine] as? [String: Any])?[query.name]
        peer[engine] = times
        var rows = peer["rows"] as? [String: Any] ?? [:]
        var engineRows = rows[engine] as? [String: Any] ?? [:]
        engineRows[query.name] = ((result["rows"] as? [String: Any])?[engine] as? [String: Any])?[query.name]
        rows[engine] = engineRows
        peer["rows"] = rows
    }
    let sql = tarnSQL(query.sql)
    _ = try runQuery(sql, catalog: catalog)  // warm-up, as the peers' first repeat warms their caches
    var times: [Double] = []
    for _ in 0..<repeats {
        times.append(try Bench.time { tarnRows[query.name] = try runQuery(sql, catalog: catalog) })
    }
    tarnTimes[query.name] = times
}

// MARK: Report

func peerTimes(_ engine: String, _ name: String, in peer: [String: Any]) -> [Double] {
    ((peer[engine] as? [String: Any])?[name] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
}

func peerRows(_ engine: String, _ name: String, in peer: [String: Any]) -> Int {
    (((peer["rows"] as? [String: Any])?[engine] as? [String: Any])?[name] as? NSNumber)?.intValue ?? -1
}

var table: [Bench.Row] = []
for query in queries {
    let tarn = Bench.median(tarnTimes[query.name] ?? []) * 1000
    table.append(.init("\(query.name)", tarn: tarn, peer: Bench.median(peerTimes("duckdb", query.name, in: peer)) * 1000, unit: "ms", peerName: "duckdb"))
    table.append(.init("  vs deltalake", tarn: tarn, peer: Bench.median(peerTimes("deltalake", query.name, in: peer)) * 1000, unit: "ms", peerName: "deltalake"))
}
Bench.printTable("SQL: \(rows) rows features table (2 versions), \(dimensionRows)-row dimension, medians of \(repeats)", table)
print("(a ratio below 1 means Tarn is faster; each Tarn query parses, plans and runs to materialized batches, opening the table each time)")
for query in queries {
    let ours = tarnRows[query.name] ?? -1, duck = peerRows("duckdb", query.name, in: peer), delta = peerRows("deltalake", query.name, in: peer)
    if ours != duck || (delta >= 0 && ours != delta) {
        print("warning: \(query.name) rows differ: tarn \(ours), duckdb \(duck), deltalake \(delta)")
    }
}
