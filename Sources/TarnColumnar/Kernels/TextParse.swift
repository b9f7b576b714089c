// TextParse: parsing one text field (raw UTF-8 bytes) into a typed value, shared by
// string casts and the CSV reader so both accept exactly the same spellings. Must
// never allocate for integers or booleans, and never accept trailing garbage.

// Accepted: booleans `true`/`false` in any case; integers with an optional sign;
// floats in Swift's decimal/exponent syntax plus `NaN`, `Inf`, `Infinity` (any case,
// optional sign); dates `YYYY-MM-DD`; timestamps as `TemporalFormat.parseTimestamp`;
// decimals as `DecimalFormat.parse`. Surrounding ASCII spaces are ignored.

enum TextParse {
    @inline(__always)
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for i in 0..<bytes.count where bytes[i] | 0x20 != expected[i] { return false }
        return true
    }

    static func bool(_ raw: UnsafeRawBufferPointer) -> Bool? {
        let bytes = trimmed(raw)
        if equalsIgnoringCase(bytes, "true") { return true }
        if equalsIgnoringCase(bytes, "false") { return false }
        return nil
    }

    /// A signed integer; nil on bad syntax or overflow of Int64.
    static func int64(_ raw: UnsafeRawBufferPointer) -> Int64? {
        let bytes = trimmed(raw)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B {
            negative = bytes[i] == 0x2D
            i += 1
        }
        guard i < bytes.count else { return nil }
        var magnitude: UInt64 = 0
        while i < bytes.count {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            magnitude = a
            i += 1
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// An unsigned integer; nil on bad syntax, a minus sign (except `-0`) or overflow.
    static func uint64(_ raw: UnsafeRawBufferPointer) -> UInt64? {
        let bytes = trimmed(raw)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B {
            negative = bytes[i] == 0x2D
            i += 1
        }
        guard i < bytes.count else { return nil }
        var magnitude: UInt64 = 0
        while i < bytes.count {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            magnitude = a
            i += 1
        }
        if negative && magnitude != 0 { return nil }
        return magnitude
    }

    static func double(_ raw: UnsafeRawBufferPointer) -> Double? {
        let bytes = trimmed(raw)
        guard !bytes.isEmpty, bytes.count <= 400 else { return nil }
        // Swift's parser also takes hexadecimal floats; text data means decimal only.
        for b in bytes where b == 0x78 || b == 0x58 { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    static func float(_ raw: UnsafeRawBufferPointer) -> Float? {
        let bytes = trimmed(raw)
        guard !bytes.isEmpty, bytes.count <= 400 else { return nil }
        for b in bytes where b == 0x78 || b == 0x58 { return nil }
        return Float(String(decoding: bytes, as: UTF8.self))
    }

    static func date(_ raw: UnsafeRawBufferPointer) -> Int32? {
        let bytes = trimmed(raw)
        if bytes.count == 10, let days = fastDate(bytes) { return Int32(exactly: days) }
        guard bytes.count >= 10, bytes.count <= 16 else { return nil }
        return TemporalFormat.parseDate(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    static func timestamp(_ raw: UnsafeRawBufferPointer) -> (micros: Int64, hadZone: Bool)? {
        let bytes = trimmed(raw)
        if let fast = fastTimestamp(bytes) { return fast }
        guard bytes.count >= 10, bytes.count <= 64 else { return nil }
        return TemporalFormat.parseTimestamp(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    // MARK: - Fast paths for the common ISO shapes
    // They return nil for anything unusual (or invalid); the callers then fall back to
    // `TemporalFormat`, which decides. So they only need to be right when they accept.

    @inline(__always)
    private static func digits(_ b: UnsafeRawBufferPointer, _ at: Int, _ n: Int) -> Int64? {
        guard at + n <= b.count else { return nil }
        var v: Int64 = 0
        for i in at..<(at + n) {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return v
    }

    /// `YYYY-MM-DD` at the start of `b` as days since the epoch.
    private static func fastDate(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D,
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              (1...12).contains(m), d >= 1, d <= Int64(TemporalFormat.daysInMonth(y, Int(m))) else { return nil }
        return TemporalFormat.days(year: y, month: Int(m), day: Int(d))
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS[.f…]]][Z|±HH:MM|±HHMM]`.
    private static func fastTimestamp(_ b: UnsafeRawBufferPointer) -> (micros: Int64, hadZone: Bool)? {
        guard let days = fastDate(b) else { return nil }
        var micros = days * 86_400_000_000
        if b.count == 10 { return (micros, false) }
        guard b.count >= 16, b[10] == 0x20 || b[10] == 0x54, b[13] == 0x3A,
              let hh = digits(b, 11, 2), let mm = digits(b, 14, 2), hh <= 23, mm <= 59 else { return nil }
        var seconds: Int64 = 0, fraction: Int64 = 0
        var pos = 16
        if pos < b.count, b[pos] == 0x3A {
            guard let ss = digits(b, 17, 2), ss <= 60 else { return nil }
            seconds = ss
            pos = 19
            if pos < b.count, b[pos] == 0x2E {
                pos += 1
                var n = 0
                while pos < b.count, b[pos] &- 0x30 < 10 {
                    if n < 6 { fraction = fraction * 10 + Int64(b[pos] &- 0x30) }
                    n += 1
                    pos += 1
                }
                guard n >= 1, n <= 9 else { return nil }
                for _ in n..<max(n, 6) { fraction *= 10 }
            }
        }
        micros += ((hh * 60 + mm) * 60 + seconds) * 1_000_000 + fraction
        if pos == b.count { return (micros, false) }
        if pos + 1 == b.count, b[pos] | 0x20 == 0x7A { return (micros, true) }
        guard b[pos] == 0x2B || b[pos] == 0x2D else { return nil }
        let sign: Int64 = b[pos] == 0x2D ? -1 : 1
        let zh: Int64, zm: Int64
        if b.count - pos == 6, b[pos + 3] == 0x3A, let h = digits(b, pos + 1, 2), let m = digits(b, pos + 4, 2) {
            zh = h; zm = m
        } else if b.count - pos == 5, let h = digits(b, pos + 1, 2), let m = digits(b, pos + 3, 2) {
            zh = h; zm = m
        } else {
            return nil
        }
        return (micros - sign * (zh * 3600 + zm * 60) * 1_000_000, true)
    }

    static func decimal(_ raw: UnsafeRawBufferPointer, precision: Int, scale: Int) -> Int128? {
        let bytes = trimmed(raw)
        guard !bytes.isEmpty, bytes.count <= 128 else { return nil }
        return DecimalFormat.parse(Substring(String(decoding: bytes, as: UTF8.self)), precision: precision, scale: scale)
    }
}
