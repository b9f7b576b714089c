// Shared fixtures: a small batch with one column per common type, and helpers that
// parse, bind and evaluate SQL text on it.
import TarnColumnar
import TarnExpression

enum Fixture {
    /// Rows: 0..3 with a NULL in row 2 of most columns.
    static func batch() throws -> RecordBatch {
        let schema = Schema([
            Field("i", .int64), Field("j", .int32, nullable: false), Field("d", .float64), Field("s", .string),
            Field("b", .boolean), Field("dt", .date32), Field("ts", .timestamp(.utc)),
            Field("dec", .decimal(precision: 10, scale: 2)), Field("Name", .string),
        ])
        let day = TemporalFormat.parseDate("2024-02-29") ?? 0
        return try RecordBatch(schema: schema, columns: [
            Column(.int64, [1, -2, nil, 40] as [Int64?]),
            Column(.int32, [10, 20, 30, 40] as [Int32?]),
            Column(.float64, [1.5, -0.5, nil, 2.0] as [Double?]),
            Column(strings: ["apple", "Banana", nil, "cherry pie"]),
            Column(booleans: [true, false, nil, true]),
            Column(.date32, [day, day + 1, nil, day - 365] as [Int32?]),
            Column(.timestamp(.utc), [Int64(day) * 86_400_000_000 + 3_723_000_000, 0, nil, -1] as [Int64?]),
            Column(.decimal(precision: 10, scale: 2), [12345, -50, nil, 1] as [Int128?]),
            Column(strings: ["x", "y", "z", "w"]),
        ])
    }

    static let now: Int64 = 1_700_000_000_000_000

    static func bind(_ sql: String, batch: RecordBatch? = nil) throws -> BoundExpression {
        let b = try batch ?? Fixture.batch()
        let binder = ExpressionBinder(scope: BindingScope(schema: b.schema), options: .init(now: now))
        return try binder.bind(ExpressionParser.parse(sql))
    }

    /// Values of `sql` evaluated on the fixture (or given) batch.
    static func values(_ sql: String, batch: RecordBatch? = nil) throws -> [ScalarValue] {
        let b = try batch ?? Fixture.batch()
        let column = try bind(sql, batch: b).evaluate(b)
        return (0..<column.count).map { column.value(at: $0) }
    }

    /// The value of a constant expression (evaluated on a one-row batch).
    static func value(_ sql: String) throws -> ScalarValue {
        let one = try RecordBatch(schema: Schema([]), columns: [], rowCount: 1)
        let binder = ExpressionBinder(scope: BindingScope([]), options: .init(now: now))
        let column = try binder.bind(ExpressionParser.parse(sql)).evaluate(one)
        return column.value(at: 0)
    }

    /// The kind of error evaluating or binding `sql` raises, if any.
    static func errorKind(_ sql: String) -> ExpressionError.Kind? {
        do {
            _ = try values(sql)
            return nil
        } catch let e as ExpressionError {
            return e.kind
        } catch {
            return nil
        }
    }
}
