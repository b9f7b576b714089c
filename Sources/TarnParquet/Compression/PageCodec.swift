// PageCodec: the one entry point for compressing and decompressing page bytes with a
// Parquet CompressionCodec. Knows nothing about pages beyond their bytes and sizes.
// The declared uncompressed size comes from the file: it is checked (non-negative, within
// the caller's maximum) before anything is allocated, and the result must match it exactly.

/// Compression and decompression of page bodies.
public enum PageCodec {
    /// Decompresses `input` with `codec` into a new array of exactly `uncompressedSize` bytes.
    ///
    /// - Parameters:
    ///   - uncompressedSize: the size the page header declares (untrusted).
    ///   - maxSize: the largest size the caller accepts (a reader limit); a larger or
    ///     negative declared size is refused before any allocation.
    ///   - context: reusable codec state for a reader that decompresses many pages on one
    ///     thread; `nil` creates and frees what the codec needs per call.
    /// - Throws: `.corrupt` when the size is refused or the data is invalid, truncated or
    ///   decompresses to any other size; `.unsupported` for BROTLI and LZO.
    /// - Complexity: O(input + output); UNCOMPRESSED is one copy.
    public static func decompress(
        _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer,
        uncompressedSize: Int, maxSize: Int, context: CodecContext? = nil
    ) throws(ParquetError) -> [UInt8] {
        guard uncompressedSize >= 0 else {
            throw .corrupt("declared uncompressed size \(uncompressedSize) is negative")
        }
        guard uncompressedSize <= maxSize else {
            throw .corrupt("declared uncompressed size \(uncompressedSize) exceeds the limit of \(maxSize) bytes")
        }
        try checkSupported(codec)
        var failure: ParquetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, initialized in
            do throws(ParquetError) {
                try decompress(codec, input, into: UnsafeMutableRawBufferPointer(buffer), context: context)
                initialized = uncompressedSize
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Decompresses `input` with `codec` into exactly `output.count` bytes of caller memory
    /// (the caller has already bounded `output.count`).
    /// - Throws: as `decompress(_:_:uncompressedSize:maxSize:)`.
    public static func decompress(
        _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer, context: CodecContext? = nil
    ) throws(ParquetError) {
        if output.isEmpty && input.isEmpty { return }
        switch codec {
        case .uncompressed:
            guard input.count == output.count else {
                throw .corrupt("uncompressed page holds \(input.count) bytes, \(output.count) declared")
            }
            output.copyMemory(from: input)
        case .snappy:
            try Snappy.decompress(input, into: output)
        case .gzip:
            try Inflate.decompress(input, into: output)
        case .zstd:
            try Zstd.decompress(input, into: output, context: context)
        case .lz4Raw:
            try LZ4Block.decompress(input, into: output)
        case .lz4:
            try LZ4Block.decompressHadoop(input, into: output)
        case .brotli, .lzo:
            try checkSupported(codec)
        }
    }

    /// Compresses `input` with `codec`.
    ///
    /// - Parameter level: codec level where the codec has one (ZSTD: clamped to
    ///   libzstd's range; others ignore it).
    /// - Throws: `.unsupported` for GZIP, LZ4 (Hadoop), BROTLI and LZO, which Tarn reads
    ///   but does not write.
    public static func compress(
        _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, level: Int, context: CodecContext? = nil
    ) throws(ParquetError) -> [UInt8] {
        switch codec {
        case .uncompressed:
            return Array(input)
        case .snappy:
            return Snappy.compress(input)
        case .zstd:
            return try Zstd.compress(input, level: level, context: context)
        case .lz4Raw:
            return LZ4Block.compress(input)
        case .gzip, .lz4, .brotli, .lzo:
            throw .unsupported("writing with compression codec \(name(codec)); Tarn writes UNCOMPRESSED, SNAPPY, ZSTD and LZ4_RAW")
        }
    }

    /// Codecs `decompress` accepts.
    public static func canDecompress(_ codec: CompressionCodec) -> Bool {
        codec != .brotli && codec != .lzo
    }

    /// Codecs `compress` accepts.
    public static func canCompress(_ codec: CompressionCodec) -> Bool {
        codec == .uncompressed || codec == .snappy || codec == .zstd || codec == .lz4Raw
    }

    static func checkSupported(_ codec: CompressionCodec) throws(ParquetError) {
        guard canDecompress(codec) else {
            throw .unsupported("compression codec \(name(codec)) is not implemented; rewrite the file with ZSTD, SNAPPY, GZIP or UNCOMPRESSED")
        }
    }

    /// The codec's name as parquet.thrift spells it.
    public static func name(_ codec: CompressionCodec) -> String {
        switch codec {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }
}
