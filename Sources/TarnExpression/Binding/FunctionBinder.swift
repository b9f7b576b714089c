// FunctionBinder: checks a scalar function call's arguments and result type and builds
// its bound form (constant parameters pulled out, operands coerced). Must never accept
// an argument count or type the evaluator does not handle.

import TarnColumnar

struct FunctionBinder {
    let binder: ExpressionBinder

    func bind(_ name: String, _ args: [BoundExpression], _ sources: [Expression], at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        func count(_ range: ClosedRange<Int>) throws(ExpressionError) {
            guard range.contains(args.count) else {
                let expected = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw ExpressionError(.invalidArgument, "\(name)() takes \(expected) argument\(range.upperBound == 1 ? "" : "s"), got \(args.count)", at: at)
            }
        }
        func string(_ i: Int) throws(ExpressionError) -> BoundExpression {
            let a = args[i]
            if case .literal(.null, _) = a { return .literal(.null, type: .string) }
            if a.type == .string { return a }
            guard !a.type.isNested, a.type != .binary else {
                throw ExpressionError(.typeMismatch, "\(name)() needs a string, but \(sources[i].sql) is \(a.type.sqlName)", at: sources[i].location)
            }
            return binder.coerce(a, to: .string)
        }
        func constant(_ i: Int) throws(ExpressionError) -> ScalarValue {
            let folded = binder.fold(args[i])
            guard case let .literal(value, _) = folded else {
                throw ExpressionError(.unsupported, "argument \(i + 1) of \(name)() must be a constant", at: sources[i].location)
            }
            return value
        }
        func constantInt(_ i: Int) throws(ExpressionError) -> Int64? {
            switch try constant(i) {
            case .null: return nil
            case let .int(v): return v
            case let .uint(v): if let x = Int64(exactly: v) { return x }
            default: break
            }
            throw ExpressionError(.typeMismatch, "argument \(i + 1) of \(name)() must be an integer", at: sources[i].location)
        }
        func constantString(_ i: Int) throws(ExpressionError) -> String? {
            switch try constant(i) {
            case .null: return nil
            case let .string(s): return s
            default: throw ExpressionError(.typeMismatch, "argument \(i + 1) of \(name)() must be a string", at: sources[i].location)
            }
        }
        func nullResult(_ type: DataType) -> BoundExpression { .literal(.null, type: type) }
        func call(_ f: ScalarFunction, _ operands: [BoundExpression], _ type: DataType, nullable: Bool? = nil) -> BoundExpression {
            .function(f, operands, type: type, nullable: nullable ?? operands.contains { $0.nullable })
        }
        func number(_ i: Int) throws(ExpressionError) -> BoundExpression {
            let a = args[i]
            if case .literal(.null, _) = a { return .literal(.null, type: .float64) }
            guard a.type.isNumeric else {
                throw ExpressionError(.typeMismatch, "\(name)() needs a number, but \(sources[i].sql) is \(a.type.sqlName)", at: sources[i].location)
            }
            return a
        }
        func temporal(_ i: Int) throws(ExpressionError) -> BoundExpression {
            let a = args[i]
            if case .literal(.null, _) = a { return .literal(.null, type: .date32) }
            switch a.type {
            case .date32, .timestamp: return a
            case .string:
                if case let .literal(value, _) = a, let converted = ExpressionBinder.convertLiteral(value, from: .string, to: .timestamp(.utc)) {
                    return .literal(converted, type: .timestamp(.utc))
                }
                fallthrough
            default:
                throw ExpressionError(.typeMismatch, "\(name)() needs a date or timestamp, but \(sources[i].sql) is \(a.type.sqlName)", at: sources[i].location)
            }
        }
        func unify(_ what: String) throws(ExpressionError) -> (DataType, [BoundExpression]) {
            let type = try binder.commonType(of: args, sources, at: at, what: "\(what)() arguments")
            return (type, args.map { binder.coerce($0, to: type) })
        }

        switch name {
        case "lower", "lcase": try count(1...1); return call(.lower, [try string(0)], .string)
        case "upper", "ucase": try count(1...1); return call(.upper, [try string(0)], .string)
        case "length", "char_length", "character_length", "len":
            try count(1...1); return call(.length, [try string(0)], .int64)
        case "octet_length": try count(1...1); return call(.octetLength, [try string(0)], .int64)
        case "reverse": try count(1...1); return call(.reverse, [try string(0)], .string)
        case "substr", "substring":
            try count(2...3)
            guard let start = try constantInt(1) else { return nullResult(.string) }
            var length: Int64? = nil
            if args.count == 3 {
                guard let l = try constantInt(2) else { return nullResult(.string) }
                length = l
            }
            return call(.substring(start: start, length: length), [try string(0)], .string)
        case "trim", "btrim": try count(1...1); return call(.trim(.both), [try string(0)], .string)
        case "ltrim": try count(1...1); return call(.trim(.leading), [try string(0)], .string)
        case "rtrim": try count(1...1); return call(.trim(.trailing), [try string(0)], .string)
        case "concat":
            try count(1...1024)
            var operands: [BoundExpression] = []
            for i in args.indices { operands.append(try string(i)) }
            return call(.concat, operands, .string, nullable: false)
        case "concat_ws":
            try count(2...1024)
            guard let separator = try constantString(0) else { return nullResult(.string) }
            var operands: [BoundExpression] = []
            for i in 1..<args.count { operands.append(try string(i)) }
            return call(.concatWithSeparator(separator), operands, .string, nullable: false)
        case "replace":
            try count(3...3)
            guard let from = try constantString(1), let to = try constantString(2) else { return nullResult(.string) }
            return call(.replace(from, to), [try string(0)], .string)
        case "starts_with", "startswith":
            try count(2...2)
            guard let s = try constantString(1) else { return nullResult(.boolean) }
            return call(.startsWith(s), [try string(0)], .boolean)
        case "ends_with", "endswith":
            try count(2...2)
            guard let s = try constantString(1) else { return nullResult(.boolean) }
            return call(.endsWith(s), [try string(0)], .boolean)
        case "contains":
            try count(2...2)
            guard let s = try constantString(1) else { return nullResult(.boolean) }
            return call(.contains(s), [try string(0)], .boolean)
        case "strpos", "instr", "position":
            try count(2...2)
            guard let s = try constantString(1) else { return nullResult(.int64) }
            return call(.position(s), [try string(0)], .int64)
        case "left", "right":
            try count(2...2)
            guard let n = try constantInt(1) else { return nullResult(.string) }
            return call(name == "left" ? .left(n) : .right(n), [try string(0)], .string)
        case "repeat":
            try count(2...2)
            guard let n = try constantInt(1) else { return nullResult(.string) }
            return call(.repeatText(n), [try string(0)], .string)
        case "lpad", "rpad":
            try count(2...3)
            guard let width = try constantInt(1) else { return nullResult(.string) }
            var fill = " "
            if args.count == 3 {
                guard let f = try constantString(2) else { return nullResult(.string) }
                fill = f
            }
            return call(.pad(width: width, fill: fill, atStart: name == "lpad"), [try string(0)], .string)
        case "coalesce", "ifnull", "nvl":
            try count(name == "coalesce" ? 1...1024 : 2...2)
            let (type, operands) = try unify(name)
            return call(.coalesce, operands, type, nullable: operands.allSatisfy(\.nullable))
        case "nullif":
            try count(2...2)
            let (type, operands) = try unify(name)
            return call(.nullIf, operands, type, nullable: true)
        case "greatest", "least":
            try count(1...1024)
            let (type, operands) = try unify(name)
            if type.isNested {
                throw ExpressionError(.typeMismatch, "\(name)() cannot order \(type.sqlName) values", at: at)
            }
            return call(name == "greatest" ? .greatest : .least, operands, type, nullable: operands.allSatisfy(\.nullable))
        case "if", "iff":
            try count(3...3)
            let condition = try binder.requireBoolean(args[0], sources[0], at: at, what: "if()")
            let type = try binder.commonType(of: [args[1], args[2]], [sources[1], sources[2]], at: at, what: "if() results")
            return .caseWhen([BoundCaseBranch(when: condition, then: binder.coerce(args[1], to: type))],
                             otherwise: binder.coerce(args[2], to: type), type: type)
        case "abs":
            try count(1...1)
            let x = try number(0)
            return call(.abs, [x], x.type)
        case "sign", "signum":
            try count(1...1)
            return call(.sign, [binder.coerce(try number(0), to: .float64)], .int32)
        case "floor", "ceil", "ceiling":
            try count(1...1)
            let x = try number(0)
            var type = x.type
            if case let .decimal(p, s) = type { type = .decimal(precision: min(38, p - s + 1), scale: 0) }
            return call(name == "floor" ? .floor : .ceil, [x], type)
        case "round":
            try count(1...2)
            let x = try number(0)
            var digits: Int64 = 0
            if args.count == 2 {
                guard let d = try constantInt(1) else { return nullResult(x.type) }
                digits = max(-38, min(38, d))
            }
            var type = x.type
            if case let .decimal(p, s) = type {
                let newScale = max(0, min(s, Int(digits)))
                type = .decimal(precision: min(38, p - s + newScale + 1), scale: newScale)
            }
            return call(.round(digits: Int(digits)), [x], type)
        case "sqrt", "ln", "log10", "log2", "exp":
            try count(1...1)
            let f: ScalarFunction = name == "sqrt" ? .sqrt : name == "ln" ? .ln : name == "log10" ? .log10 : name == "log2" ? .log2 : .exp
            return call(f, [binder.coerce(try number(0), to: .float64)], .float64)
        case "power", "pow":
            try count(2...2)
            return call(.power, [binder.coerce(try number(0), to: .float64), binder.coerce(try number(1), to: .float64)], .float64)
        case "mod":
            try count(2...2)
            return try binder.bind(.binary(.modulo, sources[0], sources[1], at: at))
        case "date_trunc":
            try count(2...2)
            guard let unit = try constantString(0) else { return nullResult(args[1].type) }
            guard let field = DateTimeField(word: unit), DateTruncation.supports(field) else {
                throw ExpressionError(.invalidArgument, "date_trunc unit '\(unit)' is not one of year, quarter, month, week, day, hour, minute, second, millisecond, microsecond", at: sources[0].location)
            }
            let x = try temporal(1)
            return call(.dateTrunc(field), [x], x.type)
        case "date_part", "datepart":
            try count(2...2)
            guard let unit = try constantString(0) else { return nullResult(.int64) }
            guard let field = DateTimeField(word: unit) else {
                throw ExpressionError(.invalidArgument, "unknown date part '\(unit)'", at: sources[0].location)
            }
            return try bindExtract(field, args[1], sources[1], at: at)
        case "year", "quarter", "month", "day", "dayofmonth", "dayofweek", "dayofyear", "hour", "minute", "second", "week", "weekofyear":
            try count(1...1)
            let field: DateTimeField
            switch name {
            case "dayofmonth": field = .day
            case "weekofyear": field = .week
            default: field = DateTimeField(word: name) ?? .year
            }
            return try bindExtract(field, args[0], sources[0], at: at)
        case "date_add", "date_sub":
            try count(2...2)
            let x = try temporal(0)
            guard args[1].type.isInteger || isNull(args[1]) else {
                throw ExpressionError(.typeMismatch, "\(name)() needs a whole number of days, but \(sources[1].sql) is \(args[1].type.sqlName)", at: sources[1].location)
            }
            let days = binder.coerce(args[1], to: .int32)
            let date = binder.coerce(x, to: .date32)
            if name == "date_add" { return .arithmetic(.add, date, days, type: .date32) }
            return .arithmetic(.subtract, date, days, type: .date32)
        case "datediff", "date_diff":
            try count(2...2)
            let end = binder.coerce(try temporal(0), to: .date32), start = binder.coerce(try temporal(1), to: .date32)
            return .arithmetic(.subtract, end, start, type: .int64)
        case "now", "current_timestamp", "localtimestamp":
            try count(0...0)
            return .literal(.timestamp(binder.now, .utc), type: .timestamp(.utc))
        case "current_date", "today":
            try count(0...0)
            let days = binder.now >= 0 ? binder.now / 86_400_000_000 : (binder.now + 1) / 86_400_000_000 - 1
            return .literal(.date(Int32(truncatingIfNeeded: days)), type: .date32)
        default:
            var message = "unknown function \(name)()"
            let known = FunctionCatalog.scalars.union(FunctionCatalog.aggregates)
            if let close = known.min(by: { editDistance(name, $0) < editDistance(name, $1) }), editDistance(name, close) <= 2 {
                message += " (did you mean \(close)()?)"
            }
            throw ExpressionError(.unknownFunction, message, at: at)
        }
    }

    private func isNull(_ x: BoundExpression) -> Bool {
        if case .literal(.null, _) = x { return true }
        return false
    }

    func bindExtract(_ field: DateTimeField, _ x: BoundExpression, _ source: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if isNull(x) { return .literal(.null, type: .int64) }
        var operand = x
        if x.type == .string, case let .literal(value, _) = x,
           let converted = ExpressionBinder.convertLiteral(value, from: .string, to: .timestamp(.utc)) {
            operand = .literal(converted, type: .timestamp(.utc))
        }
        switch operand.type {
        case .date32:
            switch field {
            case .hour, .minute, .second, .millisecond, .microsecond: return .literal(.int(0), type: .int64)
            default: break
            }
        case .timestamp: break
        default:
            throw ExpressionError(.typeMismatch, "EXTRACT(\(field.rawValue)) needs a date or timestamp, but \(source.sql) is \(x.type.sqlName)", at: source.location)
        }
        return .function(.extract(field), [operand], type: .int64, nullable: operand.nullable)
    }

    func bindIntervalArithmetic(_ x: BoundExpression, count: Int64, unit: IntervalUnit, _ source: Expression, at: SourceLocation) throws(ExpressionError) -> BoundExpression {
        if isNull(x) { return x }
        var operand = x
        if x.type == .string, case let .literal(value, _) = x,
           let converted = ExpressionBinder.convertLiteral(value, from: .string, to: .timestamp(.utc)) {
            operand = .literal(converted, type: .timestamp(.utc))
        }
        switch operand.type {
        case .date32:
            switch unit {
            case .year, .month, .week, .day: return .function(.addInterval(unit, count), [operand], type: .date32, nullable: operand.nullable)
            default:
                let ts = binder.coerce(operand, to: .timestamp(.utc))
                return .function(.addInterval(unit, count), [ts], type: .timestamp(.utc), nullable: operand.nullable)
            }
        case let .timestamp(zone):
            return .function(.addInterval(unit, count), [operand], type: .timestamp(zone), nullable: operand.nullable)
        default:
            throw ExpressionError(.typeMismatch, "an INTERVAL can only be added to a date or timestamp, not \(source.sql) (\(x.type.sqlName))", at: at)
        }
    }
}
