// UPDATE with SQL conditions and SQL values (update(whereSQL:setSQL:), UpdateValue.sql):
// values read the old row, are computed only for matching rows and cast to the column
// type; checked against a reference computed here from the Rows fixture; bad SQL and
// values that do not fit commit nothing.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("UPDATE with SQL")
struct UpdateSQLTests {

    /// id → (name, score, day) of every row.
    static func rows(_ batches: [RecordBatch]) -> [Int64: [ScalarValue]] {
        var out: [Int64: [ScalarValue]] = [:]
        for b in batches {
            for i in 0..<b.rowCount {
                guard case let .int(id)? = b.column(named: "id")?.value(at: i) else { continue }
                out[id] = ["name", "score", "day"].map { b.column(named: $0)?.value(at: i) ?? .null }
            }
        }
        return out
    }

    static func fixture(_ id: Int) -> [ScalarValue] {
        [.string("n\(id)"), Rows.score(id).map { .float($0) } ?? .null, .date(Int32(20000 + id % 3))]
    }

    @Test("SET expressions read the old row; rows where the condition is not TRUE keep their values", arguments: [false, true])
    func expressions(partitioned: Bool) throws {
        let table = try Rows.table(partitioned: partitioned)
        let metrics = try table.update(whereSQL: "id BETWEEN 5 AND 14 AND score IS NOT NULL",
                                       setSQL: ["score": "score * 2 + id", "name": "upper(name) || '!'",
                                                "day": "CASE WHEN id % 2 = 0 THEN day ELSE DATE '2030-01-01' END"])
        var expected: [Int64: [ScalarValue]] = [:]
        for id in 0..<30 {
            var row = Self.fixture(id)
            if (5...14).contains(id), let s = Rows.score(id) {
                row = [.string("N\(id)!"), .float(s * 2 + Double(id)),
                       id % 2 == 0 ? row[2] : .date(21915)]  // 2030-01-01
            }
            expected[Int64(id)] = row
        }
        #expect(metrics.numUpdatedRows == 8)  // 5..14 minus 5 and 10 (NULL score)
        #expect(Self.rows(try table.read()) == expected)
        let info = try table.history(limit: 1).first?.commitInfo
        #expect(info?.operationParameters?["predicate"] == "id BETWEEN 5 AND 14 AND score IS NOT NULL")
    }

    @Test("values are computed only for matching rows: a division by zero elsewhere is not an error")
    func onlyMatchingRowsComputed() throws {
        let table = try Rows.table(partitioned: false)
        try table.update(whereSQL: "id > 0 AND id < 3", setSQL: ["score": "100 / id"])
        let rows = Self.rows(try table.read())
        #expect(rows[1]?[1] == .float(100) && rows[2]?[1] == .float(50))
        #expect(rows[0] == Self.fixture(0))
    }

    @Test("UpdateValue.sql mixes with the built-in forms; no condition updates every row")
    func mixedForms() throws {
        let table = try Rows.table(partitioned: false)
        try table.update(matching: nil, set: ["name": .literal(.string("x")), "score": .sql("coalesce(score, -1)")])
        let rows = Self.rows(try table.read())
        #expect(rows.count == 30)
        for id in 0..<30 {
            #expect(rows[Int64(id)]?[0] == .string("x"))
            #expect(rows[Int64(id)]?[1] == .float(Rows.score(id) ?? -1))
        }
    }

    @Test("bad SQL, unknown columns and values that do not fit are typed errors; nothing is committed",
          arguments: [
            ("id = 1", ["score": "nope + 1"], TableError.Code.invalidArgument),
            ("id = 1", ["score": "score +"], .invalidArgument),
            ("id =", ["score": "1"], .invalidArgument),
            ("id = 1", ["id": "NULL"], .schemaMismatch),
            ("id = 1", ["day": "'not a date'"], .schemaMismatch),
            ("id = 1", ["nope": "1"], .invalidArgument),
          ] as [(String, [String: String], TableError.Code)])
    func badInput(condition: String, set: [String: String], code: TableError.Code) throws {
        let table = try Rows.table(partitioned: false)
        let error = try #require(throws: TableError.self) { try table.update(whereSQL: condition, setSQL: set) }
        #expect(error.code == code, "\(error)")
        #expect(try table.snapshot().version == 3)
        #expect(Self.rows(try table.read()) == Dictionary(uniqueKeysWithValues: (0..<30).map { (Int64($0), Self.fixture($0)) }))
    }
}
