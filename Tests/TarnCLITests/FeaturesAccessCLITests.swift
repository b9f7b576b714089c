// Access control of `tarn features` through the real executable, one process per step:
// a user without grants is refused every feature command that touches a table (one
// line, exit status 1, nothing written); SELECT opens the reading commands, MODIFY the
// writing ones, and dropping stays with the table's owner and the admins.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn features access control CLI", .serialized)
struct FeaturesAccessCLITests {
    static let events = """
    user_id,ts,amount
    1,2026-01-01T10:00:00Z,10.5
    2,2026-01-01T12:00:00Z,5.0

    """
    static let more = """
    user_id,ts,amount
    3,2026-01-03T00:00:00Z,7.75

    """
    static let spine = """
    user_id,ts
    1,2026-01-02T00:00:00Z

    """
    static let spec = """
    {"lookups": [{"table": "ml.events", "lookupKey": "user_id", "timestampLookupKey": "ts", "features": ["amount"]}]}
    """

    typealias Lakehouse = CLILakehouse

    /// Expects a one-line access denial naming the principal and the privilege (a command
    /// that cannot even read the table's metadata names SELECT or MODIFY or MANAGE).
    static func expectDenied(_ output: Peers.Output, _ privilege: String, _ command: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(output.status == 1, "\(command) was not refused: \(output.stdout)", sourceLocation: sourceLocation)
        #expect(output.stderr.contains("access denied"), "\(command): \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stderr.contains("'eve' lacks") && output.stderr.contains(privilege), "\(command): \(output.stderr)",
                sourceLocation: sourceLocation)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(command): \(output.stderr)", sourceLocation: sourceLocation)
    }

    @Test("without grants every feature command is refused and writes nothing; SELECT opens reads, MODIFY opens writes")
    func grantsOpenFeatureCommands() throws {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-features-access"))
        defer { lake.directory.remove() }
        let created = try lake.features(["create", "ml.events", "--keys", "user_id", "--timestamp-key", "ts",
                                         "--schema", "user_id:long,ts:timestamp,amount:double"], as: "boss")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try lake.features(["write", "ml.events", try lake.file("events.csv", Self.events)], as: "boss").status == 0)
        #expect(try lake.features(["publish", "ml.events"], as: "boss").status == 0)
        let versions = try lake.versions()
        let more = try lake.file("more.csv", Self.more)
        let spine = try lake.file("spine.csv", Self.spine)
        let spec = try lake.file("spec.json", Self.spec)
        let output = lake.directory.path + "/training.csv"
        let lookup = ["lookup", "ml.events", "--key", "1", "--format", "csv"]
        let trainingSet = ["training-set", "--spine", spine, "--spec", spec, "--output", output]

        // No grants at all.
        Self.expectDenied(try lake.features(["write", "ml.events", more], as: "eve"), "MODIFY", "write")
        Self.expectDenied(try lake.features(["publish", "ml.events"], as: "eve"), "MODIFY", "publish")
        Self.expectDenied(try lake.features(lookup, as: "eve"), "SELECT", "lookup")
        Self.expectDenied(try lake.features(["describe", "ml.events"], as: "eve"), "SELECT", "describe")
        Self.expectDenied(try lake.features(trainingSet, as: "eve"), "SELECT", "training-set")
        Self.expectDenied(try lake.features(["drop", "ml.events"], as: "eve"), "MANAGE", "drop")
        #expect(try lake.sql("CREATE USER eve", as: "boss").status == 0)
        Self.expectDenied(try lake.features(lookup, as: "eve"), "SELECT", "lookup as a known user without grants")
        let createOther = try lake.features(["create", "ml.other", "--keys", "id", "--schema", "id:long,x:double"], as: "eve")
        #expect(createOther.status == 1 && createOther.stderr.contains("access denied"), "\(createOther.stderr)")
        let hidden = try lake.features(["list", "--format", "csv"], as: "eve")
        #expect(hidden.status == 0, "\(hidden.stderr)")
        #expect(!hidden.stdout.contains("ml.events"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try lake.versions() == versions)

        // SELECT: the reading commands work, the writing ones are still refused.
        #expect(try lake.sql("GRANT USE ON NAMESPACE ml TO eve", as: "boss").status == 0)
        #expect(try lake.sql("GRANT SELECT ON TABLE ml.events TO eve", as: "boss").status == 0)
        let looked = try lake.features(lookup, as: "eve")
        #expect(looked.status == 0, "\(looked.stderr)")
        #expect(looked.stdout.contains(",10.5,true"), "\(looked.stdout)")
        #expect(try lake.features(["describe", "ml.events"], as: "eve").status == 0)
        #expect(try lake.features(["list", "--format", "csv"], as: "eve").stdout.contains("ml.events"))
        let trained = try lake.features(trainingSet, as: "eve")
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))
        Self.expectDenied(try lake.features(["write", "ml.events", more], as: "eve"), "MODIFY", "write after SELECT")
        Self.expectDenied(try lake.features(["publish", "ml.events"], as: "eve"), "MODIFY", "publish after SELECT")
        #expect(try lake.versions() == versions)

        // MODIFY: writes and publishes; dropping still needs MANAGE.
        #expect(try lake.sql("GRANT MODIFY ON TABLE ml.events TO eve", as: "boss").status == 0)
        let written = try lake.features(["write", "ml.events", more], as: "eve")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try lake.versions() == versions + 1)
        #expect(try lake.features(["publish", "ml.events"], as: "eve").status == 0)
        #expect(try lake.features(["lookup", "ml.events", "--key", "3", "--format", "csv"], as: "eve").stdout.contains(",7.75,true"))
        Self.expectDenied(try lake.features(["drop", "ml.events"], as: "eve"), "MANAGE", "drop after MODIFY")

        // REVOKE is seen by the next process.
        #expect(try lake.sql("REVOKE SELECT ON TABLE ml.events FROM eve", as: "boss").status == 0)
        Self.expectDenied(try lake.features(lookup, as: "eve"), "SELECT", "lookup after REVOKE")
    }
}

extension CLILakehouse {
    /// How many commits of `ml.events` wrote, merged or created, as the admin sees them.
    fileprivate func versions() throws -> Int {
        let history = try run(["history", "ml.events"], as: "boss")
        return history.stdout.split(separator: "\n").filter { $0.contains("WRITE") || $0.contains("MERGE") || $0.contains("CREATE") }.count
    }
}
