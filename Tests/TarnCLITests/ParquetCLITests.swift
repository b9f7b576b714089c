// `tarn parquet schema|meta|cat|convert` and `tarn demo` through the real executable:
// output formats, exit codes and one-line error messages.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn parquet CLI", .serialized)
struct ParquetCLITests {
    static let csv = #"""
    id,name,score,day,at
    1,alpha,1.5,2026-11-29,2026-11-29 10:00:00
    2,"beta, with comma",,2026-11-30,2026-11-29T10:00:00.123456Z
    3,"quote ""q""",-0.25,1969-12-31,1969-12-31 23:59:59.999999

    """#

    private func convertedFile(_ dir: TemporaryDirectory, extra: [String] = []) throws -> String {
        let input = dir.url.appendingPathComponent("in.csv")
        try Self.csv.write(to: input, atomically: true, encoding: .utf8)
        let output = dir.url.appendingPathComponent("out.parquet").path
        let result = try TarnCLI.run(["parquet", "convert", input.path, output] + extra)
        #expect(result.status == 0, "convert failed: \(result.stderr)")
        #expect(result.stderr.contains("wrote 3 rows, 5 columns"))
        return output
    }

    @Test("convert infers types from CSV and schema prints them")
    func convertAndSchema() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let schema = try TarnCLI.run(["parquet", "schema", file])
        #expect(schema.status == 0)
        #expect(schema.stdout == """
        id: long
        name: string
        score: double
        day: date
        at: timestamp

        """)
        let message = try TarnCLI.run(["parquet", "schema", "--parquet", file])
        #expect(message.stdout.contains("optional int64 at (TIMESTAMP(micros,UTC))"))
    }

    @Test("an explicit --schema overrides inference")
    func schemaOverride() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir, extra: ["--schema", "id:int,score:decimal(5,2)", "--codec", "snappy"])
        let schema = try TarnCLI.run(["parquet", "schema", file])
        #expect(schema.stdout.hasPrefix("id: int\nname: string\nscore: decimal(5,2)\n"))
        let meta = try TarnCLI.run(["parquet", "meta", file])
        #expect(meta.stdout.contains("SNAPPY"))
    }

    @Test("cat --format json writes one object per row with ISO timestamps and nulls")
    func catJSON() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let out = try TarnCLI.run(["parquet", "cat", file, "--format", "json"])
        #expect(out.status == 0)
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"id":1,"name":"alpha","score":1.5,"day":"2026-11-29","at":"2026-11-29T10:00:00.000000Z"}"#)
        #expect(lines[1] == #"{"id":2,"name":"beta, with comma","score":null,"day":"2026-11-30","at":"2026-11-29T10:00:00.123456Z"}"#)
        #expect(lines[2] == #"{"id":3,"name":"quote \"q\"","score":-0.25,"day":"1969-12-31","at":"1969-12-31T23:59:59.999999Z"}"#)
    }

    @Test("cat --columns and --limit select columns and rows; csv quotes where needed")
    func catCSVProjection() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let out = try TarnCLI.run(["parquet", "cat", file, "--columns", "name,id", "--limit", "2", "--format", "csv"])
        #expect(out.status == 0)
        #expect(out.stdout == "name,id\nalpha,1\n\"beta, with comma\",2\n")
    }

    @Test("cat as a table aligns columns and counts rows")
    func catTable() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let out = try TarnCLI.run(["parquet", "cat", file, "--columns", "id,score"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("| id | score |"))
        #expect(out.stdout.contains("(3 rows)"))
    }

    @Test("meta shows row groups, codecs, encodings and statistics")
    func meta() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let out = try TarnCLI.run(["parquet", "meta", file])
        #expect(out.status == 0)
        #expect(out.stdout.contains("rows:        3"))
        #expect(out.stdout.contains("row group 0: 3 rows"))
        #expect(out.stdout.contains("id: int64 ZSTD"))
        #expect(out.stdout.contains("stats: min=1 max=3 nulls=0"))
        #expect(out.stdout.contains("score: double ZSTD"))
    }

    @Test("errors print one line naming the problem and exit non-zero", arguments: [
        (["parquet", "cat", "/nonexistent/file.parquet"], "no file at '/nonexistent/file.parquet'"),
        (["parquet", "convert", "/nonexistent.csv", "/tmp/x.parquet"], "cannot read"),
        (["parquet", "cat", "FILE", "--limit", "-1"], "--limit"),
    ])
    func errors(arguments: [String], fragment: String) throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        let out = try TarnCLI.run(arguments.map { $0 == "FILE" ? file : $0 })
        #expect(out.status != 0)
        #expect(out.stderr.contains(fragment), "stderr: \(out.stderr)")
    }

    @Test("a truncated or corrupt file is a one-line Parquet error, never a crash")
    func corruptFile() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let file = try convertedFile(dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let truncated = dir.url.appendingPathComponent("truncated.parquet")
        try Data(bytes.prefix(bytes.count - 10)).write(to: truncated)
        let out = try TarnCLI.run(["parquet", "cat", truncated.path])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("error: "))
        #expect(out.stderr.split(separator: "\n").count == 1)
        // Overwrite the footer length with an absurd value.
        let n = bytes.count
        bytes[n - 8] = 0xFF; bytes[n - 7] = 0xFF; bytes[n - 6] = 0xFF; bytes[n - 5] = 0x7F
        let hostile = dir.url.appendingPathComponent("hostile.parquet")
        try Data(bytes).write(to: hostile)
        let out2 = try TarnCLI.run(["parquet", "meta", hostile.path])
        #expect(out2.status == 1)
        #expect(out2.stderr.contains("corrupt Parquet data"))
    }

    @Test("bad CSV input names the line")
    func badCSV() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let input = dir.url.appendingPathComponent("bad.csv")
        try "a,b\n1,2\n3,4,5\n".write(to: input, atomically: true, encoding: .utf8)
        let out = try TarnCLI.run(["parquet", "convert", input.path, dir.url.appendingPathComponent("o.parquet").path])
        #expect(out.status == 1)
        #expect(out.stderr.contains("line 3"), "stderr: \(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("o.parquet").path))
    }

    @Test("the demo builds a versioned table, time-travels, and writes a Parquet file under the root")
    func demo() throws {
        let dir = try TemporaryDirectory("cli")
        defer { dir.remove() }
        let out = try TarnCLI.run(["demo", "--rows", "2000"], environment: ["TARN_ROOT": dir.path])
        #expect(out.status == 0, "demo failed: \(out.stderr)")
        for line in ["VERSION AS OF 1: 2000 rows", "VERSION AS OF 3: 6000 rows", "VERSION AS OF 4: 500 rows",
                     "(version 2)", "WRITE (Overwrite)", "now: version 4"] {
            #expect(out.stdout.contains(line), "missing '\(line)' in:\n\(out.stdout)")
        }
        // Running it again starts afresh rather than failing on the existing table.
        let again = try TarnCLI.run(["demo", "--rows", "2000"], environment: ["TARN_ROOT": dir.path])
        #expect(again.status == 0, "second demo failed: \(again.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("demo/events/_delta_log").path))
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("_demo/events.zstd.parquet").path))
    }
}
