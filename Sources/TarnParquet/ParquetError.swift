// ParquetError: the one error type of TarnParquet.
// Owns the error codes and the context (file, column, byte offset) every failure carries.
// Must never wrap another library's error type; causes are described in the message.

/// An error reading or writing a Parquet file.
///
/// Low-level code (Thrift, encodings, codecs) throws with a message and, where known,
/// a byte offset; the file and column readers add `file` and `column` as the error
/// passes through them (`adding(file:)`, `adding(column:)`).
public struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The bytes are not valid Parquet (truncated, bit-flipped, hostile).
        case corrupt
        /// Valid Parquet using something Tarn does not implement.
        case unsupported
        /// The caller asked for something impossible (unknown column, bad option).
        case invalidArgument
        /// Data handed to the writer does not match the schema.
        case schemaMismatch
        /// Reading or writing the underlying bytes failed.
        case io
    }

    public var code: Code
    public var message: String
    public var file: String?
    public var column: String?
    public var offset: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, column: String? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.column = column
        self.offset = offset
    }

    public static func corrupt(_ message: String, offset: Int? = nil) -> ParquetError {
        ParquetError(.corrupt, message, offset: offset)
    }

    public static func unsupported(_ message: String) -> ParquetError {
        ParquetError(.unsupported, message)
    }

    public static func invalidArgument(_ message: String) -> ParquetError {
        ParquetError(.invalidArgument, message)
    }

    public static func schemaMismatch(_ message: String) -> ParquetError {
        ParquetError(.schemaMismatch, message)
    }

    /// The same error with `file` set, unless an inner layer already set it.
    public func adding(file: String) -> ParquetError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }

    /// The same error with `column` set, unless an inner layer already set it.
    public func adding(column: String) -> ParquetError {
        var copy = self
        if copy.column == nil { copy.column = column }
        return copy
    }

    /// The same error with `offset` set, unless an inner layer already set it.
    public func adding(offset: Int) -> ParquetError {
        var copy = self
        if copy.offset == nil { copy.offset = offset }
        return copy
    }

    public var description: String {
        var where_: [String] = []
        if let file { where_.append("file \(file)") }
        if let column { where_.append("column \(column)") }
        if let offset { where_.append("byte offset \(offset)") }
        let location = where_.isEmpty ? "" : " (" + where_.joined(separator: ", ") + ")"
        switch code {
        case .corrupt:
            return "corrupt Parquet data\(location): \(message)"
        case .unsupported:
            return "unsupported Parquet feature\(location): \(message)"
        case .invalidArgument:
            return "invalid argument\(location): \(message)"
        case .schemaMismatch:
            return "schema mismatch\(location): \(message)"
        case .io:
            return "I/O error\(location): \(message)"
        }
    }
}

/// Rethrows any error from `body` as a `ParquetError`, adding `column` context.
@inline(__always)
func withColumnContext<T>(_ column: String, _ body: () throws -> T) throws(ParquetError) -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.adding(column: column)
    } catch {
        throw ParquetError(.corrupt, "\(error)", column: column)
    }
}
