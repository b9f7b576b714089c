// The public values of training sets: FeatureLookup (what to join), FeatureFunction (an
// on-demand feature), TrainingSet (the rows and their metadata) and the recorded,
// pinned description that `loadTrainingSet` replays. Values only; no IO here.
import TarnColumnar
import TarnLog

/// Features to join from one feature table.
public struct FeatureLookup: Sendable, Hashable {
    /// The feature table, `namespace.table`.
    public var table: String
    /// Feature columns to join; nil means every non-key column.
    public var features: [String]?
    /// Spine columns matched to the table's primary keys, in primary-key order.
    public var lookupKey: [String]
    /// Spine column holding each row's point in time; required for a point-in-time join
    /// on a table with a timestamp key (without it the latest row per key is taken).
    public var timestampLookupKey: String?
    /// Oldest acceptable feature timestamp relative to the spine time: rows with
    /// timestamp < t - lookback are ignored. Microseconds for date/timestamp keys, the
    /// key's own unit for integer timestamp keys. Inclusive bound.
    public var lookback: Int64?
    /// The table version or commit time to read; nil reads the latest version (and the
    /// training set records which one it was).
    public var asOf: TimeTravel?
    /// Output names for features: feature name → column name in the training set.
    public var rename: [String: String]

    public init(table: String, features: [String]? = nil, lookupKey: [String], timestampLookupKey: String? = nil,
                lookback: Int64? = nil, asOf: TimeTravel? = nil, rename: [String: String] = [:]) {
        self.table = table
        self.features = features
        self.lookupKey = lookupKey
        self.timestampLookupKey = timestampLookupKey
        self.lookback = lookback
        self.asOf = asOf
        self.rename = rename
    }

    /// Convenience for a single-column key.
    public init(table: String, features: [String]? = nil, lookupKey: String, timestampLookupKey: String? = nil,
                lookback: Int64? = nil, asOf: TimeTravel? = nil, rename: [String: String] = [:]) {
        self.init(table: table, features: features, lookupKey: [lookupKey], timestampLookupKey: timestampLookupKey,
                  lookback: lookback, asOf: asOf, rename: rename)
    }
}

/// An on-demand feature: a SQL expression over the spine columns, the looked-up
/// features (by output name) and earlier functions, computed per row.
public struct FeatureFunction: Sendable, Hashable, Codable {
    /// The output column name.
    public var name: String
    /// SQL expression text, e.g. `amount / nullif(avg_amount_30d, 0)`.
    public var expression: String

    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// One lookup as it was executed: the table version it read, and everything needed to
/// replay it exactly.
public struct PinnedLookup: Sendable, Hashable, Codable {
    public var table: String
    /// The table version read (the latest at creation, or what `asOf` resolved to).
    public var version: Int64
    /// `asOf` as requested ("version 3", "timestamp 1700000000000000"), for the record.
    public var requestedAsOf: String?
    public var primaryKeys: [String]
    public var timestampKey: String?
    public var features: [String]
    /// Output column names, parallel to `features`.
    public var outputNames: [String]
    public var lookupKey: [String]
    public var timestampLookupKey: String?
    public var lookback: Int64?
}

/// What `_system.training_sets` records about a training set.
public struct TrainingSetMetadata: Sendable, Hashable, Codable {
    public var id: String
    /// Creation time, ms since the epoch.
    public var createdAt: Int64
    /// SHA-256 (hex) of the spine's canonical bytes (see SpineDigest).
    public var spineDigest: String
    public var spineRows: Int
    public var spineColumns: [String]
    /// When the spine was read from a table: its name and version.
    public var spineTable: String?
    public var spineVersion: Int64?
    public var label: String?
    public var exclude: [String]
    public var lookups: [PinnedLookup]
    public var functions: [FeatureFunction]
    /// Output column names in order.
    public var outputColumns: [String]
}

/// A built training set: its rows (one per spine row, in spine order) and metadata.
public struct TrainingSet: Sendable {
    public var id: String { metadata.id }
    public let metadata: TrainingSetMetadata
    public let schema: Schema
    /// All rows in one batch, in spine order.
    public let batch: RecordBatch

    public var batches: [RecordBatch] { [batch] }
    public var rowCount: Int { batch.rowCount }
}

extension TimeTravel {
    var recordText: String {
        switch self {
        case let .version(v): return "version \(v)"
        case let .timestamp(t): return "timestamp \(t)"
        }
    }
}
