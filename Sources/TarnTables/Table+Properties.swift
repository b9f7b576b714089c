// Table properties: setting and removing keys of the Delta table configuration, one
// metadata commit each (operation SET TBLPROPERTIES / UNSET TBLPROPERTIES), checked for
// MANAGE like every other change of a table's definition. Must never touch
// `delta.constraints.*` (addConstraint/dropConstraint own those, with their checks) or
// the schema.
import TarnLog

extension Table {
    /// Sets `entries` (key → value, in order) in the table's configuration in one commit.
    /// - Throws: `.invalidArgument` for no entries, an empty or over-long key, or a
    ///   `delta.constraints.*` key; `.accessDenied` without MANAGE; `.conflict`; `.storage`.
    @discardableResult
    public func setProperties(_ entries: [(key: String, value: String)]) throws(TableError) -> Int64 {
        try access.require(.manage, action: "set table properties")
        guard !entries.isEmpty else { throw TableError(.invalidArgument, "SET TBLPROPERTIES needs at least one property", table: name) }
        for entry in entries { try checkPropertyKey(entry.key) }
        let parameters = ["properties": JSONWriter.string(.object(entries.map { JSONMember($0.key, .string($0.value)) }))]
        return try commitConfiguration(operation: "SET TBLPROPERTIES", parameters: parameters) { configuration in
            for entry in entries { configuration[entry.key] = entry.value }
        }
    }

    /// Removes `keys` from the configuration in one commit; a missing key is an error
    /// unless `ifExists`.
    /// - Throws: `.notFound` naming a missing key; `.invalidArgument` as `setProperties`;
    ///   `.accessDenied` without MANAGE; `.conflict`; `.storage`.
    @discardableResult
    public func unsetProperties(_ keys: [String], ifExists: Bool = false) throws(TableError) -> Int64 {
        try access.require(.manage, action: "unset table properties")
        guard !keys.isEmpty else { throw TableError(.invalidArgument, "UNSET TBLPROPERTIES needs at least one property", table: name) }
        for key in keys { try checkPropertyKey(key) }
        let parameters = ["properties": JSONWriter.string(.array(keys.map { .string($0) })), "ifExists": ifExists ? "true" : "false"]
        return try commitConfiguration(operation: "UNSET TBLPROPERTIES", parameters: parameters) { (configuration) throws(TableError) in
            for key in keys {
                if configuration[key] == nil && !ifExists {
                    throw TableError(.notFound, "the table has no property '\(key)'; use UNSET TBLPROPERTIES IF EXISTS to ignore missing ones",
                                     table: self.name)
                }
                configuration[key] = nil
            }
        }
    }

    private func checkPropertyKey(_ key: String) throws(TableError) {
        if key.isEmpty || key.count > 256 {
            throw TableError(.invalidArgument, "a table property key must be 1 to 256 characters", table: name)
        }
        if key.lowercased().hasPrefix(TableCheckConstraint.prefix) {
            throw TableError(.invalidArgument, "'\(key)' is a CHECK constraint; use ALTER TABLE … ADD CONSTRAINT name CHECK (…) or DROP CONSTRAINT name",
                             table: name)
        }
    }

    /// One commit of the latest metadata with `change` applied to its configuration. A
    /// metadata change conflicts with any concurrent metadata change.
    private func commitConfiguration(operation: String, parameters: [String: String],
                                     change: (inout [String: String]) throws(TableError) -> Void) throws(TableError) -> Int64 {
        let snapshot = try snapshot()
        var metadata = snapshot.metadata
        try change(&metadata.configuration)
        var transaction = log.startTransaction(operation: operation, readSnapshot: snapshot)
        transaction.operationParameters = parameters
        transaction.add(.metadata(metadata))
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the \(operation) was not committed")
        }
    }
}
