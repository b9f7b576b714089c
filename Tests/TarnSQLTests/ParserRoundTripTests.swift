// ParserRoundTripTests: printing a parsed statement gives SQL that parses back to an equal
// tree, and printing is a fixed point (print(parse(print(x))) == print(x)), over a corpus
// of statements covering every form and the names and literals that need quoting.
import Testing
import TarnExpression
@testable import TarnSQL

@Suite("Parser: round trip through Statement.sql")
struct ParserRoundTripTests {
    static let corpus: [String] = [
        // Queries.
        "SELECT 1",
        "SELECT 1 + 2 * 3, (1 + 2) * 3, -x, NOT a OR b",
        "SELECT a, b AS c, d e FROM t",
        "SELECT DISTINCT a FROM ns.t",
        "SELECT * FROM t",
        "SELECT t.*, u.a FROM t, u",
        "SELECT count(*), count(DISTINCT a), sum(b), avg(c), min(d), max(e) FROM t",
        "SELECT stddev(x), variance(x) FROM t GROUP BY y",
        "SELECT a FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN 2 AND 3",
        "SELECT a FROM t WHERE a IN (1, 2, 3) OR b NOT IN ('x', 'y')",
        "SELECT a FROM t WHERE s LIKE 'a%' AND s NOT ILIKE '%B' ESCAPE '!'",
        "SELECT a FROM t WHERE a IS NULL OR b IS NOT NULL",
        "SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END FROM t",
        "SELECT CASE a WHEN 1 THEN 'one' ELSE 'other' END AS label FROM t",
        "SELECT CAST(a AS BIGINT), b::DOUBLE, CAST(c AS DECIMAL(12,3)) FROM t",
        "SELECT DATE '2026-01-01', TIMESTAMP '2026-11-29 10:00:00', 'it''s' FROM t",
        "SELECT lower(s), upper(s), length(s), substr(s, 1, 3), trim(s), concat(a, b) FROM t",
        "SELECT coalesce(a, 0), nullif(a, 0), abs(a), round(a, 2), floor(a), ceil(a), sqrt(a), ln(a), exp(a) FROM t",
        "SELECT date_trunc('month', ts), extract(YEAR FROM ts), year(ts), month(ts), day(ts), hour(ts) FROM t",
        "SELECT now(), current_timestamp() FROM t",
        "SELECT a || b || 'c' FROM t",
        "SELECT a % 3, a / 2 FROM t",
        "SELECT a FROM t ORDER BY a",
        "SELECT a FROM t ORDER BY a DESC",
        "SELECT a FROM t ORDER BY a ASC NULLS LAST, b DESC NULLS FIRST",
        "SELECT a FROM t ORDER BY 1 LIMIT 10",
        "SELECT a FROM t LIMIT 10 OFFSET 20",
        "SELECT a FROM t OFFSET 5",
        "SELECT segment, avg(f0), count(*) FROM bench.data GROUP BY segment",
        "SELECT segment, count(*) AS n FROM t GROUP BY segment HAVING count(*) > 10 ORDER BY n DESC",
        "SELECT f0 FROM bench.data ORDER BY f0 DESC LIMIT 10",
        "SELECT * FROM ns.t VERSION AS OF 0",
        "SELECT * FROM ns.t VERSION AS OF 12 AS old",
        "SELECT * FROM ns.t TIMESTAMP AS OF '2026-11-29 10:00:00'",
        "SELECT * FROM ns.t@v12",
        "SELECT * FROM ns.t@v12 x",
        "SELECT * FROM ns.t@20261129100000000",
        "SELECT * FROM delta.`/tmp/lake/t`",
        "SELECT * FROM delta.`/tmp/lake/t` VERSION AS OF 1 AS d",
        "SELECT * FROM parquet.`data/*.parquet`",
        "SELECT * FROM parquet.`data/part-0.parquet` p WHERE p.a > 1",
        "SELECT * FROM csv.`in.csv`",
        "SELECT * FROM csv.`odd``name.csv`",
        "SELECT * FROM (SELECT a FROM t) AS s",
        "SELECT * FROM (SELECT a FROM t)",
        "SELECT * FROM (SELECT a FROM (SELECT a FROM (SELECT 1 AS a))) x",
        "SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3) top3",
        "SELECT * FROM a JOIN b ON a.id = b.id",
        "SELECT * FROM a INNER JOIN b ON a.id = b.id AND a.x < b.x",
        "SELECT * FROM a LEFT JOIN b ON a.id = b.id",
        "SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id",
        "SELECT * FROM a RIGHT JOIN b ON a.id = b.id",
        "SELECT * FROM a FULL OUTER JOIN b ON a.id = b.id",
        "SELECT * FROM a CROSS JOIN b",
        "SELECT * FROM a, b, c",
        "SELECT * FROM a JOIN b ON a.i = b.i JOIN c ON b.j = c.j LEFT JOIN d ON c.k = d.k",
        "SELECT * FROM a JOIN (b JOIN c ON b.j = c.j) ON a.i = b.i",
        "SELECT * FROM a x JOIN (SELECT * FROM b) y ON x.id = y.id",
        "SELECT f.*, d.name FROM bench.facts f JOIN bench.dim d ON f.k = d.k",
        "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
        "WITH x AS (SELECT 1 AS a), y (b) AS (SELECT a FROM x) SELECT * FROM x JOIN y ON x.a = y.b",
        "WITH x AS (WITH y AS (SELECT 1) SELECT * FROM y) SELECT * FROM x",
        "SELECT a FROM t UNION ALL SELECT a FROM u",
        "SELECT a FROM t UNION SELECT a FROM u",
        "SELECT a FROM t UNION ALL SELECT a FROM u UNION ALL SELECT a FROM v ORDER BY a LIMIT 5",
        "SELECT a FROM t UNION ALL (SELECT a FROM u UNION SELECT a FROM v)",
        "(SELECT a FROM t LIMIT 1) UNION ALL (SELECT a FROM u LIMIT 1)",
        "(SELECT a FROM t)",
        "VALUES (1, 'a'), (2, 'b')",
        "SELECT * FROM (VALUES (1), (2)) v",
        "SELECT \"from\", \"select\" AS \"where\" FROM \"order\"",
        "SELECT `weird name`, \"a\"\"b\" FROM `my table`",
        "SELECT \"table\", \"set\" FROM \"values\" AS \"timestamp\"",
        "SELECT a FROM \"delta\".\"x\"",
        "SELECT a FROM _system.grants",
        "SELECT a -- trailing comment\nFROM t /* block */ WHERE a = 1",
        "SELECT a FROM t WHERE a IS DISTINCT FROM b",
        "SELECT a FROM t WHERE a > INTERVAL '1' DAY",
        // Data changes.
        "INSERT INTO t VALUES (1, 'a', NULL)",
        "INSERT INTO t VALUES (1), (2), (3)",
        "INSERT INTO ns.t (a, b) VALUES (1, 2)",
        "INSERT INTO TABLE t SELECT * FROM s",
        "INSERT INTO t (a) SELECT x FROM s WHERE x > 0",
        "INSERT INTO t (SELECT * FROM s)",
        "INSERT INTO t WITH w AS (SELECT 1 AS a) SELECT a FROM w",
        "INSERT OVERWRITE t SELECT * FROM s",
        "INSERT OVERWRITE TABLE t (a, b) VALUES (1, 2)",
        "INSERT INTO \"values\" VALUES (1)",
        "DELETE FROM t",
        "DELETE FROM t WHERE a = 1",
        "DELETE FROM ns.t AS x WHERE x.a IN (1, 2)",
        "UPDATE t SET a = 1",
        "UPDATE t SET a = a + 1, b = upper(b) WHERE id > 10",
        "UPDATE ns.t x SET x.a = NULL WHERE x.b IS NULL",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *",
        "MERGE INTO t AS tgt USING s AS src ON tgt.id = src.id WHEN MATCHED THEN UPDATE SET tgt.v = src.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (src.id, src.v)",
        "MERGE INTO t USING (SELECT id, max(v) AS v FROM s GROUP BY id) s ON t.id = s.id WHEN MATCHED AND s.v IS NULL THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED AND s.v > 0 THEN INSERT *",
        "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY TARGET THEN INSERT * WHEN NOT MATCHED BY SOURCE AND t.old THEN DELETE WHEN NOT MATCHED BY SOURCE THEN UPDATE SET stale = TRUE",
        "MERGE INTO t USING delta.`/other` o ON t.id = o.id WHEN MATCHED THEN DELETE",
        "MERGE INTO t USING s@v3 ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)",
        // Definitions.
        "CREATE TABLE t (a INT)",
        "CREATE TABLE IF NOT EXISTS ns.t (a BIGINT NOT NULL, b STRING COMMENT 'the b', c DECIMAL(10,2), d DATE, e TIMESTAMP, f TIMESTAMP_NTZ)",
        "CREATE TABLE t (a BOOLEAN, b TINYINT, c SMALLINT, d FLOAT, e DOUBLE, f BINARY)",
        "CREATE TABLE t (a ARRAY<INT>, m MAP<STRING, DOUBLE>, s STRUCT<x: INT, y: STRING>)",
        "CREATE TABLE t (a INT, CONSTRAINT pos CHECK (a > 0), CONSTRAINT small CHECK (a < 100))",
        "CREATE TABLE t (a INT, day DATE) PARTITIONED BY (day)",
        "CREATE TABLE t (a INT) COMMENT 'a table' TBLPROPERTIES ('delta.appendOnly' = 'true', 'x' = '1')",
        "CREATE TABLE t (a INT) USING delta TBLPROPERTIES (delta.checkpointInterval = 5)",
        "CREATE TABLE t AS SELECT * FROM s",
        "CREATE TABLE IF NOT EXISTS t PARTITIONED BY (d) COMMENT 'c' AS SELECT a, d FROM s",
        "CREATE TABLE \"table\" (\"select\" INT, `a b` STRING)",
        "DROP TABLE t",
        "DROP TABLE IF EXISTS ns.t",
        "ALTER TABLE t ADD COLUMNS (x INT, y STRING NOT NULL COMMENT 'y')",
        "ALTER TABLE t ADD COLUMN z DOUBLE",
        "ALTER TABLE t ADD CONSTRAINT c1 CHECK (x IS NOT NULL AND x >= 0)",
        "ALTER TABLE t DROP CONSTRAINT c1",
        "ALTER TABLE t DROP CONSTRAINT IF EXISTS c1",
        "ALTER TABLE t SET TBLPROPERTIES ('delta.logRetentionDuration' = 'interval 7 days')",
        "ALTER TABLE t UNSET TBLPROPERTIES ('a', 'b')",
        "ALTER TABLE t OWNER TO alice",
        "ALTER TABLE t SET OWNER TO `alice@example.com`",
        "CREATE NAMESPACE sales",
        "CREATE SCHEMA IF NOT EXISTS sales COMMENT 'sales data'",
        "CREATE DATABASE d",
        "ALTER NAMESPACE sales OWNER TO analysts",
        // Inspection and maintenance.
        "SHOW TABLES",
        "SHOW TABLES IN sales",
        "SHOW NAMESPACES",
        "DESCRIBE t",
        "DESCRIBE TABLE ns.t",
        "DESC detail",
        "DESCRIBE DETAIL ns.t",
        "DESCRIBE HISTORY ns.t",
        "DESCRIBE HISTORY ns.t LIMIT 3",
        "DESCRIBE HISTORY _system.grants",
        "OPTIMIZE t",
        "OPTIMIZE ns.t WHERE day = DATE '2026-01-01'",
        "OPTIMIZE t ZORDER BY (a, b)",
        "OPTIMIZE t WHERE d > '2026' ZORDER BY a",
        "VACUUM t",
        "VACUUM t RETAIN 168 HOURS",
        "VACUUM t RETAIN 1.5 HOURS DRY RUN",
        "VACUUM t DRY RUN",
        "RESTORE TABLE t TO VERSION AS OF 2",
        "RESTORE t TIMESTAMP AS OF '2026-11-29 10:00:00'",
        "RESTORE TABLE to TO VERSION AS OF 1",
        "EXPLAIN SELECT count(*) FROM t WHERE a > 1",
        "EXPLAIN INSERT INTO t SELECT * FROM s",
        // Access control.
        "CREATE USER alice",
        "CREATE USER IF NOT EXISTS `bob@example.com`",
        "CREATE GROUP analysts",
        "CREATE SERVICE PRINCIPAL etl",
        "DROP USER alice",
        "DROP GROUP IF EXISTS analysts",
        "DROP SERVICE PRINCIPAL IF EXISTS etl",
        "ALTER GROUP analysts ADD MEMBER alice",
        "ALTER GROUP admins REMOVE MEMBER analysts",
        "GRANT SELECT ON TABLE sales.orders TO analysts",
        "GRANT SELECT, MODIFY ON TABLE t TO alice",
        "GRANT USE, CREATE ON NAMESPACE sales TO alice",
        "GRANT MANAGE ON SCHEMA sales TO bob",
        "GRANT ALL PRIVILEGES ON LAKEHOUSE TO admins",
        "GRANT READ FILES ON LAKEHOUSE TO etl",
        "REVOKE SELECT ON TABLE t FROM analysts",
        "REVOKE ALL PRIVILEGES ON NAMESPACE sales FROM bob",
        "SHOW GRANTS",
        "SHOW GRANTS ON TABLE t",
        "SHOW GRANTS ON NAMESPACE sales TO alice",
        "SHOW GRANTS ON LAKEHOUSE",
        "SHOW GRANTS TO alice TIMESTAMP AS OF '2026-03-01'",
        "SHOW GRANTS ON TABLE t TIMESTAMP AS OF '2026-03-01 12:00:00'",
        "SHOW USERS",
        "SHOW GROUPS",
    ]

    @Test("the corpus has more than a hundred statements and every one parses")
    func corpusSize() throws {
        #expect(Self.corpus.count > 100)
        for text in Self.corpus {
            #expect(throws: Never.self, "\(text)") { _ = try SQLParser.parseStatement(text) }
        }
    }

    @Test("parse(sql(parse(x))) == parse(x), and sql is a fixed point", arguments: corpus)
    func roundTrip(_ text: String) throws {
        let parsed = try SQLParser.parseStatement(text)
        let printed = parsed.sql
        let reparsed = try SQLParser.parseStatement(printed)
        #expect(reparsed == parsed, "printed as: \(printed)")
        #expect(reparsed.sql == printed)
    }

    @Test("a query prints through Query.sql the same as through Statement.sql")
    func querySQL() throws {
        let query = try SQLParser.parseQuery("select a from t where b order by a limit 1")
        #expect(query.sql == "SELECT a FROM t WHERE b ORDER BY a LIMIT 1")
        #expect(Statement.query(query).sql == query.sql)
    }

    @Test("printing is canonical: keywords upper case, one line, AS before aliases, shorthand time travel spelled out")
    func canonicalForm() throws {
        #expect(try SQLParser.parseStatement("select a x from ns.t@v3 y where a>1").sql
            == "SELECT a AS x FROM ns.t VERSION AS OF 3 AS y WHERE a > 1")
        #expect(try SQLParser.parseStatement("select * from a, b").sql == "SELECT * FROM a CROSS JOIN b")
        #expect(try SQLParser.parseStatement("create schema s").sql == "CREATE NAMESPACE s")
        #expect(try SQLParser.parseStatement("merge into t using s on t.k = s.k when not matched by target then insert *").sql
            == "MERGE INTO t USING s ON t.k = s.k WHEN NOT MATCHED THEN INSERT *")
        #expect(try SQLParser.parseStatement("GRANT ALL ON TABLE t TO u").sql == "GRANT ALL PRIVILEGES ON TABLE t TO u")
    }
}
