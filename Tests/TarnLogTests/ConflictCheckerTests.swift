// ConflictCheckerTests: table-driven cases — what we did / what the winner did / outcome.
import Testing
import TarnColumnar
@testable import TarnLog

@Suite("Conflict checker")
struct ConflictCheckerTests {
    static let schema = Schema([Field("id", .int64), Field("p", .string)])

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var ours: TransactionFootprint
        var winner: [Action]
        var expected: ConflictKind?
        var testDescription: String { name }
    }

    static func footprint(blind: Bool = false, wholeTable: Bool = false, predicates: [Predicate] = [], removed: Set<String> = [],
                          apps: Set<String> = [], domains: Set<String> = [], readVersion: Int64? = 3) -> TransactionFootprint {
        TransactionFootprint(readVersion: readVersion, isBlindAppend: blind, readWholeTable: wholeTable, readPredicates: predicates,
                             removedPaths: removed, appIds: apps, domains: domains, schema: schema, partitionColumns: ["p"])
    }

    static func add(_ path: String, p: String?, min: Int64 = 0, max: Int64 = 10) -> Action {
        .add(TestTables.add(path, partition: ["p": p],
                            stats: #"{"numRecords":1,"minValues":{"id":\#(min)},"maxValues":{"id":\#(max)},"nullCount":{"id":0}}"#))
    }

    static let cases: [Case] = [
        Case(name: "blind appends never conflict with blind appends", ours: footprint(blind: true),
             winner: [TestTables.commitInfo(1), add("w", p: "x")], expected: nil),
        Case(name: "protocol change conflicts", ours: footprint(blind: true),
             winner: [.tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 3))], expected: .protocolChanged),
        Case(name: "metadata change conflicts", ours: footprint(blind: true),
             winner: [.metadata(Metadata(id: "x", schemaString: "{}"))], expected: .metadataChanged),
        Case(name: "overwrite (read whole table) vs concurrent append conflicts", ours: footprint(wholeTable: true, removed: ["old"]),
             winner: [add("w", p: "x")], expected: .concurrentAppend),
        Case(name: "append into the partition we read conflicts",
             ours: footprint(predicates: [.comparison(column: "p", op: .equal, value: .string("x"))]),
             winner: [add("w", p: "x")], expected: .concurrentAppend),
        Case(name: "append into another partition does not conflict",
             ours: footprint(predicates: [.comparison(column: "p", op: .equal, value: .string("x"))]),
             winner: [add("w", p: "y")], expected: nil),
        Case(name: "append outside our stats range does not conflict",
             ours: footprint(predicates: [.comparison(column: "id", op: .greater, value: .int(100))]),
             winner: [add("w", p: "x", min: 0, max: 10)], expected: nil),
        Case(name: "compaction adds (dataChange false) do not count as appends",
             ours: footprint(predicates: [.comparison(column: "p", op: .equal, value: .string("x"))]),
             winner: [.add(AddFile(path: "c", partitionValues: ["p": "y"], size: 1, modificationTime: 1, dataChange: false))], expected: nil),
        Case(name: "winner removed a file we remove", ours: footprint(removed: ["f1"]),
             winner: [.remove(RemoveFile(path: "f1", deletionTimestamp: 1))], expected: .concurrentDeleteDelete),
        Case(name: "winner removed a file we read", ours: footprint(wholeTable: true),
             winner: [.remove(RemoveFile(path: "f2", deletionTimestamp: 1))], expected: .concurrentDeleteRead),
        Case(name: "blind append ignores concurrent removes of other files", ours: footprint(blind: true),
             winner: [.remove(RemoveFile(path: "f2", deletionTimestamp: 1))], expected: nil),
        Case(name: "same txn app id conflicts", ours: footprint(blind: true, apps: ["stream-1"]),
             winner: [.txn(SetTransaction(appId: "stream-1", version: 4))], expected: .concurrentTransaction),
        Case(name: "other txn app id does not conflict", ours: footprint(blind: true, apps: ["stream-1"]),
             winner: [.txn(SetTransaction(appId: "stream-2", version: 4))], expected: nil),
        Case(name: "same domain conflicts", ours: footprint(blind: true, domains: ["d"]),
             winner: [.domainMetadata(DomainMetadata(domain: "d", configuration: "{}"))], expected: .concurrentDomainMetadata),
        Case(name: "creating a table that someone else created conflicts", ours: footprint(readVersion: nil),
             winner: [TestTables.commitInfo(1)], expected: .tableAlreadyExists),
    ]

    @Test("outcome", arguments: cases)
    func outcome(_ c: Case) {
        let result = ConflictChecker.check(c.ours, against: [WinningCommit(version: 4, actions: c.winner)])
        switch (result, c.expected) {
        case (nil, nil): break
        case let (.conflict(kind, version, _)?, expected?):
            #expect(kind == expected)
            #expect(version == 4)
            #expect(result?.description.contains(LogError.remedy(for: kind)) == true)
        default:
            Issue.record("got \(String(describing: result)), expected \(String(describing: c.expected))")
        }
    }

    @Test("the first conflicting winner is the one reported")
    func firstWinner() {
        let result = ConflictChecker.check(Self.footprint(blind: true), against: [
            WinningCommit(version: 4, actions: [Self.add("a", p: "x")]),
            WinningCommit(version: 5, actions: [.metadata(Metadata(id: "x", schemaString: "{}"))]),
        ])
        guard case let .conflict(kind, version, _)? = result else { Issue.record("no conflict"); return }
        #expect(kind == .metadataChanged)
        #expect(version == 5)
    }
}
