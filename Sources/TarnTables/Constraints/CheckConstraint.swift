// CHECK constraints and NOT NULL columns as table metadata: listing them, adding a CHECK
// (verifying every existing row first, upgrading the protocol to support the feature),
// dropping one, and setting or dropping NOT NULL on a column. Each change is one Delta
// commit. Must never commit a constraint that an existing row breaks.
import TarnColumnar
import TarnExpression
import TarnLog

/// A named CHECK constraint: `delta.constraints.<name>` = a SQL boolean expression over
/// the table's columns. Every row must make it TRUE (FALSE and NULL both violate it, as
/// the Delta protocol says).
public struct TableCheckConstraint: Sendable, Hashable {
    public var name: String
    public var expression: String

    public init(name: String, expression: String) {
        self.name = name
        self.expression = expression
    }

    /// The configuration key prefix of CHECK constraints (`delta.constraints.<name>`).
    public static let prefix = "delta.constraints."

    /// The CHECK constraints in a table configuration, by name.
    static func all(in configuration: [String: String]) -> [TableCheckConstraint] {
        configuration.compactMap { key, value -> TableCheckConstraint? in
            guard key.lowercased().hasPrefix(prefix), key.count > prefix.count else { return nil }
            return TableCheckConstraint(name: String(key.dropFirst(prefix.count)), expression: value)
        }.sorted { $0.name < $1.name }
    }

    /// The configuration key holding the constraint named `name` (any case), if any.
    static func key(of name: String, in configuration: [String: String]) -> String? {
        let wanted = (prefix + name).lowercased()
        return configuration.keys.sorted().first { $0.lowercased() == wanted }
    }
}

extension Table {
    /// The CHECK constraints of the latest (or `asOf`) version, by name.
    public func constraints(asOf: TimeTravel? = nil) throws(TableError) -> [TableCheckConstraint] {
        TableCheckConstraint.all(in: try snapshot(asOf: asOf).configuration)
    }

    /// Adds the CHECK constraint `name` with the SQL boolean `expression` (e.g.
    /// `x > 0 AND s IS NOT NULL`), as one commit (operation ADD CONSTRAINT, parameters
    /// name and expr). Every existing row is verified first. The name is stored in lower
    /// case (as Delta does) under `delta.constraints.<name>`; the protocol is upgraded
    /// to support CHECK constraints when needed (writer version 3, or the
    /// `checkConstraints` writer feature on a table-features protocol).
    ///
    /// From then on every append, overwrite, update and merge checks its new rows and
    /// fails, committing nothing, when one makes the expression FALSE or NULL.
    /// Isolation: the whole table is recorded as read, so a concurrent data change
    /// makes this a `.conflict` (and a concurrent write fails on the metadata change).
    /// - Returns: the committed version.
    /// - Throws: `.invalidName` for a name that is not letters, digits and `_`;
    ///   `.alreadyExists` when a constraint of that name exists; `.invalidArgument` for
    ///   an expression that does not parse, bind or is not BOOLEAN; `.schemaMismatch`
    ///   naming an existing row that breaks it (cause: `ConstraintViolation`);
    ///   `.conflict`; `.storage`/`.corrupt`.
    @discardableResult
    public func addConstraint(name: String, check expression: String) throws(TableError) -> Int64 {
        try access.require(.manage, action: "add constraint")
        let constraintName = try Self.validConstraintName(name, table: self.name)
        let text = expression.trimmingWhitespace
        let snapshot = try snapshot()
        if let key = TableCheckConstraint.key(of: constraintName, in: snapshot.configuration) {
            throw TableError(.alreadyExists, "constraint \(constraintName) already exists (\(snapshot.configuration[key] ?? "")); drop it first",
                             table: self.name)
        }
        // Parse and type-check against the whole schema first (errors point into the text).
        let bound = try BoundSQL.bind(text, scope: .table(snapshot.schema, qualifier: shortName),
                                      role: "CHECK constraint \(constraintName)", table: self.name, predicate: true)
        try verifyExistingRows(TableCheckConstraint(name: constraintName, expression: text), bound: bound, snapshot: snapshot)

        var metadata = snapshot.metadata
        metadata.configuration[TableCheckConstraint.prefix + constraintName] = text
        var transaction = log.startTransaction(operation: "ADD CONSTRAINT", readSnapshot: snapshot)
        if let upgraded = Self.protocolSupportingCheckConstraints(snapshot.tableProtocol) {
            transaction.add(.tableProtocol(upgraded))
        }
        transaction.add(.metadata(metadata))
        transaction.recordReadWholeTable()
        transaction.operationParameters = ["name": constraintName, "expr": text]
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the constraint was not added")
        }
    }

    /// Drops the CHECK constraint `name` (any case) in one commit (operation DROP
    /// CONSTRAINT). The protocol stays as it is.
    /// - Returns: the committed version; nil when `ifExists` and there is no such constraint.
    /// - Throws: `.notFound` naming the constraints that exist; `.conflict`; `.storage`.
    @discardableResult
    public func dropConstraint(name: String, ifExists: Bool = false) throws(TableError) -> Int64? {
        try access.require(.manage, action: "drop constraint")
        let snapshot = try snapshot()
        guard let key = TableCheckConstraint.key(of: name, in: snapshot.configuration) else {
            if ifExists { return nil }
            let existing = TableCheckConstraint.all(in: snapshot.configuration).map(\.name)
            throw TableError(.notFound, "no constraint named \(name); the table has " +
                             (existing.isEmpty ? "no CHECK constraints" : existing.joined(separator: ", ")), table: self.name)
        }
        let expression = snapshot.configuration[key] ?? ""
        var metadata = snapshot.metadata
        metadata.configuration[key] = nil
        var transaction = log.startTransaction(operation: "DROP CONSTRAINT", readSnapshot: snapshot)
        transaction.add(.metadata(metadata))
        transaction.operationParameters = ["name": String(key.dropFirst(TableCheckConstraint.prefix.count)), "expr": expression]
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the constraint was not dropped")
        }
    }

    /// Makes `column` NOT NULL (`nullable: false`, verifying that no existing row holds
    /// NULL there) or nullable again, in one commit (operation CHANGE COLUMN).
    /// - Returns: the committed version; nil when the column already is as asked.
    /// - Throws: `.invalidArgument` for an unknown column; `.schemaMismatch` naming a row
    ///   with NULL in the column (cause: `ConstraintViolation`); `.conflict`; `.storage`.
    @discardableResult
    public func setNullability(column: String, nullable: Bool) throws(TableError) -> Int64? {
        try access.require(.manage, action: "alter column nullability")
        let snapshot = try snapshot()
        var schema = snapshot.schema
        guard let index = schema.index(of: column) ?? schema.lookup(column) else {
            throw TableError(.invalidArgument, "no column '\(column)'; the table has \(schema.names.joined(separator: ", "))", table: name)
        }
        if schema.fields[index].nullable == nullable { return nil }
        let field = schema.fields[index]
        if !nullable {
            let scan = TableScan(table: self, snapshot: snapshot, schema: snapshot.schema.relaxed,
                                 predicate: .isNull(column: field.name), files: snapshot.files(matching: .isNull(column: field.name)),
                                 totalFiles: snapshot.files.count)
            var violation: ConstraintViolation?
            try forEachBatch(of: scan) { (batch) throws(TableError) -> Bool in
                let values = batch.columns[index]
                guard values.nullCount > 0, let row = (0..<values.count).first(where: { values.isNull($0) }) else { return true }
                violation = ConstraintViolation(kind: .notNull, name: field.name, expression: "\(field.name) IS NOT NULL",
                                                row: ConstraintViolation.render(batch, row: row))
                return false
            }
            if let violation {
                throw TableError(.schemaMismatch, "cannot make column '\(field.name)' NOT NULL: an existing row holds NULL there (\(violation))",
                                 table: name, cause: violation)
            }
        }
        schema.fields[index].nullable = nullable
        var transaction = log.startTransaction(operation: "CHANGE COLUMN", readSnapshot: snapshot)
        transaction.add(.metadata(try evolved(snapshot.metadata, to: schema)))
        if !nullable { transaction.recordReadWholeTable() }
        transaction.operationParameters = ["column": JSONText.object(["name": field.name, "nullable": String(nullable)])]
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the column was not changed")
        }
    }

    // MARK: helpers

    /// Reads every row of `snapshot` and throws on the first row whose expression is
    /// FALSE or NULL (a window of files at a time; the failing row is reported whole).
    private func verifyExistingRows(_ constraint: TableCheckConstraint, bound: BoundSQL, snapshot: Snapshot) throws(TableError) {
        if snapshot.files.isEmpty { return }
        let scan = TableScan(table: self, snapshot: snapshot, schema: snapshot.schema.relaxed, predicate: nil,
                             files: snapshot.files, totalFiles: snapshot.files.count)
        var violation: ConstraintViolation?
        try forEachBatch(of: scan) { (batch) throws(TableError) -> Bool in
            let passed = try bound.trueRows(batch, table: self.name)
            guard passed.setCount < batch.rowCount, let row = (~passed).setIndices.first else { return true }
            violation = ConstraintViolation(kind: .check, name: constraint.name, expression: constraint.expression,
                                            row: ConstraintViolation.render(batch, row: row))
            return false
        }
        if let violation {
            throw TableError(.schemaMismatch, "cannot add CHECK constraint \(constraint.name): an existing row breaks it (\(violation)); nothing was committed",
                             table: name, cause: violation)
        }
    }

    /// Calls `body` with each batch of `scan` until it returns false.
    private func forEachBatch(of scan: TableScan, _ body: (RecordBatch) throws(TableError) -> Bool) throws(TableError) {
        struct Stop: Error {}
        do {
            try scan.forEachBatch { batch in
                if try !body(batch) { throw Stop() }
            }
        } catch is Stop {
            return
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.storage, "cannot read the table", table: name, cause: StringError("\(error)"))
        }
    }

    /// The protocol to commit with a first CHECK constraint, or nil when `current`
    /// already supports them.
    static func protocolSupportingCheckConstraints(_ current: TableProtocol) -> TableProtocol? {
        if current.minWriterVersion >= 7 {
            var features = current.writerFeatures ?? []
            if features.contains("checkConstraints") { return nil }
            features.append("checkConstraints")
            var upgraded = current
            upgraded.writerFeatures = features
            return upgraded
        }
        if current.minWriterVersion >= 3 { return nil }
        var upgraded = current
        upgraded.minWriterVersion = 3
        return upgraded
    }

    /// `name` when it is a valid constraint name (letters, digits, `_`; not starting
    /// with a digit; at most 128 characters), lower-cased.
    static func validConstraintName(_ name: String, table: String) throws(TableError) -> String {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, scalars.count <= 128,
              first == "_" || first.properties.isAlphabetic,
              scalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else {
            throw TableError(.invalidName, "constraint name '\(name)' must be letters, digits and _ (not starting with a digit), at most 128 characters",
                             table: table)
        }
        return name.lowercased()
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
