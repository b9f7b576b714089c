// Type widening: Table.changeColumnType for the protocol's allowed changes (files written
// before are read cast up, also under predicates), the delta.typeChanges metadata and the
// typeWidening feature, refusals of narrowing/incompatible changes with nothing written,
// and automatic widening by append/merge with mergeSchema on tables that enable it.
import Testing
import TarnColumnar
import TarnLog
@testable import TarnTables
import TarnTestSupport

@Suite("Type widening")
struct TypeWideningTests {
    /// A table (id int64, v `type`) with one file holding `values` (ids 0...).
    private static func table(_ type: DataType, _ values: Column, properties: [String: String] = [:]) throws -> Table {
        let schema = Schema([Field("id", .int64), Field("v", type)])
        let table = try Table.create(store: InMemoryFileStore(), path: "t", schema: schema, properties: properties)
        try table.append([try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: (0..<Int64(values.count)).map { $0 }), values,
        ])])
        return table
    }

    /// Column `v` of the whole table ordered by id, as scalars.
    private static func values(_ table: Table, predicate: Predicate? = nil) throws -> [ScalarValue] {
        let batches = try table.read(predicate: predicate)
        var pairs: [(Int64, ScalarValue)] = []
        for b in batches {
            for i in 0..<b.rowCount {
                guard case let .int(id) = b.column(named: "id")?.value(at: i) else { continue }
                pairs.append((id, b.column(named: "v")?.value(at: i) ?? .null))
            }
        }
        return pairs.sorted { $0.0 < $1.0 }.map(\.1)
    }

    struct Widening: Sendable, CustomStringConvertible {
        var from: DataType
        var to: DataType
        var old: @Sendable () throws -> Column
        var description: String { "\(from) → \(to)" }
    }

    static let widenings: [Widening] = [
        Widening(from: .int8, to: .int16) { try Column(.int8, values: [Int8(-3), 7]) },
        Widening(from: .int16, to: .int32) { try Column(.int16, values: [Int16(-300), 7]) },
        Widening(from: .int32, to: .int64) { try Column(.int32, values: [Int32.min, 7]) },
        Widening(from: .int8, to: .int64) { try Column(.int8, values: [Int8(-3), 7]) },
        Widening(from: .float32, to: .float64) { try Column(.float32, values: [Float(1.5), -2]) },
        Widening(from: .int32, to: .float64) { try Column(.int32, values: [Int32(-3), 7]) },
        Widening(from: .date32, to: .timestamp(.ntz)) { try Column(.date32, values: [Int32(0), 19000]) },
        Widening(from: .int32, to: .decimal(precision: 12, scale: 2)) { try Column(.int32, values: [Int32(-3), 7]) },
        Widening(from: .decimal(precision: 5, scale: 2), to: .decimal(precision: 8, scale: 3)) {
            try Column(strings: ["1.25", "-3.50"]).cast(to: .decimal(precision: 5, scale: 2))
        },
    ]

    @Test("allowed widenings commit metadata only; old files read cast up to the new type", arguments: widenings)
    func allowed(_ widening: Widening) throws {
        let old = try widening.old()
        let table = try Self.table(widening.from, old)
        let filesBefore = try table.snapshot().files.map(\.path)
        let version = try table.changeColumnType(column: "v", to: widening.to)
        let snapshot = try table.snapshot()
        #expect(snapshot.version == version)
        #expect(snapshot.files.map(\.path) == filesBefore)
        #expect(snapshot.schema.field(named: "v")?.type == widening.to)
        #expect(snapshot.tableProtocol.hasReaderFeature("typeWidening") && snapshot.tableProtocol.hasWriterFeature("typeWidening"))
        #expect(snapshot.tableProtocol.minReaderVersion == 3 && snapshot.tableProtocol.minWriterVersion == 7)
        #expect(snapshot.configuration["delta.enableTypeWidening"] == "true")
        let expected = try old.cast(to: widening.to)
        #expect(try Self.values(table) == (0..<expected.count).map { expected.value(at: $0) })
        // A new file of the wide type reads next to the old one.
        let wide = try RecordBatch(schema: Schema([Field("id", .int64), Field("v", widening.to)]), columns: [
            try Column(.int64, values: [100] as [Int64]), Column.nulls(widening.to, count: 1),
        ])
        try table.append([wide])
        #expect(try Self.values(table).count == old.count + 1)
    }

    @Test("the change is recorded in delta.typeChanges as the protocol's JSON array, in the log's schema string")
    func typeChangesMetadata() throws {
        let table = try Self.table(.int16, try Column(.int16, values: [Int16(1)]))
        try table.changeColumnType(column: "v", to: .int32)
        try table.changeColumnType(column: "V", to: .int64)
        let snapshot = try table.snapshot()
        let schema = try JSONParser.parse(snapshot.metadata.schemaString)
        let field = try #require(schema.members?.first { $0.key == "fields" }?.value.elements?[1].members)
        let metadata = try #require(field.first { $0.key == "metadata" }?.value.members)
        let changes = try #require(metadata.first { $0.key == "delta.typeChanges" }?.value.elements)
        #expect(changes.count == 2)
        let pairs = changes.map { change -> String in
            let members = change.members ?? []
            func text(_ key: String) -> String {
                if case let .string(s)? = members.first(where: { $0.key == key })?.value { return s }
                return "?"
            }
            return text("fromType") + "→" + text("toType")
        }
        #expect(pairs == ["short→integer", "integer→long"])
        // Later schema changes keep the array.
        try table.addColumns([Field("w", .string)])
        #expect(try table.snapshot().metadata.schemaString.contains("\"delta.typeChanges\":[{"))
    }

    @Test("a predicate on a widened column filters old files correctly")
    func predicateOnOldFiles() throws {
        let table = try Self.table(.int32, try Column(.int32, values: [Int32(1), 5, 9]))
        try table.changeColumnType(column: "v", to: .int64)
        #expect(try Self.values(table, predicate: .comparison(column: "v", op: .greaterOrEqual, value: .int(5))) == [.int(5), .int(9)])
        let dates = try Self.table(.date32, try Column(.date32, values: [Int32(0), 10]))
        try dates.changeColumnType(column: "v", to: .timestamp(.ntz))
        let tenDays = Int64(10) * 86_400_000_000
        #expect(try Self.values(dates, predicate: .comparison(column: "v", op: .equal, value: .timestamp(tenDays, .ntz))).count == 1)
    }

    @Test("narrowing and incompatible changes are schemaMismatch errors and write nothing", arguments: [
        (DataType.int64, DataType.int32), (.float64, .float32), (.int64, .float64), (.string, .int64), (.int32, .string),
        (.timestamp(.ntz), .date32), (.date32, .timestamp(.utc)), (.decimal(precision: 10, scale: 2), .decimal(precision: 10, scale: 3)),
        (.int32, .decimal(precision: 9, scale: 0)), (.int64, .decimal(precision: 19, scale: 0)),
    ])
    func refused(_ from: DataType, _ to: DataType) throws {
        let table = try Self.table(from, Column.nulls(from, count: 1))
        let before = try table.snapshot().version
        #expect {
            try table.changeColumnType(column: "v", to: to)
        } throws: { error in
            (error as? TableError)?.code == .schemaMismatch
        }
        #expect(try table.snapshot().version == before)
        #expect(try table.snapshot().schema.field(named: "v")?.type == from)
    }

    @Test("unknown columns, the same type and partition columns are refused")
    func otherRefusals() throws {
        let table = try Self.table(.int32, try Column(.int32, values: [Int32(1)]))
        #expect(throws: TableError.self) { try table.changeColumnType(column: "nope", to: .int64) }
        #expect(throws: TableError.self) { try table.changeColumnType(column: "v", to: .int32) }
        let schema = Schema([Field("p", .int32), Field("x", .int64)])
        let partitioned = try Table.create(store: InMemoryFileStore(), path: "p", schema: schema, partitionColumns: ["p"])
        #expect(throws: TableError.self) { try partitioned.changeColumnType(column: "p", to: .int64) }
    }

    private static func wideBatch(_ values: [Int64]) throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("id", .int64), Field("v", .int64)]), columns: [
            try Column(.int64, values: values.map { $0 + 10 }), try Column(.int64, values: values),
        ])
    }

    @Test("append with mergeSchema widens automatically only when the table enables type widening")
    func automaticOnAppend() throws {
        var options = WriteOptions()
        options.mergeSchema = true
        let plain = try Self.table(.int32, try Column(.int32, values: [Int32(1)]))
        #expect(throws: TableError.self) { try plain.append([try Self.wideBatch([Int64(Int32.max) + 1])], options: options) }
        #expect(try plain.snapshot().schema.field(named: "v")?.type == .int32)

        let enabled = try Self.table(.int32, try Column(.int32, values: [Int32(1)]), properties: ["delta.enableTypeWidening": "true"])
        try enabled.append([try Self.wideBatch([Int64(Int32.max) + 1])], options: options)
        let snapshot = try enabled.snapshot()
        #expect(snapshot.schema.field(named: "v")?.type == .int64)
        #expect(snapshot.schema.field(named: "v")?.metadata["delta.typeChanges"] != nil)
        #expect(snapshot.tableProtocol.hasReaderFeature("typeWidening"))
        #expect(try Self.values(enabled) == [.int(1), .int(Int64(Int32.max) + 1)])
    }

    @Test("integer to double is never automatic (as in Delta): an explicit change is needed")
    func intToDoubleNotAutomatic() throws {
        var options = WriteOptions()
        options.mergeSchema = true
        let table = try Self.table(.int32, try Column(.int32, values: [Int32(1)]), properties: ["delta.enableTypeWidening": "true"])
        let doubles = try RecordBatch(schema: Schema([Field("id", .int64), Field("v", .float64)]), columns: [
            try Column(.int64, values: [5] as [Int64]), try Column(.float64, values: [2.5] as [Double]),
        ])
        #expect(throws: TableError.self) { try table.append([doubles], options: options) }
        #expect(try table.snapshot().schema.field(named: "v")?.type == .int32)
    }

    @Test("merge with schema evolution widens a column and rewrites matched rows in the wide type")
    func automaticOnMerge() throws {
        let table = try Self.table(.int32, try Column(.int32, values: [Int32(1), 2]), properties: ["delta.enableTypeWidening": "true"])
        let source = try RecordBatch(schema: Schema([Field("id", .int64), Field("v", .int64)]), columns: [
            try Column(.int64, values: [1, 5] as [Int64]), try Column(.int64, values: [Int64(Int32.max) + 7, 50] as [Int64]),
        ])
        let metrics = try table.merge(source: [source], on: [(target: "id", source: "id")])
            .whenMatchedUpdateAll().whenNotMatchedInsertAll().withSchemaEvolution().execute()
        #expect(metrics.numTargetRowsUpdated == 1 && metrics.numTargetRowsInserted == 1)
        #expect(try table.snapshot().schema.field(named: "v")?.type == .int64)
        #expect(try Self.values(table) == [.int(1), .int(Int64(Int32.max) + 7), .int(50)])
    }
    @Test("DELETE, UPDATE and OPTIMIZE after a widening read old files cast up and write the wide type")
    func operationsAfterWidening() throws {
        let table = try Self.table(.int32, try Column(.int32, values: [Int32(1), 2, 3]))
        try table.changeColumnType(column: "v", to: .int64)
        try table.append([try Self.wideBatch([Int64(Int32.max) + 1])])
        try table.delete(where: .comparison(column: "id", op: .equal, value: .int(0)))
        try table.update(whereSQL: "id = 1", setSQL: ["v": "v + 5000000000"])
        try table.optimize()
        #expect(try Self.values(table) == [.int(5_000_000_002), .int(3), .int(Int64(Int32.max) + 1)])
    }
}
