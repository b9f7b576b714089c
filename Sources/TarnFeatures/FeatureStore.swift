// FeatureStore: the offline feature store over one lakehouse catalog — create, list,
// describe, read and drop feature tables (Tarn tables carrying the `tarn.feature.*`
// convention). Writes live in FeatureStore+Write.swift, training sets in
// FeatureStore+TrainingSet.swift. Holds no mutable state; must never cache table data.
import Foundation
import TarnColumnar
import TarnLog
import TarnTables

/// What the online store reports about a table's publication (shown by `describe`).
public struct OnlinePublicationInfo: Sendable, Hashable {
    /// The feature-table version the online copy reflects.
    public var publishedVersion: Int64
    /// When the last publish committed, in ms since the epoch.
    public var publishedAt: Int64
    /// The greatest timestamp-key value published (µs for temporal keys), when known.
    public var maxEventTimestamp: Int64?
    /// Rows (keys) held online, when known.
    public var rows: Int64?

    public init(publishedVersion: Int64, publishedAt: Int64, maxEventTimestamp: Int64? = nil, rows: Int64? = nil) {
        self.publishedVersion = publishedVersion
        self.publishedAt = publishedAt
        self.maxEventTimestamp = maxEventTimestamp
        self.rows = rows
    }
}

/// Supplies a table's online publication state (set by the online store); nil when the
/// table was never published.
public typealias OnlinePublicationProvider = @Sendable (_ table: String) -> OnlinePublicationInfo?

/// A feature table as `listFeatureTables` shows it.
public struct FeatureTableInfo: Sendable {
    /// `namespace.table`.
    public var name: String
    public var metadata: FeatureTableMetadata
    public var schema: Schema
    public var version: Int64
    public var partitionColumns: [String]
}

/// One feature column as `describe` shows it.
public struct FeatureColumnInfo: Sendable, Hashable {
    public var name: String
    public var type: DataType
    public var nullable: Bool
    public var description: String?
}

/// Everything `describe` knows about a feature table.
public struct FeatureTableDescription: Sendable {
    public var name: String
    public var location: String
    public var primaryKeys: [String]
    public var timestampKey: String?
    public var description: String?
    public var tags: [String: String]
    /// Non-key columns with their types and descriptions, in schema order.
    public var features: [FeatureColumnInfo]
    /// Key columns (primary keys, then the timestamp key) with their types.
    public var keyColumns: [FeatureColumnInfo]
    public var partitionColumns: [String]
    /// The table's owner when access control records one, otherwise its creator.
    public var owner: String?
    public var createdBy: String?
    public var createdTime: Int64?
    public var version: Int64
    public var numFiles: Int
    public var sizeInBytes: Int64
    /// Commits, newest first.
    public var history: [CommitRecord]
    /// Ids of training sets recorded in `_system.training_sets` that read this table.
    public var trainingSets: [String]
    /// Online publication state, from the online store; nil when never published or
    /// when the store was opened without a provider.
    public var online: OnlinePublicationInfo?
}

public final class FeatureStore: Sendable {
    public let catalog: Catalog
    let onlinePublication: OnlinePublicationProvider?

    /// The namespace of Tarn's system tables (`_system.training_sets`).
    public static let systemNamespace = "_system"

    /// A feature store over `catalog`; `onlinePublication` lets `describe` show the
    /// online store's state.
    public init(catalog: Catalog, onlinePublication: OnlinePublicationProvider? = nil) {
        self.catalog = catalog
        self.onlinePublication = onlinePublication
    }

    /// A feature store over the lakehouse directory `root` (created when missing).
    public convenience init(root: String, onlinePublication: OnlinePublicationProvider? = nil) throws(FeatureError) {
        let catalog: Catalog
        do {
            catalog = try Catalog(root: root)
        } catch {
            throw FeatureError(error, "cannot open the lakehouse at \(root)")
        }
        self.init(catalog: catalog, onlinePublication: onlinePublication)
    }

    // MARK: Create

    /// Creates an empty feature table `name` (`namespace.table`). Key columns become
    /// NOT NULL; (primary keys + timestamp key) identify a row.
    /// - Throws: `.invalidArgument` (no keys, unknown key/partition/described column,
    ///   a key listed twice, the `_system` namespace), `.wrongType` (a float or nested
    ///   key, a timestamp key that is not temporal or integer), `.alreadyExists`.
    @discardableResult
    public func createFeatureTable(name: String, primaryKeys: [String], timestampKey: String? = nil, schema: Schema,
                                   partitionColumns: [String] = [], description: String? = nil,
                                   tags: [String: String] = [:],
                                   featureDescriptions: [String: String] = [:]) throws(FeatureError) -> FeatureTableInfo {
        let id = try identifier(name)
        guard id.namespace != Self.systemNamespace else {
            throw FeatureError(.invalidArgument, "the \(Self.systemNamespace) namespace holds system tables", table: name,
                               remedy: "create the feature table in another namespace")
        }
        let metadata = FeatureTableMetadata(primaryKeys: primaryKeys, timestampKey: timestampKey, description: description,
                                            tags: tags, featureDescriptions: featureDescriptions,
                                            createdBy: ProcessInfo.processInfo.environment["USER"])
        let keyed = try Self.validatedSchema(schema, metadata: metadata, partitionColumns: partitionColumns, table: name)
        do {
            let table = try catalog.createTable(id, schema: keyed, partitionColumns: partitionColumns,
                                                properties: metadata.configuration, description: description)
            let version = try table.snapshot().version
            return FeatureTableInfo(name: id.description, metadata: metadata, schema: keyed, version: version,
                                    partitionColumns: partitionColumns)
        } catch {
            throw FeatureError(error, "cannot create the feature table", table: name)
        }
    }

    /// Creates feature table `name` with the schema of `initial` and writes its rows
    /// (as an overwrite of the new table). When the rows are refused (null or duplicate
    /// keys) the new table is dropped again, so nothing is left behind.
    @discardableResult
    public func createFeatureTable(name: String, primaryKeys: [String], timestampKey: String? = nil, initial: [RecordBatch],
                                   partitionColumns: [String] = [], description: String? = nil,
                                   tags: [String: String] = [:],
                                   featureDescriptions: [String: String] = [:]) throws(FeatureError) -> FeatureTableInfo {
        guard let first = initial.first else {
            throw FeatureError(.invalidArgument, "no initial batch was given, so the schema is unknown", table: name,
                               remedy: "pass at least one (possibly empty) batch, or a schema")
        }
        // Validate the rows before creating anything.
        let keyedSchema = try Self.validatedSchema(first.schema, metadata: FeatureTableMetadata(primaryKeys: primaryKeys, timestampKey: timestampKey),
                                                   partitionColumns: partitionColumns, table: name)
        _ = try FeatureWriteValidation.prepare(initial, tableSchema: keyedSchema,
                                               metadata: FeatureTableMetadata(primaryKeys: primaryKeys, timestampKey: timestampKey),
                                               table: name)
        let info = try createFeatureTable(name: name, primaryKeys: primaryKeys, timestampKey: timestampKey, schema: first.schema,
                                          partitionColumns: partitionColumns, description: description, tags: tags,
                                          featureDescriptions: featureDescriptions)
        do {
            let result = try writeFeatures(name: name, initial, mode: .overwrite)
            var out = info
            out.version = result.version ?? info.version
            return out
        } catch {
            if let id = try? identifier(name) { try? catalog.dropTable(id, ifExists: true) }
            throw error
        }
    }

    /// The schema with key columns NOT NULL, after checking keys, types and names.
    static func validatedSchema(_ schema: Schema, metadata: FeatureTableMetadata, partitionColumns: [String],
                                table: String) throws(FeatureError) -> Schema {
        guard !metadata.primaryKeys.isEmpty else {
            throw FeatureError(.invalidArgument, "a feature table needs at least one primary key column", table: table)
        }
        var seen = Set<String>()
        for key in metadata.fullKey {
            guard seen.insert(key).inserted else {
                throw FeatureError(.invalidArgument, "key column '\(key)' is listed twice", table: table,
                                   remedy: "list each primary key once and do not repeat the timestamp key among them")
            }
            guard schema.index(of: key) != nil else {
                throw FeatureError(.missingKeyColumn, "key column '\(key)' is not in the schema (\(schema.names.joined(separator: ", ")))",
                                   table: table)
            }
        }
        var fields = schema.fields
        for (i, field) in fields.enumerated() {
            if metadata.primaryKeys.contains(field.name) {
                guard KeyTypeFamily(field.type) != nil else {
                    throw FeatureError(.wrongType, "primary key '\(field.name)' is \(field.type); keys must be \(KeyTypes.allowedKeyTypes)",
                                       table: table)
                }
                fields[i].nullable = false
            } else if field.name == metadata.timestampKey {
                guard TimeAxis(field.type) != nil else {
                    throw FeatureError(.wrongType, "timestamp key '\(field.name)' is \(field.type); it must be \(KeyTypes.allowedTimestampTypes)",
                                       table: table)
                }
                fields[i].nullable = false
            }
        }
        for column in partitionColumns where schema.index(of: column) == nil {
            throw FeatureError(.invalidArgument, "partition column '\(column)' is not in the schema", table: table)
        }
        for column in metadata.featureDescriptions.keys where schema.index(of: column) == nil {
            throw FeatureError(.unknownColumn, "a description is given for column '\(column)', which is not in the schema", table: table)
        }
        return Schema(fields, metadata: schema.metadata)
    }

    // MARK: Open, list, describe, drop

    func identifier(_ name: String) throws(FeatureError) -> TableIdentifier {
        do {
            return try TableIdentifier(parsing: name)
        } catch {
            throw FeatureError(.invalidArgument, error.message, table: name, remedy: "name feature tables namespace.table")
        }
    }

    /// Opens feature table `name` and reads its metadata from the latest snapshot.
    func open(_ name: String) throws(FeatureError) -> (table: Table, snapshot: Snapshot, metadata: FeatureTableMetadata) {
        let id = try identifier(name)
        do {
            let table = try catalog.openTable(id)
            let snapshot = try table.snapshot()
            let metadata = try FeatureTableMetadata(configuration: snapshot.configuration, table: name)
            return (table, snapshot, metadata)
        } catch let error as FeatureError {
            throw error
        } catch let error as TableError {
            if error.code == .notFound {
                throw FeatureError(.notFound, "no such feature table", table: name, remedy: "list them with listFeatureTables()",
                                   cause: error)
            }
            throw FeatureError(error, "cannot open the feature table", table: name)
        } catch {
            throw FeatureError.wrapping(error, "cannot open the feature table", table: name)
        }
    }

    /// The metadata of feature table `name` (keys, descriptions, tags).
    public func metadata(name: String) throws(FeatureError) -> FeatureTableMetadata {
        try open(name).metadata
    }

    /// Feature tables of the catalog, sorted by name; with `tag`, only those whose tags
    /// hold that key (`"team"`) or key and value (`"team=risk"`).
    public func listFeatureTables(tag: String? = nil) throws(FeatureError) -> [FeatureTableInfo] {
        let ids: [TableIdentifier]
        do {
            ids = try catalog.listTables()
        } catch {
            throw FeatureError(error, "cannot list the tables of the lakehouse")
        }
        var out: [FeatureTableInfo] = []
        for id in ids where id.namespace != Self.systemNamespace {
            guard let table = try? catalog.openTable(id), let snapshot = try? table.snapshot(),
                  FeatureTableMetadata.isFeatureTable(snapshot.configuration) else { continue }
            let metadata = try FeatureTableMetadata(configuration: snapshot.configuration, table: id.description)
            if let tag {
                let parts = tag.split(separator: "=", maxSplits: 1).map(String.init)
                guard let value = metadata.tags[parts.first ?? tag] else { continue }
                if parts.count == 2 && value != parts[1] { continue }
            }
            out.append(FeatureTableInfo(name: id.description, metadata: metadata, schema: snapshot.schema,
                                        version: snapshot.version, partitionColumns: snapshot.partitionColumns))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Keys, features (types, descriptions), owner, versions, lineage (training sets that
    /// read it) and online publication state of feature table `name`.
    public func describe(name: String, historyLimit: Int? = 100) throws(FeatureError) -> FeatureTableDescription {
        let (table, snapshot, metadata) = try open(name)
        let detail: TableDetail
        let history: [CommitRecord]
        do {
            detail = try table.detail()
            history = try table.history(limit: historyLimit)
        } catch {
            throw FeatureError(error, "cannot describe the feature table", table: name)
        }
        let schema = snapshot.schema
        let keys = Set(metadata.fullKey)
        func info(_ field: Field) -> FeatureColumnInfo {
            FeatureColumnInfo(name: field.name, type: field.type, nullable: field.nullable,
                              description: metadata.featureDescriptions[field.name])
        }
        let keyColumns = metadata.fullKey.compactMap { schema.field(named: $0) }.map(info)
        let features = schema.fields.filter { !keys.contains($0.name) }.map(info)
        let canonical = (try? identifier(name).description) ?? name
        let trainingSets = (try? TrainingSetRegistry(catalog: catalog).ids(readingTable: canonical)) ?? []
        return FeatureTableDescription(
            name: canonical, location: detail.location, primaryKeys: metadata.primaryKeys, timestampKey: metadata.timestampKey,
            description: metadata.description, tags: metadata.tags, features: features, keyColumns: keyColumns,
            partitionColumns: snapshot.partitionColumns,
            owner: owner(of: name) ?? metadata.createdBy, createdBy: metadata.createdBy,
            createdTime: detail.createdTime, version: snapshot.version, numFiles: detail.numFiles,
            sizeInBytes: detail.sizeInBytes, history: history, trainingSets: trainingSets,
            online: onlinePublication?(canonical))
    }

    /// The table's owner as access control records it (nil when unknown or not readable).
    func owner(of name: String) -> String? {
        guard let id = try? identifier(name) else { return nil }
        return (try? catalog.access.owner(of: .table(id))) ?? nil
    }

    /// Drops feature table `name` (its log and data). Training sets that read it can no
    /// longer be rebuilt. The online copy is the online store's to remove.
    public func dropFeatureTable(name: String, ifExists: Bool = false) throws(FeatureError) {
        let id = try identifier(name)
        do {
            guard try catalog.tableExists(id) else {
                if ifExists { return }
                throw FeatureError(.notFound, "no such feature table", table: name)
            }
            let snapshot = try catalog.openTable(id).snapshot()
            guard FeatureTableMetadata.isFeatureTable(snapshot.configuration) else {
                throw FeatureError(.notAFeatureTable, "the table is not a feature table, so dropFeatureTable leaves it alone",
                                   table: name, remedy: "drop plain tables through the catalog or SQL")
            }
            try catalog.dropTable(id)
        } catch let error as FeatureError {
            throw error
        } catch {
            throw FeatureError.wrapping(error, "cannot drop the feature table", table: name)
        }
    }

    // MARK: Read

    /// The rows of feature table `name` (latest, or `asOf` a version or commit
    /// timestamp in µs), optionally only `columns` and rows matching `predicate`.
    public func readFeatures(name: String, asOf: TimeTravel? = nil, columns: [String]? = nil,
                             predicate: TarnColumnar.Predicate? = nil) throws(FeatureError) -> [RecordBatch] {
        let (table, _, _) = try open(name)
        do {
            return try table.read(columns: columns, predicate: predicate, asOf: asOf)
        } catch {
            throw FeatureError(error, asOf.map { "cannot read the feature table as of \($0)" } ?? "cannot read the feature table",
                               table: name)
        }
    }
}
