// CSVReader: CSV text → schema + RecordBatches: header, delimiter, RFC 4180 quoting,
// null tokens, type inference over the first rows and per-column type overrides.
// Must never guess silently past the sample: a later value that does not parse as the
// column's type is an error naming its 1-based line and column.

// Rules:
// - Blank lines are skipped; a UTF-8 BOM is ignored; every row must have as many
//   fields as the header (or the first row without a header).
// - Nulls: in non-string columns a field equal to one of `nullTokens` (default `""`
//   and `NULL`, quoted or not) is null. In string columns only an *unquoted* field
//   equal to one of `stringNullTokens` (default just the empty field) is null, so
//   `""` is the empty string and `NULL` is text — a round trip with `CSVWriter`.
// - Inference (first `inferenceRows` rows, nulls ignored), first match wins: boolean
//   (`true`/`false`, any case), int64, float64 (incl. NaN/Inf), date (`YYYY-MM-DD`),
//   timestamp (`YYYY-MM-DD[ T]HH:MM[:SS[.f]]` with optional `Z`/`±HH:MM`: UTC when any
//   sampled value has a zone, else NTZ; zoned values convert to UTC microseconds),
//   string. A column with no non-null sampled value is string.
// - Overrides (`columnTypes`, by header name) accept any non-nested type; a name not
//   in the file is `.invalidBatch`. Non-string values ignore surrounding spaces.

/// Options of `CSVReader`.
public struct CSVReadOptions: Sendable {
    /// The first row holds column names.
    public var hasHeader = true
    /// Field separator byte (`,` by default; `\t` for TSV, `;`, `|`).
    public var delimiter: UInt8 = 0x2C
    /// Column names to use instead of the header (or `column_1`… without a header).
    public var columnNames: [String]? = nil
    /// Texts that mean null in non-string columns.
    public var nullTokens: [String] = ["", "NULL"]
    /// Unquoted texts that mean null in string columns.
    public var stringNullTokens: [String] = [""]
    /// Rows sampled for type inference.
    public var inferenceRows = 1000
    /// Rows per produced batch.
    public var batchRowCount = 65_536
    /// Explicit types by column name; other columns are inferred.
    public var columnTypes: [String: DataType] = [:]

    public init() {}
}

/// Reads CSV bytes into batches, one batch of up to `batchRowCount` rows per `next()`.
public struct CSVReader: Sendable {
    public let schema: Schema
    private let options: CSVReadOptions
    private var tokenizer: CSVTokenizer
    private var spans = CSVFieldSpans()
    private let nullTokens: [[UInt8]]
    private let stringNullTokens: [[UInt8]]

    /// Reads the header and infers the schema. Throws `.malformedInput` for bad CSV in
    /// the sampled rows and `.invalidBatch` for an override naming an unknown column.
    public init(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) throws(ColumnarError) {
        self.options = options
        nullTokens = options.nullTokens.map { Array($0.utf8) }
        stringNullTokens = options.stringNullTokens.map { Array($0.utf8) }
        guard options.batchRowCount > 0 else { throw .invalidValue("batchRowCount must be positive") }
        tokenizer = CSVTokenizer(bytes: bytes, delimiter: options.delimiter)

        var names: [String] = []
        if options.hasHeader {
            var header = CSVFieldSpans()
            if try tokenizer.readRows(1, expectedFields: nil, into: &header) == 1 {
                for f in 0..<header.starts.count {
                    let text = tokenizer.text(start: header.starts[f], end: header.ends[f], kind: header.kinds[f])
                    let name = String(decoding: text, as: UTF8.self)
                    names.append(name.isEmpty ? "column_\(f + 1)" : name)
                }
            }
        }
        // Without a header the first row fixes the field count.
        if !options.hasHeader {
            let fieldCount = try CSVReader.firstRowFieldCount(tokenizer)
            names = (0..<fieldCount).map { "column_\($0 + 1)" }
        }
        // Sample rows for inference (also checks their field counts early).
        var sampleTokenizer = tokenizer
        var sample = CSVFieldSpans()
        _ = try sampleTokenizer.readRows(max(1, options.inferenceRows), expectedFields: names.count, into: &sample)
        if let given = options.columnNames {
            guard given.count == names.count || names.isEmpty else {
                throw .invalidBatch("\(given.count) column names given for a CSV with \(names.count) columns")
            }
            names = given
        }
        for name in options.columnTypes.keys where !names.contains(name) {
            throw .invalidBatch("type override names column '\(name)' which the CSV does not have (columns: \(names.joined(separator: ", ")))")
        }
        var fields: [Field] = []
        for (c, name) in names.enumerated() {
            if let type = options.columnTypes[name] {
                if type.isNested {
                    throw .typeMismatch(expected: "a non-nested type", actual: "\(type)", context: "CSV column \(name)")
                }
                fields.append(Field(name, type))
            } else {
                fields.append(Field(name, CSVReader.infer(column: c, of: names.count, sample, tokenizer, nullTokens)))
            }
        }
        schema = Schema(fields)
    }

    private static func firstRowFieldCount(_ tokenizer: CSVTokenizer) throws(ColumnarError) -> Int {
        var copy = tokenizer
        var first = CSVFieldSpans()
        _ = try copy.readRows(1, expectedFields: nil, into: &first)
        return first.starts.count
    }

    /// Reads the whole input: the schema and all batches.
    public static func read(_ bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) throws(ColumnarError) -> (schema: Schema, batches: [RecordBatch]) {
        var reader = try CSVReader(bytes, options: options)
        var batches: [RecordBatch] = []
        while let batch = try reader.next() { batches.append(batch) }
        return (reader.schema, batches)
    }

    /// The next batch, or nil at the end of the input.
    public mutating func next() throws(ColumnarError) -> RecordBatch? {
        guard schema.count > 0 else { return nil }
        spans.removeAll()
        let rows = try tokenizer.readRows(options.batchRowCount, expectedFields: schema.count, into: &spans)
        if rows == 0 { return nil }
        var columns: [Column] = []
        columns.reserveCapacity(schema.count)
        for (c, field) in schema.fields.enumerated() {
            columns.append(try buildColumn(c, field))
        }
        return try RecordBatch(schema: schema, columns: columns)
    }

    // MARK: - Inference

    private static func infer(column c: Int, of columnCount: Int, _ sample: CSVFieldSpans,
                              _ tokenizer: CSVTokenizer, _ nullTokens: [[UInt8]]) -> DataType {
        var canBool = true, canInt = true, canFloat = true, canDate = true, canTimestamp = true
        var anyZone = false, sawValue = false
        // SAFETY: sampled spans were recorded by the tokenizer inside the input bytes.
        tokenizer.bytes.withUnsafeBytes { raw in
            for r in 0..<sample.rowCount {
                let f = r * columnCount + c
                let text = UnsafeRawBufferPointer(rebasing: raw[sample.starts[f]..<sample.ends[f]])
                if nullTokens.contains(where: { $0.elementsEqual(text) }) { continue }
                sawValue = true
                if canBool && TextParse.bool(text) == nil { canBool = false }
                if canInt && TextParse.int64(text) == nil { canInt = false }
                if canFloat && TextParse.double(text) == nil { canFloat = false }
                if canDate && TextParse.date(text) == nil { canDate = false }
                if canTimestamp {
                    if let parsed = TextParse.timestamp(text) { anyZone = anyZone || parsed.hadZone } else { canTimestamp = false }
                }
                if !(canBool || canInt || canFloat || canDate || canTimestamp) { break }
            }
        }
        guard sawValue else { return .string }
        if canBool { return .boolean }
        if canInt { return .int64 }
        if canFloat { return .float64 }
        if canDate { return .date32 }
        if canTimestamp { return .timestamp(anyZone ? .utc : .ntz) }
        return .string
    }

    // MARK: - Conversion

    private func buildColumn(_ c: Int, _ field: Field) throws(ColumnarError) -> Column {
        switch field.type {
        case .string, .binary: return try buildBytes(c, field)
        case .boolean:
            var builder = BooleanColumnBuilder(capacity: spans.rowCount)
            try forEachValue(c, field) { text, _ in
                guard let text else { builder.appendNull(); return true }
                guard let b = TextParse.bool(text) else { return false }
                builder.append(b)
                return true
            }
            return try builder.finish()
        case .int8: return try buildFixed(c, field) { TextParse.int64($0).flatMap { Int8(exactly: $0) } }
        case .int16: return try buildFixed(c, field) { TextParse.int64($0).flatMap { Int16(exactly: $0) } }
        case .int32: return try buildFixed(c, field) { TextParse.int64($0).flatMap { Int32(exactly: $0) } }
        case .int64: return try buildFixed(c, field) { TextParse.int64($0) }
        case .uint8: return try buildFixed(c, field) { TextParse.uint64($0).flatMap { UInt8(exactly: $0) } }
        case .uint16: return try buildFixed(c, field) { TextParse.uint64($0).flatMap { UInt16(exactly: $0) } }
        case .uint32: return try buildFixed(c, field) { TextParse.uint64($0).flatMap { UInt32(exactly: $0) } }
        case .uint64: return try buildFixed(c, field) { TextParse.uint64($0) }
        case .float32: return try buildFixed(c, field) { TextParse.float($0) }
        case .float64: return try buildFixed(c, field) { TextParse.double($0) }
        case .date32: return try buildFixed(c, field) { TextParse.date($0) }
        case .timestamp: return try buildFixed(c, field) { TextParse.timestamp($0)?.micros }
        case let .decimal(precision, scale):
            return try buildFixed(c, field) { TextParse.decimal($0, precision: precision, scale: scale) }
        case .list, .structure, .map:
            throw .typeMismatch(expected: "a non-nested type", actual: "\(field.type)", context: "CSV column \(field.name)")
        }
    }

    private func buildFixed<T: ColumnPrimitive>(_ c: Int, _ field: Field,
                                                _ parse: (UnsafeRawBufferPointer) -> T?) throws(ColumnarError) -> Column {
        var builder = PrimitiveColumnBuilder<T>(capacity: spans.rowCount)
        try forEachValue(c, field) { text, _ in
            guard let text else { builder.appendNull(); return true }
            guard let v = parse(text) else { return false }
            builder.append(v)
            return true
        }
        return try builder.finish(field.type)
    }

    /// Calls `body` with each row's text (nil for null) of a non-string column; `body`
    /// returns false when the text does not parse, which becomes an error at its line.
    private func forEachValue(_ c: Int, _ field: Field,
                              _ body: (UnsafeRawBufferPointer?, Int) -> Bool) throws(ColumnarError) {
        let columnCount = schema.count
        let nullTokens = self.nullTokens
        var failedRow = -1
        tokenizer.bytes.withUnsafeBytes { raw in
            for r in 0..<spans.rowCount {
                let f = r * columnCount + c
                let ok: Bool
                if spans.kinds[f] == .escaped {
                    let unescaped = tokenizer.text(start: spans.starts[f], end: spans.ends[f], kind: .escaped)
                    ok = unescaped.withUnsafeBytes { text in
                        body(nullTokens.contains { $0.elementsEqual(text) } ? nil : text, r)
                    }
                } else {
                    // SAFETY: spans lie inside the input; the tokenizer recorded them from it.
                    let text = UnsafeRawBufferPointer(rebasing: raw[spans.starts[f]..<spans.ends[f]])
                    ok = body(nullTokens.contains { $0.elementsEqual(text) } ? nil : text, r)
                }
                if !ok { failedRow = r; return }
            }
        }
        if failedRow >= 0 {
            let f = failedRow * columnCount + c
            let text = String(decoding: tokenizer.text(start: spans.starts[f], end: spans.ends[f], kind: spans.kinds[f]), as: UTF8.self)
            throw .malformedInput(line: spans.rowLines[failedRow], column: field.name,
                                  message: "'\(text)' is not a valid \(field.type)")
        }
    }

    private func buildBytes(_ c: Int, _ field: Field) throws(ColumnarError) -> Column {
        let columnCount = schema.count
        var builder = BytesColumnBuilder(capacity: spans.rowCount)
        for r in 0..<spans.rowCount {
            let f = r * columnCount + c
            let start = spans.starts[f], end = spans.ends[f]
            switch spans.kinds[f] {
            case .plain:
                let slice = tokenizer.bytes[start..<end]
                if stringNullTokens.contains(where: { $0.elementsEqual(slice) }) {
                    try builder.appendNull()
                } else {
                    try builder.append(bytes: slice)
                }
            case .quoted:
                try builder.append(bytes: tokenizer.bytes[start..<end])
            case .escaped:
                try builder.append(bytes: tokenizer.text(start: start, end: end, kind: .escaped))
            }
        }
        return try builder.finish(field.type)
    }
}
