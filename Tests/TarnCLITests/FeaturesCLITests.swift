// `tarn features` through the real executable: create, write, list, publish, lookup,
// describe, training-set and drop on one lakehouse, and one-line errors with exit status 1
// for bad input.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn features CLI", .serialized)
struct FeaturesCLITests {
    static let events = """
    user_id,ts,amount
    1,2026-01-01T10:00:00Z,10.5
    1,2026-01-02T10:00:00Z,20.25
    2,2026-01-01T12:00:00Z,5.0
    3,2026-01-03T00:00:00Z,7.75

    """
    static let spine = """
    user_id,ts,label
    1,2026-01-01T12:00:00Z,0
    1,2026-01-05T00:00:00Z,1
    2,2025-12-31T00:00:00Z,0
    4,2026-01-02T00:00:00Z,1

    """
    static let spec = """
    {"lookups": [{"table": "ml.events", "lookupKey": "user_id", "timestampLookupKey": "ts",
                  "features": ["amount"], "rename": {"amount": "last_amount"}}],
     "label": "label"}
    """

    typealias Lakehouse = CLILakehouse

    @Test("create, write, list, publish, lookup, describe, training-set and drop a feature table")
    func walkthrough() throws {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-features"))
        defer { lake.directory.remove() }

        let created = try lake.features(["create", "ml.events", "--keys", "user_id", "--timestamp-key", "ts",
                                    "--schema", "user_id:long,ts:timestamp,amount:double",
                                    "--description", "purchases", "--tag", "team=risk",
                                    "--feature-description", "amount=purchase amount"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created feature table ml.events"))

        let written = try lake.features(["write", "ml.events", try lake.file("events.csv", Self.events)])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("wrote 4 rows"))

        let listed = try lake.features(["list", "--tag", "team", "--format", "csv"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("ml.events,user_id,ts,1,purchases,team=risk"))

        let published = try lake.features(["publish", "ml.events"])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.contains("published ml.events version 1 (full): 3 keys online"))
        #expect(published.stdout.contains("note: ran full because the table was never published"))

        let looked = try lake.features(["lookup", "ml.events", "--key", "1", "--key", "9", "--key", "3",
                                   "--features", "amount", "--format", "csv"])
        #expect(looked.status == 0, "\(looked.stderr)")
        let lines = looked.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "user_id,amount,found")
        #expect(lines.count == 4)
        #expect(lines.dropFirst().first?.hasPrefix("1,20.25,") == true)
        #expect(lines.dropFirst().first?.hasSuffix("true") == true)
        #expect(lines.dropFirst(2).first?.hasSuffix("false") == true)
        #expect(lines.dropFirst(3).first?.hasPrefix("3,7.75,") == true)

        let described = try lake.features(["describe", "ml.events"])
        #expect(described.status == 0, "\(described.stderr)")
        #expect(described.stdout.contains("primary keys:  user_id"))
        #expect(described.stdout.contains("amount: double — purchase amount"))
        #expect(described.stdout.contains("online:        version 1"))
        #expect(described.stdout.contains("3 keys"))

        let output = lake.directory.path + "/training.csv"
        let trained = try lake.features(["training-set", "--spine", try lake.file("spine.csv", Self.spine),
                                    "--spec", try lake.file("spec.json", Self.spec), "--output", output])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("4 rows"))
        #expect(trained.stdout.contains("ml.events@1"))
        let csv = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv.first?.contains("last_amount") == true)
        #expect(csv.count == 5)
        // Point in time: 10.5 (the 01-02 event is later), then 20.25, then no match twice.
        #expect(csv.dropFirst().first?.contains("10.5") == true)
        #expect(csv.dropFirst(2).first?.contains("20.25") == true)
        #expect(csv.dropFirst(3).first?.contains("5.0") == false)

        let dropped = try lake.features(["drop", "ml.events"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(dropped.stdout.contains("dropped feature table ml.events and its online copy"))
        let gone = try lake.features(["lookup", "ml.events", "--key", "1"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("not published"))
    }

    @Test("bad input is one error line and exit status 1", arguments: [
        (["publish", "ml.missing"], "no such feature table"),
        (["lookup", "ml.missing"], "--key"),
        (["create", "ml.t", "--keys", "id", "--schema", "id:long,x:complex"], "unknown type 'complex'"),
        (["create", "ml.t", "--keys", "id"], "--schema or --from"),
    ])
    func badInput(_ arguments: [String], _ message: String) throws {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-features"))
        defer { lake.directory.remove() }
        let result = try lake.features(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
