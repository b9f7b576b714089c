// Delta tables exchanged with the real deltalake (delta-rs), both directions, generated
// at test time: deltalake reads every version of tables Tarn writes (all types,
// partitions, checkpoints, history, files); Tarn reads every version of a table
// deltalake writes, by version and by timestamp; both append to one table at once.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Delta interop with deltalake", .serialized)
struct DeltaInteropTests {
    /// Records one issue per MISMATCH line and checks the closing summary line.
    private func judge(_ output: Peers.Output, expectedCases: Int, _ what: String) {
        let lines = output.stdout.split(separator: "\n")
        for line in lines where line.hasPrefix("MISMATCH") {
            Issue.record(Comment(rawValue: "\(what): \(line)"))
        }
        let summary = lines.last.map(String.init) ?? ""
        #expect(summary == "\(expectedCases) passed, 0 failed",
                "\(what): checker said: \(summary); stderr: \(output.stderr.suffix(3000))")
    }

    /// Removes a test directory, unless TARN_KEEP_INTEROP_DIRS is set (then its path is
    /// printed, to look at the tables and the peers' inputs).
    private func keepOrRemove(_ dir: TemporaryDirectory) {
        if ProcessInfo.processInfo.environment["TARN_KEEP_INTEROP_DIRS"] != nil {
            print("kept \(dir.path)")
        } else {
            dir.remove()
        }
    }

    private func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(value).write(to: url)
    }

    // MARK: Tarn writes, deltalake reads

    struct WrittenCommit: Encodable {
        var version: Int64
        var mode: String?
        var rows: String?
    }

    struct HistoryEntry: Encodable {
        var version: Int64
        var operation: String?
        var mode: String?
        var timestamp: Int64
    }

    struct WrittenTable: Encodable {
        var name: String
        var path: String
        var key = "id"
        var types: [String: String]
        var commits: [WrittenCommit]
        var history: [HistoryEntry]
        var files: [String]
        var checkpoints: [Int64]
    }

    /// Commits after the create: appends, an overwrite at version 13, 23 in all, so
    /// Tarn's checkpoints at 10 and 20 exist.
    static let lastVersion: Int64 = 23
    static let overwriteVersion: Int64 = 13

    /// Writes one table of `DeltaInteropRows.schema` through `lastVersion` commits,
    /// recording what each commit wrote as JSON lines under `dir`.
    private func writeTarnTable(_ label: String, partitionColumns: [String], in dir: TemporaryDirectory) throws -> WrittenTable {
        let root = dir.url.appendingPathComponent(label).path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let table = try Table.create(store: LocalFileStore(root: root), path: "", name: label,
                                     schema: DeltaInteropRows.schema, partitionColumns: partitionColumns,
                                     description: "interop \(label)")
        var commits = [WrittenCommit(version: 0, mode: nil, rows: nil)]
        var nextID: Int64 = 0
        for version in 1...Self.lastVersion {
            let count = Int64(30 + (version * 7) % 40)
            let ids = nextID..<(nextID + count)
            nextID += count
            // Every third commit hands over two batches.
            let batches = version % 3 == 0
                ? [try DeltaInteropRows.batch(ids.prefix(Int(count / 2))), try DeltaInteropRows.batch(ids.dropFirst(Int(count / 2)))]
                : [try DeltaInteropRows.batch(ids)]
            let mode: TarnTables.WriteMode = version == Self.overwriteVersion ? .overwrite : .append
            let result = try table.write(batches, mode: mode)
            #expect(result.version == version, "\(label): commit \(version) got version \(String(describing: result.version))")
            let file = "\(label)-v\(version).jsonl"
            try Data(JSONLinesWriter().write(batches)).write(to: dir.url.appendingPathComponent(file))
            commits.append(WrittenCommit(version: version, mode: mode.rawValue, rows: file))
        }
        let history = try table.history().map {
            HistoryEntry(version: $0.version, operation: $0.commitInfo?.operation,
                         mode: $0.commitInfo?.operationParameters?["mode"], timestamp: $0.timestamp)
        }
        let snapshot = try table.snapshot()
        #expect(snapshot.version == Self.lastVersion)
        return WrittenTable(name: label, path: root, types: DeltaInteropRows.deltaTypeNames, commits: commits,
                            history: history, files: snapshot.files.map(\.decodedPath), checkpoints: [10, 20])
    }

    @Test("deltalake reads every version of Tarn's tables (all types, nulls, partitions, overwrite, checkpoints) with Tarn's rows, history and files; Tarn reads them after deltalake appends")
    func deltalakeReadsTarnTables() throws {
        let dir = try TemporaryDirectory("delta-interop-tarn-writes")
        defer { keepOrRemove(dir) }
        let tables = [
            try writeTarnTable("plain", partitionColumns: [], in: dir),
            try writeTarnTable("partitioned", partitionColumns: ["region", "day"], in: dir),
        ]
        try writeJSON(tables, to: dir.url.appendingPathComponent("manifest.json"))
        // Per table: one case per version, then latest version, history, files, checkpoints, filtered scans.
        let cases = tables.reduce(0) { $0 + $1.commits.count + 5 }
        judge(try Peers.run("delta_check_tarn_written.py", [dir.path]), expectedCases: cases, "deltalake reading Tarn's tables")

        // deltalake appends to Tarn's tables (its snappy files, its partition directories,
        // its stats); Tarn reads the mixed table, also with filters that use those stats.
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("tarn"), withIntermediateDirectories: true)
        var entries: [ReadEntry] = []
        let mixedVersion = Self.lastVersion + 1
        for written in tables {
            let appended = try Peers.run("delta_append_shifted.py", [written.path, "1", "1000000"])
            guard appended.stdout.hasPrefix("APPENDED \(mixedVersion) ") else {
                Issue.record("\(written.name): deltalake's append failed: \(appended.stdout.suffix(1000)) \(appended.stderr.suffix(2000))")
                continue
            }
            let table = try Table.open(directory: written.path)
            let rows = try table.read()
            let file = "tarn/\(written.name)-mixed.jsonl"
            try Data(JSONLinesWriter().write(rows)).write(to: dir.url.appendingPathComponent(file))
            entries.append(ReadEntry(file: file, version: mixedVersion, label: "\(written.name) after deltalake's append", table: written.name))
            try pivotScans(table, rows: rows, columns: ["id", "i8", "i16", "i32", "f32", "f64", "name", "region", "day", "ts", "amount"],
                           version: mixedVersion, tableDirectory: written.name, dir: dir, entries: &entries)
        }
        try writeJSON(entries, to: dir.url.appendingPathComponent("tarn-manifest.json"))
        judge(try Peers.run("delta_check_tarn_read.py", [dir.path]), expectedCases: entries.count,
              "Tarn reading its tables after deltalake appended")

        // deltalake's vacuum deletes exactly the files Tarn's overwrite removed; the
        // latest rows stay, and a version before the overwrite is a clear error.
        for written in tables {
            let table = try Table.open(directory: written.path)
            let before = Set(JSONLinesWriter().write(try table.read()).split(separator: UInt8(ascii: "\n")).map { Array($0) })
            let removedByOverwrite = try table.snapshot(asOf: .version(Self.overwriteVersion - 1)).files.count
            let vacuum = try Peers.runInline("""
                import os, sys
                from deltalake import DeltaTable
                print("VACUUMED", len(DeltaTable(sys.argv[1]).vacuum(retention_hours=0, dry_run=False, enforce_retention_duration=False)))
                sys.stdout.flush(); os._exit(0)
                """, [written.path])
            #expect(vacuum.stdout.split(separator: "\n").contains { $0 == "VACUUMED \(removedByOverwrite)" },
                    "\(written.name): \(vacuum.stdout.suffix(500)) \(vacuum.stderr.suffix(2000))")
            let after = Set(JSONLinesWriter().write(try table.read()).split(separator: UInt8(ascii: "\n")).map { Array($0) })
            #expect(after == before, "\(written.name): rows changed by vacuum")
            #expect { try table.read(asOf: .version(Self.overwriteVersion - 1)) } throws: { ($0 as? TableError)?.code == .notFound }

            // A checkpoint deltalake writes of Tarn's table (all types, escaped partition
            // values, Tarn's stats) is enough for Tarn once the commits before it are gone.
            let checkpointed = try Peers.runInline("""
                import os, sys
                from deltalake import DeltaTable
                table = DeltaTable(sys.argv[1])
                table.create_checkpoint()
                print("CHECKPOINT", table.version())
                sys.stdout.flush(); os._exit(0)
                """, [written.path])
            let version = try #require(checkpointed.stdout.split(separator: "\n").first { $0.hasPrefix("CHECKPOINT ") }
                .flatMap { Int64($0.dropFirst("CHECKPOINT ".count)) }, "\(written.name): \(checkpointed.stderr.suffix(2000))")
            let copy = dir.url.appendingPathComponent("\(written.name)-from-deltalake-checkpoint")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: written.path), to: copy)
            let log = copy.appendingPathComponent("_delta_log")
            for name in try FileManager.default.contentsOfDirectory(atPath: log.path) {
                if let v = Int64(name.prefix(20)), v < version { try FileManager.default.removeItem(at: log.appendingPathComponent(name)) }
            }
            let fromCheckpoint = try Table.open(directory: copy.path)
            #expect(try fromCheckpoint.snapshot().version == version)
            let rows = Set(JSONLinesWriter().write(try fromCheckpoint.read()).split(separator: UInt8(ascii: "\n")).map { Array($0) })
            #expect(rows == before, "\(written.name): Tarn reading deltalake's checkpoint \(version) alone")
        }
    }

    /// A table partitioned by a column of every partitionable type Tarn and deltalake
    /// share (binary is left out: Delta keeps partition values as strings), with nulls,
    /// negative integers and floats, sub-second and pre-epoch timestamps, strings that
    /// need escaping.
    static let partitionSchema = Schema([
        Field("id", .int64), Field("n", .int32), Field("l", .int64), Field("d", .date32), Field("ts", .timestamp(.utc)),
        Field("b", .boolean), Field("dec", .decimal(precision: 5, scale: 2)), Field("f", .float64), Field("s", .string),
        Field("v", .float64),
    ])

    private func partitionBatch(_ ids: Range<Int>) throws -> RecordBatch {
        func pick<T>(_ options: [T], _ i: Int) -> T { options[i % options.count] }
        let scalars: [[ScalarValue]] = ids.map { i in [
            .int(Int64(i)),
            pick([.null, .int(0), .int(-7)], i),
            pick([.int(-1), .int(1 << 40)], i),
            pick([.date(-1), .date(19_000)], i / 2),
            pick([.timestamp(1_704_112_215_123_456, .utc), .timestamp(-1_000_001, .utc)], i / 3),
            pick([.boolean(true), .boolean(false), .null], i),
            // Positive only: deltalake 1.6.6 turns a negative decimal partition value
            // such as "-3.25" into "-3.-25" (on read and on write) and fails.
            pick([.decimal(5, scale: 2), .decimal(1205, scale: 2)], i / 2),
            pick([.float(0.1), .float(1e-5), .float(-2.5)], i / 4),
            pick([.string("a b"), .string("x=y/z"), .string("üñ"), .string("%"), .null], i),
            .float(Double(i) / 8),
        ] }
        let columns = try Self.partitionSchema.fields.enumerated().map { index, field in
            try Column(field.type, scalars: scalars.map { $0[index] })
        }
        return try RecordBatch(schema: Self.partitionSchema, columns: columns, rowCount: ids.count)
    }

    @Test("deltalake reads Tarn's partition values of every partitionable type (nulls, negatives, escaping)")
    func deltalakeReadsTarnPartitionValues() throws {
        let dir = try TemporaryDirectory("delta-interop-tarn-partitions")
        defer { keepOrRemove(dir) }
        let root = dir.url.appendingPathComponent("typed").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let partitions = ["n", "l", "d", "ts", "b", "dec", "f", "s"]
        let table = try Table.create(store: LocalFileStore(root: root), path: "", name: "typed", schema: Self.partitionSchema,
                                     partitionColumns: partitions)
        var commits = [WrittenCommit(version: 0, mode: nil, rows: nil)]
        for (version, ids) in [(Int64(1), 0..<40), (2, 40..<70)] {
            let batch = try partitionBatch(ids)
            try table.append([batch])
            let file = "typed-v\(version).jsonl"
            try Data(JSONLinesWriter().write([batch])).write(to: dir.url.appendingPathComponent(file))
            commits.append(WrittenCommit(version: version, mode: "Append", rows: file))
        }
        let history = try table.history().map {
            HistoryEntry(version: $0.version, operation: $0.commitInfo?.operation,
                         mode: $0.commitInfo?.operationParameters?["mode"], timestamp: $0.timestamp)
        }
        let types = ["id": "long", "n": "integer", "l": "long", "d": "date", "ts": "timestamp", "b": "boolean",
                     "dec": "decimal(5,2)", "f": "double", "s": "string", "v": "double"]
        let entry = WrittenTable(name: "typed", path: root, types: types, commits: commits, history: history,
                                 files: try table.snapshot().files.map(\.decodedPath), checkpoints: [])
        try writeJSON([entry], to: dir.url.appendingPathComponent("manifest.json"))
        judge(try Peers.run("delta_check_tarn_written.py", [dir.path]), expectedCases: commits.count + 5,
              "deltalake reading Tarn's typed partitions")
    }

    // MARK: deltalake writes, Tarn reads

    struct DeltalakeVersion: Decodable {
        var version: Int64
        var timestamp: Int64
        var operation: String
    }

    struct ReadEntry: Encodable {
        var file: String
        var version: Int64
        var label: String
        var table = "table"
        var filter: [FilterOperand]?
    }

    /// A filter operand for the checker: dates, decimals and strings as text,
    /// timestamps as microseconds.
    enum FilterOperand: Encodable {
        case text(String)
        case number(Int64)
        case float(Double)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .text(s): try container.encode(s)
            case let .number(n): try container.encode(n)
            case let .float(x): try container.encode(x)
            }
        }
    }

    /// Scans `table` with predicates on values taken from its data (the greatest and the
    /// middle one of each column), recording Tarn's rows for the checker. A file may only
    /// be skipped when its stats exclude the value: timestamp stats are truncated to
    /// milliseconds, so the greatest timestamp lies above its file's max stat; NaN or
    /// null stats say nothing. Floats get no `>=`: engines order NaN differently.
    private func pivotScans(_ table: Table, rows: [RecordBatch], columns: [String], version: Int64, tableDirectory: String,
                            dir: TemporaryDirectory, entries: inout [ReadEntry]) throws {
        for column in columns {
            let present = rows.flatMap { batch in
                (0..<batch.rowCount).compactMap { batch.column(named: column)?.value(at: $0) }.filter {
                    if case let .float(x) = $0 { return x.isFinite }
                    return $0 != .null
                }
            }.sorted { $0.orderedBefore($1) }
            guard !present.isEmpty else { continue }
            let isFloat: Bool = { if case .float = present[0] { return true } else { return false } }()
            for pivot in [present[present.count / 2], present[present.count - 1]] {
                for op in isFloat ? [ComparisonOperator.equal, .less] : [.greaterOrEqual, .equal, .less] {
                    let scan = try table.scan(predicate: .comparison(column: column, op: op, value: pivot))
                    let found = try scan.batches()
                    if op != .less {
                        #expect(found.reduce(0) { $0 + $1.rowCount } > 0,
                                "\(tableDirectory): \(column) \(op.rawValue) \(pivot) matched no row (\(scan.files.count) of \(scan.totalFiles) files read)")
                    }
                    let file = "tarn/\(tableDirectory)-scan-\(entries.count).jsonl"
                    try Data(JSONLinesWriter().write(found)).write(to: dir.url.appendingPathComponent(file))
                    entries.append(ReadEntry(file: file, version: version, label: "\(tableDirectory) scan \(column) \(op.rawValue) \(pivot)",
                                             table: tableDirectory, filter: [.text(column), .text(op.rawValue), pivot.filterOperand]))
                }
            }
        }
    }

    /// The last version whose commit time (ms) is at or before `micros`.
    private func expectedVersion(atMicros micros: Int64, _ versions: [DeltalakeVersion]) -> Int64? {
        versions.last { $0.timestamp * 1000 <= micros }?.version
    }

    @Test("Tarn reads every version of a partitioned table deltalake writes (checkpoints, overwrites, deletes, optimize, update, timestamp_ntz), by version and by timestamp")
    func tarnReadsDeltalakeTable() throws {
        let dir = try TemporaryDirectory("delta-interop-deltalake-writes")
        defer { keepOrRemove(dir) }
        let written = try Peers.run("delta_write_table.py", [dir.path])
        let versionsURL = dir.url.appendingPathComponent("versions.json")
        guard written.stdout.contains("WROTE"), FileManager.default.fileExists(atPath: versionsURL.path) else {
            Issue.record("delta_write_table.py failed (\(written.status)): \(written.stdout.suffix(1000)) \(written.stderr.suffix(3000))")
            return
        }
        let versions = try JSONDecoder().decode([DeltalakeVersion].self, from: Data(contentsOf: versionsURL))
        #expect(versions.count >= 26)
        #expect(versions.map(\.version) == Array(0..<Int64(versions.count)))
        let tarnDir = dir.url.appendingPathComponent("tarn")
        try FileManager.default.createDirectory(at: tarnDir, withIntermediateDirectories: true)
        let table = try Table.open(directory: dir.url.appendingPathComponent("table").path)

        // History: the same versions, commit times and operations deltalake reports.
        let history = try table.history().sorted { $0.version < $1.version }
        #expect(history.map(\.version) == versions.map(\.version))
        #expect(history.map(\.timestamp) == versions.map(\.timestamp))
        #expect(history.map { $0.commitInfo?.operation ?? "" } == versions.map(\.operation))

        var entries: [ReadEntry] = []
        for entry in versions {
            let v = entry.version
            let byVersion = try table.read(asOf: .version(v))
            try Data(JSONLinesWriter().write(byVersion)).write(to: tarnDir.appendingPathComponent("v\(v).jsonl"))
            entries.append(ReadEntry(file: "tarn/v\(v).jsonl", version: v, label: "version \(v) (\(entry.operation))"))

            // By the commit's own timestamp, and just under a millisecond later.
            let micros = entry.timestamp * 1000
            let expected = try #require(expectedVersion(atMicros: micros, versions))
            #expect(try table.snapshot(asOf: .timestamp(micros)).version == expected, "timestamp of version \(v)")
            #expect(try table.snapshot(asOf: .timestamp(micros + 999)).version == expectedVersion(atMicros: micros + 999, versions),
                    "timestamp of version \(v) + 999 µs")
            let byTime = try table.read(asOf: .timestamp(micros))
            try Data(JSONLinesWriter().write(byTime)).write(to: tarnDir.appendingPathComponent("t\(v).jsonl"))
            entries.append(ReadEntry(file: "tarn/t\(v).jsonl", version: expected, label: "timestamp of version \(v) (reads version \(expected))"))
        }
        let first = try #require(versions.first)
        #expect { try table.read(asOf: .timestamp(first.timestamp * 1000 - 1)) } throws: {
            ($0 as? TableError)?.code == .notFound
        }
        #expect { try table.read(asOf: .version(Int64(versions.count))) } throws: {
            ($0 as? TableError)?.code == .notFound
        }

        // Partition pruning: only the files of part 'b' are read.
        let latest = try #require(versions.last).version
        let byPartition = try table.scan(predicate: .comparison(column: "part", op: .equal, value: .string("b")))
        #expect(byPartition.files.count > 0 && byPartition.prunedFiles > 0,
                "part = 'b' read \(byPartition.files.count) of \(byPartition.totalFiles) files")
        #expect(byPartition.files.allSatisfy { ($0.partitionValues["part"] ?? nil) == "b" })
        try Data(JSONLinesWriter().write(try byPartition.batches())).write(to: tarnDir.appendingPathComponent("part-b.jsonl"))
        entries.append(ReadEntry(file: "tarn/part-b.jsonl", version: latest, label: "scan part = 'b'",
                                 filter: [.text("part"), .text("="), .text("b")]))

        // Statistics pruning on deltalake's stats: the newest ids live in the last commit's files.
        let latestRows = try table.read()
        let allIDs = DeltaInteropRows.ids(latestRows)
        let cut = try #require(allIDs.last) - 20
        let byID = try table.scan(predicate: .comparison(column: "id", op: .greaterOrEqual, value: .int(cut)))
        #expect(byID.prunedFiles > 0, "id >= \(cut) read \(byID.files.count) of \(byID.totalFiles) files")
        try Data(JSONLinesWriter().write(try byID.batches())).write(to: tarnDir.appendingPathComponent("id-cut.jsonl"))
        entries.append(ReadEntry(file: "tarn/id-cut.jsonl", version: latest, label: "scan id >= \(cut)",
                                 filter: [.text("id"), .text(">="), .number(cut)]))

        try pivotScans(table, rows: latestRows, columns: ["ts", "value", "day", "amount", "name", "small"],
                       version: latest, tableDirectory: "table", dir: dir, entries: &entries)

        // The timestamp_ntz table (protocol 3/7, reader feature timestampNtz): every
        // version, and the greatest local time, which lies above its ms-truncated stat.
        let ntz = try Table.open(directory: dir.url.appendingPathComponent("ntz").path)
        let ntzLatest = try ntz.snapshot().version
        #expect(ntzLatest == 2)
        for v in 0...ntzLatest {
            let file = "tarn/ntz-v\(v).jsonl"
            try Data(JSONLinesWriter().write(try ntz.read(asOf: .version(v)))).write(to: dir.url.appendingPathComponent(file))
            entries.append(ReadEntry(file: file, version: v, label: "ntz version \(v)", table: "ntz"))
        }
        let locals = try ntz.read(columns: ["local"]).flatMap { batch in
            (0..<batch.rowCount).compactMap { batch.columns[0].value(at: $0) }.filter { $0 != .null }
        }.sorted { $0.orderedBefore($1) }
        let greatest = try #require(locals.last)
        for op in [ComparisonOperator.greaterOrEqual, .equal] {
            let rows = try ntz.read(predicate: .comparison(column: "local", op: op, value: greatest))
            #expect(rows.reduce(0) { $0 + $1.rowCount } == 1, "ntz: local \(op.rawValue) \(greatest)")
            let file = "tarn/ntz-local-\(entries.count).jsonl"
            try Data(JSONLinesWriter().write(rows)).write(to: dir.url.appendingPathComponent(file))
            entries.append(ReadEntry(file: file, version: ntzLatest, label: "ntz scan local \(op.rawValue) \(greatest)",
                                     table: "ntz", filter: [.text("local"), .text(op.rawValue), greatest.filterOperand]))
        }

        // Partition values of several types as deltalake serializes them (timestamps
        // like '2024-01-01 12:30:15.123456', null ints): every version, and scans that
        // prune by each partition column.
        let typed = try Table.open(directory: dir.url.appendingPathComponent("typed_parts").path)
        let typedLatest = try typed.snapshot().version
        for v in 0...typedLatest {
            let file = "tarn/typed-v\(v).jsonl"
            try Data(JSONLinesWriter().write(try typed.read(asOf: .version(v)))).write(to: dir.url.appendingPathComponent(file))
            entries.append(ReadEntry(file: file, version: v, label: "typed_parts version \(v)", table: "typed_parts"))
        }
        try pivotScans(typed, rows: try typed.read(), columns: ["n", "d", "ts", "dec", "id"], version: typedLatest,
                       tableDirectory: "typed_parts", dir: dir, entries: &entries)
        let exactTime = try typed.scan(predicate: .comparison(column: "ts", op: .equal, value: .timestamp(1_704_112_215_123_456, .utc)))
        #expect(exactTime.files.count > 0 && exactTime.prunedFiles > 0,
                "ts = 12:30:15.123456 read \(exactTime.files.count) of \(exactTime.totalFiles) files")
        #expect(try exactTime.count() == 12)
        let isTrue = try typed.scan(predicate: .comparison(column: "b", op: .equal, value: .boolean(true)))
        #expect(try isTrue.count() == 24 && isTrue.prunedFiles > 0)
        #expect(try typed.scan(predicate: .isNull(column: "n")).count() == 10)

        // deltalake's last checkpoint alone: a copy of the table without the commits and
        // older checkpoints it covers (as after log cleanup).
        let tableURL = dir.url.appendingPathComponent("table"), cutURL = dir.url.appendingPathComponent("table-cut")
        try FileManager.default.copyItem(at: tableURL, to: cutURL)
        let lastCheckpoint = try JSONSerialization.jsonObject(
            with: Data(contentsOf: tableURL.appendingPathComponent("_delta_log/_last_checkpoint"))) as? [String: Any]
        let checkpointVersion = try #require((lastCheckpoint?["version"] as? NSNumber)?.int64Value)
        #expect(checkpointVersion > 0 && checkpointVersion < latest)
        let cutLog = cutURL.appendingPathComponent("_delta_log")
        for name in try FileManager.default.contentsOfDirectory(atPath: cutLog.path) {
            if let v = Int64(name.prefix(20)), v < checkpointVersion { try FileManager.default.removeItem(at: cutLog.appendingPathComponent(name)) }
        }
        let trimmed = try Table.open(directory: cutURL.path)
        #expect(try trimmed.snapshot().version == latest)
        for v in [checkpointVersion, latest] {
            let file = "tarn/cut-v\(v).jsonl"
            try Data(JSONLinesWriter().write(try trimmed.read(asOf: .version(v)))).write(to: dir.url.appendingPathComponent(file))
            entries.append(ReadEntry(file: file, version: v, label: "version \(v) from checkpoint \(checkpointVersion) without older commits"))
        }
        #expect { try trimmed.read(asOf: .version(checkpointVersion - 1)) } throws: { ($0 as? TableError)?.code == .notFound }

        try writeJSON(entries, to: dir.url.appendingPathComponent("tarn-manifest.json"))
        judge(try Peers.run("delta_check_tarn_read.py", [dir.path]), expectedCases: entries.count, "Tarn reading deltalake's table")
    }

    // MARK: Simultaneous appends

    static let concurrentSchema = Schema([
        Field("id", .int64), Field("writer", .string), Field("seq", .int32), Field("value", .float64),
    ])

    private func concurrentBatch(_ k: Int) throws -> RecordBatch {
        let ids = (0..<10).map { Int64(10 * k + $0) }
        return try RecordBatch(schema: Self.concurrentSchema, columns: [
            try Column(.int64, values: ids),
            try Column(strings: Array(repeating: "tarn", count: 10)),
            try Column(.int32, values: Array(repeating: Int32(k), count: 10)),
            try Column(.float64, values: ids.map { Double($0) / 4 }),
        ])
    }

    @Test("Tarn and deltalake appending to one table at the same time: every row once, versions contiguous")
    func simultaneousAppends() throws {
        let dir = try TemporaryDirectory("delta-interop-concurrent")
        defer { keepOrRemove(dir) }
        let root = dir.url.appendingPathComponent("table").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let table = try Table.create(store: LocalFileStore(root: root), path: "", name: "concurrent", schema: Self.concurrentSchema)
        let appends = 25
        let ready = dir.url.appendingPathComponent("ready"), go = dir.url.appendingPathComponent("go")

        let peer = BackgroundPeer()
        let args = ["append", root, String(appends), ready.path, go.path]
        let thread = Thread { peer.finish(Result { try Peers.run("delta_concurrent_appends.py", args, timeout: 300) }) }
        thread.start()
        // Start together: the peer has imported deltalake when `ready` appears.
        while !FileManager.default.fileExists(atPath: ready.path) && !peer.isFinished {
            Thread.sleep(forTimeInterval: 0.01)
        }
        _ = FileManager.default.createFile(atPath: go.path, contents: Data("go".utf8))
        var tarnErrors: [String] = []
        for k in 0..<appends {
            do {
                try table.append([try concurrentBatch(k)])
            } catch {
                tarnErrors.append("append \(k): \(error)")
            }
        }
        let output = try peer.wait().get()
        #expect(tarnErrors.isEmpty, "Tarn's appends failed: \(tarnErrors)")
        #expect(output.stdout.contains("DONE \(appends)"),
                "deltalake's appends did not finish: \(output.stdout.suffix(1000)) \(output.stderr.suffix(3000))")

        // Tarn's view: versions 0...2N, N commits from each writer, every row once.
        let history = try table.history().sorted { $0.version < $1.version }
        #expect(history.map(\.version) == Array(0...Int64(2 * appends)))
        let deltalakeCommits = history.filter { $0.commitInfo?.engineInfo?.hasPrefix("delta-rs") == true }.count
        let tarnAppends = history.filter { $0.commitInfo?.engineInfo == DeltaLog.engineInfo && $0.version > 0 }.count
        #expect(deltalakeCommits == appends && tarnAppends == appends, "deltalake \(deltalakeCommits), Tarn \(tarnAppends) commits")
        let expectedIDs = ((0..<(10 * appends)).map(Int64.init) + (0..<(10 * appends)).map { Int64(1_000_000 + $0) }).sorted()
        #expect(DeltaInteropRows.ids(try table.read(columns: ["id"])) == expectedIDs)

        // deltalake's view of the final table.
        let idsFile = dir.url.appendingPathComponent("ids.json")
        try writeJSON(expectedIDs, to: idsFile)
        let check = try Peers.run("delta_concurrent_appends.py", ["check", root, idsFile.path])
        // How the writers interleaved (informative: timing decides it, so it is not asserted).
        for line in check.stdout.split(separator: "\n") where line.hasPrefix("OK history") { print("concurrent appends: \(line)") }
        judge(check, expectedCases: 2, "deltalake reading the concurrently written table")
    }
}

extension ScalarValue {
    /// Orders the flat values the interop scans pick pivots from (one type at a time).
    func orderedBefore(_ other: ScalarValue) -> Bool {
        switch (self, other) {
        case let (.int(a), .int(b)): return a < b
        case let (.float(a), .float(b)): return a < b
        case let (.date(a), .date(b)): return a < b
        case let (.timestamp(a, _), .timestamp(b, _)): return a < b
        case let (.decimal(a, _), .decimal(b, _)): return a < b
        case let (.string(a), .string(b)): return a < b
        default: return false
        }
    }

    var filterOperand: DeltaInteropTests.FilterOperand {
        switch self {
        case let .int(v): return .number(v)
        case let .float(v): return .float(v)
        case let .timestamp(t, _): return .number(t)
        case let .date(d): return .text(TemporalFormat.date(d))
        default: return .text(description)
        }
    }
}

/// The result of a peer process run on another thread.
final class BackgroundPeer: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `result` is only touched while holding `condition`.
    private let condition = NSCondition()
    private var result: Result<Peers.Output, any Error>?

    func finish(_ value: Result<Peers.Output, any Error>) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }

    var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return result != nil
    }

    func wait() -> Result<Peers.Output, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }
}
