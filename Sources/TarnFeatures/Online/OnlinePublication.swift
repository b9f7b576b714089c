// The online store's public values: publish modes, the publication state recorded per
// feature table, a publish's report, and one looked-up row. Plain values; must never
// reach storage.
import TarnColumnar

/// How `OnlineStore.publish` brings a feature table online.
public enum PublishMode: String, Sendable, Hashable, CaseIterable {
    /// Rebuild the table's online copy from the latest snapshot (also recreates a missing
    /// or corrupt database).
    case full
    /// Apply only the data files the log added or removed since the last published
    /// version; falls back to full when that is not possible (first publish, schema or key
    /// change, commits cleaned up, removed files vacuumed).
    case incremental
}

/// What the online store records about one published feature table (`_publications`).
public struct PublicationState: Sendable, Hashable {
    /// `namespace.table`.
    public var table: String
    /// The table version the online copy reflects.
    public var version: Int64
    /// When it was published (ms since the epoch).
    public var publishedAt: Int64
    /// The mode the last publish actually used.
    public var mode: PublishMode
    /// The greatest timestamp key among the published rows (nil without a timestamp key
    /// or when empty); typed like the timestamp key column.
    public var maxEventTimestamp: ScalarValue?
    /// Rows online (one per primary key).
    public var rowCount: Int
    public var primaryKeys: [String]
    public var timestampKey: String?
    /// The Delta table id the copy was built from (a dropped and recreated table differs).
    public var tableId: String
}

/// What one publish did.
public struct PublishReport: Sendable {
    public var state: PublicationState
    public var requestedMode: PublishMode
    /// Why an incremental publish ran as a full one (nil when it did not).
    public var fallbackReason: String?
    /// The version published before (nil for a first publish or a rebuild).
    public var previousVersion: Int64?
    /// Data files read (changed files for an incremental publish, the whole table for a full one).
    public var filesRead: Int
    public var rowsRead: Int
    /// Rows inserted or replaced online.
    public var rowsWritten: Int
    /// Keys deleted online (gone from the table).
    public var rowsDeleted: Int
    /// Wall time of the publish in seconds.
    public var elapsed: Double
}

/// One row of the online store: the feature values of one primary key, by name.
public struct OnlineRow: Sendable, Hashable {
    /// Output names, in order (the requested features, or every non-key column).
    public let names: [String]
    public let values: [ScalarValue]

    public init(names: [String], values: [ScalarValue]) {
        self.names = names
        self.values = values
    }

    /// The value of feature `name`, or nil when the row has no such feature.
    public subscript(name: String) -> ScalarValue? {
        names.firstIndex(of: name).map { values[$0] }
    }
}
