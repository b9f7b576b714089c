// SystemTables: the `_system.principals|memberships|grants|tokens|audit` Delta tables —
// their schemas, reading their rows at a snapshot, and rewriting them in one commit per
// change (who and what in commitInfo.operationParameters). Must never go through an
// access check itself (they are the access state) nor leave a half-applied change.
import Foundation
import TarnColumnar
import TarnIO
import TarnLog

/// One system table: name (under `_system`) and schema.
struct SystemTable: Sendable {
    let name: String
    let schema: Schema

    var path: String { Securable.systemNamespace + "/" + name }
    var qualifiedName: String { Securable.systemNamespace + "." + name }

    private static let time = DataType.timestamp(.utc)

    static let principals = SystemTable(name: "principals", schema: Schema([
        Field("name", .string, nullable: false), Field("kind", .string, nullable: false),
        Field("created_by", .string), Field("created_at", time),
    ]))
    static let memberships = SystemTable(name: "memberships", schema: Schema([
        Field("group_name", .string, nullable: false), Field("member", .string, nullable: false),
        Field("added_by", .string), Field("added_at", time),
    ]))
    static let grants = SystemTable(name: "grants", schema: Schema([
        Field("principal", .string, nullable: false), Field("privilege", .string, nullable: false),
        Field("securable_kind", .string, nullable: false), Field("securable", .string, nullable: false),
        Field("granted_by", .string), Field("granted_at", time),
    ]))
    static let tokens = SystemTable(name: "tokens", schema: Schema([
        Field("token_id", .string, nullable: false), Field("principal", .string, nullable: false),
        Field("salt", .string, nullable: false), Field("hash", .string, nullable: false),
        Field("created_by", .string), Field("created_at", time), Field("expires_at", time),
    ]))
    static let audit = SystemTable(name: "audit", schema: Schema([
        Field("time", time, nullable: false), Field("principal", .string, nullable: false),
        Field("impersonated_by", .string), Field("action", .string), Field("privilege", .string),
        Field("securable_kind", .string), Field("securable", .string),
        Field("outcome", .string), Field("reason", .string),
    ]))

    static let all: [SystemTable] = [principals, memberships, grants, tokens, audit]
}

/// Rows of a system table as scalar values in schema order (system tables are small).
typealias SystemRow = [ScalarValue]

extension ScalarValue {
    var text: String {
        switch self {
        case let .string(s): return s
        case .null: return ""
        default: return description
        }
    }

    var micros: Int64? {
        switch self {
        case let .timestamp(v, _), let .int(v): return v
        default: return nil
        }
    }

    static func time(_ micros: Int64) -> ScalarValue { .timestamp(micros, .utc) }
}

enum Clock {
    /// Now, in microseconds since the epoch.
    static func nowMicros() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)) }
}

/// Reading and rewriting one system table through an unchecked `Table`.
struct SystemTableHandle: Sendable {
    let definition: SystemTable
    let table: Table

    init(_ definition: SystemTable, store: any FileStore) {
        self.definition = definition
        self.table = Table(name: definition.qualifiedName, store: store, path: definition.path)
    }

    func exists() throws(TableError) -> Bool {
        do {
            return try table.log.tableExists()
        } catch {
            throw table.wrap(error, "cannot read the log of the system table")
        }
    }

    /// Creates the table when missing (a concurrent creator winning is fine).
    func create() throws(TableError) {
        guard try !exists() else { return }
        do {
            _ = try Table.create(store: table.store, path: definition.path, name: definition.qualifiedName,
                                 schema: definition.schema,
                                 description: "Tarn access control: \(definition.name) (one commit per change)")
        } catch let error where error.code == .alreadyExists {
            return
        }
    }

    /// The latest snapshot, nil when the table does not exist yet.
    func latest() throws(TableError) -> Snapshot? {
        do {
            return try table.log.snapshot()
        } catch .tableNotFound {
            return nil
        } catch {
            throw table.wrap(error, "cannot load the system table")
        }
    }

    /// The snapshot as of `micros`, nil when the table did not exist then.
    func snapshot(asOfMicros micros: Int64) throws(TableError) -> Snapshot? {
        guard try exists() else { return nil }
        do {
            return try table.log.snapshot(asOf: .timestamp(micros))
        } catch .timestampBeforeFirstCommit {
            return nil
        } catch {
            throw table.wrap(error, "cannot load the system table as of \(micros) µs")
        }
    }

    /// Every row of `snapshot`, in the table's column order.
    func rows(_ snapshot: Snapshot?) throws(TableError) -> [SystemRow] {
        guard let snapshot else { return [] }
        let names = definition.schema.names
        let scan = TableScan(table: table, snapshot: snapshot, schema: snapshot.schema, predicate: nil,
                             files: snapshot.files, totalFiles: snapshot.files.count)
        var out: [SystemRow] = []
        for batch in try scan.batches() {
            let columns = names.map { batch.column(named: $0) }
            for row in 0..<batch.rowCount {
                out.append(columns.map { $0?.value(at: row) ?? .null })
            }
        }
        return out
    }

    /// Replaces the rows with `change(current rows)` in one commit (`operation`, with
    /// `parameters`), retrying on a concurrent change. `change` returning nil means no
    /// change (nothing is committed). The table must exist.
    /// - Returns: the committed version, nil when nothing changed.
    @discardableResult
    func rewrite(operation: String, parameters: [String: String],
                 _ change: ([SystemRow]) throws(TableError) -> [SystemRow]?) throws(TableError) -> Int64? {
        try create()
        for _ in 0..<25 {
            let snapshot: Snapshot
            do {
                snapshot = try table.log.snapshot()
            } catch {
                throw table.wrap(error, "cannot load the system table")
            }
            guard let updated = try change(try rows(snapshot)) else { return nil }
            var transaction = table.log.startTransaction(operation: operation, readSnapshot: snapshot)
            transaction.recordReadWholeTable()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for file in snapshot.files { transaction.add(.remove(file.removal(deletionTimestamp: now))) }
            if !updated.isEmpty {
                let batch = try batch(updated)
                transaction.add(try table.writeDataFiles([batch], snapshot: snapshot, options: WriteOptions()).map { .add($0) })
            }
            transaction.operationParameters = parameters
            transaction.operationMetrics = ["numOutputRows": String(updated.count)]
            let outcome: CommitOutcome
            do {
                outcome = try transaction.commit()
            } catch {
                throw table.wrap(error, "the \(operation) was not committed")
            }
            switch outcome {
            case let .committed(version): return version
            case .conflict: continue  // another change won: read again and reapply
            }
        }
        throw TableError(.conflict, "the \(operation) lost to concurrent access changes 25 times; retry",
                         table: definition.qualifiedName)
    }

    /// Appends `rows` in one blind-append commit.
    func append(_ rows: [SystemRow], operation: String, parameters: [String: String]) throws(TableError) {
        try create()
        let snapshot: Snapshot
        do {
            snapshot = try table.log.snapshot()
        } catch {
            throw table.wrap(error, "cannot load the system table")
        }
        var transaction = table.log.startTransaction(operation: operation, readSnapshot: snapshot)
        transaction.add(try table.writeDataFiles([try batch(rows)], snapshot: snapshot, options: WriteOptions()).map { .add($0) })
        transaction.operationParameters = parameters
        transaction.operationMetrics = ["numOutputRows": String(rows.count)]
        do {
            try transaction.commitOrThrow()
        } catch {
            throw table.wrap(error, "the \(operation) was not committed")
        }
    }

    func batch(_ rows: [SystemRow]) throws(TableError) -> RecordBatch {
        let fields = definition.schema.fields
        do {
            var columns: [Column] = []
            for (i, field) in fields.enumerated() {
                columns.append(try Column(field.type, scalars: rows.map { i < $0.count ? $0[i] : .null }))
            }
            return try RecordBatch(schema: definition.schema, columns: columns, rowCount: rows.count)
        } catch {
            throw TableError(.invalidArgument, "cannot build the rows of the system table", table: definition.qualifiedName,
                             cause: StringError("\(error)"))
        }
    }
}
