// PrettyTableWriter: batches → an aligned text table with box lines, for terminals
// (`tarn parquet cat --format table`, SQL results). Owns widths, alignment and
// truncation; must never let a cell break the grid (newlines and tabs are escaped).

// Numeric columns are right-aligned, everything else left-aligned; nulls show as
// `NULL`; a cell longer than `maxColumnWidth` characters is cut and ends with `…`.
// Width counts Characters (grapheme clusters): East Asian wide characters and emoji
// may still look wider in a terminal.

/// Options of `PrettyTableWriter`.
public struct PrettyTableOptions: Sendable {
    /// Longest cell text in characters before truncation (nil: no limit).
    public var maxColumnWidth: Int? = 40
    public var nullText = "NULL"
    /// A second header line with each column's type.
    public var showTypes = false
    /// A `(N rows)` line after the table.
    public var showRowCount = true

    public init() {}
}

public struct PrettyTableWriter: Sendable {
    public var options: PrettyTableOptions

    public init(options: PrettyTableOptions = PrettyTableOptions()) {
        self.options = options
    }

    /// The table of all rows of `batches` under `schema`.
    public func write(_ batches: [RecordBatch], schema: Schema) -> String {
        let columnCount = schema.count
        var header: [[String]] = [schema.names]
        if options.showTypes { header.append(schema.fields.map { "\($0.type)" }) }
        var rows: [[String]] = []
        var rowCount = 0
        for batch in batches {
            let formatted = batch.columns.map { ValueFormatter.format($0, style: .text) }
            for row in 0..<batch.rowCount {
                var cells: [String] = []
                cells.reserveCapacity(columnCount)
                for (c, column) in batch.columns.enumerated() {
                    if column.isNull(row) {
                        cells.append(options.nullText)
                        continue
                    }
                    cells.append(cellText(formatted[c][row]))
                }
                rows.append(cells)
            }
            rowCount += batch.rowCount
        }
        let header_ = header.map { $0.map(truncate) }
        var widths = [Int](repeating: 0, count: columnCount)
        for line in header_ + rows {
            for (c, cell) in line.enumerated() where c < columnCount { widths[c] = max(widths[c], cell.count) }
        }
        let rightAligned = schema.fields.map { $0.type.isNumeric }
        var out = ""
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        out += rule
        for line in header_ { out += format(line, widths, rightAligned) }
        out += rule
        if !rows.isEmpty {
            for line in rows { out += format(line, widths, rightAligned) }
            out += rule
        }
        if options.showRowCount { out += rowCount == 1 ? "(1 row)\n" : "(\(rowCount) rows)\n" }
        return out
    }

    private func format(_ cells: [String], _ widths: [Int], _ rightAligned: [Bool]) -> String {
        var line = "|"
        for (c, cell) in cells.enumerated() {
            let pad = String(repeating: " ", count: widths[c] - cell.count)
            line += rightAligned[c] ? " " + pad + cell + " |" : " " + cell + pad + " |"
        }
        return line + "\n"
    }

    /// Cell text with control characters escaped and long text truncated.
    private func cellText(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case "\t": escaped += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        escaped += "\\u" + String(String(scalar.value, radix: 16).leftPad(4))
                    } else {
                        escaped.unicodeScalars.append(scalar)
                    }
                }
            }
            text = escaped
        }
        return truncate(text)
    }

    private func truncate(_ text: String) -> String {
        guard let limit = options.maxColumnWidth, limit > 0, text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
