// The lakehouse root shared by commands: --root, else TARN_ROOT, else ./lakehouse.
import ArgumentParser
import Foundation

struct RootOption: ParsableArguments {
    @Option(name: .long, help: "The lakehouse root directory (default: $TARN_ROOT, else ./lakehouse).")
    var root: String?

    var path: String {
        if let root, !root.isEmpty { return root }
        if let env = ProcessInfo.processInfo.environment["TARN_ROOT"], !env.isEmpty { return env }
        return "./lakehouse"
    }
}
