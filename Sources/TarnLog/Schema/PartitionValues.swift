// PartitionValues: Delta's string serialization of partition values, both ways.
// Owns the per-type text forms of the spec (dates, timestamps, numbers, booleans);
// must never guess: text that does not parse for the column type is an error.
import TarnColumnar

public enum PartitionValues {
    /// The partition value string of `value` for a column of `type`; nil for NULL.
    /// Timestamps are written `YYYY-MM-DD HH:MM:SS.ffffff` (UTC for `timestamp`).
    public static func serialize(_ value: ScalarValue, type: DataType) -> String? {
        switch value {
        case .null: return nil
        case let .boolean(b): return b ? "true" : "false"
        case let .int(v): return String(v)
        case let .uint(v): return String(v)
        case let .float(d):
            if type == .float32 { return String(Float(d)) }
            return String(d)
        case let .string(s): return s
        case let .binary(bytes): return String(decoding: bytes, as: UTF8.self)
        case let .date(d): return TemporalFormat.date(d)
        case let .timestamp(micros, _):
            // `YYYY-MM-DDTHH:MM:SS.ffffff[Z]` → `YYYY-MM-DD HH:MM:SS.ffffff`
            var text = TemporalFormat.timestamp(micros, zone: .ntz)
            if let t = text.firstIndex(of: "T") { text.replaceSubrange(t...t, with: " ") }
            return text
        case let .decimal(v, scale): return DecimalFormat.string(v, scale: scale)
        case .list, .structure, .map: return value.description
        }
    }

    /// The value of a partition string for a column of `type`. nil and "" are NULL.
    /// - Throws: `LogError.corrupt` naming the column when the text does not parse.
    public static func parse(_ text: String?, type: DataType, column: String) throws(LogError) -> ScalarValue {
        guard let text, !text.isEmpty else { return .null }
        func bad() -> LogError {
            .corrupt(path: "partitionValues", version: nil, line: nil, detail: "value '\(text)' of partition column '\(column)' is not a valid \(type)")
        }
        switch type {
        case .string: return .string(text)
        case .binary: return .binary(Array(text.utf8))
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw bad()
            }
        case .int8, .int16, .int32, .int64:
            guard let v = Int64(text) else { throw bad() }
            return .int(v)
        case .uint8, .uint16, .uint32, .uint64:
            guard let v = UInt64(text) else { throw bad() }
            return .uint(v)
        case .float32, .float64:
            guard let d = Double(text) else { throw bad() }
            return .float(d)
        case .date32:
            guard let d = TemporalFormat.parseDate(Substring(text)) else { throw bad() }
            return .date(d)
        case let .timestamp(zone):
            guard let parsed = TemporalFormat.parseTimestamp(Substring(text)) else { throw bad() }
            return .timestamp(parsed.micros, zone)
        case let .decimal(p, s):
            guard let v = DecimalFormat.parse(Substring(text), precision: p, scale: s) else { throw bad() }
            return .decimal(v, scale: s)
        case .list, .structure, .map:
            throw bad()
        }
    }

    /// The hive-style directory of a file's partition values: `a=1/b=x/` in partition
    /// column order, escaping characters that are unsafe in paths; empty when unpartitioned.
    public static func directory(partitionColumns: [String], values: [String: String?]) -> String {
        var out = ""
        for column in partitionColumns {
            let value: String? = values[column] ?? nil
            out += escape(column) + "=" + (value.map(escape) ?? "__HIVE_DEFAULT_PARTITION__") + "/"
        }
        return out
    }

    /// Hive's escaping of a path segment: control characters and `"#%'*/:=?\{[]^` become `%XX`.
    static func escape(_ s: String) -> String {
        let special: Set<UInt8> = Set(Array("\"#%'*/:=?\\{[]^".utf8)).union([0x7F])
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            if b < 0x20 || special.contains(b) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
