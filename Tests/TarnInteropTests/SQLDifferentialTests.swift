// SQL differential test: a few hundred queries from a seeded grammar (filters,
// projections with arithmetic, GROUP BY with aggregates, joins, ORDER BY + LIMIT,
// DISTINCT, UNION ALL, a partitioned table) run in Tarn and in DuckDB over the same
// Parquet files (one Python process for all queries); results must agree
// (order-insensitive unless ORDER BY orders fully; floats with a relative tolerance).
import Foundation
import Testing
import TarnColumnar
import TarnSQL
import TarnTables
import TarnTestSupport

@Suite("SQL differential against DuckDB", .serialized)
struct SQLDifferentialTests {
    // MARK: Tables

    static let t1Schema = Schema([Field("id", .int64), Field("a", .int32), Field("b", .int64), Field("x", .float64),
                                  Field("s", .string), Field("d", .date32)])
    static let t2Schema = Schema([Field("k", .int32), Field("name", .string), Field("w", .float64)])
    static let t3Schema = Schema([Field("id", .int64), Field("p", .string), Field("v", .int64)])

    func makeTables(_ catalog: Catalog) throws {
        var rng = DifferentialRandom(seed: 20261129)
        let t1 = try catalog.createTable(TableIdentifier(namespace: "d", name: "t1"), schema: Self.t1Schema)
        var id: Int64 = 0
        for _ in 0..<3 {
            var ids: [Int64?] = [], a: [Int32?] = [], b: [Int64?] = [], x: [Double?] = [], s: [String?] = [], d: [Int32?] = []
            for _ in 0..<700 {
                ids.append(id); id += 1
                a.append(rng.next() % 8 == 0 ? nil : Int32(rng.next() % 40) - 5)
                b.append(rng.next() % 6 == 0 ? nil : Int64(rng.next() % 10_000) - 2_000)
                x.append(rng.next() % 7 == 0 ? nil : Double(Int64(rng.next() % 100_000) - 50_000) / 64.0)
                s.append(rng.next() % 9 == 0 ? nil : ["alpha", "beta", "gamma", "delta", "Alpha", "b", ""][Int(rng.next() % 7)])
                d.append(rng.next() % 10 == 0 ? nil : Int32(19_700 + Int(rng.next() % 400)))
            }
            try t1.append([try RecordBatch(schema: Self.t1Schema, columns: [
                try Column(.int64, ids), try Column(.int32, a), try Column(.int64, b), try Column(.float64, x),
                try Column(strings: s), try Column(.date32, d),
            ])])
        }
        let t2 = try catalog.createTable(TableIdentifier(namespace: "d", name: "t2"), schema: Self.t2Schema)
        var k: [Int32?] = [], names: [String?] = [], w: [Double?] = []
        for i in 0..<60 {
            k.append(i % 13 == 0 ? nil : Int32(i % 45) - 5)  // duplicates and NULL keys
            names.append(i % 11 == 0 ? nil : "n\(i % 17)")
            w.append(i % 5 == 0 ? nil : Double(i) * 1.25)
        }
        try t2.append([try RecordBatch(schema: Self.t2Schema, columns: [try Column(.int32, k), try Column(strings: names), try Column(.float64, w)])])
        let t3 = try catalog.createTable(TableIdentifier(namespace: "d", name: "t3"), schema: Self.t3Schema, partitionColumns: ["p"])
        for round in 0..<2 {
            var ids3: [Int64?] = [], p: [String?] = [], v: [Int64?] = []
            for i in 0..<400 {
                ids3.append(Int64(round * 400 + i))
                p.append("p\(rng.next() % 4)")
                v.append(rng.next() % 5 == 0 ? nil : Int64(rng.next() % 1000))
            }
            try t3.append([try RecordBatch(schema: Self.t3Schema, columns: [try Column(.int64, ids3), try Column(strings: p), try Column(.int64, v)])])
        }
    }

    func manifest(_ catalog: Catalog, root: String) throws -> [String: Any] {
        var tables: [[String: Any]] = []
        for (name, schema, partitions) in [("t1", Self.t1Schema, [String]()), ("t2", Self.t2Schema, []), ("t3", Self.t3Schema, ["p"])] {
            let table = try catalog.openTable(TableIdentifier(namespace: "d", name: name))
            let files = try table.snapshot().files.map { file -> [String: Any] in
                var partition: [String: Any] = [:]
                for (key, value) in file.partitionValues { partition[key] = value ?? NSNull() }
                return ["path": "\(root)/d/\(name)/\(file.decodedPath)", "partition": partition]
            }
            var partitionTypes: [String: String] = [:]
            for p in partitions { partitionTypes[p] = "VARCHAR" }
            tables.append(["schema": "d", "name": name, "columns": schema.names, "partitionColumns": partitionTypes, "files": files])
        }
        return ["tables": tables]
    }

    // MARK: Query grammar

    struct Grammar {
        var rng: DifferentialRandom

        mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { Int(rng.next() % 100) < percent }

        mutating func atom(_ q: String = "") -> String {
            switch int(0...9) {
            case 0: return "\(q)a > \(int(-5...35))"
            case 1: return "\(q)b BETWEEN \(int(-2000...3000)) AND \(int(3000...8000))"
            case 2: return "\(q)s LIKE '\(pick(["a", "b", "g", "d", "A"]))%'"
            case 3: return "\(q)x < \(int(-700...700)).5"
            case 4: return "\(q)a IS \(pick(["", "NOT "]))NULL"
            case 5: return "\(q)d >= DATE '2024-\(String(format: "%02d", int(1...12)))-\(String(format: "%02d", int(1...28)))'"
            case 6: return "\(q)a IN (\(int(-5...10)), \(int(0...20)), \(int(10...35)))"
            case 7: return "\(q)s = '\(pick(["alpha", "beta", "gamma", "b", ""]))'"
            case 8: return "\(q)b % \(int(2...7)) = \(int(0...1))"
            default: return "\(q)id < \(int(0...2100))"
            }
        }

        mutating func predicate(_ q: String = "") -> String {
            switch int(0...5) {
            case 0: return "\(atom(q)) AND \(atom(q))"
            case 1: return "(\(atom(q)) OR \(atom(q)))"
            case 2: return "NOT (\(atom(q)))"
            case 3: return "\(atom(q)) AND (\(atom(q)) OR \(atom(q)))"
            default: return atom(q)
            }
        }

        mutating func scalar() -> String {
            pick(["a + b", "x * 2", "lower(s)", "coalesce(a, 0)", "CASE WHEN a > 10 THEN 'hi' WHEN a IS NULL THEN 'none' ELSE 'lo' END",
                  "abs(b)", "length(s)", "b - a * 3", "upper(s)", "x + a", "a % 7", "CAST(a AS BIGINT) * 1000", "-x", "d"])
        }

        mutating func query() -> String {
            switch int(0...9) {
            case 0, 1:
                let items = (0..<int(1...3)).map { _ in scalar() }
                return "SELECT id, \(items.joined(separator: ", ")) FROM d.t1 WHERE \(predicate())"
            case 2, 3:
                let key = pick(["a", "s", "d", "a % 3", "s, a"])
                let aggs = ["count(*)", "count(a)", "sum(b)", "avg(x)", "min(s)", "max(d)", "count(DISTINCT a)", "min(x)", "max(b)",
                            "stddev(x)", "variance(b)", "sum(x)"]
                var chosen: [String] = []
                for _ in 0..<int(1...4) { chosen.append(pick(aggs)) }
                var sql = "SELECT \(key), \(chosen.joined(separator: ", ")) FROM d.t1"
                if chance(60) { sql += " WHERE \(predicate())" }
                sql += " GROUP BY \(key)"
                if chance(30) { sql += " HAVING count(*) > \(int(1...30))" }
                return sql
            case 4:
                let kind = pick(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"])
                var sql = "SELECT t1.id, t1.a, t2.name, t2.w FROM d.t1 \(kind) d.t2 ON t1.a = t2.k"
                if chance(40) { sql += " AND t2.w > \(int(0...60))" }
                if chance(50) && kind == "JOIN" { sql += " WHERE \(predicate("t1."))" }
                return sql
            case 5:
                let dir = pick(["", " DESC", " ASC"])
                let nulls = pick(["", " NULLS FIRST", " NULLS LAST"])
                var sql = "SELECT id, a, x, s FROM d.t1"
                if chance(50) { sql += " WHERE \(predicate())" }
                sql += " ORDER BY \(pick(["a", "x", "s", "b"]))\(dir)\(nulls), id LIMIT \(int(0...50))"
                if chance(40) { sql += " OFFSET \(int(0...30))" }
                return sql
            case 6:
                var sql = "SELECT DISTINCT \(pick(["a", "s", "a, s", "d", "a % 4, s"])) FROM d.t1"
                if chance(50) { sql += " WHERE \(predicate())" }
                return sql
            case 7:
                return "SELECT a AS v FROM d.t1 WHERE \(predicate()) UNION ALL SELECT k FROM d.t2 WHERE w > \(int(0...70))"
            case 8:
                var sql = "SELECT p, count(*), sum(v), min(id), max(v) FROM d.t3"
                if chance(70) { sql += " WHERE p IN ('p\(int(0...3))', 'p\(int(0...3))')" + (chance(50) ? " AND v > \(int(0...900))" : "") }
                return sql + " GROUP BY p"
            default:
                return "SELECT t2.name, count(*), sum(t1.b) FROM d.t1 JOIN d.t2 ON t1.a = t2.k WHERE \(predicate("t1.")) GROUP BY t2.name"
            }
        }
    }

    // MARK: Running and comparing

    func parseQuery(_ sql: String) throws -> Query {
        let parsed = try SQLParser.parse(sql)
        guard parsed.count == 1, case let .query(query) = parsed[0].statement else {
            throw SQLError(.syntax, "not a single query: \(sql)")
        }
        return query
    }

    /// A cell as DuckDB's peer prints it (nil for NULL).
    func text(_ value: ScalarValue) -> String? {
        switch value {
        case .null: return nil
        case let .boolean(b): return b ? "true" : "false"
        default: return value.description
        }
    }

    static func sameCell(_ a: String?, _ b: String?) -> Bool {
        if a == b { return true }
        guard let a, let b, let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }

    static func sortKey(_ row: [String?]) -> String {
        row.map { cell -> String in
            guard let cell else { return "\u{0}NULL" }
            if let d = Double(cell), cell.contains(".") || cell.contains("e") { return String(format: "%.6g", d) }
            return cell
        }.joined(separator: "\u{1}")
    }

    @Test("a few hundred generated queries agree with DuckDB on the same Parquet files")
    func differential() throws {
        let dir = try TemporaryDirectory("sql-differential")
        defer { dir.remove() }
        let root = dir.path + "/lakehouse"
        let catalog = try Catalog(root: root)
        try makeTables(catalog)

        var grammar = Grammar(rng: DifferentialRandom(seed: 7))
        let queries = (0..<300).map { _ in grammar.query() }
        let manifestURL = dir.url.appendingPathComponent("manifest.json")
        let queriesURL = dir.url.appendingPathComponent("queries.json")
        let outURL = dir.url.appendingPathComponent("out.jsonl")
        try JSONSerialization.data(withJSONObject: try manifest(catalog, root: root)).write(to: manifestURL)
        try JSONSerialization.data(withJSONObject: queries).write(to: queriesURL)
        let output = try Peers.run("sql_differential.py", [manifestURL.path, queriesURL.path, outURL.path])
        #expect(output.stdout.contains("done \(queries.count)"), "duckdb failed: \(output.stderr.suffix(2000))")
        let lines = try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == queries.count)

        let context = QueryContext(catalog: catalog, root: root)
        var mismatches: [String] = []
        var compared = 0, rowsCompared = 0
        for (sql, line) in zip(queries, lines) {
            let peer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let ours: [[String?]]
            do {
                let result = try QueryRunner.run(try parseQuery(sql), context: context)
                ours = result.batches.flatMap { b in (0..<b.rowCount).map { r in b.columns.map { text($0.value(at: r)) } } }
            } catch {
                if peer["error"] == nil { mismatches.append("\(sql)\n  tarn failed: \(error)") }
                continue
            }
            guard let theirRows = peer["rows"] as? [[Any]] else {
                mismatches.append("\(sql)\n  duckdb failed: \(peer["error"] ?? "?") but tarn answered \(ours.count) rows")
                continue
            }
            let theirs = theirRows.map { row in row.map { $0 as? String } }
            let ordered = sql.contains("ORDER BY")
            let a = ordered ? ours : ours.sorted { Self.sortKey($0) < Self.sortKey($1) }
            let b = ordered ? theirs : theirs.sorted { Self.sortKey($0) < Self.sortKey($1) }
            compared += 1
            rowsCompared += a.count
            guard a.count == b.count else {
                mismatches.append("\(sql)\n  tarn \(a.count) rows, duckdb \(b.count) rows")
                continue
            }
            for (x, y) in zip(a, b) where x.count != y.count || !zip(x, y).allSatisfy({ Self.sameCell($0, $1) }) {
                mismatches.append("\(sql)\n  tarn   \(x.map { $0 ?? "NULL" })\n  duckdb \(y.map { $0 ?? "NULL" })")
                break
            }
        }
        // Both engines must have answered nearly every query (the grammar only makes valid SQL).
        #expect(compared >= queries.count * 9 / 10, "only \(compared) of \(queries.count) queries were compared")
        #expect(rowsCompared > 10_000)
        print("SQL differential: \(compared) queries, \(rowsCompared) rows compared")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(queries.count) queries differ:\n\(mismatches.prefix(15).joined(separator: "\n"))")
    }
}

extension SQLDifferentialTests {
    /// Runs fixed `queries` on this suite's tables through Tarn and through DuckDB
    /// (sql_differential.py, the same Parquet files) and returns one line per query whose
    /// results differ as row multisets, or that failed on either side.
    static func mismatchesAgainstDuckDB(_ queries: [String], label: String) throws -> [String] {
        let dir = try TemporaryDirectory(label)
        defer { dir.remove() }
        let root = dir.path + "/lakehouse"
        let catalog = try Catalog(root: root)
        let tables = SQLDifferentialTests()
        try tables.makeTables(catalog)
        let manifestURL = dir.url.appendingPathComponent("manifest.json")
        let queriesURL = dir.url.appendingPathComponent("queries.json")
        let outURL = dir.url.appendingPathComponent("out.jsonl")
        try JSONSerialization.data(withJSONObject: try tables.manifest(catalog, root: root)).write(to: manifestURL)
        try JSONSerialization.data(withJSONObject: queries).write(to: queriesURL)
        let output = try Peers.run("sql_differential.py", [manifestURL.path, queriesURL.path, outURL.path])
        #expect(output.stdout.contains("done \(queries.count)"), "duckdb failed: \(output.stderr.suffix(2000))")
        let lines = try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == queries.count)

        let context = QueryContext(catalog: catalog, root: root)
        var mismatches: [String] = []
        for (sql, line) in zip(queries, lines) {
            let peer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let theirRows = peer["rows"] as? [[Any]] else {
                mismatches.append("\(sql)\n  duckdb failed: \(peer["error"] ?? "?")")
                continue
            }
            let ours: [[String?]]
            do {
                let result = try QueryRunner.run(try tables.parseQuery(sql), context: context)
                ours = result.batches.flatMap { b in (0..<b.rowCount).map { r in b.columns.map { tables.text($0.value(at: r)) } } }
            } catch {
                mismatches.append("\(sql)\n  tarn failed: \(error)")
                continue
            }
            let theirs = theirRows.map { row in row.map { $0 as? String } }
            let a = ours.sorted { sortKey($0) < sortKey($1) }
            let b = theirs.sorted { sortKey($0) < sortKey($1) }
            guard a.count == b.count else {
                mismatches.append("\(sql)\n  tarn \(a.count) rows, duckdb \(b.count) rows")
                continue
            }
            for (x, y) in zip(a, b) where x.count != y.count || !zip(x, y).allSatisfy({ sameCell($0, $1) }) {
                mismatches.append("\(sql)\n  tarn   \(x.map { $0 ?? "NULL" })\n  duckdb \(y.map { $0 ?? "NULL" })")
                break
            }
        }
        return mismatches
    }
}


/// A deterministic pseudo-random generator (splitmix64).
struct DifferentialRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
