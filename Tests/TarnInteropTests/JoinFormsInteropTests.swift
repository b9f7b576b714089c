// JOIN … USING, NATURAL, SEMI and ANTI joins and IN-set pruning, checked against DuckDB:
// the differential test's tables (NULL keys, duplicates), a fixed list of queries run by
// Tarn and by DuckDB over the same Parquet files (sql_differential.py), results compared
// as row multisets — `SELECT *` rows compare positionally, so the USING column order is
// checked too. SEMI/ANTI are written `SEMI JOIN` / `ANTI JOIN` (DuckDB has no LEFT form).
import Foundation
import Testing
import TarnColumnar
import TarnSQL
import TarnTables
import TarnTestSupport

@Suite("Join forms against DuckDB", .serialized)
struct JoinFormsInteropTests {
    static let queries: [String] = [
        // USING for every kind; the merged column first where the left has it.
        "SELECT * FROM d.t1 JOIN d.t3 USING (id)",
        "SELECT * FROM d.t1 LEFT JOIN d.t3 USING (id)",
        "SELECT * FROM d.t1 RIGHT JOIN d.t3 USING (id)",
        "SELECT * FROM d.t1 FULL JOIN d.t3 USING (id)",
        "SELECT * FROM d.t3 FULL OUTER JOIN d.t1 USING (id)",
        "SELECT id, t1.id, t3.id, p FROM d.t1 FULL JOIN d.t3 USING (id)",
        "SELECT * FROM d.t1 JOIN (SELECT k AS a, name AS s, w FROM d.t2) AS u USING (a, s)",
        "SELECT * FROM d.t1 FULL JOIN (SELECT k AS a, name AS s, w FROM d.t2) AS u USING (s, a)",
        "SELECT a, count(*), sum(w) FROM d.t1 JOIN (SELECT k AS a, w FROM d.t2) AS u USING (a) GROUP BY a",
        // NATURAL.
        "SELECT * FROM d.t1 NATURAL JOIN d.t3",
        "SELECT * FROM d.t1 NATURAL LEFT JOIN d.t3",
        "SELECT * FROM d.t3 NATURAL FULL JOIN d.t1",
        "SELECT * FROM d.t1 NATURAL JOIN (SELECT k AS a, name AS s FROM d.t2) AS u",
        // SEMI and ANTI (NULL keys never match; duplicates on the right give one row).
        "SELECT * FROM d.t1 AS l SEMI JOIN d.t2 AS r ON l.a = r.k",
        "SELECT * FROM d.t1 AS l ANTI JOIN d.t2 AS r ON l.a = r.k",
        "SELECT l.id FROM d.t1 AS l SEMI JOIN d.t2 AS r ON l.a = r.k AND r.w > 20",
        "SELECT l.id FROM d.t1 AS l ANTI JOIN d.t2 AS r ON l.a = r.k AND l.b > 3000",
        "SELECT l.id, l.s FROM d.t1 AS l SEMI JOIN d.t2 AS r ON l.s = r.name AND l.a < r.k",
        "SELECT id, s FROM d.t1 SEMI JOIN d.t3 USING (id) WHERE s IS NOT NULL",
        "SELECT p, count(*) FROM d.t3 ANTI JOIN d.t1 USING (id) GROUP BY p",
        // IN sets that prune (small and large) still answer exactly.
        "SELECT id, v FROM d.t3 WHERE id IN (SELECT id FROM d.t1 WHERE a = 3)",
        "SELECT count(*), sum(v) FROM d.t3 WHERE id IN (SELECT id FROM d.t1 WHERE b > 100)",
        "SELECT count(*) FROM d.t1 WHERE id IN (" + (0..<400).map { String($0 * 7) }.joined(separator: ", ") + ")",
    ]

    @Test("USING, NATURAL, SEMI and ANTI joins agree with DuckDB on the same Parquet files")
    func againstDuckDB() throws {
        let mismatches = try SQLDifferentialTests.mismatchesAgainstDuckDB(Self.queries, label: "join-forms-interop")
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(Self.queries.count) queries differ:\n\(mismatches.joined(separator: "\n"))")
    }
}
