// `tarn features`: the feature store from the command line — create, write, list,
// describe, drop, publish, lookup, training-set. Each subcommand parses and validates its
// arguments, then calls FeatureStore (offline tables, training sets) or OnlineStore (the
// SQLite online copy); no storage logic lives here.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnParquet
import TarnTables

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Feature tables, point-in-time training sets and the online store.",
        discussion: """
        A feature table is a table with primary keys (and an optional timestamp key). Write it
        with upserts, build point-in-time-correct training sets from it, publish its latest
        values to the online store (SQLite under <root>/_online) and look them up.
        """,
        subcommands: [FeaturesCreateCommand.self, FeaturesWriteCommand.self, FeaturesListCommand.self,
                      FeaturesDescribeCommand.self, FeaturesDropCommand.self, FeaturesPublishCommand.self,
                      FeaturesLookupCommand.self, FeaturesTrainingSetCommand.self]
    )
}

/// Opening the stores of a lakehouse root for the feature commands.
enum FeatureStores {
    /// The offline feature store; `describe` shows the online publication state when the
    /// online database exists (it is not created just to describe).
    static func offline(_ root: RootOption, withOnlineState: Bool = false) throws -> FeatureStore {
        let catalog = try root.catalog()
        var provider: OnlinePublicationProvider? = nil
        if withOnlineState, FileManager.default.fileExists(atPath: databasePath(root)) {
            let online = try OnlineStore(catalog: catalog, databasePath: databasePath(root))
            provider = { name in
                guard let state = (try? online.publicationState(table: name)) ?? nil else { return nil }
                return OnlinePublicationInfo(publishedVersion: state.version, publishedAt: state.publishedAt,
                                             maxEventTimestamp: state.maxEventTimestamp.flatMap(rawOrdering),
                                             rows: Int64(state.rowCount))
            }
        }
        return FeatureStore(catalog: catalog, onlinePublication: provider)
    }

    static func online(_ root: RootOption) throws -> OnlineStore {
        try OnlineStore(catalog: try root.catalog(), databasePath: databasePath(root))
    }

    static func databasePath(_ root: RootOption) -> String {
        (root.path.hasSuffix("/") ? root.path : root.path + "/") + OnlineStore.databaseRelativePath
    }

    static func rawOrdering(_ value: ScalarValue) -> Int64? {
        switch value {
        case let .timestamp(v, _): return v
        case let .date(d): return Int64(d)
        case let .int(v): return v
        default: return nil
        }
    }

    /// Comma-separated names (trimmed, empty parts dropped).
    static func names(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// `key=value` pairs.
    static func pairs(_ items: [String], option: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "=") else {
                throw ValidationError("\(option) '\(item)' must be key=value")
            }
            out[String(item[..<eq]).trimmingCharacters(in: .whitespaces)] = String(item[item.index(after: eq)...])
        }
        return out
    }

    static func timestampText(_ millis: Int64) -> String {
        TemporalFormat.timestamp(millis * 1000, zone: .utc)
    }
}

/// Column types written in `--schema` (`name:type,...`).
enum SchemaSpec {
    static func parse(_ text: String) throws -> Schema {
        var fields: [Field] = []
        for part in split(text) {
            guard let colon = part.firstIndex(of: ":") else {
                throw ValidationError("--schema: '\(part)' must be name:type (e.g. user_id:long)")
            }
            let name = part[..<colon].trimmingCharacters(in: .whitespaces)
            let typeText = part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else { throw ValidationError("--schema: a column in '\(part)' has no name") }
            fields.append(Field(name, try type(typeText, column: name)))
        }
        guard !fields.isEmpty else { throw ValidationError("--schema has no columns") }
        return Schema(fields)
    }

    /// Splits on commas outside parentheses (decimal(10,2) stays whole).
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current) }
        return parts
    }

    static func type(_ text: String, column: String) throws -> DataType {
        switch text {
        case "boolean", "bool": return .boolean
        case "byte", "tinyint": return .int8
        case "short", "smallint": return .int16
        case "int", "integer": return .int32
        case "long", "bigint": return .int64
        case "float", "real": return .float32
        case "double": return .float64
        case "string", "text", "varchar": return .string
        case "binary": return .binary
        case "date": return .date32
        case "timestamp": return .timestamp(.utc)
        case "timestamp_ntz": return .timestamp(.ntz)
        default:
            if text.hasPrefix("decimal(") && text.hasSuffix(")") {
                let inner = text.dropFirst("decimal(".count).dropLast().split(separator: ",")
                if inner.count == 2, let p = Int(inner[0].trimmingCharacters(in: .whitespaces)),
                   let s = Int(inner[1].trimmingCharacters(in: .whitespaces)), (1...38).contains(p), (0...p).contains(s) {
                    return .decimal(precision: p, scale: s)
                }
            }
            throw ValidationError("--schema: column '\(column)' has unknown type '\(text)'; use boolean, int, long, float, double, string, binary, date, timestamp, timestamp_ntz or decimal(p,s)")
        }
    }
}

struct FeaturesCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a feature table (from a --schema, or from a file's rows with --from).",
        discussion: "Example: tarn features create ml.user_events --keys user_id --timestamp-key ts --schema 'user_id:long,ts:timestamp,amount:double'"
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String
    @Option(name: .long, help: "Comma-separated primary key columns.") var keys: String
    @Option(name: .customLong("timestamp-key"), help: "The event-time column (point-in-time joins use it).") var timestampKey: String?
    @Option(name: .long, help: "Columns as name:type,... (types: boolean, int, long, float, double, string, binary, date, timestamp, decimal(p,s)).")
    var schema: String?
    @Option(name: .long, help: "A Parquet or CSV file whose schema and rows create the table.") var from: String?
    @Option(name: .customLong("partition-by"), help: "Comma-separated partition columns.") var partitionBy: String?
    @Option(name: .long, help: "What the table holds.") var description: String?
    @Option(name: .long, help: "A tag key=value (repeatable).") var tag: [String] = []
    @Option(name: .customLong("feature-description"), help: "A column description column=text (repeatable).")
    var featureDescription: [String] = []

    func validate() throws {
        if (schema == nil) == (from == nil) { throw ValidationError("give --schema or --from (one of them)") }
        if FeatureStores.names(keys)?.isEmpty ?? true { throw ValidationError("--keys names no column") }
    }

    func run() throws {
        try reportingErrors {
            let store = try FeatureStores.offline(root)
            let primaryKeys = FeatureStores.names(keys) ?? []
            let partitions = FeatureStores.names(partitionBy) ?? []
            let tags = try FeatureStores.pairs(tag, option: "--tag")
            let descriptions = try FeatureStores.pairs(featureDescription, option: "--feature-description")
            let info: FeatureTableInfo
            var rows = 0
            if let from {
                let (_, batches) = try InputFile.read(from)
                rows = batches.reduce(0) { $0 + $1.rowCount }
                info = try store.createFeatureTable(name: name, primaryKeys: primaryKeys, timestampKey: timestampKey, initial: batches,
                                                    partitionColumns: partitions, description: description, tags: tags,
                                                    featureDescriptions: descriptions)
            } else {
                info = try store.createFeatureTable(name: name, primaryKeys: primaryKeys, timestampKey: timestampKey,
                                                    schema: try SchemaSpec.parse(schema ?? ""), partitionColumns: partitions,
                                                    description: description, tags: tags, featureDescriptions: descriptions)
            }
            print("created feature table \(info.name) (keys: \(primaryKeys.joined(separator: ", "))\(timestampKey.map { ", timestamp: \($0)" } ?? "")) with \(rows) rows: version \(info.version)")
        }
    }
}

struct FeaturesWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Upsert (merge, default) or overwrite a feature table with a Parquet or CSV file."
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String
    @Argument(help: "The Parquet or CSV file.") var file: String
    @Option(name: .long, help: "merge (upsert on the keys, default) or overwrite.") var mode: FeatureWriteMode = .merge
    @Option(name: .customLong("idempotency-token"), help: "APP_ID:VERSION — a retried write with the same token is applied once.")
    var idempotencyToken: String?

    func run() throws {
        try reportingErrors {
            let store = try FeatureStores.offline(root)
            var token: IdempotencyToken? = nil
            if let text = idempotencyToken {
                guard let colon = text.lastIndex(of: ":"), let version = Int64(text[text.index(after: colon)...]), colon != text.startIndex else {
                    throw CLIError("--idempotency-token '\(text)' must be APP_ID:VERSION (e.g. nightly-job:42)")
                }
                token = IdempotencyToken(appId: String(text[..<colon]), version: version)
            }
            let result = try store.writeFeatures(name: name, file: URL(fileURLWithPath: file), mode: mode, idempotencyToken: token)
            if result.skipped {
                print("skipped: the idempotency token was already applied to \(name)")
            } else {
                print("wrote \(result.rowsWritten) rows to \(name) (\(result.rowsInserted) inserted, \(result.rowsUpdated) updated): version \(result.version.map(String.init) ?? "-")")
            }
        }
    }
}

extension FeatureWriteMode: ExpressibleByArgument {}
extension PublishMode: ExpressibleByArgument {}

struct FeaturesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List feature tables (with a tag: only those).")

    @OptionGroup var root: RootOption
    @Option(name: .long, help: "Only tables with this tag key, or key=value.") var tag: String?
    @Option(name: .long, help: "table, csv or json.") var format: RowFormat = .table

    func run() throws {
        try reportingErrors {
            let store = try FeatureStores.offline(root)
            let tables = try store.listFeatureTables(tag: tag)
            let schema = Schema([
                Field("name", .string), Field("primary_keys", .string), Field("timestamp_key", .string),
                Field("version", .int64), Field("description", .string), Field("tags", .string),
            ])
            let batch = try RecordBatch(schema: schema, columns: [
                try Column(strings: tables.map { Optional($0.name) }),
                try Column(strings: tables.map { Optional($0.metadata.primaryKeys.joined(separator: ",")) }),
                try Column(strings: tables.map { $0.metadata.timestampKey }),
                try Column(.int64, tables.map { Optional($0.version) }),
                try Column(strings: tables.map { $0.metadata.description }),
                try Column(strings: tables.map { t in
                    t.metadata.tags.isEmpty ? nil : t.metadata.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                }),
            ])
            writeOut(RowOutput.render([batch], schema: schema, format: format))
        }
    }
}

struct FeaturesDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a feature table: keys, features, versions, lineage and online publication state."
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String

    func run() throws {
        try reportingErrors {
            let store = try FeatureStores.offline(root, withOnlineState: true)
            let d = try store.describe(name: name, historyLimit: 10)
            var out = "feature table: \(d.name)\n"
            out += "location:      \(d.location)\n"
            if let description = d.description { out += "description:   \(description)\n" }
            out += "primary keys:  \(d.primaryKeys.joined(separator: ", "))\n"
            out += "timestamp key: \(d.timestampKey ?? "-")\n"
            if !d.tags.isEmpty { out += "tags:          \(d.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))\n" }
            if let owner = d.owner { out += "owner:         \(owner)\n" }
            out += "version:       \(d.version) (\(d.numFiles) files, \(d.sizeInBytes) bytes)\n"
            if !d.partitionColumns.isEmpty { out += "partitioned:   \(d.partitionColumns.joined(separator: ", "))\n" }
            out += "keys:\n"
            for column in d.keyColumns { out += "  \(column.name): \(column.type)\n" }
            out += "features:\n"
            for column in d.features {
                out += "  \(column.name): \(column.type)\(column.description.map { " — \($0)" } ?? "")\n"
            }
            if let online = d.online {
                out += "online:        version \(online.publishedVersion), published \(FeatureStores.timestampText(online.publishedAt))"
                if let rows = online.rows { out += ", \(rows) keys" }
                out += online.publishedVersion < d.version ? " (behind the table: run `tarn features publish \(d.name)`)\n" : "\n"
                if let latest = online.maxEventTimestamp, let tsKey = d.timestampKey,
                   let type = d.keyColumns.first(where: { $0.name == tsKey })?.type {
                    out += "latest event:  \(OnlineRowText.ordering(latest, type: type))\n"
                }
            } else {
                out += "online:        not published\n"
            }
            if !d.trainingSets.isEmpty { out += "training sets: \(d.trainingSets.joined(separator: ", "))\n" }
            writeOut(out)
        }
    }
}

enum OnlineRowText {
    static func ordering(_ raw: Int64, type: DataType) -> String {
        switch type {
        case let .timestamp(zone): return TemporalFormat.timestamp(raw, zone: zone)
        case .date32: return TemporalFormat.date(Int32(truncatingIfNeeded: raw))
        default: return String(raw)
        }
    }
}

struct FeaturesDropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Drop a feature table (its data and log) and its online copy."
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String
    @Flag(name: .customLong("if-exists"), help: "No error when the table does not exist.") var ifExists = false

    func run() throws {
        try reportingErrors {
            let store = try FeatureStores.offline(root)
            try store.dropFeatureTable(name: name, ifExists: ifExists)
            var online = ""
            if FileManager.default.fileExists(atPath: FeatureStores.databasePath(root)) {
                if try FeatureStores.online(root).unpublish(table: name) { online = " and its online copy" }
            }
            print("dropped feature table \(name)\(online)")
        }
    }
}

struct FeaturesPublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a feature table's latest values to the online store.",
        discussion: """
        incremental (default) applies only the files changed since the last publish (falling
        back to full when it must); full rebuilds the table's online copy, and also rebuilds a
        missing or damaged online database.
        """
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String
    @Option(name: .long, help: "incremental (default) or full.") var mode: PublishMode = .incremental

    func run() throws {
        try reportingErrors {
            let report = try FeatureStores.online(root).publish(table: name, mode: mode)
            var line = "published \(report.state.table) version \(report.state.version) (\(report.state.mode.rawValue)): "
            line += "\(report.state.rowCount) keys online, \(report.rowsWritten) written, \(report.rowsDeleted) deleted, "
            line += "\(report.filesRead) file(s) read"
            line += String(format: " in %.3f s", report.elapsed)
            print(line)
            if let reason = report.fallbackReason, report.requestedMode == .incremental {
                print("note: ran full because \(reason)")
            }
        }
    }
}

struct FeaturesLookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look up the latest features of keys in the online store.",
        discussion: """
        Give keys with --key (repeatable; a composite key as comma-separated values in key
        order) or a file of key columns with --keys. Rows come back in key order with a
        `found` column; missing keys have nulls.
        """
    )

    @OptionGroup var root: RootOption
    @Argument(help: "The feature table: namespace.table.") var name: String
    @Option(name: .long, help: "One key (values comma-separated for composite keys); repeatable.") var key: [String] = []
    @Option(name: .long, help: "A Parquet or CSV file with the key columns.") var keys: String?
    @Option(name: .long, help: "Comma-separated features (default: all).") var features: String?
    @Option(name: .long, help: "table, csv or json.") var format: RowFormat = .table

    func validate() throws {
        if key.isEmpty == (keys == nil) { throw ValidationError("give --key (one or more) or --keys FILE") }
    }

    func run() throws {
        try reportingErrors {
            let online = try FeatureStores.online(root)
            guard let state = try online.publicationState(table: name) else {
                throw CLIError("feature table \(name) is not published to the online store; run `tarn features publish \(name)`")
            }
            let batch: RecordBatch
            if let keys {
                let (schema, batches) = try InputFile.read(keys)
                batch = batches.isEmpty ? RecordBatch.empty(schema) : try RecordBatch.concat(batches)
            } else {
                var columns: [[ScalarValue]] = Array(repeating: [], count: state.primaryKeys.count)
                for text in key {
                    let values = state.primaryKeys.count == 1 ? [text] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    guard values.count == state.primaryKeys.count else {
                        throw CLIError("--key '\(text)' has \(values.count) value(s); \(name) has \(state.primaryKeys.count) key columns (\(state.primaryKeys.joined(separator: ", ")))")
                    }
                    for (i, value) in values.enumerated() { columns[i].append(.string(value)) }
                }
                // Text keys; the lookup casts them to the key columns' types.
                batch = try RecordBatch(schema: Schema(state.primaryKeys.map { Field($0, .string) }),
                                        columns: columns.map { try Column(.string, scalars: $0) })
            }
            let result = try online.lookup(table: name, keys: batch, features: FeatureStores.names(features))
            writeOut(RowOutput.render([result], schema: result.schema, format: format))
        }
    }
}
