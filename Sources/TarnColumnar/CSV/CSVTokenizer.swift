// CSVTokenizer: splits CSV bytes into rows of field spans with a byte state machine
// (RFC 4180: quoted fields may hold delimiters, newlines and doubled quotes; CRLF or
// LF line ends). Owns line counting for error messages; must never copy field bytes
// (it records spans) and never read past the end of the input.

/// How a field was written.
enum CSVFieldKind: UInt8 {
    /// Unquoted: the span is the field's text.
    case plain = 0
    /// Quoted without doubled quotes: the span (inside the quotes) is the text.
    case quoted = 1
    /// Quoted with doubled quotes: the span needs `""` → `"` unescaping.
    case escaped = 2
}

/// Field spans of a run of rows, each row exactly `columnCount` fields (row-major).
struct CSVFieldSpans {
    var starts: [Int] = []
    var ends: [Int] = []
    var kinds: [CSVFieldKind] = []
    /// 1-based line on which each row starts.
    var rowLines: [Int] = []

    var rowCount: Int { rowLines.count }

    mutating func removeAll() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        kinds.removeAll(keepingCapacity: true)
        rowLines.removeAll(keepingCapacity: true)
    }
}

struct CSVTokenizer {
    let bytes: [UInt8]
    let delimiter: UInt8
    let quote: UInt8 = 0x22
    private(set) var position: Int
    private(set) var line = 1

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        // Skip a UTF-8 byte order mark.
        position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    var atEnd: Bool { position >= bytes.count }

    /// Reads up to `maxRows` rows into `spans`. With `expectedFields` set, a row with a
    /// different number of fields is an error naming its line. Returns rows read.
    mutating func readRows(_ maxRows: Int, expectedFields: Int?, into spans: inout CSVFieldSpans) throws(ColumnarError) -> Int {
        var rows = 0
        var failure: ColumnarError? = nil
        let delimiter = self.delimiter, quote = self.quote
        var pos = position, line = self.line
        bytes.withUnsafeBufferPointer { input in
            let n = input.count
            rowLoop: while rows < maxRows && pos < n {
                // Blank lines (LF or CRLF or lone CR) are skipped.
                if input[pos] == 0x0A { pos += 1; line += 1; continue }
                if input[pos] == 0x0D {
                    pos += (pos + 1 < n && input[pos + 1] == 0x0A) ? 2 : 1
                    line += 1
                    continue
                }
                let rowLine = line
                var fields = 0
                fieldLoop: while true {
                    fields += 1
                    if pos < n && input[pos] == quote {
                        let openLine = line
                        pos += 1
                        let start = pos
                        var kind = CSVFieldKind.quoted
                        var closed = false
                        // SAFETY: every read below is guarded by `pos < n` or `pos + 1 < n`.
                        while pos < n {
                            let b = input[pos]
                            if b == quote {
                                if pos + 1 < n && input[pos + 1] == quote {
                                    kind = .escaped
                                    pos += 2
                                    continue
                                }
                                closed = true
                                break
                            }
                            if b == 0x0A { line += 1 } else if b == 0x0D && !(pos + 1 < n && input[pos + 1] == 0x0A) { line += 1 }
                            pos += 1
                        }
                        guard closed else {
                            failure = .malformedInput(line: openLine, column: nil, message: "unterminated quoted field (opened in field \(fields))")
                            break rowLoop
                        }
                        spans.starts.append(start)
                        spans.ends.append(pos)
                        spans.kinds.append(kind)
                        pos += 1  // closing quote
                        if pos < n {
                            let b = input[pos]
                            if b != delimiter && b != 0x0A && b != 0x0D {
                                failure = .malformedInput(line: line, column: nil,
                                                          message: "unexpected character after the closing quote of field \(fields)")
                                break rowLoop
                            }
                        }
                    } else {
                        let start = pos
                        while pos < n {
                            let b = input[pos]
                            if b == delimiter || b == 0x0A || b == 0x0D { break }
                            pos += 1
                        }
                        spans.starts.append(start)
                        spans.ends.append(pos)
                        spans.kinds.append(.plain)
                    }
                    // After a field: delimiter, line end or end of input.
                    if pos >= n { break fieldLoop }
                    let b = input[pos]
                    if b == delimiter { pos += 1; continue fieldLoop }
                    if b == 0x0D { pos += (pos + 1 < n && input[pos + 1] == 0x0A) ? 2 : 1 } else { pos += 1 }
                    line += 1
                    break fieldLoop
                }
                if let expected = expectedFields, fields != expected {
                    let what = fields > expected ? "too many fields" : "too few fields"
                    failure = .malformedInput(line: rowLine, column: nil, message: "\(what): \(fields), expected \(expected)")
                    break rowLoop
                }
                spans.rowLines.append(rowLine)
                rows += 1
            }
        }
        position = pos
        self.line = line
        if let failure { throw failure }
        return rows
    }

    /// The text of a field, with doubled quotes unescaped.
    func text(start: Int, end: Int, kind: CSVFieldKind) -> [UInt8] {
        guard kind == .escaped else { return Array(bytes[start..<end]) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            out.append(bytes[i])
            i += (bytes[i] == quote && i + 1 < end && bytes[i + 1] == quote) ? 2 : 1
        }
        return out
    }
}
