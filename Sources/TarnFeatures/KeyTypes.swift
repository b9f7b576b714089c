// Which column types may serve as primary keys and timestamp keys, and when a spine
// column may be compared with a feature table's key column (same type family).
// Must never allow float or nested keys: equality on them is not a stable identity.
import TarnColumnar

enum KeyTypeFamily: Hashable {
    case integer, boolean, string, binary, date, timestamp
    case decimal(scale: Int)

    init?(_ type: DataType) {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: self = .integer
        case .boolean: self = .boolean
        case .string: self = .string
        case .binary: self = .binary
        case .date32: self = .date
        case .timestamp: self = .timestamp
        case let .decimal(_, scale): self = .decimal(scale: scale)
        default: return nil
        }
    }
}

/// How a timestamp key's values are ordered: temporal (dates and timestamps, compared
/// in microseconds since the epoch) or plain integers (compared as they are).
enum TimeAxis: Hashable {
    case temporal
    case integer

    init?(_ type: DataType) {
        switch type {
        case .date32, .timestamp: self = .temporal
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32: self = .integer
        default: return nil
        }
    }
}

enum KeyTypes {
    static let allowedKeyTypes = "integers, boolean, string, binary, date, timestamp or decimal"
    static let allowedTimestampTypes = "timestamp, timestamp_ntz, date or an integer type"

    /// Time values of a timestamp-like column as Int64 (µs for dates and timestamps),
    /// plus its validity. One pass, no boxing.
    static func timeValues(_ column: Column) -> (values: [Int64], validity: Bitmap?)? {
        let microsPerDay: Int64 = 86_400_000_000
        switch (column.type, column.storage) {
        case let (.date32, .int32(days)):
            return (days.map { Int64($0) &* microsPerDay }, column.validity)
        case let (.timestamp, .int64(micros)):
            return (micros, column.validity)
        case let (_, .int64(v)): return (v, column.validity)
        case let (_, .int32(v)): return (v.map { Int64($0) }, column.validity)
        case let (_, .int16(v)): return (v.map { Int64($0) }, column.validity)
        case let (_, .int8(v)): return (v.map { Int64($0) }, column.validity)
        case let (_, .uint32(v)): return (v.map { Int64($0) }, column.validity)
        case let (_, .uint16(v)): return (v.map { Int64($0) }, column.validity)
        case let (_, .uint8(v)): return (v.map { Int64($0) }, column.validity)
        default: return nil
        }
    }

    /// A time value (as produced by `timeValues`) as a scalar of `type`, rounded toward
    /// `roundUp` for dates (so a bound stays a bound).
    static func scalar(time: Int64, type: DataType, roundUp: Bool) -> ScalarValue {
        let microsPerDay: Int64 = 86_400_000_000
        switch type {
        case .date32:
            var days = time / microsPerDay
            let remainder = time % microsPerDay
            if remainder != 0 {
                if roundUp && time > 0 { days += 1 }
                if !roundUp && time < 0 { days -= 1 }
            }
            return .date(Int32(clamping: days))
        case let .timestamp(zone): return .timestamp(time, zone)
        default: return .int(time)
        }
    }
}
