// Access control on the online store: lookups need SELECT on the feature table,
// publishing needs MODIFY; a denied call is an `accessDenied` error and changes nothing.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables

@Suite("Online store access")
struct OnlineAccessTests {
    @Test("a principal without SELECT cannot look up, without MODIFY cannot publish; grants open both")
    func privileges() throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events([(1, 10, 1.0, "a", 1)]))
        try f.online.publish(table: "ml.events")
        let admin = f.features.catalog
        try admin.access.createPrincipal("bob", kind: .user)
        let bobCatalog = try Catalog(root: f.root, principal: Principal("bob"))
        let bob = try OnlineStore(catalog: bobCatalog, databasePath: f.online.databasePath)

        let lookup = #expect(throws: FeatureError.self) { try bob.lookup(table: "ml.events", key: [.int(1)]) }
        #expect(lookup?.code == .accessDenied)
        let batch = #expect(throws: FeatureError.self) { try bob.lookup(table: "ml.events", keys: OnlineFixture.keys([1])) }
        #expect(batch?.code == .accessDenied)
        let publish = #expect(throws: FeatureError.self) { try bob.publish(table: "ml.events", mode: .full) }
        #expect(publish?.code == .accessDenied)

        let id = try TableIdentifier(parsing: "ml.events")
        try admin.access.grant([.select], on: .table(id), to: "bob")
        #expect(try bob.lookup(table: "ml.events", key: [.int(1)])?["value"] == .float(1.0))
        #expect(try bob.lookup(table: "ml.events", keys: OnlineFixture.keys([1, 2])).rowCount == 2)
        let stillNoPublish = #expect(throws: FeatureError.self) { try bob.publish(table: "ml.events") }
        #expect(stillNoPublish?.code == .accessDenied)
        try admin.access.grant([.modify], on: .table(id), to: "bob")
        #expect(try bob.publish(table: "ml.events").state.version == 1)
    }
}
