// CHECK constraints and NOT NULL: adding verifies existing rows, every write path
// (append, overwrite, update, merge update, merge insert) refuses a violating row naming
// the constraint, its expression and the row, with nothing committed; protocol upgrade,
// drop, bad names and expressions, and races with concurrent writes.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Constraints")
struct ConstraintTests {
    static let schema = Schema([Field("id", .int64, nullable: false), Field("v", .float64), Field("s", .string)])

    /// Rows (id, v, s).
    static func batch(_ rows: [(Int64, Double?, String?)]) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: rows.map(\.0)),
            try Column(.float64, rows.map(\.1)),
            try Column(strings: rows.map(\.2)),
        ])
    }

    /// ids 0..<10 with v = id and s = "s<id>".
    static func table(store: any FileStore = InMemoryFileStore(), partitioned: Bool = false) throws -> Table {
        let table = try Table.create(store: store, path: "t", schema: schema, partitionColumns: partitioned ? ["s"] : [])
        try table.append([try batch((0..<10).map { (Int64($0), Double($0), "s\($0)") })])
        return table
    }

    static func ids(_ table: Table) throws -> [Int64] { Rows.ids(try table.read()) }

    @Test("adding a CHECK verifies existing rows: a violation names the constraint and the row; nothing is committed")
    func addVerifiesExistingRows() throws {
        let table = try Self.table()
        try table.append([try Self.batch([(10, -5, "neg")])])
        let error = try #require(throws: TableError.self) { try table.addConstraint(name: "v_nonneg", check: "v >= 0") }
        #expect(error.code == .schemaMismatch)
        #expect(error.message.contains("v_nonneg") && error.message.contains("v >= 0"), "\(error)")
        #expect(error.message.contains("id = 10") && error.message.contains("v = -5"), "\(error)")
        let violation = try #require(error.cause as? ConstraintViolation)
        #expect(violation.kind == .check && violation.name == "v_nonneg")
        #expect(violation.row.map(\.column) == ["id", "v", "s"])
        #expect(try table.snapshot().version == 2)
        #expect(try table.constraints().isEmpty)
    }

    @Test("a NULL result violates a CHECK (the Delta protocol asks for TRUE on every row)")
    func nullViolates() throws {
        let table = try Self.table()
        try table.addConstraint(name: "v_nonneg", check: "v >= 0")
        let error = try #require(throws: TableError.self) { try table.append([try Self.batch([(20, nil, "x")])]) }
        #expect(error.code == .schemaMismatch && error.message.contains("v = NULL"), "\(error)")
        #expect(try table.snapshot().version == 2)
    }

    @Test("ADD CONSTRAINT commits the metadata and upgrades the protocol to writer version 3; history names it")
    func addCommits() throws {
        let table = try Self.table()
        #expect(try table.detail().minWriterVersion == 2)
        let version = try table.addConstraint(name: "Id_Positive", check: "  id >= 0 AND s IS NOT NULL ")
        #expect(version == 2)
        #expect(try table.constraints() == [TableCheckConstraint(name: "id_positive", expression: "id >= 0 AND s IS NOT NULL")])
        let detail = try table.detail()
        #expect(detail.minWriterVersion == 3)
        #expect(detail.properties["delta.constraints.id_positive"] == "id >= 0 AND s IS NOT NULL")
        let info = try #require(try table.history(limit: 1).first?.commitInfo)
        #expect(info.operation == "ADD CONSTRAINT")
        #expect(info.operationParameters?["name"] == "id_positive")
        #expect(info.operationParameters?["expr"] == "id >= 0 AND s IS NOT NULL")
        // A second constraint keeps the protocol; a duplicate name (any case) is refused.
        try table.addConstraint(name: "small", check: "id < 1000000")
        #expect(try table.detail().minWriterVersion == 3)
        let duplicate = try #require(throws: TableError.self) { try table.addConstraint(name: "ID_POSITIVE", check: "TRUE") }
        #expect(duplicate.code == .alreadyExists)
    }

    @Test("a table-features protocol gets the checkConstraints writer feature")
    func tableFeaturesProtocol() throws {
        let schema = Schema([Field("id", .int64), Field("t", .timestamp(.ntz))])
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema)
        #expect(try table.detail().minWriterVersion == 7)
        try table.addConstraint(name: "c", check: "id > 0")
        let detail = try table.detail()
        #expect(detail.minWriterVersion == 7 && detail.writerFeatures.contains("checkConstraints"))
    }

    enum WritePath: String, CaseIterable, Sendable {
        case append, overwrite, update, mergeUpdate, mergeInsert
    }

    @Test("every write path refuses a row breaking a CHECK, naming constraint, expression and row; nothing is committed",
          arguments: WritePath.allCases, [false, true])
    func everyWritePathEnforces(path: WritePath, partitioned: Bool) throws {
        let table = try Self.table(partitioned: partitioned)
        try table.addConstraint(name: "v_range", check: "v BETWEEN 0 AND 100")
        let before = try table.snapshot().version
        let bad = try Self.batch([(3, 500, "s3")])
        let error = try #require(throws: TableError.self) {
            switch path {
            case .append: try table.append([try Self.batch([(50, 1, "ok")]), bad])
            case .overwrite: try table.overwrite([bad])
            case .update: try table.update(whereSQL: "id = 3", setSQL: ["v": "v * 1000"])
            case .mergeUpdate:
                _ = try table.merge(source: [bad], on: [(target: "id", source: "id")]).whenMatchedUpdateAll().execute()
            case .mergeInsert:
                _ = try table.merge(source: [try Self.batch([(77, 500, "n")])], on: [(target: "id", source: "id")])
                    .whenNotMatchedInsertAll().execute()
            }
        }
        #expect(error.code == .schemaMismatch, "\(error)")
        #expect(error.message.contains("v_range") && error.message.contains("v BETWEEN 0 AND 100"), "\(error)")
        #expect(error.message.contains("v = 500") || error.message.contains("v = 3000"), "\(error)")
        #expect(try table.snapshot().version == before)
        #expect(try Self.ids(table) == (0..<10).map(Int64.init))
        // Rows that satisfy it go through every path.
        switch path {
        case .append: try table.append([try Self.batch([(50, 1, "ok")])])
        case .overwrite: try table.overwrite([try Self.batch([(1, 1, "s1")])])
        case .update: try table.update(whereSQL: "id = 3", setSQL: ["v": "v * 10"])
        case .mergeUpdate, .mergeInsert:
            _ = try table.merge(source: [try Self.batch([(3, 99, "s3"), (77, 0, "n")])], on: [(target: "id", source: "id")])
                .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
        }
        #expect(try table.snapshot().version == before + 1)
    }

    @Test("an update checks only the rows it changes; copied rows are not re-checked")
    func updateChecksChangedRows() throws {
        let table = try Self.table()
        try table.addConstraint(name: "v_small", check: "v < 100")
        try table.update(whereSQL: "id < 5", setSQL: ["v": "v + 90"])
        #expect(try table.snapshot().version == 3)
        let error = try #require(throws: TableError.self) { try table.update(whereSQL: "id = 9", setSQL: ["v": "v + 91"]) }
        #expect(error.message.contains("id = 9") && error.message.contains("v = 100"), "\(error)")
    }

    @Test("dropping a constraint lets such rows in again; an unknown name is notFound unless ifExists")
    func drop() throws {
        let table = try Self.table()
        try table.addConstraint(name: "v_nonneg", check: "v >= 0")
        #expect(throws: TableError.self) { try table.append([try Self.batch([(20, -1, "x")])]) }
        let dropped = try table.dropConstraint(name: "V_NONNEG")
        #expect(dropped == 3)
        #expect(try table.constraints().isEmpty)
        #expect(try table.history(limit: 1).first?.commitInfo?.operation == "DROP CONSTRAINT")
        try table.append([try Self.batch([(20, -1, "x")])])
        let missing = try #require(throws: TableError.self) { try table.dropConstraint(name: "nope") }
        #expect(missing.code == .notFound)
        #expect(try table.dropConstraint(name: "nope", ifExists: true) == nil)
    }

    @Test("bad names and expressions are typed errors naming what is wrong; nothing is committed",
          arguments: [
            ("1abc", "v > 0", TableError.Code.invalidName),
            ("a-b", "v > 0", .invalidName),
            ("", "v > 0", .invalidName),
            ("c", "v >", .invalidArgument),
            ("c", "nope > 0", .invalidArgument),
            ("c", "v + 1", .invalidArgument),
            ("c", "sum(v) > 0", .invalidArgument),
          ])
    func badInput(name: String, expression: String, code: TableError.Code) throws {
        let table = try Self.table()
        let error = try #require(throws: TableError.self) { try table.addConstraint(name: name, check: expression) }
        #expect(error.code == code, "\(error)")
        #expect(try table.snapshot().version == 1)
    }

    @Test("a syntax error in a constraint points at line and column")
    func syntaxErrorLocation() throws {
        let table = try Self.table()
        let error = try #require(throws: TableError.self) { try table.addConstraint(name: "c", check: "v > > 0") }
        #expect(error.message.contains("line 1, column"), "\(error)")
    }

    @Test("a table created with delta.constraints.<name> gets writer version 3 and enforces it")
    func createdWithConstraint() throws {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: Self.schema,
                                     properties: ["delta.constraints.v_nonneg": "v >= 0"])
        #expect(try table.detail().minWriterVersion == 3)
        #expect(try table.constraints().map(\.name) == ["v_nonneg"])
        #expect(throws: TableError.self) { try table.append([try Self.batch([(1, -1, "x")])]) }
        try table.append([try Self.batch([(1, 1, "x")])])
    }

    @Test("a constraint Tarn cannot bind refuses writes as unsupported rather than skipping it")
    func unbindableConstraintRefusesWrites() throws {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: Self.schema,
                                     properties: ["delta.constraints.odd": "no_such_function(v) > 0"])
        let error = try #require(throws: TableError.self) { try table.append([try Self.batch([(1, 1, "x")])]) }
        #expect(error.code == .unsupported && error.message.contains("odd"), "\(error)")
    }

    // MARK: NOT NULL

    @Test("NOT NULL: setting it verifies existing rows; then a NULL is refused naming the column and row")
    func notNull() throws {
        let table = try Self.table()
        try table.append([try Self.batch([(10, nil, "x")])])
        let error = try #require(throws: TableError.self) { try table.setNullability(column: "v", nullable: false) }
        #expect(error.code == .schemaMismatch && error.message.contains("id = 10"), "\(error)")
        #expect((error.cause as? ConstraintViolation)?.kind == .notNull)
        try table.delete(whereSQL: "v IS NULL")
        let version = try table.setNullability(column: "v", nullable: false)
        #expect(version != nil)
        #expect(try table.setNullability(column: "v", nullable: false) == nil)
        #expect(try table.schema().field(named: "v")?.nullable == false)
        #expect(try table.history(limit: 1).first?.commitInfo?.operation == "CHANGE COLUMN")
        let refused = try #require(throws: TableError.self) { try table.append([try Self.batch([(11, nil, "y")])]) }
        #expect(refused.code == .schemaMismatch && refused.message.contains("'v'") && refused.message.contains("id = 11"), "\(refused)")
        #expect((refused.cause as? ConstraintViolation)?.name == "v")
        let updateRefused = try #require(throws: TableError.self) { try table.update(whereSQL: "id = 1", setSQL: ["v": "NULL"]) }
        #expect(updateRefused.code == .schemaMismatch, "\(updateRefused)")
        try table.setNullability(column: "v", nullable: true)
        try table.append([try Self.batch([(11, nil, "y")])])
    }

    // MARK: races

    @Test("an append that commits while a constraint is being added makes the ADD CONSTRAINT conflict")
    func addRacesAppend() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let adder = try Self.table(store: gate)
        let appender = try Table.open(store: base, path: "t")
        gate.beforeNextCommit { try appender.append([try Self.batch([(20, -1, "x")])]) }
        let error = try #require(throws: TableError.self) { try adder.addConstraint(name: "v_nonneg", check: "v >= 0") }
        #expect(error.code == .conflict)
        #expect(try appender.constraints().isEmpty)
    }

    @Test("an append whose commit races an ADD CONSTRAINT conflicts (the metadata changed), so no unchecked row slips in")
    func appendRacesAdd() throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let appender = try Self.table(store: gate)
        let adder = try Table.open(store: base, path: "t")
        gate.beforeNextCommit { try adder.addConstraint(name: "v_nonneg", check: "v >= 0") }
        let error = try #require(throws: TableError.self) { try appender.append([try Self.batch([(20, -1, "x")])]) }
        #expect(error.code == .conflict)
        #expect(try Self.ids(adder) == (0..<10).map(Int64.init))
    }
}
