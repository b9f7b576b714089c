// ALTER TABLE … SET/UNSET TBLPROPERTIES: one metadata commit (operation SET TBLPROPERTIES /
// UNSET TBLPROPERTIES) changing only the table configuration. Must never touch
// `delta.constraints.*` (ADD/DROP CONSTRAINT owns those, with their checks) or the schema.
import Foundation
import TarnLog
import TarnTables

enum TableProperties {
    static let constraintPrefix = "delta.constraints."

    /// Sets `entries` (key → value) in the table's configuration in one commit.
    static func set(_ entries: [(key: String, value: String)], on table: Table, context: StatementContext) throws(SQLError) -> Int64 {
        guard !entries.isEmpty else { throw context.error(.syntax, "SET TBLPROPERTIES needs at least one property") }
        for entry in entries {
            try checkKey(entry.key, context: context)
        }
        return try commit(table: table, context: context, operation: "SET TBLPROPERTIES",
                          parameters: ["properties": jsonObject(entries)]) { configuration in
            for entry in entries { configuration[entry.key] = entry.value }
        }
    }

    /// Removes `keys` from the configuration; a missing key is an error unless `ifExists`.
    static func unset(_ keys: [String], ifExists: Bool, on table: Table, context: StatementContext) throws(SQLError) -> Int64 {
        guard !keys.isEmpty else { throw context.error(.syntax, "UNSET TBLPROPERTIES needs at least one property") }
        for key in keys { try checkKey(key, context: context) }
        let current = try context.table { () throws(TableError) in try table.snapshot().configuration }
        if !ifExists {
            for key in keys where current[key] == nil {
                throw context.error(.binding, "table \(table.name) has no property '\(key)'; use UNSET TBLPROPERTIES IF EXISTS to ignore missing ones")
            }
        }
        return try commit(table: table, context: context, operation: "UNSET TBLPROPERTIES",
                          parameters: ["properties": jsonArray(keys), "ifExists": ifExists ? "true" : "false"]) { configuration in
            for key in keys { configuration[key] = nil }
        }
    }

    private static func checkKey(_ key: String, context: StatementContext) throws(SQLError) {
        if key.isEmpty || key.count > 256 {
            throw context.error(.syntax, "a table property key must be 1 to 256 characters")
        }
        if key.lowercased().hasPrefix(constraintPrefix) {
            throw context.error(.unsupported, "'\(key)' is a CHECK constraint; use ALTER TABLE … ADD CONSTRAINT name CHECK (…) or DROP CONSTRAINT name")
        }
    }

    private static func commit(table: Table, context: StatementContext, operation: String, parameters: [String: String],
                               change: (inout [String: String]) -> Void) throws(SQLError) -> Int64 {
        let snapshot = try context.table { () throws(TableError) in try table.snapshot() }
        var metadata = snapshot.metadata
        change(&metadata.configuration)
        var transaction = table.log.startTransaction(operation: operation, readSnapshot: snapshot)
        transaction.operationParameters = parameters
        // A metadata change conflicts with any concurrent metadata change (the conflict
        // checker treats metadata as read by every transaction).
        transaction.add(.metadata(metadata))
        do {
            return try transaction.commitOrThrow()
        } catch {
            let code: TableError.Code
            switch error {
            case .conflict: code = .conflict
            case .storage: code = .storage
            default: code = .corrupt
            }
            throw SQLError(TableError(code, "the \(operation) was not committed", table: table.name, cause: error),
                           statementText: context.statementText, location: context.location)
        }
    }

    static func jsonObject(_ entries: [(key: String, value: String)]) -> String {
        JSONWriter.string(.object(entries.map { JSONMember($0.key, .string($0.value)) }))
    }

    static func jsonArray(_ items: [String]) -> String {
        JSONWriter.string(.array(items.map { .string($0) }))
    }
}
