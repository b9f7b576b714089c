// JSONLinesWriter: batches → one JSON object per row per line (`{"a":1,"b":"x"}\n`).
// Owns the object framing and key escaping; value rules live in `ValueFormatter`
// (JSON style). Must never emit invalid JSON: NaN/Infinity become strings.

public struct JSONLinesWriter: Sendable {
    public init() {}

    /// Every row of every batch, one object per line, keys in schema order.
    public func write(_ batches: [RecordBatch]) -> [UInt8] {
        var out: [UInt8] = []
        for batch in batches { writeRows(batch, into: &out) }
        return out
    }

    /// The rows of one batch appended to `out`.
    public func writeRows(_ batch: RecordBatch, into out: inout [UInt8]) {
        let keys = batch.schema.fields.enumerated().map { (i, field) -> [UInt8] in
            var key: [UInt8] = i == 0 ? [0x7B] : [0x2C]
            ValueFormatter.appendJSONString(Array(field.name.utf8)[...], &key)
            key.append(0x3A)
            return key
        }
        let appenders = batch.columns.map { ValueFormatter.appender(for: $0, style: .json) }
        for row in 0..<batch.rowCount {
            if appenders.isEmpty { out.append(0x7B) }
            for c in 0..<appenders.count {
                out.append(contentsOf: keys[c])
                appenders[c](row, &out)
            }
            out.append(0x7D)
            out.append(0x0A)
        }
    }
}
