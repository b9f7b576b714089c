// Training sets: resolve each lookup against its feature table (pinning the version it
// reads), run the point-in-time joins, compute on-demand features, apply label and
// exclusions, record the pinned metadata in `_system.training_sets`, and replay it
// in `loadTrainingSet`. Must never read a table version other than the pinned one.
import Foundation
import TarnColumnar
import TarnLog
import TarnTables

extension FeatureStore {
    /// Builds a training set from `spine` rows: every spine row once, in spine order,
    /// with the looked-up features (point in time), then `functions`, with `label` last
    /// and `exclude` columns removed. The metadata (pinned versions, spine digest) is
    /// recorded in `_system.training_sets`; rebuild it with `loadTrainingSet`.
    /// - Throws: `.missingKeyColumn` (a lookup or timestamp key not in the spine),
    ///   `.unknownColumn` (unknown feature, label, exclusion or rename),
    ///   `.wrongType` (key types that cannot match), `.duplicateOutputColumn`,
    ///   `.expression`, `.notFound`/`.notAFeatureTable`, `.versionUnavailable`.
    public func createTrainingSet(spine: [RecordBatch], lookups: [FeatureLookup], functions: [FeatureFunction] = [],
                                  label: String? = nil, exclude: [String] = []) throws(FeatureError) -> TrainingSet {
        let spineBatch = try Self.combinedSpine(spine)
        return try build(spine: spineBatch, spineTable: nil, spineVersion: nil, lookups: lookups, functions: functions,
                         label: label, exclude: exclude, id: nil)
    }

    /// As above, with the spine read from table `spineTable` (latest or `asOf`); the
    /// spine table's version is recorded too, so `loadTrainingSet(id:)` needs no spine.
    public func createTrainingSet(spineTable: String, asOf: TimeTravel? = nil, lookups: [FeatureLookup],
                                  functions: [FeatureFunction] = [], label: String? = nil,
                                  exclude: [String] = []) throws(FeatureError) -> TrainingSet {
        let (batch, version) = try readSpineTable(spineTable, asOf: asOf)
        return try build(spine: batch, spineTable: spineTable, spineVersion: version, lookups: lookups, functions: functions,
                         label: label, exclude: exclude, id: nil)
    }

    /// The recorded metadata of training set `id`.
    public func trainingSetMetadata(id: String) throws(FeatureError) -> TrainingSetMetadata {
        try TrainingSetRegistry(catalog: catalog).load(id: id)
    }

    /// Every training set recorded in `_system.training_sets`, oldest first.
    public func listTrainingSets() throws(FeatureError) -> [TrainingSetMetadata] {
        try TrainingSetRegistry(catalog: catalog).all()
    }

    /// Rebuilds training set `id` exactly: the same lookups at the pinned table versions
    /// over `spine` (or, when nil, the recorded spine table version).
    /// - Throws: `.spineMismatch` when the spine's digest differs from the recorded one;
    ///   `.versionUnavailable` when a pinned version was cleaned up or its files vacuumed.
    public func loadTrainingSet(id: String, spine: [RecordBatch]? = nil) throws(FeatureError) -> TrainingSet {
        let metadata = try trainingSetMetadata(id: id)
        let spineBatch: RecordBatch
        if let spine {
            spineBatch = try Self.combinedSpine(spine)
        } else if let table = metadata.spineTable, let version = metadata.spineVersion {
            spineBatch = try readSpineTable(table, asOf: .version(version)).batch
        } else {
            throw FeatureError(.invalidArgument, "training set \(id) was built from a spine given in memory",
                               remedy: "pass the same spine rows to loadTrainingSet(id:spine:)")
        }
        let digest = SpineDigest.digest(spineBatch)
        guard digest == metadata.spineDigest else {
            throw FeatureError(.spineMismatch,
                               "the spine (\(spineBatch.rowCount) rows, digest \(digest.prefix(16))…) differs from the one training set \(id) was built from (\(metadata.spineRows) rows, digest \(metadata.spineDigest.prefix(16))…)",
                               remedy: "pass exactly the rows and columns of the original spine, in the same order")
        }
        let lookups = metadata.lookups.map { pinned in
            var rename: [String: String] = [:]
            for (feature, output) in zip(pinned.features, pinned.outputNames) where feature != output { rename[feature] = output }
            return FeatureLookup(table: pinned.table, features: pinned.features, lookupKey: pinned.lookupKey,
                                 timestampLookupKey: pinned.timestampLookupKey, lookback: pinned.lookback,
                                 asOf: .version(pinned.version), rename: rename)
        }
        return try build(spine: spineBatch, spineTable: metadata.spineTable, spineVersion: metadata.spineVersion,
                         lookups: lookups, functions: metadata.functions, label: metadata.label, exclude: metadata.exclude,
                         id: metadata)
    }

    // MARK: Building

    static func combinedSpine(_ spine: [RecordBatch]) throws(FeatureError) -> RecordBatch {
        guard let first = spine.first else {
            throw FeatureError(.invalidArgument, "the spine has no batches", remedy: "pass at least one (possibly empty) batch")
        }
        if spine.count == 1 { return first }
        do {
            return try RecordBatch.concat(spine)
        } catch {
            throw FeatureError(.invalidArgument, "the spine batches do not share one schema", cause: error)
        }
    }

    func readSpineTable(_ name: String, asOf: TimeTravel?) throws(FeatureError) -> (batch: RecordBatch, version: Int64) {
        do {
            let table = try catalog.openTable(reference: name)
            let snapshot = try table.snapshot(asOf: asOf)
            let batches = try table.read(asOf: .version(snapshot.version))
            let batch = batches.isEmpty ? RecordBatch.empty(snapshot.schema) : try Self.combinedSpine(batches)
            return (batch, snapshot.version)
        } catch let error as FeatureError {
            throw error
        } catch let error as TableError {
            throw FeatureError(error, "cannot read the spine table", table: name)
        } catch {
            throw FeatureError.wrapping(error, "cannot read the spine table", table: name)
        }
    }

    /// Builds the rows; `replay` is the recorded metadata when rebuilding (then nothing
    /// new is recorded and the id is kept).
    func build(spine: RecordBatch, spineTable: String?, spineVersion: Int64?, lookups: [FeatureLookup],
               functions: [FeatureFunction], label: String?, exclude: [String],
               id replay: TrainingSetMetadata?) throws(FeatureError) -> TrainingSet {
        // Resolve every lookup first (names, types, versions): bad input fails before any scan.
        var pinned: [PinnedLookup] = []
        var featureTypes: [[DataType]] = []
        for lookup in lookups {
            let (resolved, types) = try resolve(lookup, spineSchema: spine.schema)
            pinned.append(resolved)
            featureTypes.append(types)
        }
        // Output names: spine columns, then each lookup's outputs, then functions.
        var names = spine.schema.names
        var owners = names.map { _ in "the spine" }
        func claim(_ name: String, by owner: String) throws(FeatureError) {
            if let i = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                throw FeatureError(.duplicateOutputColumn,
                                   "output column '\(name)' from \(owner) clashes with '\(names[i])' from \(owners[i])",
                                   remedy: "rename one of them (FeatureLookup.rename) or exclude the spine column")
            }
            names.append(name)
            owners.append(owner)
        }
        for lookup in pinned {
            for output in lookup.outputNames { try claim(output, by: "feature table \(lookup.table)") }
        }
        for function in functions { try claim(function.name, by: "feature function \(function.name)") }
        if let label, spine.schema.index(of: label) == nil {
            throw FeatureError(.unknownColumn, "label column '\(label)' is not in the spine; the spine has \(spine.schema.names.joined(separator: ", "))")
        }
        for column in exclude {
            guard names.contains(column) else {
                throw FeatureError(.unknownColumn, "excluded column '\(column)' is not in the training set; its columns are \(names.joined(separator: ", "))")
            }
            if column == label {
                throw FeatureError(.invalidArgument, "the label column '\(column)' cannot be excluded")
            }
        }

        // Joins.
        var fields = spine.schema.fields
        var columns = spine.columns
        var spineIndexes: [[String]: SpineKeyIndex] = [:]
        for (lookup, types) in zip(pinned, featureTypes) {
            let index: SpineKeyIndex
            if let cached = spineIndexes[lookup.lookupKey] {
                index = cached
            } else {
                let keyColumns = lookup.lookupKey.compactMap { spine.column(named: $0) }
                index = try SpineKeyIndex(try KeyColumns(keyColumns))
                spineIndexes[lookup.lookupKey] = index
            }
            let joined = try join(lookup, spine: spine, index: index, types: types)
            for (i, column) in joined.enumerated() {
                fields.append(Field(lookup.outputNames[i], types[i], nullable: true))
                columns.append(column)
            }
        }
        var batch: RecordBatch
        do {
            batch = try RecordBatch(schema: Schema(fields), columns: columns, rowCount: spine.rowCount)
        } catch {
            throw FeatureError(.invalidArgument, "cannot assemble the training set", cause: error)
        }
        for function in functions {
            let column = try FeatureFunctionEvaluator.evaluate(function, on: batch)
            do {
                batch = try RecordBatch(schema: Schema(batch.schema.fields + [Field(function.name, column.type, nullable: true)]),
                                        columns: batch.columns + [column], rowCount: batch.rowCount)
            } catch {
                throw FeatureError(.expression, "feature function '\(function.name)' gave a column that does not fit", cause: error)
            }
        }
        // Label last, exclusions removed.
        var order = batch.schema.names.indices.filter { !exclude.contains(batch.schema.names[$0]) }
        if let label, let labelIndex = batch.schema.index(of: label) {
            order.removeAll { $0 == labelIndex }
            order.append(labelIndex)
        }
        batch = batch.project(order)

        let metadata = TrainingSetMetadata(
            id: replay?.id ?? UUID().uuidString.lowercased(),
            createdAt: replay?.createdAt ?? Int64(Date().timeIntervalSince1970 * 1000),
            spineDigest: replay?.spineDigest ?? SpineDigest.digest(spine), spineRows: spine.rowCount,
            spineColumns: spine.schema.names, spineTable: spineTable, spineVersion: spineVersion, label: label,
            exclude: exclude, lookups: replay?.lookups ?? pinned, functions: functions, outputColumns: batch.schema.names)
        if replay == nil { try TrainingSetRegistry(catalog: catalog).record(metadata) }
        return TrainingSet(metadata: metadata, schema: batch.schema, batch: batch)
    }

    /// Checks a lookup against the spine and its table and pins the table version.
    func resolve(_ lookup: FeatureLookup, spineSchema: Schema) throws(FeatureError) -> (PinnedLookup, [DataType]) {
        let name = lookup.table
        let (table, _, _) = try open(name)
        let snapshot: Snapshot
        do {
            snapshot = try table.snapshot(asOf: lookup.asOf)
        } catch {
            if error.code == .notFound, let asOf = lookup.asOf {
                throw FeatureError(.versionUnavailable, "the table has no readable \(asOf.recordText)", table: name,
                                   remedy: "the version may have been cleaned up from the log; pick a later version", cause: error)
            }
            throw FeatureError(error, "cannot load the table version to read", table: name)
        }
        let metadata = try FeatureTableMetadata(configuration: snapshot.configuration, table: name)
        let schema = snapshot.schema
        guard lookup.lookupKey.count == metadata.primaryKeys.count else {
            throw FeatureError(.invalidArgument,
                               "the lookup key has \(lookup.lookupKey.count) column(s) (\(lookup.lookupKey.joined(separator: ", "))) but the table's primary key has \(metadata.primaryKeys.count) (\(metadata.primaryKeys.joined(separator: ", ")))",
                               table: name, remedy: "give one spine column per primary key, in primary-key order")
        }
        for (spineColumn, key) in zip(lookup.lookupKey, metadata.primaryKeys) {
            guard let spineField = spineSchema.field(named: spineColumn) else {
                throw FeatureError(.missingKeyColumn, "the spine has no lookup key column '\(spineColumn)'; it has \(spineSchema.names.joined(separator: ", "))",
                                   table: name)
            }
            guard let keyField = schema.field(named: key) else {
                throw FeatureError(.corrupt, "primary key '\(key)' is not a column of the table", table: name)
            }
            let a = KeyTypeFamily(spineField.type), b = KeyTypeFamily(keyField.type)
            guard let a, a == b else {
                throw FeatureError(.wrongType, "spine column '\(spineColumn)' is \(spineField.type) but primary key '\(key)' is \(keyField.type)",
                                   table: name, remedy: "cast the spine column to \(keyField.type)")
            }
        }
        if let spineTime = lookup.timestampLookupKey {
            guard let timestampKey = metadata.timestampKey else {
                throw FeatureError(.invalidArgument, "timestampLookupKey '\(spineTime)' was given but the table has no timestamp key",
                                   table: name, remedy: "drop timestampLookupKey: the table joins on keys exactly")
            }
            guard let spineField = spineSchema.field(named: spineTime) else {
                throw FeatureError(.missingKeyColumn, "the spine has no timestamp column '\(spineTime)'; it has \(spineSchema.names.joined(separator: ", "))",
                                   table: name)
            }
            guard let keyField = schema.field(named: timestampKey) else {
                throw FeatureError(.corrupt, "timestamp key '\(timestampKey)' is not a column of the table", table: name)
            }
            let a = TimeAxis(spineField.type), b = TimeAxis(keyField.type)
            guard let a, a == b else {
                throw FeatureError(.wrongType, "spine timestamp column '\(spineTime)' is \(spineField.type) but timestamp key '\(timestampKey)' is \(keyField.type)",
                                   table: name, remedy: "compare dates/timestamps with dates/timestamps, integers with integers")
            }
        }
        if let lookback = lookup.lookback {
            guard lookback >= 0 else {
                throw FeatureError(.invalidArgument, "lookback \(lookback) is negative", table: name)
            }
            guard lookup.timestampLookupKey != nil else {
                throw FeatureError(.invalidArgument, "lookback needs a timestampLookupKey (a point in time to look back from)", table: name)
            }
        }
        let available = metadata.featureColumns(of: schema)
        let features = lookup.features ?? available
        var types: [DataType] = []
        for feature in features {
            guard available.contains(feature), let field = schema.field(named: feature) else {
                let isKey = metadata.fullKey.contains(feature)
                throw FeatureError(.unknownColumn,
                                   isKey ? "'\(feature)' is a key column, not a feature" : "the table has no feature '\(feature)'; its features are \(available.joined(separator: ", "))",
                                   table: name)
            }
            types.append(field.type)
        }
        if Set(features).count != features.count {
            throw FeatureError(.invalidArgument, "a feature is listed twice: \(features.joined(separator: ", "))", table: name)
        }
        for source in lookup.rename.keys where !features.contains(source) {
            throw FeatureError(.unknownColumn, "rename names '\(source)', which is not a feature of this lookup (\(features.joined(separator: ", ")))",
                               table: name)
        }
        let canonical = (try? identifier(name).description) ?? name
        let pinned = PinnedLookup(table: canonical, version: snapshot.version, requestedAsOf: lookup.asOf?.recordText,
                                  primaryKeys: metadata.primaryKeys, timestampKey: metadata.timestampKey, features: features,
                                  outputNames: features.map { lookup.rename[$0] ?? $0 }, lookupKey: lookup.lookupKey,
                                  timestampLookupKey: lookup.timestampLookupKey, lookback: lookup.lookback)
        return (pinned, types)
    }

    /// Runs one lookup's point-in-time join: the feature columns, spine-length.
    func join(_ lookup: PinnedLookup, spine: RecordBatch, index: SpineKeyIndex, types: [DataType]) throws(FeatureError) -> [Column] {
        let name = lookup.table
        var spineTimes: [Int64]? = nil
        var spineTimeValidity: Bitmap? = nil
        if let column = lookup.timestampLookupKey.flatMap({ spine.column(named: $0) }) {
            guard let values = KeyTypes.timeValues(column) else {
                throw FeatureError(.wrongType, "spine timestamp column '\(lookup.timestampLookupKey ?? "")' is \(column.type)", table: name)
            }
            spineTimes = values.values
            spineTimeValidity = values.validity
        }
        guard spine.rowCount > 0, index.groupCount > 0 else {
            return types.map { Column.nulls($0, count: spine.rowCount) }
        }
        let table: Table
        let schema: Schema
        do {
            table = try catalog.openTable(reference: name)
            schema = try table.snapshot(asOf: .version(lookup.version)).schema
        } catch {
            throw FeatureError(.versionUnavailable, "version \(lookup.version) cannot be loaded", table: name,
                               remedy: "the log of that version was cleaned up; rebuild the training set from a newer version", cause: error)
        }
        let timeName = lookup.timestampKey
        let predicate = Self.pushdown(lookup, spine: spine, index: index, schema: schema, spineTimes: spineTimes,
                                      spineTimeValidity: spineTimeValidity)
        let columns = lookup.primaryKeys + (timeName.map { [$0] } ?? []) + lookup.features
        var pit = PointInTimeJoin(spine: index, spineTimes: lookup.timestampLookupKey == nil ? nil : spineTimes,
                                  spineTimeValidity: spineTimeValidity, lookback: lookup.lookback,
                                  keyNames: lookup.primaryKeys, timeName: timeName, featureNames: lookup.features)
        do {
            let scan = try table.scan(columns: columns, predicate: predicate, asOf: .version(lookup.version))
            try scan.forEachBatch { batch in try pit.consume(batch, table: name) }
        } catch let error as FeatureError {
            throw error
        } catch let error as TableError {
            if error.code == .notFound {
                throw FeatureError(.versionUnavailable, "version \(lookup.version) can no longer be read (its data files were removed, e.g. by vacuum)",
                                   table: name, remedy: "rebuild the training set from a newer version", cause: error)
            }
            throw FeatureError(error, "cannot read the feature table", table: name)
        } catch {
            throw FeatureError.wrapping(error, "cannot read the feature table", table: name)
        }
        return try pit.featureColumns(types: types, table: name)
    }

    /// Most distinct single-column keys pushed down as an IN-list (beyond: a range).
    static let inListLimit = 512

    /// A predicate that keeps only feature rows that can match: spine keys (IN-list or
    /// range per key column) and times within [min t - lookback, max t].
    static func pushdown(_ lookup: PinnedLookup, spine: RecordBatch, index: SpineKeyIndex, schema: Schema,
                         spineTimes: [Int64]?, spineTimeValidity: Bitmap?) -> TarnColumnar.Predicate? {
        var conjuncts: [TarnColumnar.Predicate] = []
        for (spineName, key) in zip(lookup.lookupKey, lookup.primaryKeys) {
            guard let column = spine.column(named: spineName), let keyField = schema.field(named: key),
                  pushable(column.type, keyField.type) else { continue }
            if lookup.primaryKeys.count == 1 && index.groupCount <= inListLimit {
                var seen = [Bool](repeating: false, count: index.groupCount)
                var values: [ScalarValue] = []
                for (row, group) in index.groupOfRow.enumerated() where group >= 0 && !seen[Int(group)] {
                    seen[Int(group)] = true
                    values.append(column.value(at: row))
                }
                conjuncts.append(.inList(column: key, values: values))
            } else {
                let (low, high) = column.minMax()
                if !low.isNull { conjuncts.append(.comparison(column: key, op: .greaterOrEqual, value: low)) }
                if !high.isNull { conjuncts.append(.comparison(column: key, op: .lessOrEqual, value: high)) }
            }
        }
        if let timeName = lookup.timestampKey, let spineTimes, let timeField = schema.field(named: timeName) {
            var low = Int64.max, high = Int64.min
            for (row, t) in spineTimes.enumerated() where spineTimeValidity?[row] ?? true {
                low = min(low, t)
                high = max(high, t)
            }
            if low <= high {
                conjuncts.append(.comparison(column: timeName, op: .lessOrEqual,
                                             value: KeyTypes.scalar(time: high, type: timeField.type, roundUp: true)))
                if let lookback = lookup.lookback {
                    let (bound, overflow) = low.subtractingReportingOverflow(lookback)
                    if !overflow {
                        conjuncts.append(.comparison(column: timeName, op: .greaterOrEqual,
                                                     value: KeyTypes.scalar(time: bound, type: timeField.type, roundUp: false)))
                    }
                }
            }
        }
        guard var predicate = conjuncts.first else { return nil }
        for next in conjuncts.dropFirst() { predicate = .and(predicate, next) }
        return predicate
    }

    /// Whether spine values can be compared with the key column in a predicate as they are.
    static func pushable(_ spineType: DataType, _ keyType: DataType) -> Bool {
        if spineType == keyType { return true }
        let signed: Set<DataType> = [.int8, .int16, .int32, .int64]
        return signed.contains(spineType) && signed.contains(keyType)
    }
}
