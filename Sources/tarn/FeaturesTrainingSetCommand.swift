// `tarn features training-set`: builds a point-in-time-correct training set from a spine
// file (Parquet or CSV) and a lookup spec (JSON), and writes it as Parquet or CSV. Owns
// parsing the spec file into FeatureLookup/FeatureFunction values; the join itself is
// FeatureStore's.
import ArgumentParser
import Foundation
import TarnColumnar
import TarnFeatures
import TarnLog
import TarnParquet

struct FeaturesTrainingSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-set",
        abstract: "Build a point-in-time training set from a spine file and a lookup spec.",
        discussion: """
        The spec is a JSON file:
          {"lookups": [{"table": "ml.user_events", "lookupKey": "user_id",
                        "timestampLookupKey": "ts", "features": ["amount"],
                        "lookback": "30d", "asOf": {"version": 3}, "rename": {"amount": "amt"}}],
           "functions": [{"name": "amount_x2", "expression": "amt * 2"}],
           "label": "label", "exclude": ["row_id"]}
        lookupKey may be a list for composite keys; lookback is microseconds or a number with
        s, m, h or d; asOf is {"version": N} or {"timestamp": "2026-11-29 10:00:00"}. Each
        spine row gets the latest feature row with the same key at or before its timestamp.
        """
    )

    @OptionGroup var root: RootOption
    @Option(name: .long, help: "The spine: a Parquet or CSV file of keys and timestamps (and labels).") var spine: String
    @Option(name: .long, help: "The lookup spec (JSON).") var spec: String
    @Option(name: .long, help: "The output file (.parquet or .csv).") var output: String
    @Option(name: .long, help: "parquet or csv (default: from the output's extension).") var format: OutputFormat?

    enum OutputFormat: String, ExpressibleByArgument { case parquet, csv }

    func run() throws {
        try reportingErrors {
            let parsed = try TrainingSetSpec.read(spec)
            let (schema, batches) = try InputFile.read(spine)
            let spineBatches = batches.isEmpty ? [RecordBatch.empty(schema)] : batches
            let store = try FeatureStores.offline(root)
            let set = try store.createTrainingSet(spine: spineBatches, lookups: parsed.lookups, functions: parsed.functions,
                                                  label: parsed.label, exclude: parsed.exclude)
            let chosen = format ?? (output.lowercased().hasSuffix(".csv") ? .csv : .parquet)
            let bytes: [UInt8]
            switch chosen {
            case .parquet: bytes = try ParquetFileWriter.write([set.batch], schema: set.schema)
            case .csv: bytes = CSVWriter().write([set.batch], schema: set.schema)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
            let pins = set.metadata.lookups.map { "\($0.table)@\($0.version)" }.joined(separator: ", ")
            print("training set \(set.id): \(set.rowCount) rows, \(set.schema.count) columns (\(pins)) written to \(output)")
        }
    }
}

/// The parsed lookup spec.
struct TrainingSetSpec {
    var lookups: [FeatureLookup] = []
    var functions: [FeatureFunction] = []
    var label: String?
    var exclude: [String] = []

    static func read(_ path: String) throws -> TrainingSetSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the lookup spec (missing or not readable)")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CLIError("\(path): the lookup spec is not valid JSON (\(error.localizedDescription))")
        }
        guard let object = json as? [String: Any] else { throw CLIError("\(path): the lookup spec must be a JSON object") }
        var spec = TrainingSetSpec()
        guard let lookups = object["lookups"] as? [[String: Any]], !lookups.isEmpty else {
            throw CLIError("\(path): \"lookups\" must be a non-empty list of objects")
        }
        for (i, item) in lookups.enumerated() {
            let at = "\(path): lookups[\(i)]"
            guard let table = item["table"] as? String else { throw CLIError("\(at): \"table\" (namespace.table) is required") }
            let keys: [String]
            if let one = item["lookupKey"] as? String {
                keys = [one]
            } else if let many = item["lookupKey"] as? [String], !many.isEmpty {
                keys = many
            } else {
                throw CLIError("\(at): \"lookupKey\" must be a column name or a list of them")
            }
            var asOf: TimeTravel? = nil
            if let pin = item["asOf"] as? [String: Any] {
                if let version = (pin["version"] as? NSNumber)?.int64Value {
                    asOf = .version(version)
                } else if let text = pin["timestamp"] as? String {
                    asOf = .timestamp(try parseTimestampOption(text))
                } else {
                    throw CLIError("\(at): \"asOf\" must be {\"version\": N} or {\"timestamp\": \"…\"}")
                }
            }
            spec.lookups.append(FeatureLookup(
                table: table, features: try strings(item["features"], "\(at).features"), lookupKey: keys,
                timestampLookupKey: item["timestampLookupKey"] as? String,
                lookback: try lookback(item["lookback"], at: at), asOf: asOf,
                rename: (item["rename"] as? [String: String]) ?? [:]))
        }
        for (i, item) in ((object["functions"] as? [[String: Any]]) ?? []).enumerated() {
            guard let name = item["name"] as? String, let expression = item["expression"] as? String else {
                throw CLIError("\(path): functions[\(i)] needs \"name\" and \"expression\"")
            }
            spec.functions.append(FeatureFunction(name: name, expression: expression))
        }
        spec.label = object["label"] as? String
        spec.exclude = try strings(object["exclude"], "\(path): exclude") ?? []
        return spec
    }

    static func strings(_ value: Any?, _ what: String) throws -> [String]? {
        guard let value else { return nil }
        guard let list = value as? [String] else { throw CLIError("\(what) must be a list of names") }
        return list
    }

    /// Microseconds from a number, or from text like "30d", "12h", "15m", "90s".
    static func lookback(_ value: Any?, at: String) throws -> Int64? {
        guard let value else { return nil }
        if let number = value as? NSNumber { return number.int64Value }
        if let text = value as? String, let unit = text.last, let amount = Int64(text.dropLast()) {
            let scale: Int64
            switch unit {
            case "s": scale = 1_000_000
            case "m": scale = 60_000_000
            case "h": scale = 3_600_000_000
            case "d": scale = 86_400_000_000
            default: throw CLIError("\(at): lookback '\(text)' needs a unit s, m, h or d")
            }
            return amount * scale
        }
        throw CLIError("\(at): lookback must be microseconds or text like \"30d\"")
    }
}
