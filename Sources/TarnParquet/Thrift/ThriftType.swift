// ThriftType: the value types of the Thrift compact protocol and their wire nibbles.
// Owns the mapping between field-header / element-type nibbles and types, and the
// smallest encoded size of each type (used to bound container counts before allocating).
// Must never read or write bytes itself.

/// A Thrift value type as it appears in compact-protocol field headers and
/// container headers. Booleans are one type here; the field-header nibble
/// (1 = true, 2 = false) carries the value and is resolved by the reader.
public enum ThriftType: UInt8, Sendable, CaseIterable {
    case bool = 1
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
    case uuid = 13

    /// The type for a field-header or element-type nibble; both 1 and 2 mean bool.
    @inline(__always)
    init?(nibble: UInt8) {
        switch nibble {
        case 1, 2: self = .bool
        case 3...13: self.init(rawValue: nibble)
        default: return nil
        }
    }

    /// The fewest bytes one value of this type can take inside a container.
    /// A count read from the wire times this must fit in the bytes that remain.
    @inline(__always)
    var minimumEncodedSize: Int {
        switch self {
        case .double: return 8
        case .uuid: return 16
        default: return 1
        }
    }
}
