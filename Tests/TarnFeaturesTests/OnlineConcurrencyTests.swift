// Readers during publishes: every publish changes all keys' `generation` together, and
// lookups running on other threads at the same time must see one generation in each
// batch (all old or all new), never a mix — each publish is one SQLite transaction and a
// batch lookup reads one snapshot.
import Dispatch
import Foundation
import Synchronization
import Testing
import TarnColumnar
import TarnFeatures

@Suite("Online store concurrency")
struct OnlineConcurrencyTests {
    @Test("concurrent lookups during publishes never see a partial publish", arguments: [PublishMode.incremental, .full])
    func readersSeeWholePublishes(mode: PublishMode) throws {
        let f = try OnlineFixture()
        defer { f.directory.remove() }
        let ids = Array(Int64(0)..<300)
        func generationRows(_ generation: Int32) throws -> [RecordBatch] {
            try OnlineFixture.entities(ids.map { ($0, Double(generation), "g\(generation)", generation) })
        }
        try f.features.createFeatureTable(name: "ml.gen", primaryKeys: ["id"], schema: OnlineFixture.entitySchema)
        try f.features.writeFeatures(name: "ml.gen", generationRows(1))
        try f.online.publish(table: "ml.gen", mode: .full)

        let publishes: Int32 = 6
        let done = Atomic<Bool>(false)
        let failures = Mutex<[String]>([])
        let reads = Atomic<Int>(0)
        let keys = try OnlineFixture.keys(ids)
        let online = f.online
        let group = DispatchGroup()
        for reader in 0..<3 {
            DispatchQueue.global().async(group: group) {
                var lastSeen: Int32 = 1
                // Bounded: stop after the publishes are over (and at least one read each).
                var iterations = 0
                while iterations < 20_000 && (!done.load(ordering: .acquiring) || iterations == 0) {
                    iterations += 1
                    do {
                        if reader == 0 {
                            // Single-key lookups must also only move forward.
                            guard let row = try online.lookup(table: "ml.gen", key: [.int(Int64(iterations % 300))]),
                                  case let .int(g)? = row["generation"] else {
                                failures.withLock { $0.append("key missing") }
                                continue
                            }
                            if Int32(g) < lastSeen { failures.withLock { $0.append("went back from \(lastSeen) to \(g)") } }
                            lastSeen = Int32(g)
                        } else {
                            let batch = try online.lookup(table: "ml.gen", keys: keys, features: ["generation", "label"])
                            guard let column = batch.column(named: "generation"), let found = batch.column(named: "found") else {
                                failures.withLock { $0.append("columns missing") }
                                continue
                            }
                            let first = column.value(at: 0)
                            for row in 0..<batch.rowCount {
                                if column.value(at: row) != first || found.value(at: row) != .boolean(true) {
                                    failures.withLock { $0.append("mixed generations: \(first) and \(column.value(at: row)) at row \(row)") }
                                    break
                                }
                            }
                            if case let .int(g) = first {
                                if Int32(g) < lastSeen { failures.withLock { $0.append("went back from \(lastSeen) to \(g)") } }
                                lastSeen = Int32(g)
                            }
                        }
                        reads.add(1, ordering: .relaxed)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        for generation in 2...(publishes + 1) {
            // Merge rewrites every file (all keys match), so incremental publishes both remove and add.
            try f.features.writeFeatures(name: "ml.gen", generationRows(generation))
            let report = try f.online.publish(table: "ml.gen", mode: mode)
            #expect(report.state.mode == mode)
        }
        done.store(true, ordering: .releasing)
        group.wait()
        let problems = failures.withLock { $0 }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(reads.load(ordering: .relaxed) >= 3)
        let last = try #require(try f.online.lookup(table: "ml.gen", key: [.int(5)]))
        #expect(last["generation"] == .int(Int64(publishes + 1)))
    }
}
