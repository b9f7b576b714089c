// DELETE with SQL conditions (RowFilter.sql / delete(whereSQL:)): any TarnExpression
// condition, checked against a reference computed here from the Rows fixture (id, name
// "n<id>", score id/2 or NULL when id % 5 == 0, day 20000 + id % 3); pushdown skips
// files; the text is the commit's predicate; bad SQL commits nothing.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("DELETE with SQL conditions")
struct DeleteSQLTests {

    /// Whether row `id` is deleted by `condition` (the reference, written without SQL).
    static func deleted(by condition: String, _ id: Int) -> Bool {
        switch condition {
        case "score > 7 AND name LIKE 'n1%'": return (Rows.score(id) ?? -1) > 7 && "n\(id)".hasPrefix("n1")
        case "lower(upper(name)) IN ('n3', 'n17') OR id % 7 = 0": return id == 3 || id == 17 || id % 7 == 0
        case "score IS NULL": return Rows.score(id) == nil
        case "NOT (score < 5)": return Rows.score(id).map { !($0 < 5) } ?? false
        case "CASE WHEN id < 10 THEN TRUE ELSE id * 2 > 50 END": return id < 10 || id * 2 > 50
        case "coalesce(score, 100) >= 14": return (Rows.score(id) ?? 100) >= 14
        default: return false
        }
    }

    @Test("general conditions delete exactly the rows where they are TRUE",
          arguments: ["score > 7 AND name LIKE 'n1%'", "lower(upper(name)) IN ('n3', 'n17') OR id % 7 = 0", "score IS NULL",
                      "NOT (score < 5)", "CASE WHEN id < 10 THEN TRUE ELSE id * 2 > 50 END", "coalesce(score, 100) >= 14"],
          [false, true])
    func generalConditions(condition: String, partitioned: Bool) throws {
        let table = try Rows.table(partitioned: partitioned)
        let metrics = try table.delete(whereSQL: condition)
        let expected = (0..<30).filter { !Self.deleted(by: condition, $0) }.map(Int64.init)
        #expect(Rows.ids(try table.read()) == expected, "\(condition)")
        #expect(metrics.numDeletedRows == 30 - expected.count)
        if metrics.numDeletedRows > 0 {
            #expect(try table.history(limit: 1).first?.commitInfo?.operationParameters?["predicate"] == condition)
        }
    }

    @Test("the condition's pushdown part skips files: files of ids < 10 are never rewritten")
    func pushdownSkipsFiles() throws {
        let table = try Rows.table(partitioned: false)
        let before = try table.snapshot()
        let metrics = try table.delete(whereSQL: "id >= 10 AND lower(name) LIKE '%5'")
        #expect(metrics.numDeletedRows == 2)  // 15, 25
        #expect(metrics.numRemovedFiles == 2)
        let after = Set(try table.snapshot().files.map(\.path))
        for file in before.files(matching: .comparison(column: "id", op: .less, value: .int(10))) {
            #expect(after.contains(file.path))
        }
    }

    @Test("a condition on the partition column only removes whole files without copying rows")
    func partitionOnly() throws {
        let table = try Rows.table(partitioned: true)
        let metrics = try table.delete(whereSQL: "day = DATE '2024-10-04' OR day > CAST('2024-10-04' AS DATE)")
        // 20000 = 2024-10-04, 20001, 20002 are later: every file goes whole.
        #expect(metrics.numCopiedRows == 0 && metrics.numAddedFiles == 0)
        #expect(try table.read().reduce(0) { $0 + $1.rowCount } == 0)
    }

    @Test("the condition may qualify columns with the table's name")
    func qualified() throws {
        let table = try Rows.table(partitioned: false)
        try table.delete(whereSQL: "t.id < 3")
        #expect(Rows.ids(try table.read()) == (3..<30).map(Int64.init))
    }

    @Test("bad SQL is an invalidArgument naming where; nothing is committed",
          arguments: ["id >", "nope = 1", "name + 1 > 2", "id", "count(*) > 1", "id / 0 = 1"])
    func badSQL(condition: String) throws {
        let table = try Rows.table(partitioned: false)
        let error = try #require(throws: TableError.self) { try table.delete(whereSQL: condition) }
        #expect(error.code == .invalidArgument, "\(condition): \(error)")
        #expect(try table.snapshot().version == 3)
        #expect(Rows.ids(try table.read()) == (0..<30).map(Int64.init))
    }

    @Test("a caller-evaluated RowFilter deletes what it selects and prunes by its predicate")
    func customFilter() throws {
        let table = try Rows.table(partitioned: false)
        let filter = RowFilter(text: "id IN (SELECT ...)", prune: .comparison(column: "id", op: .greaterOrEqual, value: .int(20))) { batch in
            let ids = batch.column(named: "id")
            var builder = ScalarColumnBuilder(type: .boolean)
            for row in 0..<batch.rowCount {
                guard case let .int(id)? = ids?.value(at: row) else { try builder.append(.null); continue }
                try builder.append(.boolean(id >= 20 && id % 2 == 0))
            }
            return try builder.finish()
        }
        let metrics = try table.delete(matching: filter)
        #expect(metrics.numRemovedFiles == 1)
        #expect(Rows.ids(try table.read()) == (0..<30).filter { !($0 >= 20 && $0 % 2 == 0) }.map(Int64.init))
        #expect(try table.history(limit: 1).first?.commitInfo?.operationParameters?["predicate"] == "id IN (SELECT ...)")
    }
}
