// `tarn demo`: a short tour on the embedded default. Writes a feature-style dataset as
// a Parquet file under the lakehouse root, reads it back with projection and row-group
// pruning, and prints what it did.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnParquet

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a short tour of Tarn on the lakehouse root."
    )

    @OptionGroup var root: RootOption

    @Option(name: .long, help: "Rows to generate.")
    var rows: Int = 100_000

    func validate() throws {
        if rows < 1 || rows > 50_000_000 { throw ValidationError("--rows must be between 1 and 50,000,000") }
    }

    func run() throws {
        try reportingErrors {
            let directory = URL(fileURLWithPath: root.path).appendingPathComponent("_demo")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("events.zstd.parquet")
            print("Tarn \(TarnVersion.string) demo — lakehouse root: \(root.path)")

            // 1. Build a batch of feature-style rows.
            let batch = try DemoData.events(rows: rows)
            print("\n1. Built \(batch.rowCount) rows in memory: \(batch.schema)")

            // 2. Write it as Parquet (zstd, several row groups, statistics).
            var options = ParquetWriteOptions()
            options.rowGroupRows = max(1, rows / 4)
            let start = Date()
            let bytes = try ParquetFileWriter.write([batch], schema: batch.schema, options: options)
            try Data(bytes).write(to: file, options: .atomic)
            print("2. Wrote \(file.path): \(bytes.count) bytes, zstd, \(Int(Date().timeIntervalSince(start) * 1000)) ms")

            // 3. Read it back: metadata, then a projected read with row-group pruning.
            let reader = try ParquetFileReader(input: try LocalFileInput(path: file.path), name: file.path)
            print("3. Read the footer: \(reader.rowCount) rows in \(reader.rowGroupCount) row groups, created by \(reader.metadata.createdBy ?? "?")")
            let cutoff = Int64(rows * 3 / 4)
            let predicate = Predicate.comparison(column: "entity_id", op: .greaterOrEqual, value: .int(cutoff))
            let groups = reader.rowGroupsMatching(predicate)
            print("   Predicate \(predicate): statistics keep row groups \(groups) of \(reader.rowGroupCount)")
            var matched: [RecordBatch] = []
            for group in groups {
                let part = try reader.readRowGroup(group, columns: ["entity_id", "event_ts", "segment", "f0"])
                let mask = try part.columns[0].compare(.greaterOrEqual, .int(cutoff))
                matched.append(try part.filter(mask))
            }
            let total = matched.reduce(0) { $0 + $1.rowCount }
            print("   \(total) rows match; the first five:")
            let firstRows = try matched.first.map { try $0.slice(0..<min(5, $0.rowCount)) }
            if let firstRows {
                print(PrettyTableWriter().write([firstRows], schema: firstRows.schema), terminator: "")
            }
            print("\nInspect the file with: tarn parquet meta \(file.path)")
        }
    }
}

/// Deterministic demo rows: entity_id, event_ts, segment, f0..f2.
enum DemoData {
    static func events(rows: Int) throws -> RecordBatch {
        var ids = [Int64](), ts = [Int64](), f0 = [Double](), f1 = [Double](), f2 = [Double?]()
        ids.reserveCapacity(rows)
        var segments = BytesColumnBuilder(capacity: rows)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let start: Int64 = 1_764_374_400_000_000  // 2025-11-29T00:00:00Z
        for i in 0..<rows {
            ids.append(Int64(i))
            ts.append(start + Int64(i) * 1_000_000)
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
