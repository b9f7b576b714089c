// LogChanges: what changed in a feature table between two versions, from its Delta log —
// the data files added (still live at the target) and removed (live at the start) by the
// commits in between — and reading single data files of the table. Owns replaying the
// commits between two versions; must never write anything, and never guesses: when a
// commit or a removed data file is gone, it says so and the publish falls back to full.
import Dispatch
import Synchronization
import TarnColumnar
import TarnIO
import TarnLog
import TarnParquet
import TarnTables

/// The net data-file changes between two versions of a table.
struct LogChanges: Sendable {
    /// Files live at the target version that the commits added (data changes only).
    var added: [AddFile]
    /// Files live at the start version that the commits removed (data changes only).
    var removed: [RemoveFile]
    var commitCount: Int

    /// Replays commits `from + 1 ... to` of `table`. Actions with `dataChange = false`
    /// (optimize, z-order: same rows in new files) are skipped: they change no row.
    /// Returns `.failure` with the reason when a commit file is missing (cleaned up) or an
    /// added file has a deletion vector; throws when the log cannot be read or parsed.
    static func between(table: Table, from: Int64, to: Int64) throws(FeatureError) -> Result<LogChanges, FallbackReason> {
        guard from < to else { return .success(LogChanges(added: [], removed: [], commitCount: 0)) }
        var firstAction: [String: Bool] = [:]  // path → first action was a remove
        var lastAdd: [String: AddFile] = [:]
        var lastWasAdd: [String: Bool] = [:]
        var removedAtStart: [String: RemoveFile] = [:]
        let logPath = table.log.logPath
        for version in (from + 1)...to {
            let path = logPath + "/" + LogFileName.commit(version)
            let bytes: [UInt8]
            do {
                bytes = try table.store.read(path)
            } catch .notFound {
                return .failure(FallbackReason("commit \(version) is no longer in the log (cleaned up)"))
            } catch {
                throw FeatureError(.storage, "cannot read commit \(version) of the log", table: table.name, cause: error)
            }
            let actions: [Action]
            do {
                actions = try CommitFile.parse(bytes, path: path, version: version)
            } catch {
                throw FeatureError(.storage, "cannot parse commit \(version) of the log", table: table.name, cause: error)
            }
            for action in actions {
                switch action {
                case let .add(add) where add.dataChange:
                    if firstAction[add.path] == nil { firstAction[add.path] = false }
                    lastAdd[add.path] = add
                    lastWasAdd[add.path] = true
                case let .remove(remove) where remove.dataChange:
                    if firstAction[remove.path] == nil {
                        firstAction[remove.path] = true
                        removedAtStart[remove.path] = remove
                    }
                    lastWasAdd[remove.path] = false
                default:
                    continue
                }
            }
        }
        for add in lastAdd.values where add.deletionVector != nil {
            return .failure(FallbackReason("file \(add.decodedPath) has a deletion vector"))
        }
        let added = lastAdd.filter { lastWasAdd[$0.key] == true }.map(\.value).sorted { $0.path < $1.path }
        let removed = removedAtStart.values.sorted { $0.path < $1.path }
        return .success(LogChanges(added: added, removed: removed, commitCount: Int(to - from)))
    }
}

/// Why an incremental publish became a full one.
struct FallbackReason: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads whole data files of a table (by their log entry), shaped to the table's schema:
/// projected columns in the requested order, partition columns restored, columns added
/// later read as nulls, types cast to the schema's.
struct DataFileReader: Sendable {
    let table: Table
    let schema: Schema
    let partitionColumns: Set<String>

    init(table: Table, snapshot: Snapshot) {
        self.table = table
        self.schema = snapshot.schema
        self.partitionColumns = Set(snapshot.partitionColumns)
    }

    /// Reads `files` (log paths with their partition values), several at a time, returning
    /// their batches in file order; `.missing` when a file is gone (the caller falls back
    /// to a full publish), `.error` naming the file when it cannot be read.
    func read(_ files: [(path: String, partitionValues: [String: String?])], columns: [String]) -> Result<[RecordBatch], ReadFailure> {
        let results = LockedResults(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, readOne(files[i].path, partitionValues: files[i].partitionValues, columns: columns))
        }
        var out: [RecordBatch] = []
        for result in results.values {
            switch result {
            case let .success(batches)?: out.append(contentsOf: batches)
            case let .failure(error)?: return .failure(error)
            case nil: return .failure(.error(FeatureError(.storage, "a data file was not read", table: table.name)))
            }
        }
        return .success(out)
    }

    enum ReadFailure: Error, Sendable {
        /// The file is gone (vacuumed): the caller falls back to a full publish.
        case missing(String)
        case error(FeatureError)
    }

    func readOne(_ encodedPath: String, partitionValues: [String: String?], columns: [String]) -> Result<[RecordBatch], ReadFailure> {
        let relative = AddFile(path: encodedPath, size: 0, modificationTime: 0).decodedPath
        let storePath = table.path.isEmpty ? relative : table.path + "/" + relative
        let opened: Result<StoreParquetInput, StorageError> = Result { () throws(StorageError) in
            try StoreParquetInput(store: table.store, path: storePath)
        }
        let input: StoreParquetInput
        switch opened {
        case let .success(i): input = i
        case let .failure(error):
            if case .notFound = error { return .failure(.missing(relative)) }
            return .failure(.error(FeatureError(.storage, "cannot open data file \(relative)", table: table.name, cause: error)))
        }
        do {
            let reader = try ParquetFileReader(input: input, name: relative)
            let fileColumns = Set(reader.schema.names)
            let dataNeeded = columns.filter { !partitionColumns.contains($0) && fileColumns.contains($0) }
            var out: [RecordBatch] = []
            for group in 0..<reader.rowGroupCount {
                let raw = try reader.readRowGroup(group, columns: dataNeeded)
                let rows = reader.rowCount(rowGroup: group) ?? raw.rowCount
                var fields: [Field] = []
                var outColumns: [Column] = []
                for name in columns {
                    guard let field = schema.field(named: name) else { continue }
                    var relaxed = field
                    relaxed.nullable = true
                    fields.append(relaxed)
                    if partitionColumns.contains(name) {
                        let value = try PartitionValues.parse(partitionValues[name] ?? nil, type: field.type, column: name)
                        outColumns.append(try Column.repeating(value, type: field.type, count: rows))
                    } else if let column = raw.column(named: name) {
                        outColumns.append(column.type == field.type ? column : try column.cast(to: field.type))
                    } else {
                        outColumns.append(Column.nulls(field.type, count: rows))
                    }
                }
                out.append(try RecordBatch(schema: Schema(fields), columns: outColumns, rowCount: rows))
            }
            return .success(out)
        } catch {
            return .failure(.error(FeatureError(.storage, "cannot read data file \(relative)", table: table.name, cause: error)))
        }
    }
}

/// Results written by concurrent workers, one slot each.
final class LockedResults: Sendable {
    private let slots: Mutex<[Result<[RecordBatch], DataFileReader.ReadFailure>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ value: Result<[RecordBatch], DataFileReader.ReadFailure>) {
        slots.withLock { $0[i] = value }
    }

    var values: [Result<[RecordBatch], DataFileReader.ReadFailure>?] { slots.withLock { $0 } }
}
