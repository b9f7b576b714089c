// CRC32: the CRC-32 checksum (IEEE 802.3 polynomial, reflected, as in zlib and gzip)
// that Parquet page headers carry over a page's compressed bytes.
// Owns the slicing-by-8 tables and the update loop; must never read outside the buffer.

/// CRC-32 (polynomial 0xEDB88320 reflected; init and final xor 0xFFFFFFFF).
public enum CRC32 {
    /// Eight 256-entry tables for slicing-by-8, built once.
    static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
            table[i] = crc
        }
        for i in 0..<256 {
            var crc = table[i]
            for slice in 1..<8 {
                crc = (crc >> 8) ^ table[Int(crc & 0xFF)]
                table[slice * 256 + i] = crc
            }
        }
        return table
    }()

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a checksum `crc` (the result of a previous call, 0 to start) over `bytes`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var value = ~crc
        guard let base = bytes.baseAddress else { return crc }
        let count = bytes.count
        tables.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return }
            var i = 0
            while i &+ 8 <= count {
                // SAFETY: i + 8 <= count, so the 8-byte load is inside `bytes`.
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ value
                let high = UInt32(truncatingIfNeeded: word >> 32)
                // SAFETY: every index is a byte (0...255) plus a multiple of 256 below 2048.
                value = t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
                i &+= 8
            }
            while i < count {
                // SAFETY: i < count.
                let byte = base.load(fromByteOffset: i, as: UInt8.self)
                value = (value >> 8) ^ t[Int((value ^ UInt32(byte)) & 0xFF)]
                i &+= 1
            }
        }
        return ~value
    }
}
