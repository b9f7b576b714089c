// InSetPruningTests: `x IN (SELECT …)` and long `x IN (literals)` prune files by their
// statistics — a small set as an IN list, a large one as its min/max range — while rows
// are still filtered by the whole expression; NOT IN, NaN-holding float sets and empty
// sets are not pushed.
import Testing
import TarnColumnar
import TarnExpression
@testable import TarnSQL

@Suite("SQL: IN-set pruning")
struct InSetPruningTests {
    /// t(id, v) in four files holding ids 1…10, 11…20, 1001…1010, 2001…2010; k(n) 12 and
    /// 15; big(n) 1000…1500.
    static func lakehouse() throws -> StatementLakehouse {
        let lake = try StatementLakehouse("tarn-in-set-pruning")
        func values(_ range: ClosedRange<Int>) -> String { range.map { "(\($0), 'v\($0)')" }.joined(separator: ", ") }
        let digits = "(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
        try lake.run("""
            CREATE TABLE t (id BIGINT, v STRING);
            INSERT INTO t VALUES \(values(1...10));
            INSERT INTO t VALUES \(values(11...20));
            INSERT INTO t VALUES \(values(1001...1010));
            INSERT INTO t VALUES \(values(2001...2010));
            CREATE TABLE k (n BIGINT);
            INSERT INTO k VALUES (12), (15), (NULL);
            CREATE TABLE big AS SELECT 1000 + a.col0 * 100 + b.col0 * 10 + c.col0 AS n
              FROM \(digits) AS a, \(digits) AS b, \(digits) AS c WHERE a.col0 * 100 + b.col0 * 10 + c.col0 <= 500;
            """)
        return lake
    }

    /// The plan of `sql` after running it (subqueries run, so their sets are known) and
    /// its rows.
    static func executed(_ lake: StatementLakehouse, _ sql: String) throws -> (plan: String, rows: [[String]]) {
        let query = try SQLParser.parseQuery(sql)
        let op = try QueryRunner.open(query, context: QueryContext(catalog: lake.session.catalog))
        let rows = try op.drain().flatMap(\.cellTexts)
        return (op.explainText(), rows)
    }

    @Test("a small IN (SELECT …) set prunes files as an IN list")
    func smallSet() throws {
        let lake = try Self.lakehouse()
        let (plan, rows) = try Self.executed(lake, "SELECT id, v FROM t WHERE id IN (SELECT n FROM k) ORDER BY id")
        #expect(rows == [["12", "v12"], ["15", "v15"]])
        #expect(plan.contains("pushed predicate: id IN (12, 15)"), "\(plan)")
        #expect(plan.contains("files: 4 total, 3 skipped"), "\(plan)")
    }

    @Test("a large IN (SELECT …) set prunes files by its min/max range; rows are still exact")
    func largeSet() throws {
        let lake = try Self.lakehouse()
        let (plan, rows) = try Self.executed(lake, "SELECT count(*), min(id), max(id) FROM t WHERE id IN (SELECT n FROM big WHERE n % 2 = 0 OR n > 1200)")
        #expect(rows == [["5", "1002", "1010"]])
        #expect(plan.contains("pushed predicate: (id >= 1000 AND id <= 1500)"), "\(plan)")
        #expect(plan.contains("files: 4 total, 3 skipped"), "\(plan)")
    }

    @Test("a long IN list prunes by its range, shown by EXPLAIN")
    func longList() throws {
        let lake = try Self.lakehouse()
        let list = (0..<300).map { String(2_000 + $0 * 3) }.joined(separator: ", ")
        let plan = try lake.one("EXPLAIN SELECT id FROM t WHERE id IN (\(list))").message ?? ""
        #expect(plan.contains("pushed predicate: (id >= 2000 AND id <= 2897)"), "\(plan)")
        #expect(plan.contains("files: 4 total, 3 skipped"), "\(plan)")
        #expect(try lake.rows("SELECT id FROM t WHERE id IN (\(list)) ORDER BY id") == [["2003"], ["2006"], ["2009"]])
    }

    @Test("NOT IN, an empty set and a float set holding NaN are not pushed")
    func notPushed() throws {
        let name = { (i: Int) -> String? in i == 0 ? "x" : nil }
        let nan = try ValueSet(try Column(.float64, [Double?(1.0), Double?(.nan)]), text: "nan")
        let empty = try ValueSet(try Column(.int64, [Int64?]()), text: "empty")
        let ints = try ValueSet(try Column(.int64, [Int64?(3), Int64?(1), Int64?(3)]), text: "ints")
        #expect(BoundExpression.inSet(.column(index: 0, type: .float64, nullable: true), nan, negated: false)
            .pushdownPredicate(columnName: name) == nil)
        #expect(BoundExpression.inSet(.column(index: 0, type: .int64, nullable: true), empty, negated: false)
            .pushdownPredicate(columnName: name) == nil)
        #expect(BoundExpression.inSet(.column(index: 0, type: .int64, nullable: true), ints, negated: true)
            .pushdownPredicate(columnName: name) == nil)
        #expect(BoundExpression.inSet(.column(index: 0, type: .int64, nullable: true), ints, negated: false)
            .pushdownPredicate(columnName: name) == .inList(column: "x", values: [.int(3), .int(1)]))
    }

    @Test("NOT IN (SELECT …) still answers exactly and reads every file")
    func notIn() throws {
        let lake = try Self.lakehouse()
        let (plan, rows) = try Self.executed(lake, "SELECT count(*) FROM t WHERE id NOT IN (SELECT n FROM k WHERE n IS NOT NULL)")
        #expect(rows == [["38"]])
        #expect(plan.contains("files: 4 total, 0 skipped"), "\(plan)")
    }
}
