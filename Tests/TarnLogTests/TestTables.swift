// TestTables: helpers that build small Delta logs directly in a store for TarnLog tests.
// Owns fixtures only; must never be used by library code.
import TarnColumnar
import TarnIO
import TarnLog
import TarnTestSupport

enum TestTables {
    static let schema = Schema([
        Field("id", .int64, nullable: false),
        Field("name", .string),
        Field("day", .date32),
    ])

    static func metadata(partitionColumns: [String] = [], configuration: [String: String] = [:],
                         schema: Schema = TestTables.schema) throws -> Metadata {
        try Metadata(id: "00000000-0000-0000-0000-000000000001", schema: schema, partitionColumns: partitionColumns,
                     configuration: configuration, createdTime: 1_700_000_000_000)
    }

    static func add(_ path: String, partition: [String: String?] = [:], stats: String? = nil, size: Int64 = 100) -> AddFile {
        AddFile(path: path, partitionValues: partition, size: size, modificationTime: 1_700_000_000_000, dataChange: true, stats: stats)
    }

    static func commitInfo(_ timestamp: Int64, ict: Int64? = nil) -> Action {
        .commitInfo(CommitInfo(timestamp: timestamp, operation: "WRITE", inCommitTimestamp: ict))
    }

    /// Writes commit `version` of table `table` with `actions` (as a peer writer would).
    static func writeCommit(_ store: any FileStore, table: String = "t", version: Int64, _ actions: [Action]) throws {
        try store.putIfAbsent(table + "/_delta_log/" + LogFileName.commit(version), CommitFile.serialize(actions))
    }

    /// A table with version 0 (protocol, metadata) and `appends` more versions each adding one file.
    static func create(_ store: any FileStore, table: String = "t", appends: Int = 0, configuration: [String: String] = [:],
                       baseTime: Int64 = 1_000_000) throws {
        try writeCommit(store, table: table, version: 0, [
            commitInfo(baseTime),
            .tableProtocol(TableProtocol(minReaderVersion: 1, minWriterVersion: 2)),
            .metadata(try metadata(configuration: configuration)),
        ])
        for i in 0..<appends {
            let v = Int64(i + 1)
            try writeCommit(store, table: table, version: v, [commitInfo(baseTime + v * 1000), .add(add("f\(v).parquet"))])
        }
    }
}
