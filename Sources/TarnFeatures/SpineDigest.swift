// SpineDigest: SHA-256 over a spine's canonical bytes, so a training set can check that
// it is rebuilt from the same spine. Canonical = column names and types, then per
// column the row count, the validity and the values in a fixed little-endian layout
// (null slots contribute no value bytes), independent of how rows are split into
// batches. Must never depend on buffer capacity or bytes behind null slots.
import TarnColumnar
import TarnTables

public enum SpineDigest {
    /// Hex SHA-256 of the spine's canonical bytes.
    public static func digest(_ spine: RecordBatch) -> String {
        var hasher = SHA256Hasher()
        hasher.update(Array("tarn.spine.v1".utf8))
        hasher.update(UInt64(spine.schema.count))
        hasher.update(UInt64(spine.rowCount))
        for (field, column) in zip(spine.schema.fields, spine.columns) {
            let header = Array("\(field.name)\u{0}\(field.type)\u{0}".utf8)
            hasher.update(UInt64(header.count))
            hasher.update(header)
            add(column, to: &hasher)
        }
        return SHA256Hasher.hex(hasher.finalize())
    }

    /// Hex SHA-256 of `bytes` (exposed for tests and for callers fingerprinting files).
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA256Hasher()
        // Uneven pieces exercise the partial-block path.
        var offset = 0
        var piece = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            hasher.update(bytes[offset..<end])
            offset = end
            piece = piece * 3 + 1
        }
        return SHA256Hasher.hex(hasher.finalize())
    }

    private static func add(_ column: Column, to hasher: inout SHA256Hasher) {
        let n = column.count
        // Validity as one byte per row (1 = value present).
        var validity = [UInt8](repeating: 1, count: n)
        if let bits = column.validity {
            for i in 0..<n where !bits[i] { validity[i] = 0 }
        }
        hasher.update(validity)
        func fixed<T: FixedWidthInteger>(_ values: [T]) {
            var out = [UInt8]()
            out.reserveCapacity(n * MemoryLayout<T>.size)
            for i in 0..<n where validity[i] == 1 {
                withUnsafeBytes(of: values[i].littleEndian) { out.append(contentsOf: $0) }
            }
            hasher.update(out)
        }
        switch column.storage {
        case let .boolean(bits):
            hasher.update((0..<n).filter { validity[$0] == 1 }.map { bits[$0] ? UInt8(1) : 0 })
        case let .int8(v): fixed(v)
        case let .int16(v): fixed(v)
        case let .int32(v): fixed(v)
        case let .int64(v): fixed(v)
        case let .uint8(v): fixed(v)
        case let .uint16(v): fixed(v)
        case let .uint32(v): fixed(v)
        case let .uint64(v): fixed(v)
        case let .float32(v): fixed(v.map { $0.bitPattern })
        case let .float64(v): fixed(v.map { $0.bitPattern })
        case let .int128(v):
            fixed(v.map { UInt64(truncatingIfNeeded: $0) })
            fixed(v.map { UInt64(truncatingIfNeeded: $0 >> 64) })
        case let .bytes(offsets, data):
            var out = [UInt8]()
            out.reserveCapacity(data.count + n * 4)
            for i in 0..<n where validity[i] == 1 {
                let start = Int(offsets[i]), end = Int(offsets[i + 1])
                withUnsafeBytes(of: UInt32(end - start).littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: data[start..<end])
            }
            hasher.update(out)
        case .list, .structure, .map:
            // Nested values (rare in spines): their text form, row by row.
            for i in 0..<n where validity[i] == 1 {
                let text = Array(column.value(at: i).description.utf8)
                hasher.update(UInt64(text.count))
                hasher.update(text)
            }
        }
    }
}
