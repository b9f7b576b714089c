// Printing the statement syntax tree back to SQL: `Statement.sql`, `Query.sql` and the
// pieces they are made of. The printed text parses back to an equal tree (locations
// aside); it is one line, canonical keywords in upper case. Must never print a name that
// the parser would read as a keyword (such names are quoted).
import TarnColumnar
import TarnExpression

/// Quoting for names printed in statements.
enum StatementText {
    /// Words the statement grammar looks for by position; a name spelled like one is
    /// printed quoted so that it can never be read as the word.
    static let grammarWords: Set<String> = [
        "ADD", "ALTER", "ANTI", "AS", "BY", "CHECK", "COLUMN", "COLUMNS", "COMMENT", "CONSTRAINT", "CREATE", "CSV",
        "DATABASE", "DATABASES", "DELETE", "DELTA", "DESC", "DESCRIBE", "DETAIL", "DRY", "EXCEPT", "EXISTS", "EXPLAIN",
        "EXTENDED", "FILES", "FIRST", "FOR", "FORMATTED", "GRANT", "GRANTS", "GROUPS", "HISTORY", "HOURS", "IF", "INSERT",
        "INTERSECT", "INTO", "LAKEHOUSE", "LAST", "LATERAL", "LOCATION", "MANAGE", "MATCHED", "MEMBER", "MERGE", "MINUS",
        "MODIFY", "NAMESPACE", "NAMESPACES", "NATURAL", "NULLS", "OF", "OPTIMIZE", "OVERWRITE", "OWNER", "PARQUET",
        "PARTITIONED", "PIVOT", "PRINCIPAL", "PRIVILEGES", "QUALIFY", "READ", "RECURSIVE", "REMOVE", "REPLACE",
        "RESTORE", "RETAIN", "REVOKE", "ROW", "ROWS", "RUN", "SCHEMA", "SCHEMAS", "SEMI", "SERVICE", "SET", "SHOW",
        "SOURCE", "TABLE", "TABLES", "TABLESAMPLE", "TARGET", "TBLPROPERTIES", "TIMESTAMP", "TO", "UNPIVOT", "UNSET",
        "UPDATE", "USE", "USER", "USERS", "VACUUM", "VALUES", "WINDOW", "ZORDER", "GROUP", "ASC", "TEMP", "TEMPORARY",
    ]

    /// A name: plain when it is an ordinary word, else double-quoted.
    static func name(_ text: String) -> String {
        let printed = SQLText.identifier(text)
        if printed == text, grammarWords.contains(text.uppercased()) {
            return "\"" + text + "\""
        }
        return printed
    }

    static func names(_ list: [String]) -> String {
        list.map(name).joined(separator: ", ")
    }

    static func string(_ text: String) -> String { SQLText.string(text) }

    /// A path inside backticks, backticks doubled.
    static func path(_ text: String) -> String {
        var out = "`"
        for c in text {
            if c == "`" { out += "``" } else { out.append(c) }
        }
        return out + "`"
    }

    /// A number of hours without a needless fraction (`168`, `0.5`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension Statement {
    /// The statement as SQL text that parses back to an equal statement.
    public var sql: String {
        switch self {
        case let .query(query): return query.sql
        case let .insert(s): return s.sql
        case let .delete(s):
            var text = "DELETE FROM " + s.table.sql
            if let alias = s.alias { text += " AS " + StatementText.name(alias) }
            if let condition = s.condition { text += " WHERE " + condition.sql }
            return text
        case let .update(s):
            var text = "UPDATE " + s.table.sql
            if let alias = s.alias { text += " AS " + StatementText.name(alias) }
            text += " SET " + s.assignments.map(\.sql).joined(separator: ", ")
            if let condition = s.condition { text += " WHERE " + condition.sql }
            return text
        case let .merge(s): return s.sql
        case let .createTable(s): return s.sql
        case let .dropTable(s):
            return "DROP TABLE " + (s.ifExists ? "IF EXISTS " : "") + s.name.sql
        case let .alterTable(s): return s.sql
        case let .createNamespace(s):
            var text = "CREATE NAMESPACE " + (s.ifNotExists ? "IF NOT EXISTS " : "") + StatementText.name(s.name.name)
            if let comment = s.comment { text += " COMMENT " + StatementText.string(comment) }
            return text
        case let .alterNamespaceOwner(namespace, principal):
            return "ALTER NAMESPACE " + StatementText.name(namespace.name) + " OWNER TO " + StatementText.name(principal)
        case let .showTables(namespace):
            return "SHOW TABLES" + (namespace.map { " IN " + StatementText.name($0.name) } ?? "")
        case .showNamespaces: return "SHOW NAMESPACES"
        case let .showTableProperties(name, key):
            return "SHOW TBLPROPERTIES " + name.sql + (key.map { " (" + StatementText.string($0) + ")" } ?? "")
        case let .showColumns(name): return "SHOW COLUMNS IN " + name.sql
        case let .describeTable(name): return "DESCRIBE TABLE " + name.sql
        case let .describeDetail(name): return "DESCRIBE DETAIL " + name.sql
        case let .describeHistory(s):
            return "DESCRIBE HISTORY " + s.table.sql + (s.limit.map { " LIMIT \($0)" } ?? "")
        case let .optimize(s):
            var text = "OPTIMIZE " + s.table.sql
            if let condition = s.condition { text += " WHERE " + condition.sql }
            if !s.zOrderBy.isEmpty { text += " ZORDER BY (" + StatementText.names(s.zOrderBy) + ")" }
            return text
        case let .vacuum(s):
            var text = "VACUUM " + s.table.sql
            if let hours = s.retainHours { text += " RETAIN " + StatementText.number(hours) + " HOURS" }
            if s.dryRun { text += " DRY RUN" }
            return text
        case let .restore(s):
            return "RESTORE TABLE " + s.table.sql + " TO " + s.target.sql
        case let .explain(inner):
            return "EXPLAIN " + inner.sql
        case let .createPrincipal(s):
            return "CREATE " + s.kind.rawValue + " " + (s.ifNotExists ? "IF NOT EXISTS " : "") + StatementText.name(s.name)
        case let .dropPrincipal(s):
            return "DROP " + s.kind.rawValue + " " + (s.ifExists ? "IF EXISTS " : "") + StatementText.name(s.name)
        case let .alterGroup(s):
            return "ALTER GROUP " + StatementText.name(s.group) + (s.add ? " ADD MEMBER " : " REMOVE MEMBER ") + StatementText.name(s.member)
        case let .grant(s):
            return "GRANT " + s.privilegesSQL + " ON " + s.target.sql + " TO " + StatementText.name(s.principal)
        case let .revoke(s):
            return "REVOKE " + s.privilegesSQL + " ON " + s.target.sql + " FROM " + StatementText.name(s.principal)
        case let .showGrants(s):
            var text = "SHOW GRANTS"
            if let target = s.target { text += " ON " + target.sql }
            if let principal = s.principal { text += " TO " + StatementText.name(principal) }
            if let asOf = s.asOf { text += " TIMESTAMP AS OF " + StatementText.string(asOf) }
            return text
        case .showUsers: return "SHOW USERS"
        case .showGroups: return "SHOW GROUPS"
        }
    }
}

extension TableName {
    /// `ns.table` with names quoted where needed.
    public var sql: String {
        (namespace.map { StatementText.name($0) + "." } ?? "") + StatementText.name(name)
    }
}

extension TimeTravelSpec {
    /// `VERSION AS OF n` or `TIMESTAMP AS OF '…'`.
    public var sql: String {
        switch self {
        case let .version(v): return "VERSION AS OF \(v)"
        case let .timestamp(text): return "TIMESTAMP AS OF " + StatementText.string(text)
        }
    }
}

extension TableReference {
    /// The FROM item as SQL text.
    public var sql: String {
        switch self {
        case let .table(t):
            var text = t.name.sql
            if let travel = t.timeTravel { text += " " + travel.sql }
            if let alias = t.alias { text += " AS " + StatementText.name(alias) }
            return text
        case let .path(p):
            var text = p.format.rawValue + "." + StatementText.path(p.path)
            if let travel = p.timeTravel { text += " " + travel.sql }
            if let alias = p.alias { text += " AS " + StatementText.name(alias) }
            return text
        case let .subquery(s):
            var text = "(" + s.query.sql + ")"
            if let alias = s.alias { text += " AS " + StatementText.name(alias) }
            return text
        case let .join(j):
            var right = j.right.sql
            if case .join = j.right { right = "(" + right + ")" }
            let words: String
            switch j.kind {
            case .inner: words = "JOIN"
            case .left: words = "LEFT JOIN"
            case .right: words = "RIGHT JOIN"
            case .full: words = "FULL JOIN"
            case .cross: words = "CROSS JOIN"
            case .semi: words = "LEFT SEMI JOIN"
            case .anti: words = "LEFT ANTI JOIN"
            }
            var text = j.left.sql + " " + (j.natural ? "NATURAL " : "") + words + " " + right
            if let condition = j.condition { text += " ON " + condition.sql }
            if !j.using.isEmpty { text += " USING (" + j.using.map { StatementText.name($0.name) }.joined(separator: ", ") + ")" }
            return text
        }
    }
}

extension Query {
    /// The query as SQL text that parses back to an equal query.
    public var sql: String {
        var text = ""
        if !with.isEmpty {
            text = "WITH " + with.map { cte in
                StatementText.name(cte.name)
                    + (cte.columns.isEmpty ? "" : " (" + StatementText.names(cte.columns) + ")")
                    + " AS (" + cte.query.sql + ")"
            }.joined(separator: ", ") + " "
        }
        text += body.sql
        if !orderBy.isEmpty { text += " ORDER BY " + orderBy.map(\.sql).joined(separator: ", ") }
        if let limit { text += " LIMIT \(limit)" }
        if let offset { text += " OFFSET \(offset)" }
        return text
    }
}

extension QueryBody {
    /// The body as SQL text; a union on the right of another is parenthesised.
    public var sql: String {
        switch self {
        case let .select(core): return core.sql
        case let .values(list):
            return "VALUES " + list.rows.map { "(" + $0.map(\.sql).joined(separator: ", ") + ")" }.joined(separator: ", ")
        case let .nested(query): return "(" + query.sql + ")"
        case let .union(left, right, all):
            var rightText = right.sql
            if case .union = right { rightText = "(" + rightText + ")" }
            return left.sql + (all ? " UNION ALL " : " UNION ") + rightText
        }
    }
}

extension SelectCore {
    public var sql: String {
        var text = "SELECT " + (distinct ? "DISTINCT " : "")
        text += items.map { item in
            item.expression.sql + (item.alias.map { " AS " + StatementText.name($0) } ?? "")
        }.joined(separator: ", ")
        if let from { text += " FROM " + from.sql }
        if let filter { text += " WHERE " + filter.sql }
        if !groupBy.isEmpty { text += " GROUP BY " + groupBy.map(\.sql).joined(separator: ", ") }
        if let having { text += " HAVING " + having.sql }
        return text
    }
}

extension OrderItem {
    public var sql: String {
        var text = expression.sql
        if let direction { text += " " + direction.rawValue }
        if let nulls { text += " NULLS " + nulls.rawValue }
        return text
    }
}

extension Assignment {
    public var sql: String {
        (qualifier.map { StatementText.name($0) + "." } ?? "") + StatementText.name(column) + " = " + value.sql
    }
}

extension ColumnDefinition {
    public var sql: String {
        var text = StatementText.name(name) + " " + type.sqlName
        if notNull { text += " NOT NULL" }
        if let comment { text += " COMMENT " + StatementText.string(comment) }
        return text
    }
}

extension CheckConstraint {
    public var sql: String {
        "CONSTRAINT " + StatementText.name(name) + " CHECK (" + expression.sql + ")"
    }
}

extension PropertyEntry {
    public var sql: String { StatementText.string(key) + " = " + StatementText.string(value) }
}

extension InsertStatement {
    public var sql: String {
        var text = (overwrite ? "INSERT OVERWRITE " : "INSERT INTO ") + table.sql
        if !columns.isEmpty { text += " (" + StatementText.names(columns) + ")" }
        return text + " " + source.sql
    }
}

extension CreateTableStatement {
    public var sql: String {
        var text = "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + name.sql
        if asQuery == nil {
            text += " (" + (columns.map(\.sql) + constraints.map(\.sql)).joined(separator: ", ") + ")"
        }
        if !partitionedBy.isEmpty { text += " PARTITIONED BY (" + StatementText.names(partitionedBy) + ")" }
        if let comment { text += " COMMENT " + StatementText.string(comment) }
        if !properties.isEmpty { text += " TBLPROPERTIES (" + properties.map(\.sql).joined(separator: ", ") + ")" }
        if let asQuery { text += " AS " + asQuery.sql }
        return text
    }
}

extension AlterTableStatement {
    public var sql: String {
        var text = "ALTER TABLE " + name.sql + " "
        switch action {
        case let .addColumns(columns): text += "ADD COLUMNS (" + columns.map(\.sql).joined(separator: ", ") + ")"
        case let .addConstraint(check): text += "ADD " + check.sql
        case let .dropConstraint(name, ifExists): text += "DROP CONSTRAINT " + (ifExists ? "IF EXISTS " : "") + StatementText.name(name)
        case let .setProperties(entries): text += "SET TBLPROPERTIES (" + entries.map(\.sql).joined(separator: ", ") + ")"
        case let .unsetProperties(keys, ifExists):
            text += "UNSET TBLPROPERTIES " + (ifExists ? "IF EXISTS " : "") + "(" + keys.map(StatementText.string).joined(separator: ", ") + ")"
        case let .setOwner(principal): text += "OWNER TO " + StatementText.name(principal)
        case let .alterColumnType(column, type): text += "ALTER COLUMN " + StatementText.name(column) + " TYPE " + type.sqlName
        case let .alterColumnNullability(column, nullable):
            text += "ALTER COLUMN " + StatementText.name(column) + (nullable ? " DROP NOT NULL" : " SET NOT NULL")
        }
        return text
    }
}

extension MergeStatement {
    public var sql: String {
        var text = (schemaEvolution ? "MERGE WITH SCHEMA EVOLUTION INTO " : "MERGE INTO ") + target.sql
        if let targetAlias { text += " AS " + StatementText.name(targetAlias) }
        text += " USING " + source.sql + " ON " + condition.sql
        for clause in clauses { text += " " + clause.sql }
        return text
    }
}

extension MergeClause {
    public var sql: String {
        var text: String
        switch match {
        case .matched: text = "WHEN MATCHED"
        case .notMatchedByTarget: text = "WHEN NOT MATCHED"
        case .notMatchedBySource: text = "WHEN NOT MATCHED BY SOURCE"
        }
        if let condition { text += " AND " + condition.sql }
        text += " THEN "
        switch action {
        case let .update(assignments): text += "UPDATE SET " + assignments.map(\.sql).joined(separator: ", ")
        case .updateAll: text += "UPDATE SET *"
        case .delete: text += "DELETE"
        case let .insert(columns, values):
            text += "INSERT " + (columns.isEmpty ? "" : "(" + StatementText.names(columns) + ") ")
                + "VALUES (" + values.map(\.sql).joined(separator: ", ") + ")"
        case .insertAll: text += "INSERT *"
        }
        return text
    }
}

extension GrantTarget {
    public var sql: String {
        switch self {
        case .lakehouse: return "LAKEHOUSE"
        case let .namespace(ns): return "NAMESPACE " + StatementText.name(ns.name)
        case let .table(name): return "TABLE " + name.sql
        }
    }
}

extension GrantStatement {
    var privilegesSQL: String { privileges.map(\.rawValue).joined(separator: ", ") }
}
