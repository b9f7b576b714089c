// Feature writes: merge (upsert on primary keys + timestamp key through the table's
// MERGE, one commit) or overwrite, with an optional idempotency token recorded as a
// Delta `txn` action so a retried write is applied once. Must never write anything
// when validation fails (FeatureWriteValidation runs first).
import Foundation
import TarnColumnar
import TarnLog
import TarnParquet
import TarnTables

/// How a feature write treats existing rows.
public enum FeatureWriteMode: String, Sendable, Hashable, CaseIterable {
    /// Upsert: rows whose (primary keys + timestamp key) exist are updated (the columns
    /// the data carries), others are inserted.
    case merge
    /// Replace all rows of the table with the data.
    case overwrite
}

/// Makes a write idempotent: (application id, version) recorded in the commit as a
/// Delta `txn` action; a write whose version is not greater than the table's recorded
/// version for the application is skipped.
public struct IdempotencyToken: Sendable, Hashable {
    public var appId: String
    public var version: Int64

    public init(appId: String, version: Int64) {
        self.appId = appId
        self.version = version
    }
}

/// What a feature write did.
public struct FeatureWriteResult: Sendable, Hashable {
    /// The committed version; nil when nothing was committed (skipped or no change).
    public var version: Int64?
    /// The idempotency token's write was already applied, so this one did nothing.
    public var skipped: Bool
    public var rowsInserted: Int
    public var rowsUpdated: Int
    /// Rows in the data.
    public var rowsWritten: Int
}

extension FeatureStore {
    /// Writes `batches` into feature table `name`. The data must carry every key column
    /// (no nulls, each full key once); other columns are optional (merge updates only
    /// the columns given; overwrite and inserts fill missing ones with nulls).
    /// - Throws: `.missingKeyColumn`, `.nullKey`, `.duplicateKey`, `.wrongType`,
    ///   `.unknownColumn` — nothing written; `.conflict` when a concurrent commit
    ///   touched the same keys; `.notFound`, `.notAFeatureTable`.
    @discardableResult
    public func writeFeatures(name: String, _ batches: [RecordBatch], mode: FeatureWriteMode = .merge,
                              idempotencyToken: IdempotencyToken? = nil) throws(FeatureError) -> FeatureWriteResult {
        let (table, snapshot, metadata) = try open(name)
        if let token = idempotencyToken, let done = snapshot.transactionVersion(appId: token.appId), done >= token.version {
            return FeatureWriteResult(version: nil, skipped: true, rowsInserted: 0, rowsUpdated: 0,
                                      rowsWritten: batches.reduce(0) { $0 + $1.rowCount })
        }
        let schema = snapshot.schema
        let data = try FeatureWriteValidation.prepare(batches, tableSchema: schema, metadata: metadata, table: name)
        var options = WriteOptions()
        options.transaction = idempotencyToken.map { ($0.appId, $0.version) }
        switch mode {
        case .overwrite:
            let full = try filled(data, schema: schema, table: name)
            do {
                options.operation = "WRITE"
                let result = try table.write([full], mode: .overwrite, options: options)
                return FeatureWriteResult(version: result.version, skipped: result.version == nil && idempotencyToken != nil,
                                          rowsInserted: full.rowCount, rowsUpdated: 0, rowsWritten: full.rowCount)
            } catch {
                throw FeatureError(error, "the overwrite was not committed", table: name)
            }
        case .merge:
            let keys = metadata.fullKey.map { (target: $0, source: $0) }
            let written = data.schema.names
            var builder = table.merge(source: [data], on: keys).withWriteOptions(options)
            if written.count == schema.count {
                builder = builder.whenMatchedUpdateAll().whenNotMatchedInsertAll()
            } else {
                let fullKey = Set(metadata.fullKey)
                var update: [String: MergeValue] = [:]
                var insert: [String: MergeValue] = [:]
                for column in written {
                    insert[column] = .source(column)
                    if !fullKey.contains(column) { update[column] = .source(column) }
                }
                if !update.isEmpty { builder = builder.whenMatched(update: update) }
                builder = builder.whenNotMatched(insert: insert)
            }
            let metrics: MergeMetrics
            do {
                metrics = try builder.execute()
            } catch {
                throw FeatureError(error, "the merge was not committed", table: name)
            }
            // The MERGE commit itself records the token (WriteOptions.transaction) and skips a replay.
            return FeatureWriteResult(version: metrics.version, skipped: metrics.skippedByTransaction, rowsInserted: metrics.numTargetRowsInserted,
                                      rowsUpdated: metrics.numTargetRowsUpdated, rowsWritten: data.rowCount)
        }
    }

    /// Writes the rows of a Parquet or CSV file (by extension: .parquet, .csv, .tsv)
    /// into feature table `name`. CSV columns take the table's types.
    @discardableResult
    public func writeFeatures(name: String, file: URL, mode: FeatureWriteMode = .merge,
                              idempotencyToken: IdempotencyToken? = nil) throws(FeatureError) -> FeatureWriteResult {
        let (_, snapshot, _) = try open(name)
        let batches = try Self.readFile(file, schema: snapshot.schema)
        return try writeFeatures(name: name, batches, mode: mode, idempotencyToken: idempotencyToken)
    }

    /// Rows of a Parquet or CSV file; CSV columns named like `schema` columns get their types.
    static func readFile(_ file: URL, schema: Schema?) throws(FeatureError) -> [RecordBatch] {
        let path = file.path
        let ext = file.pathExtension.lowercased()
        switch ext {
        case "parquet", "pq":
            do {
                let input = try StoreParquetInput(localFile: path)
                let reader = try ParquetFileReader(input: input, name: path)
                let batches = try reader.read()
                return batches.isEmpty ? [RecordBatch.empty(reader.schema)] : batches
            } catch {
                throw FeatureError.wrapping(error, "cannot read Parquet file \(path)")
            }
        case "csv", "tsv":
            let bytes: [UInt8]
            do {
                bytes = Array(try Data(contentsOf: file))
            } catch {
                throw FeatureError(.notFound, "cannot read file \(path)", cause: ErrorText(error.localizedDescription))
            }
            var options = CSVReadOptions()
            if ext == "tsv" { options.delimiter = 0x09 }
            if let schema {
                // Only columns the header holds may be typed (the reader rejects unknown ones).
                let header = String(decoding: bytes.prefix(while: { $0 != 0x0A }), as: UTF8.self)
                let names = Set(header.split(separator: Character(UnicodeScalar(options.delimiter)))
                    .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r ")) })
                for field in schema.fields where names.contains(field.name) { options.columnTypes[field.name] = field.type }
            }
            do {
                let (csvSchema, batches) = try CSVReader.read(bytes, options: options)
                return batches.isEmpty ? [RecordBatch.empty(csvSchema)] : batches
            } catch {
                throw FeatureError(.invalidArgument, "cannot read CSV file \(path)", cause: error)
            }
        default:
            throw FeatureError(.invalidArgument, "file \(path) is neither .parquet nor .csv",
                               remedy: "write features from Parquet (.parquet) or CSV (.csv, .tsv) files")
        }
    }

    /// The batch with every table column, missing (nullable) ones as nulls, in table order.
    func filled(_ data: RecordBatch, schema: Schema, table: String) throws(FeatureError) -> RecordBatch {
        let columns = schema.fields.map { field in data.column(named: field.name) ?? Column.nulls(field.type, count: data.rowCount) }
        do {
            return try RecordBatch(schema: Schema(schema.fields.map { Field($0.name, $0.type, nullable: true) }), columns: columns,
                                   rowCount: data.rowCount)
        } catch {
            throw FeatureError(.invalidArgument, "cannot complete the data with null columns", table: table, cause: error)
        }
    }
}
