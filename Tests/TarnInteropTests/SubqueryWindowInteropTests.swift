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
        let mismatches = try SQLDifferentialTests.mismatchesAgainstDuckDB(Self.queries, label: "subquery-window-interop")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.queries.count) queries differ:\n\(mismatches.joined(separator: "\n"))")
    }
}
