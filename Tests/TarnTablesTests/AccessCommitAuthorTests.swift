// Commits name who made them: a table opened through a catalog writes its principal as
// commitInfo.userName, so history answers "who changed this" from the log itself.
import Foundation
import Testing
import TarnColumnar
import TarnLog
import TarnTables
import TarnTestSupport

@Suite("Commit authors")
struct AccessCommitAuthorTests {
    @Test("every commit through a catalog records its principal as userName; tables opened without one record none")
    func commitsNameTheirPrincipal() throws {
        let store = InMemoryFileStore()
        let founder = Catalog(store: store, principal: try Principal("founder"))
        let id = try TableIdentifier(parsing: "sales.orders")
        let table = try founder.createTable(id, schema: Rows.schema)
        try table.append([try Rows.batch(0..<5)])
        _ = try table.delete(where: .comparison(column: "id", op: .less, value: .int(2)))

        let history = try table.history()
        #expect(history.count == 3)
        #expect(history.allSatisfy { $0.commitInfo?.userName == "founder" }, "\(history.map { $0.commitInfo?.userName as Any })")

        // The same log read back from storage keeps the field.
        let anonymous = try Table.open(store: store, path: "sales/orders")
        try anonymous.append([try Rows.batch(5..<6)])
        let reread = try anonymous.history()
        #expect(reread.first?.commitInfo?.userName == nil)
        #expect(reread.dropFirst().allSatisfy { $0.commitInfo?.userName == "founder" })
    }
}
