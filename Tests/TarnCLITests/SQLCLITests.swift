// `tarn sql` through the real executable: statements as an argument, from -f FILE and from
// piped stdin; table, csv, json and parquet output (read back with `tarn parquet cat`);
// exit status 1 with "line L, column C" and a caret for errors.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn sql CLI", .serialized)
struct SQLCLITests {
    struct Lake {
        let directory: TemporaryDirectory
        var root: String { directory.path + "/lake" }

        init() throws {
            directory = try TemporaryDirectory("tarn-cli-sql")
        }

        func sql(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Peers.Output {
            try TarnCLI.run(["sql"] + arguments + ["--root", root], stdin: stdin, in: directory.url, environment: environment)
        }

        func file(_ name: String, _ text: String) throws -> String {
            let path = directory.path + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static let setup = """
        CREATE TABLE shop.items (id BIGINT, name STRING, price DOUBLE);
        INSERT INTO shop.items VALUES (1, 'apple', 0.5), (2, 'pear', 0.75), (3, NULL, 2.0);
        """

    static func lake() throws -> Lake {
        let lake = try Lake()
        let created = try lake.sql([setup])
        #expect(created.status == 0, "setup failed: \(created.stderr)")
        return lake
    }

    @Test("table output: aligned columns, then the row count and time")
    func tableFormat() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT id, name FROM shop.items ORDER BY id"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("| id | name  |") })
        #expect(lines.contains { $0.contains("|  1 | apple |") })
        #expect(lines.contains { $0.contains("|  3 | NULL  |") })
        #expect(lines.last?.range(of: #"^3 rows \([0-9.]+ ms\)$"#, options: .regularExpression) != nil, "\(lines.last ?? "")")
    }

    @Test("DDL prints one line; DML prints its metrics")
    func messages() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["CREATE TABLE shop.t (a INT); INSERT INTO shop.t VALUES (1), (2)"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("created table shop.t ("))
        #expect(out.stdout.contains("num_inserted_rows"))
        #expect(out.stdout.contains("inserted 2 rows (version 1)"))
    }

    @Test("csv output is a header and rows")
    func csvFormat() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT id, name FROM shop.items WHERE id <= 2 ORDER BY id", "--format", "csv"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "id,name\n1,apple\n2,pear\n")
    }

    @Test("json output is one object per row, formatted like parquet cat")
    func jsonFormat() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT id, name, price FROM shop.items ORDER BY id", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == """
            {"id":1,"name":"apple","price":0.5}
            {"id":2,"name":"pear","price":0.75}
            {"id":3,"name":null,"price":2.0}

            """)
    }

    @Test("parquet output needs --output and reads back with tarn parquet cat")
    func parquetFormat() throws {
        let lake = try Self.lake()
        let refused = try lake.sql(["SELECT 1", "--format", "parquet"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--output"))
        let path = lake.directory.path + "/out.parquet"
        let out = try lake.sql(["SELECT id, name FROM shop.items ORDER BY id", "--format", "parquet", "--output", path])
        #expect(out.status == 0, "\(out.stderr)")
        let cat = try TarnCLI.run(["parquet", "cat", path, "--format", "csv"])
        #expect(cat.status == 0, "\(cat.stderr)")
        #expect(cat.stdout == "id,name\n1,apple\n2,pear\n3,\n")
    }

    @Test("--output writes the text formats to a file")
    func outputFile() throws {
        let lake = try Self.lake()
        let path = lake.directory.path + "/out.csv"
        let out = try lake.sql(["SELECT id FROM shop.items ORDER BY id", "--format", "csv", "--output", path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "id\n1\n2\n3\n")
    }

    @Test("statements from -f FILE and from piped stdin")
    func fileAndStdin() throws {
        let lake = try Self.lake()
        let path = try lake.file("q.sql", "-- a comment\nSELECT count(*) AS n\nFROM shop.items;\n")
        let fromFile = try lake.sql(["-f", path, "--format", "csv"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout == "n\n3\n")
        let fromStdin = try lake.sql(["--format", "csv"], stdin: "SELECT max(id) AS m FROM shop.items;\nSELECT 'x' AS s;\n")
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromStdin.stdout == "m\n3\n\ns\nx\n")
    }

    @Test("TARN_ROOT names the lakehouse when --root is not given")
    func rootFromEnvironment() throws {
        let lake = try Self.lake()
        let out = try TarnCLI.run(["sql", "SHOW TABLES", "--format", "csv"], in: lake.directory.url,
                                  environment: ["TARN_ROOT": lake.root])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "namespace,tableName\nshop,items\n")
    }

    @Test("an unknown column fails with exit 1, its line and column, and a caret under it")
    func bindingError() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT 1;\nSELECT nme FROM shop.items"])
        #expect(out.status == 1)
        let lines = out.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("error: line 2, column 8: "), "\(out.stderr)")
        #expect(lines[0].contains("nme"))
        #expect(lines[1] == "  SELECT nme FROM shop.items")
        #expect(lines[2] == "         ^")
    }

    @Test("a syntax error says what was expected, runs nothing, and exits 1")
    func syntaxError() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["CREATE TABLE shop.u (a INT); SELECT * FROM ;"])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("error: line 1, column "))
        #expect(out.stderr.contains("expected"))
        #expect(out.stderr.contains("^"))
        let tables = try lake.sql(["SHOW TABLES", "--format", "csv"])
        #expect(!tables.stdout.contains("u\n"))
    }

    @Test("an unknown table exits 1 and names the table")
    func unknownTable() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT * FROM shop.nope"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("nope"))
        #expect(out.stderr.contains("^"))
    }

    @Test("large results stream: csv has every row, the table shows the first 10000 and counts the rest")
    func largeResult() throws {
        let lake = try Lake()
        let values = (0..<120).map { "(\($0))" }.joined(separator: ", ")
        let setup = try lake.sql(["CREATE TABLE t (a INT); INSERT INTO t VALUES \(values)"])
        #expect(setup.status == 0, "\(setup.stderr)")
        let query = "SELECT x.a * 1000 + y.a AS v FROM t AS x CROSS JOIN t AS y"
        let csv = try lake.sql([query, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 14_401)
        #expect(lines.first == "v")
        #expect(Set(lines.dropFirst()).count == 14_400)
        let table = try lake.sql([query])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("14400 rows, first 10000 shown"))
    }

    @Test("--namespace sets the namespace of unqualified names; --memory-limit takes sizes and refuses others")
    func namespaceAndMemoryLimit() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT count(*) AS n FROM items", "--namespace", "shop", "--memory-limit", "64MB", "--format", "csv"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "n\n3\n")
        let bad = try lake.sql(["SELECT 1", "--memory-limit", "lots"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--memory-limit"))
    }

    @Test("giving statements both as an argument and with -f is refused")
    func bothSources() throws {
        let lake = try Self.lake()
        let out = try lake.sql(["SELECT 1", "-f", "x.sql"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("not both"))
    }
}

/// The interactive shell through a pseudo-terminal (util-linux `script`), keystrokes fed at once.
@Suite("tarn sql shell", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
struct SQLShellCLITests {
    @Test("multi-line statements, meta commands, history recall with the up arrow, errors that keep the shell, \\q")
    func shellSession() throws {
        let directory = try TemporaryDirectory("tarn-cli-shell")
        defer { directory.remove() }
        let root = directory.path + "/lake"
        let keys = "CREATE TABLE t (a INT);\rINSERT INTO t\r VALUES (1), (2);\rSELECT count(*) AS n\r FROM t;\r"
            + "SELECT nope FROM t;\r.tables\r\u{1B}[A\u{1B}[A\r\\q\r"
        let command = "'\(TarnCLI.executable)' sql --root '\(root)'"
        let out = try runProcess("/usr/bin/script", ["-qc", command, "/dev/null"], stdin: Data(keys.utf8), timeout: 120)
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        let text = out.stdout.replacingOccurrences(of: "\r", with: "")
        #expect(text.contains("created table default.t"))
        #expect(text.contains("inserted 2 rows"))
        #expect(text.contains("error: line 1, column 8: "))
        #expect(text.contains("| default   | t         |"))
        // The SELECT ran twice: typed, then recalled (two arrows up: past the failed statement).
        #expect(text.components(separatedBy: "| 2 |").count - 1 == 2, "\(text)")
    }
}
