// Online lookups: batch lookups in key order with nulls and `found`, feature selection,
// composite keys, every storable type round-tripping exactly, and clear errors for bad keys
// and unknown features.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables

@Suite("Online store lookup")
struct OnlineLookupTests {
    @Test("a batch lookup returns one row per key in key order, nulls and found=false for missing keys")
    func batchLookupOrder() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(1, 10, 1.0, "a", 1), (2, 20, 2.0, "b", 1), (3, 30, nil, "c", 1)]))
        try f.online.publish(table: "ml.events")
        let result = try f.online.lookup(table: "ml.events", keys: OnlineFixture.keys([3, 9, 1, 3]), features: ["label", "value"])
        #expect(result.schema.names == ["id", "label", "value", "found"])
        #expect(result.rowCount == 4)
        #expect((0..<4).map { result.columns[0].value(at: $0) } == [.int(3), .int(9), .int(1), .int(3)])
        #expect((0..<4).map { result.columns[1].value(at: $0) } == [.string("c"), .null, .string("a"), .string("c")])
        #expect((0..<4).map { result.columns[2].value(at: $0) } == [.null, .null, .float(1.0), .null])
        #expect((0..<4).map { result.columns[3].value(at: $0) } == [.boolean(true), .boolean(false), .boolean(true), .boolean(true)])
        #expect(result.schema.field(named: "found")?.nullable == false)
        // Default features: every non-key column, the timestamp key included.
        let all = try f.online.lookup(table: "ml.events", keys: OnlineFixture.keys([2]))
        #expect(all.schema.names == ["id", "ts", "value", "label", "generation", "found"])
        // An empty key batch gives an empty result with the same columns.
        let none = try f.online.lookup(table: "ml.events", keys: OnlineFixture.keys([]))
        #expect(none.rowCount == 0)
        #expect(none.schema.names == all.schema.names)
    }

    @Test("key columns are found by name, cast to the table's key type, and null keys are not found")
    func keyCastingAndNulls() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(7, 10, 7.5, "x", 1)]))
        try f.online.publish(table: "ml.events")
        let keys = try RecordBatch(schema: Schema([Field("other", .string), Field("id", .int32)]),
                                   columns: [Column(.string, scalars: [.string("a"), .string("b")]), Column(.int32, [Int32(7), nil])])
        let result = try f.online.lookup(table: "ml.events", keys: keys, features: ["value"])
        #expect(result.schema.names == ["id", "value", "found"])
        #expect(result.schema.field(named: "id")?.type == .int64)
        #expect(result.columns[1].value(at: 0) == .float(7.5))
        #expect(result.columns[2].value(at: 1) == .boolean(false))
    }

    @Test("composite primary keys look up on every key column")
    func compositeKeys() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        let schema = Schema([Field("user", .string, nullable: false), Field("day", .date32, nullable: false), Field("clicks", .int64)])
        try f.features.createFeatureTable(name: "ml.daily", primaryKeys: ["user", "day"], schema: schema)
        try f.features.writeFeatures(name: "ml.daily", [RecordBatch(schema: schema, columns: [
            Column(.string, scalars: [.string("ann"), .string("ann"), .string("bob")]),
            Column(.date32, values: [Int32(100), 101, 100]),
            Column(.int64, values: [Int64(5), 6, 7]),
        ])])
        try f.online.publish(table: "ml.daily")
        #expect(try f.online.lookup(table: "ml.daily", key: [.string("ann"), .date(101)])?["clicks"] == .int(6))
        #expect(try f.online.lookup(table: "ml.daily", key: [.string("bob"), .date(101)]) == nil)
        let keys = try RecordBatch(schema: Schema([Field("day", .date32), Field("user", .string)]), columns: [
            Column(.date32, values: [Int32(100), 100]), Column(.string, scalars: [.string("bob"), .string("ann")]),
        ])
        let result = try f.online.lookup(table: "ml.daily", keys: keys)
        #expect(result.schema.names == ["user", "day", "clicks", "found"])
        #expect(result.column(named: "clicks").map { c in (0..<2).map { c.value(at: $0) } } == [.int(7), .int(5)])
    }

    @Test("every storable type round-trips exactly through publish and lookup")
    func typesRoundTrip() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        let schema = Schema([
            Field("id", .string, nullable: false),
            Field("flag", .boolean), Field("tiny", .int8), Field("small", .int16), Field("count", .int32), Field("big", .int64),
            Field("ratio", .float32), Field("score", .float64), Field("blob", .binary), Field("day", .date32),
            Field("at", .timestamp(.utc)), Field("local", .timestamp(.ntz)), Field("price", .decimal(precision: 12, scale: 3)),
        ])
        let batch = try RecordBatch(schema: schema, columns: [
            Column(.string, scalars: [.string("k1"), .string("k2"), .string("ü-ключ")]),
            Column(.boolean, scalars: [.boolean(true), .boolean(false), .null]),
            Column(.int8, [Int8(-128), 127, nil]),
            Column(.int16, [Int16(-32768), 32767, nil]),
            Column(.int32, [Int32.min, Int32.max, nil]),
            Column(.int64, [Int64.min, Int64.max, nil]),
            Column(.float32, [Float(1.25), -Float.greatestFiniteMagnitude, nil]),
            Column(.float64, [Double.pi, -0.0, nil]),
            Column(.binary, scalars: [.binary([0, 1, 255]), .binary([]), .null]),
            Column(.date32, [Int32(-1), 19000, nil]),
            Column(.timestamp(.utc), [Int64(-1), 1_700_000_000_123_456, nil]),
            Column(.timestamp(.ntz), [Int64(0), 42, nil]),
            Column(.decimal(precision: 12, scale: 3), scalars: [.decimal(-123_456_789, scale: 3), .decimal(5, scale: 3), .null]),
        ])
        try f.features.createFeatureTable(name: "ml.types", primaryKeys: ["id"], initial: [batch])
        try f.online.publish(table: "ml.types")
        let result = try f.online.lookup(table: "ml.types", keys: RecordBatch(schema: Schema([Field("id", .string)]),
                                                                                columns: [batch.columns[0]]))
        for (i, field) in schema.fields.enumerated() {
            let got = try #require(result.column(named: field.name))
            #expect(got.type == field.type, "\(field.name)")
            for row in 0..<3 {
                #expect(got.value(at: row) == batch.columns[i].value(at: row), "\(field.name) row \(row)")
            }
        }
        let single = try #require(try f.online.lookup(table: "ml.types", key: [.string("k2")]))
        for (i, field) in schema.fields.enumerated().dropFirst() {
            #expect(single[field.name] == batch.columns[i].value(at: 1), "\(field.name)")
        }
    }

    @Test("bad lookups are clear errors", arguments: [
        ("missing key column", FeatureError.Code.missingKeyColumn),
        ("unknown feature", .unknownColumn),
        ("wrong key arity", .invalidArgument),
        ("wrong key type", .wrongType),
        ("feature twice", .invalidArgument),
        ("bad table name", .invalidArgument),
    ])
    func badLookups(_ scenario: String, _ code: FeatureError.Code) throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(1, 10, 1.0, "a", 1)]))
        try f.online.publish(table: "ml.events")
        let error = #expect(throws: FeatureError.self) {
            switch scenario {
            case "missing key column":
                _ = try f.online.lookup(table: "ml.events", keys: RecordBatch(schema: Schema([Field("user", .int64)]),
                                                                              columns: [Column(.int64, values: [Int64(1)])]))
            case "unknown feature":
                _ = try f.online.lookup(table: "ml.events", keys: OnlineFixture.keys([1]), features: ["nope"])
            case "wrong key arity":
                _ = try f.online.lookup(table: "ml.events", key: [.int(1), .int(2)])
            case "wrong key type":
                _ = try f.online.lookup(table: "ml.events", key: [.string("one")])
            case "feature twice":
                _ = try f.online.lookup(table: "ml.events", key: [.int(1)], features: ["value", "value"])
            default:
                _ = try f.online.lookup(table: "not a name", key: [.int(1)])
            }
        }
        #expect(error?.code == code, "\(scenario): \(error.map(\.description) ?? "")")
    }
}
