// The access-control model's values: principal-name validation (hostile names refused
// with clear errors), privilege names, securable inheritance, and SHA-256 test vectors.
import Testing
import TarnTables

@Suite("Access model: names, privileges, securables, SHA-256")
struct AccessModelTests {
    static let hostileNames: [String] = [
        "", "../x", "a/b", "a\\b", "..", ".hidden", "a..b", "nul\u{0}byte", "tab\tname", "line\nbreak",
        String(repeating: "a", count: 129),
        "x'; DROP TABLE users; --", "bob\" OR \"1\"=\"1", "name with space", "émile\u{7F}",
    ]

    @Test("hostile principal names are refused as invalidName with a message naming the problem", arguments: hostileNames)
    func hostileNamesRefused(_ name: String) {
        do {
            _ = try Principal(name)
            Issue.record("'\(name.prefix(40))' was accepted")
        } catch {
            #expect(error.code == .invalidName)
            #expect(error.message.contains("principal name"))
            #expect(error.message.count < 400, "the message stays short for a long name")
        }
    }

    @Test("a 10k-character principal name is refused with a short message")
    func tenThousandCharacters() {
        #expect(throws: TableError.self) { try Principal(String(repeating: "x", count: 10_000)) }
        do { _ = try Principal(String(repeating: "x", count: 10_000)) } catch { #expect(error.message.count < 200) }
    }

    @Test("ordinary user, service and e-mail-like names are accepted",
          arguments: ["alice", "svc-etl", "bob.smith", "ana@example.com", "user+ci", "_system_bot", "u1", String(repeating: "a", count: 128)])
    func goodNamesAccepted(_ name: String) throws {
        #expect(try Principal(name).name == name)
    }

    @Test("privileges parse case-insensitively; ALL means ALL PRIVILEGES; unknown names are refused")
    func privilegeParsing() throws {
        #expect(try Privilege(parsing: "select") == .select)
        #expect(try Privilege(parsing: "read_files") == .readFiles)
        #expect(try Privilege(parsing: "Read Files") == .readFiles)
        #expect(try Privilege(parsing: "all") == .allPrivileges)
        #expect(try Privilege(parsing: "ALL PRIVILEGES") == .allPrivileges)
        #expect(throws: TableError.self) { try Privilege(parsing: "OWNERSHIP") }
        #expect(throws: TableError.self) { try Privilege(parsing: "SELECT; DROP") }
    }

    @Test("a table inherits from its namespace and the lakehouse; system securables stop at _system")
    func lineage() throws {
        let table = Securable.table(try TableIdentifier(parsing: "sales.orders"))
        let sales = try Securable.namespace("sales")
        #expect(table.lineage == [table, sales, .lakehouse])
        let system = Securable.table(try TableIdentifier(parsing: "_system.grants"))
        let systemNamespace = try Securable.namespace("_system")
        #expect(system.lineage == [system, systemNamespace])
        #expect(system.isSystem)
        let experiment = try Securable(kind: SecurableKind("experiment"), name: "ml.churn")
        let ml = try Securable.namespace("ml")
        #expect(experiment.parent == ml)
        #expect(experiment.description == "EXPERIMENT ml.churn")
        #expect(throws: TableError.self) { try Securable(kind: .table, name: "../etc") }
        #expect(throws: TableError.self) { try Securable(kind: SecurableKind("model"), name: "a/b") }
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256Vectors(_ input: String, _ expected: String) {
        #expect(SHA256Digest.hex(Array(input.utf8)) == expected)
    }

    @Test("SHA-256 of a million 'a's (multi-block) matches the standard vector")
    func sha256Million() {
        #expect(SHA256Digest.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
