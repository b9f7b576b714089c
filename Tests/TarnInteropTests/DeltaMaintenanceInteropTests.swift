// DeltaMaintenanceInteropTests: deltalake reads Tarn's tables after Tarn's OPTIMIZE,
// Z-ORDER and VACUUM — same rows, the compacted file set, and Tarn's operations in
// deltalake's history.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Delta maintenance interop with deltalake", .serialized)
struct DeltaMaintenanceInteropTests {
    static let schema = Schema([Field("id", .int64, nullable: false), Field("part", .string), Field("v", .float64)])

    static func batch(_ ids: Range<Int>) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            try Column(.int64, values: ids.map(Int64.init)),
            try Column(strings: ids.map { "p\($0 % 2)" }),
            try Column(.float64, ids.map { $0 % 7 == 0 ? nil : Double($0) * 1.5 }),
        ])
    }

    @Test("deltalake reads a table Tarn optimized, z-ordered and vacuumed, with Tarn's operations in its history")
    func deltalakeReadsMaintainedTable() throws {
        let dir = try TemporaryDirectory("tarn-maintenance-interop")
        defer { dir.remove() }
        let table = try Table.create(store: LocalFileStore(root: dir.path), path: "", schema: Self.schema, partitionColumns: ["part"])
        for k in 0..<5 { try table.append([try Self.batch((k * 40)..<(k * 40 + 40))]) }
        let optimized = try table.optimize()
        #expect(optimized.numFilesRemoved == 10 && optimized.numFilesAdded == 2)
        let zOrdered = try table.zOrder(by: ["v", "id"])
        #expect(zOrdered.numFilesRemoved == 2)
        // The vacuum below uses a zero retention: let the clock pass the last commit's millisecond.
        Thread.sleep(forTimeInterval: 0.02)
        let vacuumed = try table.vacuum(retentionHours: 0, enforceRetention: false)
        #expect(vacuumed.files.count == 12)
        let liveFiles = try table.snapshot().fileCount
        let output = try Peers.runInline("""
            import os, sys
            from deltalake import DeltaTable
            t = DeltaTable(sys.argv[1])
            ids = sorted(t.to_pyarrow_table().column("id").to_pylist())
            print("ROWS", len(ids), ids == list(range(int(sys.argv[2]))))
            print("OPS", ",".join(h["operation"] for h in t.history()))
            print("FILES", len(t.file_uris()))
            print("ZORDER", [h.get("operationParameters", {}).get("zOrderBy") for h in t.history() if h["operation"] == "OPTIMIZE"])
            sys.stdout.flush(); os._exit(0)
            """, [dir.path, "200"])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("ROWS 200 True"), "\(output.stdout) \(output.stderr.suffix(2000))")
        #expect(lines.contains("OPS VACUUM END,VACUUM START,OPTIMIZE,OPTIMIZE,WRITE,WRITE,WRITE,WRITE,WRITE,CREATE TABLE"),
                "\(output.stdout) \(output.stderr.suffix(2000))")
        #expect(lines.contains("FILES \(liveFiles)"), "\(output.stdout) \(output.stderr.suffix(2000))")
        #expect(lines.contains(#"ZORDER ['["v","id"]', '[]']"#), "\(output.stdout) \(output.stderr.suffix(2000))")
    }
}
