// ValueSet: the values an `x IN (SELECT …)` subquery returned, hashed once so that each
// probe row costs one hash lookup however many values there are. Owns membership with
// SQL NULL semantics; must never allocate per probed row or compare row by row.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TarnColumnar

/// An immutable hashed set of values of one type, with whether the source had a NULL.
/// Identity is the object: one subquery result is one set (equality and hashing use it).
public final class ValueSet: Sendable, Hashable, CustomStringConvertible {
    /// The non-NULL values (duplicates allowed), in the order given.
    public let values: Column
    /// Whether the source had a NULL: then a non-member's `IN` is NULL, not FALSE.
    public let containsNull: Bool
    /// How the set prints in SQL: the subquery it came from, without parentheses.
    public let text: String
    private let index: Index

    public var type: DataType { values.type }
    /// Number of non-NULL values (duplicates counted).
    public var count: Int { values.count }

    /// Hashes the non-NULL values of `column`; its NULLs set `containsNull`.
    /// - Throws: `.unsupported` for nested types (lists, structs, maps).
    public init(_ column: Column, containsNull: Bool = false, text: String) throws(ExpressionError) {
        var values = column
        var hasNull = containsNull
        if column.nullCount > 0 {
            hasNull = true
            do { values = try column.filter(column.isNotNull()) } catch { throw .evaluation(error, "IN (subquery) values") }
        }
        self.values = values
        self.containsNull = hasNull
        self.text = text
        guard let index = Index(values) else {
            throw ExpressionError(.unsupported, "IN (SELECT …) over \(column.type.sqlName) values is not supported; compare a scalar column")
        }
        self.index = index
    }

    /// The same set with its values cast to `type` (a binder aligning it with the probe side).
    public func casting(to type: DataType) throws(ExpressionError) -> ValueSet {
        if type == self.type { return self }
        let cast: Column
        do { cast = try values.cast(to: type) } catch { throw .evaluation(error, "IN (subquery) values as \(type.sqlName)") }
        return try ValueSet(cast, containsNull: containsNull, text: text)
    }

    /// Bytes the set holds (values plus hash table), for memory accounting.
    public var estimatedBytes: Int { index.estimatedBytes + count * 8 }

    public var description: String { text }

    public static func == (lhs: ValueSet, rhs: ValueSet) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// `probe IN set` for every row, three-valued: TRUE for members; FALSE for other
    /// non-NULL rows unless the set has a NULL (then NULL); NULL rows are NULL — except
    /// that everything is FALSE against an empty set, NULL rows included.
    func contains(_ probe: Column) throws(ExpressionError) -> Column {
        let n = probe.count
        if count == 0 && !containsNull {
            return try Truth(isTrue: Bitmap(repeating: false, count: n), isFalse: Bitmap(repeating: true, count: n)).column()
        }
        guard probe.type == type else {
            throw ExpressionError(.evaluation, "internal: IN (subquery) probes \(probe.type.sqlName) against \(type.sqlName) values")
        }
        let members = index.members(probe)
        let valid = probe.isNotNull()
        let isTrue = members & valid
        let isFalse = containsNull ? Bitmap(repeating: false, count: n) : (~members) & valid
        return try Truth(isTrue: isTrue, isFalse: isFalse).column()
    }

    /// The hash table, by storage.
    private enum Index: Sendable {
        case boolean(hasTrue: Bool, hasFalse: Bool)
        case int8(Set<Int8>), int16(Set<Int16>), int32(Set<Int32>), int64(Set<Int64>)
        case uint8(Set<UInt8>), uint16(Set<UInt16>), uint32(Set<UInt32>), uint64(Set<UInt64>)
        /// Floats without NaN, and whether a NaN was there (NaN equals NaN, as in comparisons).
        case float32(Set<Float>, nan: Bool), float64(Set<Double>, nan: Bool), int128(Set<Int128>)
        /// Strings and binaries: value indices by an FNV-1a hash of their bytes.
        case bytes(buckets: [UInt64: [Int]], offsets: [Int32], data: [UInt8])

        init?(_ values: Column) {
            switch values.storage {
            case let .boolean(bits):
                var hasTrue = false, hasFalse = false
                for i in 0..<values.count { if bits[i] { hasTrue = true } else { hasFalse = true } }
                self = .boolean(hasTrue: hasTrue, hasFalse: hasFalse)
            case let .int8(v): self = .int8(Set(v))
            case let .int16(v): self = .int16(Set(v))
            case let .int32(v): self = .int32(Set(v))
            case let .int64(v): self = .int64(Set(v))
            case let .uint8(v): self = .uint8(Set(v))
            case let .uint16(v): self = .uint16(Set(v))
            case let .uint32(v): self = .uint32(Set(v))
            case let .uint64(v): self = .uint64(Set(v))
            case let .float32(v): self = .float32(Set(v.lazy.filter { !$0.isNaN }), nan: v.contains { $0.isNaN })
            case let .float64(v): self = .float64(Set(v.lazy.filter { !$0.isNaN }), nan: v.contains { $0.isNaN })
            case let .int128(v): self = .int128(Set(v))
            case let .bytes(offsets, data):
                var buckets: [UInt64: [Int]] = [:]
                data.withUnsafeBufferPointer { d in
                    for i in 0..<values.count {
                        // SAFETY: offsets were validated against data when the column was built.
                        let slot = UnsafeBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])
                        buckets[InListKernels.fnv1a(slot), default: []].append(i)
                    }
                }
                self = .bytes(buckets: buckets, offsets: offsets, data: data)
            case .list, .structure, .map:
                return nil
            }
        }

        var estimatedBytes: Int {
            switch self {
            case .boolean: return 0
            case let .int8(s): return s.capacity * 2
            case let .int16(s): return s.capacity * 4
            case let .int32(s): return s.capacity * 8
            case let .int64(s): return s.capacity * 16
            case let .uint8(s): return s.capacity * 2
            case let .uint16(s): return s.capacity * 4
            case let .uint32(s): return s.capacity * 8
            case let .uint64(s): return s.capacity * 16
            case let .float32(s, _): return s.capacity * 8
            case let .float64(s, _): return s.capacity * 16
            case let .int128(s): return s.capacity * 32
            case let .bytes(buckets, offsets, data): return buckets.capacity * 48 + offsets.count * 4 + data.count
            }
        }

        /// Bit i set when row i's value (whatever its validity) is in the set.
        func members(_ probe: Column) -> Bitmap {
            let n = probe.count
            switch (self, probe.storage) {
            case let (.boolean(hasTrue, hasFalse), .boolean(bits)):
                if hasTrue && hasFalse { return Bitmap(repeating: true, count: n) }
                if hasTrue { return bits }
                if hasFalse { return ~bits }
                return Bitmap(repeating: false, count: n)
            case let (.int8(s), .int8(v)): return Self.probe(v, s)
            case let (.int16(s), .int16(v)): return Self.probe(v, s)
            case let (.int32(s), .int32(v)): return Self.probe(v, s)
            case let (.int64(s), .int64(v)): return Self.probe(v, s)
            case let (.uint8(s), .uint8(v)): return Self.probe(v, s)
            case let (.uint16(s), .uint16(v)): return Self.probe(v, s)
            case let (.uint32(s), .uint32(v)): return Self.probe(v, s)
            case let (.uint64(s), .uint64(v)): return Self.probe(v, s)
            case let (.float32(s, nan), .float32(v)): return nan ? Self.probe(v, s) | Self.nans(v) : Self.probe(v, s)
            case let (.float64(s, nan), .float64(v)): return nan ? Self.probe(v, s) | Self.nans(v) : Self.probe(v, s)
            case let (.int128(s), .int128(v)): return Self.probe(v, s)
            case let (.bytes(buckets, setOffsets, setData), .bytes(offsets, data)):
                var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
                data.withUnsafeBufferPointer { d in
                    setData.withUnsafeBufferPointer { sd in
                        for i in 0..<n {
                            // SAFETY: offsets were validated against data when the columns were built.
                            let slot = UnsafeBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])
                            guard let candidates = buckets[InListKernels.fnv1a(slot)] else { continue }
                            for k in candidates {
                                let needle = UnsafeBufferPointer(rebasing: sd[Int(setOffsets[k])..<Int(setOffsets[k + 1])])
                                if Self.sameBytes(slot, needle) {
                                    words[i >> 6] |= UInt64(1) << UInt64(i & 63)
                                    break
                                }
                            }
                        }
                    }
                }
                return Bitmap(words: words, count: n)
            default:
                return Bitmap(repeating: false, count: n)
            }
        }

        @inline(__always) private static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            guard a.count == b.count else { return false }
            guard let x = a.baseAddress, let y = b.baseAddress else { return true }  // both empty
            // SAFETY: both buffers hold a.count bytes.
            return memcmp(x, y, a.count) == 0
        }

        private static func nans<T: BinaryFloatingPoint>(_ values: [T]) -> Bitmap {
            Bitmap(values.lazy.map { $0.isNaN })
        }

        private static func probe<T: Hashable>(_ values: [T], _ set: Set<T>) -> Bitmap {
            let n = values.count
            var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
            values.withUnsafeBufferPointer { v in
                for i in 0..<n where set.contains(v[i]) { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
            }
            return Bitmap(words: words, count: n)
        }
    }
}
