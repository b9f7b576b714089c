// A missing or damaged online database: reported clearly (never trusted), and rebuilt by
// a full publish; an incremental publish on a fresh database falls back to full.
import Foundation
import Testing
import TarnColumnar
import TarnFeatures
import TarnTables
import TarnTestSupport
import CSQLite

@Suite("Online store recovery")
struct OnlineRecoveryTests {
    func publishedFixture() throws -> OnlineFixture {
        let f = try OnlineFixture()
        try f.features.createFeatureTable(name: "ml.events", primaryKeys: ["id"], timestampKey: "ts", schema: OnlineFixture.eventSchema)
        try f.features.writeFeatures(name: "ml.events", OnlineFixture.events((0..<50).map { (Int64($0), 10, Double($0), "x", 1) }))
        try f.online.publish(table: "ml.events")
        return f
    }

    @Test("a database file that is not a database is reported as corrupt, then rebuilt by a full publish",
          arguments: ["garbage", "truncated"])
    func corruptDatabase(_ damage: String) throws {
        let f = try publishedFixture()
        defer { f.directory.remove() }
        let path = f.online.databasePath
        let url = URL(fileURLWithPath: path)
        var bytes = try Data(contentsOf: url)
        if damage == "garbage" {
            bytes = Data(repeating: 0x5A, count: max(bytes.count, 4096))
        } else {
            bytes = bytes.prefix(100)
        }
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        try bytes.write(to: url)

        let reopened = try OnlineStore(root: f.root)
        #expect(reopened.corruption != nil)
        let lookup = #expect(throws: FeatureError.self) { try reopened.lookup(table: "ml.events", key: [.int(1)]) }
        #expect(lookup?.code == .corrupt)
        #expect(lookup?.message.contains("full") == true)
        let state = #expect(throws: FeatureError.self) { try reopened.publicationState(table: "ml.events") }
        #expect(state?.code == .corrupt)
        let incremental = #expect(throws: FeatureError.self) { try reopened.publish(table: "ml.events", mode: .incremental) }
        #expect(incremental?.code == .corrupt)

        let rebuilt = try reopened.publish(table: "ml.events", mode: .full)
        #expect(rebuilt.state.rowCount == 50)
        #expect(reopened.corruption == nil)
        #expect(try reopened.lookup(table: "ml.events", key: [.int(7)])?["value"] == .float(7))
        // A new opener trusts the rebuilt database.
        let fresh = try OnlineStore(root: f.root)
        #expect(fresh.corruption == nil)
        #expect(try fresh.lookup(table: "ml.events", key: [.int(8)])?["value"] == .float(8))
    }

    @Test("a deleted database is recreated empty: lookups say not published, an incremental publish runs full")
    func missingDatabase() throws {
        let f = try publishedFixture()
        defer { f.directory.remove() }
        let path = f.online.databasePath
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let reopened = try OnlineStore(root: f.root)
        #expect(reopened.corruption == nil)
        let lookup = #expect(throws: FeatureError.self) { try reopened.lookup(table: "ml.events", key: [.int(1)]) }
        #expect(lookup?.code == .notFound)
        let report = try reopened.publish(table: "ml.events", mode: .incremental)
        #expect(report.state.mode == .full)
        #expect(report.fallbackReason?.contains("never published") == true)
        try OnlineFixture.expectSame(reopened, f, ids: Array(0..<60))
    }

    @Test("a SQLite database of another application is not trusted")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory("tarn-online")
        defer { directory.remove() }
        let path = directory.path + "/" + OnlineStore.databaseRelativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var db: OpaquePointer? = nil
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        #expect(sqlite3_exec(db, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');", nil, nil, nil) == SQLITE_OK)
        sqlite3_close(db)
        let online = try OnlineStore(root: directory.path)
        #expect(online.corruption?.contains("not a Tarn online store") == true)
    }
}

extension OnlineFixture {
    /// Checks that `store` matches the fixture's table for `ids`.
    static func expectSame(_ store: OnlineStore, _ f: OnlineFixture, ids: [Int64]) throws {
        let expected = try f.reference("ml.events", keys: ["id"], timestampKey: "ts")
        let result = try store.lookup(table: "ml.events", keys: keys(ids), features: ["value"])
        for (row, id) in ids.enumerated() {
            #expect(result.column(named: "value")?.value(at: row) == (expected[[.int(id)]]?["value"] ?? .null))
        }
    }
}
