// Conflicting writers: an overwrite and an append (or two overwrites) racing on separate
// Table objects. One side ends in a typed conflict or both commit in a serial order; the
// table's content is always that of some serial order of the committed writes.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Conflicting writers")
struct ConcurrencyConflictTests {
    struct Race: Sendable, CustomStringConvertible {
        /// The write that read its snapshot first and commits last.
        var inFlight: TarnTables.WriteMode
        /// The write that commits in between.
        var winner: TarnTables.WriteMode
        var inFlightConflicts: Bool
        /// Final ids, from initial 0..<10, winner rows 100..<105, in-flight rows 200..<203.
        var expectedIDs: [Int]
        var description: String { "\(inFlight.rawValue) in flight, \(winner.rawValue) wins" }
    }

    static let initial = Array(0..<10), winnerRows = Array(100..<105), inFlightRows = Array(200..<203)

    static let races: [Race] = [
        Race(inFlight: .overwrite, winner: .append, inFlightConflicts: true, expectedIDs: initial + winnerRows),
        Race(inFlight: .overwrite, winner: .overwrite, inFlightConflicts: true, expectedIDs: winnerRows),
        Race(inFlight: .append, winner: .overwrite, inFlightConflicts: false, expectedIDs: winnerRows + inFlightRows),
        Race(inFlight: .append, winner: .append, inFlightConflicts: false, expectedIDs: initial + winnerRows + inFlightRows),
    ]

    @Test("a write that loses the race conflicts (typed) or commits after the winner", arguments: races)
    func deterministicRace(_ race: Race) throws {
        let base = InMemoryFileStore()
        let gate = CommitGateStore(base)
        let id = try TableIdentifier(parsing: "race.pair")
        let inFlightTable = try Catalog(store: gate).createTable(id, schema: Rows.schema)
        try inFlightTable.append([try Rows.batch(Self.initial)])
        let winnerTable = try Catalog(store: base).openTable(id)
        // The in-flight write has read version 1 and written its data file when the winner commits version 2.
        let winnerMode = race.winner
        gate.beforeNextCommit {
            let result = try winnerTable.write([try Rows.batch(Self.winnerRows)], mode: winnerMode)
            #expect(result.version == 2)
        }
        let inFlightBatch = try Rows.batch(Self.inFlightRows)
        if race.inFlightConflicts {
            let error = try #require(throws: TableError.self) { try inFlightTable.write([inFlightBatch], mode: race.inFlight) }
            #expect(error.code == .conflict)
            guard case let .conflict(_, winningVersion, _) = error.cause as? LogError else {
                Issue.record("the conflict's cause is not LogError.conflict: \(String(describing: error.cause))")
                return
            }
            #expect(winningVersion == 2)
        } else {
            let result = try inFlightTable.write([inFlightBatch], mode: race.inFlight)
            #expect(result.version == 3)
        }
        let reader = try Catalog(store: base).openTable(id)
        #expect(try reader.snapshot().version == (race.inFlightConflicts ? 2 : 3))
        #expect(Rows.ids(try reader.read()) == race.expectedIDs.map(Int64.init).sorted())
        #expect(Rows.ids(try reader.read(asOf: .version(1))) == Self.initial.map(Int64.init))
        for file in try reader.snapshot().files {
            #expect(try base.exists("race/pair/" + file.path), "the snapshot names a missing file \(file.path)")
        }
    }

    @Test("overwrite and append racing on threads end in a serial order (8 rounds, local files)")
    func threadedRace() throws {
        let directory = try TemporaryDirectory("tarn-conflict")
        defer { directory.remove() }
        for round in 0..<8 {
            let id = try TableIdentifier(parsing: "race.r\(round)")
            let setup = try Catalog(root: directory.path).createTable(id, schema: Rows.schema)
            try setup.append([try Rows.batch(Self.initial)])
            let overwriter = try Catalog(root: directory.path).openTable(id)
            let appender = try Catalog(root: directory.path).openTable(id)
            let overwriteRows = try Rows.batch(Self.inFlightRows), appendRows = try Rows.batch(Self.winnerRows)
            let overwriting: @Sendable () -> Result<WriteResult, TableError> = {
                Result { () throws(TableError) in try overwriter.overwrite([overwriteRows]) }
            }
            let appending: @Sendable () -> Result<WriteResult, TableError> = {
                Result { () throws(TableError) in try appender.append([appendRows]) }
            }
            let outcomes = runTogether([overwriting, appending])
            let overwrite = try #require(outcomes[0]), append = try #require(outcomes[1])
            // A blind append never conflicts.
            let appendVersion = try append.get().version
            let expected: [Int]
            switch overwrite {
            case let .success(result):
                let overwriteVersion = try #require(result.version)
                #expect(Set([overwriteVersion, appendVersion]) == [2, 3])
                expected = overwriteVersion < (appendVersion ?? 0) ? Self.inFlightRows + Self.winnerRows : Self.inFlightRows
            case let .failure(error):
                #expect(error.code == TableError.Code.conflict, "round \(round): \(error)")
                #expect(appendVersion == 2)
                expected = Self.initial + Self.winnerRows
            }
            let reader = try Catalog(root: directory.path).openTable(id)
            #expect(Rows.ids(try reader.read()) == expected.map(Int64.init).sorted(), "round \(round)")
        }
    }
}
