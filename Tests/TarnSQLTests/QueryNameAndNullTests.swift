// Teammate-reported planner bugs, pinned: a bare NULL takes the type of the other UNION
// input or VALUES row (as in DuckDB), and an unknown column in the select list or WHERE
// is named with the closest real column suggested, even when scans read no column.
import Testing
import TarnColumnar
@testable import TarnSQL

@Suite("Query NULL typing and unknown-column messages")
struct QueryNameAndNullTests {
    let fixture: QueryFixture
    init() throws { fixture = try QueryFixture() }

    @Test("a bare NULL in UNION ALL or VALUES takes the other side's type",
          arguments: [
              ("SELECT 1 UNION ALL SELECT NULL", DataType.int32),
              ("SELECT NULL UNION ALL SELECT 1", .int32),
              ("SELECT 'a' UNION ALL SELECT NULL", .string),
              ("SELECT NULL UNION ALL SELECT DATE '2024-01-02'", .date32),
              ("VALUES (1), (NULL), (3)", .int32),
              ("VALUES (NULL), ('x')", .string),
              ("SELECT id FROM s.items WHERE id = 1 UNION ALL SELECT NULL", .int64),
          ])
    func bareNullTakesOtherType(sql: String, type: DataType) throws {
        let result = try fixture.result(sql)
        #expect(result.schema.fields[0].type == type)
        let values = rows(result.batches).map { $0[0] }
        #expect(values.contains(.null))
        #expect(values.count >= 2)
    }

    @Test("NULL UNION ALL NULL stays a NULL column")
    func nullWithNull() throws {
        #expect(try fixture.run("SELECT NULL UNION ALL SELECT NULL") == [[.null], [.null]])
    }

    @Test("an unknown column names itself and suggests the closest real column",
          arguments: [
              ("SELECT nme FROM s.items", "nme", "name"),
              ("SELECT nme, count(*) FROM s.items GROUP BY id", "nme", "name"),
              ("SELECT id FROM s.items WHERE nme = 'x'", "nme", "name"),
              ("SELECT count(*) FROM s.items WHERE vv > 1", "vv", "v"),
              ("SELECT i.nme FROM s.items i JOIN s.tags t ON i.id = t.id", "i.nme", "name"),
              ("SELECT i.id FROM s.items i JOIN s.tags t ON i.id = t.idd", "t.idd", "id"),
          ])
    func unknownColumnSuggests(sql: String, written: String, suggested: String) throws {
        do {
            _ = try fixture.run(sql)
            Issue.record("expected an unknown-column error for \(sql)")
        } catch let error as SQLError {
            #expect(error.message.contains("unknown column '\(written)'"), "\(error.message)")
            #expect(error.message.contains("did you mean"), "\(error.message)")
            #expect(error.message.contains(suggested), "\(error.message)")
            #expect(!error.message.contains("no columns are in scope"), "\(error.message)")
        }
    }
}
