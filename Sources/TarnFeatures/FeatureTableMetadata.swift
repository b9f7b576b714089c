// FeatureTableMetadata: the feature-table convention in a Delta table's configuration
// (`tarn.feature.*`, see spec/feature-store.md) — read and written only here, so the
// offline and online halves agree. Must never guess keys: a table without
// `tarn.feature.primaryKeys` is not a feature table.
import Foundation
import TarnColumnar

public struct FeatureTableMetadata: Sendable, Hashable {
    /// Configuration keys of the convention.
    public static let primaryKeysKey = "tarn.feature.primaryKeys"
    public static let timestampKeyKey = "tarn.feature.timestampKey"
    public static let descriptionKey = "tarn.feature.description"
    public static let tagsKey = "tarn.feature.tags"
    public static let featureDescriptionsKey = "tarn.feature.descriptions"
    /// Who created the table (the process user), recorded at creation.
    public static let createdByKey = "tarn.feature.createdBy"

    public var primaryKeys: [String]
    public var timestampKey: String?
    public var description: String?
    public var tags: [String: String]
    public var featureDescriptions: [String: String]
    public var createdBy: String?

    public init(primaryKeys: [String], timestampKey: String? = nil, description: String? = nil,
                tags: [String: String] = [:], featureDescriptions: [String: String] = [:], createdBy: String? = nil) {
        self.primaryKeys = primaryKeys
        self.timestampKey = timestampKey
        self.description = description
        self.tags = tags
        self.featureDescriptions = featureDescriptions
        self.createdBy = createdBy
    }

    /// Reads the convention from a table configuration.
    /// - Throws: `.notAFeatureTable` when `tarn.feature.primaryKeys` is absent; `.corrupt`
    ///   when a value is not the JSON it must be.
    public init(configuration: [String: String], table: String? = nil) throws(FeatureError) {
        guard let keysText = configuration[Self.primaryKeysKey] else {
            throw FeatureError(.notAFeatureTable, "the table has no \(Self.primaryKeysKey) property, so it is not a feature table",
                               table: table, remedy: "create it with FeatureStore.createFeatureTable, or name a feature table")
        }
        guard let keys = Self.decode([String].self, keysText), !keys.isEmpty else {
            throw FeatureError(.corrupt, "\(Self.primaryKeysKey) is not a non-empty JSON array of column names: \(keysText)", table: table)
        }
        primaryKeys = keys
        timestampKey = configuration[Self.timestampKeyKey].flatMap { $0.isEmpty ? nil : $0 }
        description = configuration[Self.descriptionKey]
        createdBy = configuration[Self.createdByKey]
        if let text = configuration[Self.tagsKey] {
            guard let decoded = Self.decode([String: String].self, text) else {
                throw FeatureError(.corrupt, "\(Self.tagsKey) is not a JSON object of strings: \(text)", table: table)
            }
            tags = decoded
        } else {
            tags = [:]
        }
        if let text = configuration[Self.featureDescriptionsKey] {
            guard let decoded = Self.decode([String: String].self, text) else {
                throw FeatureError(.corrupt, "\(Self.featureDescriptionsKey) is not a JSON object of strings: \(text)", table: table)
            }
            featureDescriptions = decoded
        } else {
            featureDescriptions = [:]
        }
    }

    /// Whether a table configuration marks a feature table.
    public static func isFeatureTable(_ configuration: [String: String]) -> Bool {
        configuration[primaryKeysKey] != nil
    }

    /// The configuration entries that record this metadata.
    public var configuration: [String: String] {
        var out = [Self.primaryKeysKey: Self.encode(primaryKeys)]
        if let timestampKey { out[Self.timestampKeyKey] = timestampKey }
        if let description { out[Self.descriptionKey] = description }
        if !tags.isEmpty { out[Self.tagsKey] = Self.encode(tags) }
        if !featureDescriptions.isEmpty { out[Self.featureDescriptionsKey] = Self.encode(featureDescriptions) }
        if let createdBy { out[Self.createdByKey] = createdBy }
        return out
    }

    /// Primary keys followed by the timestamp key: the columns that identify a row.
    public var fullKey: [String] { primaryKeys + (timestampKey.map { [$0] } ?? []) }

    /// The feature columns of `schema`: every column that is not a key.
    public func featureColumns(of schema: Schema) -> [String] {
        let keys = Set(fullKey)
        return schema.names.filter { !keys.contains($0) }
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
