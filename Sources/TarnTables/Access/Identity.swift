// Identity: who the embedded process runs as — TARN_USER when set, else the OS user.
// Owns only reading that identity; must never trust it for more than embedded mode can
// promise (anyone who can set an environment variable can claim any name).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Identity {
    /// The environment variable naming the principal of embedded (CLI, Swift API) use.
    public static let userVariable = "TARN_USER"

    /// The principal this process acts as: `TARN_USER` when set and non-empty, else the
    /// OS user of the effective uid (getpwuid), else `USER`, else "unknown". Not
    /// validated here: an invalid name is refused at the first access check.
    public static func current() -> Principal {
        Principal(unchecked: currentName())
    }

    static func currentName() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment[userVariable], !name.isEmpty { return name }
        if let entry = getpwuid(geteuid()), let raw = entry.pointee.pw_name {
            let name = String(cString: raw)
            if !name.isEmpty { return name }
        }
        if let name = environment["USER"], !name.isEmpty { return name }
        return "unknown"
    }
}
