// The CLI's identity options: who a command acts as. Embedded mode runs as TARN_USER,
// else the OS user; an admin may act as another principal with `--as` (or TARN_AS),
// which is audited. Must never let a non-admin change identity.
import ArgumentParser
import Foundation
import TarnTables

struct AccessOptions: ParsableArguments {
    @Option(name: .customLong("as"),
            help: "Act as this principal (admins only; audited). Default: $TARN_AS, else nobody else.")
    var actAs: String?

    /// The principal to impersonate: --as, else TARN_AS, else nil.
    var impersonated: String? {
        if let actAs, !actAs.isEmpty { return actAs }
        if let env = ProcessInfo.processInfo.environment["TARN_AS"], !env.isEmpty { return env }
        return nil
    }

    /// The catalog of `root` acting as TARN_USER / the OS user, or as `--as` when given
    /// (which the current principal must be an admin to do).
    func catalog(root: String) throws -> Catalog {
        let catalog = try Catalog(root: root)
        guard let impersonated else { return catalog }
        return try catalog.acting(as: impersonated)
    }
}
