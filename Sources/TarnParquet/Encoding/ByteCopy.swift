// ByteCopy: the short-copy helper behind byte-array decoding and gathering, where most
// values are a few bytes long and a library memmove call per value dominates.
// Callers state how many bytes are readable and writable; nothing past them is touched.

@usableFromInline
enum ByteCopy {
    /// Copies `length` bytes from `source` to `target`. When 16 bytes are readable at
    /// `source` and writable at `target` and `length <= 16`, copies 16 bytes with two
    /// unaligned 8-byte moves (the bytes past `length` are scratch the caller overwrites
    /// later); otherwise calls memmove.
    @inline(__always)
    static func copy(
        _ target: UnsafeMutableRawPointer, writable: Int,
        from source: UnsafeRawPointer, readable: Int, length: Int
    ) {
        if length <= 16 && readable >= 16 && writable >= 16 {
            // SAFETY: 16 bytes are readable and writable (checked just above).
            let low = source.loadUnaligned(as: UInt64.self)
            let high = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: low, as: UInt64.self)
            target.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
        } else if length > 0 {
            // SAFETY: the caller guarantees length <= readable and length <= writable.
            target.copyMemory(from: source, byteCount: length)
        }
    }
}
