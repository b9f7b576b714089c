// Queries through the parser, planner and executor against a real lakehouse directory:
// filters and projections, GROUP BY/HAVING, joins with NULL keys, ORDER BY defaults and
// LIMIT/OFFSET, DISTINCT, UNION ALL, VALUES, CTEs, subqueries, path tables, EXPLAIN
// pruning numbers, and errors. Expected rows are computed here from the inserted data.
import Foundation
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport
@testable import TarnSQL

/// A lakehouse with `s.items` (id, g, v, name) and `s.tags` (id, tag), rows known to the tests.
final class QueryFixture {
    let directory: TemporaryDirectory
    let catalog: Catalog
    static let ids: [Int64] = Array(0..<40)
    static func g(_ id: Int64) -> Int64? { id % 7 == 6 ? nil : id % 4 }
    static func v(_ id: Int64) -> Int64? { id % 5 == 0 ? nil : id * 3 - 50 }
    static func name(_ id: Int64) -> String? { id % 9 == 0 ? nil : "n\(id % 6)" }

    init() throws {
        directory = try TemporaryDirectory("sql-query")
        catalog = try Catalog(root: directory.path)
        let schema = Schema([Field("id", .int64), Field("g", .int64), Field("v", .int64), Field("name", .string)])
        let items = try catalog.createTable(TableIdentifier(namespace: "s", name: "items"), schema: schema)
        // Two appends: two files.
        for part in [Self.ids.prefix(20), Self.ids.suffix(20)] {
            try items.append([try RecordBatch(schema: schema, columns: [
                try Column(.int64, part.map { Optional($0) }), try Column(.int64, part.map(Self.g)),
                try Column(.int64, part.map(Self.v)), try Column(strings: part.map(Self.name)),
            ])])
        }
        let tagSchema = Schema([Field("id", .int64), Field("tag", .string)])
        let tags = try catalog.createTable(TableIdentifier(namespace: "s", name: "tags"), schema: tagSchema)
        try tags.append([try RecordBatch(schema: tagSchema, columns: [
            try Column(.int64, [Int64?]([1, 1, 2, 50, nil, 7])), try Column(strings: ["a", "b", "c", "z", "null-key", "d"]),
        ])])
    }

    deinit { directory.remove() }

    func run(_ sql: String, memory: Int = QueryContext.defaultMemoryLimit) throws -> [[ScalarValue]] {
        rows(try result(sql, memory: memory).batches)
    }

    func result(_ sql: String, memory: Int = QueryContext.defaultMemoryLimit) throws -> QueryResult {
        let parsed = try SQLParser.parse(sql)
        guard parsed.count == 1, case let .query(query) = parsed[0].statement else {
            throw SQLError(.syntax, "not one query: \(sql)")
        }
        return try QueryRunner.run(query, context: QueryContext(catalog: catalog, memoryLimitBytes: memory))
    }

    func explain(_ sql: String) throws -> String {
        let parsed = try SQLParser.parse(sql)
        guard case let .query(query) = parsed[0].statement else { throw SQLError(.syntax, "not a query") }
        return try QueryRunner.explain(query, context: QueryContext(catalog: catalog))
    }
}

func int(_ value: Int64?) -> ScalarValue { value.map { .int($0) } ?? .null }
func str(_ value: String?) -> ScalarValue { value.map { .string($0) } ?? .null }

@Suite("Query SQL end to end")
struct QuerySQLTests {
    let fixture: QueryFixture
    init() throws { fixture = try QueryFixture() }

    @Test("WHERE with AND/OR/NULL and arithmetic projection")
    func filterProject() throws {
        let got = try fixture.run("SELECT id, v * 2 + 1 AS w FROM s.items WHERE (g = 1 OR g IS NULL) AND v > 10")
        let expected = QueryFixture.ids.filter { id in
            let g = QueryFixture.g(id)
            guard let v = QueryFixture.v(id), v > 10 else { return false }
            return g == 1 || g == nil
        }.map { [int($0), int(QueryFixture.v($0).map { $0 * 2 + 1 })] }
        #expect(canonical(got) == canonical(expected))
        let result = try fixture.result("SELECT id, v * 2 + 1 AS w FROM s.items WHERE id < 3")
        #expect(result.schema.names == ["id", "w"])
    }

    @Test("GROUP BY with HAVING, ORDER BY an aggregate alias, NULL group key")
    func groupBy() throws {
        let got = try fixture.run("""
            SELECT g, count(*) AS n, sum(v) AS total, count(name) FROM s.items
            GROUP BY g HAVING count(*) > 2 ORDER BY total DESC, g
            """)
        var groups: [Int64?: [Int64]] = [:]
        for id in QueryFixture.ids { groups[QueryFixture.g(id), default: []].append(id) }
        var expected: [(Int64?, Int64, Int64?, Int64)] = []
        for (g, ids) in groups where ids.count > 2 {
            let values = ids.compactMap(QueryFixture.v)
            expected.append((g, Int64(ids.count), values.isEmpty ? nil : values.reduce(0, +), Int64(ids.compactMap(QueryFixture.name).count)))
        }
        expected.sort { a, b in
            if a.2 != b.2 {
                guard let x = a.2 else { return false }  // NULLS LAST
                guard let y = b.2 else { return true }
                return x > y
            }
            guard let x = a.0 else { return false }
            guard let y = b.0 else { return true }
            return x < y
        }
        #expect(got == expected.map { [int($0.0), .int($0.1), int($0.2), .int($0.3)] })
    }

    @Test("GROUP BY an expression, by position and by alias give the same groups")
    func groupByForms() throws {
        let a = try fixture.run("SELECT id % 3, count(*) FROM s.items GROUP BY id % 3")
        let b = try fixture.run("SELECT id % 3 AS m, count(*) FROM s.items GROUP BY 1")
        let c = try fixture.run("SELECT id % 3 AS m, count(*) FROM s.items GROUP BY m")
        #expect(canonical(a) == canonical([[.int(0), .int(14)], [.int(1), .int(13)], [.int(2), .int(13)]]))
        #expect(canonical(a) == canonical(b) && canonical(b) == canonical(c))
    }

    @Test("aggregates without GROUP BY over no rows: count 0, sum NULL")
    func emptyAggregate() throws {
        #expect(try fixture.run("SELECT count(*), sum(v), max(name) FROM s.items WHERE id > 1000") == [[.int(0), .null, .null]])
    }

    @Test("inner, left, right and full joins: NULL keys never match")
    func joins() throws {
        func expected(_ kind: String) -> [[ScalarValue]] {
            let tags: [(Int64?, String)] = [(1, "a"), (1, "b"), (2, "c"), (50, "z"), (nil, "null-key"), (7, "d")]
            let left = QueryFixture.ids.filter { $0 < 10 }
            var out: [[ScalarValue]] = []
            var matched = Set<Int>()
            for id in left {
                var any = false
                for (j, t) in tags.enumerated() where t.0 == id {
                    out.append([.int(id), .string(t.1)]); any = true; matched.insert(j)
                }
                if !any && (kind == "LEFT" || kind == "FULL") { out.append([.int(id), .null]) }
            }
            if kind == "RIGHT" || kind == "FULL" {
                for (j, t) in tags.enumerated() where !matched.contains(j) { out.append([.null, .string(t.1)]) }
            }
            return out
        }
        for kind in ["INNER", "LEFT", "RIGHT", "FULL"] {
            let got = try fixture.run("SELECT i.id, t.tag FROM (SELECT id FROM s.items WHERE id < 10) i \(kind) JOIN s.tags t ON i.id = t.id")
            #expect(canonical(got) == canonical(expected(kind)), "\(kind) JOIN")
        }
        // WHERE on the preserved side of a left join is pushed; on the other side it filters after.
        let got = try fixture.run("SELECT i.id, t.tag FROM s.items i LEFT JOIN s.tags t ON i.id = t.id WHERE i.id < 3 AND t.tag IS NULL")
        #expect(canonical(got) == canonical([[.int(0), .null]]))
    }

    @Test("ORDER BY defaults to ASC NULLS LAST; LIMIT/OFFSET slice after ordering")
    func orderLimit() throws {
        let got = try fixture.run("SELECT id, v FROM s.items ORDER BY v, id LIMIT 5 OFFSET 2")
        let ordered = QueryFixture.ids.sorted { a, b in
            let x = QueryFixture.v(a), y = QueryFixture.v(b)
            if x != y {
                guard let x else { return false }
                guard let y else { return true }
                return x < y
            }
            return a < b
        }
        #expect(got == ordered.dropFirst(2).prefix(5).map { [.int($0), int(QueryFixture.v($0))] })
        let last = try fixture.run("SELECT v FROM s.items ORDER BY v DESC LIMIT 100")
        #expect(last.suffix(8).allSatisfy { $0 == [.null] }, "NULLs last for DESC too")
        #expect(try fixture.run("SELECT id FROM s.items LIMIT 0").isEmpty)
        #expect(try fixture.run("SELECT id FROM s.items ORDER BY id LIMIT 3 OFFSET 39") == [[.int(39)]])
        // ORDER BY a column not in the select list.
        #expect(try fixture.run("SELECT name FROM s.items WHERE id IN (3, 1, 2) ORDER BY id DESC") == [[str("n3")], [str("n2")], [str("n1")]])
    }

    @Test("DISTINCT, UNION ALL, VALUES, CTEs and subqueries in FROM")
    func shapes() throws {
        #expect(canonical(try fixture.run("SELECT DISTINCT g FROM s.items")) == canonical([[.int(0)], [.int(1)], [.int(2)], [.int(3)], [.null]]))
        #expect(try fixture.run("SELECT id FROM s.items WHERE id < 2 UNION ALL SELECT id FROM s.tags WHERE tag = 'z' ORDER BY 1")
                == [[.int(0)], [.int(1)], [.int(50)]])
        #expect(canonical(try fixture.run("VALUES (1, 'a'), (2, NULL)")) == canonical([[.int(1), .string("a")], [.int(2), .null]]))
        #expect(try fixture.run("""
            WITH big AS (SELECT id, v FROM s.items WHERE v > 60), counted AS (SELECT count(*) AS n FROM big)
            SELECT n FROM counted
            """) == [[.int(Int64(QueryFixture.ids.filter { (QueryFixture.v($0) ?? 0) > 60 }.count))]])
        #expect(try fixture.run("SELECT q.m FROM (SELECT max(id) AS m FROM s.items) q") == [[.int(39)]])
        #expect(try fixture.run("SELECT 1 + 2 AS three, 'x'") == [[.int(3), .string("x")]])
    }

    @Test("unknown and ambiguous columns are binding errors with a location")
    func errors() throws {
        do {
            _ = try fixture.run("SELECT nope FROM s.items")
            Issue.record("expected an error")
        } catch let error as SQLError {
            #expect(error.kind == .binding)
            #expect(error.location != nil)
        }
        #expect(throws: SQLError.self) { _ = try fixture.run("SELECT id FROM s.items i JOIN s.tags t ON i.id = t.id") }
        #expect(throws: SQLError.self) { _ = try fixture.run("SELECT id FROM s.nothere") }
        #expect(throws: SQLError.self) { _ = try fixture.run("SELECT id, count(*) FROM s.items WHERE count(*) > 1") }
    }

    @Test("a query over the memory limit fails with a memoryLimit error")
    func memoryLimit() throws {
        do {
            _ = try fixture.run("SELECT a.id, b.id FROM s.items a CROSS JOIN s.items b ORDER BY a.id", memory: 2_000)
            Issue.record("expected the memory limit to be hit")
        } catch let error as SQLError {
            #expect(error.kind == .memoryLimit)
        }
    }

    @Test("EXPLAIN shows the plan with files and row groups total and skipped")
    func explain() throws {
        let text = try fixture.explain("SELECT count(*) FROM s.items WHERE id >= 30")
        #expect(text.contains("HashAggregate"))
        #expect(text.contains("Scan s.items"))
        #expect(text.contains("files: 2 total, 1 skipped"))
        #expect(text.contains("row groups: 1 total"))
    }

    @Test("delta.`path`, parquet.`glob` and csv.`path` tables")
    func pathTables() throws {
        let tablePath = fixture.directory.path + "/s/items"
        #expect(try fixture.run("SELECT count(*) FROM delta.`\(tablePath)`") == [[.int(40)]])
        let table = try fixture.catalog.openTable(TableIdentifier(namespace: "s", name: "items"))
        let first = try #require(try table.snapshot().files.first?.decodedPath)
        let directory = (tablePath + "/" + first).split(separator: "/").dropLast().joined(separator: "/")
        #expect(try fixture.run("SELECT count(*) FROM parquet.`/\(directory)/*.parquet`") == [[.int(40)]])
        let csv = fixture.directory.path + "/small.csv"
        try "k,label\n1,one\n2,two\n3,\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try fixture.run("SELECT label FROM csv.`\(csv)` WHERE k >= 2 ORDER BY k") == [[.string("two")], [.null]])
    }
}
