// FileStatistics: the `stats` JSON of add actions (numRecords, minValues, maxValues,
// nullCount, nested for structs) <-> per-column `ColumnBounds` keyed by dotted path.
// Owns keeping every written and read value a true bound (timestamps rounded outward
// to milliseconds, strings cut to a prefix with the max bumped); must never fail a
// scan: unreadable stats mean "unknown", not an error.
import TarnColumnar

/// Statistics of one data file.
public struct FileStatistics: Sendable, Hashable {
    /// Rows in the file.
    public var numRecords: Int64?
    /// Bounds per leaf column, keyed by dotted path (`a`, `s.b.c`).
    public var columns: [String: ColumnBounds]

    /// Default number of leading leaf columns with statistics (`delta.dataSkippingNumIndexedCols`).
    public static let defaultIndexedColumns = 32
    /// Strings in min/max statistics are cut to this many Unicode scalars.
    public static let stringPrefixLength = 32

    public init(numRecords: Int64?, columns: [String: ColumnBounds]) {
        self.numRecords = numRecords
        self.columns = columns
    }

    /// The bounds of a column with `rowCount` filled from `numRecords`, for `Predicate.mayMatch`.
    public func bounds(_ column: String) -> ColumnBounds? {
        guard var b = columns[column] else { return nil }
        if b.rowCount == nil, let n = numRecords { b.rowCount = Int(n) }
        return b
    }

    // MARK: Reading

    /// Parses a stats JSON string against the table schema; nil when the text is not a
    /// stats object (stats are optional hints, so bad stats only disable skipping).
    /// Maximum timestamps are widened by 999 µs when they are whole milliseconds, since
    /// writers truncate them to milliseconds.
    public static func parse(_ text: String, schema: Schema) -> FileStatistics? {
        guard let json = try? JSONParser.parse(text), json.members != nil else { return nil }
        var stats = FileStatistics(numRecords: json["numRecords"]?.int64Value, columns: [:])
        collect(fields: schema.fields, prefix: "", min: json["minValues"], max: json["maxValues"],
                nulls: json["nullCount"], into: &stats.columns)
        if let n = stats.numRecords {
            for key in stats.columns.keys { stats.columns[key]?.rowCount = Int(n) }
        }
        return stats
    }

    static func collect(fields: [Field], prefix: String, min: JSONValue?, max: JSONValue?, nulls: JSONValue?,
                        into out: inout [String: ColumnBounds]) {
        for field in fields {
            let path = prefix.isEmpty ? field.name : prefix + "." + field.name
            let minValue = min?[field.name], maxValue = max?[field.name], nullValue = nulls?[field.name]
            if case let .structure(children) = field.type {
                collect(fields: children, prefix: path, min: minValue, max: maxValue, nulls: nullValue, into: &out)
                continue
            }
            if field.type.isNested { continue }
            let lower = minValue.flatMap { scalar($0, type: field.type, isMax: false) }
            let upper = maxValue.flatMap { scalar($0, type: field.type, isMax: true) }
            let nullCount = nullValue?.int64Value.map { Int($0) }
            if lower == nil, upper == nil, nullCount == nil { continue }
            out[path] = ColumnBounds(min: lower, max: upper, nullCount: nullCount, rowCount: nil)
        }
    }

    static func scalar(_ json: JSONValue, type: DataType, isMax: Bool) -> ScalarValue? {
        if json == .null { return nil }
        switch type {
        case .int8, .int16, .int32, .int64:
            return json.int64Value.map(ScalarValue.int)
        case .uint8, .uint16, .uint32, .uint64:
            return json.int64Value.flatMap { $0 >= 0 ? ScalarValue.uint(UInt64($0)) : nil }
        case .float32:
            guard let d = json.doubleValue, !d.isNaN else { return nil }
            return .float(Double(Float(d)))
        case .float64:
            guard let d = json.doubleValue, !d.isNaN else { return nil }
            return .float(d)
        case .string:
            return json.stringValue.map(ScalarValue.string)
        case .date32:
            return json.stringValue.flatMap { TemporalFormat.parseDate(Substring($0.prefix(10))) }.map(ScalarValue.date)
        case let .timestamp(zone):
            guard let text = json.stringValue, let parsed = TemporalFormat.parseTimestamp(Substring(text)) else { return nil }
            var micros = parsed.micros
            if isMax, micros % 1000 == 0 { micros += 999 }
            return .timestamp(micros, zone)
        case let .decimal(p, s):
            let text: String
            switch json {
            case let .int(v): text = String(v)
            case let .number(t): text = t
            default: return nil
            }
            return DecimalFormat.parse(Substring(text), precision: p, scale: s).map { .decimal($0, scale: s) }
        case .boolean:
            return json.boolValue.map(ScalarValue.boolean)
        default:
            return nil
        }
    }

    // MARK: Writing

    /// The stats JSON for a file, covering the first `indexedColumns` leaf columns of
    /// `schema` (all when negative) that have bounds in `columns`. Partition columns
    /// should be left out of `schema` by the caller.
    public func json(schema: Schema, indexedColumns: Int = FileStatistics.defaultIndexedColumns) -> String {
        var remaining = indexedColumns < 0 ? Int.max : indexedColumns
        var minValues: [JSONMember] = []
        var maxValues: [JSONMember] = []
        var nullCounts: [JSONMember] = []
        emit(fields: schema.fields, prefix: "", remaining: &remaining, min: &minValues, max: &maxValues, nulls: &nullCounts)
        var members: [JSONMember] = []
        if let numRecords { members.append(JSONMember("numRecords", .int(numRecords))) }
        members.append(JSONMember("minValues", .object(minValues)))
        members.append(JSONMember("maxValues", .object(maxValues)))
        members.append(JSONMember("nullCount", .object(nullCounts)))
        return JSONWriter.string(.object(members))
    }

    func emit(fields: [Field], prefix: String, remaining: inout Int, min: inout [JSONMember], max: inout [JSONMember],
              nulls: inout [JSONMember]) {
        for field in fields {
            guard remaining > 0 else { return }
            let path = prefix.isEmpty ? field.name : prefix + "." + field.name
            if case let .structure(children) = field.type {
                var childMin: [JSONMember] = [], childMax: [JSONMember] = [], childNulls: [JSONMember] = []
                emit(fields: children, prefix: path, remaining: &remaining, min: &childMin, max: &childMax, nulls: &childNulls)
                if !childMin.isEmpty { min.append(JSONMember(field.name, .object(childMin))) }
                if !childMax.isEmpty { max.append(JSONMember(field.name, .object(childMax))) }
                if !childNulls.isEmpty { nulls.append(JSONMember(field.name, .object(childNulls))) }
                continue
            }
            remaining -= 1
            guard let bounds = columns[path] else { continue }
            if let n = bounds.nullCount { nulls.append(JSONMember(field.name, .int(Int64(n)))) }
            if field.type.isNested { continue }
            if let lower = bounds.min, let v = FileStatistics.statJSON(lower, type: field.type, isMax: false) {
                min.append(JSONMember(field.name, v))
            }
            if let upper = bounds.max, let v = FileStatistics.statJSON(upper, type: field.type, isMax: true) {
                max.append(JSONMember(field.name, v))
            }
        }
    }

    /// The JSON of one min or max value, adjusted to stay a bound; nil when none can be written.
    static func statJSON(_ value: ScalarValue, type: DataType, isMax: Bool) -> JSONValue? {
        switch (value, type) {
        case (.null, _), (_, .boolean), (_, .binary): return nil
        case let (.int(v), _): return .int(v)
        case let (.uint(v), _): return Int64(exactly: v).map(JSONValue.int)
        case let (.float(d), _):
            guard d.isFinite else { return nil }
            return .number(String(d))
        case let (.string(s), _):
            return isMax ? stringUpperBound(s).map(JSONValue.string) : .string(stringLowerBound(s))
        case let (.date(d), _): return .string(TemporalFormat.date(d))
        case let (.timestamp(micros, zone), _):
            // Milliseconds, rounded down for a min and up for a max so the value stays a bound.
            var ms = micros / 1000
            if micros % 1000 != 0 {
                if micros < 0 { ms -= 1 }
                if isMax { ms += 1 }
            }
            let text = TemporalFormat.timestamp(ms * 1000, zone: .ntz)  // ...THH:MM:SS.ffffff
            let millis = String(text.dropLast(3))
            return .string(zone == .utc ? millis + "Z" : millis)
        case let (.decimal(v, scale), _): return .number(DecimalFormat.string(v, scale: scale))
        case let (.boolean(b), _): return .bool(b)
        default: return nil
        }
    }

    static func stringLowerBound(_ s: String) -> String {
        var scalars = s.unicodeScalars
        guard scalars.count > stringPrefixLength else { return s }
        scalars = String.UnicodeScalarView(scalars.prefix(stringPrefixLength))
        return String(scalars)
    }

    /// A string ≥ every string that starts with `s`'s prefix: the prefix with its last
    /// scalar incremented when `s` is cut; nil when no such string can be formed.
    static func stringUpperBound(_ s: String) -> String? {
        guard s.unicodeScalars.count > stringPrefixLength else { return s }
        var scalars = Array(s.unicodeScalars.prefix(stringPrefixLength))
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let bumped = Unicode.Scalar(next) {
                scalars.append(bumped)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                return String(view)
            }
        }
        return nil
    }
}

extension AddFile {
    /// The parsed statistics of this file against `schema`, or nil when absent/unreadable.
    public func statistics(schema: Schema) -> FileStatistics? {
        stats.flatMap { FileStatistics.parse($0, schema: schema) }
    }
}
