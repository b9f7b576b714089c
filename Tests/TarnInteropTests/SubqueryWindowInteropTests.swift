// Subqueries in expressions and window functions, checked against DuckDB: the differential
// test's tables (NULLs, duplicates, ties), a fixed list of queries run by Tarn and by DuckDB
// over the same Parquet files (sql_differential.py), results compared as row multisets
// (window ORDER BYs end with the unique id, so every answer is deterministic).
import Foundation
import Testing
import TarnColumnar
import TarnSQL
import TarnTables
import TarnTestSupport

@Suite("Subqueries and window functions against DuckDB", .serialized)
struct SubqueryWindowInteropTests {
    static let queries: [String] = [
        // Subqueries.
        "SELECT id, a FROM d.t1 WHERE a IN (SELECT k FROM d.t2)",
        "SELECT id, a FROM d.t1 WHERE a NOT IN (SELECT k FROM d.t2)",
        "SELECT id, a FROM d.t1 WHERE a NOT IN (SELECT k FROM d.t2 WHERE k IS NOT NULL)",
        "SELECT id, a IN (SELECT k FROM d.t2 WHERE w > 20) FROM d.t1",
        "SELECT id, s FROM d.t1 WHERE s IN (SELECT name FROM d.t2) OR s IN (SELECT 'alpha')",
        "SELECT id, x FROM d.t1 WHERE x > (SELECT avg(w) FROM d.t2)",
        "SELECT id, b - (SELECT max(v) FROM d.t3) FROM d.t1 WHERE id < 300",
        "SELECT count(*) FROM d.t1 WHERE EXISTS (SELECT 1 FROM d.t2 WHERE w > 70)",
        "SELECT count(*) FROM d.t1 WHERE NOT EXISTS (SELECT 1 FROM d.t2 WHERE w > 70)",
        "SELECT a, count(*) FROM d.t1 GROUP BY a HAVING count(*) > (SELECT count(*) FROM d.t2) + 10",
        "SELECT (SELECT k FROM d.t2 WHERE w = 2.5), (SELECT min(name) FROM d.t2)",
        "SELECT p, sum(v) FROM d.t3 WHERE id IN (SELECT id FROM d.t1 WHERE b > 3000) GROUP BY p",
        // Window functions.
        "SELECT id, row_number() OVER (PARTITION BY a ORDER BY b, id) FROM d.t1",
        "SELECT id, rank() OVER (PARTITION BY s ORDER BY a), dense_rank() OVER (PARTITION BY s ORDER BY a) FROM d.t1",
        "SELECT id, rank() OVER (ORDER BY a DESC NULLS FIRST) FROM d.t1",
        "SELECT id, percent_rank() OVER (PARTITION BY s ORDER BY a), cume_dist() OVER (PARTITION BY s ORDER BY a), ntile(7) OVER (PARTITION BY a ORDER BY id) FROM d.t1",
        "SELECT id, sum(b) OVER (PARTITION BY a ORDER BY id) FROM d.t1",
        "SELECT id, sum(b) OVER (PARTITION BY s ORDER BY a) FROM d.t1",
        "SELECT id, avg(x) OVER (PARTITION BY a), count(x) OVER (PARTITION BY a), count(*) OVER (PARTITION BY a) FROM d.t1",
        "SELECT id, min(b) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), max(s) OVER (ORDER BY id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM d.t1",
        "SELECT id, sum(b) OVER (ORDER BY id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM d.t1",
        "SELECT id, avg(x) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), min(a) OVER (PARTITION BY s ORDER BY id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM d.t1",
        "SELECT id, count(b) OVER (PARTITION BY a ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), first_value(s) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND 1 FOLLOWING), last_value(s) OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND 1 FOLLOWING) FROM d.t1",
        "SELECT id, lag(b) OVER (PARTITION BY a ORDER BY id), lead(b, 2, -1) OVER (PARTITION BY a ORDER BY id) FROM d.t1",
        "SELECT id, first_value(b) OVER (PARTITION BY s ORDER BY id), last_value(b) OVER (PARTITION BY s ORDER BY a NULLS FIRST, id) FROM d.t1",
        "SELECT id, sum(b) OVER (PARTITION BY s ORDER BY a RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), count(x) OVER (PARTITION BY s ORDER BY a RANGE BETWEEN CURRENT ROW AND CURRENT ROW) FROM d.t1",
        "SELECT id, max(d) OVER (PARTITION BY a ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM d.t1",
        "SELECT id, last_value(x IGNORE NULLS) OVER (PARTITION BY a ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), lag(s, 2 IGNORE NULLS) OVER (ORDER BY id), lead(b IGNORE NULLS) OVER (PARTITION BY s ORDER BY id), first_value(a IGNORE NULLS) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) FROM d.t1",
        "SELECT a, sum(b), rank() OVER (ORDER BY sum(b) DESC NULLS LAST) FROM d.t1 GROUP BY a",
        "SELECT p, id, row_number() OVER (PARTITION BY p ORDER BY v DESC NULLS LAST, id) AS n FROM d.t3 ORDER BY p, n LIMIT 20",
    ]

    @Test("subquery and window queries agree with DuckDB on the same Parquet files")
    func againstDuckDB() throws {
        let dir = try TemporaryDirectory("subquery-window-interop")
        defer { dir.remove() }
        let root = dir.path + "/lakehouse"
        let catalog = try Catalog(root: root)
        let tables = SQLDifferentialTests()
        try tables.makeTables(catalog)
        let manifestURL = dir.url.appendingPathComponent("manifest.json")
        let queriesURL = dir.url.appendingPathComponent("queries.json")
        let outURL = dir.url.appendingPathComponent("out.jsonl")
        try JSONSerialization.data(withJSONObject: try tables.manifest(catalog, root: root)).write(to: manifestURL)
        try JSONSerialization.data(withJSONObject: Self.queries).write(to: queriesURL)
        let output = try Peers.run("sql_differential.py", [manifestURL.path, queriesURL.path, outURL.path])
        #expect(output.stdout.contains("done \(Self.queries.count)"), "duckdb failed: \(output.stderr.suffix(2000))")
        let lines = try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == Self.queries.count)

        let context = QueryContext(catalog: catalog, root: root)
        var mismatches: [String] = []
        for (sql, line) in zip(Self.queries, lines) {
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
            let a = ours.sorted { SQLDifferentialTests.sortKey($0) < SQLDifferentialTests.sortKey($1) }
            let b = theirs.sorted { SQLDifferentialTests.sortKey($0) < SQLDifferentialTests.sortKey($1) }
            guard a.count == b.count else {
                mismatches.append("\(sql)\n  tarn \(a.count) rows, duckdb \(b.count) rows")
                continue
            }
            for (x, y) in zip(a, b) where x.count != y.count || !zip(x, y).allSatisfy({ SQLDifferentialTests.sameCell($0, $1) }) {
                mismatches.append("\(sql)\n  tarn   \(x.map { $0 ?? "NULL" })\n  duckdb \(y.map { $0 ?? "NULL" })")
                break
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.queries.count) queries differ:\n\(mismatches.joined(separator: "\n"))")
    }
}
