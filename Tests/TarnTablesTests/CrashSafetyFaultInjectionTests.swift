// Crash safety step by step: with the fault-injecting store, a write is made to fail
// before every step of every store call it makes (start, publish, make durable), then
// the machine "crashes" (unsynced changes are lost). The table must come back at the old
// version or at the new one with all its rows, never naming a missing file.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Crash safety: faults at every step of a write")
struct CrashSafetyFaultInjectionTests {
    struct Case: Sendable, CustomStringConvertible {
        var mode: TarnTables.WriteMode
        var partitioned: Bool
        /// Commits before the faulted write (its version is this + 1; 10 makes a checkpoint).
        var versionBefore: Int64
        var description: String { "\(mode.rawValue) to v\(versionBefore + 1)\(partitioned ? ", partitioned" : "")" }
    }

    static let cases: [Case] = [
        Case(mode: .append, partitioned: false, versionBefore: 1),
        Case(mode: .append, partitioned: true, versionBefore: 9),
        Case(mode: .overwrite, partitioned: false, versionBefore: 1),
        Case(mode: .overwrite, partitioned: true, versionBefore: 9),
    ]

    static func tableID() throws(TableError) -> TableIdentifier { try TableIdentifier(parsing: "safe.t") }

    /// A table at `versionBefore` with rows 0..<(10 * versionBefore); returns the store and its rows.
    static func setUp(_ c: Case) throws -> (FaultInjectingFileStore, [Int64]) {
        let store = FaultInjectingFileStore()
        let table = try Catalog(store: store).createTable(tableID(), schema: Rows.schema, partitionColumns: c.partitioned ? ["day"] : [])
        for v in 0..<Int(c.versionBefore) { try table.append([try Rows.batch((v * 10)..<(v * 10 + 10))]) }
        return (store, (0..<(10 * Int(c.versionBefore))).map(Int64.init))
    }

    static let newRows = Array(1000..<1006)

    static func write(_ c: Case, store: FaultInjectingFileStore) throws(TableError) -> WriteResult {
        let table = try Catalog(store: store).openTable(tableID())
        let batch: RecordBatch
        do { batch = try Rows.batch(newRows) } catch { throw TableError(.invalidArgument, "\(error)") }
        return try table.write([batch], mode: c.mode)
    }

    /// The table as a new process would see it: version and rows, after checking that
    /// every file the snapshot names exists.
    static func observe(_ store: FaultInjectingFileStore, _ what: String) throws -> (version: Int64, ids: [Int64]) {
        let table = try Catalog(store: store).openTable(tableID())
        let snapshot = try table.snapshot()
        for file in snapshot.files where !(try store.exists("safe/t/" + (file.path.removingPercentEncoding ?? file.path))) {
            Issue.record("\(what): version \(snapshot.version) names a missing file \(file.path)")
        }
        return (snapshot.version, Rows.ids(try table.read()))
    }

    @Test("a fault before any step, then a crash: old version or new version with all rows", arguments: cases)
    func faultThenCrash(_ c: Case) throws {
        // How many store calls the write makes.
        let (probe, _) = try Self.setUp(c)
        let start = probe.operationCount
        _ = try Self.write(c, store: probe)
        let calls = probe.operationCount - start
        try #require(calls > 2)

        var failures = 0, survivedFailures = 0, visibleThenLost = 0
        for call in 1...calls {
            for step in FaultInjectingFileStore.Step.allCases {
                let (store, oldIDs) = try Self.setUp(c)
                let newIDs = ((c.mode == .append ? oldIDs : []) + Self.newRows.map(Int64.init)).sorted()
                let what = "\(c), fault before \(step.rawValue) of call \(call)"
                store.inject(.operation(number: store.operationCount + call, step: step))
                let outcome = Result { () throws(TableError) in try Self.write(c, store: store) }
                store.clearFaults()

                // Before the crash: never a half-applied write.
                let visible = try Self.observe(store, what + " (before the crash)")
                #expect(visible.version == c.versionBefore || visible.version == c.versionBefore + 1, "\(what)")
                #expect(visible.ids == (visible.version == c.versionBefore ? oldIDs : newIDs), "\(what)")

                store.crash()
                let after = try Self.observe(store, what + " (after the crash)")
                switch outcome {
                case .success:
                    // Durable when it returns.
                    #expect(after.version == c.versionBefore + 1, "\(what): a returned write was lost")
                    #expect(after.ids == newIDs, "\(what)")
                case .failure:
                    failures += 1
                    // A failed write leaves nothing once unsynced changes are gone.
                    #expect(after.version == c.versionBefore, "\(what): a failed write survived the crash")
                    #expect(after.ids == oldIDs, "\(what)")
                    if after.version != c.versionBefore { survivedFailures += 1 }
                    if visible.version == c.versionBefore + 1 { visibleThenLost += 1 }
                }
                // The table stays writable after the crash.
                let next = try Self.write(c, store: store)
                #expect(next.version == after.version + 1, "\(what): the next write got \(String(describing: next.version))")
            }
        }
        #expect(failures > 0)
        #expect(survivedFailures == 0)
        // The faults reached the commit itself: published but not yet durable, then lost.
        #expect(visibleThenLost > 0)
    }

    @Test("data files are durable before the commit that names them is published", arguments: cases)
    func durabilityOrder(_ c: Case) throws {
        let (store, _) = try Self.setUp(c)
        store.clearEvents()
        _ = try Self.write(c, store: store)
        let events = store.events
        let commitName = String(format: "%020lld.json", c.versionBefore + 1)
        let commitPublished = try #require(events.firstIndex {
            $0.path.hasSuffix("_delta_log/" + commitName) && $0.step == .publish
        })
        let commitDurable = events.firstIndex { $0.path.hasSuffix("_delta_log/" + commitName) && $0.step == .makeDurable }
        #expect(commitDurable != nil, "the commit was never made durable")
        let dataFiles = Set(events.filter { $0.path.hasSuffix(".parquet") && !$0.path.contains("_delta_log") }.map(\.path))
        #expect(!dataFiles.isEmpty)
        for path in dataFiles {
            let durable = events.firstIndex { $0.path == path && $0.step == .makeDurable }
            #expect(durable.map { $0 < commitPublished } == true, "\(path) was not durable before the commit was published")
        }
        // With no fault, a crash right after the write returns loses nothing.
        store.crash()
        #expect(try Self.observe(store, "\(c) after a clean write").version == c.versionBefore + 1)
    }
}
