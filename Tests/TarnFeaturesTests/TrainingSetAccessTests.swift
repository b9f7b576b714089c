// Access control of training sets: building one needs SELECT on every table it reads
// (not rights on `_system`); the registry records it naming the builder, and lists and
// loads show a principal only the training sets whose tables they may read.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables

@Suite("Training set access")
struct TrainingSetAccessTests {
    static func spine() throws -> [RecordBatch] {
        [try RecordBatch(schema: Schema([Field("id", .int64, nullable: false), Field("ts", .timestamp(.utc), nullable: false)]),
                         columns: [Column(.int64, values: [Int64(1)]), Column(.timestamp(.utc), values: [Int64(20)])])]
    }

    @Test("a reader with SELECT builds and records a training set; others neither see nor load it")
    func readersBuildTrainingSets() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(1, 10, 1.5, "a", 1)]))
        let admin = f.features.catalog
        try admin.access.createPrincipal("bob", kind: .user)
        try admin.access.createPrincipal("eve", kind: .user)
        let bob = FeatureStore(catalog: try Catalog(root: f.root, principal: Principal("bob")))
        let eve = FeatureStore(catalog: try Catalog(root: f.root, principal: Principal("eve")))
        let lookups = [FeatureLookup(table: "ml.events", features: ["value"], lookupKey: "id", timestampLookupKey: "ts")]

        let denied = #expect(throws: FeatureError.self) { try bob.createTrainingSet(spine: Self.spine(), lookups: lookups) }
        #expect(denied?.code == .accessDenied)
        #expect(try f.features.listTrainingSets().isEmpty)

        try admin.access.grant([.select], on: .table(try TableIdentifier(parsing: "ml.events")), to: "bob")
        let built = try bob.createTrainingSet(spine: Self.spine(), lookups: lookups)
        #expect(built.batch.rowCount == 1)
        let registry = try admin.openTable(TableIdentifier(parsing: "_system.training_sets"))
        #expect(try registry.history().first?.commitInfo?.userName == "bob")

        #expect(try bob.listTrainingSets().map(\.id) == [built.metadata.id])
        #expect(try f.features.listTrainingSets().map(\.id) == [built.metadata.id])
        #expect(try bob.loadTrainingSet(id: built.metadata.id, spine: Self.spine()).batch.rowCount == 1)
        #expect(try eve.listTrainingSets().isEmpty)
        let hidden = #expect(throws: FeatureError.self) { try eve.trainingSetMetadata(id: built.metadata.id) }
        #expect(hidden?.code == .accessDenied)
        let notLoaded = #expect(throws: FeatureError.self) { try eve.loadTrainingSet(id: built.metadata.id, spine: Self.spine()) }
        #expect(notLoaded?.code == .accessDenied)
        // The registry itself stays an admin's table for direct reads.
        let direct = #expect(throws: TableError.self) {
            try Catalog(root: f.root, principal: Principal("bob")).openTable(TableIdentifier(parsing: "_system.training_sets")).read()
        }
        #expect(direct?.code == .accessDenied)
    }
}
