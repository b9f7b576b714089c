// Type widening (Delta table feature `typeWidening`): which column type changes are
// allowed, `Table.changeColumnType`, the `delta.typeChanges` field metadata and the
// protocol upgrade. Must never narrow a type or change it incompatibly (older files are
// read by casting up, so every old value must fit the new type exactly).
import TarnColumnar
import TarnLog

enum TypeWidening {
    /// The table feature (reader and writer).
    static let feature = "typeWidening"
    /// Table property that enables widening (and, with mergeSchema, automatic widening on writes).
    static let enableProperty = "delta.enableTypeWidening"
    /// Field metadata key holding the list of type changes of a column.
    static let typeChangesKey = "delta.typeChanges"

    /// Whether `from` may be widened to `to` (the protocol's list): byte→short→int→long,
    /// float→double, byte/short/int→double, date→timestamp_ntz, decimal(p, s)→decimal(p+k1,
    /// s+k2) with k1 ≥ k2 ≥ 0, and byte/short/int→decimal(10+k, k)+ and long→decimal(20+k, k)+.
    static func isAllowed(from: DataType, to: DataType) -> Bool {
        if from == to { return false }
        let integers: [DataType] = [.int8, .int16, .int32, .int64]
        if let a = integers.firstIndex(of: from), let b = integers.firstIndex(of: to) { return a < b }
        switch (from, to) {
        case (.float32, .float64), (.int8, .float64), (.int16, .float64), (.int32, .float64), (.date32, .timestamp(.ntz)):
            return true
        case let (.decimal(p, s), .decimal(q, t)):
            return q - p >= t - s && t >= s
        case let (.int8, .decimal(p, s)), let (.int16, .decimal(p, s)), let (.int32, .decimal(p, s)):
            return p - s >= 10
        case let (.int64, .decimal(p, s)):
            return p - s >= 20
        default:
            return false
        }
    }

    /// Whether a write with mergeSchema may widen `from` to `to` by itself. Integer to
    /// decimal or double must be changed explicitly (as in Delta: it would otherwise
    /// promote integers silently).
    static func isAutomatic(from: DataType, to: DataType) -> Bool {
        guard isAllowed(from: from, to: to) else { return false }
        if from.isInteger && !to.isInteger { return false }
        return true
    }

    /// Whether the table allows widening (`delta.enableTypeWidening = true`).
    static func isEnabled(_ snapshot: Snapshot) -> Bool {
        snapshot.configuration[enableProperty]?.lowercased() == "true"
    }

    /// Whether some column of `old` has another type in `new`.
    static func changesTypes(from old: Schema, to new: Schema) -> Bool {
        old.fields.contains { field in new.field(named: field.name).map { $0.type != field.type } ?? false }
    }

    /// The Delta name of a primitive type as `delta.typeChanges` records it.
    static func deltaName(_ type: DataType) -> String {
        switch type {
        case .int32: return "integer"
        default: return type.description
        }
    }

    /// `field` with the type `to` and the change appended to its `delta.typeChanges`.
    static func widened(_ field: Field, to type: DataType) -> Field {
        var out = field
        var changes: [JSONValue] = []
        if let existing = field.metadata[typeChangesKey], let parsed = try? JSONParser.parse(existing), let items = parsed.elements {
            changes = items
        }
        changes.append(.object([JSONMember("fromType", .string(deltaName(field.type))), JSONMember("toType", .string(deltaName(type)))]))
        out.metadata[typeChangesKey] = JSONWriter.string(.array(changes))
        out.type = type
        return out
    }

    /// `current` with `typeWidening` as reader and writer feature (protocol 3/7, the
    /// features the legacy versions implied listed explicitly); nil when it has it.
    static func protocolWithFeature(_ current: TableProtocol) -> TableProtocol? {
        if current.hasReaderFeature(feature) && current.hasWriterFeature(feature) { return nil }
        var readers = current.minReaderVersion >= 3 ? current.readerFeatures ?? [] : []
        var writers: [String] = current.minWriterVersion >= 7 ? current.writerFeatures ?? [] : []
        if current.minWriterVersion < 7 {
            // Features implied by the legacy writer versions.
            if current.minWriterVersion >= 2 { writers += ["appendOnly", "invariants"] }
            if current.minWriterVersion >= 3 { writers.append("checkConstraints") }
            if current.minWriterVersion >= 4 { writers += ["changeDataFeed", "generatedColumns"] }
            if current.minWriterVersion >= 5 { writers.append("columnMapping") }
            if current.minWriterVersion >= 6 { writers.append("identityColumns") }
        }
        if current.minReaderVersion == 2 && !readers.contains("columnMapping") { readers.append("columnMapping") }
        if !readers.contains(feature) { readers.append(feature) }
        if !writers.contains(feature) { writers.append(feature) }
        return TableProtocol(minReaderVersion: 3, minWriterVersion: 7, readerFeatures: readers, writerFeatures: writers)
    }

    /// The Delta schema string of `schema`, with `delta.typeChanges` metadata written as
    /// the JSON array the protocol specifies (Field metadata holds it as JSON text).
    static func schemaString(_ schema: Schema) throws(LogError) -> String {
        let text = try DeltaSchema.jsonString(schema)
        guard schema.fields.contains(where: { $0.metadata[typeChangesKey] != nil }),
              let parsed = try? JSONParser.parse(text), let members = parsed.members else { return text }
        let fixed = members.map { member -> JSONMember in
            guard member.key == "fields", let fields = member.value.elements else { return member }
            return JSONMember("fields", .array(fields.map(arrayValuedTypeChanges)))
        }
        return JSONWriter.string(.object(fixed))
    }

    /// A field's JSON with a string-valued `delta.typeChanges` replaced by the parsed array.
    private static func arrayValuedTypeChanges(_ field: JSONValue) -> JSONValue {
        guard let members = field.members else { return field }
        return .object(members.map { member in
            guard member.key == "metadata", let entries = member.value.members else { return member }
            return JSONMember("metadata", .object(entries.map { entry in
                guard entry.key == typeChangesKey, case let .string(text) = entry.value,
                      let parsed = try? JSONParser.parse(text) else { return entry }
                return JSONMember(entry.key, parsed)
            }))
        })
    }
}

extension Table {
    /// Widens the type of column `column` to `type` in one commit (operation CHANGE
    /// COLUMN), as Delta's type widening feature allows: byte→short→int→long,
    /// float→double, byte/short/int→double, date→timestamp_ntz, a decimal to one with
    /// at least as many integer and fraction digits, an integer type to a decimal with
    /// room for all its values. No data file is rewritten: files written before read
    /// their values cast up. The change is recorded in the column's `delta.typeChanges`
    /// metadata; the table gets the `typeWidening` reader+writer feature (protocol 3/7)
    /// and `delta.enableTypeWidening = true` (so later writes with mergeSchema may widen
    /// by themselves).
    ///
    /// Dangers: readers without the `typeWidening` feature cannot read the table
    /// afterwards (see docs/operations.md for which peers can), and the protocol upgrade
    /// cannot be undone.
    /// - Returns: the committed version.
    /// - Throws: `.notFound` for an unknown column; `.invalidArgument` for the same type,
    ///   a partition column, or a nested type; `.schemaMismatch` for a narrowing or
    ///   incompatible change (nothing is written); `.conflict` when a concurrent commit raced.
    @discardableResult
    public func changeColumnType(column: String, to type: DataType) throws(TableError) -> Int64 {
        try access.require(.manage, action: "change column type")
        let snapshot = try loadSnapshot()
        guard let index = snapshot.schema.index(of: column) ?? snapshot.schema.lookup(column) else {
            throw TableError(.notFound, "column '\(column)' does not exist; the table has \(snapshot.schema.names.joined(separator: ", "))", table: name)
        }
        let field = snapshot.schema.fields[index]
        if field.type == type {
            throw TableError(.invalidArgument, "column '\(field.name)' already has type \(type)", table: name)
        }
        if snapshot.partitionColumns.contains(field.name) {
            throw TableError(.invalidArgument, "column '\(field.name)' is a partition column; Tarn does not change the type of partition columns", table: name)
        }
        guard TypeWidening.isAllowed(from: field.type, to: type) else {
            throw TableError(.schemaMismatch, """
                column '\(field.name)' cannot change from \(field.type) to \(type): only widening changes are allowed \
                (byte→short→int→long, float→double, byte/short/int→double, date→timestamp_ntz, decimal(p,s)→decimal(p+k1,s+k2) with k1 ≥ k2 ≥ 0, \
                byte/short/int→decimal(10+k,k) or wider, long→decimal(20+k,k) or wider); nothing was changed
                """, table: name)
        }
        var schema = snapshot.schema
        schema.fields[index] = TypeWidening.widened(field, to: type)
        var metadata = try evolved(snapshot.metadata, to: schema)
        metadata.configuration[TypeWidening.enableProperty] = "true"
        var transaction = log.startTransaction(operation: "CHANGE COLUMN", readSnapshot: snapshot)
        if let upgraded = TypeWidening.protocolWithFeature(snapshot.tableProtocol) { transaction.add(.tableProtocol(upgraded)) }
        transaction.add(.metadata(metadata))
        transaction.operationParameters = ["column": field.name, "fromType": TypeWidening.deltaName(field.type),
                                           "toType": TypeWidening.deltaName(type)]
        do {
            return try transaction.commitOrThrow()
        } catch {
            throw wrap(error, "the type of column '\(field.name)' was not changed")
        }
    }
}
