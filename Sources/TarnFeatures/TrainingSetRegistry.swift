// TrainingSetRegistry: the `_system.training_sets` table — one row per training set
// holding its pinned metadata as JSON — and reading it back. Appends only; must never
// rewrite or delete recorded training sets (lineage depends on them).
//
// The registry is the feature store's own record, not a table users write: it is opened
// with the engine's rights (like the access tables), so anyone who may build a training
// set — SELECT on every table it reads, checked while building — can record it, and the
// commit names them. Reading it back shows a caller only the training sets whose tables
// they may read.
import Foundation
import TarnColumnar
import TarnTables

struct TrainingSetRegistry {
    let catalog: Catalog

    static let tableName = "training_sets"
    static let schema = Schema([
        Field("id", .string, nullable: false),
        Field("created_at", .timestamp(.utc), nullable: false),
        Field("spine_digest", .string, nullable: false),
        Field("spine_rows", .int64, nullable: false),
        Field("tables", .string, nullable: false),
        Field("metadata", .string, nullable: false),
    ])

    var identifier: TableIdentifier {
        get throws(FeatureError) {
            do {
                return try TableIdentifier(namespace: FeatureStore.systemNamespace, name: Self.tableName)
            } catch {
                throw FeatureError(error, "bad system table name")
            }
        }
    }

    /// Appends the training set's row (creating the table on first use). The caller's
    /// reads were checked while the training set was built.
    func record(_ metadata: TrainingSetMetadata) throws(FeatureError) {
        let id = try identifier
        let json = FeatureTableMetadata.encode(metadata)
        let tables = FeatureTableMetadata.encode(metadata.lookups.map(\.table))
        do {
            let table = try openOrCreate(id)
            let batch = try RecordBatch(schema: Self.schema, columns: [
                try Column(strings: [metadata.id]),
                try Column(.timestamp(.utc), values: [metadata.createdAt * 1000]),
                try Column(strings: [metadata.spineDigest]),
                try Column(.int64, values: [Int64(metadata.spineRows)]),
                try Column(strings: [tables]),
                try Column(strings: [json]),
            ])
            var options = WriteOptions()
            options.operation = "RECORD TRAINING SET"
            try table.append([batch], options: options)
        } catch let error as TableError {
            throw FeatureError(error, "cannot record the training set in \(FeatureStore.systemNamespace).\(Self.tableName)")
        } catch {
            throw FeatureError.wrapping(error, "cannot record the training set in \(FeatureStore.systemNamespace).\(Self.tableName)")
        }
    }

    /// The registry table with the engine's rights (see the file comment); commits name
    /// the catalog's principal. Nil when no training set was recorded yet.
    private func open(_ id: TableIdentifier) throws(TableError) -> Table? {
        guard try catalog.tableExists(id) else { return nil }
        return try Table.open(store: catalog.store, path: id.path, name: id.description, committer: catalog.principal.name)
    }

    private func openOrCreate(_ id: TableIdentifier) throws(TableError) -> Table {
        if let table = try open(id) { return table }
        do {
            return try Table.create(store: catalog.store, path: id.path, name: id.description, schema: Self.schema,
                                    description: "training sets built by the feature store", committer: catalog.principal.name)
        } catch {
            // Another process created it first.
            if error.code == .alreadyExists, let table = try open(id) { return table }
            throw error
        }
    }

    /// The tables a training set read (its lookups, and its spine table when it had one).
    private static func tables(of metadata: TrainingSetMetadata) -> [String] {
        metadata.lookups.map(\.table) + (metadata.spineTable.map { [$0] } ?? [])
    }

    /// Refuses (and audits) unless the caller holds SELECT on every table `metadata` reads.
    func requireReadable(_ metadata: TrainingSetMetadata) throws(FeatureError) {
        for name in Self.tables(of: metadata) {
            do {
                try catalog.access.require(.select, on: .table(TableIdentifier(parsing: name)), action: "read training set \(metadata.id)")
            } catch {
                throw FeatureError(error, "training set \(metadata.id) reads \(name)")
            }
        }
    }

    /// The recorded metadata of training set `id`.
    func load(id trainingSetId: String) throws(FeatureError) -> TrainingSetMetadata {
        let rows = try metadataRows(predicate: .comparison(column: "id", op: .equal, value: .string(trainingSetId)))
        guard let text = rows.first else {
            throw FeatureError(.notFound, "no training set with id \(trainingSetId) is recorded in \(FeatureStore.systemNamespace).\(Self.tableName)")
        }
        guard let metadata = FeatureTableMetadata.decode(TrainingSetMetadata.self, text) else {
            throw FeatureError(.corrupt, "the recorded metadata of training set \(trainingSetId) is not readable")
        }
        try requireReadable(metadata)
        return metadata
    }

    /// Every recorded training set the caller may read the tables of, oldest first.
    func all() throws(FeatureError) -> [TrainingSetMetadata] {
        var out: [TrainingSetMetadata] = []
        var readable: [String: Bool] = [:]  // per table, asked once; a listing audits nothing
        for text in try metadataRows(predicate: nil) {
            guard let metadata = FeatureTableMetadata.decode(TrainingSetMetadata.self, text) else {
                throw FeatureError(.corrupt, "a row of \(FeatureStore.systemNamespace).\(Self.tableName) holds unreadable metadata")
            }
            let visible = Self.tables(of: metadata).allSatisfy { name in
                if let known = readable[name] { return known }
                let allowed = (try? catalog.access.isAllowed(catalog.principal.name, .select,
                                                             on: .table(TableIdentifier(parsing: name)))) ?? false
                readable[name] = allowed
                return allowed
            }
            if visible { out.append(metadata) }
        }
        return out.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Ids of recorded training sets that read `table` (`namespace.table`; the caller
    /// reads that table's metadata already).
    func ids(readingTable table: String) throws(FeatureError) -> [String] {
        let id = try identifier
        var out: [String] = []
        do {
            guard let registry = try open(id) else { return [] }
            for batch in try registry.read(columns: ["id", "tables"]) {
                guard let ids = batch.column(named: "id"), let tables = batch.column(named: "tables") else { continue }
                for row in 0..<batch.rowCount {
                    guard let text = tables.string(at: row), let names = FeatureTableMetadata.decode([String].self, text),
                          names.contains(table), let setId = ids.string(at: row) else { continue }
                    out.append(setId)
                }
            }
        } catch {
            throw FeatureError(error, "cannot read \(FeatureStore.systemNamespace).\(Self.tableName)")
        }
        return out
    }

    private func metadataRows(predicate: TarnColumnar.Predicate?) throws(FeatureError) -> [String] {
        let id = try identifier
        do {
            guard let registry = try open(id) else { return [] }
            var out: [String] = []
            for batch in try registry.read(columns: ["metadata"], predicate: predicate) {
                guard let column = batch.column(named: "metadata") else { continue }
                for row in 0..<batch.rowCount { if let text = column.string(at: row) { out.append(text) } }
            }
            return out
        } catch {
            throw FeatureError(error, "cannot read \(FeatureStore.systemNamespace).\(Self.tableName)")
        }
    }
}
