// MERGE execution: validates clauses, hashes the source keys, prunes target files by
// a key range / IN-list, reads candidate files one at a time, applies the clauses,
// rewrites changed files, writes inserts, and commits once with operation MERGE.
// Must never commit after any error (CHECK and NOT NULL included), and never hold more
// than the source plus two files.
import Dispatch
import Foundation
import TarnColumnar
import TarnExpression
import TarnLog

extension MergeBuilder {
    /// Runs the merge and commits it (nothing is committed when nothing changes).
    /// - Throws: `.invalidArgument` (unknown column, a clause reading the wrong side,
    ///   empty key list, a target row matched by several source rows),
    ///   `.schemaMismatch` (a value that does not fit its column, NULL in a NOT NULL
    ///   column, a row breaking a CHECK constraint), `.conflict` (a concurrent commit
    ///   changed what the merge read, still after the retries), `.storage`/`.corrupt`
    ///   from reading or writing files.
    public func execute() throws(TableError) -> MergeMetrics {
        try table.access.require(.modify, action: "merge")
        var (metrics, retries) = try table.retryingConflicts(conflictRetries) { () throws(TableError) -> MergeMetrics in
            var run = try MergeRun(builder: self)
            return try run.execute()
        }
        metrics.conflictRetries = retries
        return metrics
    }
}

/// One execution of a merge (state of the pass over the target files).
struct MergeRun {
    let builder: MergeBuilder
    let table: Table
    let snapshot: Snapshot
    let schema: Schema
    let source: RecordBatch
    /// Source key columns cast to the target key types.
    let sourceKeys: [Column]
    let targetKeyNames: [String]
    /// Hash table: first source row per hash bucket, then chained by `next`.
    var heads: [UInt64: Int] = [:]
    var next: [Int] = []
    var sourceMatched: [Bool]
    var metrics = MergeMetrics()
    /// The clauses with SQL bound and `*` expanded, in builder order.
    var matchedClauses: [ResolvedMatched] = []
    var notMatchedClauses: [ResolvedNotMatched] = []
    var bySourceClauses: [ResolvedBySource] = []
    var matchCondition: ResolvedCondition?
    let constraints: ConstraintEnforcer
    /// The table's metadata with the evolved schema; nil when the schema stays.
    let evolvedMetadata: Metadata?

    init(builder: MergeBuilder) throws(TableError) {
        self.builder = builder
        table = builder.table
        snapshot = try table.snapshot()
        let name = table.name
        guard let first = builder.source.first else {
            throw TableError(.invalidArgument, "merge needs at least one source batch (it may be empty) to know the source columns", table: name)
        }
        do {
            source = builder.source.count == 1 ? first : try RecordBatch.concat(builder.source)
        } catch {
            throw TableError(.invalidArgument, "the source batches do not share one schema", table: name, cause: error)
        }
        // Schema evolution: source columns the table lacks join the schema when a
        // `*All` clause would write them.
        let hasAllClause = builder.matched.contains { if case .updateAll = $0.action { return true } else { return false } }
            || builder.notMatched.contains { $0.values == nil }
        if builder.evolvesSchema && hasAllClause {
            let evolved = try TableSchemaRules.merged(snapshot.schema, with: [source.schema], table: name,
                                                      allowWidening: TypeWidening.isEnabled(snapshot))
            schema = evolved
            evolvedMetadata = evolved == snapshot.schema ? nil : try table.evolved(snapshot.metadata, to: evolved)
        } else {
            schema = snapshot.schema
            evolvedMetadata = nil
        }
        guard !builder.keys.isEmpty else {
            throw TableError(.invalidArgument, "merge needs at least one join key pair", table: name)
        }
        var keys: [Column] = []
        for pair in builder.keys {
            guard let field = schema.field(named: pair.target) else {
                throw TableError(.invalidArgument, "join key '\(pair.target)' is not a target column; the table has \(schema.names.joined(separator: ", "))", table: name)
            }
            guard let column = source.column(named: pair.source) else {
                throw TableError(.invalidArgument, "join key '\(pair.source)' is not a source column; the source has \(source.schema.names.joined(separator: ", "))", table: name)
            }
            do {
                keys.append(column.type == field.type ? column : try column.cast(to: field.type))
            } catch {
                throw TableError(.schemaMismatch, "source key '\(pair.source)' (\(column.type)) cannot be compared with target key '\(pair.target)' (\(field.type))", table: name, cause: error)
            }
        }
        sourceKeys = keys
        targetKeyNames = builder.keys.map(\.target)
        sourceMatched = Array(repeating: false, count: source.rowCount)
        constraints = try ConstraintEnforcer(snapshot: snapshot, schema: schema, table: table)
        try validateClauses()
        try resolveClauses()
    }

    // MARK: resolution (SQL bound against target / source columns)

    private func resolve(_ condition: MergeCondition?, target: Bool, source: Bool, clause: String) throws(TableError) -> ResolvedCondition? {
        guard let condition else { return nil }
        let scope = SQLScope.merge(target: target ? schema : nil, targetAlias: builder.targetAlias,
                                       source: source ? self.source.schema : nil, sourceAlias: builder.sourceAlias)
        switch condition {
        case let .sql(text):
            let bound = try BoundSQL.bind(text, scope: scope, role: "the \(clause) condition", table: table.name, predicate: true)
            return .bound(bound, target: target, source: source)
        case let .expression(expression):
            let bound = try BoundSQL.bind(expression, text: expression.sql, scope: scope, role: "the \(clause) condition",
                                          table: table.name, predicate: true)
            return .bound(bound, target: target, source: source)
        default:
            return .builtIn(condition)
        }
    }

    private func resolve(_ values: [String: MergeValue], target: Bool, source: Bool, clause: String) throws(TableError) -> [String: ResolvedValue] {
        let scope = SQLScope.merge(target: target ? schema : nil, targetAlias: builder.targetAlias,
                                       source: source ? self.source.schema : nil, sourceAlias: builder.sourceAlias)
        var out: [String: ResolvedValue] = [:]
        for (column, value) in values {
            let name = schema.field(named: column)?.name ?? schema.lookup(column).map { schema.fields[$0].name } ?? column
            switch value {
            case let .sql(text):
                out[name] = .bound(try BoundSQL.bind(text, scope: scope, role: "the \(clause) value of '\(name)'", table: table.name),
                                   target: target, source: source)
            case let .expression(expression):
                out[name] = .bound(try BoundSQL.bind(expression, text: expression.sql, scope: scope,
                                                     role: "the \(clause) value of '\(name)'", table: table.name),
                                   target: target, source: source)
            default:
                out[name] = .builtIn(value)
            }
        }
        return out
    }

    /// `*`: every target column from the source column of the same name (with schema
    /// evolution only those the source has; the others keep the target value / are NULL).
    private var allFromSource: [String: ResolvedValue] {
        var all: [String: ResolvedValue] = [:]
        for name in schema.names where source.column(named: name) != nil || !builder.evolvesSchema {
            all[name] = .builtIn(.source(name))
        }
        return all
    }

    private mutating func resolveClauses() throws(TableError) {
        matchCondition = try resolve(builder.matchCondition, target: true, source: true, clause: "ON")
        for clause in builder.matched {
            let condition = try resolve(clause.condition, target: true, source: true, clause: "WHEN MATCHED")
            switch clause.action {
            case let .update(values):
                matchedClauses.append(ResolvedMatched(condition: condition,
                                                      update: try resolve(values, target: true, source: true, clause: "WHEN MATCHED UPDATE")))
            case .updateAll:
                matchedClauses.append(ResolvedMatched(condition: condition, update: allFromSource))
            case .delete:
                matchedClauses.append(ResolvedMatched(condition: condition, update: nil))
            }
        }
        for clause in builder.notMatched {
            let condition = try resolve(clause.condition, target: false, source: true, clause: "WHEN NOT MATCHED")
            let values = try clause.values.map { (v) throws(TableError) -> [String: ResolvedValue] in
                try resolve(v, target: false, source: true, clause: "WHEN NOT MATCHED INSERT")
            } ?? allFromSource
            notMatchedClauses.append(ResolvedNotMatched(condition: condition, values: values))
        }
        for clause in builder.notMatchedBySource {
            let condition = try resolve(clause.condition, target: true, source: false, clause: "WHEN NOT MATCHED BY SOURCE")
            let update = try clause.update.map { (v) throws(TableError) -> [String: ResolvedValue] in
                try resolve(v, target: true, source: false, clause: "WHEN NOT MATCHED BY SOURCE UPDATE")
            }
            bySourceClauses.append(ResolvedBySource(condition: condition, update: update))
        }
    }

    // MARK: validation

    private func check(_ value: MergeValue, targetAllowed: Bool, sourceAllowed: Bool, clause: String) throws(TableError) {
        switch value {
        case let .target(column):
            guard targetAllowed else {
                throw TableError(.invalidArgument, "\(clause) cannot read target column '\(column)' (there is no target row)", table: table.name)
            }
            guard schema.field(named: column) != nil else {
                throw TableError(.invalidArgument, "\(clause): unknown target column '\(column)'; the table has \(schema.names.joined(separator: ", "))", table: table.name)
            }
        case let .source(column):
            guard sourceAllowed else {
                throw TableError(.invalidArgument, "\(clause) cannot read source column '\(column)' (there is no source row)", table: table.name)
            }
            guard source.column(named: column) != nil else {
                throw TableError(.invalidArgument, "\(clause): unknown source column '\(column)'; the source has \(source.schema.names.joined(separator: ", "))", table: table.name)
            }
        case .literal, .sql, .expression:
            break
        }
    }

    private func check(_ condition: MergeCondition?, target: Bool, source: Bool, clause: String) throws(TableError) {
        for value in condition?.values ?? [] { try check(value, targetAllowed: target, sourceAllowed: source, clause: clause) }
    }

    private func check(assignments: [String: MergeValue], target: Bool, source: Bool, clause: String) throws(TableError) {
        for (column, value) in assignments {
            guard schema.field(named: column) != nil || schema.lookup(column) != nil else {
                throw TableError(.invalidArgument, "\(clause) assigns unknown target column '\(column)'; the table has \(schema.names.joined(separator: ", "))", table: table.name)
            }
            try check(value, targetAllowed: target, sourceAllowed: source, clause: clause)
        }
    }

    private func checkAllColumnsInSource(clause: String) throws(TableError) {
        if builder.evolvesSchema { return }
        let missing = schema.names.filter { source.column(named: $0) == nil }
        if !missing.isEmpty {
            throw TableError(.invalidArgument, "\(clause) needs every target column in the source; missing \(missing.joined(separator: ", "))", table: table.name)
        }
    }

    private func validateClauses() throws(TableError) {
        try check(builder.matchCondition, target: true, source: true, clause: "ON")
        for clause in builder.matched {
            try check(clause.condition, target: true, source: true, clause: "WHEN MATCHED")
            switch clause.action {
            case let .update(assignments): try check(assignments: assignments, target: true, source: true, clause: "WHEN MATCHED UPDATE")
            case .updateAll: try checkAllColumnsInSource(clause: "WHEN MATCHED UPDATE *")
            case .delete: break
            }
        }
        for clause in builder.notMatched {
            try check(clause.condition, target: false, source: true, clause: "WHEN NOT MATCHED")
            if let values = clause.values {
                try check(assignments: values, target: false, source: true, clause: "WHEN NOT MATCHED INSERT")
            } else {
                try checkAllColumnsInSource(clause: "WHEN NOT MATCHED INSERT *")
            }
        }
        for clause in builder.notMatchedBySource {
            try check(clause.condition, target: true, source: false, clause: "WHEN NOT MATCHED BY SOURCE")
            if let update = clause.update {
                try check(assignments: update, target: true, source: false, clause: "WHEN NOT MATCHED BY SOURCE UPDATE")
            }
        }
    }

    // MARK: execution

    mutating func execute() throws(TableError) -> MergeMetrics {
        let started = Date()
        metrics.numSourceRows = source.rowCount
        // Idempotent merge: an application version the table already holds is skipped
        // before anything is read or written.
        let txn = builder.writeOptions.transaction
        if let txn, let done = snapshot.transactionVersion(appId: txn.appId), done >= txn.version {
            metrics.skippedByTransaction = true
            return metrics
        }
        try buildHashTable()
        let candidatePredicate = try candidatePredicate()
        let readsWholeTable = !builder.notMatchedBySource.isEmpty
        let candidates = readsWholeTable ? snapshot.files : snapshot.files(matching: candidatePredicate)
        metrics.numTargetFilesSkipped = snapshot.files.count - candidates.count
        metrics.numTargetFilesScanned = candidates.count
        var adds: [AddFile] = []
        var removed: [AddFile] = []
        // Only files that may match (or every file, with not-matched-by-source clauses)
        // are read; with no matched and no by-source clauses no file needs reading.
        let needsTargetPass = !builder.matched.isEmpty || !builder.notMatchedBySource.isEmpty || !builder.notMatched.isEmpty
        if needsTargetPass {
            // Two files are read at once (memory: the source plus two files); they are
            // joined and rewritten in order.
            let window = 2
            var start = 0
            while start < candidates.count {
                let slice = Array(candidates[start..<min(candidates.count, start + window)])
                let results = ConcurrentResults<Result<[RecordBatch], TableError>>(count: slice.count)
                let scan = TableScan(table: table, snapshot: snapshot, schema: schema, predicate: nil,
                                     files: slice, totalFiles: snapshot.files.count)
                let parallelInside = slice.count == 1
                DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                    results.set(i, scan.read(slice[i], parallel: parallelInside))
                }
                for (file, result) in zip(slice, results.values) {
                    guard let result else { throw TableError(.storage, "data file \(file.decodedPath) was not read", table: table.name) }
                    if let rewritten = try process(file, try result.get()) {
                        removed.append(file)
                        adds += rewritten
                    }
                }
                start += slice.count
            }
        }
        adds += try insertUnmatched()
        metrics.numTargetFilesAdded = adds.count
        metrics.numTargetFilesRemoved = removed.count
        metrics.numOutputRows = metrics.numTargetRowsInserted + metrics.numTargetRowsUpdated + metrics.numTargetRowsCopied
        // A merge that changes nothing commits nothing, unless it carries an application
        // version: then the `txn` action alone is committed so a retry is skipped.
        if adds.isEmpty && removed.isEmpty && txn == nil && evolvedMetadata == nil { return metrics }

        var transaction = table.log.startTransaction(operation: "MERGE", readSnapshot: snapshot)
        // The application version goes into the MERGE commit itself (one atomic commit).
        if let txn { transaction.setTransaction(appId: txn.appId, version: txn.version) }
        if let evolvedMetadata {
            if TypeWidening.changesTypes(from: snapshot.schema, to: schema),
               let upgraded = TypeWidening.protocolWithFeature(snapshot.tableProtocol) {
                transaction.add(.tableProtocol(upgraded))
            }
            transaction.add(.metadata(evolvedMetadata))
        }
        if readsWholeTable {
            transaction.recordReadWholeTable()
        } else {
            transaction.recordRead(predicate: candidatePredicate)
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        transaction.add(removed.map { .remove($0.removal(deletionTimestamp: now)) })
        transaction.add(adds.map { .add($0) })
        transaction.operationParameters = operationParameters()
        transaction.operationMetrics = [
            "numSourceRows": String(metrics.numSourceRows),
            "numTargetRowsInserted": String(metrics.numTargetRowsInserted),
            "numTargetRowsUpdated": String(metrics.numTargetRowsUpdated),
            "numTargetRowsDeleted": String(metrics.numTargetRowsDeleted),
            "numTargetRowsCopied": String(metrics.numTargetRowsCopied),
            "numTargetFilesAdded": String(metrics.numTargetFilesAdded),
            "numTargetFilesRemoved": String(metrics.numTargetFilesRemoved),
            "numOutputRows": String(metrics.numOutputRows),
            "numTargetFilesSkipped": String(metrics.numTargetFilesSkipped),
            "numTargetFilesScanned": String(metrics.numTargetFilesScanned),
            "numTargetRowsMatchedUpdated": String(metrics.numTargetRowsMatchedUpdated),
            "numTargetRowsMatchedDeleted": String(metrics.numTargetRowsMatchedDeleted),
            "numTargetRowsNotMatchedBySourceUpdated": String(metrics.numTargetRowsNotMatchedBySourceUpdated),
            "numTargetRowsNotMatchedBySourceDeleted": String(metrics.numTargetRowsNotMatchedBySourceDeleted),
            "executionTimeMs": String(Int64(Date().timeIntervalSince(started) * 1000)),
        ]
        do {
            metrics.version = try transaction.commitOrThrow()
        } catch {
            throw table.wrap(error, "the merge was not committed")
        }
        return metrics
    }

    private func operationParameters() -> [String: String] {
        var predicate = builder.keys.map { "\(builder.targetAlias).\($0.target) = \(builder.sourceAlias).\($0.source)" }
            .joined(separator: " AND ")
        if let extra = builder.matchCondition { predicate += " AND (\(extra))" }
        func entry(_ action: String, _ condition: MergeCondition?) -> String {
            var fields = ["actionType": action]
            if let condition { fields["predicate"] = condition.description }
            return JSONText.object(fields)
        }
        let matched = builder.matched.map { clause -> String in
            switch clause.action {
            case .update, .updateAll: return entry("update", clause.condition)
            case .delete: return entry("delete", clause.condition)
            }
        }
        let notMatched = builder.notMatched.map { entry("insert", $0.condition) }
        let bySource = builder.notMatchedBySource.map { entry($0.update == nil ? "delete" : "update", $0.condition) }
        return [
            "predicate": predicate,
            "matchedPredicates": "[" + matched.joined(separator: ",") + "]",
            "notMatchedPredicates": "[" + notMatched.joined(separator: ",") + "]",
            "notMatchedBySourcePredicates": "[" + bySource.joined(separator: ",") + "]",
        ]
    }

    // MARK: source keys

    private mutating func buildHashTable() throws(TableError) {
        let hashes: [UInt64]
        do {
            hashes = try Column.hashRows(sourceKeys)
        } catch {
            throw TableError(.invalidArgument, "cannot hash the source keys", table: table.name, cause: error)
        }
        next = Array(repeating: -1, count: source.rowCount)
        heads.reserveCapacity(source.rowCount)
        for row in 0..<source.rowCount where !sourceKeys.contains(where: { $0.isNull(row) }) {
            if let head = heads[hashes[row]] { next[row] = head }
            heads[hashes[row]] = row
        }
    }

    /// Target files that may hold a source key: for each key an IN-list (few distinct
    /// source values) or a [min, max] range; all keys ANDed. FALSE when every source
    /// key is NULL (nothing can match).
    private func candidatePredicate() throws(TableError) -> TarnColumnar.Predicate {
        let nonNullRows = (0..<source.rowCount).filter { row in !sourceKeys.contains(where: { $0.isNull(row) }) }
        if nonNullRows.isEmpty { return .constant(false) }
        var parts: [TarnColumnar.Predicate] = []
        for (name, column) in zip(targetKeyNames, sourceKeys) {
            var distinct: Set<ScalarValue> = []
            var small = true
            for row in nonNullRows {
                distinct.insert(column.value(at: row))
                if distinct.count > 64 { small = false; break }
            }
            if small {
                let values = distinct.sorted { (ScalarValue.order($0, $1) ?? 0) < 0 }
                parts.append(values.count == 1 ? .comparison(column: name, op: .equal, value: values[0]) : .inList(column: name, values: values))
            } else {
                let (low, high) = column.minMax()
                if low != .null { parts.append(.comparison(column: name, op: .greaterOrEqual, value: low)) }
                if high != .null { parts.append(.comparison(column: name, op: .lessOrEqual, value: high)) }
            }
        }
        guard var predicate = parts.first else { return .constant(true) }
        for part in parts.dropFirst() { predicate = .and(predicate, part) }
        return predicate
    }

    // MARK: target files

    /// Reads one target file, applies matched and not-matched-by-source clauses, and
    /// writes its replacement; nil when no row of the file changes.
    private mutating func process(_ file: AddFile, _ batches: [RecordBatch]) throws(TableError) -> [AddFile]? {
        if batches.isEmpty { return nil }
        var target: RecordBatch
        do {
            target = batches.count == 1 ? batches[0] : try RecordBatch.concat(batches)
        } catch {
            throw TableError(.corrupt, "cannot combine the row groups of \(file.decodedPath)", table: table.name, cause: error)
        }
        if target.rowCount == 0 { return nil }
        // Columns the merge adds to the schema are not in the files yet: NULL.
        // Columns the merge widens are read in their old type: cast up.
        if evolvedMetadata != nil {
            target = try TableSchemaRules.conform(try TableSchemaRules.fillMissing(target, schema: schema.relaxed, table: table.name),
                                                  to: schema.relaxed, table: table.name)
        }
        var targetKeys: [Column] = []
        for name in targetKeyNames {
            guard let column = target.column(named: name) else {
                throw TableError(.corrupt, "data file \(file.decodedPath) lacks key column '\(name)'", table: table.name)
            }
            targetKeys.append(column)
        }
        let equality = zip(targetKeys, sourceKeys).map { MergeKeyEquality(target: $0.0, source: $0.1) }
        let hashes: [UInt64]
        do {
            hashes = try Column.hashRows(targetKeys)
        } catch {
            throw TableError(.corrupt, "cannot hash the keys of \(file.decodedPath)", table: table.name, cause: error)
        }
        // Several source rows matching one target row are ambiguous for any matched
        // clause except a lone unconditional delete (Delta's rule); then the target row
        // is deleted once.
        let ambiguityIsError: Bool = {
            if builder.matched.isEmpty { return false }
            if builder.matched.count == 1, case .delete = builder.matched[0].action, builder.matched[0].condition == nil { return false }
            return true
        }()
        // Probe: every key-equal (target, source) pair, in target row order.
        var candidateTarget: [Int] = []
        var candidateSource: [Int] = []
        for row in 0..<target.rowCount {
            guard !targetKeys.contains(where: { $0.isNull(row) }), var candidate = heads[hashes[row]] else { continue }
            while candidate >= 0 {
                if equality.allSatisfy({ $0.equal(row, candidate) }) {
                    candidateTarget.append(row)
                    candidateSource.append(candidate)
                }
                candidate = next[candidate]
            }
        }
        // An extra ON condition keeps only the pairs where it is TRUE.
        if let matchCondition, !candidateTarget.isEmpty {
            let rows = MergeRows(target: try take(target, candidateTarget), source: try take(source, candidateSource),
                                 count: candidateTarget.count)
            var all = Bitmap(repeating: true, count: rows.count)
            let kept = try select(matchCondition, rows: rows, remaining: &all)
            candidateTarget = kept.map { candidateTarget[$0] }
            candidateSource = kept.map { candidateSource[$0] }
        }
        // Matched pairs (the first match per target row) and unmatched target rows.
        var pairTarget: [Int] = []
        var pairSource: [Int] = []
        var unmatchedTarget: [Int] = []
        var matchesOfRow = [UInt8](repeating: 0, count: target.rowCount)
        for (row, candidate) in zip(candidateTarget, candidateSource) {
            sourceMatched[candidate] = true
            if matchesOfRow[row] > 0 {
                if ambiguityIsError {
                    let key = zip(targetKeyNames, targetKeys).map { "\($0.0) = \($0.1.value(at: row))" }.joined(separator: ", ")
                    throw TableError(.invalidArgument,
                                     "multiple source rows matched the same target row (key \(key)); the merge is ambiguous and nothing was committed",
                                     table: table.name)
                }
                continue
            }
            matchesOfRow[row] = 1
            pairTarget.append(row)
            pairSource.append(candidate)
        }
        for row in 0..<target.rowCount where matchesOfRow[row] == 0 { unmatchedTarget.append(row) }
        if builder.matched.isEmpty && builder.notMatchedBySource.isEmpty { return nil }

        var keep = unmatchedTarget  // rows copied unless a by-source clause takes them
        var outputs: [RecordBatch] = []
        var changed = false
        // Matched clauses.
        if !pairTarget.isEmpty && !builder.matched.isEmpty {
            let rows = MergeRows(target: try take(target, pairTarget), source: try take(source, pairSource), count: pairTarget.count)
            var remaining = Bitmap(repeating: true, count: rows.count)
            for clause in matchedClauses {
                let taken = try select(clause.condition, rows: rows, remaining: &remaining)
                if taken.isEmpty { continue }
                changed = true
                if let assignments = clause.update {
                    outputs.append(try updated(rows: rows, indices: taken, assignments: assignments))
                    metrics.numTargetRowsUpdated += taken.count; metrics.numTargetRowsMatchedUpdated += taken.count
                } else {
                    metrics.numTargetRowsDeleted += taken.count; metrics.numTargetRowsMatchedDeleted += taken.count
                }
            }
            keep += remaining.setIndices.map { pairTarget[$0] }
        } else {
            keep += pairTarget
        }
        // Not-matched-by-source clauses.
        if !unmatchedTarget.isEmpty && !builder.notMatchedBySource.isEmpty {
            let rows = MergeRows(target: try take(target, unmatchedTarget), source: nil, count: unmatchedTarget.count)
            var remaining = Bitmap(repeating: true, count: rows.count)
            var stays = [Bool](repeating: true, count: target.rowCount)
            for clause in bySourceClauses {
                let taken = try select(clause.condition, rows: rows, remaining: &remaining)
                if taken.isEmpty { continue }
                changed = true
                for index in taken { stays[unmatchedTarget[index]] = false }
                if let update = clause.update {
                    outputs.append(try updated(rows: rows, indices: taken, assignments: update))
                    metrics.numTargetRowsUpdated += taken.count; metrics.numTargetRowsNotMatchedBySourceUpdated += taken.count
                } else {
                    metrics.numTargetRowsDeleted += taken.count; metrics.numTargetRowsNotMatchedBySourceDeleted += taken.count
                }
            }
            keep = keep.filter { stays[$0] }
        }
        if !changed { return nil }
        keep.sort()
        metrics.numTargetRowsCopied += keep.count
        // Changed rows are checked against NOT NULL and CHECK; copied rows were checked when written.
        var conformed = try outputs.map { (batch) throws(TableError) -> RecordBatch in
            try TableSchemaRules.conform(batch, to: schema, table: table.name)
        }.filter { $0.rowCount > 0 }
        try constraints.check(all: conformed)
        if !keep.isEmpty { conformed.insert(try TableSchemaRules.conform(try take(target, keep), to: schema, table: table.name), at: 0) }
        return try table.writeDataFiles(conformed, schema: schema, snapshot: snapshot, options: builder.writeOptions)
    }

    /// Indices (into `rows`) the clause takes: remaining rows where its condition is true.
    private func select(_ condition: ResolvedCondition?, rows: MergeRows, remaining: inout Bitmap) throws(TableError) -> [Int] {
        var mask = remaining
        switch condition {
        case nil:
            break
        case let .builtIn(condition):
            do {
                mask = try rows.truth(condition).isTrue & remaining
            } catch {
                throw TableError(.invalidArgument, "cannot evaluate \(condition): \(error.text)", table: table.name)
            }
        case let .bound(bound, useTarget, useSource):
            let batch: RecordBatch
            do {
                batch = try rows.scopeBatch(target: useTarget, source: useSource)
            } catch {
                throw TableError(.invalidArgument, "cannot evaluate \(bound.text): \(error.text)", table: table.name)
            }
            mask = try bound.trueRows(batch, table: table.name) & remaining
        }
        remaining = remaining & ~mask
        return mask.setIndices
    }

    /// New rows for `indices`: target values overwritten by `assignments` (columns not
    /// assigned keep the target's value, or NULL when there is no target row).
    private func updated(rows: MergeRows, indices: [Int], assignments: [String: ResolvedValue]) throws(TableError) -> RecordBatch {
        let subset = MergeRows(target: try rows.target.map { (b) throws(TableError) -> RecordBatch in try take(b, indices) },
                               source: try rows.source.map { (b) throws(TableError) -> RecordBatch in try take(b, indices) },
                               count: indices.count)
        var columns: [Column] = []
        for field in schema.fields {
            do {
                if case let .bound(bound, useTarget, useSource) = assignments[field.name] {
                    let computed = try bound.evaluate(try subset.scopeBatch(target: useTarget, source: useSource), table: table.name)
                    do {
                        columns.append(computed.type == field.type ? computed : try computed.cast(to: field.type))
                    } catch {
                        throw TableError(.schemaMismatch, "the value `\(bound.text)` (\(computed.type)) does not fit column '\(field.name)' (\(field.type))",
                                         table: table.name, cause: error)
                    }
                } else if case let .builtIn(value) = assignments[field.name] {
                    columns.append(try subset.column(value, as: field.type))
                } else if let existing = subset.target?.column(named: field.name) {
                    columns.append(existing)
                } else {
                    columns.append(Column.nulls(field.type, count: subset.count))
                }
            } catch let error as MergeRows.Failure {
                throw TableError(.schemaMismatch, "column '\(field.name)': \(error.text)", table: table.name)
            } catch let error as TableError {
                throw error
            } catch {
                throw TableError(.schemaMismatch, "column '\(field.name)'", table: table.name, cause: StringError("\(error)"))
            }
        }
        do {
            return try RecordBatch(schema: schema.relaxed, columns: columns, rowCount: subset.count)
        } catch {
            throw TableError(.schemaMismatch, "the merged rows do not fit the table's schema", table: table.name, cause: error)
        }
    }

    private func take(_ batch: RecordBatch, _ indices: [Int]) throws(TableError) -> RecordBatch {
        do {
            return try batch.take(indices)
        } catch {
            throw TableError(.corrupt, "cannot gather merge rows", table: table.name, cause: error)
        }
    }

    // MARK: inserts

    private mutating func insertUnmatched() throws(TableError) -> [AddFile] {
        guard !builder.notMatched.isEmpty else { return [] }
        let unmatched = (0..<source.rowCount).filter { !sourceMatched[$0] }
        if unmatched.isEmpty { return [] }
        let rows = MergeRows(target: nil, source: try take(source, unmatched), count: unmatched.count)
        var remaining = Bitmap(repeating: true, count: rows.count)
        var outputs: [RecordBatch] = []
        for clause in notMatchedClauses {
            let taken = try select(clause.condition, rows: rows, remaining: &remaining)
            if taken.isEmpty { continue }
            let batch = try TableSchemaRules.conform(try updated(rows: rows, indices: taken, assignments: clause.values),
                                                     to: schema, table: table.name)
            try constraints.check(batch)
            outputs.append(batch)
            metrics.numTargetRowsInserted += taken.count
        }
        if outputs.isEmpty { return [] }
        return try table.writeDataFiles(outputs, schema: schema, snapshot: snapshot, options: builder.writeOptions)
    }
}

/// A clause condition ready to evaluate: a built-in form, or bound SQL over the target
/// and/or source columns.
enum ResolvedCondition: Sendable {
    case builtIn(MergeCondition)
    case bound(BoundSQL, target: Bool, source: Bool)
}

/// A clause value ready to evaluate.
enum ResolvedValue: Sendable {
    case builtIn(MergeValue)
    case bound(BoundSQL, target: Bool, source: Bool)
}

/// A WHEN MATCHED clause; `update` nil deletes.
struct ResolvedMatched: Sendable {
    var condition: ResolvedCondition?
    var update: [String: ResolvedValue]?
}

/// A WHEN NOT MATCHED clause with every value it inserts (`*` expanded).
struct ResolvedNotMatched: Sendable {
    var condition: ResolvedCondition?
    var values: [String: ResolvedValue]
}

/// A WHEN NOT MATCHED BY SOURCE clause; `update` nil deletes.
struct ResolvedBySource: Sendable {
    var condition: ResolvedCondition?
    var update: [String: ResolvedValue]?
}

/// Equality of one key column pair (target row, source row; both non-null, same type)
/// on the typed buffers for the common key types, through scalars otherwise.
enum MergeKeyEquality {
    case int64([Int64], [Int64])
    case int32([Int32], [Int32])
    case bytes(targetOffsets: [Int32], targetData: [UInt8], sourceOffsets: [Int32], sourceData: [UInt8])
    case scalars(Column, Column)

    init(target: Column, source: Column) {
        switch (target.storage, source.storage) {
        case let (.int64(t), .int64(s)) where target.type == source.type: self = .int64(t, s)
        case let (.int32(t), .int32(s)) where target.type == source.type: self = .int32(t, s)
        case let (.bytes(to, td), .bytes(so, sd)) where target.type == source.type:
            self = .bytes(targetOffsets: to, targetData: td, sourceOffsets: so, sourceData: sd)
        default: self = .scalars(target, source)
        }
    }

    func equal(_ targetRow: Int, _ sourceRow: Int) -> Bool {
        switch self {
        case let .int64(t, s): return t[targetRow] == s[sourceRow]
        case let .int32(t, s): return t[targetRow] == s[sourceRow]
        case let .bytes(to, td, so, sd):
            let t0 = Int(to[targetRow]), t1 = Int(to[targetRow + 1])
            let s0 = Int(so[sourceRow]), s1 = Int(so[sourceRow + 1])
            guard t1 - t0 == s1 - s0 else { return false }
            return td[t0..<t1].elementsEqual(sd[s0..<s1])
        case let .scalars(t, s): return t.value(at: targetRow) == s.value(at: sourceRow)
        }
    }
}
