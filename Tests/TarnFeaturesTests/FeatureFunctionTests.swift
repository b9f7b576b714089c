// On-demand features: SQL expressions over spine columns, looked-up features and
// earlier functions, evaluated per row; bad expressions are clear errors; functions are
// recorded and replayed with the training set.
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables

@Suite("On-demand feature functions")
struct FeatureFunctionTests {
    func makeStore() throws -> FeatureStore {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts",
                                     initial: [try Fixture.events([(1, 10, 4, "a"), (2, 10, nil, "b")])])
        return store
    }

    let lookup = FeatureLookup(table: "risk.events", lookupKey: "user_id", timestampLookupKey: "event_time")

    @Test("functions read spine columns, features and earlier functions; nulls propagate")
    func computes() throws {
        let store = try makeStore()
        let spine = try Fixture.spine([(1, 20, 3), (2, 20, 5), (3, 20, 7)])
        let set = try store.createTrainingSet(spine: [spine], lookups: [lookup], functions: [
            FeatureFunction(name: "scaled", expression: "amount * 2 + label"),
            FeatureFunction(name: "flag", expression: "CASE WHEN scaled > 10 THEN 'big' ELSE upper(category) END"),
            FeatureFunction(name: "filled", expression: "coalesce(amount, -1.0)"),
        ], label: "label")
        #expect(set.schema.names == ["user_id", "event_time", "amount", "category", "scaled", "flag", "filled", "label"])
        #expect(Fixture.values(set.batch, "scaled") == [.float(11), .null, .null])
        #expect(Fixture.values(set.batch, "flag") == [.string("big"), .string("B"), .null])
        #expect(Fixture.values(set.batch, "filled") == [.float(4), .float(-1), .float(-1)])
        let reloaded = try store.loadTrainingSet(id: set.id, spine: [spine])
        #expect(Fixture.rows(reloaded.batches) == Fixture.rows(set.batches))
        #expect(reloaded.metadata.functions.map(\.name) == ["scaled", "flag", "filled"])
    }

    @Test("bad expressions are clear errors with the position, and nothing is recorded", arguments: [
        "amount +", "no_such_column * 2", "amount + 'text' * category",
    ])
    func badExpression(text: String) throws {
        let store = try makeStore()
        let error = #expect(throws: FeatureError.self) {
            try store.createTrainingSet(spine: [try Fixture.spine([(1, 20, 3)])], lookups: [lookup],
                                        functions: [FeatureFunction(name: "bad", expression: text)])
        }
        #expect(error?.code == .expression)
        #expect(error?.description.contains("feature function 'bad'") == true)
        #expect(try !store.catalog.tableExists(TableIdentifier(namespace: "_system", name: "training_sets")))
    }

    @Test("a function named like an existing column is a duplicate output")
    func duplicateName() throws {
        let store = try makeStore()
        let error = #expect(throws: FeatureError.self) {
            try store.createTrainingSet(spine: [try Fixture.spine([(1, 20, 3)])], lookups: [lookup],
                                        functions: [FeatureFunction(name: "Amount", expression: "1")])
        }
        #expect(error?.code == .duplicateOutputColumn)
    }
}
