// Schema evolution: appends with mergeSchema add columns; addColumns adds them without
// data; old files read new columns as nulls; incompatible changes are errors with
// nothing committed.
import Testing
import TarnColumnar
import TarnTables
import TarnTestSupport

@Suite("Schema evolution")
struct SchemaEvolutionTests {
    private func table() throws -> Table {
        let table = try Catalog(store: InMemoryFileStore()).createTable(try TableIdentifier(parsing: "a.evolve"), schema: Rows.schema)
        try table.append([try Rows.batch(0..<4)])
        return table
    }

    private func withExtra(_ ids: Range<Int>) throws -> RecordBatch {
        let base = try Rows.batch(ids)
        let extra = try Column(strings: ids.map { "tag\($0)" })
        return try RecordBatch(schema: Schema(base.schema.fields + [Field("tag", .string)]), columns: base.columns + [extra])
    }

    @Test("an append with a new column fails without mergeSchema and commits nothing")
    func newColumnRefused() throws {
        let table = try table()
        #expect { try table.append([try withExtra(4..<6)]) } throws: { ($0 as? TableError)?.code == .schemaMismatch }
        #expect(try table.snapshot().version == 1)
        #expect(try table.schema() == Rows.schema)
    }

    @Test("mergeSchema adds the column in the write's commit; old rows read it as null")
    func mergeSchemaAddsColumn() throws {
        let table = try table()
        var options = WriteOptions()
        options.mergeSchema = true
        let result = try table.append([try withExtra(4..<6)], options: options)
        #expect(result.version == 2)
        let schema = try table.schema()
        #expect(schema.names == ["id", "name", "score", "day", "tag"])
        let rows = try table.read(columns: ["id", "tag"])
        var tags: [Int64: ScalarValue] = [:]
        for batch in rows {
            for i in 0..<batch.rowCount {
                if case let .int(id) = batch.columns[0].value(at: i) { tags[id] = batch.columns[1].value(at: i) }
            }
        }
        #expect(tags[0] == .null)
        #expect(tags[5] == .string("tag5"))
        // Version 1 still has the old schema.
        #expect(try table.snapshot(asOf: .version(1)).schema == Rows.schema)
        // Later appends without the new column fill it with nulls when mergeSchema is on.
        try table.append([try Rows.batch(10..<12)], options: options)
        #expect(Rows.ids(try table.read()) == [0, 1, 2, 3, 4, 5, 10, 11])
    }

    @Test("mergeSchema never changes an existing column's type")
    func mergeSchemaTypeChange() throws {
        let table = try table()
        var options = WriteOptions()
        options.mergeSchema = true
        let bad = try RecordBatch(schema: Schema([Field("id", .string)]), columns: [try Column(strings: ["x"])])
        #expect { try table.append([bad], options: options) } throws: { ($0 as? TableError)?.code == .schemaMismatch }
        #expect(try table.snapshot().version == 1)
    }

    @Test("addColumns adds nullable columns; duplicates and NOT NULL columns are refused")
    func addColumns() throws {
        let table = try table()
        let version = try table.addColumns([Field("weight", .float64), Field("labels", .list(Field("element", .string)))])
        #expect(version == 2)
        #expect(try table.schema().names == ["id", "name", "score", "day", "weight", "labels"])
        #expect(try table.history().first?.commitInfo?.operation == "ADD COLUMNS")
        let rows = try table.read(columns: ["id", "weight"])
        #expect(rows.allSatisfy { $0.columns[1].nullCount == $0.rowCount })
        #expect { try table.addColumns([Field("ID", .int32)]) } throws: { ($0 as? TableError)?.code == .invalidArgument }
        #expect { try table.addColumns([Field("z", .int32, nullable: false)]) } throws: { ($0 as? TableError)?.code == .invalidArgument }
        #expect(try table.snapshot().version == 2)
    }
}
