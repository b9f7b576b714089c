// UPDATE: copy-on-write value changes checked against a reference computed here from the
// Rows fixture (id, name "n<id>", score id/2 or NULL when id % 5 == 0, day 20000 + id % 3);
// partition moves, NULL predicate results, typed errors with nothing committed.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("UPDATE")
struct UpdateTests {

    /// (id, name, score, day) rows of the table, sorted by id.
    static func rows(_ batches: [RecordBatch]) -> [[ScalarValue]] {
        batches.flatMap { b in
            (0..<b.rowCount).map { i in ["id", "name", "score", "day"].map { b.column(named: $0)?.value(at: i) ?? .null } }
        }.sorted { a, b in
            if case let .int(x) = a[0], case let .int(y) = b[0] { return x < y }
            return false
        }
    }

    static func fixtureRow(_ id: Int) -> [ScalarValue] {
        [.int(Int64(id)), .string("n\(id)"), Rows.score(id).map { .float($0) } ?? .null, .date(Int32(20000 + id % 3))]
    }

    @Test("matching rows get new values (literal, column copy, arithmetic); NULL-predicate rows are copied unchanged",
          arguments: [false, true])
    func updateValues(partitioned: Bool) throws {
        let table = try Rows.table(partitioned: partitioned)
        let before = try table.snapshot()
        let predicate = Predicate.comparison(column: "score", op: .greaterOrEqual, value: .float(10))
        let metrics = try table.update(where: predicate, set: [
            "score": .multiply(column: "score", .int(2)),
            "name": .literal(.string("big")),
            "id": .add(column: "id", .int(1000)),
        ])
        let expected = (0..<30).map { id -> [ScalarValue] in
            guard let s = Rows.score(id), s >= 10 else { return Self.fixtureRow(id) }
            return [.int(Int64(id + 1000)), .string("big"), .float(s * 2), .date(Int32(20000 + id % 3))]
        }.sorted { a, b in
            if case let .int(x) = a[0], case let .int(y) = b[0] { return x < y }
            return false
        }
        #expect(Self.rows(try table.read()) == expected)
        let updated = (0..<30).filter { (Rows.score($0) ?? 0) >= 10 }.count
        #expect(metrics.numUpdatedRows == updated)
        #expect(metrics.version == 4)
        // The files of ids 0..<10 (score ≤ 4.5) are pruned and keep their paths.
        let after = Set(try table.snapshot().files.map(\.path))
        for file in before.files(matching: .comparison(column: "id", op: .less, value: .int(10))) {
            #expect(after.contains(file.path))
        }
        #expect(Self.rows(try table.read(asOf: .version(3))) == (0..<30).map(Self.fixtureRow))
        let record = try #require(try table.history(limit: 1).first)
        #expect(record.commitInfo?.operation == "UPDATE")
        #expect(record.commitInfo?.operationParameters?["predicate"] == predicate.description)
        let m = try #require(record.commitInfo?.operationMetrics)
        #expect(m["numUpdatedRows"] == String(updated))
        #expect(m["numCopiedRows"] == String(metrics.numCopiedRows))
        #expect(m["numAddedFiles"] == String(metrics.numAddedFiles))
        #expect(m["numRemovedFiles"] == String(metrics.numRemovedFiles))
    }

    @Test("updating the partition column moves rows to the new partition directory")
    func movePartition() throws {
        let table = try Rows.table(partitioned: true)
        try table.update(where: .inList(column: "id", values: [.int(4), .int(7)]), set: ["day": .literal(.date(20002))])
        let moved = try table.read(predicate: .comparison(column: "day", op: .equal, value: .date(20002)))
        #expect(Rows.ids(moved) == ((0..<30).filter { $0 % 3 == 2 } + [4, 7]).map(Int64.init).sorted())
        #expect(Rows.ids(try table.read()) == (0..<30).map(Int64.init))
        for file in try table.snapshot().files {
            let day = try #require(file.partitionValues["day"] ?? nil)
            #expect(file.decodedPath.hasPrefix("day=\(day)/"))
        }
    }

    @Test("update without a predicate changes every row; a predicate matching nothing commits nothing")
    func updateAllAndNothing() throws {
        let table = try Rows.table(partitioned: false)
        let none = try table.update(where: .comparison(column: "id", op: .less, value: .int(0)), set: ["name": .literal(.string("x"))])
        #expect(none.version == nil)
        let all = try table.update(set: ["name": .column("id")])
        #expect(all.numUpdatedRows == 30 && all.numCopiedRows == 0)
        let names = try table.read(columns: ["name"]).flatMap { b in (0..<b.rowCount).map { b.columns[0].value(at: $0) } }
        #expect(Set(names) == Set((0..<30).map { ScalarValue.string(String($0)) }))
    }

    struct BadUpdate: Sendable, CustomStringConvertible {
        var set: [String: UpdateValue]
        var code: TableError.Code
        var description: String { "\(set) → \(code)" }
    }

    @Test("bad input is a typed error and commits nothing", arguments: [
        BadUpdate(set: ["nope": .literal(.int(1))], code: .invalidArgument),
        BadUpdate(set: ["name": .column("nope")], code: .invalidArgument),
        BadUpdate(set: [:], code: .invalidArgument),
        BadUpdate(set: ["id": .literal(.string("abc"))], code: .schemaMismatch),
        BadUpdate(set: ["id": .literal(.null)], code: .schemaMismatch),
        BadUpdate(set: ["id": .column("score")], code: .schemaMismatch),
        BadUpdate(set: ["id": .multiply(column: "id", .int(Int64.max))], code: .schemaMismatch),
        BadUpdate(set: ["name": .add(column: "name", .int(1))], code: .invalidArgument),
    ])
    func badInput(_ bad: BadUpdate) throws {
        let table = try Rows.table(partitioned: false)
        let error = try #require(throws: TableError.self) {
            try table.update(where: .comparison(column: "id", op: .greater, value: .int(3)), set: bad.set)
        }
        #expect(error.code == bad.code)
        #expect(try table.snapshot().version == 3)
        #expect(Self.rows(try table.read()) == (0..<30).map(Self.fixtureRow))
    }

    @Test("arithmetic on a NULL value gives NULL; an update of a partition conflicts with a concurrent append to it",
          arguments: [true, false])
    func nullArithmeticAndConflict(samePartition: Bool) throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let updater = try Table.create(store: gate, path: "t", schema: Rows.schema, partitionColumns: ["day"])
        try updater.append([try Rows.batch(0..<30)])
        let appender = try Table.open(store: base, path: "t")
        // ids ≡ 2 (mod 3) live in day 20002, the updated partition; ids ≡ 0 in day 20000.
        let appended = samePartition ? [101, 104] : [99, 102]
        gate.beforeNextCommit {
            let result = try appender.append([try Rows.batch(appended)])
            #expect(result.version == 2)
        }
        let predicate = Predicate.comparison(column: "day", op: .equal, value: .date(20002))
        let set: [String: UpdateValue] = ["score": .add(column: "score", .float(0.25))]
        if samePartition {
            let error = try #require(throws: TableError.self) { try updater.update(where: predicate, set: set, conflictRetries: 0) }
            #expect(error.code == .conflict)
            #expect(try appender.snapshot().version == 2)
        } else {
            let metrics = try updater.update(where: predicate, set: set)
            #expect(metrics.version == 3)
            #expect(metrics.numUpdatedRows == 10)
            let expected = ((0..<30).map { $0 } + appended).map { id -> [ScalarValue] in
                var row = Self.fixtureRow(id)
                if id % 3 == 2, let s = Rows.score(id) { row[2] = .float(s + 0.25) }
                return row
            }.sorted { a, b in
                if case let .int(x) = a[0], case let .int(y) = b[0] { return x < y }
                return false
            }
            #expect(Self.rows(try appender.read()) == expected)
            // id 5 and 20 (score NULL) are in day 20002 and stay NULL.
            #expect(expected.contains { $0[0] == .int(5) && $0[2] == .null })
        }
    }
}
