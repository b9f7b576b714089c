// ScalarValue: one value outside a column — for literals, statistics, predicates,
// tests and row-at-a-time output. Owns conversion between a value and a column slot;
// must never be used to hold a column's data on a hot path (columns keep typed buffers).

public enum ScalarValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case boolean(Bool)
    /// Any signed integer type (int8...int64).
    case int(Int64)
    /// Any unsigned integer type (uint8...uint64).
    case uint(UInt64)
    /// float32 or float64.
    case float(Double)
    case string(String)
    case binary([UInt8])
    /// Days since the epoch.
    case date(Int32)
    /// Microseconds since the epoch.
    case timestamp(Int64, TimestampZone)
    /// Unscaled value with its scale (value = unscaled / 10^scale).
    case decimal(Int128, scale: Int)
    case list([ScalarValue])
    case structure([ScalarValue])
    /// Map entries in order.
    case map([MapEntry])

    public struct MapEntry: Sendable, Hashable {
        public var key: ScalarValue
        public var value: ScalarValue
        public init(_ key: ScalarValue, _ value: ScalarValue) {
            self.key = key
            self.value = value
        }
    }

    public var isNull: Bool { self == .null }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .boolean(b): return b ? "true" : "false"
        case let .int(v): return String(v)
        case let .uint(v): return String(v)
        case let .float(v): return String(v)
        case let .string(s): return s
        case let .binary(b): return "0x" + b.map { String($0, radix: 16).leftPad(2) }.joined()
        case let .date(d): return TemporalFormat.date(d)
        case let .timestamp(t, zone): return TemporalFormat.timestamp(t, zone: zone)
        case let .decimal(v, scale): return DecimalFormat.string(v, scale: scale)
        case let .list(values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case let .structure(values): return "{" + values.map(\.description).joined(separator: ", ") + "}"
        case let .map(entries): return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension String {
    func leftPad(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Formatting and parsing of dates and timestamps (proleptic Gregorian, UTC arithmetic).
public enum TemporalFormat {
    /// Civil date (year, month, day) of a day number since 1970-01-01.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        // Howard Hinnant's days_from_civil inverse (public-domain algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, Int(m), Int(d))
    }

    /// Day number since 1970-01-01 of a civil date.
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func date(_ days: Int32) -> String {
        let (y, m, d) = civil(fromDays: Int64(days))
        return yearString(y) + "-" + String(m).leftPad(2) + "-" + String(d).leftPad(2)
    }

    private static func yearString(_ y: Int64) -> String {
        y < 0 ? "-" + String(-y).leftPad(4) : String(y).leftPad(4)
    }

    /// ISO-8601 with microseconds: `2026-11-29T10:00:00.000000Z` (UTC) or without `Z` (NTZ).
    public static func timestamp(_ micros: Int64, zone: TimestampZone) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rem = micros % perDay
        if rem < 0 {
            rem += perDay
            days -= 1
        }
        let seconds = rem / 1_000_000
        let fraction = rem % 1_000_000
        let (y, m, d) = civil(fromDays: days)
        let hh = seconds / 3600, mm = (seconds / 60) % 60, ss = seconds % 60
        return yearString(y) + "-" + String(m).leftPad(2) + "-" + String(d).leftPad(2)
            + "T" + String(hh).leftPad(2) + ":" + String(mm).leftPad(2) + ":" + String(ss).leftPad(2)
            + "." + String(fraction).leftPad(6) + (zone == .utc ? "Z" : "")
    }

    /// Parses `YYYY-MM-DD`.
    public static func parseDate(_ text: Substring) -> Int32? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int64(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[1].count == 2, parts[2].count == 2,
              (1...12).contains(m), (1...daysInMonth(y, m)).contains(d) else { return nil }
        let days = TemporalFormat.days(year: y, month: m, day: d)
        guard let v = Int32(exactly: days) else { return nil }
        return v
    }

    static func daysInMonth(_ y: Int64, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|±HH:MM]` into microseconds since
    /// the epoch. An offset converts to UTC; `hadZone` reports whether one was present.
    public static func parseTimestamp(_ text: Substring) -> (micros: Int64, hadZone: Bool)? {
        var s = text
        guard s.count >= 10, let days = parseDate(s.prefix(10)) else { return nil }
        s = s.dropFirst(10)
        var micros = Int64(days) * 86_400_000_000
        if s.isEmpty { return (micros, false) }
        guard let sep = s.first, sep == " " || sep == "T" else { return nil }
        s = s.dropFirst()
        // Split zone suffix.
        var offsetMicros: Int64 = 0
        var hadZone = false
        if s.hasSuffix("Z") || s.hasSuffix("z") {
            hadZone = true
            s = s.dropLast()
        } else if let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = s[s.index(after: signIndex)...]
            let zparts = zone.split(separator: ":")
            guard (zparts.count == 2 || (zparts.count == 1 && zone.count == 4)) else { return nil }
            let hh: Int64?, mm: Int64?
            if zparts.count == 2 { hh = Int64(zparts[0]); mm = Int64(zparts[1]) } else { hh = Int64(zone.prefix(2)); mm = Int64(zone.suffix(2)) }
            guard let h = hh, let mi = mm else { return nil }
            let sign: Int64 = s[signIndex] == "-" ? -1 : 1
            offsetMicros = sign * (h * 3600 + mi * 60) * 1_000_000
            hadZone = true
            s = s[..<signIndex]
        }
        let timeParts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard timeParts.count == 2 || timeParts.count == 3,
              let h = Int64(timeParts[0]), let mi = Int64(timeParts[1]),
              (0...23).contains(h), (0...59).contains(mi) else { return nil }
        var secs: Int64 = 0
        var frac: Int64 = 0
        if timeParts.count == 3 {
            let secParts = timeParts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard let sec = Int64(secParts[0]), (0...60).contains(sec), secParts.count <= 2 else { return nil }
            secs = sec
            if secParts.count == 2 {
                let digits = secParts[1]
                guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), let f = Int64(digits) else { return nil }
                // Scale to microseconds (truncating nanoseconds).
                var value = f
                var n = digits.count
                while n < 6 { value *= 10; n += 1 }
                while n > 6 { value /= 10; n -= 1 }
                frac = value
            }
        }
        micros += ((h * 60 + mi) * 60 + secs) * 1_000_000 + frac
        return (micros - offsetMicros, hadZone)
    }
}

/// Decimal text conversion of unscaled Int128 values.
public enum DecimalFormat {
    public static func string(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        let magnitude = unscaled.magnitude
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            let point = digits.index(digits.endIndex, offsetBy: -scale)
            digits = digits[..<point] + "." + digits[point...]
        }
        return negative ? "-" + digits : digits
    }

    /// Parses decimal text into an unscaled value at `scale`; nil if it has more
    /// fractional digits than the scale or overflows `precision` digits.
    public static func parse(_ text: Substring, precision: Int, scale: Int) -> Int128? {
        var s = text
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !s.isEmpty else { return nil }
        let intPart = parts[0]
        var fracPart = parts.count == 2 ? parts[1] : ""
        guard intPart.allSatisfy({ $0.isASCII && $0.isNumber }), fracPart.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // Drop trailing zeros beyond the scale; anything else beyond the scale is lossy.
        while fracPart.count > scale, fracPart.last == "0" { fracPart = fracPart.dropLast() }
        guard fracPart.count <= scale else { return nil }
        let all = String(intPart) + String(fracPart) + String(repeating: "0", count: scale - fracPart.count)
        let trimmed = all.drop { $0 == "0" }
        guard trimmed.count <= precision else { return nil }
        var value: Int128 = 0
        for ch in trimmed {
            guard let d = ch.wholeNumberValue else { return nil }
            value = value * 10 + Int128(d)
        }
        return negative ? -value : value
    }
}
