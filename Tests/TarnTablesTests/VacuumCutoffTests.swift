// Vacuum's retention cutoff at millisecond precision: a file removed (and last modified)
// at exactly `now - retention` has aged out and is deleted; one removed a millisecond
// later is kept. Pins the inclusive comparison that once made a retention-0 vacuum keep
// a file removed in the same millisecond as the vacuum's clock reading.
import Testing
import TarnColumnar
import TarnIO
import TarnLog
@testable import TarnTables
import TarnTestSupport

@Suite("Vacuum cutoff")
struct VacuumCutoffTests {
    /// An in-memory table whose first file was replaced by an overwrite: (table, store,
    /// removed file path, its removal time).
    private static func fixture() throws -> (Table, InMemoryFileStore, String, Int64) {
        let store = InMemoryFileStore()
        let table = try Table.create(store: store, path: "t", schema: Rows.schema)
        try table.append([try Rows.batch([1, 2])])
        try table.overwrite([try Rows.batch([3])])
        let tombstone = try #require(try table.snapshot().tombstones.first)
        let removedAt = try #require(tombstone.deletionTimestamp)
        return (table, store, "t/" + tombstone.path, removedAt)
    }

    @Test("retention 0: a file removed in the same millisecond as the vacuum's clock is deleted")
    func sameMillisecondRemovalIsDeleted() throws {
        let (table, store, removed, removedAt) = try Self.fixture()
        let result = try table.vacuum(retentionHours: 0, dryRun: false, enforceRetention: false, now: removedAt)
        #expect(result.files.count == 1)
        #expect(!(try store.list(prefix: "t", recursive: true).map(\.path).contains(removed)))
        #expect(Rows.ids(try table.read()) == [3])
    }

    @Test("a file removed one millisecond after the cutoff is kept")
    func laterRemovalIsKept() throws {
        let (table, store, removed, removedAt) = try Self.fixture()
        let result = try table.vacuum(retentionHours: 0, dryRun: false, enforceRetention: false, now: removedAt - 1)
        #expect(result.files.isEmpty)
        #expect(try store.list(prefix: "t", recursive: true).map(\.path).contains(removed))
    }
}
