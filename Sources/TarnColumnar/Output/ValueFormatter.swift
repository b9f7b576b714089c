// ValueFormatter: the one place that turns column slots into text, shared by the CSV,
// JSON-lines and pretty-table writers and by casts to string. Must never allocate a
// ScalarValue per row: it formats a column at a time (or builds one appender per
// column) straight from the typed buffers.

// Rules (both styles unless noted):
// - booleans `true`/`false`; integers in decimal; decimals exactly at their scale
//   (`123.45`, written as a bare JSON number);
// - floats with the shortest text that round-trips (float32 at float32 precision);
//   NaN and infinities as `NaN`, `Infinity`, `-Infinity` (JSON: as strings, since JSON
//   has no such numbers);
// - dates `YYYY-MM-DD`; timestamps ISO-8601 with microseconds, `Z` for UTC, none for
//   NTZ (JSON: strings); binary as standard base64 (JSON: string);
// - strings raw in text, JSON-escaped in JSON (`"` `\` as `\"` `\\`; `\n` `\r` `\t`
//   short forms; other control characters and DEL as `\u00XX`; other UTF-8 unchanged);
// - lists as arrays, structs as objects, maps as objects when keys are strings, else
//   as arrays of `{"key":…,"value":…}` — in text style too, as compact JSON;
// - null: JSON `null`; in text style the caller decides (CSV empty, table `NULL`).

/// Formatting style of a slot.
public enum ValueStyle: Sendable {
    /// Plain text for CSV cells, table cells and casts to string.
    case text
    /// A JSON value.
    case json
}

/// The formatted text of every row of a column: row i is `bytes[offsets[i]..<offsets[i+1]]`.
public struct FormattedCells: Sendable {
    public let offsets: [Int]
    public let bytes: [UInt8]

    public var count: Int { offsets.count - 1 }

    public subscript(row: Int) -> ArraySlice<UInt8> {
        bytes[offsets[row]..<offsets[row + 1]]
    }
}

/// Appends the text of one row of a column to a byte buffer.
public typealias ValueAppender = (_ row: Int, _ out: inout [UInt8]) -> Void

public enum ValueFormatter {
    /// An appender for `column` in `style`. Null rows: in JSON style they write `null`;
    /// in text style they write nothing (check `column.isNull(row)` to write a token).
    public static func appender(for column: Column, style: ValueStyle) -> ValueAppender {
        let inner = valueAppender(for: column, style: style)
        guard let validity = column.validity else { return inner }
        let json = style == .json
        return { row, out in
            if validity[row] { inner(row, &out) } else if json { out.append(contentsOf: nullBytes) }
        }
    }

    /// The text of one row (convenience; not for bulk output).
    public static func string(_ column: Column, row: Int, style: ValueStyle = .text) -> String {
        var out: [UInt8] = []
        appender(for: column, style: style)(row, &out)
        return String(decoding: out, as: UTF8.self)
    }

    static let nullBytes: [UInt8] = Array("null".utf8)

    /// Every row of `column` formatted into one buffer, column at a time (the fast path
    /// of the writers). Null rows are empty in text style and `null` in JSON style.
    public static func format(_ column: Column, style: ValueStyle) -> FormattedCells {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(column.count * 8)
        var offsets: [Int] = [0]
        offsets.reserveCapacity(column.count + 1)
        format(column, style: style, bytes: &bytes, offsets: &offsets)
        return FormattedCells(offsets: offsets, bytes: bytes)
    }

    /// Appends every row's text to `bytes` and each row's end offset to `offsets`
    /// (several columns can share one buffer; the caller seeds `offsets`).
    static func format(_ column: Column, style: ValueStyle, bytes: inout [UInt8], offsets: inout [Int]) {
        let n = column.count
        let json = style == .json
        let validity = column.validity
        @inline(__always)
        func each(_ body: (Int, inout [UInt8]) -> Void) {
            for i in 0..<n {
                if let validity, !validity[i] {
                    if json { bytes.append(contentsOf: nullBytes) }
                } else {
                    body(i, &bytes)
                }
                offsets.append(bytes.count)
            }
        }
        switch (column.type, column.storage) {
        case let (_, .int8(v)): each { i, out in appendInteger(Int64(v[i]), &out) }
        case let (_, .int16(v)): each { i, out in appendInteger(Int64(v[i]), &out) }
        case let (.int32, .int32(v)): each { i, out in appendInteger(Int64(v[i]), &out) }
        case let (.int64, .int64(v)): each { i, out in appendInteger(v[i], &out) }
        case let (_, .uint8(v)): each { i, out in appendUnsigned(UInt64(v[i]), &out) }
        case let (_, .uint16(v)): each { i, out in appendUnsigned(UInt64(v[i]), &out) }
        case let (_, .uint32(v)): each { i, out in appendUnsigned(UInt64(v[i]), &out) }
        case let (_, .uint64(v)): each { i, out in appendUnsigned(v[i], &out) }
        case let (_, .float32(v)): each { i, out in appendFloat(v[i], json: json, &out) }
        case let (_, .float64(v)): each { i, out in appendFloat(v[i], json: json, &out) }
        case let (.date32, .int32(v)):
            each { i, out in
                if json { out.append(0x22) }
                appendDate(Int64(v[i]), &out)
                if json { out.append(0x22) }
            }
        case let (.timestamp(zone), .int64(v)):
            each { i, out in
                if json { out.append(0x22) }
                appendTimestamp(v[i], zone: zone, &out)
                if json { out.append(0x22) }
            }
        case let (.string, .bytes(o, data)):
            each { i, out in
                if json { appendJSONString(data[Int(o[i])..<Int(o[i + 1])], &out) } else { out.append(contentsOf: data[Int(o[i])..<Int(o[i + 1])]) }
            }
        default:
            let append = valueAppender(for: column, style: style)
            each { i, out in append(i, &out) }
        }
    }

    /// Rows of several columns formatted into one buffer: cell (c, row) is
    /// `bytes[offsets[c * (rows + 1) + row] ..< offsets[c * (rows + 1) + row + 1]]`, and
    /// `isNull[c * rows + row]` says whether it was null.
    static func formatTable(_ columns: [Column], rows: Int, style: ValueStyle) -> (bytes: [UInt8], offsets: [Int], isNull: [Bool]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows * columns.count * 8)
        var offsets: [Int] = []
        offsets.reserveCapacity((rows + 1) * columns.count)
        var isNull = [Bool](repeating: false, count: rows * columns.count)
        for (c, column) in columns.enumerated() {
            offsets.append(bytes.count)
            format(column, style: style, bytes: &bytes, offsets: &offsets)
            if let validity = column.validity {
                for row in 0..<rows where !validity[row] { isNull[c * rows + row] = true }
            }
        }
        return (bytes, offsets, isNull)
    }

    private static func valueAppender(for column: Column, style: ValueStyle) -> ValueAppender {
        let json = style == .json
        switch (column.type, column.storage) {
        case let (_, .boolean(bits)):
            return { row, out in appendASCII(bits[row] ? "true" : "false", &out) }
        case let (_, .int8(v)): return { row, out in appendInteger(Int64(v[row]), &out) }
        case let (_, .int16(v)): return { row, out in appendInteger(Int64(v[row]), &out) }
        case let (.date32, .int32(v)):
            return { row, out in
                if json { out.append(0x22) }
                appendDate(Int64(v[row]), &out)
                if json { out.append(0x22) }
            }
        case let (_, .int32(v)): return { row, out in appendInteger(Int64(v[row]), &out) }
        case let (.timestamp(zone), .int64(v)):
            return { row, out in
                if json { out.append(0x22) }
                appendTimestamp(v[row], zone: zone, &out)
                if json { out.append(0x22) }
            }
        case let (_, .int64(v)): return { row, out in appendInteger(v[row], &out) }
        case let (_, .uint8(v)): return { row, out in appendUnsigned(UInt64(v[row]), &out) }
        case let (_, .uint16(v)): return { row, out in appendUnsigned(UInt64(v[row]), &out) }
        case let (_, .uint32(v)): return { row, out in appendUnsigned(UInt64(v[row]), &out) }
        case let (_, .uint64(v)): return { row, out in appendUnsigned(v[row], &out) }
        case let (_, .float32(v)): return { row, out in appendFloat(v[row], json: json, &out) }
        case let (_, .float64(v)): return { row, out in appendFloat(v[row], json: json, &out) }
        case let (.decimal(_, scale), .int128(v)):
            return { row, out in appendASCII(DecimalFormat.string(v[row], scale: scale), &out) }
        case let (_, .int128(v)):
            return { row, out in appendASCII(String(v[row]), &out) }
        case let (.string, .bytes(offsets, data)):
            return { row, out in
                let range = Int(offsets[row])..<Int(offsets[row + 1])
                if json { appendJSONString(data[range], &out) } else { out.append(contentsOf: data[range]) }
            }
        case let (_, .bytes(offsets, data)):
            return { row, out in
                if json { out.append(0x22) }
                appendBase64(data[Int(offsets[row])..<Int(offsets[row + 1])], &out)
                if json { out.append(0x22) }
            }
        case let (_, .list(offsets, values)):
            let item = appender(for: values, style: .json)
            return { row, out in
                out.append(0x5B)
                for i in Int(offsets[row])..<Int(offsets[row + 1]) {
                    if i > Int(offsets[row]) { out.append(0x2C) }
                    item(i, &out)
                }
                out.append(0x5D)
            }
        case let (.structure(fields), .structure(children)):
            let names = fields.map { field -> [UInt8] in
                var quoted: [UInt8] = []
                appendJSONString(Array(field.name.utf8)[...], &quoted)
                quoted.append(0x3A)
                return quoted
            }
            let items = children.map { appender(for: $0, style: .json) }
            return { row, out in
                out.append(0x7B)
                for f in 0..<items.count {
                    if f > 0 { out.append(0x2C) }
                    out.append(contentsOf: names[f])
                    items[f](row, &out)
                }
                out.append(0x7D)
            }
        case let (_, .map(offsets, keys, values)):
            let value = appender(for: values, style: .json)
            if keys.type == .string {
                let key = appender(for: keys, style: .json)
                return { row, out in
                    out.append(0x7B)
                    for i in Int(offsets[row])..<Int(offsets[row + 1]) {
                        if i > Int(offsets[row]) { out.append(0x2C) }
                        key(i, &out)
                        out.append(0x3A)
                        value(i, &out)
                    }
                    out.append(0x7D)
                }
            }
            let key = appender(for: keys, style: .json)
            return { row, out in
                out.append(0x5B)
                for i in Int(offsets[row])..<Int(offsets[row + 1]) {
                    if i > Int(offsets[row]) { out.append(0x2C) }
                    appendASCII("{\"key\":", &out)
                    key(i, &out)
                    appendASCII(",\"value\":", &out)
                    value(i, &out)
                    out.append(0x7D)
                }
                out.append(0x5D)
            }
        case (_, .structure):
            return { _, out in appendASCII("{}", &out) }
        }
    }

    // MARK: - Primitive text

    @inline(__always)
    static func appendASCII(_ s: String, _ out: inout [UInt8]) {
        out.append(contentsOf: s.utf8)
    }

    static func appendUnsigned(_ value: UInt64, _ out: inout [UInt8]) {
        if value < 10 {
            out.append(0x30 &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, 20 needed
        var n = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            // SAFETY: a UInt64 has at most 20 decimal digits and the scratch holds 24 bytes.
            while v > 0 {
                scratch[23 - n] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
                n += 1
            }
            out.append(contentsOf: scratch[(24 - n)...])
        }
    }

    static func appendInteger(_ value: Int64, _ out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        appendUnsigned(value.magnitude, &out)
    }

    @inline(__always)
    static func appendPadded(_ value: Int64, width: Int, _ out: inout [UInt8]) {
        var digits = 1
        var limit: Int64 = 10
        while value >= limit && digits < 18 { digits += 1; limit *= 10 }
        for _ in digits..<max(width, digits) { out.append(0x30) }
        appendUnsigned(UInt64(value), &out)
    }

    static func appendFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T, json: Bool, _ out: inout [UInt8]) {
        if value.isNaN { appendASCII(json ? "\"NaN\"" : "NaN", &out); return }
        if value.isInfinite {
            appendASCII(value < 0 ? (json ? "\"-Infinity\"" : "-Infinity") : (json ? "\"Infinity\"" : "Infinity"), &out)
            return
        }
        appendASCII(value.description, &out)
    }

    @inline(__always)
    static func appendTwoDigits(_ value: Int, _ out: inout [UInt8]) {
        out.append(0x30 &+ UInt8(truncatingIfNeeded: value / 10))
        out.append(0x30 &+ UInt8(truncatingIfNeeded: value % 10))
    }

    /// `YYYY-MM-DD` (years before 1 with a minus sign, at least four digits).
    static func appendDate(_ days: Int64, _ out: inout [UInt8]) {
        let (y, m, d) = TemporalFormat.civil(fromDays: days)
        if (0...9999).contains(y) {
            appendTwoDigits(Int(y / 100), &out)
            appendTwoDigits(Int(y % 100), &out)
        } else {
            if y < 0 { out.append(0x2D) }
            appendPadded(Int64(y.magnitude), width: 4, &out)
        }
        out.append(0x2D)
        appendTwoDigits(m, &out)
        out.append(0x2D)
        appendTwoDigits(d, &out)
    }

    /// ISO-8601 with microseconds, floor-dividing so instants before 1970 are exact.
    static func appendTimestamp(_ micros: Int64, zone: TimestampZone, _ out: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rem = micros % perDay
        if rem < 0 {
            rem += perDay
            days -= 1
        }
        appendDate(days, &out)
        let seconds = Int(rem / 1_000_000)
        let fraction = Int(rem % 1_000_000)
        out.append(0x54)
        appendTwoDigits(seconds / 3600, &out)
        out.append(0x3A)
        appendTwoDigits((seconds / 60) % 60, &out)
        out.append(0x3A)
        appendTwoDigits(seconds % 60, &out)
        out.append(0x2E)
        appendTwoDigits(fraction / 10_000, &out)
        appendTwoDigits((fraction / 100) % 100, &out)
        appendTwoDigits(fraction % 100, &out)
        if zone == .utc { out.append(0x5A) }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal of UTF-8 bytes; invalid UTF-8 becomes U+FFFD so the output
    /// is always valid JSON.
    static func appendJSONString(_ bytes: ArraySlice<UInt8>, _ out: inout [UInt8]) {
        out.append(0x22)
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let byte = bytes[i]
            if byte >= 0x80 {
                let length = validUTF8Length(bytes, at: i)
                if length == 0 {
                    out.append(0xEF); out.append(0xBF); out.append(0xBD)
                    i += 1
                } else {
                    out.append(contentsOf: bytes[i..<(i + length)])
                    i += length
                }
                continue
            }
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0..<0x20, 0x7F:
                appendASCII("\\u00", &out)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
            i += 1
        }
        out.append(0x22)
    }

    /// Length of the well-formed UTF-8 sequence starting at `i` (a byte >= 0x80), or 0.
    private static func validUTF8Length(_ bytes: ArraySlice<UInt8>, at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard i + length <= bytes.endIndex else { return 0 }
        let second = bytes[i + 1]
        guard second >= low && second <= high else { return 0 }
        for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return 0 }
        return length
    }

    private static let base64Alphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with `=` padding.
    static func appendBase64(_ bytes: ArraySlice<UInt8>, _ out: inout [UInt8]) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while end - i >= 3 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)])
            out.append(base64Alphabet[Int(n & 63)])
            i += 3
        }
        let rest = end - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(0x3D); out.append(0x3D)
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(base64Alphabet[Int(n >> 18 & 63)])
            out.append(base64Alphabet[Int(n >> 12 & 63)])
            out.append(base64Alphabet[Int(n >> 6 & 63)])
            out.append(0x3D)
        }
    }
}
