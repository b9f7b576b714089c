// The lakehouse options every command that opens a root shares: where it is (--root,
// else TARN_ROOT, else ./lakehouse) and who acts (TARN_USER, else the OS user; an admin
// may act as another principal with --as / TARN_AS, which is audited). Must never let a
// non-admin change identity: `Catalog.acting(as:)` checks and audits that.
import ArgumentParser
import Foundation
import TarnTables

struct RootOption: ParsableArguments {
    @Option(name: .long, help: "The lakehouse root directory (default: $TARN_ROOT, else ./lakehouse).")
    var root: String?

    @Option(name: .customLong("as"),
            help: "Act as this principal (admins only; audited). Default: $TARN_AS, else yourself ($TARN_USER or the OS user).")
    var actAs: String?

    var path: String {
        if let root, !root.isEmpty { return root }
        if let env = ProcessInfo.processInfo.environment["TARN_ROOT"], !env.isEmpty { return env }
        return "./lakehouse"
    }

    /// The principal to impersonate: --as, else TARN_AS, else nil.
    var impersonated: String? {
        if let actAs, !actAs.isEmpty { return actAs }
        if let env = ProcessInfo.processInfo.environment["TARN_AS"], !env.isEmpty { return env }
        return nil
    }

    /// The catalog of the root acting as TARN_USER / the OS user, or as `--as` when given
    /// (which the current principal must be an admin to do).
    func catalog() throws -> Catalog {
        let catalog = try Catalog(root: path)
        guard let impersonated else { return catalog }
        return try catalog.acting(as: impersonated)
    }
}
