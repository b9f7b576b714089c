// The `tarn` command: the root of the CLI. Owns the list of subcommands and how errors
// are shown (one clear line, non-zero exit); must never hold storage logic — every
// command parses, validates and calls the layers below.
import ArgumentParser
import TarnIO

@main
struct Tarn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tarn",
        abstract: "Tarn: a versioned lakehouse storage engine (Delta Lake over Parquet).",
        discussion: """
        Tables live under a lakehouse root (--root, or TARN_ROOT; default ./lakehouse).
        Run `tarn demo` for a tour, `tarn parquet --help` for the Parquet file tools.
        """,
        version: TarnVersion.string,
        subcommands: [DemoCommand.self, ImportCommand.self, ExportCommand.self, HistoryCommand.self, DescribeCommand.self,
                      FeaturesCommand.self,
                      TokenCommand.self,
                      SQLCommand.self,
                      TablesCommand.self, ParquetCommand.self]
    )

    /// Sets the process's allocator policy (large scan buffers are reused, not returned
    /// to the kernel after every row group), then parses and runs the command.
    static func main() {
        AllocatorPolicy.retainFreedBuffers()
        main(nil)
    }
}

enum TarnVersion {
    static let string = "0.1.0"
}
