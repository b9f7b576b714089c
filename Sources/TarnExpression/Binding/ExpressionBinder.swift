// ExpressionBinder: resolves names against a scope, types every node, makes implicit
// casts explicit and folds constant subtrees. Must never accept an aggregate (the SQL
// planner replaces aggregates with column references before binding).

import TarnColumnar

/// Binds parsed expressions to a scope.
public struct ExpressionBinder: Sendable {
    public struct Options: Sendable {
        /// What `now()` / `current_timestamp` return (microseconds since the epoch, UTC);
        /// fixed per statement. Nil means the clock when the binder was made.
        public var now: Int64?
        /// Fold constant subtrees when bound (off to inspect the unfolded tree).
        public var foldConstants: Bool

        public init(now: Int64? = nil, foldConstants: Bool = true) {
            self.now = now
            self.foldConstants = foldConstants
        }
    }

    public let scope: BindingScope
    public let options: Options
    /// The statement time `now()` returns.
    public let now: Int64

    public init(scope: BindingScope, options: Options = Options()) {
        self.scope = scope
        self.options = options
        self.now = options.now ?? WallClock.microsecondsSinceEpoch()
    }

    /// Binds `e`.
    /// - Throws: `.unknownColumn`, `.ambiguousColumn`, `.unknownFunction` (aggregates
    ///   included), `.typeMismatch`, `.invalidArgument`, `.unsupported` — each at the
    ///   location of the offending node.
    public func bind(_ e: Expression) throws(ExpressionError) -> BoundExpression {
        let bound = try bindNode(e)
        return options.foldConstants ? fold(bound) : bound
    }

    /// Binds `e` and requires a boolean (or NULL) result — WHERE, ON, CHECK, HAVING.
    public func bindPredicate(_ e: Expression) throws(ExpressionError) -> BoundExpression {
        let bound = try bind(e)
        if case .literal(.null, _) = bound { return .literal(.null, type: .boolean) }
        guard bound.type == .boolean else {
            throw ExpressionError(.typeMismatch, "a condition must be boolean, but \(e.sql) is \(bound.type.sqlName)", at: e.location)
        }
        return bound
    }

    // MARK: - Nodes

    private func bindNode(_ e: Expression) throws(ExpressionError) -> BoundExpression {
        switch e {
        case let .column(parts, at):
            return try bindColumn(parts, at: at)
        case let .literal(literal, at):
            return try bindLiteral(literal, at: at)
        case let .unary(.not, x, at):
            return .not(try requireBoolean(try bindNode(x), x, at: at, what: "NOT"))
        case let .unary(.negate, x, at):
            let operand = try bindNode(x)
            if case .literal(.null, _) = operand { return operand }
            guard operand.type.isNumeric else {
                throw ExpressionError(.typeMismatch, "cannot negate \(x.sql) of type \(operand.type.sqlName); negation needs a number", at: at)
            }
            var type = operand.type
            var input = operand
            if TypeRules.isUnsigned(type) {
                type = TypeRules.commonNumeric(type, .int8) ?? .int64
                input = coerce(operand, to: type)
            }
            return .negate(input, type: type)
        case let .binary(op, a, b, at):
            return try bindBinary(op, a, b, at: at)
        case let .isNull(x, negated, _):
            return .isNull(try bindNode(x), negated: negated)
        case let .isTruth(x, value, negated, at):
            return .isTruth(try requireBoolean(try bindNode(x), x, at: at, what: "IS TRUE/FALSE"), value: value, negated: negated)
        case let .inList(x, items, negated, at):
            return try bindIn(x, items, negated: negated, at: at)
        case let .between(x, low, high, negated, at):
            let value = try bindNode(x)
            let lower = try bindComparison(.greaterOrEqual, value, try bindNode(low), x, low, at: at)
            let upper = try bindComparison(.lessOrEqual, value, try bindNode(high), x, high, at: at)
            let both = BoundExpression.and(lower, upper)
            return negated ? .not(both) : both
        case let .like(x, pattern, escape, caseInsensitive, negated, at):
            return try bindLike(x, pattern, escape, caseInsensitive: caseInsensitive, negated: negated, at: at)
        case let .caseWhen(operand, branches, otherwise, at):
            return try bindCase(operand, branches, otherwise, at: at)
        case let .cast(x, type, at):
            let operand = try bindNode(x)
            return try castExpression(operand, to: type, source: x, at: at)
        case let .function(call, at):
            if call.window != nil {
                throw ExpressionError(.invalidArgument, "window function \(call.name)() OVER (…) is only allowed in the select list and ORDER BY (not in WHERE, GROUP BY, HAVING or conditions)", at: at)
            }
            if FunctionCatalog.isAggregate(call.name) {
                throw ExpressionError(.unknownFunction, "aggregate function \(call.name)() is not allowed here", at: at)
            }
            if call.isStar {
                throw ExpressionError(.invalidArgument, "\(call.name)(*) is only valid for count", at: at)
            }
            if call.distinct {
                throw ExpressionError(.invalidArgument, "DISTINCT is only valid in aggregate functions, not \(call.name)()", at: at)
            }
            if call.ignoreNulls {
                throw ExpressionError(.invalidArgument, "IGNORE NULLS is only valid in window functions (first_value, last_value, lag, lead … OVER (…)), not \(call.name)()", at: at)
            }
            var arguments: [BoundExpression] = []
            for argument in call.arguments { arguments.append(try bindNode(argument)) }
            return try FunctionBinder(binder: self).bind(call.name, arguments, call.arguments, at: at)
        case let .star(_, at):
            throw ExpressionError(.invalidArgument, "'*' is only valid in a select list or count(*)", at: at)
        case let .extract(field, x, at):
            let operand = try bindNode(x)
            return try FunctionBinder(binder: self).bindExtract(field, operand, x, at: at)
        case let .scalarSubquery(_, at), let .exists(_, at), let .inSubquery(_, _, _, at):
            throw ExpressionError(.unsupported, "a subquery cannot be evaluated here; subqueries run in SQL statements (SELECT, DELETE, UPDATE, MERGE)", at: at)
        case let .subqueryResult(result, _):
            return .literal(result.value, type: result.type)
        case let .inSet(x, set, negated, at):
            return try bindInSet(x, set, negated: negated, at: at)
        }
    }

    /// `x [NOT] IN <set>`: the probe and the set's values cast to their common type.
    private func bindInSet(_ x: Expression, _ set: ValueSet, negated: Bool, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        var value = try bindNode(x)
        if isNullLiteral(value) { value = .literal(.null, type: set.type) }
        guard let common = TypeRules.common(value.type, set.type) else {
            throw ExpressionError(.typeMismatch, "\(x.sql) (\(value.type.sqlName)) cannot be compared with the \(set.type.sqlName) values of (\(set.text))", at: at)
        }
        let aligned: ValueSet
        do {
            aligned = try set.casting(to: common)
        } catch {
            throw ExpressionError(error.kind, error.message, at: at)
        }
        return .inSet(coerce(value, to: common), aligned, negated: negated)
    }

    private func bindColumn(_ parts: [String], at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        let resolution = try scope.resolve(parts, at: at)
        let column = scope.columns[resolution.index]
        var bound = BoundExpression.column(index: resolution.index, type: column.type, nullable: column.nullable)
        var path = column.name
        for fieldName in resolution.fieldPath {
            guard case let .structure(fields) = bound.type else {
                throw ExpressionError(.unknownColumn, "'\(path)' is a \(bound.type.sqlName), not a struct, so it has no field '\(fieldName)'", at: at)
            }
            guard let index = fields.firstIndex(where: { $0.name == fieldName }) ?? fields.firstIndex(where: { $0.name.equalsIgnoringCase(fieldName) }) else {
                throw ExpressionError(.unknownColumn, "struct '\(path)' has no field '\(fieldName)' (fields: \(fields.map(\.name).joined(separator: ", ")))", at: at)
            }
            bound = .field(bound, index: index, type: fields[index].type)
            path += "." + fieldName
        }
        return bound
    }

    private func bindLiteral(_ literal: Literal, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        switch literal {
        case .null: return .literal(.null, type: .boolean)
        case let .boolean(b): return .literal(.boolean(b), type: .boolean)
        case let .integer(v):
            return .literal(.int(v), type: Int32(exactly: v) != nil ? .int32 : .int64)
        case let .decimal(text):
            return try decimalLiteral(text, at: at)
        case let .string(s): return .literal(.string(s), type: .string)
        case let .date(text):
            guard let days = TemporalFormat.parseDate(Substring(text)) else {
                throw ExpressionError(.invalidArgument, "invalid DATE literal '\(text)'", at: at)
            }
            return .literal(.date(days), type: .date32)
        case let .timestamp(text):
            guard let parsed = TemporalFormat.parseTimestamp(Substring(text)) else {
                throw ExpressionError(.invalidArgument, "invalid TIMESTAMP literal '\(text)'", at: at)
            }
            return .literal(.timestamp(parsed.micros, .utc), type: .timestamp(.utc))
        case .interval:
            throw ExpressionError(.unsupported, "an INTERVAL can only be added to or subtracted from a date or timestamp", at: at)
        }
    }

    /// `1.50` → decimal(3,2); `1e3` → double; a long integer → decimal(38,0) or double.
    private func decimalLiteral(_ text: String, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if text.contains("e") || text.contains("E") {
            guard let d = Double(text), d.isFinite else {
                throw ExpressionError(.invalidArgument, "number \(text) is out of range", at: at)
            }
            return .literal(.float(d), type: .float64)
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integral = String(parts[0]).drop { $0 == "0" }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let scale = fraction.count
        let precision = max(1, integral.count + scale)
        if precision <= 38, let unscaled = DecimalFormat.parse(Substring(text.hasPrefix(".") ? "0" + text : text), precision: 38, scale: scale) {
            return .literal(.decimal(unscaled, scale: scale), type: .decimal(precision: max(precision, scale), scale: scale))
        }
        guard let d = Double(text), d.isFinite else {
            throw ExpressionError(.invalidArgument, "number \(text) is out of range", at: at)
        }
        return .literal(.float(d), type: .float64)
    }

    // MARK: - Operators

    private func bindBinary(_ op: BinaryOperator, _ a: Expression, _ b: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        switch op {
        case .and, .or:
            let x = try requireBoolean(try bindNode(a), a, at: at, what: op.rawValue)
            let y = try requireBoolean(try bindNode(b), b, at: at, what: op.rawValue)
            return op == .and ? .and(x, y) : .or(x, y)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let comparison = op.comparison else { break }
            return try bindComparison(comparison, try bindNode(a), try bindNode(b), a, b, at: at)
        case .isDistinctFrom, .isNotDistinctFrom:
            let x = try bindNode(a), y = try bindNode(b)
            let (cx, cy) = try unify(x, y, a, b, at: at, what: op.rawValue)
            return .distinctFrom(cx, cy, negated: op == .isNotDistinctFrom)
        case .concat:
            let x = try bindNode(a), y = try bindNode(b)
            return .concat(try asString(x, a, at: at), try asString(y, b, at: at))
        case .add, .subtract, .multiply, .divide, .modulo:
            return try bindArithmetic(op, a, b, at: at)
        }
        throw ExpressionError(.unsupported, "operator \(op.rawValue) is not supported", at: at)
    }

    private func asString(_ x: BoundExpression, _ source: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if case .literal(.null, _) = x { return .literal(.null, type: .string) }
        if x.type == .string { return x }
        guard TypeRules.canCast(x.type, .string), !x.type.isNested else {
            throw ExpressionError(.typeMismatch, "cannot concatenate \(source.sql) of type \(x.type.sqlName)", at: at)
        }
        return coerce(x, to: .string)
    }

    func requireBoolean(_ x: BoundExpression, _ source: Expression, at: SourceLocation, what: String) throws(ExpressionError) -> BoundExpression {
        if case .literal(.null, _) = x { return .literal(.null, type: .boolean) }
        guard x.type == .boolean else {
            throw ExpressionError(.typeMismatch, "\(what) needs a boolean operand, but \(source.sql) is \(x.type.sqlName)", at: source.location)
        }
        return x
    }

    private func isNullLiteral(_ x: BoundExpression) -> Bool {
        if case .literal(.null, _) = x { return true }
        return false
    }

    /// `x` converted to `type`: a NULL literal is retyped, a literal is converted now
    /// when it fits, anything else gets a cast node.
    func coerce(_ x: BoundExpression, to type: DataType) -> BoundExpression {
        if x.type == type { return x }
        if case let .literal(value, _) = x {
            if value == .null { return .literal(.null, type: type) }
            if let converted = Self.convertLiteral(value, from: x.type, to: type) { return .literal(converted, type: type) }
        }
        return .cast(x, type: type)
    }

    /// A literal value converted to `type` through the cast kernel, nil when it fails.
    static func convertLiteral(_ value: ScalarValue, from: DataType, to: DataType) -> ScalarValue? {
        guard let column = try? Column(from, scalars: [value]), let cast = try? column.cast(to: to) else { return nil }
        return cast.value(at: 0)
    }

    /// Two operands converted to their common type (for equality-like operators).
    func unify(_ x: BoundExpression, _ y: BoundExpression, _ a: Expression, _ b: Expression, at: SourceLocation, what: String) throws(ExpressionError) -> (BoundExpression, BoundExpression) {
        if isNullLiteral(x) { return (coerce(x, to: y.type), y) }
        if isNullLiteral(y) { return (x, coerce(y, to: x.type)) }
        if x.type == y.type { return (x, y) }
        // An integer literal takes the other side's integer type when it fits.
        if let adapted = adaptIntegerLiteral(x, to: y.type) { return (adapted, y) }
        if let adapted = adaptIntegerLiteral(y, to: x.type) { return (x, adapted) }
        // A string literal next to a typed value is read as that type.
        if case .literal(.string, _) = x, y.type != .string, let converted = literalAs(x, y.type) { return (converted, y) }
        if case .literal(.string, _) = y, x.type != .string, let converted = literalAs(y, x.type) { return (x, converted) }
        guard let common = TypeRules.common(x.type, y.type) else {
            throw ExpressionError(
                .typeMismatch,
                "cannot compare \(a.sql) (\(x.type.sqlName)) with \(b.sql) (\(y.type.sqlName)) in \(what); CAST one side",
                at: at)
        }
        return (coerce(x, to: common), coerce(y, to: common))
    }

    private func adaptIntegerLiteral(_ x: BoundExpression, to type: DataType) -> BoundExpression? {
        guard type.isInteger, case let .literal(.int(v), literalType) = x, literalType.isInteger else { return nil }
        guard let converted = Self.convertLiteral(.int(v), from: .int64, to: type) else { return nil }
        return .literal(converted, type: type)
    }

    private func literalAs(_ x: BoundExpression, _ type: DataType) -> BoundExpression? {
        guard case let .literal(value, from) = x, let converted = Self.convertLiteral(value, from: from, to: type) else { return nil }
        return .literal(converted, type: type)
    }

    func bindComparison(_ op: ComparisonOperator, _ x: BoundExpression, _ y: BoundExpression, _ a: Expression, _ b: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if x.type.isNested || y.type.isNested, !(op == .equal || op == .notEqual) {
            throw ExpressionError(.typeMismatch, "\(x.type.isNested ? x.type.sqlName : y.type.sqlName) values can only be compared with = and <>", at: at)
        }
        // Column against literal: the compare kernel relates the types exactly.
        if case let .literal(value, literalType) = y, value != .null, !isLiteral(x) {
            if TypeRules.kernelComparable(column: x.type, scalar: literalType) { return .comparison(op, x, y) }
            if literalType == .string, let converted = literalAs(y, x.type) { return .comparison(op, x, converted) }
            if literalType == .string {
                throw ExpressionError(.invalidArgument, "cannot read '\(value)' as \(x.type.sqlName) to compare with \(a.sql)", at: b.location)
            }
        }
        if case let .literal(value, literalType) = x, value != .null, !isLiteral(y) {
            if TypeRules.kernelComparable(column: y.type, scalar: literalType) { return .comparison(op, x, y) }
            if literalType == .string, let converted = literalAs(x, y.type) { return .comparison(op, converted, y) }
            if literalType == .string {
                throw ExpressionError(.invalidArgument, "cannot read '\(value)' as \(y.type.sqlName) to compare with \(b.sql)", at: a.location)
            }
        }
        let (cx, cy) = try unify(x, y, a, b, at: at, what: "comparison")
        return .comparison(op, cx, cy)
    }

    private func isLiteral(_ x: BoundExpression) -> Bool {
        if case .literal = x { return true }
        return false
    }

    private func bindIn(_ x: Expression, _ items: [Expression], negated: Bool, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        var value = try bindNode(x)
        var bound: [BoundExpression] = []
        for item in items { bound.append(try bindNode(item)) }
        if isNullLiteral(value) { return .literal(.null, type: .boolean) }
        let allLiterals = bound.allSatisfy(isLiteral)
        if allLiterals {
            var converted: [BoundExpression] = []
            for (item, source) in zip(bound, items) {
                guard case let .literal(v, t) = item else { continue }
                if v == .null { converted.append(.literal(.null, type: value.type)); continue }
                if TypeRules.kernelComparable(column: value.type, scalar: t) { converted.append(item); continue }
                if let c = literalAs(item, value.type) { converted.append(c); continue }
                throw ExpressionError(.typeMismatch, "IN list item \(source.sql) (\(t.sqlName)) cannot be compared with \(x.sql) (\(value.type.sqlName))", at: source.location)
            }
            return .inList(value, converted, negated: negated)
        }
        var common = value.type
        for (item, source) in zip(bound, items) where !isNullLiteral(item) {
            guard let next = TypeRules.common(common, item.type) else {
                throw ExpressionError(.typeMismatch, "IN list item \(source.sql) (\(item.type.sqlName)) cannot be compared with \(x.sql) (\(value.type.sqlName))", at: source.location)
            }
            common = next
        }
        value = coerce(value, to: common)
        return .inList(value, bound.map { coerce($0, to: common) }, negated: negated)
    }

    private func bindLike(_ x: Expression, _ pattern: Expression, _ escape: Expression?, caseInsensitive: Bool, negated: Bool, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        let value = try bindNode(x)
        let patternBound = fold(try bindNode(pattern))
        if isNullLiteral(value) || isNullLiteral(patternBound) { return .literal(.null, type: .boolean) }
        guard value.type == .string else {
            throw ExpressionError(.typeMismatch, "LIKE needs a string, but \(x.sql) is \(value.type.sqlName)", at: x.location)
        }
        guard case let .literal(.string(text), _) = patternBound else {
            throw ExpressionError(.unsupported, "the LIKE pattern must be a constant string", at: pattern.location)
        }
        var escapeCharacter: Character? = nil
        if let escape {
            guard case let .literal(.string(e), _) = fold(try bindNode(escape)), e.count == 1, let first = e.first else {
                throw ExpressionError(.invalidArgument, "ESCAPE must be a single character string", at: escape.location)
            }
            escapeCharacter = first
        }
        let compiled = try LikePattern(text, escape: escapeCharacter, caseInsensitive: caseInsensitive, at: pattern.location)
        return .like(value, pattern: compiled, negated: negated)
    }

    private func bindCase(_ operand: Expression?, _ branches: [CaseBranch], _ otherwise: Expression?, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        let subject = try operand.map { (o) throws(ExpressionError) -> BoundExpression in try bindNode(o) }
        var conditions: [BoundExpression] = []
        var values: [BoundExpression] = []
        for branch in branches {
            let when = try bindNode(branch.when)
            if let subject, let operand {
                conditions.append(try bindComparison(.equal, subject, when, operand, branch.when, at: branch.when.location))
            } else {
                conditions.append(try requireBoolean(when, branch.when, at: branch.when.location, what: "WHEN"))
            }
            values.append(try bindNode(branch.then))
        }
        let elseValue = try otherwise.map { (o) throws(ExpressionError) -> BoundExpression in try bindNode(o) }
        let sources = branches.map(\.then) + (otherwise.map { [$0] } ?? [])
        let type = try commonType(of: values + (elseValue.map { [$0] } ?? []), sources, at: at, what: "CASE results")
        let bound = zip(conditions, values).map { BoundCaseBranch(when: $0, then: coerce($1, to: type)) }
        return .caseWhen(bound, otherwise: elseValue.map { coerce($0, to: type) }, type: type)
    }

    /// The common type of several values (NULL literals adapt; all NULL is boolean).
    func commonType(of values: [BoundExpression], _ sources: [Expression], at: SourceLocation, what: String) throws(ExpressionError) -> DataType {
        var common: DataType? = nil
        for (value, source) in zip(values, sources) where !isNullLiteral(value) {
            guard let current = common else {
                common = value.type
                continue
            }
            if let adapted = adaptIntegerLiteral(value, to: current), adapted.type == current { continue }
            guard let next = TypeRules.common(current, value.type) else {
                throw ExpressionError(.typeMismatch, "\(what) have no common type: \(current.sqlName) and \(value.type.sqlName) (\(source.sql))", at: source.location)
            }
            common = next
        }
        return common ?? .boolean
    }

    func castExpression(_ operand: BoundExpression, to type: DataType, source: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if isNullLiteral(operand) { return .literal(.null, type: type) }
        if operand.type == type { return operand }
        guard TypeRules.canCast(operand.type, type) else {
            throw ExpressionError(.typeMismatch, "cannot cast \(source.sql) from \(operand.type.sqlName) to \(type.sqlName)", at: at)
        }
        return .cast(operand, type: type)
    }

    // MARK: - Arithmetic

    private func bindArithmetic(_ op: BinaryOperator, _ a: Expression, _ b: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        // INTERVAL operands: date/timestamp ± interval.
        if case let .literal(.interval(count, unit), _) = b, op == .add || op == .subtract {
            let temporal = try bindNode(a)
            return try FunctionBinder(binder: self).bindIntervalArithmetic(temporal, count: op == .add ? count : -count, unit: unit, a, at: at)
        }
        if case let .literal(.interval(count, unit), _) = a, op == .add {
            let temporal = try bindNode(b)
            return try FunctionBinder(binder: self).bindIntervalArithmetic(temporal, count: count, unit: unit, b, at: at)
        }
        var x = try bindNode(a), y = try bindNode(b)
        let mismatch = ExpressionError(.typeMismatch, "cannot apply \(op.rawValue) to \(a.sql) (\(x.type.sqlName)) and \(b.sql) (\(y.type.sqlName))", at: at)
        if isNullLiteral(x) && isNullLiteral(y) { return .literal(.null, type: .int32) }
        if isNullLiteral(x) { x = .literal(.null, type: y.type) }
        if isNullLiteral(y) { y = .literal(.null, type: x.type) }
        // Dates: date ± integer days, integer + date, date - date (days).
        if x.type == .date32 || y.type == .date32 {
            if x.type == .date32, y.type.isInteger, op == .add || op == .subtract {
                return .arithmetic(op, x, coerce(y, to: .int32), type: .date32)
            }
            if y.type == .date32, x.type.isInteger, op == .add {
                return .arithmetic(op, y, coerce(x, to: .int32), type: .date32)
            }
            if x.type == .date32, y.type == .date32, op == .subtract {
                return .arithmetic(op, x, y, type: .int64)
            }
            throw mismatch
        }
        if case .timestamp = x.type, case .timestamp = y.type, op == .subtract {
            throw ExpressionError(.unsupported, "subtracting timestamps is not supported; use datediff or date_diff on dates, or subtract epoch seconds", at: at)
        }
        // A string literal next to a number is read as that number.
        if case .literal(.string, _) = x, y.type.isNumeric, let c = literalAs(x, y.type) { x = c }
        if case .literal(.string, _) = y, x.type.isNumeric, let c = literalAs(y, x.type) { y = c }
        guard x.type.isNumeric, y.type.isNumeric else { throw mismatch }
        if let adapted = adaptIntegerLiteral(y, to: x.type) { y = adapted }
        if let adapted = adaptIntegerLiteral(x, to: y.type) { x = adapted }
        // Division of integers and floats is in double; decimals keep decimals.
        if op == .divide {
            if TypeRules.isDecimal(x.type) || TypeRules.isDecimal(y.type), !x.type.isFloatingPoint, !y.type.isFloatingPoint,
               let dx = TypeRules.decimalShape(x.type), let dy = TypeRules.decimalShape(y.type) {
                let scale = min(38, max(6, dx.scale + dy.precision + 1))
                let lx = coerce(x, to: .decimal(precision: dx.precision, scale: dx.scale))
                let ly = coerce(y, to: .decimal(precision: dy.precision, scale: dy.scale))
                let precision = min(38, dx.precision - dx.scale + dy.scale + scale)
                return .arithmetic(op, lx, ly, type: .decimal(precision: max(precision, scale), scale: scale))
            }
            return .arithmetic(op, coerce(x, to: .float64), coerce(y, to: .float64), type: .float64)
        }
        guard var common = TypeRules.commonNumeric(x.type, y.type) else { throw mismatch }
        if TypeRules.isUnsigned(common) {
            // Unsigned arithmetic is done in the next wider signed type.
            common = TypeRules.commonNumeric(common, .int8) ?? .int64
            if case .decimal = common {} else if TypeRules.bits(common) > 64 { common = .int64 }
        }
        if case let .decimal(p, s) = common, let dx = TypeRules.decimalShape(x.type), let dy = TypeRules.decimalShape(y.type) {
            switch op {
            case .add, .subtract:
                let type = DataType.decimal(precision: min(38, p + 1), scale: s)
                return .arithmetic(op, coerce(x, to: .decimal(precision: p, scale: s)), coerce(y, to: .decimal(precision: p, scale: s)), type: type)
            case .multiply:
                let scale = dx.scale + dy.scale
                guard scale <= 38 else {
                    throw ExpressionError(.unsupported, "decimal product would need scale \(scale) (> 38); CAST an operand to a smaller scale or to DOUBLE", at: at)
                }
                let type = DataType.decimal(precision: min(38, dx.precision + dy.precision + 1), scale: scale)
                return .arithmetic(op, coerce(x, to: .decimal(precision: dx.precision, scale: dx.scale)),
                                   coerce(y, to: .decimal(precision: dy.precision, scale: dy.scale)), type: type)
            default:
                return .arithmetic(op, coerce(x, to: common), coerce(y, to: common), type: common)
            }
        }
        return .arithmetic(op, coerce(x, to: common), coerce(y, to: common), type: common)
    }

    // MARK: - Constant folding

    /// Evaluates constant subtrees once. A subtree whose evaluation fails is left as
    /// it is, so its error appears only if a row actually evaluates it.
    func fold(_ e: BoundExpression) -> BoundExpression {
        if case .literal = e { return e }
        guard e.isConstant else { return e }
        guard let batch = try? RecordBatch(schema: Schema([]), columns: [], rowCount: 1),
              let column = try? e.evaluate(batch), column.count == 1 else { return e }
        return .literal(column.value(at: 0), type: e.type)
    }
}
