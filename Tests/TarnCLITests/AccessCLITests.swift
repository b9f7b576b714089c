// Access control through the real `tarn` executable: identity from TARN_USER, tokens
// created once / listed without secrets / revoked, non-admins refused with one line and
// exit status 1, and a hostile TARN_USER refused before anything is created.
import Foundation
import Testing
import TarnTestSupport

@Suite("tarn access control CLI", .serialized)
struct AccessCLITests {
    typealias Lakehouse = CLILakehouse

    static func lakehouse() throws -> Lakehouse {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-access"))
        let csv = try lake.file("orders.csv", "id,name\n1,alpha\n2,beta\n")
        let created = try lake.run(["import", csv, "sales.orders"], as: "boss")
        #expect(created.status == 0, "import failed: \(created.stderr)")
        return lake
    }

    @Test("the lakehouse's first user is its admin; another user is refused table reads in one line with status 1")
    func identityFromTarnUser() throws {
        let lake = try Self.lakehouse()
        defer { lake.directory.remove() }
        #expect(try lake.run(["history", "sales.orders"], as: "boss").status == 0)
        let refused = try lake.run(["history", "sales.orders"], as: "eve")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: "))
        #expect(refused.stderr.contains("access denied"))
        #expect(refused.stderr.contains("'eve' lacks SELECT on TABLE sales.orders"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stdout.isEmpty)
        let export = try lake.run(["export", "sales.orders", "-", "--format", "csv"], as: "eve")
        #expect(export.status == 1)
        #expect(!export.stdout.contains("alpha"))
    }

    @Test("token create prints the token once; list shows ids but no secrets; revoke removes it")
    func tokens() throws {
        let lake = try Self.lakehouse()
        defer { lake.directory.remove() }
        let created = try lake.run(["token", "create", "boss", "--expires", "30d"], as: "boss")
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("tarn_"))
        #expect(created.stderr.contains("shown only now"))
        let parts = token.split(separator: "_")
        let id = String(parts[1]), secret = String(parts[2])
        let listed = try lake.run(["token", "list"], as: "boss")
        #expect(listed.status == 0)
        #expect(listed.stdout.contains(id))
        #expect(!listed.stdout.contains(secret))
        // Nothing under the root holds the secret (only its salted hash).
        let files = FileManager.default.enumerator(atPath: lake.root)?.compactMap { $0 as? String } ?? []
        for file in files {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: lake.root + "/" + file))) ?? Data()
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
        }
        let refused = try lake.run(["token", "create", "boss"], as: "eve")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("access denied"))
        #expect(try lake.run(["token", "revoke", id], as: "boss").status == 0)
        #expect(!(try lake.run(["token", "list"], as: "boss").stdout.contains(id)))
        let badLifetime = try lake.run(["token", "create", "boss", "--expires", "0d"], as: "boss")
        #expect(badLifetime.status != 0)
        #expect(badLifetime.stderr.contains("--expires"))
    }

    /// `tarn sql` is registered in the executable under test.
    static let sqlCommandRegistered: Bool = {
        guard let help = try? TarnCLI.run(["--help"]) else { return false }
        return help.stdout.contains(" sql ")
    }()

    @Test("tarn sql: GRANT in one process lets another read; REVOKE in a third denies its next read",
          .enabled(if: sqlCommandRegistered))
    func sqlGrantRevokeAcrossProcesses() throws {
        let lake = Lakehouse(directory: try TemporaryDirectory("tarn-cli-access-sql"))
        defer { lake.directory.remove() }
        let setup = try lake.run(["sql", """
            CREATE TABLE sales.orders (id BIGINT, name STRING);
            INSERT INTO sales.orders VALUES (1, 'a'), (2, 'b');
            CREATE USER alice;
            GRANT SELECT ON TABLE sales.orders TO alice
            """], as: "boss")
        #expect(setup.status == 0, "\(setup.stderr)")
        let allowed = try lake.run(["sql", "SELECT count(*) AS n FROM sales.orders", "--format", "csv"], as: "alice")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("2"))
        let grants = try lake.run(["sql", "SHOW GRANTS TO alice", "--format", "csv"], as: "alice")
        #expect(grants.status == 0, "\(grants.stderr)")
        #expect(grants.stdout.contains("SELECT"))
        #expect(try lake.run(["sql", "REVOKE SELECT ON TABLE sales.orders FROM alice"], as: "boss").status == 0)
        let denied = try lake.run(["sql", "SELECT count(*) FROM sales.orders"], as: "alice")
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("access denied"), "\(denied.stderr)")
        let history = try lake.run(["history", "_system.grants", "--format", "csv"], as: "boss")
        #expect(history.stdout.contains("REVOKE") && history.stdout.contains("GRANT"), "\(history.stdout)")
        #expect(try lake.run(["history", "_system.grants"], as: "alice").status == 1)
    }

    @Test("a hostile TARN_USER is refused with a clear error and creates no system tables",
          arguments: ["../x", "a/b", "x'; DROP TABLE t; --"])
    func hostileUser(_ user: String) throws {
        let directory = try TemporaryDirectory("tarn-cli-hostile")
        defer { directory.remove() }
        let root = directory.path + "/lake"
        let result = try TarnCLI.run(["token", "list", "--root", root], in: directory.url, environment: ["TARN_USER": user])
        #expect(result.status == 1)
        #expect(result.stderr.contains("principal name"))
        #expect(!FileManager.default.fileExists(atPath: root + "/_system"))
    }
}
