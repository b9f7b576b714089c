// WindowPlanning: window functions (`f(…) OVER (PARTITION BY … ORDER BY … [frame])`) in the
// select list and ORDER BY — validated, grouped by window (one sort per distinct PARTITION
// BY + ORDER BY), planned as WindowOperators after GROUP BY/HAVING, and replaced by references
// to their output columns. Must never accept a frame or function it cannot compute exactly.
import TarnColumnar
import TarnExpression

extension QueryPlanner {
    /// Plans the window functions of `items` and `orderBy` over `relation` (the rows after
    /// GROUP BY and HAVING). Returns the relation with one hidden column per distinct call
    /// and the items and ORDER BY expressions rewritten to read those columns.
    func planWindows(_ relation: Relation, items: [SelectItem], orderBy: [Expression])
        throws(SQLError) -> (Relation, [SelectItem], [Expression]) {
        var calls: [Expression] = []
        for item in items { for call in item.expression.windowCalls where !calls.contains(call) { calls.append(call) } }
        for e in orderBy { for call in e.windowCalls where !calls.contains(call) { calls.append(call) } }
        guard !calls.isEmpty else { return (relation, items, orderBy) }

        var relation = relation
        var replacements: [(Expression, String)] = []
        // Calls sharing PARTITION BY and ORDER BY share one sort.
        var groups: [(partitionBy: [Expression], orderBy: [WindowOrderItem], calls: [(Expression, FunctionCall, SourceLocation)])] = []
        for call in calls {
            guard case let .function(function, at) = call, let window = function.window else { continue }
            for argument in function.arguments + window.partitionBy + window.orderBy.map(\.expression)
            where argument.containsWindowFunction {
                throw SQLError(.binding, "window functions cannot be nested inside another window function's arguments or OVER clause",
                               location: argument.location)
            }
            if let g = groups.firstIndex(where: { $0.partitionBy == window.partitionBy && $0.orderBy == window.orderBy }) {
                groups[g].calls.append((call, function, at))
            } else {
                groups.append((window.partitionBy, window.orderBy, [(call, function, at)]))
            }
        }
        for group in groups {
            let columns = relation.columns
            var partitionKeys: [PhysicalExpression] = []
            for e in group.partitionBy { partitionKeys.append(try binding.physical(e, columns)) }
            var orderKeys: [SortKey] = []
            for item in group.orderBy {
                orderKeys.append(SortKey(expression: try binding.physical(item.expression, columns),
                                         ascending: !(item.descending ?? false), nullsFirst: item.nullsFirst ?? false))
            }
            var functions: [WindowFunction] = []
            for (call, function, at) in group.calls {
                let name = "__window\(replacements.count)"
                functions.append(try windowFunction(function, at: at, hasOrder: !group.orderBy.isEmpty, columns: columns, name: name))
                replacements.append((call, name))
            }
            let op = WindowOperator(input: relation.op, partitionKeys: partitionKeys, orderKeys: orderKeys,
                                    functions: functions, context: execution)
            for function in functions {
                relation.columns.append(RelationColumn(qualifier: nil, name: function.name, type: function.type, nullable: true, hidden: true))
            }
            relation.op = op
        }
        let rewrite: (Expression) -> Expression = { e in
            e.replacing { node in
                for (call, name) in replacements where node == call { return .column([name], at: node.location) }
                return nil
            }
        }
        return (relation, items.map { SelectItem(rewrite($0.expression), alias: $0.alias) }, orderBy.map(rewrite))
    }

    /// One call checked and planned: its kind, argument, frame and type.
    private func windowFunction(_ call: FunctionCall, at: SourceLocation, hasOrder: Bool, columns: [RelationColumn],
                                name: String) throws(SQLError) -> WindowFunction {
        let text = Expression.function(call, at: at).sql
        let frame = try frameExtent(call.window?.frame, hasOrder: hasOrder, at: at, text: text)
        if call.ignoreNulls && !["lag", "lead", "first_value", "last_value"].contains(call.name) {
            throw SQLError(.unsupported, "IGNORE NULLS is supported for lag, lead, first_value and last_value, not \(call.name)", location: at)
        }
        if call.distinct {
            throw SQLError(.unsupported, "DISTINCT in a window function (\(call.name)(DISTINCT …) OVER …) is not supported", location: at)
        }
        func arguments(_ allowed: ClosedRange<Int>, _ usage: String) throws(SQLError) {
            guard allowed.contains(call.arguments.count), !call.isStar else {
                throw SQLError(.binding, "\(call.name) takes \(usage), got \(call.isStar ? "*" : "\(call.arguments.count)")", location: at)
            }
        }
        func argument(_ i: Int) throws(SQLError) -> PhysicalExpression {
            try binding.physical(call.arguments[i], columns)
        }
        switch call.name {
        case "row_number", "rank", "dense_rank":
            try arguments(0...0, "no arguments")
            let kind: WindowFunctionKind = call.name == "row_number" ? .rowNumber : call.name == "rank" ? .rank : .denseRank
            return WindowFunction(kind: kind, argument: nil, frame: frame, type: .int64, name: name, text: text)
        case "percent_rank", "cume_dist":
            try arguments(0...0, "no arguments")
            return WindowFunction(kind: call.name == "cume_dist" ? .cumeDist : .percentRank, argument: nil, frame: frame,
                                  type: .float64, name: name, text: text)
        case "ntile":
            try arguments(1...1, "one argument (the number of buckets)")
            guard case let .literal(.integer(buckets), _) = call.arguments[0], buckets >= 1, buckets <= Int64(Int32.max) else {
                throw SQLError(.binding, "ntile takes a positive whole number of buckets", location: call.arguments[0].location)
            }
            return WindowFunction(kind: .ntile(Int(buckets)), argument: nil, frame: frame, type: .int64, name: name, text: text)
        case "lag", "lead":
            try arguments(1...3, "1 to 3 arguments (value, offset, default)")
            let value = try argument(0)
            var offset = 1
            if call.arguments.count >= 2 {
                guard case let .literal(.integer(n), _) = call.arguments[1], n >= 0, n <= Int64(Int32.max) else {
                    throw SQLError(.binding, "the offset of \(call.name) must be a whole number of rows (0 or more)", location: call.arguments[1].location)
                }
                offset = Int(n)
            }
            var fallback: ScalarValue?
            if call.arguments.count == 3 {
                let expression = call.arguments[2]
                guard expression.isConstant else {
                    throw SQLError(.unsupported, "the default of \(call.name) must be a constant", location: expression.location)
                }
                fallback = try constant(.cast(expression, value.type, at: expression.location))
            }
            return WindowFunction(kind: call.name == "lag" ? .lag(offset: offset) : .lead(offset: offset), argument: value,
                                  defaultValue: fallback, frame: frame, type: value.type, name: name, text: text,
                                  ignoreNulls: call.ignoreNulls)
        case "first_value", "last_value":
            try arguments(1...1, "one argument")
            let value = try argument(0)
            return WindowFunction(kind: call.name == "first_value" ? .firstValue : .lastValue, argument: value,
                                  frame: frame, type: value.type, name: name, text: text, ignoreNulls: call.ignoreNulls)
        case "count" where call.isStar:
            return WindowFunction(kind: .countStar, argument: nil, frame: frame, type: .int64, name: name, text: text)
        case "count", "sum", "avg", "mean", "min", "max":
            try arguments(1...1, "one argument")
            let value = try argument(0)
            guard let aggregate = AggregateFunction.named(call.name) else {
                throw SQLError(.unsupported, "\(call.name) is not supported as a window function", location: at)
            }
            let type: DataType
            do {
                type = try aggregate.resultType(input: value.type)
            } catch {
                throw SQLError(error.kind, error.message, location: at)
            }
            let kind: WindowFunctionKind
            switch aggregate {
            case .count: kind = .count
            case .sum: kind = .sum
            case .avg: kind = .avg
            case .min: kind = .min
            default: kind = .max
            }
            return WindowFunction(kind: kind, argument: value, frame: frame, type: type, name: name, text: text)
        default:
            throw SQLError(.unsupported, "\(call.name) is not supported as a window function; window functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, last_value, sum, avg, min, max, count",
                           location: at)
        }
    }

    /// The frame a call computes over; frames other than the supported ones are refused.
    private func frameExtent(_ frame: WindowFrame?, hasOrder: Bool, at: SourceLocation, text: String) throws(SQLError) -> WindowFrameExtent {
        guard let frame else { return hasOrder ? .toPeers : .partition }
        switch (frame.unit, frame.start, frame.end) {
        case (_, .unboundedPreceding, .unboundedFollowing):
            return .partition
        case (.range, .unboundedPreceding, .currentRow):
            return hasOrder ? .toPeers : .partition
        case (.range, .currentRow, .unboundedFollowing):
            return hasOrder ? .fromPeers : .partition
        case (.range, .currentRow, .currentRow):
            return hasOrder ? .peers : .partition
        case (.rows, .unboundedPreceding, _), (.rows, .preceding, _), (.rows, .currentRow, _):
            let preceding: Int?
            switch frame.start {
            case let .preceding(n): preceding = Int(clamping: n)
            case .currentRow: preceding = 0
            default: preceding = nil
            }
            switch frame.end {
            case .currentRow: return .rows(preceding: preceding, following: 0)
            case let .following(m): return .rows(preceding: preceding, following: Int(clamping: m))
            case .unboundedFollowing: return .rows(preceding: preceding, following: nil)
            default: break
            }
        default:
            break
        }
        throw SQLError(.unsupported, "the frame \(frame.sql) of \(text) is not supported; ROWS frames must start at UNBOUNDED PRECEDING, n PRECEDING or CURRENT ROW and end at CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING; RANGE frames only from UNBOUNDED PRECEDING or CURRENT ROW to CURRENT ROW or UNBOUNDED FOLLOWING",
                       location: at)
    }

    /// The value of a constant expression.
    private func constant(_ expression: Expression) throws(SQLError) -> ScalarValue {
        let bound = try binding.bind(expression, [])
        let unit = try columnar("window default") { () throws(ColumnarError) in try RecordBatch(schema: Schema([]), columns: [], rowCount: 1) }
        do {
            let column = try bound.evaluate(unit)
            return column.count == 1 ? column.value(at: 0) : .null
        } catch {
            throw SQLError.from(error)
        }
    }
}
