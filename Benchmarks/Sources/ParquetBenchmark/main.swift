// Parquet benchmark: Tarn vs pyarrow on the same 2M-row feature dataset, in one run.
// Both sides load the same uncompressed source into memory first (untimed), then write
// it with zstd at the same row-group size and read the written file back in full,
// three times each; medians, rows/s, file sizes and Tarn/pyarrow ratios are printed.
import BenchmarkSupport
import Foundation
import TarnColumnar
import TarnIO
import TarnParquet

// Tarn's side runs with the allocator policy the tarn CLI sets at startup.
AllocatorPolicy.retainFreedBuffers()

let rows = Int(ProcessInfo.processInfo.environment["TARN_BENCH_ROWS"] ?? "") ?? 2_000_000
let repeats = 3
let rowGroupRows = 1_048_576

let data = Bench.dataDirectory
let source = try Bench.featuresDataset(rows: rows)

// pyarrow first, so both sides see a warm page cache for the source.
print("pyarrow: \(repeats) writes and reads…")
let peer = try Bench.runPeer("pyarrow_parquet.py", [source.path, data.path, String(repeats), String(rowGroupRows)])
let peerWrite = Bench.median((peer["write"] as? [Double]) ?? [])
let peerRead = Bench.median((peer["read"] as? [Double]) ?? [])
let peerSize = Double((peer["size"] as? Int) ?? 0)

print("tarn: \(repeats) writes and reads…")
let sourceBytes = [UInt8](try Data(contentsOf: source))
let sourceReader = try ParquetFileReader(input: ParquetBytesInput(sourceBytes), name: source.lastPathComponent)
let batches = try sourceReader.read()
let schema = sourceReader.schema
let output = data.appendingPathComponent("tarn.zstd.parquet")
var writes: [Double] = [], reads: [Double] = [], size = 0
for _ in 0..<repeats {
    try? FileManager.default.removeItem(at: output)
    writes.append(try Bench.time {
        var options = ParquetWriteOptions(codec: .zstd)
        options.rowGroupRows = rowGroupRows
        let bytes = try ParquetFileWriter.write(batches, schema: schema, options: options)
        try Data(bytes).write(to: output)
        size = bytes.count
    })
    var readRows = 0
    reads.append(try Bench.time {
        let bytes = [UInt8](try Data(contentsOf: output))
        let reader = try ParquetFileReader(input: ParquetBytesInput(bytes), name: output.lastPathComponent)
        readRows = try reader.read().reduce(0) { $0 + $1.rowCount }
    })
    guard readRows == rows else { throw Bench.PeerFailed(description: "Tarn read \(readRows) rows, expected \(rows)") }
}
let tarnWrite = Bench.median(writes), tarnRead = Bench.median(reads)

Bench.printTable("Parquet: \(rows) rows, zstd, \(rowGroupRows)-row groups (median of \(repeats))", [
    .init("write (wall)", tarn: tarnWrite, peer: peerWrite, peerName: "pyarrow"),
    .init("full read (wall)", tarn: tarnRead, peer: peerRead, peerName: "pyarrow"),
    .init("write throughput", tarn: Double(rows) / tarnWrite, peer: Double(rows) / peerWrite, unit: "rows/s", peerName: "pyarrow"),
    .init("read throughput", tarn: Double(rows) / tarnRead, peer: Double(rows) / peerRead, unit: "rows/s", peerName: "pyarrow"),
    .init("file size", tarn: Double(size) / 1e6, peer: peerSize / 1e6, unit: "MB", peerName: "pyarrow"),
])
print("(times and sizes: a ratio below 1 means Tarn is faster/smaller; throughput: above 1 means Tarn is faster)")
