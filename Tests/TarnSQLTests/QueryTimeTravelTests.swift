// Time travel through SQL on a table with several versions (appends, an overwrite, an
// optimize and a restore): VERSION AS OF, the @vN shorthand and TIMESTAMP AS OF each read
// exactly the rows of the version they name.
import Foundation
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport
@testable import TarnSQL

@Suite("Query time travel")
struct QueryTimeTravelTests {
    static let schema = Schema([Field("id", .int64), Field("v", .int64)])

    func batch(_ ids: Range<Int64>) throws -> RecordBatch {
        try RecordBatch(schema: Self.schema, columns: [try Column(.int64, values: Array(ids)), try Column(.int64, values: ids.map { $0 * 10 })])
    }

    func ids(_ result: QueryResult) -> [Int64] {
        rows(result.batches).compactMap { if case let .int(x) = $0[0] { return x } else { return nil } }.sorted()
    }

    func query(_ sql: String, _ catalog: Catalog) throws -> QueryResult {
        let parsed = try SQLParser.parse(sql)
        guard case let .query(q) = parsed[0].statement else { throw SQLError(.syntax, "not a query") }
        return try QueryRunner.run(q, context: QueryContext(catalog: catalog))
    }

    @Test("every version reads its own rows, after overwrite, optimize and restore")
    func versions() throws {
        let dir = try TemporaryDirectory("sql-time-travel")
        defer { dir.remove() }
        let catalog = try Catalog(root: dir.path)
        let table = try catalog.createTable(TableIdentifier(namespace: "tt", name: "t"), schema: Self.schema)  // v0
        try table.append([try batch(0..<10)])       // v1
        try table.append([try batch(10..<25)])      // v2
        try table.append([try batch(25..<30)])      // v3
        try table.overwrite([try batch(100..<104)]) // v4
        try table.append([try batch(104..<106)])    // v5
        _ = try table.optimize()                    // v6: same rows, compacted
        _ = try table.restore(toVersion: 3)         // v7: rows of v3
        let expected: [Int64: [Int64]] = [
            0: [], 1: Array(0..<10), 2: Array(0..<25), 3: Array(0..<30), 4: Array(100..<104), 5: Array(100..<106),
            6: Array(100..<106), 7: Array(0..<30),
        ]
        for (version, want) in expected {
            #expect(ids(try query("SELECT id FROM tt.t VERSION AS OF \(version)", catalog)) == want, "VERSION AS OF \(version)")
            #expect(ids(try query("SELECT id FROM tt.t@v\(version)", catalog)) == want, "@v\(version)")
        }
        #expect(ids(try query("SELECT id FROM tt.t", catalog)) == Array(0..<30))
        // Aggregates and filters on an old version.
        let sum = rows(try query("SELECT sum(v), count(*) FROM tt.t VERSION AS OF 2 WHERE id >= 5", catalog).batches)
        #expect(sum == [[.int((5..<25).reduce(0) { $0 + $1 * 10 }), .int(20)]])

        // TIMESTAMP AS OF: the latest version committed at or before the instant.
        let history = try table.history()
        for record in history where record.version >= 1 {
            let instant = Date(timeIntervalSince1970: Double(record.timestamp) / 1000)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
            let text = formatter.string(from: instant)
            let resolved = history.filter { $0.timestamp <= record.timestamp }.map(\.version).max() ?? record.version
            let want = try #require(expected[resolved])
            #expect(ids(try query("SELECT id FROM tt.t TIMESTAMP AS OF '\(text)'", catalog)) == want, "TIMESTAMP AS OF \(text)")
        }
        #expect(throws: SQLError.self) { _ = try query("SELECT id FROM tt.t VERSION AS OF 99", catalog) }
    }
}
