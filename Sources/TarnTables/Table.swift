// Table: what a user calls a table — a Delta table at a path of a FileStore, with its
// schema, snapshots (latest or time travel), history and detail. Writes and scans live
// in Table+Write.swift and Table+Scan.swift. Thread-safe; holds no state beyond the
// log's snapshot cache, so several Table values (and processes) may share one table.
import Foundation
import TarnColumnar
import TarnIO
import TarnLog

public final class Table: Sendable {
    /// How the table is named in messages: `namespace.table`, or its path.
    public let name: String
    public let store: any FileStore
    /// The table directory within the store ("" when the store is rooted at the table).
    public let path: String
    public let log: DeltaLog
    /// Who the table acts for; every public operation checks it first (Access/).
    public let access: AccessContext

    init(name: String, store: any FileStore, path: String, access: AccessContext = .unrestricted, committer: String? = nil) {
        self.name = name
        self.store = store
        self.path = path
        self.log = DeltaLog(store: store, tablePath: path, committer: committer ?? access.principal?.name)
        self.access = access
    }

    /// The same table acting for `access` (the catalog hands tables out this way).
    func with(access: AccessContext) -> Table {
        Table(name: name, store: store, path: path, access: access)
    }

    /// Opens the Delta table at `path` of `store`. `committer`, when given, is recorded as
    /// the `userName` of the commits made through this handle.
    /// - Throws: `.notFound` when there is no Delta log there.
    public static func open(store: any FileStore, path: String, name: String? = nil, committer: String? = nil) throws(TableError) -> Table {
        let table = Table(name: name ?? (path.isEmpty ? "." : path), store: store, path: path, committer: committer)
        let exists: Bool
        do {
            exists = try table.log.tableExists()
        } catch {
            throw table.wrap(error, "cannot read the log")
        }
        guard exists else {
            throw TableError(.notFound, "no Delta table here (no _delta_log with commits)", table: table.name)
        }
        return table
    }

    /// Opens the Delta table in directory `directory` of the local file system (any table,
    /// also one written by another engine).
    public static func open(directory: String) throws(TableError) -> Table {
        try open(store: LocalFileStore(root: directory), path: "", name: directory)
    }

    /// Creates a new, empty table in directory `directory` of the local file system
    /// (created when missing). See `create(store:path:...)`.
    public static func create(directory: String, schema: Schema, partitionColumns: [String] = [],
                              properties: [String: String] = [:], description: String? = nil) throws(TableError) -> Table {
        try TableSchemaRules.validateNew(schema: schema, partitionColumns: partitionColumns, table: directory)
        let store = LocalFileStore(root: directory)
        do {
            try store.createDirectory("")
        } catch {
            throw TableError(.storage, "cannot create the table directory", table: directory, cause: error)
        }
        return try create(store: store, path: "", name: directory, schema: schema, partitionColumns: partitionColumns,
                          properties: properties, description: description)
    }

    /// Creates a new, empty table at `path` of `store` (version 0: protocol + metadata).
    /// `committer`, when given, is recorded as the commit's `userName`.
    /// - Throws: `.alreadyExists` when a table is there; `.invalidArgument` for unknown
    ///   partition columns or unsupported partition types; nothing is written then.
    public static func create(store: any FileStore, path: String, name: String? = nil, schema: Schema,
                              partitionColumns: [String] = [], properties: [String: String] = [:],
                              description: String? = nil, committer: String? = nil) throws(TableError) -> Table {
        let table = Table(name: name ?? (path.isEmpty ? "." : path), store: store, path: path, committer: committer)
        try TableSchemaRules.validateNew(schema: schema, partitionColumns: partitionColumns, table: table.name)
        do {
            if try table.log.tableExists() {
                throw TableError(.alreadyExists, "a table already exists here", table: table.name)
            }
            let metadata = try Metadata(id: UUID().uuidString.lowercased(), schema: schema, partitionColumns: partitionColumns,
                                        configuration: properties, name: nil, description: description,
                                        createdTime: Int64(Date().timeIntervalSince1970 * 1000))
            var transaction = table.log.startTransaction(operation: "CREATE TABLE", readSnapshot: nil)
            transaction.operationParameters = [
                "isManaged": "false", "description": description ?? "",
                "partitionBy": JSONText.array(partitionColumns), "properties": JSONText.object(properties),
            ]
            transaction.add(.metadata(metadata))
            switch try transaction.commit() {
            case .committed:
                return table
            case .conflict:
                throw TableError(.alreadyExists, "another writer created a table here at the same time", table: table.name)
            }
        } catch let error as TableError {
            throw error
        } catch let error as LogError {
            throw table.wrap(error, "cannot create the table")
        } catch {
            throw TableError(.storage, "cannot create the table", table: table.name, cause: StringError(String(describing: error)))
        }
    }

    /// The latest snapshot, or the one `asOf` selects (version or commit timestamp).
    /// - Throws: `.notFound` for a version that does not exist or was cleaned up, or a
    ///   timestamp before the first commit; `.corrupt`/`.unsupported` from the log.
    ///   `.accessDenied` without any of SELECT, MODIFY, MANAGE on the table.
    public func snapshot(asOf: TimeTravel? = nil) throws(TableError) -> Snapshot {
        try access.requireAny([.select, .modify, .manage], action: "read metadata")
        return try loadSnapshot(asOf: asOf)
    }

    /// `snapshot(asOf:)` without the access check, for operations that checked already.
    func loadSnapshot(asOf: TimeTravel? = nil) throws(TableError) -> Snapshot {
        do {
            return try log.snapshot(asOf: asOf)
        } catch {
            throw wrap(error, asOf.map { "cannot load the snapshot \($0)" } ?? "cannot load the latest snapshot")
        }
    }

    /// The current schema (latest snapshot).
    public func schema() throws(TableError) -> Schema {
        try snapshot().schema
    }

    /// Commits, newest first (at most `limit`).
    public func history(limit: Int? = nil) throws(TableError) -> [CommitRecord] {
        try access.require(.select, action: "history")
        do {
            return try log.history(limit: limit)
        } catch {
            throw wrap(error, "cannot read the history")
        }
    }

    /// Location, version, file count, size, properties of the latest (or `asOf`) snapshot.
    public func detail(asOf: TimeTravel? = nil) throws(TableError) -> TableDetail {
        try access.require(.select, action: "detail")
        let snapshot = try loadSnapshot(asOf: asOf)
        return TableDetail(name: name, location: locationDescription, snapshot: snapshot)
    }

    var locationDescription: String {
        if let local = store as? LocalFileStore {
            return path.isEmpty ? local.root : local.absolutePath(path)
        }
        return path
    }

    /// Store path of a file given relative to the table directory.
    func storePath(_ relative: String) -> String {
        path.isEmpty ? relative : path + "/" + relative
    }

    func wrap(_ error: LogError, _ what: String) -> TableError {
        TableError(TableError.code(for: error), what, table: name, cause: error)
    }
}

/// What `DESCRIBE DETAIL` shows.
public struct TableDetail: Sendable {
    public var name: String
    public var location: String
    public var id: String
    public var description: String?
    public var version: Int64
    public var createdTime: Int64?
    public var lastModified: Int64?
    public var partitionColumns: [String]
    public var numFiles: Int
    public var sizeInBytes: Int64
    public var properties: [String: String]
    public var minReaderVersion: Int
    public var minWriterVersion: Int
    public var readerFeatures: [String]
    public var writerFeatures: [String]
    public var schema: Schema

    init(name: String, location: String, snapshot: Snapshot) {
        self.name = name
        self.location = location
        id = snapshot.metadata.id
        description = snapshot.metadata.description
        version = snapshot.version
        createdTime = snapshot.metadata.createdTime
        lastModified = snapshot.commitTime
        partitionColumns = snapshot.partitionColumns
        numFiles = snapshot.files.count
        sizeInBytes = snapshot.sizeInBytes
        properties = snapshot.configuration
        minReaderVersion = Int(snapshot.tableProtocol.minReaderVersion)
        minWriterVersion = Int(snapshot.tableProtocol.minWriterVersion)
        readerFeatures = snapshot.tableProtocol.readerFeatures ?? []
        writerFeatures = snapshot.tableProtocol.writerFeatures ?? []
        schema = snapshot.schema
    }
}

struct StringError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TableError {
    static func code(for error: LogError) -> Code {
        switch error {
        case .conflict: return .conflict
        case .missingVersion, .versionGone, .timestampBeforeFirstCommit, .tableNotFound: return .notFound
        case .unsupportedFeature: return .unsupported
        case .corrupt: return .corrupt
        case .invalidArgument: return .invalidArgument
        case .storage: return .storage
        }
    }
}

/// JSON text for operationParameters values (Delta stores some as JSON strings).
enum JSONText {
    static func array(_ items: [String]) -> String {
        JSONWriter.string(.array(items.map { .string($0) }))
    }

    static func object(_ items: [String: String]) -> String {
        JSONWriter.string(.object(items.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }))
    }
}
