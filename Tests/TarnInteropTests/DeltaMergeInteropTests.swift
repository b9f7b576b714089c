// MERGE interop: deltalake (delta-rs) reads every version of a partitioned table Tarn
// merged into (upsert, delete, not-matched-by-source) with the rows Tarn reads, and its
// history shows Tarn's MERGE commits with their metrics.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnTables
import TarnTestSupport

@Suite("Delta MERGE interop with deltalake", .serialized)
struct DeltaMergeInteropTests {
    static let schema = Schema([Field("key", .int64), Field("value", .int64), Field("part", .string)])

    private func batch(_ rows: [(Int64?, Int64?)]) throws -> RecordBatch {
        try RecordBatch(schema: Self.schema, columns: [
            try Column(.int64, rows.map(\.0)),
            try Column(.int64, rows.map(\.1)),
            try Column(strings: rows.map { $0.0.map { "p\($0 % 3)" } ?? "pnull" }),
        ])
    }

    /// Rows as sorted "key:value" text (NULL for nulls), the form the peer prints.
    private func texts(_ batches: [RecordBatch]) -> [String] {
        batches.flatMap { b in
            (0..<b.rowCount).map { i -> String in
                let key = b.column(named: "key")?.value(at: i) ?? .null
                let value = b.column(named: "value")?.value(at: i) ?? .null
                return "\(key):\(value)"
            }
        }.sorted()
    }

    @Test("deltalake reads every version of a table Tarn merged into, with Tarn's rows and MERGE history")
    func deltalakeReadsMergedTable() throws {
        let dir = try TemporaryDirectory("delta-interop-merge")
        defer { dir.remove() }
        let table = try Table.create(store: LocalFileStore(root: dir.path), path: "", name: "merged",
                                     schema: Self.schema, partitionColumns: ["part"])
        try table.append([try batch((0..<60).map { (Int64($0), Int64($0)) } + [(nil, -1)])])
        try table.append([try batch((60..<120).map { (Int64($0), Int64($0)) })])
        let on: [(target: String, source: String)] = [(target: "key", source: "key")]
        let upsert = try table.merge(source: [try batch((100..<140).map { (Int64($0), Int64($0 * 10)) } + [(nil, 5)])], on: on)
            .whenMatchedUpdateAll()
            .whenNotMatchedInsertAll()
            .execute()
        _ = try table.merge(source: [try batch((0..<10).map { (Int64($0), nil) })], on: on)
            .whenMatchedDelete(condition: .compare(.target("key"), .less, .literal(.int(5))))
            .whenMatched(update: ["value": .literal(.int(0))])
            .execute()
        let last = try table.merge(source: [try batch((50..<140).map { (Int64($0), 1) })], on: on)
            .whenNotMatchedBySourceDelete(condition: .isNotNull(.target("key")))
            .execute()
        let lastVersion = try #require(last.version)

        let output = try Peers.runInline("""
            import os, sys, json
            from deltalake import DeltaTable
            path, last = sys.argv[1], int(sys.argv[2])
            out = {"history": [{"version": h.get("version"), "operation": h.get("operation"),
                                "updated": (h.get("operationMetrics") or {}).get("numTargetRowsUpdated")}
                               for h in DeltaTable(path).history()]}
            for v in range(last + 1):
                rows = DeltaTable(path, version=v).to_pyarrow_table().to_pylist()
                out[str(v)] = sorted(("NULL" if r["key"] is None else str(r["key"])) + ":" +
                                     ("NULL" if r["value"] is None else str(r["value"])) for r in rows)
            print("RESULT " + json.dumps(out))
            sys.stdout.flush(); os._exit(0)
            """, [dir.path, String(lastVersion)])
        let line = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("RESULT ") },
                                "deltalake failed: \(output.stderr.suffix(3000))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Any])
        for version in 0...lastVersion {
            let theirs = json[String(version)] as? [String]
            let ours = texts(try table.read(asOf: .version(version)))
            #expect(theirs == ours, "version \(version)")
        }
        // Keys 50..<140 survive the last merge, plus the two NULL-key rows.
        #expect((json[String(lastVersion)] as? [String])?.count == 92)
        let history = try #require(json["history"] as? [[String: Any]])
        let merges = history.filter { ($0["operation"] as? String) == "MERGE" }
        #expect(merges.count == 3)
        let upsertEntry = history.first { ($0["version"] as? Int).map(Int64.init) == upsert.version }
        #expect(upsertEntry?["updated"] as? String == String(upsert.numTargetRowsUpdated))
    }
}
