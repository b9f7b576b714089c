// MERGE schema evolution: with `withSchemaEvolution()` (or WriteOptions.mergeSchema)
// source columns the table lacks are added by `*All` clauses in the MERGE commit;
// without it they are ignored; explicit assignments to unknown columns are errors.
import Testing
import TarnColumnar
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("MERGE schema evolution")
struct MergeSchemaEvolutionTests {
    private static let schema = Schema([Field("key", .int64), Field("value", .int64)])
    private static let on: [(target: String, source: String)] = [(target: "key", source: "key")]

    private static func table() throws -> Table {
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema)
        try table.append([try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: [1, 2] as [Int64]), try Column(.int64, values: [10, 20] as [Int64]),
        ])])
        return table
    }

    /// Source (key, value, note): key 2 updates, key 3 inserts.
    private static func wideSource() throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("key", .int64), Field("value", .int64), Field("note", .string)]), columns: [
            try Column(.int64, values: [2, 3] as [Int64]), try Column(.int64, values: [21, 30] as [Int64]), try Column(strings: ["two", "three"]),
        ])
    }

    /// Rows as "key:value:note" sorted.
    private static func rows(_ table: Table) throws -> [String] {
        try table.read().flatMap { b in
            (0..<b.rowCount).map { i in
                ["key", "value", "note"].map { name -> String in
                    guard let column = b.column(named: name) else { return "-" }
                    switch column.value(at: i) {
                    case let .int(v): return String(v)
                    case let .string(s): return s
                    case .null: return "null"
                    default: return "?"
                    }
                }.joined(separator: ":")
            }
        }.sorted()
    }

    @Test("with evolution a new source column is added in the MERGE commit and filled for updated and inserted rows",
          arguments: [false, true])
    func evolutionAddsColumn(viaWriteOptions: Bool) throws {
        let table = try Self.table()
        let before = try table.snapshot().version
        var builder = table.merge(source: [try Self.wideSource()], on: Self.on).whenMatchedUpdateAll().whenNotMatchedInsertAll()
        if viaWriteOptions {
            var options = WriteOptions()
            options.mergeSchema = true
            builder = builder.withWriteOptions(options)
        } else {
            builder = builder.withSchemaEvolution()
        }
        let metrics = try builder.execute()
        #expect(metrics.version == before + 1)
        let schema = try table.snapshot().schema
        #expect(schema.names == ["key", "value", "note"])
        #expect(schema.field(named: "note")?.nullable == true)
        #expect(try Self.rows(table) == ["1:10:null", "2:21:two", "3:30:three"])
    }

    @Test("without evolution source columns the table lacks are ignored by *All clauses")
    func withoutEvolutionIgnored() throws {
        let table = try Self.table()
        _ = try table.merge(source: [try Self.wideSource()], on: Self.on).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
        #expect(try table.snapshot().schema.names == ["key", "value"])
        #expect(try Self.rows(table) == ["1:10:-", "2:21:-", "3:30:-"])
    }

    @Test("an explicit assignment to a column the table lacks is an error, with or without evolution", arguments: [false, true])
    func explicitUnknownIsError(evolve: Bool) throws {
        let table = try Self.table()
        let before = try table.snapshot().version
        var builder = table.merge(source: [try Self.wideSource()], on: Self.on)
            .whenMatched(update: ["note": .source("note")])
        if evolve { builder = builder.withSchemaEvolution() }
        #expect(throws: TableError.self) { try builder.execute() }
        #expect(try table.snapshot().version == before)
        #expect(try table.snapshot().schema.names == ["key", "value"])
    }

    @Test("with evolution a source lacking a target column: update * keeps the target value, insert * writes NULL")
    func missingSourceColumn() throws {
        let table = try Self.table()
        let narrow = try RecordBatch(schema: Schema([Field("key", .int64), Field("note", .string)]), columns: [
            try Column(.int64, values: [2, 3] as [Int64]), try Column(strings: ["two", "three"]),
        ])
        _ = try table.merge(source: [narrow], on: Self.on).whenMatchedUpdateAll().whenNotMatchedInsertAll()
            .withSchemaEvolution().execute()
        #expect(try Self.rows(table) == ["1:10:null", "2:20:two", "3:null:three"])
    }

    @Test("evolution is atomic: a failing merge adds no column")
    func failingMergeAddsNothing() throws {
        let table = try Self.table()
        let duplicate = try RecordBatch(schema: Schema([Field("key", .int64), Field("value", .int64), Field("note", .string)]), columns: [
            try Column(.int64, values: [2, 2] as [Int64]), try Column(.int64, values: [1, 2] as [Int64]), try Column(strings: ["a", "b"]),
        ])
        #expect(throws: TableError.self) {
            try table.merge(source: [duplicate], on: Self.on).whenMatchedUpdateAll().withSchemaEvolution().execute()
        }
        #expect(try table.snapshot().schema.names == ["key", "value"])
    }
}
