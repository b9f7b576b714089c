// Metadata: the `metaData` action — table id, schema string, partitioning, properties.
// Owns its JSON form; must never parse the schema eagerly (see `DeltaSchema`).
import TarnColumnar

/// The `metaData` action.
public struct Metadata: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    /// Data file format; always `parquet` for Delta.
    public var formatProvider: String
    public var formatOptions: [String: String]
    /// The table schema in Delta's JSON schema serialization.
    public var schemaString: String
    public var partitionColumns: [String]
    public var configuration: [String: String]
    /// Milliseconds since the epoch.
    public var createdTime: Int64?

    public init(id: String, name: String? = nil, description: String? = nil, formatProvider: String = "parquet",
                formatOptions: [String: String] = [:], schemaString: String, partitionColumns: [String] = [],
                configuration: [String: String] = [:], createdTime: Int64? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.formatProvider = formatProvider
        self.formatOptions = formatOptions
        self.schemaString = schemaString
        self.partitionColumns = partitionColumns
        self.configuration = configuration
        self.createdTime = createdTime
    }

    /// Metadata for `schema`, serializing it to Delta's schema JSON.
    public init(id: String, schema: Schema, partitionColumns: [String] = [], configuration: [String: String] = [:],
                name: String? = nil, description: String? = nil, createdTime: Int64? = nil) throws(LogError) {
        self.init(id: id, name: name, description: description, schemaString: try DeltaSchema.jsonString(schema),
                  partitionColumns: partitionColumns, configuration: configuration, createdTime: createdTime)
    }

    /// The parsed schema.
    public func schema() throws(LogError) -> Schema {
        try DeltaSchema.parse(schemaString)
    }

    init(fields f: ActionFields) throws(ActionDecodeError) {
        id = try f.string(ActionKey.id)
        name = try f.optionalString(ActionKey.name)
        description = try f.optionalString(ActionKey.description)
        if let format = f.present(ActionKey.format) {
            let ff = try ActionFields("metaData.format", format)
            formatProvider = try ff.optionalString(ActionKey.provider) ?? "parquet"
            formatOptions = try ff.stringMap(ActionKey.options) ?? [:]
        } else {
            formatProvider = "parquet"
            formatOptions = [:]
        }
        schemaString = try f.string(ActionKey.schemaString)
        partitionColumns = try f.stringArray(ActionKey.partitionColumns) ?? []
        configuration = try f.stringMap(ActionKey.configuration) ?? [:]
        createdTime = try f.optionalInt64(ActionKey.createdTime)
    }

    var json: JSONValue {
        var b = ActionObjectBuilder()
        b.add(ActionKey.id, id)
        b.add(ActionKey.name, name)
        b.add(ActionKey.description, description)
        var format = ActionObjectBuilder()
        format.add(ActionKey.provider, formatProvider)
        format.add(ActionKey.options, formatOptions)
        b.add(ActionKey.format, format.value)
        b.add(ActionKey.schemaString, schemaString)
        b.add(ActionKey.partitionColumns, partitionColumns)
        b.add(ActionKey.configuration, configuration)
        b.add(ActionKey.createdTime, createdTime)
        return b.value
    }
}
