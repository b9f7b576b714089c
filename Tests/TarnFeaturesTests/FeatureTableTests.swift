// Feature tables: creation records the key convention, keys become NOT NULL, listing
// by tag, describe, drop, and reads with time travel.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnTables

@Suite("Feature tables")
struct FeatureTableTests {
    @Test("createFeatureTable records keys, description, tags and feature descriptions in the table configuration")
    func createRecordsConvention() throws {
        let store = Fixture.store()
        let info = try store.createFeatureTable(name: "risk.user_events", primaryKeys: ["user_id"], timestampKey: "ts",
                                                schema: Fixture.eventSchema, description: "per-user events",
                                                tags: ["team": "risk"], featureDescriptions: ["amount": "purchase amount"])
        #expect(info.version == 0)
        let table = try store.catalog.openTable(reference: "risk.user_events")
        let configuration = try table.snapshot().configuration
        #expect(configuration["tarn.feature.primaryKeys"] == #"["user_id"]"#)
        #expect(configuration["tarn.feature.timestampKey"] == "ts")
        #expect(configuration["tarn.feature.description"] == "per-user events")
        #expect(configuration["tarn.feature.tags"] == #"{"team":"risk"}"#)
        #expect(configuration["tarn.feature.descriptions"] == #"{"amount":"purchase amount"}"#)
        let schema = try table.schema()
        #expect(schema.field(named: "user_id")?.nullable == false)
        #expect(schema.field(named: "ts")?.nullable == false)
        #expect(schema.field(named: "amount")?.nullable == true)
        let metadata = try FeatureTableMetadata(configuration: configuration)
        #expect(metadata.fullKey == ["user_id", "ts"])
    }

    @Test("bad definitions are refused and create nothing", arguments: [
        (["missing"], "ts" as String?, FeatureError.Code.missingKeyColumn),
        ([], nil, .invalidArgument),
        (["user_id", "user_id"], nil, .invalidArgument),
        (["amount"], nil, .wrongType),
        (["user_id"], "category", .wrongType),
        (["user_id"], "user_id", .invalidArgument),
    ])
    func badDefinitions(keys: [String], timestampKey: String?, code: FeatureError.Code) throws {
        let store = Fixture.store()
        let error = #expect(throws: FeatureError.self) {
            try store.createFeatureTable(name: "risk.bad", primaryKeys: keys, timestampKey: timestampKey, schema: Fixture.eventSchema)
        }
        #expect(error?.code == code)
        #expect(try store.listFeatureTables().isEmpty)
        #expect(try store.catalog.listTables().isEmpty)
    }

    @Test("listFeatureTables filters by tag key or key=value and skips plain tables")
    func listByTag() throws {
        let store = Fixture.store()
        try store.createFeatureTable(name: "a.one", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema,
                                     tags: ["team": "risk"])
        try store.createFeatureTable(name: "a.two", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema,
                                     tags: ["team": "growth", "pii": "no"])
        try store.catalog.createTable(TableIdentifier(parsing: "a.plain"), schema: Fixture.eventSchema)
        #expect(try store.listFeatureTables().map(\.name) == ["a.one", "a.two"])
        #expect(try store.listFeatureTables(tag: "team").map(\.name) == ["a.one", "a.two"])
        #expect(try store.listFeatureTables(tag: "team=risk").map(\.name) == ["a.one"])
        #expect(try store.listFeatureTables(tag: "pii").map(\.name) == ["a.two"])
        #expect(try store.listFeatureTables(tag: "nothing").isEmpty)
    }

    @Test("describe shows keys, typed features with descriptions, versions, creator and the online hook")
    func describeTable() throws {
        let online: OnlinePublicationProvider = { name in
            name == "risk.events" ? OnlinePublicationInfo(publishedVersion: 1, publishedAt: 42) : nil
        }
        let store = FeatureStore(catalog: Fixture.store().catalog, onlinePublication: online)
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema,
                                     description: "events", featureDescriptions: ["amount": "money"])
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1.5, "a")])])
        let description = try store.describe(name: "risk.events")
        #expect(description.primaryKeys == ["user_id"])
        #expect(description.timestampKey == "ts")
        #expect(description.keyColumns.map(\.name) == ["user_id", "ts"])
        #expect(description.features.map(\.name) == ["amount", "category"])
        #expect(description.features.first?.description == "money")
        #expect(description.features.first?.type == .float64)
        #expect(description.version == 1)
        #expect(description.history.map(\.version) == [1, 0])
        #expect(description.online?.publishedVersion == 1)
        #expect(description.trainingSets.isEmpty)
    }

    @Test("readFeatures reads the latest version or one as of a version")
    func readAsOf() throws {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema)
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 1.0, "a")])])
        try store.writeFeatures(name: "risk.events", [try Fixture.events([(1, 10, 2.0, "a"), (2, 10, 3.0, "b")])])
        let latest = try store.readFeatures(name: "risk.events")
        #expect(latest.reduce(0) { $0 + $1.rowCount } == 2)
        let first = try store.readFeatures(name: "risk.events", asOf: .version(1))
        #expect(first.flatMap { Fixture.values($0, "amount") } == [.float(1.0)])
    }

    @Test("dropFeatureTable removes a feature table and refuses plain tables")
    func drop() throws {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], schema: Fixture.eventSchema)
        try store.catalog.createTable(TableIdentifier(parsing: "risk.plain"), schema: Fixture.eventSchema)
        try store.dropFeatureTable(name: "risk.events")
        #expect(try store.listFeatureTables().isEmpty)
        let missing = #expect(throws: FeatureError.self) { try store.dropFeatureTable(name: "risk.events") }
        #expect(missing?.code == .notFound)
        try store.dropFeatureTable(name: "risk.events", ifExists: true)
        let plain = #expect(throws: FeatureError.self) { try store.dropFeatureTable(name: "risk.plain") }
        #expect(plain?.code == .notAFeatureTable)
        let notFeature = #expect(throws: FeatureError.self) { try store.readFeatures(name: "risk.plain") }
        #expect(notFeature?.code == .notAFeatureTable)
    }
}
