// DeltaOperationsInteropTests: deltalake reads every version of a table Tarn changed by
// DELETE, UPDATE and RESTORE — the same rows as Tarn and as a reference computed here —
// and shows Tarn's operations with their metrics in its history.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Delta DML interop with deltalake", .serialized)
struct DeltaOperationsInteropTests {
    static let schema = Schema([Field("id", .int64, nullable: false), Field("part", .string), Field("v", .float64)])

    /// v of `id`: NULL when id % 7 == 0, else id * 1.5; part "p<id % 2>".
    static func value(_ id: Int) -> Double? { id % 7 == 0 ? nil : Double(id) * 1.5 }

    static func batch(_ ids: Range<Int>) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: ids.map(Int64.init)),
            try Column(strings: ids.map { "p\($0 % 2)" }),
            try Column(.float64, ids.map(value)),
        ])
    }

    /// "id:v" lines (v "null" when NULL), sorted, as both sides print them.
    static func lines(_ rows: [(Int, Double?)]) -> [String] {
        rows.map { "\($0.0):\($0.1.map { String(format: "%.3f", $0) } ?? "null")" }.sorted()
    }

    static func tarnLines(_ batches: [RecordBatch]) -> [String] {
        lines(batches.flatMap { b in (0..<b.rowCount).map { i -> (Int, Double?) in
            guard case let .int(id) = b.column(named: "id")?.value(at: i) else { return (-1, nil) }
            if case let .float(v) = b.column(named: "v")?.value(at: i) { return (Int(id), v) }
            return (Int(id), nil)
        } })
    }

    @Test("deltalake reads every version after Tarn's DELETE, UPDATE and RESTORE, with their history and metrics")
    func deltalakeReadsChangedTable() throws {
        let dir = try TemporaryDirectory("tarn-dml-interop")
        defer { dir.remove() }
        let table = try Table.create(store: LocalFileStore(root: dir.path), path: "", schema: Self.schema, partitionColumns: ["part"])
        for k in 0..<3 { try table.append([try Self.batch((k * 40)..<(k * 40 + 40))]) }
        var reference: [Int64: [String]] = [:]
        var rows = (0..<120).map { ($0, Self.value($0)) }
        reference[3] = Self.lines(rows)
        let deleted = try table.delete(where: .comparison(column: "v", op: .greater, value: .float(100)))
        rows = rows.filter { !(($0.1 ?? 0) > 100) }
        reference[4] = Self.lines(rows)
        let updated = try table.update(where: .comparison(column: "part", op: .equal, value: .string("p1")),
                                       set: ["v": .multiply(column: "v", .int(2))])
        rows = rows.map { $0.0 % 2 == 1 ? ($0.0, $0.1.map { $0 * 2 }) : $0 }
        reference[5] = Self.lines(rows)
        let restored = try table.restore(toVersion: 3)
        reference[6] = reference[3]
        #expect(deleted.version == 4 && updated.version == 5 && restored.version == 6)
        for (version, expected) in reference {
            #expect(Self.tarnLines(try table.read(asOf: .version(version))) == expected, "Tarn at version \(version)")
        }
        let input = dir.url.appendingPathComponent("expected.json")
        try JSONEncoder().encode(Dictionary(uniqueKeysWithValues: reference.map { (String($0.key), $0.value) })).write(to: input)

        let output = try Peers.runInline("""
            import os, sys, json
            from deltalake import DeltaTable
            path, expected = sys.argv[1], json.load(open(sys.argv[2]))
            for version, want in sorted(expected.items()):
                t = DeltaTable(path, version=int(version))
                data = t.to_pyarrow_table().to_pydict()
                got = sorted("%d:%s" % (i, "null" if v is None else "%.3f" % v) for i, v in zip(data["id"], data["v"]))
                print("VERSION", version, "OK" if got == want else "MISMATCH %s" % [g for g in got if g not in want][:5])
            h = {e["version"]: e for e in DeltaTable(path).history()}
            for v in (4, 5, 6):
                print("OP", v, h[v]["operation"], json.dumps(h[v].get("operationMetrics", {}), sort_keys=True))
            sys.stdout.flush(); os._exit(0)
            """, [dir.path, input.path])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        let context = "\(output.stdout) \(output.stderr.suffix(2000))"
        for version in reference.keys.sorted() {
            #expect(lines.contains("VERSION \(version) OK"), "\(context)")
        }
        #expect(lines.contains { $0.hasPrefix("OP 4 DELETE ") && $0.contains("\"numDeletedRows\": \"\(deleted.numDeletedRows)\"") }, "\(context)")
        #expect(lines.contains { $0.hasPrefix("OP 5 UPDATE ") && $0.contains("\"numUpdatedRows\": \"\(updated.numUpdatedRows)\"") }, "\(context)")
        #expect(lines.contains { $0.hasPrefix("OP 6 RESTORE ") && $0.contains("\"numRestoredFiles\": \"\(restored.numRestoredFiles)\"") }, "\(context)")
    }
}
