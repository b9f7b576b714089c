// Statement grammar: which statement starts at a token, and the forms that are not
// queries — DDL, DML, inspection, maintenance, EXPLAIN. Access-control statements are in
// StatementParser+Access.swift. Must never accept a combination the syntax tree cannot
// print back (e.g. MERGE actions that do not fit their WHEN).
import TarnExpression

extension StatementParser {
    /// The words a statement can start with, for "expected a statement (…)".
    static let statementKeywords = [
        "SELECT", "WITH", "VALUES", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER",
        "SHOW", "DESCRIBE", "OPTIMIZE", "VACUUM", "RESTORE", "EXPLAIN", "GRANT", "REVOKE",
    ]

    /// One statement starting at the current token.
    mutating func statement() throws(ExpressionError) -> Statement {
        if startsQuery || cursor.isSymbol("(") { return .query(try query()) }
        let token = peek
        switch token.kind == .identifier || token.kind == .keyword ? token.text.uppercased() : "" {
        case "INSERT": return .insert(try insert())
        case "UPDATE": return .update(try update())
        case "DELETE": return .delete(try delete())
        case "MERGE": return .merge(try merge())
        case "CREATE": return try create()
        case "DROP": return try drop()
        case "ALTER": return try alter()
        case "SHOW": return try show()
        case "DESCRIBE", "DESC": return try describe()
        case "OPTIMIZE": return .optimize(try optimize())
        case "VACUUM": return .vacuum(try vacuum())
        case "RESTORE": return .restore(try restore())
        case "GRANT", "REVOKE": return try grantOrRevoke()
        case "EXPLAIN":
            cursor.advance()
            try enterQuery()
            defer { leaveQuery() }
            return .explain(try statement())
        default:
            var message = "expected a statement (\(Self.statementKeywords.joined(separator: ", "))), found \(token)"
            if token.kind == .identifier || token.kind == .keyword, let match = Self.nearMiss(token.text, among: Self.statementKeywords) {
                message += " (did you mean \(match)?)"
            }
            throw ExpressionError(.syntax, message, at: token.location)
        }
    }

    // MARK: DML

    /// `INSERT INTO|OVERWRITE [TABLE] t [(columns)] query`.
    private mutating func insert() throws(ExpressionError) -> InsertStatement {
        try expect("INSERT")
        let overwrite: Bool
        if cursor.consumeKeyword("INTO") {
            overwrite = false
        } else if cursor.consumeKeyword("OVERWRITE") {
            overwrite = true
        } else {
            throw fail(expected: "INTO or OVERWRITE after INSERT", withNotes: false)
        }
        _ = cursor.consumeKeyword("TABLE")
        let table = try tableName()
        var columns: [String] = []
        if cursor.isSymbol("("), !parenthesisStartsQuery {
            columns = try parenthesizedIdentifiers("a column name")
        }
        guard startsQuery || cursor.isSymbol("(") else {
            throw fail(expected: columns.isEmpty ? "VALUES, SELECT or a column list in '('" : "VALUES or SELECT", withNotes: false)
        }
        return InsertStatement(table: table, overwrite: overwrite, columns: columns, source: try query())
    }

    /// `DELETE FROM t [[AS] alias] [WHERE condition]`.
    private mutating func delete() throws(ExpressionError) -> DeleteStatement {
        try expect("DELETE", "FROM")
        var statement = DeleteStatement(table: try tableName())
        statement.alias = try tableAlias()
        if accept("WHERE") { statement.condition = try expression() }
        return statement
    }

    /// `UPDATE t [[AS] alias] SET c = v, … [WHERE condition]`.
    private mutating func update() throws(ExpressionError) -> UpdateStatement {
        try expect("UPDATE")
        let table = try tableName()
        let alias = try tableAlias()
        try expect("SET")
        let assignments = try assignmentList()
        var statement = UpdateStatement(table: table, alias: alias, assignments: assignments)
        if accept("WHERE") { statement.condition = try expression() }
        return statement
    }

    /// `[qualifier.]column = value, …`.
    private mutating func assignmentList() throws(ExpressionError) -> [Assignment] {
        var assignments: [Assignment] = []
        repeat {
            let location = peek.location
            var column = try identifier("a column name to SET")
            var qualifier: String?
            if cursor.consumeSymbol(".") {
                qualifier = column
                column = try identifier("a column name after '\(column).'")
            }
            try expectSymbol("=")
            assignments.append(Assignment(qualifier: qualifier, column: column, value: try expression(), location: location))
        } while cursor.consumeSymbol(",")
        return assignments
    }

    /// `MERGE INTO t [[AS] a] USING source [[AS] s] ON condition WHEN … THEN …`.
    private mutating func merge() throws(ExpressionError) -> MergeStatement {
        try expect("MERGE")
        let schemaEvolution = cursor.consumeKeyword("WITH")
        if schemaEvolution { try expect("SCHEMA", "EVOLUTION") }
        try expect("INTO")
        let target = try tableName()
        let targetAlias = try tableAlias()
        try expect("USING")
        let source = try tablePrimary()
        try expect("ON")
        let condition = try expression()
        var clauses: [MergeClause] = []
        while accept("WHEN") {
            clauses.append(try mergeClause())
        }
        guard !clauses.isEmpty else {
            throw fail(expected: "WHEN MATCHED or WHEN NOT MATCHED", withNotes: false)
        }
        return MergeStatement(target: target, targetAlias: targetAlias, source: source, condition: condition, clauses: clauses,
                              schemaEvolution: schemaEvolution)
    }

    /// After WHEN: `[NOT] MATCHED [BY TARGET|SOURCE] [AND condition] THEN action`.
    private mutating func mergeClause() throws(ExpressionError) -> MergeClause {
        let location = peek.location
        let match: MergeMatchKind
        if cursor.consumeKeyword("MATCHED") {
            match = .matched
        } else if cursor.consumeKeyword("NOT", "MATCHED") {
            if cursor.consumeKeyword("BY", "SOURCE") {
                match = .notMatchedBySource
            } else {
                _ = cursor.consumeKeyword("BY", "TARGET")
                match = .notMatchedByTarget
            }
        } else {
            throw fail(expected: "MATCHED or NOT MATCHED after WHEN", withNotes: false)
        }
        var condition: Expression?
        if cursor.consumeKeyword("AND") { condition = try expression() }
        try expect("THEN")
        let actionLocation = peek.location
        let action: MergeAction
        if cursor.consumeKeyword("UPDATE") {
            try expect("SET")
            if cursor.consumeSymbol("*") {
                action = .updateAll
            } else {
                action = .update(try assignmentList())
            }
        } else if cursor.consumeKeyword("DELETE") {
            action = .delete
        } else if cursor.consumeKeyword("INSERT") {
            if cursor.consumeSymbol("*") {
                action = .insertAll
            } else {
                var columns: [String] = []
                if cursor.isSymbol("(") { columns = try parenthesizedIdentifiers("a column name") }
                try expect("VALUES")
                let valuesLocation = peek.location
                try expectSymbol("(")
                let values = try expressionList()
                try expectSymbol(")")
                if !columns.isEmpty, columns.count != values.count {
                    throw ExpressionError(.syntax, "INSERT lists \(columns.count) columns but \(values.count) values", at: valuesLocation)
                }
                action = .insert(columns: columns, values: values)
            }
        } else {
            throw fail(expected: match == .notMatchedByTarget ? "INSERT" : "UPDATE or DELETE", withNotes: false)
        }
        switch (match, action) {
        case (.matched, .insert), (.matched, .insertAll):
            throw ExpressionError(.syntax, "WHEN MATCHED takes UPDATE or DELETE, not INSERT (the row exists in the target)", at: actionLocation)
        case (.notMatchedByTarget, .update), (.notMatchedByTarget, .updateAll), (.notMatchedByTarget, .delete):
            throw ExpressionError(.syntax, "WHEN NOT MATCHED takes INSERT (there is no target row to update or delete)", at: actionLocation)
        case (.notMatchedBySource, .insert), (.notMatchedBySource, .insertAll):
            throw ExpressionError(.syntax, "WHEN NOT MATCHED BY SOURCE takes UPDATE or DELETE (there is no source row to insert)", at: actionLocation)
        case (.notMatchedBySource, .updateAll):
            throw ExpressionError(.syntax, "WHEN NOT MATCHED BY SOURCE cannot UPDATE SET * (there is no source row); list the assignments", at: actionLocation)
        default:
            break
        }
        return MergeClause(match, condition: condition, action: action, location: location)
    }

    // MARK: DDL

    /// CREATE TABLE, CREATE NAMESPACE|SCHEMA|DATABASE, CREATE USER|GROUP|SERVICE PRINCIPAL.
    private mutating func create() throws(ExpressionError) -> Statement {
        try expect("CREATE")
        if cursor.isKeywords(["OR", "REPLACE"]) {
            throw ExpressionError(.unsupported, "CREATE OR REPLACE is not supported; DROP TABLE, then CREATE TABLE", at: peek.location)
        }
        if cursor.isKeyword("EXTERNAL") || cursor.isKeyword("TEMPORARY") || cursor.isKeyword("TEMP") {
            throw ExpressionError(.unsupported, "CREATE \(peek.text.uppercased()) TABLE is not supported; tables live in the lakehouse root", at: peek.location)
        }
        if cursor.consumeKeyword("TABLE") { return .createTable(try createTable()) }
        if cursor.consumeKeyword("NAMESPACE") || cursor.consumeKeyword("SCHEMA") || cursor.consumeKeyword("DATABASE") {
            let ifNotExists = cursor.consumeKeyword("IF", "NOT", "EXISTS")
            let location = peek.location
            var statement = CreateNamespaceStatement(name: NamespaceName(try identifier("a namespace name"), location: location),
                                                     ifNotExists: ifNotExists)
            if cursor.consumeKeyword("COMMENT") { statement.comment = try stringLiteral("a comment string") }
            return .createNamespace(statement)
        }
        if let kind = principalKind() {
            let ifNotExists = cursor.consumeKeyword("IF", "NOT", "EXISTS")
            let location = peek.location
            return .createPrincipal(CreatePrincipalStatement(kind: kind, name: try principalName(), ifNotExists: ifNotExists, location: location))
        }
        throw fail(expected: "TABLE, NAMESPACE, SCHEMA, USER, GROUP or SERVICE PRINCIPAL after CREATE", withNotes: false)
    }

    /// After CREATE TABLE: `[IF NOT EXISTS] t (…) clauses` or `… clauses AS query`.
    private mutating func createTable() throws(ExpressionError) -> CreateTableStatement {
        let ifNotExists = cursor.consumeKeyword("IF", "NOT", "EXISTS")
        var statement = CreateTableStatement(name: try tableName(), ifNotExists: ifNotExists)
        var hasColumnList = false
        if cursor.isSymbol("(") {
            hasColumnList = true
            try tableElements(into: &statement)
        }
        var seen: Set<String> = []
        while true {
            let location = peek.location
            let clause: String
            if accept("USING", primary: false) {
                clause = "USING"
                let format = try identifier("a table format after USING")
                guard format.lowercased() == "delta" else {
                    throw ExpressionError(.unsupported, "tables are Delta tables; USING \(format) is not supported", at: location)
                }
            } else if accept("PARTITIONED", primary: false) {
                clause = "PARTITIONED BY"
                try expect("BY")
                statement.partitionedBy = try parenthesizedIdentifiers("a partition column name")
            } else if accept("COMMENT", primary: false) {
                clause = "COMMENT"
                statement.comment = try stringLiteral("a comment string")
            } else if accept("TBLPROPERTIES", primary: false) {
                clause = "TBLPROPERTIES"
                statement.properties = try propertyList()
            } else if cursor.isKeyword("LOCATION") {
                throw ExpressionError(.unsupported, "CREATE TABLE … LOCATION is not supported; tables live under the lakehouse root (read other directories with delta.`dir`)", at: location)
            } else {
                break
            }
            guard seen.insert(clause).inserted else {
                throw ExpressionError(.syntax, "\(clause) is given twice", at: location)
            }
        }
        if cursor.isKeyword("AS") {
            if hasColumnList {
                throw ExpressionError(.syntax, "CREATE TABLE … AS SELECT takes its columns from the query; remove the column list", at: peek.location)
            }
            cursor.advance()
            statement.asQuery = try query()
        } else if !hasColumnList {
            throw fail(expected: "'(' with column definitions or AS SELECT", withNotes: false)
        }
        return statement
    }

    /// `( column definitions and CONSTRAINT … CHECK (…), … )`.
    private mutating func tableElements(into statement: inout CreateTableStatement) throws(ExpressionError) {
        try expectSymbol("(")
        repeat {
            if cursor.isKeyword("CONSTRAINT") {
                statement.constraints.append(try checkConstraint())
            } else {
                statement.columns.append(try columnDefinition())
            }
        } while cursor.consumeSymbol(",")
        try expectSymbol(")")
    }

    /// `name TYPE [NOT NULL | NULL] [COMMENT '…']`.
    private mutating func columnDefinition() throws(ExpressionError) -> ColumnDefinition {
        let location = peek.location
        let name = try identifier("a column name")
        if cursor.isSymbol(",") || cursor.isSymbol(")") {
            throw fail(expected: "a type for column \(name) (e.g. BIGINT, STRING, DATE)", withNotes: false)
        }
        var column = ColumnDefinition(name, try dataType(), location: location)
        while true {
            if cursor.consumeKeyword("NOT", "NULL") {
                column.notNull = true
            } else if cursor.consumeKeyword("NULL") {
                column.notNull = false
            } else if cursor.consumeKeyword("COMMENT") {
                column.comment = try stringLiteral("a comment string")
            } else if cursor.isKeyword("PRIMARY") || cursor.isKeyword("DEFAULT") || cursor.isKeyword("GENERATED") || cursor.isKeyword("CHECK") {
                throw ExpressionError(.unsupported, "column option \(peek.text.uppercased()) is not supported; columns take NOT NULL and COMMENT (checks are CONSTRAINT name CHECK (…))", at: peek.location)
            } else {
                return column
            }
        }
    }

    /// `CONSTRAINT name CHECK (expression)`.
    private mutating func checkConstraint() throws(ExpressionError) -> CheckConstraint {
        let location = peek.location
        try expect("CONSTRAINT")
        let name = try identifier("a constraint name")
        try expect("CHECK")
        try expectSymbol("(")
        let condition = try expression()
        try expectSymbol(")")
        return CheckConstraint(name: name, expression: condition, location: location)
    }

    /// `('key' = 'value', …)`; keys are strings or dotted names, values strings, numbers
    /// or booleans.
    private mutating func propertyList() throws(ExpressionError) -> [PropertyEntry] {
        try expectSymbol("(")
        var entries: [PropertyEntry] = []
        repeat {
            let key = try propertyKey()
            _ = cursor.consumeSymbol("=")
            entries.append(PropertyEntry(key, try propertyValue()))
        } while cursor.consumeSymbol(",")
        try expectSymbol(")")
        return entries
    }

    private mutating func propertyKey() throws(ExpressionError) -> String {
        if peek.kind == .string { return cursor.advance().text }
        return try cursor.parseQualifiedName(what: "a property key such as 'delta.appendOnly'").joined(separator: ".")
    }

    private mutating func propertyValue() throws(ExpressionError) -> String {
        let token = peek
        switch token.kind {
        case .string, .integer, .decimal:
            cursor.advance()
            return token.text
        case .keyword where token.isWord("TRUE") || token.isWord("FALSE"):
            cursor.advance()
            return token.text.lowercased()
        case .symbol where token.text == "-" && (cursor.peek(ahead: 1).kind == .integer || cursor.peek(ahead: 1).kind == .decimal):
            cursor.advance()
            return "-" + cursor.advance().text
        default:
            throw fail(expected: "a property value (a string, number or boolean)", withNotes: false)
        }
    }

    /// DROP TABLE, DROP USER|GROUP|SERVICE PRINCIPAL.
    private mutating func drop() throws(ExpressionError) -> Statement {
        try expect("DROP")
        if cursor.consumeKeyword("TABLE") {
            let ifExists = cursor.consumeKeyword("IF", "EXISTS")
            return .dropTable(DropTableStatement(name: try tableName(), ifExists: ifExists))
        }
        if let kind = principalKind() {
            let ifExists = cursor.consumeKeyword("IF", "EXISTS")
            let location = peek.location
            return .dropPrincipal(DropPrincipalStatement(kind: kind, name: try principalName(), ifExists: ifExists, location: location))
        }
        if cursor.isKeyword("NAMESPACE") || cursor.isKeyword("SCHEMA") || cursor.isKeyword("DATABASE") {
            throw ExpressionError(.unsupported, "DROP \(peek.text.uppercased()) is not supported; drop its tables one by one", at: peek.location)
        }
        throw fail(expected: "TABLE, USER, GROUP or SERVICE PRINCIPAL after DROP", withNotes: false)
    }

    /// ALTER TABLE, ALTER GROUP, ALTER NAMESPACE … OWNER TO.
    private mutating func alter() throws(ExpressionError) -> Statement {
        try expect("ALTER")
        if cursor.consumeKeyword("TABLE") {
            let name = try tableName()
            return .alterTable(AlterTableStatement(name: name, action: try alterTableAction()))
        }
        if cursor.consumeKeyword("GROUP") {
            return .alterGroup(try alterGroup())
        }
        if cursor.consumeKeyword("NAMESPACE") || cursor.consumeKeyword("SCHEMA") || cursor.consumeKeyword("DATABASE") {
            let location = peek.location
            let namespace = NamespaceName(try identifier("a namespace name"), location: location)
            _ = cursor.consumeKeyword("SET")
            try expect("OWNER", "TO")
            return .alterNamespaceOwner(namespace: namespace, principal: try principalName())
        }
        throw fail(expected: "TABLE, GROUP or NAMESPACE after ALTER", withNotes: false)
    }

    private mutating func alterTableAction() throws(ExpressionError) -> AlterTableAction {
        if cursor.consumeKeyword("ADD") {
            if cursor.consumeKeyword("COLUMNS") {
                try expectSymbol("(")
                var columns = [try columnDefinition()]
                while cursor.consumeSymbol(",") { columns.append(try columnDefinition()) }
                try expectSymbol(")")
                return .addColumns(columns)
            }
            if cursor.consumeKeyword("COLUMN") {
                return .addColumns([try columnDefinition()])
            }
            if cursor.isKeyword("CONSTRAINT") {
                return .addConstraint(try checkConstraint())
            }
            throw fail(expected: "COLUMNS, COLUMN or CONSTRAINT after ADD", withNotes: false)
        }
        if cursor.consumeKeyword("DROP") {
            if cursor.consumeKeyword("CONSTRAINT") {
                let ifExists = cursor.consumeKeyword("IF", "EXISTS")
                return .dropConstraint(name: try identifier("a constraint name"), ifExists: ifExists)
            }
            if cursor.isKeyword("COLUMN") || cursor.isKeyword("COLUMNS") {
                throw ExpressionError(.unsupported, "ALTER TABLE … DROP COLUMN is not supported (it needs column mapping)", at: peek.location)
            }
            throw fail(expected: "CONSTRAINT after DROP", withNotes: false)
        }
        if cursor.consumeKeyword("SET") {
            if cursor.consumeKeyword("TBLPROPERTIES") { return .setProperties(try propertyList()) }
            if cursor.consumeKeyword("OWNER", "TO") { return .setOwner(principal: try principalName()) }
            throw fail(expected: "TBLPROPERTIES or OWNER TO after SET", withNotes: false)
        }
        if cursor.consumeKeyword("UNSET") {
            try expect("TBLPROPERTIES")
            let ifExists = cursor.consumeKeyword("IF", "EXISTS")
            try expectSymbol("(")
            var keys = [try propertyKey()]
            while cursor.consumeSymbol(",") { keys.append(try propertyKey()) }
            try expectSymbol(")")
            return .unsetProperties(keys: keys, ifExists: ifExists)
        }
        if cursor.consumeKeyword("OWNER", "TO") {
            return .setOwner(principal: try principalName())
        }
        if cursor.consumeKeyword("ALTER") || cursor.consumeKeyword("CHANGE") {
            _ = cursor.consumeKeyword("COLUMN")
            let column = try identifier("a column name")
            if cursor.consumeKeyword("TYPE") { return .alterColumnType(column: column, type: try dataType()) }
            if cursor.consumeKeyword("SET", "NOT", "NULL") { return .alterColumnNullability(column: column, nullable: false) }
            if cursor.consumeKeyword("DROP", "NOT", "NULL") { return .alterColumnNullability(column: column, nullable: true) }
            throw fail(expected: "TYPE, SET NOT NULL or DROP NOT NULL after the column name", withNotes: false)
        }
        throw fail(expected: "ADD COLUMNS, ADD CONSTRAINT, DROP CONSTRAINT, ALTER COLUMN, SET TBLPROPERTIES, UNSET TBLPROPERTIES or OWNER TO",
                   withNotes: false)
    }

    // MARK: Inspection

    /// SHOW TABLES, NAMESPACES, GRANTS, USERS, GROUPS.
    private mutating func show() throws(ExpressionError) -> Statement {
        try expect("SHOW")
        if cursor.consumeKeyword("TABLES") {
            guard cursor.consumeKeyword("IN") || cursor.consumeKeyword("FROM") else { return .showTables(namespace: nil) }
            let location = peek.location
            return .showTables(namespace: NamespaceName(try identifier("a namespace name"), location: location))
        }
        if cursor.consumeKeyword("NAMESPACES") || cursor.consumeKeyword("SCHEMAS") || cursor.consumeKeyword("DATABASES") {
            return .showNamespaces
        }
        if cursor.consumeKeyword("TBLPROPERTIES") {
            let name = try tableName()
            guard cursor.consumeSymbol("(") else { return .showTableProperties(name, key: nil) }
            let key = try propertyKey()
            try expectSymbol(")")
            return .showTableProperties(name, key: key)
        }
        if cursor.consumeKeyword("COLUMNS") {
            guard cursor.consumeKeyword("IN") || cursor.consumeKeyword("FROM") else { throw fail(expected: "IN or FROM after SHOW COLUMNS", withNotes: false) }
            return .showColumns(try tableName())
        }
        if cursor.consumeKeyword("GRANTS") { return .showGrants(try showGrants()) }
        if cursor.consumeKeyword("USERS") { return .showUsers }
        if cursor.consumeKeyword("GROUPS") { return .showGroups }
        throw fail(expected: "TABLES, NAMESPACES, TBLPROPERTIES, COLUMNS, GRANTS, USERS or GROUPS after SHOW", withNotes: false)
    }

    /// DESCRIBE [TABLE] t, DESCRIBE DETAIL t, DESCRIBE HISTORY t [LIMIT n]. A table that is
    /// itself called `detail` or `history` is read as a table when nothing follows.
    private mutating func describe() throws(ExpressionError) -> Statement {
        cursor.advance()
        let next = cursor.peek(ahead: 1)
        let followedByName = next.kind == .identifier || next.kind == .quotedIdentifier
        if cursor.isKeyword("DETAIL"), followedByName {
            cursor.advance()
            return .describeDetail(try tableName())
        }
        if cursor.isKeyword("HISTORY"), followedByName {
            cursor.advance()
            var statement = DescribeHistoryStatement(table: try tableName())
            if accept("LIMIT") {
                let location = peek.location
                let limit = try integerLiteral("a number of versions after LIMIT")
                guard let count = Int(exactly: limit) else {
                    throw ExpressionError(.syntax, "LIMIT \(limit) is too large", at: location)
                }
                statement.limit = count
            }
            return .describeHistory(statement)
        }
        if cursor.isKeyword("EXTENDED") || cursor.isKeyword("FORMATTED") {
            throw ExpressionError(.unsupported, "DESCRIBE \(peek.text.uppercased()) is not supported; use DESCRIBE DETAIL", at: peek.location)
        }
        if cursor.isKeyword("TABLE"), followedByName { cursor.advance() }
        return .describeTable(try tableName())
    }

    // MARK: Maintenance

    /// `OPTIMIZE t [WHERE condition] [ZORDER BY (columns) | columns]`.
    private mutating func optimize() throws(ExpressionError) -> OptimizeStatement {
        try expect("OPTIMIZE")
        var statement = OptimizeStatement(table: try tableName())
        if accept("WHERE") { statement.condition = try expression() }
        if try acceptPair("ZORDER", "BY") {
            if cursor.isSymbol("(") {
                statement.zOrderBy = try parenthesizedIdentifiers("a column name")
            } else {
                var columns = [try identifier("a column name")]
                while cursor.consumeSymbol(",") { columns.append(try identifier("a column name")) }
                statement.zOrderBy = columns
            }
        }
        return statement
    }

    /// `VACUUM t [RETAIN n HOURS] [DRY RUN]`.
    private mutating func vacuum() throws(ExpressionError) -> VacuumStatement {
        try expect("VACUUM")
        var statement = VacuumStatement(table: try tableName())
        if accept("RETAIN") {
            statement.retainHours = try numberLiteral("a number of hours after RETAIN")
            try expect("HOURS")
        }
        if accept("DRY") {
            try expect("RUN")
            statement.dryRun = true
        }
        return statement
    }

    /// `RESTORE [TABLE] t [TO] VERSION AS OF n | TIMESTAMP AS OF '…'`.
    private mutating func restore() throws(ExpressionError) -> RestoreStatement {
        try expect("RESTORE")
        if cursor.isKeyword("TABLE"), cursor.peek(ahead: 1).kind == .identifier || cursor.peek(ahead: 1).kind == .quotedIdentifier {
            cursor.advance()
        }
        let table = try tableName()
        _ = cursor.consumeKeyword("TO")
        guard cursor.isKeyword("VERSION") || cursor.isKeyword("TIMESTAMP") else {
            throw fail(expected: "VERSION AS OF or TIMESTAMP AS OF", withNotes: false)
        }
        return RestoreStatement(table: table, target: try timeTravelClause())
    }
}
