// `tarn demo`: a short tour on the embedded default (./lakehouse or --root / TARN_ROOT).
// Creates a partitioned Delta table, appends to it, overwrites a slice, reads old
// versions back (time travel), shows history, detail and file skipping, and writes a
// plain Parquet file. Running it again starts the demo table afresh.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnLog
import TarnParquet
import TarnTables

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a short tour of Tarn on the lakehouse root."
    )

    @OptionGroup var root: RootOption

    @Option(name: .long, help: "Rows per append.")
    var rows: Int = 100_000

    func validate() throws {
        if rows < 8 || rows > 10_000_000 { throw ValidationError("--rows must be between 8 and 10,000,000") }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let id = try TableIdentifier(parsing: "demo.events")
            print("Tarn \(TarnVersion.string) demo — lakehouse root: \(root.path)")
            try catalog.dropTable(id, ifExists: true)

            // 1. A partitioned table and three appends: versions 0..3.
            let batch0 = try DemoData.events(rows: rows, firstID: 0)
            let table = try catalog.createTable(id, schema: batch0.schema, partitionColumns: ["segment"],
                                                description: "feature-style events for the demo")
            print("\n1. Created table \(id) partitioned by segment (version 0)")
            for round in 0..<3 {
                let batch = round == 0 ? batch0 : try DemoData.events(rows: rows, firstID: Int64(round * rows))
                let start = Date()
                let result = try table.append([batch])
                print("   append \(round + 1): \(result.rowsWritten) rows in \(result.filesAdded) files -> version \(result.version ?? -1) (\(Int(Date().timeIntervalSince(start) * 1000)) ms)")
            }

            // 2. Overwrite everything with a smaller batch: version 4.
            let replaced = try table.overwrite([try DemoData.events(rows: rows / 4, firstID: 1_000_000_000)])
            print("\n2. Overwrote the table with \(replaced.rowsWritten) rows -> version \(replaced.version ?? -1) (removed \(replaced.filesRemoved) files)")

            // 3. Time travel: every version is still readable.
            print("\n3. Time travel — rows per version:")
            for version in 0...4 {
                let count = try table.scan(columns: ["entity_id"], asOf: .version(Int64(version))).count()
                print("   VERSION AS OF \(version): \(count) rows")
            }
            let history = try table.history()
            if let v2 = history.first(where: { $0.version == 2 }) {
                let scan = try table.scan(columns: ["entity_id"], asOf: .timestamp(v2.timestamp * 1000))
                print("   TIMESTAMP AS OF \(TemporalFormat.timestamp(v2.timestamp * 1000, zone: .utc)): \(try scan.count()) rows (version \(scan.snapshot.version))")
            }

            // 4. File skipping: partition and min/max statistics prune before reading.
            let predicate = Predicate.and(.comparison(column: "segment", op: .equal, value: .string("segment-3")),
                                          .comparison(column: "entity_id", op: .less, value: .int(Int64(rows / 2))))
            let scan = try table.scan(columns: ["entity_id", "event_ts", "segment", "f0"], predicate: predicate, asOf: .version(3))
            let matched = try scan.batches()
            print("\n4. Scan of version 3 WHERE \(predicate): read \(scan.files.count) of \(scan.totalFiles) files, \(matched.reduce(0) { $0 + $1.rowCount }) rows; the first three:")
            if let first = matched.first {
                print(PrettyTableWriter().write([try first.slice(0..<min(3, first.rowCount))], schema: first.schema), terminator: "")
            }

            // 5. History, as DESCRIBE HISTORY shows it.
            print("\n5. History:")
            for record in history {
                let op = record.commitInfo?.operation ?? "?"
                let mode = record.commitInfo?.operationParameters?["mode"].map { " (\($0))" } ?? ""
                print("   version \(record.version)  \(TemporalFormat.timestamp(record.timestamp * 1000, zone: .utc))  \(op)\(mode)")
            }
            let detail = try table.detail()
            print("   now: version \(detail.version), \(detail.numFiles) files, \(detail.sizeInBytes) bytes at \(detail.location)")

            // 6. A plain Parquet file, for the file tools.
            let file = URL(fileURLWithPath: root.path).appendingPathComponent("_demo/events.zstd.parquet")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let bytes = try ParquetFileWriter.write([batch0], schema: batch0.schema)
            try Data(bytes).write(to: file, options: .atomic)
            print("\n6. Wrote \(file.path) (\(bytes.count) bytes, zstd)")
            print("\nTry: tarn history demo.events --root \(root.path)")
            print("     tarn export demo.events out.csv --format csv --version 1 --root \(root.path)")
            print("     tarn parquet meta \(file.path)")
        }
    }
}

/// Deterministic demo rows: entity_id, event_ts, segment (8 values), f0..f2 (f2 with nulls).
enum DemoData {
    static func events(rows: Int, firstID: Int64) throws -> RecordBatch {
        var ids = [Int64](), ts = [Int64](), f0 = [Double](), f1 = [Double](), f2 = [Double?]()
        ids.reserveCapacity(rows)
        var segments = BytesColumnBuilder(capacity: rows)
        var state = UInt64(bitPattern: firstID) &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let start: Int64 = 1_764_374_400_000_000  // 2025-11-29T00:00:00Z
        for i in 0..<rows {
            let id = firstID + Int64(i)
            ids.append(id)
            ts.append(start + id * 1_000_000)
            f0.append(Double(next() % 10_000) / 100)
            f1.append(Double(Int64(bitPattern: next()) % 1000) / 10)
            f2.append(i % 10 == 3 ? nil : Double(next() % 1000) / 1000)
            try segments.append("segment-\(next() % 8)")
        }
        let schema = Schema([
            Field("entity_id", .int64, nullable: false), Field("event_ts", .timestamp(.utc), nullable: false),
            Field("segment", .string), Field("f0", .float64), Field("f1", .float64), Field("f2", .float64),
        ])
        return try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: ids), try Column(.timestamp(.utc), values: ts),
            try segments.finish(.string), try Column(.float64, values: f0), try Column(.float64, values: f1),
            try Column(.float64, f2),
        ])
    }
}
