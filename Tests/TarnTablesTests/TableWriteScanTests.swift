// Creating tables, appending, overwriting, scanning with pruning, time travel and the
// errors for bad input — on an in-memory store and on the local file system.
import Foundation
import Testing
import TarnColumnar
import TarnIO
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Table writes and scans")
struct TableWriteScanTests {
    @Test("appends add versions; every version reads back its own rows")
    func appendsAndTimeTravel() throws {
        let catalog = Catalog(store: InMemoryFileStore())
        let id = try TableIdentifier(parsing: "sales.orders")
        let table = try catalog.createTable(id, schema: Rows.schema)
        try table.append([try Rows.batch(0..<10)])
        try table.append([try Rows.batch(10..<20), try Rows.batch(20..<25)])
        try table.overwrite([try Rows.batch(100..<103)])
        #expect(Rows.ids(try table.read(asOf: .version(0))) == [])
        #expect(Rows.ids(try table.read(asOf: .version(1))) == (0..<10).map(Int64.init))
        #expect(Rows.ids(try table.read(asOf: .version(2))) == (0..<25).map(Int64.init))
        #expect(Rows.ids(try table.read()) == [100, 101, 102])
        let history = try table.history()
        #expect(history.map(\.version) == [3, 2, 1, 0])
        #expect(history.first?.commitInfo?.operation == "WRITE")
        #expect(history.first?.commitInfo?.operationParameters?["mode"] == "Overwrite")
    }

    @Test("a predicate filters rows exactly and skips files by statistics")
    func predicatePruning() throws {
        let catalog = Catalog(store: InMemoryFileStore())
        let table = try catalog.createTable(try TableIdentifier(parsing: "a.t"), schema: Rows.schema)
        for start in stride(from: 0, to: 50, by: 10) { try table.append([try Rows.batch(start..<(start + 10))]) }
        let scan = try table.scan(columns: ["id", "name"], predicate: .comparison(column: "id", op: .greaterOrEqual, value: .int(42)))
        #expect(scan.totalFiles == 5)
        #expect(scan.files.count == 1)
        let rows = try scan.batches()
        #expect(Rows.ids(rows) == (42..<50).map(Int64.init))
        #expect(rows.first?.schema.names == ["id", "name"])
    }

    @Test("partitioned tables write hive directories and prune by partition")
    func partitioned() throws {
        let store = InMemoryFileStore()
        let catalog = Catalog(store: store)
        let table = try catalog.createTable(try TableIdentifier(parsing: "a.p"), schema: Rows.schema, partitionColumns: ["day"])
        try table.append([try Rows.batch(0..<30)])
        let snapshot = try table.snapshot()
        #expect(snapshot.files.count == 3)
        #expect(snapshot.files.allSatisfy { $0.path.hasPrefix("day=") })
        let scan = try table.scan(predicate: .comparison(column: "day", op: .equal, value: .date(20001)))
        #expect(scan.files.count == 1)
        let rows = try scan.batches()
        #expect(Rows.ids(rows) == stride(from: 1, to: 30, by: 3).map(Int64.init))
        #expect(rows.first?.column(named: "day")?.value(at: 0) == .date(20001))
    }

    @Test("a batch that does not fit the schema is refused and nothing is committed")
    func schemaMismatch() throws {
        let catalog = Catalog(store: InMemoryFileStore())
        let table = try catalog.createTable(try TableIdentifier(parsing: "a.s"), schema: Rows.schema)
        let wrong = try RecordBatch(schema: Schema([Field("id", .string)]), columns: [try Column(strings: ["x"])])
        #expect { try table.append([wrong]) } throws: { ($0 as? TableError)?.code == .schemaMismatch }
        let nullID = try RecordBatch(schema: Schema([Field("id", .int64), Field("name", .string), Field("score", .float64), Field("day", .date32)]),
                                     columns: [try Column(.int64, [nil] as [Int64?]), try Column(strings: ["x"]),
                                               try Column(.float64, [1.0] as [Double?]), try Column(.date32, [1] as [Int32?])])
        #expect { try table.append([nullID]) } throws: { error in
            (error as? TableError)?.code == .schemaMismatch && "\(error)".contains("NOT NULL")
        }
        #expect(try table.snapshot().version == 0)
    }

    @Test("time travel to a missing version or before the first commit is a clear error")
    func timeTravelErrors() throws {
        let catalog = Catalog(store: InMemoryFileStore())
        let table = try catalog.createTable(try TableIdentifier(parsing: "a.tt"), schema: Rows.schema)
        try table.append([try Rows.batch(0..<3)])
        #expect { try table.read(asOf: .version(7)) } throws: { ($0 as? TableError)?.code == .notFound }
        #expect { try table.read(asOf: .timestamp(0)) } throws: { ($0 as? TableError)?.code == .notFound }
    }

    @Test("the catalog validates names and lists namespaces and tables", arguments: ["../x", "a/b", "a\u{0}b", "", String(repeating: "x", count: 10_000), "x; DROP TABLE y"])
    func hostileNames(name: String) throws {
        let catalog = Catalog(store: InMemoryFileStore())
        #expect(throws: TableError.self) { try catalog.createNamespace(name) }
        #expect(throws: TableError.self) { _ = try TableIdentifier(namespace: "ok", name: name) }
        #expect(try catalog.listNamespaces().isEmpty)
    }

    @Test("tables on the local file system list, reopen and drop")
    func localCatalog() throws {
        let dir = try TemporaryDirectory("catalog")
        defer { dir.remove() }
        let catalog = try Catalog(root: dir.path)
        let t = try catalog.createTable(try TableIdentifier(parsing: "ns.events"), schema: Rows.schema, description: "events")
        try t.append([try Rows.batch(0..<5)])
        #expect(try catalog.listNamespaces() == ["ns"])
        #expect(try catalog.listTables().map(\.description) == ["ns.events"])
        let byPath = try Table.open(directory: dir.url.appendingPathComponent("ns/events").path)
        #expect(Rows.ids(try byPath.read()) == [0, 1, 2, 3, 4])
        #expect(try byPath.detail().numFiles == 1)
        try catalog.dropTable(try TableIdentifier(parsing: "ns.events"))
        #expect(try catalog.listTables().isEmpty)
    }
}

@Suite("Catalog bad input")
struct CatalogBadInputTests {
    @Test("a table definition that is refused leaves no namespace behind")
    func refusedDefinitionCreatesNothing() throws {
        let catalog = Catalog(store: InMemoryFileStore())
        #expect { try catalog.createTable(try TableIdentifier(parsing: "fresh.t"), schema: Rows.schema, partitionColumns: ["nope"]) }
            throws: { ($0 as? TableError)?.code == .invalidArgument }
        #expect(try catalog.listNamespaces().isEmpty)
    }
}
