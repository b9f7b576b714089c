// Helpers for statement tests: a SQL session over a fresh temporary lakehouse, and result
// rows as text for compact expectations.
import Foundation
import Testing
import TarnColumnar
import TarnSQL
import TarnTables
import TarnTestSupport

struct StatementLakehouse {
    let directory: TemporaryDirectory
    let session: SQLSession
    var root: String { directory.path + "/lake" }

    init(_ label: String = "tarn-sql-statements") throws {
        directory = try TemporaryDirectory(label)
        session = try SQLSession(root: directory.path + "/lake")
    }

    /// Runs `sql` and returns the results; any error fails with its rendering.
    @discardableResult
    func run(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [StatementResult] {
        do {
            return try session.execute(sql)
        } catch {
            Issue.record("\(sql)\n\(error.rendered(source: sql))", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The only result of `sql`.
    func one(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> StatementResult {
        let results = try run(sql, sourceLocation: sourceLocation)
        return try #require(results.last, sourceLocation: sourceLocation)
    }

    /// The rows of the last result of `sql` as text cells (NULL for nulls).
    func rows(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [[String]] {
        try one(sql, sourceLocation: sourceLocation).cellTexts
    }

    /// The error `sql` fails with.
    func failure(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> SQLError {
        do {
            _ = try session.execute(sql)
        } catch {
            return error
        }
        Issue.record("expected \(sql) to fail", sourceLocation: sourceLocation)
        throw SQLError(.execution, "no error")
    }

    /// A lakehouse holding the join tests' two sides, plus the tables `extra` creates:
    /// l(id, name, x): 1 a 10 / 2 b 20 / NULL n 30 / 4 d 40;
    /// r(id, name2, y): 1 A 100 / 1 A2 101 / 3 C 300 / NULL N 400.
    static func joinSides(_ label: String, extra: String) throws -> StatementLakehouse {
        let lake = try StatementLakehouse(label)
        try lake.run("""
            CREATE TABLE l (id BIGINT, name STRING, x INT);
            INSERT INTO l VALUES (1, 'a', 10), (2, 'b', 20), (NULL, 'n', 30), (4, 'd', 40);
            CREATE TABLE r (id BIGINT, name2 STRING, y INT);
            INSERT INTO r VALUES (1, 'A', 100), (1, 'A2', 101), (3, 'C', 300), (NULL, 'N', 400);
            """ + extra)
        return lake
    }

    func table(_ name: String) throws -> Table {
        try session.catalog.openTable(TableIdentifier(parsing: name))
    }

    /// Rows of a table read directly through TarnTables (not through SQL), sorted.
    func tableRows(_ name: String, asOf: Int64? = nil) throws -> [[String]] {
        let table = try table(name)
        let batches = try table.read(asOf: asOf.map { .version($0) })
        var rows: [[String]] = []
        for batch in batches { rows += batch.cellTexts }
        return rows.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

extension RecordBatch {
    var cellTexts: [[String]] {
        (0..<rowCount).map { row in
            columns.map { $0.isNull(row) ? "NULL" : ValueFormatter.string($0, row: row) }
        }
    }
}

extension StatementResult {
    var cellTexts: [[String]] {
        batches.flatMap(\.cellTexts)
    }

    /// The value of column `name` in the first row.
    func value(_ name: String) -> String? {
        guard let index = schema.index(of: name), let batch = batches.first(where: { $0.rowCount > 0 }) else { return nil }
        let column = batch.columns[index]
        return column.isNull(0) ? "NULL" : ValueFormatter.string(column, row: 0)
    }
}
