// Parquet files exchanged with the real peers, both directions, on a matrix pyarrow
// generates at test time (Tests/Peers/parquet_matrix.py): every supported type with
// nulls and extreme values, nested types, each codec, dictionary and plain, data pages
// v1 and v2, several row groups, special encodings.
import Foundation
import Testing
import TarnColumnar
import TarnParquet
import TarnTestSupport

@Suite("Parquet interop with pyarrow and DuckDB", .serialized)
struct ParquetInteropTests {
    /// Runs the matrix generator into a fresh directory and returns it with the case names.
    private func generateMatrix() throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory("parquet-interop")
        let generated = try Peers.run("parquet_matrix.py", [dir.path])
        guard generated.status == 0 else {
            dir.remove()
            throw PeerFailure("parquet_matrix.py failed (\(generated.status)): \(generated.stderr.suffix(2000))")
        }
        let manifest = try Data(contentsOf: dir.url.appendingPathComponent("manifest.json"))
        let names = try JSONDecoder().decode([String].self, from: manifest)
        return (dir, names)
    }

    private func readWithTarn(_ url: URL) throws -> ParquetFileReader {
        let bytes = [UInt8](try Data(contentsOf: url))
        return try ParquetFileReader(input: ParquetBytesInput(bytes), name: url.lastPathComponent)
    }

    /// Records one issue per MISMATCH line and checks the closing summary line.
    private func judge(_ output: Peers.Output, expectedCases: Int) {
        let lines = output.stdout.split(separator: "\n")
        for line in lines where line.hasPrefix("MISMATCH") {
            Issue.record(Comment(rawValue: String(line)))
        }
        let summary = lines.last.map(String.init) ?? ""
        #expect(summary == "\(expectedCases) passed, 0 failed", "checker said: \(summary); stderr: \(output.stderr.suffix(3000))")
    }

    @Test("Tarn reads every file pyarrow writes with exactly pyarrow's values")
    func tarnReadsPyarrowMatrix() throws {
        let (dir, names) = try generateMatrix()
        defer { dir.remove() }
        #expect(names.count >= 30)
        for name in names {
            let url = dir.url.appendingPathComponent(name + ".parquet")
            do {
                let reader = try readWithTarn(url)
                let batches = try reader.read()
                #expect(batches.reduce(0) { $0 + $1.rowCount } == reader.rowCount, "\(name): rows")
                let json = JSONLinesWriter().write(batches)
                try Data(json).write(to: dir.url.appendingPathComponent(name + ".tarn.jsonl"))
            } catch {
                Issue.record("\(name): Tarn failed to read a pyarrow file: \(error)")
            }
        }
        judge(try Peers.run("parquet_check_read.py", [dir.path]), expectedCases: names.count)
    }

    /// Writer settings rotated over the matrix so every option meets every type.
    static let variants: [(label: String, options: ParquetWriteOptions)] = [
        ("zstd-dict-v1", ParquetWriteOptions(codec: .zstd)),
        ("snappy-plain-v2", ParquetWriteOptions(codec: .snappy, dictionaryEnabled: false, dataPageVersion: .v2)),
        ("none-dict-v2-smallpages", ParquetWriteOptions(codec: .uncompressed, rowGroupRows: 170, pageSizeBytes: 700, dataPageRowLimit: 50, dataPageVersion: .v2)),
        ("zstd9-dict-checksums", ParquetWriteOptions(codec: .zstd, compressionLevel: 9, rowGroupRows: 256, dictionaryPageSizeLimit: 64, writePageChecksums: true)),
        ("snappy-dict-v1-rowgroups", ParquetWriteOptions(codec: .snappy, rowGroupRows: 100)),
    ]

    @Test("pyarrow and DuckDB read every file Tarn writes, with the statistics Tarn wrote")
    func peersReadTarnMatrix() throws {
        let (dir, names) = try generateMatrix()
        defer { dir.remove() }
        let out = dir.url.appendingPathComponent("tarn")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var entries: [[String: String]] = []
        for (i, name) in names.enumerated() {
            let reader = try readWithTarn(dir.url.appendingPathComponent(name + ".parquet"))
            let batches = try reader.read()
            // Every file gets the default settings, and one rotating variant.
            for variant in [Self.variants[0], Self.variants[1 + i % (Self.variants.count - 1)]] {
                let file = "tarn/\(name).\(variant.label).parquet"
                let bytes = try ParquetFileWriter.write(batches, schema: reader.schema, options: variant.options)
                try Data(bytes).write(to: dir.url.appendingPathComponent(file))
                entries.append(["file": file, "source": name])
                // Tarn reads its own file back to the same values.
                let again = try ParquetFileReader(input: ParquetBytesInput(bytes), name: file).read()
                #expect(JSONLinesWriter().write(again) == JSONLinesWriter().write(batches), "\(file): Tarn round trip")
            }
        }
        let manifest = try JSONSerialization.data(withJSONObject: entries)
        try manifest.write(to: dir.url.appendingPathComponent("tarn-manifest.json"))
        judge(try Peers.run("parquet_check_written.py", [dir.path]), expectedCases: entries.count)
    }
}

struct PeerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
