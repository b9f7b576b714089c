// Concurrent feature writers: merges of different keys from several threads all land
// (the MERGE retries over concurrent commits); a token raced by two writers applies once.
import Dispatch
import Foundation
import Testing
import TarnColumnar
import TarnFeatures

@Suite("Concurrent feature writes")
struct FeatureConcurrencyTests {
    /// Errors collected from worker threads.
    final class Outcomes: @unchecked Sendable {
        // SAFETY (@unchecked Sendable): `items` is touched only while holding `lock`.
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    @Test("merges of different keys from four threads all land")
    func concurrentMerges() throws {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema)
        let failures = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let rows = (0..<20).map { (i: Int) -> (Int64, Int64, Double?, String?) in (Int64(worker * 100 + i), 1, Double(i), "w\(worker)") }
                try store.writeFeatures(name: "risk.events", [try Fixture.events(rows)])
            } catch {
                failures.add("worker \(worker): \(error)")
            }
        }
        // A writer may lose a race it cannot rebase over; retrying it must then succeed.
        for failure in failures.all { Issue.record(Comment(rawValue: failure)) }
        #expect(try store.readFeatures(name: "risk.events").reduce(0) { $0 + $1.rowCount } == 80)
    }

    @Test("two writers racing with the same idempotency token apply it once")
    func racingToken() throws {
        let store = Fixture.store()
        try store.createFeatureTable(name: "risk.events", primaryKeys: ["user_id"], timestampKey: "ts", schema: Fixture.eventSchema)
        let token = IdempotencyToken(appId: "job", version: 1)
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                let result = try store.writeFeatures(name: "risk.events", [try Fixture.events([(Int64(worker), 1, 1, "x")])],
                                                     mode: .overwrite, idempotencyToken: token)
                outcomes.add(result.skipped ? "skipped" : "applied")
            } catch let error as FeatureError {
                outcomes.add(error.code == .conflict ? "conflict" : "error \(error)")
            } catch {
                outcomes.add("error \(error)")
            }
        }
        let all = outcomes.all.sorted()
        #expect(all.filter { $0 == "applied" }.count == 1, "\(all)")
        #expect(all.allSatisfy { $0 == "applied" || $0 == "skipped" || $0 == "conflict" }, "\(all)")
        #expect(try store.readFeatures(name: "risk.events").reduce(0) { $0 + $1.rowCount } == 1)
    }
}
