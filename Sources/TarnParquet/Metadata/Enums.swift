// The enumerations of parquet.thrift that every part of TarnParquet shares.
// Owns the numeric values of physical types, encodings, codecs, page types and
// repetition; must never hold behaviour beyond naming and conversion.

/// Physical (storage) type of a leaf column (`Type` in parquet.thrift).
public enum PhysicalType: Int32, Sendable, CaseIterable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}

/// Value encodings (`Encoding` in parquet.thrift). Values 1 (GROUP_VAR_INT) and
/// 7 (BIT_PACKED, deprecated) are kept so they can be named in errors.
public enum Encoding: Int32, Sendable, CaseIterable {
    case plain = 0
    case groupVarInt = 1
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

/// Page and column-chunk compression (`CompressionCodec` in parquet.thrift).
public enum CompressionCodec: Int32, Sendable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Hadoop-framed LZ4 (deprecated in the format).
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7
}

/// Kinds of page (`PageType` in parquet.thrift).
public enum PageType: Int32, Sendable, CaseIterable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Repetition of a schema element (`FieldRepetitionType` in parquet.thrift).
public enum FieldRepetitionType: Int32, Sendable, CaseIterable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// Legacy annotations (`ConvertedType` in parquet.thrift), still written by
/// writers alongside `LogicalType` for old readers.
public enum ConvertedType: Int32, Sendable, CaseIterable {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case enumeration = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21
}
