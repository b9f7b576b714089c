// ParquetInput: the byte source a Parquet reader reads from (a file, an object, memory).
// Owns the read contract only; TarnParquet never opens files itself — TarnIO and the
// table layer provide inputs. Implementations must be safe to call from many threads.

/// A random-access, immutable byte source of known size.
///
/// The reader asks for few, large ranges: the footer, then one whole column chunk per
/// call. Implementations may be called concurrently from several threads.
public protocol ParquetInput: Sendable {
    /// Total size in bytes.
    var size: Int { get }
    /// The bytes of `range`, which the caller keeps within `0..<size`.
    /// - Throws: `ParquetError` with code `.io` when the bytes cannot be read.
    func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8]
}

/// A `ParquetInput` over bytes already in memory.
public struct ParquetBytesInput: ParquetInput {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var size: Int { bytes.count }

    public func read(_ range: Range<Int>) throws(ParquetError) -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw ParquetError(.io, "read of bytes \(range.lowerBound)..<\(range.upperBound) is outside an input of \(bytes.count) bytes")
        }
        if range.lowerBound == 0 && range.upperBound == bytes.count { return bytes }
        return Array(bytes[range])
    }
}
