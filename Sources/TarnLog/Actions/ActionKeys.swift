// ActionKeys: every JSON key of Delta log actions, shared by readers and writers.
// Owns the spelling of keys; must never hold logic.

enum ActionKey {
    // Action type names (the single top-level key of a log line).
    static let add = "add"
    static let remove = "remove"
    static let metaData = "metaData"
    static let `protocol` = "protocol"
    static let commitInfo = "commitInfo"
    static let txn = "txn"
    static let domainMetadata = "domainMetadata"
    static let cdc = "cdc"
    static let checkpointMetadata = "checkpointMetadata"
    static let sidecar = "sidecar"

    // add / remove
    static let path = "path"
    static let partitionValues = "partitionValues"
    static let size = "size"
    static let modificationTime = "modificationTime"
    static let dataChange = "dataChange"
    static let stats = "stats"
    static let tags = "tags"
    static let deletionVector = "deletionVector"
    static let baseRowId = "baseRowId"
    static let defaultRowCommitVersion = "defaultRowCommitVersion"
    static let clusteringProvider = "clusteringProvider"
    static let deletionTimestamp = "deletionTimestamp"
    static let extendedFileMetadata = "extendedFileMetadata"

    // deletion vector descriptor
    static let storageType = "storageType"
    static let pathOrInlineDv = "pathOrInlineDv"
    static let offset = "offset"
    static let sizeInBytes = "sizeInBytes"
    static let cardinality = "cardinality"

    // metaData
    static let id = "id"
    static let name = "name"
    static let description = "description"
    static let format = "format"
    static let provider = "provider"
    static let options = "options"
    static let schemaString = "schemaString"
    static let partitionColumns = "partitionColumns"
    static let configuration = "configuration"
    static let createdTime = "createdTime"

    // protocol
    static let minReaderVersion = "minReaderVersion"
    static let minWriterVersion = "minWriterVersion"
    static let readerFeatures = "readerFeatures"
    static let writerFeatures = "writerFeatures"

    // commitInfo
    static let timestamp = "timestamp"
    static let operation = "operation"
    static let operationParameters = "operationParameters"
    static let operationMetrics = "operationMetrics"
    static let readVersion = "readVersion"
    static let isolationLevel = "isolationLevel"
    static let isBlindAppend = "isBlindAppend"
    static let engineInfo = "engineInfo"
    static let inCommitTimestamp = "inCommitTimestamp"

    // txn
    static let appId = "appId"
    static let version = "version"
    static let lastUpdated = "lastUpdated"

    // domainMetadata
    static let domain = "domain"
    static let removed = "removed"
}

/// Table properties (metaData.configuration keys) TarnLog interprets.
public enum TableProperty {
    public static let checkpointInterval = "delta.checkpointInterval"
    public static let dataSkippingNumIndexedCols = "delta.dataSkippingNumIndexedCols"
    public static let dataSkippingStatsColumns = "delta.dataSkippingStatsColumns"
    public static let enableInCommitTimestamps = "delta.enableInCommitTimestamps"
    public static let inCommitTimestampEnablementVersion = "delta.inCommitTimestampEnablementVersion"
    public static let inCommitTimestampEnablementTimestamp = "delta.inCommitTimestampEnablementTimestamp"
    public static let columnMappingMode = "delta.columnMapping.mode"
    public static let deletedFileRetentionDuration = "delta.deletedFileRetentionDuration"
    public static let logRetentionDuration = "delta.logRetentionDuration"
    public static let appendOnly = "delta.appendOnly"
    public static let enableDeletionVectors = "delta.enableDeletionVectors"
}
