// OnlineLayout: how one feature table is laid out in the online database — the SQLite
// table name, one typed column per table column (Tarn type → SQLite storage class), the
// primary key, and the SQL texts the store prepares. Owns the value encoding both ways
// (column slot → bound parameter, result column → builder/scalar); must never do IO
// beyond binding and reading a statement it is handed.
import TarnColumnar

/// How a Tarn value is stored in SQLite.
enum OnlineValueKind: Sendable, Hashable {
    /// INTEGER: booleans (0/1), signed and unsigned integers (uint64 by bit pattern),
    /// dates (days) and timestamps (µs since the epoch).
    case integer
    /// REAL: float and double.
    case real
    /// TEXT: strings, and decimals in their exact decimal text.
    case text
    /// BLOB: binary.
    case blob

    var sqlType: String {
        switch self {
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .text: return "TEXT"
        case .blob: return "BLOB"
        }
    }

    /// The storage for `type`, or nil for nested types (list, struct, map), which the
    /// online store refuses.
    static func of(_ type: DataType) -> OnlineValueKind? {
        switch type {
        case .boolean, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .date32, .timestamp:
            return .integer
        case .float32, .float64: return .real
        case .string, .decimal: return .text
        case .binary: return .blob
        case .list, .structure, .map: return nil
        }
    }
}

/// A published feature table's layout in SQLite.
struct OnlineLayout: Sendable {
    /// `namespace.table`.
    let table: String
    /// The quoted SQLite table name.
    let sqlTable: String
    /// Every column of the feature table, in table order (keys included).
    let schema: Schema
    let kinds: [OnlineValueKind]
    let primaryKeys: [String]
    let keyIndexes: [Int]
    let timestampKey: String?
    let timestampIndex: Int?

    /// - Throws: `.wrongType` naming a nested column; `.notAFeatureTable` when a key
    ///   column is missing from the schema.
    init(table: String, schema: Schema, primaryKeys: [String], timestampKey: String?) throws(FeatureError) {
        var kinds: [OnlineValueKind] = []
        for field in schema.fields {
            guard let kind = OnlineValueKind.of(field.type) else {
                throw FeatureError(.wrongType,
                                       "column '\(field.name)' has type \(field.type), which the online store cannot hold (nested types are not published); keep it in a separate feature table",
                                       table: table)
            }
            kinds.append(kind)
        }
        guard !primaryKeys.isEmpty else {
            throw FeatureError(.notAFeatureTable, "the table has no primary keys (tarn.feature.primaryKeys)", table: table)
        }
        var keyIndexes: [Int] = []
        for key in primaryKeys {
            guard let index = schema.index(of: key) else {
                throw FeatureError(.notAFeatureTable, "primary key column '\(key)' is not in the table's schema", table: table)
            }
            keyIndexes.append(index)
        }
        var timestampIndex: Int? = nil
        if let timestampKey {
            guard let index = schema.index(of: timestampKey) else {
                throw FeatureError(.notAFeatureTable, "timestamp key column '\(timestampKey)' is not in the table's schema", table: table)
            }
            switch schema.fields[index].type {
            case .int8, .int16, .int32, .int64, .date32, .timestamp: break
            default:
                throw FeatureError(.wrongType, "timestamp key '\(timestampKey)' has type \(schema.fields[index].type); it must be a timestamp, date or integer", table: table)
            }
            timestampIndex = index
        }
        self.table = table
        self.sqlTable = OnlineLayout.quote("features/" + table)
        self.schema = schema
        self.kinds = kinds
        self.primaryKeys = primaryKeys
        self.keyIndexes = keyIndexes
        self.timestampKey = timestampKey
        self.timestampIndex = timestampIndex
    }

    /// A SQLite identifier in double quotes (inner quotes doubled).
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Column names of the features (every non-key column, timestamp key included).
    var featureNames: [String] {
        let keys = Set(keyIndexes)
        return schema.fields.indices.filter { !keys.contains($0) }.map { schema.fields[$0].name }
    }

    // MARK: SQL texts

    var createSQL: String {
        let columns = schema.fields.enumerated().map { i, f in
            OnlineLayout.quote(f.name) + " " + kinds[i].sqlType + (keyIndexes.contains(i) ? " NOT NULL" : "")
        }
        let key = primaryKeys.map(OnlineLayout.quote).joined(separator: ", ")
        return "CREATE TABLE \(sqlTable) (\(columns.joined(separator: ", ")), PRIMARY KEY (\(key))) WITHOUT ROWID"
    }

    var dropSQL: String { "DROP TABLE IF EXISTS \(sqlTable)" }

    /// Inserts a whole row into the freshly created table (parameters in schema order).
    var insertSQL: String {
        let names = schema.fields.map { OnlineLayout.quote($0.name) }.joined(separator: ", ")
        let params = Array(repeating: "?", count: schema.count).joined(separator: ", ")
        return "INSERT INTO \(sqlTable) (\(names)) VALUES (\(params))"
    }

    /// Inserts or replaces a whole row (parameters in schema order).
    var upsertSQL: String {
        let names = schema.fields.map { OnlineLayout.quote($0.name) }.joined(separator: ", ")
        let params = Array(repeating: "?", count: schema.count).joined(separator: ", ")
        return "INSERT OR REPLACE INTO \(sqlTable) (\(names)) VALUES (\(params))"
    }

    /// `col1 = ?1 AND col2 = ?2` over the primary key.
    var keyCondition: String {
        primaryKeys.enumerated().map { "\(OnlineLayout.quote($0.element)) = ?\($0.offset + 1)" }.joined(separator: " AND ")
    }

    var deleteSQL: String { "DELETE FROM \(sqlTable) WHERE \(keyCondition)" }

    /// The stored timestamp key of one primary key (tables with a timestamp key).
    var selectTimestampSQL: String? {
        timestampKey.map { "SELECT \(OnlineLayout.quote($0)) FROM \(sqlTable) WHERE \(keyCondition)" }
    }

    /// Selects the given schema columns of one primary key.
    func selectSQL(columns: [Int]) -> String {
        let names = columns.isEmpty ? "1" : columns.map { OnlineLayout.quote(schema.fields[$0].name) }.joined(separator: ", ")
        return "SELECT \(names) FROM \(sqlTable) WHERE \(keyCondition)"
    }

    var countSQL: String { "SELECT count(*) FROM \(sqlTable)" }

    var maxTimestampSQL: String? {
        timestampKey.map { "SELECT max(\(OnlineLayout.quote($0))) FROM \(sqlTable)" }
    }
}

// MARK: Binding column slots

/// Binds slot `row` of `column` (of Tarn type `column.type`) to parameter `index`.
/// Values are encoded as `OnlineValueKind.of(column.type)` says.
func bindSlot(_ column: Column, row: Int, to stmt: SQLiteStatement, index: Int32) throws(SQLiteFailure) {
    if column.isNull(row) {
        try stmt.bindNull(index)
        return
    }
    switch column.storage {
    case let .boolean(bits): try stmt.bind(index, Int64(bits[row] ? 1 : 0))
    case let .int8(v): try stmt.bind(index, Int64(v[row]))
    case let .int16(v): try stmt.bind(index, Int64(v[row]))
    case let .int32(v): try stmt.bind(index, Int64(v[row]))
    case let .int64(v): try stmt.bind(index, v[row])
    case let .uint8(v): try stmt.bind(index, Int64(v[row]))
    case let .uint16(v): try stmt.bind(index, Int64(v[row]))
    case let .uint32(v): try stmt.bind(index, Int64(v[row]))
    case let .uint64(v): try stmt.bind(index, Int64(bitPattern: v[row]))
    case let .float32(v): try stmt.bind(index, Double(v[row]))
    case let .float64(v): try stmt.bind(index, v[row])
    case let .int128(v):
        let scale: Int
        if case let .decimal(_, s) = column.type { scale = s } else { scale = 0 }
        try stmt.bind(index, DecimalFormat.string(v[row], scale: scale))
    case let .bytes(offsets, data):
        let start = Int(offsets[row]), end = Int(offsets[row + 1])
        let isBlob = column.type == .binary
        var failure: SQLiteFailure? = nil
        data.withUnsafeBytes { raw in
            // SAFETY: offsets come from a validated Column, so start...end lies within data.
            let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
            do throws(SQLiteFailure) { try stmt.bind(index, bytes: slice, blob: isBlob) } catch { failure = error }
        }
        if let failure { throw failure }
    case .list, .structure, .map:
        // Refused when the layout is built; bound as NULL if one ever reaches here.
        try stmt.bindNull(index)
    }
}

// MARK: Reading result columns

/// Reads result column `index` of the current row as a scalar of `type`.
func scalarValue(_ stmt: SQLiteStatement, _ index: Int32, type: DataType) -> ScalarValue {
    if stmt.isNull(index) { return .null }
    switch type {
    case .boolean: return .boolean(stmt.int64(index) != 0)
    case .int8, .int16, .int32, .int64: return .int(stmt.int64(index))
    case .uint8, .uint16, .uint32, .uint64: return .uint(UInt64(bitPattern: stmt.int64(index)))
    case .float32, .float64: return .float(stmt.double(index))
    case .string: return .string(stmt.text(index))
    case .binary: return .binary(stmt.withBytes(index, blob: true) { Array($0) })
    case .date32: return .date(Int32(truncatingIfNeeded: stmt.int64(index)))
    case let .timestamp(zone): return .timestamp(stmt.int64(index), zone)
    case let .decimal(precision, scale):
        let text = stmt.text(index)
        guard let unscaled = DecimalFormat.parse(Substring(text), precision: precision, scale: scale) else { return .null }
        return .decimal(unscaled, scale: scale)
    case .list, .structure, .map: return .null
    }
}

/// Appends result values of one output column of a lookup into a typed column.
protocol ResultColumn: AnyObject {
    func appendNull() throws(ColumnarError)
    /// Appends result column `index` of the current row (NULL → null slot).
    func append(from stmt: SQLiteStatement, _ index: Int32) throws(ColumnarError)
    func finish() throws(ColumnarError) -> Column
}

/// The result column for `type` (nil for nested types, which are never stored).
func makeResultColumn(_ type: DataType, capacity: Int) -> (any ResultColumn)? {
    switch type {
    case .boolean: return BooleanResultColumn(capacity: capacity)
    case .int8: return PrimitiveResultColumn<Int8>(type, capacity) { Int8(truncatingIfNeeded: $0.int64($1)) }
    case .int16: return PrimitiveResultColumn<Int16>(type, capacity) { Int16(truncatingIfNeeded: $0.int64($1)) }
    case .int32, .date32: return PrimitiveResultColumn<Int32>(type, capacity) { Int32(truncatingIfNeeded: $0.int64($1)) }
    case .int64, .timestamp: return PrimitiveResultColumn<Int64>(type, capacity) { $0.int64($1) }
    case .uint8: return PrimitiveResultColumn<UInt8>(type, capacity) { UInt8(truncatingIfNeeded: $0.int64($1)) }
    case .uint16: return PrimitiveResultColumn<UInt16>(type, capacity) { UInt16(truncatingIfNeeded: $0.int64($1)) }
    case .uint32: return PrimitiveResultColumn<UInt32>(type, capacity) { UInt32(truncatingIfNeeded: $0.int64($1)) }
    case .uint64: return PrimitiveResultColumn<UInt64>(type, capacity) { UInt64(bitPattern: $0.int64($1)) }
    case .float32: return PrimitiveResultColumn<Float>(type, capacity) { Float($0.double($1)) }
    case .float64: return PrimitiveResultColumn<Double>(type, capacity) { $0.double($1) }
    case .decimal: return DecimalResultColumn(type, capacity: capacity)
    case .string, .binary: return BytesResultColumn(type, capacity: capacity)
    case .list, .structure, .map: return nil
    }
}

final class PrimitiveResultColumn<T: ColumnPrimitive>: ResultColumn {
    let type: DataType
    var builder: PrimitiveColumnBuilder<T>
    let read: (SQLiteStatement, Int32) -> T

    init(_ type: DataType, _ capacity: Int, read: @escaping (SQLiteStatement, Int32) -> T) {
        self.type = type
        self.builder = PrimitiveColumnBuilder(capacity: capacity)
        self.read = read
    }

    func appendNull() { builder.appendNull() }

    func append(from stmt: SQLiteStatement, _ index: Int32) {
        if stmt.isNull(index) { builder.appendNull() } else { builder.append(read(stmt, index)) }
    }

    func finish() throws(ColumnarError) -> Column { try builder.finish(type) }
}

final class BooleanResultColumn: ResultColumn {
    var builder: BooleanColumnBuilder

    init(capacity: Int) { builder = BooleanColumnBuilder(capacity: capacity) }

    func appendNull() { builder.appendNull() }

    func append(from stmt: SQLiteStatement, _ index: Int32) {
        if stmt.isNull(index) { builder.appendNull() } else { builder.append(stmt.int64(index) != 0) }
    }

    func finish() throws(ColumnarError) -> Column { try builder.finish() }
}

final class DecimalResultColumn: ResultColumn {
    let type: DataType
    let precision: Int
    let scale: Int
    var builder: PrimitiveColumnBuilder<Int128>

    init(_ type: DataType, capacity: Int) {
        self.type = type
        if case let .decimal(p, s) = type { precision = p; scale = s } else { precision = 38; scale = 0 }
        builder = PrimitiveColumnBuilder(capacity: capacity)
    }

    func appendNull() { builder.appendNull() }

    func append(from stmt: SQLiteStatement, _ index: Int32) {
        if !stmt.isNull(index), let v = DecimalFormat.parse(Substring(stmt.text(index)), precision: precision, scale: scale) {
            builder.append(v)
        } else {
            builder.appendNull()
        }
    }

    func finish() throws(ColumnarError) -> Column { try builder.finish(type) }
}

final class BytesResultColumn: ResultColumn {
    let type: DataType
    var builder: BytesColumnBuilder

    init(_ type: DataType, capacity: Int) {
        self.type = type
        builder = BytesColumnBuilder(capacity: capacity)
    }

    func appendNull() throws(ColumnarError) { try builder.appendNull() }

    func append(from stmt: SQLiteStatement, _ index: Int32) throws(ColumnarError) {
        if stmt.isNull(index) {
            try builder.appendNull()
            return
        }
        let result: Result<Void, ColumnarError> = stmt.withBytes(index, blob: type == .binary) { raw in
            do throws(ColumnarError) { try builder.append(raw); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }

    func finish() throws(ColumnarError) -> Column { try builder.finish(type) }
}
