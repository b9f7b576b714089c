// Query grammar: WITH, SELECT cores, UNION, VALUES, ORDER BY, LIMIT/OFFSET, and FROM
// items — table names with time travel, path tables, subqueries, joins and aliases.
// Every query level is counted on the cursor's nesting budget; must never recurse
// without it.
import TarnExpression

extension StatementParser {
    /// Words that never become an implicit (AS-less) table alias, because a clause or a
    /// statement can continue with them after a table reference.
    static let nonAliasWords: Set<String> = [
        "SET", "TIMESTAMP", "VERSION", "NATURAL", "SEMI", "ANTI", "LATERAL", "WINDOW", "QUALIFY",
        "TABLESAMPLE", "PIVOT", "UNPIVOT", "EXCEPT", "INTERSECT", "MINUS", "FOR", "WHEN", "ZORDER",
        "RETAIN", "DRY", "TO", "PARTITIONED", "TBLPROPERTIES", "COMMENT",
    ]

    /// Clause keywords that a mistyped implicit alias most likely was.
    static let clauseKeywords = ["FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "JOIN", "INNER",
                                 "LEFT", "RIGHT", "FULL", "CROSS", "ON", "SET", "USING"]

    /// Whether a query (rather than a column list or a join) starts at the current token.
    var startsQuery: Bool {
        cursor.isKeyword("SELECT") || cursor.isKeyword("WITH") || cursor.isKeyword("VALUES")
    }

    /// Whether a query starts right after the current `(`.
    var parenthesisStartsQuery: Bool {
        let next = cursor.peek(ahead: 1)
        return next.isWord("SELECT") || next.isWord("WITH") || next.isWord("VALUES") || next.isSymbol("(")
    }

    // MARK: Queries

    /// `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET m]`.
    mutating func query() throws(ExpressionError) -> Query {
        try enterQuery()
        defer { leaveQuery() }
        let start = peek.location
        var ctes: [CommonTableExpression] = []
        if accept("WITH") {
            if cursor.isKeyword("RECURSIVE") {
                throw ExpressionError(.unsupported, "WITH RECURSIVE is not supported", at: peek.location)
            }
            repeat {
                ctes.append(try commonTableExpression())
            } while cursor.consumeSymbol(",")
        }
        let body = try queryBody()
        var result = Query(with: ctes, body: body, location: start)
        if try acceptPair("ORDER", "BY", primary: false) {
            result.orderBy = try orderItems()
        }
        if accept("LIMIT", primary: false) {
            result.limit = try integerLiteral("a row count after LIMIT")
        }
        if accept("OFFSET", primary: false) {
            result.offset = try integerLiteral("a row count after OFFSET")
            _ = cursor.consumeKeyword("ROWS") || cursor.consumeKeyword("ROW")
        }
        return result
    }

    private mutating func commonTableExpression() throws(ExpressionError) -> CommonTableExpression {
        let location = peek.location
        let name = try identifier("a name for the WITH query")
        var columns: [String] = []
        if cursor.isSymbol("(") { columns = try parenthesizedIdentifiers("a column name") }
        try expect("AS")
        try expectSymbol("(")
        let body = try query()
        try expectSymbol(")")
        return CommonTableExpression(name: name, columns: columns, query: body, location: location)
    }

    /// Operands joined by UNION [ALL | DISTINCT], left-deep.
    private mutating func queryBody() throws(ExpressionError) -> QueryBody {
        var left = try queryOperand()
        var links = 0
        while accept("UNION", primary: false) {
            links += 1
            try checkChainLength(links, "UNION branches")
            let all = cursor.consumeKeyword("ALL")
            if !all { _ = cursor.consumeKeyword("DISTINCT") }
            let right = try queryOperand()
            left = .union(left: left, right: right, all: all)
        }
        return left
    }

    /// SELECT …, VALUES …, or a parenthesised query (kept as `.nested` only when it has its
    /// own WITH, ORDER BY, LIMIT or OFFSET).
    private mutating func queryOperand() throws(ExpressionError) -> QueryBody {
        if cursor.isKeyword("SELECT") { return .select(try selectCore()) }
        if cursor.isKeyword("VALUES") { return .values(try valuesList()) }
        if cursor.isSymbol("(") {
            cursor.advance()
            let inner = try query()
            try expectSymbol(")")
            if inner.with.isEmpty, inner.orderBy.isEmpty, inner.limit == nil, inner.offset == nil { return inner.body }
            return .nested(inner)
        }
        throw fail(expected: "SELECT, VALUES or '('", withNotes: false)
    }

    /// `VALUES (…), (…)`; every row has the first row's length.
    private mutating func valuesList() throws(ExpressionError) -> ValuesList {
        let location = peek.location
        try expect("VALUES")
        var rows: [[Expression]] = []
        repeat {
            let rowStart = peek.location
            try expectSymbol("(")
            let row = try expressionList()
            try expectSymbol(")")
            if let first = rows.first, first.count != row.count {
                throw ExpressionError(.syntax, "this VALUES row has \(row.count) values but the first row has \(first.count)", at: rowStart)
            }
            rows.append(row)
        } while cursor.consumeSymbol(",")
        return ValuesList(rows: rows, location: location)
    }

    /// `SELECT [DISTINCT|ALL] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …]`.
    private mutating func selectCore() throws(ExpressionError) -> SelectCore {
        let location = peek.location
        try expect("SELECT")
        var core = SelectCore(items: [], location: location)
        if cursor.consumeKeyword("DISTINCT") {
            core.distinct = true
        } else {
            _ = cursor.consumeKeyword("ALL")
        }
        repeat {
            core.items.append(try selectItem())
        } while acceptSymbol(",")
        guard accept("FROM") else { return core }
        core.from = try fromClause()
        if accept("WHERE") { core.filter = try expression() }
        if try acceptPair("GROUP", "BY") { core.groupBy = try expressionList() }
        if accept("HAVING") { core.having = try expression() }
        return core
    }

    private mutating func selectItem() throws(ExpressionError) -> SelectItem {
        let expression = try expression()
        if case .star = expression { return SelectItem(expression) }
        if accept("AS", primary: false) {
            // `AS version`: the few reserved words that also name columns are fine after AS.
            if peek.kind == .keyword, Keywords.columnNamesToo.contains(peek.text.uppercased()) {
                return SelectItem(expression, alias: cursor.advance().text)
            }
            return SelectItem(expression, alias: try identifier("an alias after AS"))
        }
        if cursor.isIdentifier {
            let word = cursor.advance().text
            checkSuspiciousAlias(word, keywords: Self.clauseKeywords)
            return SelectItem(expression, alias: word)
        }
        return SelectItem(expression)
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST], …`.
    private mutating func orderItems() throws(ExpressionError) -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            var item = OrderItem(try expression())
            if accept("ASC", primary: false) {
                item.direction = .ascending
            } else if accept("DESC", primary: false) {
                item.direction = .descending
            }
            if accept("NULLS", primary: false) {
                if cursor.consumeKeyword("FIRST") {
                    item.nulls = .first
                } else if cursor.consumeKeyword("LAST") {
                    item.nulls = .last
                } else {
                    throw fail(expected: "FIRST or LAST after NULLS", withNotes: false)
                }
            }
            items.append(item)
        } while acceptSymbol(",")
        return items
    }

    // MARK: FROM

    /// Table references joined by JOIN or commas, left-deep.
    mutating func fromClause() throws(ExpressionError) -> TableReference {
        var left = try tablePrimary()
        var links = 0
        while true {
            let location = peek.location
            if cursor.isSymbol(",") || cursor.isKeyword("JOIN") || cursor.isKeyword("INNER") || cursor.isKeyword("LEFT")
                || cursor.isKeyword("RIGHT") || cursor.isKeyword("FULL") || cursor.isKeyword("CROSS") || cursor.isKeyword("NATURAL")
                || cursor.isKeyword("SEMI") || cursor.isKeyword("ANTI") {
                links += 1
                try checkChainLength(links, "joined tables")
            }
            if acceptSymbol(",") {
                let right = try tablePrimary()
                left = .join(JoinReference(left: left, right: right, kind: .cross, location: location))
                continue
            }
            let naturalLocation = peek.location
            let natural = cursor.consumeKeyword("NATURAL")
            guard let kind = try joinKind() else {
                if natural { throw fail(expected: "JOIN after NATURAL", withNotes: false) }
                return left
            }
            if natural && kind == .cross {
                throw ExpressionError(.syntax, "NATURAL CROSS JOIN is not a join form; write CROSS JOIN or NATURAL JOIN", at: naturalLocation)
            }
            let right = try tablePrimary()
            var condition: Expression?
            var using: [UsingColumn] = []
            if kind == .cross || natural {
                if natural, cursor.isKeyword("ON") || cursor.isKeyword("USING") {
                    throw ExpressionError(.syntax, "NATURAL JOIN takes no ON or USING: it joins on every column name both sides have", at: peek.location)
                }
                if cursor.isKeyword("ON") || cursor.isKeyword("USING") {
                    throw ExpressionError(.syntax, "CROSS JOIN takes no ON condition or USING; use JOIN … ON or JOIN … USING for a conditional join", at: peek.location)
                }
            } else if cursor.consumeKeyword("USING") {
                try expectSymbol("(")
                repeat {
                    let at = peek.location
                    let name = try identifier("a column name in USING (…)")
                    if using.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                        throw ExpressionError(.syntax, "column \(name) is named twice in USING (…)", at: at)
                    }
                    using.append(UsingColumn(name, location: at))
                    try checkChainLength(using.count, "USING columns")
                } while acceptSymbol(",")
                try expectSymbol(")")
            } else {
                try expect("ON")
                condition = try expression()
            }
            left = .join(JoinReference(left: left, right: right, kind: kind, condition: condition, using: using,
                                       natural: natural, location: natural ? naturalLocation : location))
        }
    }

    /// Consumes the words of a join (`JOIN`, `INNER JOIN`, `LEFT [OUTER] JOIN`, …) and
    /// returns its kind; nil (consuming nothing) when no join starts here.
    private mutating func joinKind() throws(ExpressionError) -> JoinKind? {
        if accept("JOIN", primary: false) { return .inner }
        let kind: JoinKind
        if accept("INNER", primary: false) {
            kind = .inner
        } else if accept("LEFT", primary: false) {
            kind = .left
        } else if accept("RIGHT", primary: false) {
            kind = .right
        } else if accept("FULL", primary: false) {
            kind = .full
        } else if accept("CROSS", primary: false) {
            kind = .cross
        } else if accept("SEMI", primary: false) {
            kind = .semi
        } else if accept("ANTI", primary: false) {
            kind = .anti
        } else {
            return nil
        }
        if kind == .left, accept("SEMI", primary: false) {
            try expect("JOIN")
            return .semi
        }
        if kind == .left, accept("ANTI", primary: false) {
            try expect("JOIN")
            return .anti
        }
        if kind == .left || kind == .right || kind == .full { _ = cursor.consumeKeyword("OUTER") }
        if kind == .right, cursor.isKeyword("SEMI") || cursor.isKeyword("ANTI") {
            throw ExpressionError(.unsupported, "RIGHT \(peek.text.uppercased()) JOIN is not supported; swap the tables and write LEFT \(peek.text.uppercased()) JOIN",
                                  at: peek.location)
        }
        try expect("JOIN")
        return kind
    }

    /// One FROM item without joins: a table, a path table or a parenthesised subquery
    /// (or a parenthesised join), with time travel and alias.
    mutating func tablePrimary() throws(ExpressionError) -> TableReference {
        let location = peek.location
        if cursor.isSymbol("(") {
            if parenthesisStartsQuery {
                cursor.advance()
                let inner = try query()
                try expectSymbol(")")
                let alias = try tableAlias()
                return .subquery(SubqueryReference(query: inner, alias: alias, location: location))
            }
            cursor.advance()
            try enterQuery()
            let inner = try fromClause()
            leaveQuery()
            try expectSymbol(")")
            return inner
        }
        if let format = pathFormatAhead {
            cursor.advance()
            cursor.advance()
            let path = cursor.advance().text
            var reference = PathTableReference(format: format, path: path, location: location)
            let travelLocation = peek.location
            if let travel = try timeTravel() {
                guard format == .delta else {
                    throw ExpressionError(
                        .syntax,
                        "time travel needs a Delta table; \(format.rawValue) files have no versions (read delta.`dir` or a catalog table)",
                        at: travelLocation)
                }
                reference.timeTravel = travel
            }
            reference.alias = try tableAlias()
            return .path(reference)
        }
        guard cursor.isIdentifier else {
            throw fail(expected: "a table name, a subquery in '(' or a path such as parquet.`file`", withNotes: false)
        }
        let name = try tableName(what: "a table name")
        var reference = NamedTableReference(name: name, location: location)
        reference.timeTravel = try timeTravel()
        reference.alias = try tableAlias()
        return .table(reference)
    }

    /// The format when the tokens ahead are `delta|parquet|csv . \`path\``.
    var pathFormatAhead: PathFormat? {
        guard peek.kind == .identifier, let format = PathFormat(rawValue: peek.text.lowercased()),
              cursor.peek(ahead: 1).isSymbol(".") else { return nil }
        let pathToken = cursor.peek(ahead: 2)
        guard pathToken.kind == .quotedIdentifier else { return nil }
        let offset = pathToken.location.offset
        guard offset >= 0, offset < characters.count, characters[offset] == "`" else { return nil }
        return format
    }

    /// `table` or `namespace.table`. A path table here (outside FROM) is refused.
    mutating func tableName(what: String = "a table name") throws(ExpressionError) -> TableName {
        let location = peek.location
        if let format = pathFormatAhead {
            throw ExpressionError(
                .unsupported,
                "a path table (\(format.rawValue).`…`) can only be read in FROM; this statement takes a catalog table name such as ns.table",
                at: location)
        }
        let first = try identifier(what)
        guard cursor.isSymbol(".") else { return TableName(first, location: location) }
        cursor.advance()
        let second = try identifier("a table name after '\(first).'")
        if cursor.isSymbol("."), cursor.peek(ahead: 1).kind == .identifier || cursor.peek(ahead: 1).kind == .quotedIdentifier {
            throw ExpressionError(.syntax, "a table name has at most two parts: namespace.table", at: cursor.peek(ahead: 1).location)
        }
        return TableName(namespace: first, second, location: location)
    }

    /// `@v12`, `@yyyyMMddHHmmssSSS`, `VERSION AS OF n` or `TIMESTAMP AS OF '…'`; nil when
    /// none follows.
    mutating func timeTravel() throws(ExpressionError) -> TimeTravelSpec? {
        var spec: TimeTravelSpec?
        if cursor.isSymbol("@") {
            cursor.advance()
            spec = try timeTravelShorthand()
        }
        let location = peek.location
        if check("VERSION", primary: false) || check("TIMESTAMP", primary: false) {
            if spec != nil {
                throw ExpressionError(.syntax, "a table reference takes one time travel; it already has an '@' version", at: location)
            }
            return try timeTravelClause()
        }
        return spec
    }

    /// After `@`: `v12` or 17 digits `yyyyMMddHHmmssSSS` (Delta's timestamp shorthand).
    private mutating func timeTravelShorthand() throws(ExpressionError) -> TimeTravelSpec {
        let token = peek
        if token.kind == .identifier, token.text.count > 1, token.text.first == "v" || token.text.first == "V" {
            let digits = token.text.dropFirst()
            if digits.allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int64(digits) {
                cursor.advance()
                return .version(version)
            }
        }
        if token.kind == .integer, token.text.count == 17 {
            let d = Array(token.text)
            let text = "\(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8])) \(String(d[8..<10])):\(String(d[10..<12])):\(String(d[12..<14])).\(String(d[14..<17]))"
            cursor.advance()
            return .timestamp(text)
        }
        throw fail(expected: "a version such as @v12 or a timestamp such as @20261129100000000 after '@'", withNotes: false)
    }

    /// `VERSION AS OF n` | `TIMESTAMP AS OF '…'` (the current token is VERSION or TIMESTAMP).
    mutating func timeTravelClause() throws(ExpressionError) -> TimeTravelSpec {
        if cursor.consumeKeyword("VERSION") {
            try expect("AS", "OF")
            return .version(try integerLiteral("a version number after VERSION AS OF"))
        }
        try expect("TIMESTAMP")
        try expect("AS", "OF")
        return .timestamp(try stringLiteral("a timestamp string such as '2026-11-29 10:00:00' after TIMESTAMP AS OF"))
    }

    /// `[AS] alias` after a table reference; nil when none.
    mutating func tableAlias() throws(ExpressionError) -> String? {
        if accept("AS", primary: false) { return try identifier("an alias after AS") }
        if peek.kind == .quotedIdentifier { return cursor.advance().text }
        if peek.kind == .identifier, !Self.nonAliasWords.contains(peek.text.uppercased()) {
            let word = cursor.advance().text
            checkSuspiciousAlias(word, keywords: Self.clauseKeywords)
            return word
        }
        return nil
    }
}
