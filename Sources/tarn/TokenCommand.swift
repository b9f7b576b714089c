// `tarn token create|list|revoke`: API tokens for the server, one salted hash per token
// in `_system.tokens`. Parses and validates, then calls AccessControl; must never print
// or store a token's secret anywhere but the one line `create` prints.
import ArgumentParser
import Foundation
import TarnTables

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (the server maps them to principals).",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self]
    )
}

struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token for a principal and print it once (only a salted hash is stored).")

    @OptionGroup var root: RootOption
    @Argument(help: "The user or service principal the token authenticates.") var principal: String
    @Option(name: .long, help: "Lifetime: a number with s, m, h, d or w (e.g. 30d). Default: no expiry.")
    var expires: String?

    func validate() throws {
        if let expires { _ = try TokenLifetime.seconds(expires) }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let lifetime = try expires.map(TokenLifetime.seconds)
            let token = try catalog.access.createToken(for: principal, lifetimeSeconds: lifetime)
            writeOut(token.secret + "\n")
            var note = "token \(token.info.id) for \(token.info.principal)"
            if let expiresAt = token.info.expiresAt { note += ", expires \(TokenLifetime.format(micros: expiresAt))" }
            FileHandle.standardError.write(Data((note + "; it is shown only now\n").utf8))
        }
    }
}

struct TokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List tokens (ids, principals, times; never secrets). Non-admins see their own.")

    @OptionGroup var root: RootOption
    @Argument(help: "Only this principal's tokens (default: all for admins, else your own).") var principal: String?

    func run() throws {
        try reportingErrors {
            let catalog = try root.catalog()
            let access = catalog.access
            let who = try principal ?? (access.isAdmin() ? nil : catalog.principal.name)
            var out = "id\tprincipal\tcreated_by\tcreated_at\texpires_at\n"
            for token in try access.tokens(of: who) {
                out += "\(token.id)\t\(token.principal)\t\(token.createdBy)\t\(TokenLifetime.format(micros: token.createdAt))\t"
                out += (token.expiresAt.map { TokenLifetime.format(micros: $0) } ?? "never") + "\n"
            }
            writeOut(out)
        }
    }
}

struct TokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by id.")

    @OptionGroup var root: RootOption
    @Argument(help: "The token id (from `tarn token list`).") var id: String

    func run() throws {
        try reportingErrors {
            try root.catalog().access.revokeToken(id: id)
            FileHandle.standardError.write(Data("revoked token \(id)\n".utf8))
        }
    }
}

/// Token lifetimes as `30d`, `12h`, `90m`, `3600s`, `2w`.
enum TokenLifetime {
    static func seconds(_ text: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let factor = units[unit], let count = Int64(text.dropLast()), count > 0,
              count <= 36_500 * 86_400 / factor else {
            throw ValidationError("--expires must be a positive number with s, m, h, d or w (e.g. 30d), up to 100 years; got '\(text.prefix(40))'")
        }
        return count * factor
    }

    static func format(micros: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
