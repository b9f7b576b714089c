// `tarn import|export|history|describe|tables` through the real executable: a table built
// by imports (create, append, overwrite, partitioned), read back at every version and by
// timestamp in every format, and one-line errors with exit status 1 for bad input.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn table commands CLI", .serialized)
struct TableCLITests {
    static let first = """
    id,name,day
    1,alpha,2026-11-01
    2,beta,2026-11-02
    3,gamma,2026-11-01

    """
    static let second = """
    id,name,day
    4,delta,2026-11-03
    5,"eps, ilon",2026-11-02

    """
    static let replacement = """
    id,name,day
    10,kappa,2026-11-05

    """

    typealias Lakehouse = CLILakehouse

    /// A lakehouse with `sales.orders` (partitioned by day) at versions 0 (create),
    /// 1 (first), 2 (second appended), 3 (replacement overwrote).
    static func makeLakehouse() throws -> Lakehouse {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-tables"))
        let created = try lake.run(["import", try lake.file("first.csv", first), "sales.orders", "--partition-by", "day"])
        #expect(created.status == 0, "import failed: \(created.stderr)")
        #expect(created.stdout.contains("appended 3 rows"))
        #expect(created.stdout.contains("version 1"))
        let appended = try lake.run(["import", try lake.file("second.csv", second), "sales.orders", "--mode", "append"])
        #expect(appended.status == 0, "append failed: \(appended.stderr)")
        #expect(appended.stdout.contains("appended 2 rows"))
        #expect(appended.stdout.contains("version 2"))
        let overwritten = try lake.run(["import", try lake.file("third.csv", replacement), "sales.orders", "--mode", "overwrite"])
        #expect(overwritten.status == 0, "overwrite failed: \(overwritten.stderr)")
        #expect(overwritten.stdout.contains("overwrote with 1 rows"))
        #expect(overwritten.stdout.contains("version 3"))
        return lake
    }

    /// The `id` values of JSON-lines output, sorted.
    static func jsonIDs(_ text: String) -> [Int] {
        text.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["id"] as? NSNumber)?.intValue
        }.sorted()
    }

    @Test("import creates a partitioned table, appends and overwrites; every version exports as JSON")
    func importAndExportVersions() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let days = try FileManager.default.contentsOfDirectory(atPath: lake.root + "/sales/orders").filter { $0.hasPrefix("day=") }
        #expect(Set(days) == ["day=2026-11-01", "day=2026-11-02", "day=2026-11-03", "day=2026-11-05"])
        let expected: [Int64: [Int]] = [0: [], 1: [1, 2, 3], 2: [1, 2, 3, 4, 5], 3: [10]]
        for (version, ids) in expected {
            let out = try lake.run(["export", "sales.orders", "-", "--format", "json", "--version", String(version)])
            #expect(out.status == 0, "export of version \(version) failed: \(out.stderr)")
            #expect(Self.jsonIDs(out.stdout) == ids, "version \(version)")
        }
        let latest = try lake.run(["export", "sales.orders", "-", "--format", "json"])
        #expect(Self.jsonIDs(latest.stdout) == [10])
        #expect(latest.stdout.contains(#""day":"2026-11-05""#))
        // Partitioning is fixed at creation.
        let repartition = try lake.run(["import", try lake.file("x.csv", Self.second), "sales.orders", "--partition-by", "name"])
        #expect(repartition.status == 1)
        #expect(repartition.stderr.hasPrefix("error: ") && repartition.stderr.contains("partitioned by [day]"))
    }

    @Test("export writes CSV and Parquet files, and reads a table by its path")
    func exportFormats() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let csvPath = lake.directory.path + "/v2.csv"
        let csv = try lake.run(["export", "sales.orders", csvPath, "--format", "csv", "--version", "2"])
        #expect(csv.status == 0, "csv export failed: \(csv.stderr)")
        #expect(csv.stderr.contains("exported 5 rows of sales.orders version 2"))
        let csvText = try String(contentsOfFile: csvPath, encoding: .utf8)
        let lines = csvText.split(separator: "\n")
        #expect(lines.first == "id,name,day")
        #expect(lines.count == 6)
        #expect(csvText.contains(#"5,"eps, ilon",2026-11-02"#))

        let parquetPath = lake.directory.path + "/v1.parquet"
        let parquet = try lake.run(["export", "sales.orders", parquetPath, "--version", "1"])
        #expect(parquet.status == 0, "parquet export failed: \(parquet.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: parquetPath))
        #expect(bytes.prefix(4) == Data("PAR1".utf8) && bytes.suffix(4) == Data("PAR1".utf8))
        let cat = try TarnCLI.run(["parquet", "cat", parquetPath, "--format", "json"])
        #expect(cat.status == 0, "cat failed: \(cat.stderr)")
        #expect(Self.jsonIDs(cat.stdout) == [1, 2, 3])

        // A Parquet file imports too: the exported version 1 becomes a new table.
        let copied = try lake.run(["import", parquetPath, "copies.v1"])
        #expect(copied.status == 0, "parquet import failed: \(copied.stderr)")
        let copy = try lake.run(["export", "copies.v1", "-", "--format", "json"])
        #expect(Self.jsonIDs(copy.stdout) == [1, 2, 3])

        // By path instead of namespace.table.
        let byPath = try lake.run(["export", lake.root + "/sales/orders", "-", "--format", "json", "--version", "2"])
        #expect(byPath.status == 0, "export by path failed: \(byPath.stderr)")
        #expect(Self.jsonIDs(byPath.stdout) == [1, 2, 3, 4, 5])
    }

    @Test("history lists every commit newest first as a table, CSV and JSON; --timestamp reads the version of that time")
    func historyAndTimestamp() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let json = try lake.run(["history", "sales.orders", "--format", "json"])
        #expect(json.status == 0, "history failed: \(json.stderr)")
        let records = json.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(records.compactMap { ($0["version"] as? NSNumber)?.intValue } == [3, 2, 1, 0])
        #expect(records.compactMap { $0["operation"] as? String } == ["WRITE", "WRITE", "WRITE", "CREATE TABLE"])
        #expect((records.first?["operationParameters"] as? String)?.contains("Overwrite") == true)

        let csv = try lake.run(["history", "sales.orders", "--format", "csv"])
        let csvLines = csv.stdout.split(separator: "\n")
        #expect(csvLines.count == 5)
        #expect(csvLines.first?.hasPrefix("version,timestamp,operation") == true)
        let table = try lake.run(["history", "sales.orders"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("CREATE TABLE") && table.stdout.contains("WRITE"))
        let limited = try lake.run(["history", "sales.orders", "--format", "csv", "--limit", "1"])
        #expect(limited.stdout.split(separator: "\n").count == 2)

        // The timestamp of version 1's commit selects version 1.
        let timestamps = records.compactMap { $0["timestamp"] as? String }
        try #require(timestamps.count == 4)
        let versionOneTime = timestamps[2]
        let out = try lake.run(["export", "sales.orders", "-", "--format", "json", "--timestamp", versionOneTime])
        #expect(out.status == 0, "export --timestamp \(versionOneTime) failed: \(out.stderr)")
        #expect(Self.jsonIDs(out.stdout) == [1, 2, 3])
    }

    @Test("describe shows the detail and columns; tables lists tables by namespace")
    func describeAndTables() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let describe = try lake.run(["describe", "sales.orders"])
        #expect(describe.status == 0, "describe failed: \(describe.stderr)")
        for fragment in ["table:        sales.orders", "version:      3", "partitioned:  day", "protocol:     reader 1, writer 2",
                         "files:        1 (", "columns:", "id", "name", "day"] {
            #expect(describe.stdout.contains(fragment), "describe lacks '\(fragment)':\n\(describe.stdout)")
        }
        let other = try lake.run(["import", try lake.file("o.csv", Self.replacement), "hr.people"])
        #expect(other.status == 0, "import failed: \(other.stderr)")
        #expect(try lake.run(["tables"]).stdout == "hr.people\nsales.orders\n")
        #expect(try lake.run(["tables", "sales"]).stdout == "sales.orders\n")
        let unknown = try lake.run(["tables", "nowhere"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: ") && unknown.stderr.contains("nowhere"))
    }

    @Test("errors are one line starting with 'error:' and exit with status 1", arguments: [
        (["describe", "sales.missing"], "sales.missing"),
        (["export", "sales.missing", "-", "--format", "json"], "sales.missing"),
        (["history", "sales"], "namespace.table"),
        (["describe", "sales.bad name"], "bad name"),
        (["history", "../x"], "../x"),
        (["export", "sales.orders", "-", "--format", "json", "--version", "99"], "99"),
        (["export", "sales.orders", "-", "--format", "json", "--timestamp", "2000-01-01 00:00:00"], "2000"),
        (["import", "/nonexistent/file.csv", "sales.orders"], "/nonexistent/file.csv"),
    ])
    func errors(arguments: [String], fragment: String) throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let out = try lake.run(arguments)
        #expect(out.status == 1, "\(arguments): status \(out.status), stderr \(out.stderr)")
        #expect(out.stderr.hasPrefix("error: "), "\(arguments): \(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(arguments): not one line: \(out.stderr)")
        #expect(out.stderr.contains(fragment), "\(arguments): '\(fragment)' not in \(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    @Test("importing rows that do not fit the schema is a one-line error and commits nothing")
    func schemaMismatch() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let out = try lake.run(["import", try lake.file("bad.csv", "id,name,day\nx,y,not-a-date\n"), "sales.orders"])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("error: ") && out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        let history = try lake.run(["history", "sales.orders", "--format", "csv"])
        #expect(history.stdout.split(separator: "\n").count == 5, "a failed import committed: \(history.stdout)")
    }

    // A bad --timestamp must be reported like every other error, not through
    // ArgumentParser's validation ("Error:" plus the usage text, status 64).
    @Test("a --timestamp that is not a timestamp is a one-line error with status 1")
    func badTimestamp() throws {
        let lake = try Self.makeLakehouse()
        defer { lake.directory.remove() }
        let out = try lake.run(["export", "sales.orders", "-", "--format", "json", "--timestamp", "yesterday"])
        #expect(out.status == 1, "status \(out.status)")
        #expect(out.stderr.hasPrefix("error: ") && out.stderr.contains("yesterday"), "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "not one line: \(out.stderr)")
    }
}
