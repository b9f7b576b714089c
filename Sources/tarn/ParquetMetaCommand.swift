// `tarn parquet meta FILE`: file, row-group and column-chunk metadata (encodings,
// codec, sizes, statistics), like parquet-cli's `meta`.
import ArgumentParser
import TarnColumnar
import TarnParquet
import TarnTables

struct ParquetMetaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta",
        abstract: "Print the metadata of a Parquet file: row groups, column chunks, encodings, codecs, sizes, statistics."
    )

    @Argument(help: "The Parquet file.")
    var file: String

    func run() throws {
        try reportingErrors {
            let input = try StoreParquetInput(localFile: file)
            let reader = try ParquetFileReader(input: input, name: file)
            let md = reader.metadata
            var out = ""
            out += "file:        \(file)\n"
            out += "size:        \(input.size) bytes\n"
            out += "created by:  \(md.createdBy ?? "(unknown)")\n"
            out += "version:     \(md.version)\n"
            out += "rows:        \(md.numRows)\n"
            out += "row groups:  \(md.rowGroups.count)\n"
            out += "columns:     \(reader.parquetSchema.columns.count) leaf column(s)\n"
            if let kv = md.keyValueMetadata, !kv.isEmpty {
                out += "key-value metadata:\n"
                for entry in kv {
                    let value = entry.value ?? ""
                    let shown = value.count > 100 ? String(value.prefix(100)) + "… (\(value.utf8.count) bytes)" : value
                    out += "  \(entry.key) = \(shown)\n"
                }
            }
            for (g, group) in md.rowGroups.enumerated() {
                out += "\nrow group \(g): \(group.numRows) rows, \(group.totalByteSize) bytes uncompressed"
                if let compressed = group.totalCompressedSize { out += ", \(compressed) bytes compressed" }
                out += "\n"
                for chunk in group.columns {
                    guard let cm = chunk.metaData else { continue }
                    let path = cm.pathInSchema.joined(separator: ".")
                    let codec = cm.codec.map { specName("\($0)") } ?? "codec \(cm.codecValue)"
                    let encodings = cm.encodingValues.map { Encoding(rawValue: $0).map { specName("\($0)") } ?? "encoding \($0)" }
                    out += "  \(path): \(ParquetSchemaText.physicalName(cm.type)) \(codec)"
                    out += " [\(encodings.joined(separator: ", "))]"
                    out += " values=\(cm.numValues) compressed=\(cm.totalCompressedSize) uncompressed=\(cm.totalUncompressedSize)"
                    if cm.totalCompressedSize > 0 {
                        let ratio = Double(cm.totalUncompressedSize) / Double(cm.totalCompressedSize)
                        out += " ratio=\(String(format2(ratio)))"
                    }
                    out += "\n"
                    if let bounds = reader.statistics(rowGroup: g, column: path) {
                        out += "    stats: min=\(show(bounds.min)) max=\(show(bounds.max)) nulls=\(bounds.nullCount.map(String.init) ?? "?")\n"
                    } else if cm.statistics == nil {
                        out += "    stats: none\n"
                    }
                }
            }
            writeOut(out)
        }
    }

    private func show(_ value: ScalarValue?) -> String {
        guard let value else { return "?" }
        let text: String
        switch value {
        case let .string(s): text = "\"\(s)\""
        case let .timestamp(t, zone): text = TemporalFormat.timestamp(t, zone: zone)
        default: text = value.description
        }
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

/// A Swift case name in the spec's spelling: `rleDictionary` → `RLE_DICTIONARY`, `lz4Raw` → `LZ4_RAW`.
func specName(_ caseName: String) -> String {
    var out = ""
    for ch in caseName {
        if ch.isUppercase, !out.isEmpty { out.append("_") }
        out.append(contentsOf: ch.uppercased())
    }
    return out
}

func format2(_ value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return String(scaled)
}
