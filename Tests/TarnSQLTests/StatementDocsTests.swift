// docs/sql.md is the language reference: every ```sql block in it runs, in order, on one
// fresh lakehouse and must succeed. Keeps the documentation and the implementation in step.
import Foundation
import Testing
import TarnSQL
import TarnTestSupport

@Suite("docs/sql.md examples")
struct StatementDocsTests {
    /// The ```sql blocks of a Markdown text, in order.
    static func sqlBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil {
                if trimmed == "```sql" { current = [] }
            } else if trimmed == "```" {
                blocks.append(current.map { $0.joined(separator: "\n") } ?? "")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("every SQL example of docs/sql.md runs in order on a fresh lakehouse")
    func examplesRun() throws {
        let path = Peers.repositoryRoot.appendingPathComponent("docs/sql.md").path
        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        let blocks = Self.sqlBlocks(markdown)
        #expect(blocks.count >= 15, "docs/sql.md has only \(blocks.count) sql blocks")
        let lake = try StatementLakehouse("tarn-sql-docs")
        defer { lake.directory.remove() }
        for block in blocks {
            let sql = block.replacingOccurrences(of: "./lakehouse", with: lake.root)
            do {
                let results = try lake.session.execute(sql)
                #expect(!results.isEmpty)
            } catch {
                Issue.record("docs/sql.md example failed:\n\(block)\n\(error.rendered(source: sql))")
            }
        }
    }

    @Test("the documentation covers every statement kind", arguments: [
        "CREATE NAMESPACE", "CREATE TABLE", "AS\nSELECT", "INSERT INTO", "INSERT OVERWRITE", "UPDATE ", "DELETE FROM",
        "MERGE INTO", "DROP TABLE", "ALTER TABLE", "ADD COLUMNS", "ADD CONSTRAINT", "DROP CONSTRAINT",
        "SET TBLPROPERTIES", "UNSET TBLPROPERTIES", "SHOW TABLES", "SHOW NAMESPACES", "DESCRIBE ", "DESCRIBE DETAIL",
        "DESCRIBE HISTORY", "OPTIMIZE", "ZORDER BY", "VACUUM", "DRY RUN", "RESTORE", "EXPLAIN", "VERSION AS OF",
        "TIMESTAMP AS OF", "@v", "UNION ALL", "WITH ", "JOIN", "GROUP BY",
        "WITH SCHEMA EVOLUTION", "ALTER COLUMN", "SET NOT NULL", "DROP NOT NULL", "SHOW TBLPROPERTIES", "SHOW COLUMNS",
    ])
    func covers(_ phrase: String) throws {
        let path = Peers.repositoryRoot.appendingPathComponent("docs/sql.md").path
        let blocks = Self.sqlBlocks(try String(contentsOfFile: path, encoding: .utf8)).joined(separator: "\n")
        #expect(blocks.contains(phrase), "no runnable example uses \(phrase)")
    }
}
