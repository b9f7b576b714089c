// ExpressionParser: tokens into an `Expression` by precedence climbing, plus SQL type
// names into `DataType`. Must never recurse without charging the cursor's nesting
// budget, so any input ends in a tree or an `ExpressionError`, never a stack overflow.

import TarnColumnar

// Precedence, lowest first: OR; AND; NOT; comparisons, IS, IN, BETWEEN, LIKE/ILIKE;
// `||`; `+ -`; `* / %`; unary `-`; `::`; primary. Binary operators associate left.

/// Parses SQL expressions and type names.
public enum ExpressionParser {
    /// Parses `text` as one whole expression.
    /// - Throws: `.syntax` with the location of the first token that does not fit.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var cursor = TokenCursor(tokens: try Lexer.tokenize(text))
        let expression = try parseExpression(&cursor)
        guard cursor.isAtEnd else { throw cursor.error(expected: "end of expression") }
        return expression
    }

    /// Parses one expression starting at the cursor and leaves the cursor on the first
    /// token after it (a statement parser continues from there).
    public static func parseExpression(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try cursor.enterNesting()
        defer { cursor.leaveNesting() }
        return try parseOr(&cursor)
    }

    /// Parses a SQL type name: BOOLEAN, TINYINT, SMALLINT, INT/INTEGER, BIGINT/LONG,
    /// FLOAT/REAL, DOUBLE, DECIMAL(p,s), STRING/VARCHAR(n)/TEXT, BINARY, DATE,
    /// TIMESTAMP, TIMESTAMP_NTZ, ARRAY<t>, MAP<k,v>, STRUCT<a: t, …>.
    public static func parseType(_ cursor: inout TokenCursor) throws(ExpressionError) -> DataType {
        try cursor.enterNesting()
        defer { cursor.leaveNesting() }
        let token = cursor.peek
        guard token.kind == .identifier || token.kind == .keyword else { throw cursor.error(expected: "a type name") }
        let name = token.text.uppercased()
        switch name {
        case "BOOLEAN", "BOOL": cursor.advance(); return .boolean
        case "TINYINT", "BYTE", "INT1": cursor.advance(); return .int8
        case "SMALLINT", "SHORT", "INT2": cursor.advance(); return .int16
        case "INT", "INTEGER", "INT4": cursor.advance(); return .int32
        case "BIGINT", "LONG", "INT8": cursor.advance(); return .int64
        case "UTINYINT": cursor.advance(); return .uint8
        case "USMALLINT": cursor.advance(); return .uint16
        case "UINTEGER", "UINT": cursor.advance(); return .uint32
        case "UBIGINT": cursor.advance(); return .uint64
        case "FLOAT", "REAL", "FLOAT4": cursor.advance(); return .float32
        case "DOUBLE", "FLOAT8":
            cursor.advance()
            _ = cursor.consumeKeyword("PRECISION")
            return .float64
        case "DECIMAL", "NUMERIC", "DEC":
            cursor.advance()
            guard cursor.consumeSymbol("(") else { return .decimal(precision: 10, scale: 0) }
            let precisionToken = cursor.peek
            let precision = try parseSmallInteger(&cursor, what: "decimal precision")
            var scale = 0
            if cursor.consumeSymbol(",") { scale = try parseSmallInteger(&cursor, what: "decimal scale") }
            try cursor.expectSymbol(")")
            guard (1...38).contains(precision) else {
                throw ExpressionError(.syntax, "decimal precision must be 1 to 38, found \(precision)", at: precisionToken.location)
            }
            guard scale <= precision else {
                throw ExpressionError(.syntax, "decimal scale \(scale) exceeds its precision \(precision)", at: precisionToken.location)
            }
            return .decimal(precision: precision, scale: scale)
        case "STRING", "TEXT":
            cursor.advance()
            return .string
        case "VARCHAR", "CHAR", "CHARACTER":
            cursor.advance()
            _ = cursor.consumeKeyword("VARYING")
            if cursor.consumeSymbol("(") {
                _ = try parseSmallInteger(&cursor, what: "string length")
                try cursor.expectSymbol(")")
            }
            return .string
        case "BINARY", "VARBINARY", "BYTEA", "BLOB": cursor.advance(); return .binary
        case "DATE": cursor.advance(); return .date32
        case "TIMESTAMP", "TIMESTAMP_LTZ", "TIMESTAMPTZ":
            cursor.advance()
            if cursor.consumeKeyword("WITHOUT", "TIME", "ZONE") { return .timestamp(.ntz) }
            _ = cursor.consumeKeyword("WITH", "TIME", "ZONE")
            return .timestamp(.utc)
        case "TIMESTAMP_NTZ": cursor.advance(); return .timestamp(.ntz)
        case "ARRAY":
            cursor.advance()
            try cursor.expectSymbol("<")
            let element = try parseType(&cursor)
            try cursor.expectSymbol(">")
            return .list(Field("element", element))
        case "MAP":
            cursor.advance()
            try cursor.expectSymbol("<")
            let key = try parseType(&cursor)
            try cursor.expectSymbol(",")
            let value = try parseType(&cursor)
            try cursor.expectSymbol(">")
            return .map(key: Field("key", key, nullable: false), value: Field("value", value))
        case "STRUCT":
            cursor.advance()
            try cursor.expectSymbol("<")
            var fields: [Field] = []
            if !cursor.isSymbol(">") {
                repeat {
                    let fieldName = try parseFieldName(&cursor)
                    _ = cursor.consumeSymbol(":")
                    let fieldType = try parseType(&cursor)
                    var nullable = true
                    if cursor.consumeKeyword("NOT", "NULL") { nullable = false }
                    fields.append(Field(fieldName, fieldType, nullable: nullable))
                } while cursor.consumeSymbol(",")
            }
            try cursor.expectSymbol(">")
            return .structure(fields)
        default:
            throw ExpressionError(.syntax, "expected a type name, found \(token) (types: BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, DATE, TIMESTAMP, …)", at: token.location)
        }
    }

    /// A struct field name: any word (reserved ones too) or a quoted name.
    private static func parseFieldName(_ cursor: inout TokenCursor) throws(ExpressionError) -> String {
        let token = cursor.peek
        switch token.kind {
        case .identifier, .quotedIdentifier, .keyword:
            cursor.advance()
            return token.text
        default:
            throw cursor.error(expected: "a field name")
        }
    }

    private static func parseSmallInteger(_ cursor: inout TokenCursor, what: String) throws(ExpressionError) -> Int {
        let token = cursor.peek
        guard token.kind == .integer, let value = Int(token.text), value <= 1_000_000 else {
            throw cursor.error(expected: what)
        }
        cursor.advance()
        return value
    }

    // MARK: - Precedence levels

    /// Parses `operand (op operand)*` left-associatively, charging one nesting level per
    /// operator so long chains stay within the budget of a recursive tree.
    private static func leftAssociative(
        _ cursor: inout TokenCursor,
        operand: (inout TokenCursor) throws(ExpressionError) -> Expression,
        operator match: (inout TokenCursor) -> BinaryOperator?
    ) throws(ExpressionError) -> Expression {
        var lhs = try operand(&cursor)
        var levels = 0
        defer { cursor.leaveNesting(levels) }
        while true {
            let location = cursor.peek.location
            guard let op = match(&cursor) else { return lhs }
            try cursor.enterNesting()
            levels += 1
            let rhs = try operand(&cursor)
            lhs = .binary(op, lhs, rhs, at: location)
        }
    }

    private static func parseOr(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try leftAssociative(&cursor, operand: parseAnd) { c in
            c.peek.kind == .keyword && c.consumeKeyword("OR") ? .or : nil
        }
    }

    private static func parseAnd(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try leftAssociative(&cursor, operand: parseNot) { c in
            c.peek.kind == .keyword && c.consumeKeyword("AND") ? .and : nil
        }
    }

    private static func parseNot(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let token = cursor.peek
        guard token.kind == .keyword, token.isWord("NOT") else { return try parseComparison(&cursor) }
        cursor.advance()
        try cursor.enterNesting()
        defer { cursor.leaveNesting() }
        return .unary(.not, try parseNot(&cursor), at: token.location)
    }

    private static let comparisonSymbols: [String: BinaryOperator] = [
        "=": .equal, "==": .equal, "!=": .notEqual, "<>": .notEqual, "<": .less, "<=": .lessOrEqual,
        ">": .greater, ">=": .greaterOrEqual, "<=>": .isNotDistinctFrom,
    ]

    private static func parseComparison(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        var lhs = try parseConcat(&cursor)
        var levels = 0
        defer { cursor.leaveNesting(levels) }
        while true {
            let token = cursor.peek
            if token.kind == .symbol, let op = comparisonSymbols[token.text] {
                cursor.advance()
                try cursor.enterNesting()
                levels += 1
                lhs = .binary(op, lhs, try parseConcat(&cursor), at: token.location)
                continue
            }
            guard token.kind == .keyword else { return lhs }
            if token.isWord("IS") {
                cursor.advance()
                try cursor.enterNesting()
                levels += 1
                let negated = cursor.consumeKeyword("NOT")
                if cursor.consumeKeyword("NULL") {
                    lhs = .isNull(lhs, negated: negated, at: token.location)
                } else if cursor.consumeKeyword("TRUE") {
                    lhs = .isTruth(lhs, value: true, negated: negated, at: token.location)
                } else if cursor.consumeKeyword("FALSE") {
                    lhs = .isTruth(lhs, value: false, negated: negated, at: token.location)
                } else if cursor.consumeKeyword("DISTINCT", "FROM") {
                    let rhs = try parseConcat(&cursor)
                    lhs = .binary(negated ? .isNotDistinctFrom : .isDistinctFrom, lhs, rhs, at: token.location)
                } else {
                    throw cursor.error(expected: "NULL, TRUE, FALSE or DISTINCT FROM after IS")
                }
                continue
            }
            var negated = false
            if token.isWord("NOT") {
                let next = cursor.peek(ahead: 1)
                guard next.kind == .keyword, next.isWord("IN") || next.isWord("BETWEEN") || next.isWord("LIKE") || next.isWord("ILIKE") else {
                    return lhs
                }
                cursor.advance()
                negated = true
            }
            let keyword = cursor.peek
            try cursor.enterNesting()
            levels += 1
            if cursor.consumeKeyword("IN") {
                try cursor.expectSymbol("(")
                if cursor.startsQuery() {
                    let query = try parseSubquery(&cursor)
                    try cursor.expectSymbol(")")
                    lhs = .inSubquery(lhs, query, negated: negated, at: keyword.location)
                    continue
                }
                var items: [Expression] = []
                repeat {
                    items.append(try parseExpression(&cursor))
                } while cursor.consumeSymbol(",")
                try cursor.expectSymbol(")")
                lhs = .inList(lhs, items, negated: negated, at: keyword.location)
            } else if cursor.consumeKeyword("BETWEEN") {
                let low = try parseConcat(&cursor)
                try cursor.expectKeyword("AND")
                let high = try parseConcat(&cursor)
                lhs = .between(lhs, low: low, high: high, negated: negated, at: keyword.location)
            } else if keyword.isWord("LIKE") || keyword.isWord("ILIKE") {
                cursor.advance()
                let pattern = try parseConcat(&cursor)
                var escape: Expression? = nil
                if cursor.consumeKeyword("ESCAPE") { escape = try parseConcat(&cursor) }
                lhs = .like(lhs, pattern: pattern, escape: escape, caseInsensitive: keyword.isWord("ILIKE"),
                            negated: negated, at: keyword.location)
            } else {
                // Another keyword (AS, FROM, THEN, …) ends the expression.
                return lhs
            }
        }
    }

    private static func parseConcat(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try leftAssociative(&cursor, operand: parseAdditive) { c in c.consumeSymbol("||") ? .concat : nil }
    }

    private static func parseAdditive(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try leftAssociative(&cursor, operand: parseMultiplicative) { c in
            if c.consumeSymbol("+") { return .add }
            if c.consumeSymbol("-") { return .subtract }
            return nil
        }
    }

    private static func parseMultiplicative(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        try leftAssociative(&cursor, operand: parseUnary) { c in
            if c.consumeSymbol("*") { return .multiply }
            if c.consumeSymbol("/") { return .divide }
            if c.consumeSymbol("%") { return .modulo }
            return nil
        }
    }

    private static func parseUnary(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let token = cursor.peek
        if token.isSymbol("-") || token.isSymbol("+") {
            cursor.advance()
            try cursor.enterNesting()
            defer { cursor.leaveNesting() }
            let operand = try parseUnary(&cursor)
            return token.isSymbol("-") ? .unary(.negate, operand, at: token.location) : operand
        }
        return try parsePostfix(&cursor)
    }

    private static func parsePostfix(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        var expression = try parsePrimary(&cursor)
        var levels = 0
        defer { cursor.leaveNesting(levels) }
        while cursor.isSymbol("::") {
            let location = cursor.advance().location
            try cursor.enterNesting()
            levels += 1
            expression = .cast(expression, try parseType(&cursor), at: location)
        }
        return expression
    }

    // MARK: - Primary expressions

    private static func parsePrimary(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let token = cursor.peek
        let at = token.location
        switch token.kind {
        case .integer:
            cursor.advance()
            if let value = Int64(token.text) { return .literal(.integer(value), at: at) }
            return .literal(.decimal(token.text), at: at)
        case .decimal:
            cursor.advance()
            return .literal(.decimal(token.text), at: at)
        case .string:
            cursor.advance()
            return .literal(.string(token.text), at: at)
        case .symbol:
            if token.text == "(" {
                cursor.advance()
                if cursor.startsQuery() {
                    let query = try parseSubquery(&cursor)
                    try cursor.expectSymbol(")")
                    return .scalarSubquery(query, at: at)
                }
                let inner = try parseExpression(&cursor)
                try cursor.expectSymbol(")")
                return inner
            }
            if token.text == "*" {
                cursor.advance()
                return .star(qualifier: [], at: at)
            }
            throw cursor.error(expected: "an expression")
        case .keyword:
            let word = token.text.uppercased()
            switch word {
            case "NULL": cursor.advance(); return .literal(.null, at: at)
            case "TRUE": cursor.advance(); return .literal(.boolean(true), at: at)
            case "FALSE": cursor.advance(); return .literal(.boolean(false), at: at)
            case "CASE": return try parseCase(&cursor)
            case "LEFT", "RIGHT":
                if cursor.peek(ahead: 1).isSymbol("(") { return try parseName(&cursor) }
            default:
                if Keywords.columnNamesToo.contains(word) { return try parseName(&cursor) }
            }
            throw cursor.error(expected: "an expression")
        case .identifier, .quotedIdentifier:
            if token.kind == .identifier {
                let next = cursor.peek(ahead: 1)
                let word = token.text.uppercased()
                if (word == "DATE" || word == "TIMESTAMP" || word == "TIMESTAMP_NTZ") && next.kind == .string {
                    cursor.advance()
                    cursor.advance()
                    return try temporalLiteral(word, next)
                }
                if word == "INTERVAL" && (next.kind == .string || next.kind == .integer || next.isSymbol("-")) {
                    return try parseInterval(&cursor)
                }
                if word == "CAST" && next.isSymbol("(") { return try parseCast(&cursor) }
                if word == "EXISTS" && next.isSymbol("(") && cursor.startsQuery(ahead: 2) {
                    cursor.advance()
                    cursor.advance()
                    let query = try parseSubquery(&cursor)
                    try cursor.expectSymbol(")")
                    return .exists(query, at: at)
                }
                if word == "EXTRACT" && next.isSymbol("(") { return try parseExtract(&cursor) }
                if (word == "CURRENT_DATE" || word == "CURRENT_TIMESTAMP") && !next.isSymbol("(") {
                    cursor.advance()
                    return .function(FunctionCall(name: token.text, arguments: []), at: at)
                }
            }
            return try parseName(&cursor)
        case .end:
            throw cursor.error(expected: "an expression")
        }
    }

    /// A column reference, `t.*`, or a function call.
    private static func parseName(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let first = cursor.advance()
        let at = first.location
        if first.kind != .quotedIdentifier && cursor.isSymbol("(") {
            return try parseCall(&cursor, name: first.text, at: at)
        }
        var parts = [first.text]
        while cursor.isSymbol(".") {
            let next = cursor.peek(ahead: 1)
            if next.isSymbol("*") {
                cursor.advance()
                cursor.advance()
                return .star(qualifier: parts, at: at)
            }
            // Any word after a dot is a name part (`t.order`, `s.end`).
            guard next.kind == .identifier || next.kind == .quotedIdentifier || next.kind == .keyword else {
                cursor.advance()
                throw cursor.error(expected: "a name after '.'")
            }
            cursor.advance()
            parts.append(cursor.advance().text)
        }
        return .column(parts, at: at)
    }

    private static func parseCall(_ cursor: inout TokenCursor, name: String, at: SourceLocation) throws(ExpressionError) -> Expression {
        try cursor.expectSymbol("(")
        if cursor.consumeSymbol(")") {
            return .function(FunctionCall(name: name, arguments: [], window: try parseOver(&cursor)), at: at)
        }
        if cursor.isSymbol("*"), cursor.peek(ahead: 1).isSymbol(")") {
            cursor.advance()
            cursor.advance()
            return .function(FunctionCall(name: name, arguments: [], isStar: true, window: try parseOver(&cursor)), at: at)
        }
        var distinct = false
        if cursor.peek.kind == .keyword, cursor.consumeKeyword("DISTINCT") {
            distinct = true
        } else if cursor.peek.kind == .keyword {
            _ = cursor.consumeKeyword("ALL")
        }
        var arguments: [Expression] = []
        repeat {
            arguments.append(try parseExpression(&cursor))
        } while cursor.consumeSymbol(",")
        // `f(x IGNORE NULLS)` (DuckDB, Spark) or `f(x) IGNORE NULLS` (Spark); RESPECT NULLS is the default.
        var ignoreNulls = cursor.consumeKeyword("IGNORE", "NULLS")
        if !ignoreNulls { _ = cursor.consumeKeyword("RESPECT", "NULLS") }
        try cursor.expectSymbol(")")
        if cursor.consumeKeyword("IGNORE", "NULLS") {
            ignoreNulls = true
        } else {
            _ = cursor.consumeKeyword("RESPECT", "NULLS")
        }
        return .function(FunctionCall(name: name, arguments: arguments, distinct: distinct, window: try parseOver(&cursor),
                                      ignoreNulls: ignoreNulls), at: at)
    }

    /// The query of a subquery (the cursor on its first word), through the SQL layer's
    /// `subqueryParser`; refused when there is none.
    private static func parseSubquery(_ cursor: inout TokenCursor) throws(ExpressionError) -> Subquery {
        guard let parser = cursor.subqueryParser else {
            throw ExpressionError(.unsupported, "a subquery is not allowed in this expression; subqueries need a SQL statement", at: cursor.peek.location)
        }
        try cursor.enterNesting()
        defer { cursor.leaveNesting() }
        return Subquery(try parser(&cursor))
    }

    /// `OVER ([PARTITION BY …] [ORDER BY …] [ROWS|RANGE frame])` after a call; nil when
    /// no OVER follows.
    private static func parseOver(_ cursor: inout TokenCursor) throws(ExpressionError) -> WindowSpec? {
        guard cursor.isKeyword("OVER") else { return nil }
        guard cursor.peek(ahead: 1).isSymbol("(") else {
            cursor.advance()
            throw ExpressionError(.unsupported, "named windows (OVER name) are not supported; write OVER (PARTITION BY … ORDER BY …)", at: cursor.peek.location)
        }
        cursor.advance()
        cursor.advance()
        try cursor.enterNesting()
        defer { cursor.leaveNesting() }
        var spec = WindowSpec()
        if cursor.consumeKeyword("PARTITION") {
            try cursor.expectKeyword("BY")
            repeat {
                spec.partitionBy.append(try parseExpression(&cursor))
            } while cursor.consumeSymbol(",")
        }
        if cursor.consumeKeyword("ORDER") {
            try cursor.expectKeyword("BY")
            repeat {
                var item = WindowOrderItem(try parseExpression(&cursor))
                if cursor.consumeKeyword("ASC") {
                    item.descending = false
                } else if cursor.consumeKeyword("DESC") {
                    item.descending = true
                }
                if cursor.consumeKeyword("NULLS") {
                    if cursor.consumeKeyword("FIRST") {
                        item.nullsFirst = true
                    } else if cursor.consumeKeyword("LAST") {
                        item.nullsFirst = false
                    } else {
                        throw cursor.error(expected: "FIRST or LAST after NULLS")
                    }
                }
                spec.orderBy.append(item)
            } while cursor.consumeSymbol(",")
        }
        if cursor.isKeyword("ROWS") || cursor.isKeyword("RANGE") {
            let unit: WindowFrame.Unit = cursor.advance().isWord("ROWS") ? .rows : .range
            if cursor.consumeKeyword("BETWEEN") {
                let start = try parseFrameBound(&cursor)
                try cursor.expectKeyword("AND")
                let end = try parseFrameBound(&cursor)
                spec.frame = WindowFrame(unit: unit, start: start, end: end)
            } else {
                spec.frame = WindowFrame(unit: unit, start: try parseFrameBound(&cursor), end: .currentRow)
            }
        }
        guard cursor.consumeSymbol(")") else {
            throw cursor.error(expected: spec.frame != nil ? "')'" : spec.orderBy.isEmpty ? "PARTITION BY, ORDER BY, ROWS, RANGE or ')'" : "ROWS, RANGE or ')'")
        }
        return spec
    }

    /// `UNBOUNDED PRECEDING|FOLLOWING`, `CURRENT ROW`, `n PRECEDING|FOLLOWING`.
    private static func parseFrameBound(_ cursor: inout TokenCursor) throws(ExpressionError) -> WindowFrame.Bound {
        if cursor.consumeKeyword("UNBOUNDED") {
            if cursor.consumeKeyword("PRECEDING") { return .unboundedPreceding }
            if cursor.consumeKeyword("FOLLOWING") { return .unboundedFollowing }
            throw cursor.error(expected: "PRECEDING or FOLLOWING after UNBOUNDED")
        }
        if cursor.consumeKeyword("CURRENT") {
            try cursor.expectKeyword("ROW")
            return .currentRow
        }
        let token = cursor.peek
        guard token.kind == .integer, let count = Int64(token.text) else {
            throw cursor.error(expected: "a frame bound (UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING, UNBOUNDED FOLLOWING)")
        }
        cursor.advance()
        if cursor.consumeKeyword("PRECEDING") { return .preceding(count) }
        if cursor.consumeKeyword("FOLLOWING") { return .following(count) }
        throw cursor.error(expected: "PRECEDING or FOLLOWING after \(count)")
    }

    private static func parseCase(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let at = cursor.advance().location
        var operand: Expression? = nil
        if !cursor.isKeyword("WHEN") { operand = try parseExpression(&cursor) }
        var branches: [CaseBranch] = []
        while cursor.consumeKeyword("WHEN") {
            let when = try parseExpression(&cursor)
            try cursor.expectKeyword("THEN")
            let then = try parseExpression(&cursor)
            branches.append(CaseBranch(when: when, then: then))
        }
        guard !branches.isEmpty else { throw cursor.error(expected: "WHEN") }
        var otherwise: Expression? = nil
        if cursor.consumeKeyword("ELSE") { otherwise = try parseExpression(&cursor) }
        guard cursor.consumeKeyword("END") else {
            throw cursor.error(expected: otherwise == nil ? "WHEN, ELSE or END" : "END")
        }
        return .caseWhen(operand: operand, branches: branches, otherwise: otherwise, at: at)
    }

    private static func parseCast(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let at = cursor.advance().location
        try cursor.expectSymbol("(")
        let value = try parseExpression(&cursor)
        try cursor.expectKeyword("AS")
        let type = try parseType(&cursor)
        try cursor.expectSymbol(")")
        return .cast(value, type, at: at)
    }

    private static func parseExtract(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let at = cursor.advance().location
        try cursor.expectSymbol("(")
        let fieldToken = cursor.peek
        let fieldWord: String
        switch fieldToken.kind {
        case .identifier, .keyword, .string: fieldWord = fieldToken.text
        default: throw cursor.error(expected: "a date/time field (YEAR, MONTH, DAY, HOUR, …)")
        }
        guard let field = DateTimeField(word: fieldWord) else {
            throw ExpressionError(.syntax, "expected a date/time field (YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, EPOCH), found \(fieldToken)", at: fieldToken.location)
        }
        cursor.advance()
        try cursor.expectKeyword("FROM")
        let value = try parseExpression(&cursor)
        try cursor.expectSymbol(")")
        return .extract(field, value, at: at)
    }

    private static func temporalLiteral(_ word: String, _ text: Token) throws(ExpressionError) -> Expression {
        if word == "DATE" {
            guard TemporalFormat.parseDate(Substring(text.text)) != nil else {
                throw ExpressionError(.syntax, "invalid DATE literal '\(text.text)': expected YYYY-MM-DD", at: text.location)
            }
            return .literal(.date(text.text), at: text.location)
        }
        guard TemporalFormat.parseTimestamp(Substring(text.text)) != nil else {
            throw ExpressionError(.syntax, "invalid TIMESTAMP literal '\(text.text)': expected YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH:MM]", at: text.location)
        }
        if word == "TIMESTAMP_NTZ" { return .cast(.literal(.timestamp(text.text), at: text.location), .timestamp(.ntz), at: text.location) }
        return .literal(.timestamp(text.text), at: text.location)
    }

    /// `INTERVAL '3' DAY`, `INTERVAL 3 DAYS`, `INTERVAL '3 days'`, `INTERVAL -3 DAY`.
    private static func parseInterval(_ cursor: inout TokenCursor) throws(ExpressionError) -> Expression {
        let at = cursor.advance().location
        var negative = cursor.consumeSymbol("-")
        let valueToken = cursor.advance()
        var text = valueToken.text.trimmingSpaces
        var unitWord: String? = nil
        if valueToken.kind == .string, let space = text.firstIndex(of: " ") {
            unitWord = String(text[text.index(after: space)...]).trimmingSpaces
            text = String(text[..<space])
        }
        if text.hasPrefix("-") {
            negative.toggle()
            text.removeFirst()
        } else if text.hasPrefix("+") {
            text.removeFirst()
        }
        guard valueToken.kind == .string || valueToken.kind == .integer, let magnitude = Int64(text) else {
            throw ExpressionError(.syntax, "expected an interval count (a whole number), found \(valueToken)", at: valueToken.location)
        }
        if unitWord == nil {
            let unitToken = cursor.peek
            guard unitToken.kind == .identifier || unitToken.kind == .keyword else {
                throw cursor.error(expected: "an interval unit (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND)")
            }
            unitWord = unitToken.text
            cursor.advance()
        }
        guard let word = unitWord, let unit = IntervalUnit(word: word) else {
            throw ExpressionError(.syntax, "unknown interval unit '\(unitWord ?? "")' (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND)", at: at)
        }
        return .literal(.interval(negative ? -magnitude : magnitude, unit), at: at)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
