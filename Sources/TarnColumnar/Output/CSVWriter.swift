// CSVWriter: batches → RFC 4180 CSV text that `CSVReader` reads back to the same
// values. Owns quoting (only where needed) and the null/empty-string distinction;
// must never emit a field that would split differently when read back.

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
        let rows = batch.rowCount
        let (bytes, offsets, isNull) = ValueFormatter.formatTable(batch.columns, rows: rows, style: .text)
        let nullText = Array(options.nullText.utf8)
        let stringLike = batch.columns.map { $0.type == .string || $0.type == .binary }
        let delimiter = options.delimiter
        // Numbers, dates, timestamps and booleans never hold these delimiters, quotes or
        // line breaks, so their cells skip the quoting scan.
        let safeDelimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")].contains(delimiter)
        let plain = batch.columns.map { column -> Bool in
            guard safeDelimiter else { return false }
            switch column.type {
            case .string, .binary, .list, .structure, .map: return false
            default: return true
            }
        }
        let terminator = options.lineTerminator
        let columnCount = batch.columns.count
        out.reserveCapacity(out.count + bytes.count + rows * (columnCount + terminator.count))
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                isNull.withUnsafeBufferPointer { nulls in
                    // SAFETY: formatTable wrote (rows + 1) offsets and `rows` null flags per
                    // column, each offset inside `bytes`.
                    for row in 0..<rows {
                        for c in 0..<columnCount {
                            if c > 0 { out.append(delimiter) }
                            if nulls[c * rows + row] {
                                out.append(contentsOf: nullText)
                                continue
                            }
                            let k = c * (rows + 1) + row
                            let cell = UnsafeBufferPointer(rebasing: b[o[k]..<o[k + 1]])
                            if plain[c] {
                                out.append(contentsOf: cell)
                            } else {
                                appendField(cell, forceQuote: stringLike[c] && cell.isEmpty, &out)
                            }
                        }
                        out.append(contentsOf: terminator)
                    }
                }
            }
        }
    }

    private func appendField<C: Collection>(_ text: C, forceQuote: Bool, _ out: inout [UInt8]) where C.Element == UInt8 {
        let delimiter = options.delimiter
        var needsQuotes = forceQuote
        if !needsQuotes {
            for byte in text where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
        }
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
