// Zstd: the ZSTD codec through libzstd's one-shot API (CZstd shim).
// Owns the error translation (ZSTD_isError / ZSTD_getErrorName → ParquetError) and the
// exact-size check; must never let libzstd write past the caller's buffer.

import CZstd

enum Zstd {
    static func errorName(_ code: Int) -> String {
        guard let name = ZSTD_getErrorName(code) else { return "error \(code)" }
        return String(cString: name)
    }

    /// Decompresses one or more zstd frames into exactly `output.count` bytes, reusing
    /// `context`'s decompression context when one is given.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, context: CodecContext? = nil) throws(ParquetError) {
        let result: Int
        if let dctx = context?.zstdDecompressionContext() {
            // SAFETY: libzstd reads at most input.count bytes and writes at most output.count;
            // the context is owned by `context`, used by one thread at a time.
            result = ZSTD_decompressDCtx(dctx, output.baseAddress, output.count, input.baseAddress, input.count)
        } else {
            // SAFETY: as above, with a context libzstd creates and frees itself.
            result = ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count)
        }
        if ZSTD_isError(result) != 0 {
            throw .corrupt("zstd: \(errorName(result))")
        }
        guard result == output.count else {
            throw .corrupt("zstd data produced \(result) bytes, \(output.count) declared")
        }
    }

    /// Compresses `input` as one zstd frame at `level` (clamped to libzstd's range).
    static func compress(_ input: UnsafeRawBufferPointer, level: Int, context: CodecContext? = nil) throws(ParquetError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        if ZSTD_isError(bound) != 0 {
            throw .invalidArgument("zstd cannot compress \(input.count) bytes: \(errorName(bound))")
        }
        let clamped = Int32(max(Int(ZSTD_minCLevel()), min(Int(ZSTD_maxCLevel()), level)))
        var failure: Int = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            // SAFETY: the buffer holds `bound` bytes, libzstd's worst case for this input.
            let result: Int
            if let cctx = context?.zstdCompressionContext() {
                result = ZSTD_compressCCtx(cctx, buffer.baseAddress, buffer.count, input.baseAddress, input.count, clamped)
            } else {
                result = ZSTD_compress(buffer.baseAddress, buffer.count, input.baseAddress, input.count, clamped)
            }
            if ZSTD_isError(result) != 0 {
                failure = result
                initialized = 0
            } else {
                initialized = result
            }
        }
        if failure != 0 { throw .invalidArgument("zstd compression failed: \(errorName(failure))") }
        return bytes
    }
}

/// Reusable codec state (today: libzstd's compression and decompression contexts), so
/// that many small pages do not each pay for creating a context.
///
/// Not thread-safe: give each thread or task its own (a column-chunk reader or writer
/// typically owns one). Contexts are created on first use and freed with the object.
public final class CodecContext {
    private var dctx: OpaquePointer?
    private var cctx: OpaquePointer?

    public init() {}

    deinit {
        if let dctx { ZSTD_freeDCtx(dctx) }
        if let cctx { ZSTD_freeCCtx(cctx) }
    }

    func zstdDecompressionContext() -> OpaquePointer? {
        if dctx == nil { dctx = ZSTD_createDCtx() }
        return dctx
    }

    func zstdCompressionContext() -> OpaquePointer? {
        if cctx == nil { cctx = ZSTD_createCCtx() }
        return cctx
    }
}
