// CSVWriter: batches → RFC 4180 CSV text that `CSVReader` reads back to the same
// values. Owns quoting (only where needed) and the null/empty-string distinction;
// must never emit a field that would split differently when read back.
//
// A field is quoted when it contains the delimiter, a quote, CR or LF, or when it is an
// empty string (so `""` reads back as the empty string and an empty field as null).
// Values are formatted by `ValueFormatter` text style; nested values as compact JSON.

/// Options of `CSVWriter`.
public struct CSVWriteOptions: Sendable {
    public var delimiter: UInt8 = 0x2C
    public var header = true
    /// Line terminator, `\n` by default (`\r\n` for strict RFC 4180 consumers).
    public var lineTerminator: [UInt8] = [0x0A]
    /// Text written for nulls (empty by default).
    public var nullText: String = ""

    public init() {}
}

public struct CSVWriter: Sendable {
    public var options: CSVWriteOptions

    public init(options: CSVWriteOptions = CSVWriteOptions()) {
        self.options = options
    }

    /// The whole CSV document: header (if enabled) then every batch's rows.
    public func write(_ batches: [RecordBatch], schema: Schema) -> [UInt8] {
        var out: [UInt8] = []
        if options.header { writeHeader(schema, into: &out) }
        for batch in batches { writeRows(batch, into: &out) }
        return out
    }

    /// The header line.
    public func writeHeader(_ schema: Schema, into out: inout [UInt8]) {
        for (i, field) in schema.fields.enumerated() {
            if i > 0 { out.append(options.delimiter) }
            appendField(Array(field.name.utf8)[...], forceQuote: field.name.isEmpty, &out)
        }
        out.append(contentsOf: options.lineTerminator)
    }

    /// One line per row of `batch`.
    public func writeRows(_ batch: RecordBatch, into out: inout [UInt8]) {
        let appenders = batch.columns.map { ValueFormatter.appender(for: $0, style: .text) }
        let nullText = Array(options.nullText.utf8)
        let stringLike = batch.columns.map { $0.type == .string || $0.type == .binary }
        var cell: [UInt8] = []
        for row in 0..<batch.rowCount {
            for (c, column) in batch.columns.enumerated() {
                if c > 0 { out.append(options.delimiter) }
                if column.isNull(row) {
                    out.append(contentsOf: nullText)
                    continue
                }
                cell.removeAll(keepingCapacity: true)
                appenders[c](row, &cell)
                appendField(cell[...], forceQuote: stringLike[c] && cell.isEmpty, &out)
            }
            out.append(contentsOf: options.lineTerminator)
        }
    }

    private func appendField(_ text: ArraySlice<UInt8>, forceQuote: Bool, _ out: inout [UInt8]) {
        let delimiter = options.delimiter
        let needsQuotes = forceQuote || text.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: text)
            return
        }
        out.append(0x22)
        for byte in text {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}
