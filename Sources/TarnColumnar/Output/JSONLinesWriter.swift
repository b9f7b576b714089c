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
        let rows = batch.rowCount
        let columnCount = batch.columns.count
        let (bytes, offsets, _) = ValueFormatter.formatTable(batch.columns, rows: rows, style: .json)
        out.reserveCapacity(out.count + bytes.count + rows * (keys.reduce(0) { $0 + $1.count } + 2))
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                // SAFETY: formatTable wrote (rows + 1) offsets per column, each inside `bytes`.
                for row in 0..<rows {
                    if columnCount == 0 { out.append(0x7B) }
                    for c in 0..<columnCount {
                        out.append(contentsOf: keys[c])
                        let k = c * (rows + 1) + row
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[o[k]..<o[k + 1]]))
                    }
                    out.append(0x7D)
                    out.append(0x0A)
                }
            }
        }
    }
}
