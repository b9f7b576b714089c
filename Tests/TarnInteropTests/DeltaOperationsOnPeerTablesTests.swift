// DeltaOperationsOnPeerTablesTests: Tarn runs DELETE, UPDATE, MERGE, OPTIMIZE and VACUUM
// on tables deltalake created (partitioned and not), and deltalake reads every version
// with the rows of a reference computed here and Tarn's operations in its history; CHECK
// constraints hold in both directions; deltalake appends from its own process while
// Tarn optimizes and deletes, and no row is lost.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Tarn's operations on deltalake's tables", .serialized)
struct DeltaOperationsOnPeerTablesTests {
    /// deltalake's rows: id, part "p<id % 3>", v = id * 1.5 (NULL when id % 7 == 0), name "n<id>".
    static func value(_ id: Int) -> Double? { id % 7 == 0 ? nil : Double(id) * 1.5 }

    /// "id:v" lines (v "null" when NULL), sorted, as both sides print them.
    static func lines(_ rows: [Int: Double?]) -> [String] {
        rows.map { "\($0.key):\($0.value.map { String(format: "%.3f", $0) } ?? "null")" }.sorted()
    }

    static let createScript = """
        import os, sys
        import pyarrow as pa
        from deltalake import DeltaTable, write_deltalake
        path, partitioned = sys.argv[1], sys.argv[2] == "1"
        def rows(lo, hi):
            ids = list(range(lo, hi))
            return pa.table({"id": pa.array(ids, pa.int64()), "part": [f"p{i % 3}" for i in ids],
                             "v": pa.array([None if i % 7 == 0 else i * 1.5 for i in ids], pa.float64()),
                             "name": [f"n{i}" for i in ids]})
        for k in range(4):
            write_deltalake(path, rows(k * 30, k * 30 + 30), mode="append", partition_by=["part"] if partitioned else None)
        DeltaTable(path).delete("id = 5")
        print("VERSION", DeltaTable(path).version())
        sys.stdout.flush(); os._exit(0)
        """

    static let readScript = """
        import json, os, sys
        from deltalake import DeltaTable
        path = sys.argv[1]
        for version in sys.argv[2].split(","):
            t = DeltaTable(path, version=int(version)).to_pyarrow_table()
            ids, vs = t.column("id").to_pylist(), t.column("v").to_pylist()
            lines = sorted(f"{i}:{'null' if v is None else '%.3f' % v}" for i, v in zip(ids, vs))
            print("V", version, ";".join(lines))
        dt = DeltaTable(path)
        history = dt.history()
        print("OPS", ",".join(h["operation"] for h in history))
        for h in history:
            if h["operation"] in ("DELETE", "UPDATE", "MERGE", "OPTIMIZE"):
                print("METRICS", h["version"], h["operation"], json.dumps(h.get("operationMetrics", {}), sort_keys=True))
        print("FILES", len(dt.file_uris()))
        sys.stdout.flush(); os._exit(0)
        """

    static let mergeSchema = Schema([Field("id", .int64), Field("part", .string), Field("v", .float64), Field("name", .string)])

    @Test("Tarn deletes, updates, merges, optimizes and vacuums deltalake's table; deltalake reads each version",
          arguments: [false, true])
    func operationsOnDeltalakeTable(partitioned: Bool) throws {
        let dir = try TemporaryDirectory("tarn-ops-on-peer")
        defer { dir.remove() }
        let path = dir.path + "/table"
        let created = try Peers.runInline(Self.createScript, [path, partitioned ? "1" : "0"])
        #expect(created.stdout.contains("VERSION 4"), "\(created.stdout) \(created.stderr.suffix(2000))")

        let table = try Table.open(directory: path)
        #expect(try table.snapshot().partitionColumns == (partitioned ? ["part"] : []))
        var rows: [Int: Double?] = [:]
        for id in 0..<120 where id != 5 { rows[id] = Self.value(id) }
        var reference: [Int64: [String]] = [4: Self.lines(rows)]
        #expect(Self.tarnLines(try table.read()) == reference[4])

        let deleted = try table.delete(where: .comparison(column: "v", op: .greater, value: .float(150)))
        rows = rows.filter { !(($0.value ?? 0) > 150) }
        reference[5] = Self.lines(rows)
        #expect(deleted.version == 5)
        #expect(deleted.numDeletedRows == 119 - 100 - 3)  // ids 101...119 minus NULLs 105, 112, 119

        let updated = try table.update(where: .comparison(column: "part", op: .equal, value: .string("p1")),
                                       set: ["v": .multiply(column: "v", .int(2))])
        rows = Dictionary(uniqueKeysWithValues: rows.map { id, v in (id, id % 3 == 1 ? v.map { $0 * 2 } : v) })
        reference[6] = Self.lines(rows)
        #expect(updated.version == 6)

        let sourceIDs = Array(100..<140)
        let source = try RecordBatch(schema: Self.mergeSchema, columns: [
            try Column(.int64, values: sourceIDs.map(Int64.init)),
            try Column(strings: sourceIDs.map { "p\($0 % 3)" }),
            try Column(.float64, values: sourceIDs.map { -Double($0) }),
            try Column(strings: sourceIDs.map { "m\($0)" }),
        ])
        let matchedBefore = sourceIDs.filter { rows[$0] != nil }.count
        let merged = try table.merge(source: [source], on: [(target: "id", source: "id")])
            .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
        for id in sourceIDs { rows[id] = -Double(id) }
        reference[7] = Self.lines(rows)
        #expect(merged.version == 7)
        #expect(merged.numTargetRowsUpdated == matchedBefore && merged.numTargetRowsInserted == 40 - matchedBefore)

        let optimized = try table.optimize()
        reference[8] = reference[7]
        #expect(optimized.version == 8)
        for (version, expected) in reference {
            #expect(Self.tarnLines(try table.read(asOf: .version(version))) == expected, "Tarn at version \(version)")
        }
        Thread.sleep(forTimeInterval: 0.02)
        let vacuumed = try table.vacuum(retentionHours: 0, enforceRetention: false)
        #expect(vacuumed.files.count > 0)
        let last = try table.snapshot().version
        reference[last] = reference[7]

        // deltalake reads the versions Tarn wrote (older ones lost their files to the vacuum).
        let output = try Peers.runInline(Self.readScript, [path, "8,\(last)"])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        for version in [Int64(8), last] {
            let expected = "V \(version) " + (reference[version] ?? []).joined(separator: ";")
            #expect(lines.contains(expected), "deltalake at version \(version): \(output.stdout.prefix(3000)) \(output.stderr.suffix(2000))")
        }
        let ops = lines.first { $0.hasPrefix("OPS ") } ?? ""
        #expect(ops.hasPrefix("OPS VACUUM END,VACUUM START,OPTIMIZE,MERGE,UPDATE,DELETE,DELETE"), "\(ops)")
        let mergeMetrics = lines.first { $0.hasPrefix("METRICS 7 MERGE ") } ?? ""
        #expect(mergeMetrics.contains(#""numTargetRowsInserted": "\#(40 - matchedBefore)""#), "\(mergeMetrics)")
        let deleteMetrics = lines.first { $0.hasPrefix("METRICS 5 DELETE ") } ?? ""
        #expect(deleteMetrics.contains(#""numDeletedRows": "16""#), "\(deleteMetrics)")
        #expect(lines.contains("FILES \(try table.snapshot().fileCount)"), "\(output.stdout.suffix(500))")
    }

    @Test("deltalake reads every version Tarn wrote on deltalake's table (no vacuum)", arguments: [false, true])
    func deltalakeReadsEveryVersionBeforeVacuum(partitioned: Bool) throws {
        let dir = try TemporaryDirectory("tarn-ops-on-peer-versions")
        defer { dir.remove() }
        let path = dir.path + "/table"
        _ = try Peers.runInline(Self.createScript, [path, partitioned ? "1" : "0"])
        let table = try Table.open(directory: path)
        var rows: [Int: Double?] = [:]
        for id in 0..<120 where id != 5 { rows[id] = Self.value(id) }
        var reference: [Int64: [String]] = [4: Self.lines(rows)]
        try table.delete(where: .inList(column: "part", values: [.string("p0")]))
        rows = rows.filter { $0.key % 3 != 0 }
        reference[5] = Self.lines(rows)
        try table.update(where: .comparison(column: "id", op: .less, value: .int(30)), set: ["v": .literal(.float(0.5))])
        for id in rows.keys where id < 30 { rows[id] = 0.5 }
        reference[6] = Self.lines(rows)
        // Optimize commits only when a partition has several small files.
        let optimized = try table.optimize()
        if let version = optimized.version { reference[version] = reference[6] }
        let versions = reference.keys.sorted()
        let output = try Peers.runInline(Self.readScript, [path, versions.map(String.init).joined(separator: ",")])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        for version in versions {
            let expected = "V \(version) " + (reference[version] ?? []).joined(separator: ";")
            #expect(lines.contains(expected), "deltalake at version \(version): \(output.stderr.suffix(2000))")
        }
        let ops = (optimized.version == nil ? "" : "OPTIMIZE,") + "UPDATE,DELETE,DELETE"
        #expect(lines.contains { $0.hasPrefix("OPS " + ops) }, "\(output.stdout.suffix(800))")
    }

    static func tarnLines(_ batches: [RecordBatch]) -> [String] {
        var rows: [Int: Double?] = [:]
        for b in batches {
            for i in 0..<b.rowCount {
                guard case let .int(id) = b.column(named: "id")?.value(at: i) else { continue }
                if case let .float(v) = b.column(named: "v")?.value(at: i) { rows[Int(id)] = v } else { rows[Int(id)] = .some(nil) }
            }
        }
        return lines(rows)
    }

    // MARK: constraints both ways

    @Test("Tarn enforces deltalake's CHECK constraint; deltalake enforces and shows the one Tarn added")
    func constraintsBothWays() throws {
        let dir = try TemporaryDirectory("tarn-constraints-interop")
        defer { dir.remove() }
        let path = dir.path + "/table"
        let created = try Peers.runInline("""
            import os, sys
            import pyarrow as pa
            from deltalake import DeltaTable, write_deltalake
            path = sys.argv[1]
            write_deltalake(path, pa.table({"id": pa.array(range(10), pa.int64()), "v": pa.array([float(i) for i in range(10)])}))
            DeltaTable(path).alter.add_constraint({"v_nonneg": "v >= 0"})
            print("VERSION", DeltaTable(path).version())
            sys.stdout.flush(); os._exit(0)
            """, [path])
        #expect(created.stdout.contains("VERSION 1"), "\(created.stdout) \(created.stderr.suffix(2000))")
        let table = try Table.open(directory: path)
        #expect(try table.constraints().map(\.name) == ["v_nonneg"])
        let schema = try table.schema()
        func rows(_ pairs: [(Int64, Double)]) throws -> RecordBatch {
            try RecordBatch(schema: Schema(schema.fields.map { Field($0.name, $0.type) }), columns: [
                try Column(.int64, values: pairs.map(\.0)), try Column(.float64, values: pairs.map(\.1)),
            ])
        }
        let refused = try #require(throws: TableError.self) { try table.append([try rows([(10, 1), (11, -2)])]) }
        #expect(refused.code == .schemaMismatch)
        #expect(refused.message.contains("v_nonneg") && refused.message.contains("-2"), "\(refused)")
        #expect(try table.snapshot().version == 1)
        let updateRefused = try #require(throws: TableError.self) {
            try table.update(whereSQL: "id = 3", setSQL: ["v": "v - 100"])
        }
        #expect(updateRefused.code == .schemaMismatch && updateRefused.message.contains("v_nonneg"), "\(updateRefused)")
        try table.append([try rows([(10, 1), (11, 2)])])
        let added = try table.addConstraint(name: "id_small", check: "id < 1000")
        #expect(added == 3)

        let output = try Peers.runInline("""
            import os, sys
            import pyarrow as pa
            from deltalake import DeltaTable, write_deltalake
            path = sys.argv[1]
            dt = DeltaTable(path)
            print("ROWS", dt.to_pyarrow_table().num_rows)
            print("CONSTRAINTS", sorted(k for k in dt.metadata().configuration if k.startswith("delta.constraints.")))
            print("OPS", ",".join(h["operation"] for h in dt.history()))
            try:
                write_deltalake(path, pa.table({"id": pa.array([5000], pa.int64()), "v": pa.array([1.0])}), mode="append")
                print("ACCEPTED BAD")
            except Exception as e:
                print("REJECTED BAD")
            write_deltalake(path, pa.table({"id": pa.array([50], pa.int64()), "v": pa.array([1.0])}), mode="append")
            print("ROWS", DeltaTable(path).to_pyarrow_table().num_rows)
            sys.stdout.flush(); os._exit(0)
            """, [path])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("ROWS 12"), "\(output.stdout) \(output.stderr.suffix(2000))")
        #expect(lines.contains("CONSTRAINTS ['delta.constraints.id_small', 'delta.constraints.v_nonneg']"), "\(output.stdout)")
        #expect(lines.contains { $0.hasPrefix("OPS ADD CONSTRAINT,WRITE,ADD CONSTRAINT") }, "\(output.stdout)")
        #expect(lines.contains("REJECTED BAD"), "\(output.stdout)")
        #expect(lines.contains("ROWS 13"), "\(output.stdout) \(output.stderr.suffix(2000))")
        // Tarn still enforces both after deltalake's append.
        let again = try #require(throws: TableError.self) { try table.append([try rows([(2000, 1)])]) }
        #expect(again.message.contains("id_small"), "\(again)")
    }

    // MARK: deltalake appending from its own process while Tarn optimizes and deletes

    @Test("deltalake appends from its process while Tarn optimizes and deletes: nothing lost, versions contiguous")
    func deltalakeAppendsWhileTarnOptimizesAndDeletes() throws {
        let dir = try TemporaryDirectory("tarn-ops-vs-deltalake")
        defer { dir.remove() }
        let root = dir.path + "/table"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let schema = Schema([Field("id", .int64), Field("writer", .string), Field("seq", .int32), Field("value", .float64)])
        let table = try Table.create(store: LocalFileStore(root: root), path: "", name: "race", schema: schema)
        let appends = 24
        let doomed: [ScalarValue] = stride(from: 0, to: appends, by: 3).map { .int(Int64($0)) }
        let ready = dir.path + "/ready", go = dir.path + "/go"

        // deltalake's appender: a commit deltalake refuses (it treats a concurrent DELETE's
        // removes as a conflict even for a blind append) is run again, as its error asks.
        let peer = BackgroundPeer()
        let script = """
            import os, sys, time
            import pyarrow as pa
            from deltalake import CommitProperties, write_deltalake
            from deltalake.exceptions import CommitFailedError
            table, n, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
            schema = pa.schema([("id", pa.int64()), ("writer", pa.string()), ("seq", pa.int32()), ("value", pa.float64())])
            def batch(k):
                ids = [1_000_000 + 10 * k + j for j in range(10)]
                return pa.table({"id": ids, "writer": ["deltalake"] * 10, "seq": [k] * 10, "value": [i / 4 for i in ids]}, schema=schema)
            open(ready, "w").write("ready")
            deadline = time.monotonic() + 120
            while not os.path.exists(go) and time.monotonic() < deadline:
                time.sleep(0.005)
            reruns = 0
            for k in range(n):
                for attempt in range(100):
                    try:
                        write_deltalake(table, batch(k), mode="append", commit_properties=CommitProperties(max_commit_retries=200))
                        break
                    except CommitFailedError:
                        reruns += 1
                print(f"APPENDED {k}"); sys.stdout.flush()
            print(f"DONE {n} RERUNS {reruns}")
            sys.stdout.flush(); os._exit(0)
            """
        let args = [root, String(appends), ready, go]
        let thread = Thread { peer.finish(Result { try Peers.runInline(script, args, timeout: 300) }) }
        thread.start()
        while !FileManager.default.fileExists(atPath: ready) && !peer.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        _ = FileManager.default.createFile(atPath: go, contents: Data("go".utf8))
        var unexpected: [String] = []
        var conflicts = 0
        func attempt(_ what: String, _ body: () throws(TableError) -> Void) {
            do {
                try body()
            } catch {
                if error.code == .conflict { conflicts += 1 } else { unexpected.append("\(what): \(error)") }
            }
        }
        while !peer.isFinished {
            attempt("delete") { () throws(TableError) in try table.delete(where: .inList(column: "seq", values: doomed)) }
            attempt("optimize") { () throws(TableError) in _ = try table.optimize() }
        }
        let output = try peer.wait().get()
        #expect(output.stdout.contains("DONE \(appends) RERUNS"), "\(output.stdout.suffix(1000)) \(output.stderr.suffix(3000))")
        #expect(unexpected.isEmpty, "\(unexpected)")
        try table.delete(where: .inList(column: "seq", values: doomed))

        let expected = (0..<appends).filter { $0 % 3 != 0 }.flatMap { k in (0..<10).map { Int64(1_000_000 + 10 * k + $0) } }
        let ids = try table.read(columns: ["id"]).flatMap { b in (0..<b.rowCount).compactMap { i -> Int64? in
            if case let .int(v) = b.columns[0].value(at: i) { return v }
            return nil
        } }
        #expect(ids.sorted() == expected.sorted(), "conflicts reported: \(conflicts)")
        let idsFile = dir.path + "/ids.json"
        try Data(("[" + expected.map(String.init).joined(separator: ",") + "]").utf8).write(to: URL(fileURLWithPath: idsFile))
        let check = try Peers.run("delta_concurrent_appends.py", ["check", root, idsFile])
        #expect(check.stdout.split(separator: "\n").last == "2 passed, 0 failed", "\(check.stdout) \(check.stderr.suffix(2000))")
    }
}
