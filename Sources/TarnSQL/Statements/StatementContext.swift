// StatementContext: what executing one statement may use — the catalog, the session
// options, the statement's text and location, and the statement's fixed `now`. Resolves
// table names (default namespace, `delta.`path``) to tables with SQL-level errors.
import Foundation
import TarnColumnar
import TarnExpression
import TarnTables

struct StatementContext: Sendable {
    let catalog: Catalog
    let options: SQLSession.Options
    /// The statement's own text.
    let statementText: String
    /// Where the statement starts in the session's source text.
    let location: SourceLocation?
    /// The statement's `now` (µs since the epoch), the same for every use in the statement.
    let nowMicros: Int64

    /// `namespace.name`, or `name` in the default namespace.
    func identifier(namespace: String?, name: String, at location: SourceLocation? = nil) throws(SQLError) -> TableIdentifier {
        do {
            return try TableIdentifier(namespace: namespace ?? options.defaultNamespace, name: name)
        } catch {
            throw SQLError(error, statementText: statementText, location: location ?? self.location)
        }
    }

    /// Opens a catalog table; an unknown one is a binding error naming it and its namespace's tables.
    func openTable(_ id: TableIdentifier, at location: SourceLocation? = nil) throws(SQLError) -> Table {
        do {
            guard try catalog.tableExists(id) else {
                throw SQLError(.binding, "table \(id) does not exist\(knownTablesHint(id.namespace))",
                               location: location ?? self.location, statementText: statementText)
            }
            return try catalog.openTable(id)
        } catch let error as SQLError {
            throw error
        } catch let error as TableError {
            throw SQLError(error, statementText: statementText, location: location ?? self.location)
        } catch {
            throw SQLError(.table, "cannot open table \(id): \(error)", location: location ?? self.location,
                           statementText: statementText)
        }
    }

    /// Opens the Delta table in a directory (`delta.`path``); relative paths are relative to
    /// the working directory, as the shell user expects.
    func openTable(path: String, at location: SourceLocation? = nil) throws(SQLError) -> Table {
        do {
            return try catalog.openTable(directory: path)
        } catch {
            throw SQLError(error, statementText: statementText, location: location ?? self.location)
        }
    }

    private func knownTablesHint(_ namespace: String) -> String {
        guard let tables = try? catalog.listTables(namespace: namespace) else {
            return "; namespace \(namespace) does not exist"
        }
        if tables.isEmpty { return "; namespace \(namespace) has no tables" }
        let names = tables.prefix(20).map(\.name).joined(separator: ", ")
        return "; \(namespace) has: \(names)\(tables.count > 20 ? ", …" : "")"
    }

    /// Runs a TarnTables call, turning its error into a SQLError of this statement.
    func table<T>(_ body: () throws(TableError) -> T) throws(SQLError) -> T {
        do {
            return try body()
        } catch {
            throw SQLError(error, statementText: statementText, location: location)
        }
    }

    func error(_ kind: SQLError.Kind, _ message: String, at location: SourceLocation? = nil) -> SQLError {
        SQLError(kind, message, location: location ?? self.location, statementText: statementText)
    }
}
