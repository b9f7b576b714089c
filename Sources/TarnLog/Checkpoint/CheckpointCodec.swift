// CheckpointCodec: the boundary between TarnLog and TarnParquet for classic checkpoints.
// Owns turning checkpoint Parquet bytes into actions and actions into checkpoint bytes;
// must never decide which checkpoint to read (that is `LogSegment`).

enum CheckpointCodec {
    static func readActions(_ bytes: [UInt8], path: String, version: Int64) throws(LogError) -> [Action] {
        throw LogError.unsupportedFeature(name: "checkpoint", side: .reader, tablePath: path, detail: "checkpoint reading is not built yet")
    }

    static func write(_ actions: [Action], tableProtocol: TableProtocol, path: String) throws(LogError) -> [UInt8] {
        throw LogError.unsupportedFeature(name: "checkpoint", side: .writer, tablePath: path, detail: "checkpoint writing is not built yet")
    }
}
