// StatementResult: what one executed SQL statement gives back — rows (a query, a DESCRIBE),
// a one-row metrics batch (DML), a message (DDL) or a plan (EXPLAIN) — with its elapsed
// time. Plain values only; printing belongs to the CLI.
import TarnColumnar

public struct StatementResult: Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// Rows to show: SELECT, SHOW, DESCRIBE.
        case query
        /// DML (INSERT, UPDATE, DELETE, MERGE): a one-row batch of Delta-style metrics.
        case rowsAffected
        /// DDL and maintenance: a one-line message (the batch may hold metrics too).
        case message
        /// EXPLAIN: the plan text (also as a one-column batch).
        case plan
    }

    /// The statement's own text.
    public var statementText: String
    public var kind: Kind
    public var schema: Schema
    public var batches: [RecordBatch]
    /// Rows inserted + updated + deleted, for DML; nil otherwise.
    public var rowsAffected: Int?
    /// A short confirmation ("created table sales.orders"), or the plan for EXPLAIN.
    public var message: String?
    /// Wall time the statement took (parse excluded).
    public var elapsed: Duration
    /// For a query whose rows were handed to a row consumer as they came (and are not in
    /// `batches`): how many rows there were.
    public var streamedRows: Int?

    public init(statementText: String, kind: Kind, schema: Schema, batches: [RecordBatch],
                rowsAffected: Int? = nil, message: String? = nil, elapsed: Duration = .zero) {
        self.statementText = statementText
        self.kind = kind
        self.schema = schema
        self.batches = batches
        self.rowsAffected = rowsAffected
        self.message = message
        self.elapsed = elapsed
    }

    /// Total rows of the result (streamed ones included).
    public var rowCount: Int { streamedRows ?? batches.reduce(0) { $0 + $1.rowCount } }

    /// A message-only result (schema: one `result` string column holding the message).
    static func message(_ text: String, statement: String) -> StatementResult {
        let schema = Schema([Field("result", .string)])
        let batch = (try? RecordBatch(schema: schema, columns: [try Column(strings: [text])])) ?? RecordBatch.empty(schema)
        return StatementResult(statementText: statement, kind: .message, schema: schema, batches: [batch], message: text)
    }

    /// Rows of a query-like statement.
    static func rows(_ batches: [RecordBatch], schema: Schema, statement: String) -> StatementResult {
        StatementResult(statementText: statement, kind: .query, schema: schema, batches: batches)
    }
}
