// CheckpointColumns: typed column builders for writing checkpoint rows straight into
// column buffers (no per-value ScalarValue or JSON on this path, which runs every
// `delta.checkpointInterval` commits over every live file). Must never build a column
// whose length differs from the number of rows appended.
import TarnColumnar

/// A nullable string column under construction.
struct StringColumnBuilder {
    var bytes = BytesColumnBuilder()
    mutating func append(_ value: String?) throws(ColumnarError) {
        if let value { try bytes.append(value) } else { try bytes.appendNull() }
    }
    func finish() throws(ColumnarError) -> Column { try bytes.finish(.string) }
}

/// A nullable fixed-width column under construction.
struct NumberColumnBuilder<T: ColumnPrimitive> {
    var values = PrimitiveColumnBuilder<T>()
    let type: DataType
    init(_ type: DataType) { self.type = type }
    mutating func append(_ value: T?) {
        if let value { values.append(value) } else { values.appendNull() }
    }
    func finish() throws(ColumnarError) -> Column { try values.finish(type) }
}

/// A nullable boolean column under construction.
struct FlagColumnBuilder {
    var values = BooleanColumnBuilder()
    mutating func append(_ value: Bool?) {
        if let value { values.append(value) } else { values.appendNull() }
    }
    func finish() throws(ColumnarError) -> Column { try values.finish() }
}

/// A nullable `map<string,string>` column (nullable values) under construction.
struct StringMapColumnBuilder {
    var offsets: [Int32] = [0]
    var keys = BytesColumnBuilder()
    var values = BytesColumnBuilder()
    var validity = Bitmap()

    mutating func append(_ map: [String: String?]?) throws(ColumnarError) {
        guard let map else {
            validity.append(false)
            offsets.append(offsets[offsets.count - 1])
            return
        }
        validity.append(true)
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            try keys.append(key)
            if let value { try values.append(value) } else { try values.appendNull() }
        }
        offsets.append(Int32(truncatingIfNeeded: keys.count))
        if keys.count > Int(Int32.max) { throw ColumnarError.invalidBatch("checkpoint map has too many entries") }
    }

    mutating func append(_ map: [String: String]?) throws(ColumnarError) {
        try append(map.map { m in m.mapValues { Optional($0) } })
    }

    func finish() throws(ColumnarError) -> Column {
        let keyColumn = try keys.finish(.string)
        let valueColumn = try values.finish(.string)
        return try Column(type: CheckpointCodec.stringMap, count: validity.count, validity: validity,
                          storage: .map(offsets: offsets, keys: keyColumn, values: valueColumn))
    }
}

/// A nullable `array<string>` column under construction.
struct StringListColumnBuilder {
    var offsets: [Int32] = [0]
    var values = BytesColumnBuilder()
    var validity = Bitmap()

    mutating func append(_ list: [String]?) throws(ColumnarError) {
        guard let list else {
            validity.append(false)
            offsets.append(offsets[offsets.count - 1])
            return
        }
        validity.append(true)
        for v in list { try values.append(v) }
        offsets.append(Int32(truncatingIfNeeded: values.count))
    }

    func finish() throws(ColumnarError) -> Column {
        try Column(type: CheckpointCodec.stringList, count: validity.count, validity: validity,
                   storage: .list(offsets: offsets, values: try values.finish(.string)))
    }
}

/// The `deletionVector` struct column under construction.
struct DeletionVectorColumnBuilder {
    var validity = Bitmap()
    var storageType = StringColumnBuilder()
    var pathOrInlineDv = StringColumnBuilder()
    var offset = NumberColumnBuilder<Int32>(.int32)
    var sizeInBytes = NumberColumnBuilder<Int32>(.int32)
    var cardinality = NumberColumnBuilder<Int64>(.int64)

    mutating func append(_ dv: DeletionVectorDescriptor?) throws(ColumnarError) {
        validity.append(dv != nil)
        try storageType.append(dv?.storageType)
        try pathOrInlineDv.append(dv?.pathOrInlineDv)
        offset.append(dv?.offset.map { Int32(truncatingIfNeeded: $0) })
        sizeInBytes.append(dv.map { Int32(truncatingIfNeeded: $0.sizeInBytes) })
        cardinality.append(dv?.cardinality)
    }

    func finish() throws(ColumnarError) -> Column {
        try Column(type: CheckpointCodec.deletionVector, count: validity.count, validity: validity, storage: .structure([
            storageType.finish(), pathOrInlineDv.finish(), offset.finish(), sizeInBytes.finish(), cardinality.finish(),
        ]))
    }
}

/// Builds the checkpoint batch: one row per action, one struct column per action type,
/// in the order of `CheckpointCodec.schema`.
struct CheckpointBatchBuilder {
    var rows = 0
    // txn
    var txnValid = Bitmap()
    var txnAppId = StringColumnBuilder(), txnVersion = NumberColumnBuilder<Int64>(.int64), txnLastUpdated = NumberColumnBuilder<Int64>(.int64)
    // add
    var addValid = Bitmap()
    var addPath = StringColumnBuilder(), addPartitionValues = StringMapColumnBuilder()
    var addSize = NumberColumnBuilder<Int64>(.int64), addModificationTime = NumberColumnBuilder<Int64>(.int64)
    var addDataChange = FlagColumnBuilder(), addStats = StringColumnBuilder(), addTags = StringMapColumnBuilder()
    var addDV = DeletionVectorColumnBuilder(), addBaseRowId = NumberColumnBuilder<Int64>(.int64)
    var addDefaultRowCommitVersion = NumberColumnBuilder<Int64>(.int64), addClusteringProvider = StringColumnBuilder()
    // remove
    var removeValid = Bitmap()
    var removePath = StringColumnBuilder(), removeDeletionTimestamp = NumberColumnBuilder<Int64>(.int64)
    var removeDataChange = FlagColumnBuilder(), removeExtended = FlagColumnBuilder(), removePartitionValues = StringMapColumnBuilder()
    var removeSize = NumberColumnBuilder<Int64>(.int64), removeDV = DeletionVectorColumnBuilder()
    var removeBaseRowId = NumberColumnBuilder<Int64>(.int64), removeDefaultRowCommitVersion = NumberColumnBuilder<Int64>(.int64)
    // metaData
    var metaValid = Bitmap()
    var metaId = StringColumnBuilder(), metaName = StringColumnBuilder(), metaDescription = StringColumnBuilder()
    var formatValid = Bitmap(), formatProvider = StringColumnBuilder(), formatOptions = StringMapColumnBuilder()
    var metaSchema = StringColumnBuilder(), metaPartitionColumns = StringListColumnBuilder()
    var metaConfiguration = StringMapColumnBuilder(), metaCreatedTime = NumberColumnBuilder<Int64>(.int64)
    // protocol
    var protocolValid = Bitmap()
    var minReader = NumberColumnBuilder<Int32>(.int32), minWriter = NumberColumnBuilder<Int32>(.int32)
    var readerFeatures = StringListColumnBuilder(), writerFeatures = StringListColumnBuilder()
    // domainMetadata
    var domainValid = Bitmap()
    var domainName = StringColumnBuilder(), domainConfiguration = StringColumnBuilder(), domainRemoved = FlagColumnBuilder()

    mutating func append(_ action: Action) throws(ColumnarError) {
        var txn: SetTransaction? = nil, add: AddFile? = nil, remove: RemoveFile? = nil
        var metadata: Metadata? = nil, proto: TableProtocol? = nil, domain: DomainMetadata? = nil
        switch action {
        case let .txn(t): txn = t
        case let .add(a): add = a
        case let .remove(r): remove = r
        case let .metadata(m): metadata = m
        case let .tableProtocol(p): proto = p
        case let .domainMetadata(d): domain = d
        case .commitInfo, .cdc, .checkpointMetadata, .sidecar: return
        }
        rows += 1
        txnValid.append(txn != nil)
        try txnAppId.append(txn?.appId)
        txnVersion.append(txn?.version)
        txnLastUpdated.append(txn?.lastUpdated)

        addValid.append(add != nil)
        try addPath.append(add?.path)
        try addPartitionValues.append(add?.partitionValues)
        addSize.append(add?.size)
        addModificationTime.append(add?.modificationTime)
        addDataChange.append(add?.dataChange)
        try addStats.append(add?.stats)
        try addTags.append(add?.tags)
        try addDV.append(add?.deletionVector)
        addBaseRowId.append(add?.baseRowId)
        addDefaultRowCommitVersion.append(add?.defaultRowCommitVersion)
        try addClusteringProvider.append(add?.clusteringProvider)

        removeValid.append(remove != nil)
        try removePath.append(remove?.path)
        removeDeletionTimestamp.append(remove?.deletionTimestamp)
        removeDataChange.append(remove?.dataChange)
        removeExtended.append(remove?.extendedFileMetadata)
        try removePartitionValues.append(remove?.partitionValues)
        removeSize.append(remove?.size)
        try removeDV.append(remove?.deletionVector)
        removeBaseRowId.append(remove?.baseRowId)
        removeDefaultRowCommitVersion.append(remove?.defaultRowCommitVersion)

        metaValid.append(metadata != nil)
        try metaId.append(metadata?.id)
        try metaName.append(metadata?.name)
        try metaDescription.append(metadata?.description)
        formatValid.append(metadata != nil)
        try formatProvider.append(metadata?.formatProvider)
        try formatOptions.append(metadata?.formatOptions)
        try metaSchema.append(metadata?.schemaString)
        try metaPartitionColumns.append(metadata?.partitionColumns)
        try metaConfiguration.append(metadata?.configuration)
        metaCreatedTime.append(metadata?.createdTime)

        protocolValid.append(proto != nil)
        minReader.append(proto.map { Int32(truncatingIfNeeded: $0.minReaderVersion) })
        minWriter.append(proto.map { Int32(truncatingIfNeeded: $0.minWriterVersion) })
        try readerFeatures.append(proto?.readerFeatures)
        try writerFeatures.append(proto?.writerFeatures)

        domainValid.append(domain != nil)
        try domainName.append(domain?.domain)
        try domainConfiguration.append(domain?.configuration)
        domainRemoved.append(domain?.removed)
    }

    func structColumn(_ index: Int, _ validity: Bitmap, _ children: [Column]) throws(ColumnarError) -> Column {
        try Column(type: CheckpointCodec.schema.fields[index].type, count: rows, validity: validity, storage: .structure(children))
    }

    func finish() throws(ColumnarError) -> RecordBatch {
        let format = try Column(type: .structure([Field(ActionKey.provider, .string), Field(ActionKey.options, CheckpointCodec.stringMap)]),
                                count: rows, validity: formatValid, storage: .structure([formatProvider.finish(), formatOptions.finish()]))
        let columns: [Column] = [
            try structColumn(0, txnValid, [txnAppId.finish(), txnVersion.finish(), txnLastUpdated.finish()]),
            try structColumn(1, addValid, [
                addPath.finish(), addPartitionValues.finish(), addSize.finish(), addModificationTime.finish(), addDataChange.finish(),
                addStats.finish(), addTags.finish(), addDV.finish(), addBaseRowId.finish(), addDefaultRowCommitVersion.finish(),
                addClusteringProvider.finish(),
            ]),
            try structColumn(2, removeValid, [
                removePath.finish(), removeDeletionTimestamp.finish(), removeDataChange.finish(), removeExtended.finish(),
                removePartitionValues.finish(), removeSize.finish(), removeDV.finish(), removeBaseRowId.finish(),
                removeDefaultRowCommitVersion.finish(),
            ]),
            try structColumn(3, metaValid, [
                metaId.finish(), metaName.finish(), metaDescription.finish(), format, metaSchema.finish(),
                metaPartitionColumns.finish(), metaConfiguration.finish(), metaCreatedTime.finish(),
            ]),
            try structColumn(4, protocolValid, [minReader.finish(), minWriter.finish(), readerFeatures.finish(), writerFeatures.finish()]),
            try structColumn(5, domainValid, [domainName.finish(), domainConfiguration.finish(), domainRemoved.finish()]),
        ]
        return try RecordBatch(schema: CheckpointCodec.schema, columns: columns, rowCount: rows)
    }
}
