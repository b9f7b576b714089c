// ProtocolSupport: which protocol versions and table features Tarn reads and writes.
// Owns the refusal of tables Tarn cannot handle correctly (an error naming the feature);
// must never let a reader return wrong results for a feature it ignores.

public enum ProtocolSupport {
    /// Reader features Tarn implements (some only in their inactive form; see `checkRead`).
    public static let readerFeatures: Set<String> = [
        "timestampNtz", "vacuumProtocolCheck", "columnMapping", "deletionVectors", "domainMetadata",
        // Files older than a column's widening are cast up to the table type on scan.
        "typeWidening",
    ]
    /// Writer features Tarn can honour when writing.
    public static let writerFeatures: Set<String> = [
        "appendOnly", "invariants", "timestampNtz", "vacuumProtocolCheck", "domainMetadata", "inCommitTimestamp",
        "columnMapping", "deletionVectors", "checkConstraints", "generatedColumns", "identityColumns", "changeDataFeed",
        "typeWidening",
    ]
    /// Highest protocol versions Tarn understands.
    public static let maxReaderVersion = 3
    public static let maxWriterVersion = 7

    /// Checks that Tarn can read a table with `tableProtocol` and `metadata`, whose live
    /// files are `files`.
    /// - Throws: `LogError.unsupportedFeature` naming the first feature Tarn cannot honour.
    public static func checkRead(_ tableProtocol: TableProtocol, metadata: Metadata, anyFileHasDeletionVector: Bool,
                                 tablePath: String) throws(LogError) {
        if tableProtocol.minReaderVersion > maxReaderVersion {
            throw LogError.unsupportedFeature(name: "readerVersion\(tableProtocol.minReaderVersion)", side: .reader,
                                              tablePath: tablePath, detail: "Tarn reads protocol reader versions 1 to \(maxReaderVersion)")
        }
        if tableProtocol.minReaderVersion == 3 {
            for feature in tableProtocol.readerFeatures ?? [] where !readerFeatures.contains(feature) {
                throw LogError.unsupportedFeature(name: feature, side: .reader, tablePath: tablePath, detail: "not implemented")
            }
        }
        let mappingMode = metadata.configuration[TableProperty.columnMappingMode] ?? "none"
        if mappingMode != "none" {
            throw LogError.unsupportedFeature(name: "columnMapping", side: .reader, tablePath: tablePath,
                                              detail: "column mapping mode '\(mappingMode)' is not implemented")
        }
        if anyFileHasDeletionVector {
            throw LogError.unsupportedFeature(name: "deletionVectors", side: .reader, tablePath: tablePath,
                                              detail: "files of this version carry deletion vectors")
        }
    }

    /// Checks that Tarn can write to a table with `tableProtocol` and `metadata`.
    /// - Throws: `LogError.unsupportedFeature` naming the first feature Tarn cannot honour.
    public static func checkWrite(_ tableProtocol: TableProtocol, metadata: Metadata, tablePath: String) throws(LogError) {
        if tableProtocol.minWriterVersion > maxWriterVersion {
            throw LogError.unsupportedFeature(name: "writerVersion\(tableProtocol.minWriterVersion)", side: .writer,
                                              tablePath: tablePath, detail: "Tarn writes protocol writer versions 1 to \(maxWriterVersion)")
        }
        if tableProtocol.minWriterVersion == 7 {
            for feature in tableProtocol.writerFeatures ?? [] where !writerFeatures.contains(feature) {
                throw LogError.unsupportedFeature(name: feature, side: .writer, tablePath: tablePath, detail: "not implemented for writes")
            }
        }
        // Features allowed above only while they are not in use.
        let config = metadata.configuration
        if (config[TableProperty.columnMappingMode] ?? "none") != "none" {
            throw LogError.unsupportedFeature(name: "columnMapping", side: .writer, tablePath: tablePath, detail: "column mapping is in use")
        }
        // CHECK constraints (`delta.constraints.*`) are allowed: TarnTables enforces them on
        // every write path. Writers that bypass TarnTables must enforce them themselves.
        if config["delta.enableChangeDataFeed"]?.lowercased() == "true" {
            throw LogError.unsupportedFeature(name: "changeDataFeed", side: .writer, tablePath: tablePath, detail: "change data feed is enabled")
        }
        if metadata.schemaString.contains("delta.generationExpression") {
            throw LogError.unsupportedFeature(name: "generatedColumns", side: .writer, tablePath: tablePath, detail: "the table has generated columns")
        }
        if metadata.schemaString.contains("delta.identity.") {
            throw LogError.unsupportedFeature(name: "identityColumns", side: .writer, tablePath: tablePath, detail: "the table has identity columns")
        }
        if metadata.schemaString.contains("delta.invariants") {
            throw LogError.unsupportedFeature(name: "invariants", side: .writer, tablePath: tablePath, detail: "the table has column invariants")
        }
    }

    /// The smallest protocol for a new table with `metadata`: 1/2 (1/3 with CHECK
    /// constraints), or 3/7 with the `timestampNtz` feature when a column is
    /// `timestamp_ntz` (plus `inCommitTimestamp` and `checkConstraints` as writer
    /// features when used).
    public static func minimalProtocol(for metadata: Metadata) throws(LogError) -> TableProtocol {
        let schema = try metadata.schema()
        let ntz = DeltaSchema.containsTimestampNtz(schema)
        let ict = metadata.configuration[TableProperty.enableInCommitTimestamps]?.lowercased() == "true"
        // A table created with CHECK constraints needs writer version 3 (or the feature).
        let checks = metadata.configuration.keys.contains { $0.lowercased().hasPrefix("delta.constraints.") }
        if !ntz && !ict { return TableProtocol(minReaderVersion: 1, minWriterVersion: checks ? 3 : 2) }
        var reader: [String] = []
        var writer: [String] = ["appendOnly", "invariants"]
        if checks { writer.append("checkConstraints") }
        if ntz {
            reader.append("timestampNtz")
            writer.append("timestampNtz")
        }
        if ict { writer.append("inCommitTimestamp") }
        return TableProtocol(minReaderVersion: ntz ? 3 : 1, minWriterVersion: 7,
                             readerFeatures: ntz ? reader : nil, writerFeatures: writer)
    }
}
