// MERGE (upsert): the public builder — source rows, equi-join keys, clauses in order —
// and the metrics a merge reports. Execution lives in MergeExecution.swift.
// Must never commit a partial merge: any error (bad column, ambiguous match, NOT NULL)
// leaves the table at the version it had; files written before an error are left for vacuum.
import TarnColumnar

/// What a committed merge did (Delta's MERGE metric names).
public struct MergeMetrics: Sendable, Equatable {
    /// The committed version; nil when the merge changed nothing and committed nothing.
    public var version: Int64?
    public var numSourceRows = 0
    public var numTargetRowsInserted = 0
    public var numTargetRowsUpdated = 0
    public var numTargetRowsDeleted = 0
    /// Unchanged rows rewritten because they share a file with changed rows.
    public var numTargetRowsCopied = 0
    public var numTargetFilesAdded = 0
    public var numTargetFilesRemoved = 0
    /// Rows written: inserted + updated + copied.
    public var numOutputRows = 0
    /// Target files skipped by partition values / statistics without being read.
    public var numTargetFilesSkipped = 0
    /// Target files read to find matches.
    public var numTargetFilesScanned = 0
    /// Splits of the updated / deleted counts by clause kind (matched vs not matched by source).
    public var numTargetRowsMatchedUpdated = 0
    public var numTargetRowsMatchedDeleted = 0
    public var numTargetRowsNotMatchedBySourceUpdated = 0
    public var numTargetRowsNotMatchedBySourceDeleted = 0
    /// How often the merge was planned again after a conflicting concurrent commit.
    public var conflictRetries = 0
    /// True when `WriteOptions.transaction` named an application version the table
    /// already holds: nothing was read, written or committed.
    public var skippedByTransaction = false
}

/// A MERGE of `source` rows into a table, built clause by clause:
///
///     try table.merge(source: batches, on: [(target: "id", source: "id")])
///         .whenMatchedUpdateAll()
///         .whenNotMatchedInsertAll()
///         .execute()
///
/// Semantics (as in Delta Lake):
/// - A target row and a source row match when every key pair is equal; a NULL key
///   never matches anything (such source rows count as not matched).
/// - For each matched pair the FIRST `whenMatched*` clause whose condition is true
///   applies (update or delete); pairs no clause takes are left unchanged. The same for
///   not-matched source rows (`whenNotMatched*`, insert) and for target rows no source
///   row matches (`whenNotMatchedBySource*`, update or delete).
/// - When `whenMatched*` clauses exist, a target row matched by more than one source
///   row is an error (`.invalidArgument`, naming the key) and nothing is committed —
///   except when the only matched clause is an unconditional delete (the row is
///   deleted once), as in Delta.
/// - Values are cast to the target column types; NOT NULL columns reject nulls
///   (`.schemaMismatch`); unknown columns are `.invalidArgument`. Columns an insert
///   does not assign are NULL. `updateAll`/`insertAll` need every target column in
///   the source (matched by name).
/// - Conditions and values may be SQL (`MergeCondition.sql`, `MergeValue.sql`) over
///   `target.<column>` and `source.<column>` (see `withAliases`); an extra ON condition
///   beyond the key equalities is `withMatchCondition`. Written rows must satisfy the
///   table's CHECK constraints (`.schemaMismatch` naming the constraint and row).
///
/// Execution reads only target files whose partition values or statistics may hold a
/// source key (a key range or IN-list derived from the source), one file at a time;
/// files without changed rows keep their paths. With a `whenNotMatchedBySource*`
/// clause every file must be read. Memory: the source plus one target file.
/// Isolation: one MERGE commit at WriteSerializable; a concurrent commit that adds
/// files into the key range read (or, with not-matched-by-source clauses, anywhere)
/// or removes a rewritten file is a conflict: the merge is then planned again on the
/// new snapshot (at most `withConflictRetries` times, 3 by default) before failing
/// with `.conflict`.
/// Dangers: a merge rewrites whole files; the removed files stay on storage for time
/// travel until vacuum.
public struct MergeBuilder: Sendable {
    let table: Table
    let source: [RecordBatch]
    let keys: [(target: String, source: String)]
    var matched: [MatchedClause] = []
    var notMatched: [NotMatchedClause] = []
    var notMatchedBySource: [NotMatchedBySourceClause] = []
    var writeOptions = WriteOptions()
    var targetAlias = "target"
    var sourceAlias = "source"
    var matchCondition: MergeCondition?
    var conflictRetries = Table.defaultConflictRetries
    var schemaEvolution = false

    enum MatchedAction: Sendable {
        case update([String: MergeValue])
        case updateAll
        case delete
    }

    struct MatchedClause: Sendable {
        var condition: MergeCondition?
        var action: MatchedAction
    }

    struct NotMatchedClause: Sendable {
        var condition: MergeCondition?
        /// nil: insert all columns from the source by name.
        var values: [String: MergeValue]?
    }

    struct NotMatchedBySourceClause: Sendable {
        var condition: MergeCondition?
        /// nil: delete.
        var update: [String: MergeValue]?
    }

    init(table: Table, source: [RecordBatch], keys: [(target: String, source: String)]) {
        self.table = table
        self.source = source
        self.keys = keys
    }

    /// Matched target rows (where `condition` is true) get the assigned columns.
    public func whenMatched(condition: MergeCondition? = nil, update: [String: MergeValue]) -> MergeBuilder {
        var copy = self
        copy.matched.append(MatchedClause(condition: condition, action: .update(update)))
        return copy
    }

    /// Matched target rows get every column from the source row (by name).
    public func whenMatchedUpdateAll(condition: MergeCondition? = nil) -> MergeBuilder {
        var copy = self
        copy.matched.append(MatchedClause(condition: condition, action: .updateAll))
        return copy
    }

    /// Matched target rows are deleted.
    public func whenMatchedDelete(condition: MergeCondition? = nil) -> MergeBuilder {
        var copy = self
        copy.matched.append(MatchedClause(condition: condition, action: .delete))
        return copy
    }

    /// Source rows without a match are inserted with `insert` (other columns NULL).
    /// The condition may read only source columns.
    public func whenNotMatched(condition: MergeCondition? = nil, insert: [String: MergeValue]) -> MergeBuilder {
        var copy = self
        copy.notMatched.append(NotMatchedClause(condition: condition, values: insert))
        return copy
    }

    /// Source rows without a match are inserted as they are (columns by name).
    public func whenNotMatchedInsertAll(condition: MergeCondition? = nil) -> MergeBuilder {
        var copy = self
        copy.notMatched.append(NotMatchedClause(condition: condition, values: nil))
        return copy
    }

    /// Target rows no source row matches get the assigned columns (values and the
    /// condition may read only target columns).
    public func whenNotMatchedBySource(condition: MergeCondition? = nil, update: [String: MergeValue]) -> MergeBuilder {
        var copy = self
        copy.notMatchedBySource.append(NotMatchedBySourceClause(condition: condition, update: update))
        return copy
    }

    /// Target rows no source row matches are deleted.
    public func whenNotMatchedBySourceDelete(condition: MergeCondition? = nil) -> MergeBuilder {
        var copy = self
        copy.notMatchedBySource.append(NotMatchedBySourceClause(condition: condition, update: nil))
        return copy
    }

    /// The qualifiers SQL conditions and values use for target and source columns
    /// (`target` and `source` by default), e.g. the aliases of `MERGE INTO t AS a USING s AS b`.
    public func withAliases(target: String, source: String) -> MergeBuilder {
        var copy = self
        copy.targetAlias = target
        copy.sourceAlias = source
        return copy
    }

    /// An extra ON condition over target and source columns: a key-equal pair matches
    /// only when it is TRUE, e.g. `.sql("target.region = 'eu' AND source.ts > target.ts")`.
    public func withMatchCondition(_ condition: MergeCondition) -> MergeBuilder {
        var copy = self
        copy.matchCondition = condition
        return copy
    }

    /// Schema evolution (Delta's `WITH SCHEMA EVOLUTION` / `mergeSchema`): source columns
    /// the table lacks are added to the table (nullable, after its columns, in the MERGE
    /// commit) when an `updateAll`/`insertAll` clause exists; those clauses then also
    /// accept a source lacking target columns (update keeps the target value, insert
    /// writes NULL). Without it, `*All` clauses ignore source columns the table lacks.
    /// Explicit assignments to columns the table lacks are errors either way.
    public func withSchemaEvolution() -> MergeBuilder {
        var copy = self
        copy.schemaEvolution = true
        return copy
    }

    /// Whether the merge evolves the schema (`withSchemaEvolution()` or `WriteOptions.mergeSchema`).
    var evolvesSchema: Bool { schemaEvolution || writeOptions.mergeSchema }

    /// How often the merge is planned again after a conflict before it fails (default 3).
    public func withConflictRetries(_ retries: Int) -> MergeBuilder {
        var copy = self
        copy.conflictRetries = max(0, retries)
        return copy
    }

    /// Options for the data files the merge writes (codec, file size), and:
    /// - `transaction` (application id, version): an idempotent merge. When the table
    ///   already holds that application's version or a later one, the merge is skipped
    ///   (`MergeMetrics.skippedByTransaction`, nothing committed); otherwise the Delta
    ///   `txn` action is part of the MERGE commit (also when no row changes).
    /// - `mergeSchema`: as `withSchemaEvolution()`.
    public func withWriteOptions(_ options: WriteOptions) -> MergeBuilder {
        var copy = self
        copy.writeOptions = options
        return copy
    }
}

extension Table {
    /// Starts a MERGE of `source` into this table joined on `on` (target column =
    /// source column, all pairs must hold). See `MergeBuilder` for semantics. `source`
    /// must hold at least one batch (it may be empty) so its schema is known.
    public func merge(source: [RecordBatch], on: [(target: String, source: String)]) -> MergeBuilder {
        MergeBuilder(table: self, source: source, keys: on)
    }
}
