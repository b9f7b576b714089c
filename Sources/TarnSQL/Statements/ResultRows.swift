// ResultRows: small result tables (SHOW, DESCRIBE, DML metrics) built row by row from
// scalars. Only for results of a handful to a few thousand rows (metadata, history);
// query results never pass through here.
import TarnColumnar

struct ResultRows {
    let schema: Schema
    private(set) var rows: [[ScalarValue]] = []

    init(_ columns: [(String, DataType)]) {
        schema = Schema(columns.map { Field($0.0, $0.1) })
    }

    mutating func append(_ row: [ScalarValue]) {
        rows.append(row)
    }

    /// The rows as one batch; a value that does not fit its column becomes an execution error.
    func batch() throws(SQLError) -> RecordBatch {
        do {
            var columns: [Column] = []
            for (index, field) in schema.fields.enumerated() {
                let values = rows.map { index < $0.count ? $0[index] : .null }
                columns.append(try Column(field.type, scalars: values))
            }
            return try RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
        } catch {
            throw SQLError(.execution, "cannot build the result column: \(error)", cause: error)
        }
    }

    func result(statement: String, kind: StatementResult.Kind = .query, rowsAffected: Int? = nil,
                message: String? = nil) throws(SQLError) -> StatementResult {
        StatementResult(statementText: statement, kind: kind, schema: schema, batches: [try batch()],
                        rowsAffected: rowsAffected, message: message)
    }
}

extension ScalarValue {
    static func text(_ value: String?) -> ScalarValue { value.map { .string($0) } ?? .null }
    static func integer(_ value: Int?) -> ScalarValue { value.map { .int(Int64($0)) } ?? .null }
    static func integer(_ value: Int64?) -> ScalarValue { value.map { .int($0) } ?? .null }
    static func stringMap(_ map: [String: String]?) -> ScalarValue {
        guard let map else { return .null }
        return .map(map.sorted { $0.key < $1.key }.map { MapEntry(.string($0.key), .string($0.value)) })
    }
    static func stringList(_ items: [String]) -> ScalarValue { .list(items.map { .string($0) }) }
}

extension DataType {
    static let stringMap = DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .string))
    static let stringList = DataType.list(Field("element", .string))
}
