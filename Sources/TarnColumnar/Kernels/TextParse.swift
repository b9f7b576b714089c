// TextParse: parsing one text field (raw UTF-8 bytes) into a typed value, shared by
// string casts and the CSV reader so both accept exactly the same spellings. Must
// never allocate for integers or booleans, and never accept trailing garbage.
//
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
        guard bytes.count >= 10, bytes.count <= 16 else { return nil }
        return TemporalFormat.parseDate(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    static func timestamp(_ raw: UnsafeRawBufferPointer) -> (micros: Int64, hadZone: Bool)? {
        let bytes = trimmed(raw)
        guard bytes.count >= 10, bytes.count <= 64 else { return nil }
        return TemporalFormat.parseTimestamp(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    static func decimal(_ raw: UnsafeRawBufferPointer, precision: Int, scale: Int) -> Int128? {
        let bytes = trimmed(raw)
        guard !bytes.isEmpty, bytes.count <= 128 else { return nil }
        return DecimalFormat.parse(Substring(String(decoding: bytes, as: UTF8.self)), precision: precision, scale: scale)
    }
}
