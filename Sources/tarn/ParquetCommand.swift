// `tarn parquet ...`: tools for single Parquet files, in the spirit of parquet-cli.
// Each subcommand parses its options and calls TarnParquet / TarnColumnar; none of
// them knows about tables.
import ArgumentParser

struct ParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Inspect, print and create Parquet files.",
        subcommands: [ParquetSchemaCommand.self, ParquetMetaCommand.self, ParquetCatCommand.self, ParquetConvertCommand.self]
    )
}

/// Output formats shared by commands that print rows.
enum RowFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}
