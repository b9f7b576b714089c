// ParquetSchema: the tree behind a file's flat SchemaElement list, its leaf column
// descriptors (levels, physical and logical types) and the Tarn `Schema` it maps to.
// Owns the Parquet → DataType mapping on read (incl. legacy list/map forms); must never
// trust num_children or nesting depth: hostile lists throw, they never recurse unboundedly.

import TarnColumnar

/// How a leaf's physical values become the values of its Tarn type.
enum LeafConversion: Sendable, Hashable {
    case boolean
    /// INT32 kept as Int32 (int32, date32, TIME(MILLIS)).
    case int32
    case int32ToInt8, int32ToInt16, int32ToUInt8, int32ToUInt16, int32ToUInt32
    /// INT64 kept as Int64 (int64, TIMESTAMP(MICROS), TIME(MICROS/NANOS)).
    case int64
    /// INT64 multiplied (TIMESTAMP(MILLIS) → µs).
    case int64Times(Int64)
    /// INT64 nanoseconds → µs, rounding toward −∞.
    case int64NanosToMicros
    case int64ToUInt64
    case int96ToTimestamp
    case float
    case double
    /// BYTE_ARRAY as string/binary.
    case bytes
    /// FIXED_LEN_BYTE_ARRAY as binary (each value `typeLength` bytes).
    case fixedToBinary
    /// FIXED_LEN_BYTE_ARRAY(2) FLOAT16 → Float.
    case float16ToFloat
    case decimalFromInt32, decimalFromInt64
    /// BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY big-endian two's complement → Int128.
    case decimalFromBytes
}

/// One leaf (primitive) column of a Parquet schema: one column chunk per row group.
public struct ColumnDescriptor: Sendable, Hashable {
    /// Names from the root's child down to the leaf (`path_in_schema`).
    public let path: [String]
    /// Position among the leaves: the index of its column chunk in every row group.
    public let index: Int
    /// Index of the top-level field the leaf belongs to.
    public let topLevelFieldIndex: Int
    public let maxDefinitionLevel: Int
    public let maxRepetitionLevel: Int
    public let physicalType: PhysicalType
    /// Byte width for FIXED_LEN_BYTE_ARRAY, else 0.
    public let typeLength: Int
    public let logicalType: LogicalType?
    public let convertedType: ConvertedType?
    /// Tarn type of the leaf's values.
    public let dataType: DataType
    let conversion: LeafConversion

    /// `path` joined by dots (`st.l.list.element`).
    public var dottedPath: String { path.joined(separator: ".") }
}

/// Levels that locate a node's values in the level streams of the leaves below it.
struct NodeLevels: Sendable, Hashable {
    /// Definition level at which this node's value is non-null.
    var defined: Int
    /// Repetition depth of this node's slots: an entry with `rep <= repetition`
    /// (and `def >= slot`) starts a new value of this node.
    var repetition: Int
    /// Definition level an entry must reach for a value of this node to exist at all
    /// (the level of the innermost repeated ancestor; 0 at the top).
    var slot: Int
}

/// The tree that turns leaf levels into nested columns (LevelAssembly walks it).
indirect enum AssemblyNode: Sendable, Hashable {
    case leaf(field: Field, levels: NodeLevels, column: Int)
    case structure(field: Field, levels: NodeLevels, children: [AssemblyNode])
    /// `entryLevel`: definition level at which an entry of the list holds an element.
    case list(field: Field, levels: NodeLevels, entryLevel: Int, element: AssemblyNode)
    case map(field: Field, levels: NodeLevels, entryLevel: Int, key: AssemblyNode, value: AssemblyNode)

    var field: Field {
        switch self {
        case let .leaf(field, _, _), let .structure(field, _, _), let .list(field, _, _, _), let .map(field, _, _, _, _):
            return field
        }
    }

    var levels: NodeLevels {
        switch self {
        case let .leaf(_, levels, _), let .structure(_, levels, _), let .list(_, levels, _, _), let .map(_, levels, _, _, _):
            return levels
        }
    }

    /// Leaf column indices below this node, in schema order.
    var leafColumns: [Int] {
        switch self {
        case let .leaf(_, _, column): return [column]
        case let .structure(_, _, children): return children.flatMap(\.leafColumns)
        case let .list(_, _, _, element): return element.leafColumns
        case let .map(_, _, _, key, value): return key.leafColumns + value.leafColumns
        }
    }

    /// The first leaf below this node: its levels describe this node's slots.
    var firstLeaf: Int {
        switch self {
        case let .leaf(_, _, column): return column
        case let .structure(_, _, children): return children.first?.firstLeaf ?? 0
        case let .list(_, _, _, element): return element.firstLeaf
        case let .map(_, _, _, key, _): return key.firstLeaf
        }
    }

    /// The node restricted to the leaves in `keep`, or nil when none of its leaves is
    /// kept. A struct keeps only the children that have kept leaves; a map keeps its
    /// key whole (entries need keys) and restricts its value.
    func pruned(keeping keep: Set<Int>) -> AssemblyNode? {
        switch self {
        case let .leaf(_, _, column):
            return keep.contains(column) ? self : nil
        case let .structure(field, levels, children):
            let kept = children.compactMap { $0.pruned(keeping: keep) }
            if kept.isEmpty { return nil }
            if kept.count == children.count { return self }
            var newField = field
            newField.type = .structure(kept.map(\.field))
            return .structure(field: newField, levels: levels, children: kept)
        case let .list(field, levels, entryLevel, element):
            guard let kept = element.pruned(keeping: keep) else { return nil }
            var newField = field
            newField.type = .list(kept.field)
            return .list(field: newField, levels: levels, entryLevel: entryLevel, element: kept)
        case let .map(field, levels, entryLevel, key, value):
            let keyLeaves = Set(key.leafColumns)
            let keptValue = value.pruned(keeping: keep)
            if keptValue == nil && keep.isDisjoint(with: keyLeaves) { return nil }
            // A map needs a value column: keep the whole value when only keys were asked.
            let newValue = keptValue ?? value
            var newField = field
            newField.type = .map(key: key.field, value: newValue.field)
            return .map(field: newField, levels: levels, entryLevel: entryLevel, key: key, value: newValue)
        }
    }
}

/// A Parquet schema: the flat element list, its leaves and the Tarn schema.
public struct ParquetSchema: Sendable {
    /// Deepest nesting of groups accepted (deeper schemas are `.unsupported`).
    public static let maximumDepth = 64

    public let elements: [SchemaElement]
    /// Leaf columns in file order (column chunk order).
    public let columns: [ColumnDescriptor]
    /// The Tarn schema: one field per child of the root.
    public let schema: Schema
    /// One assembly tree per top-level field.
    let nodes: [AssemblyNode]

    /// Builds the tree from the depth-first element list of a footer.
    /// - Throws: `.corrupt` when num_children does not match the list, the root is a
    ///   leaf or a leaf lacks its physical type; `.unsupported` for schemas Tarn cannot
    ///   map (nesting deeper than `maximumDepth`, decimals wider than 38 digits, ...).
    public init(elements: [SchemaElement], metadata: [String: String] = [:]) throws(ParquetError) {
        guard let root = elements.first else {
            throw .corrupt("the schema has no elements")
        }
        guard root.type == nil, let rootChildren = root.numChildren, rootChildren >= 0 else {
            throw .corrupt("the schema root \(root.name) is not a group")
        }
        var builder = SchemaTreeBuilder(elements: elements)
        builder.position = 1
        var nodes: [AssemblyNode] = []
        let childCount = Int(rootChildren)
        guard childCount <= elements.count - 1 else {
            throw .corrupt("the schema root declares \(childCount) children but only \(elements.count - 1) elements follow")
        }
        nodes.reserveCapacity(childCount)
        for topIndex in 0..<childCount {
            builder.topLevelIndex = topIndex
            let node = try builder.buildChild(path: [], parent: NodeLevels(defined: 0, repetition: 0, slot: 0), depth: 1)
            nodes.append(node)
        }
        guard builder.position == elements.count else {
            throw .corrupt("the schema has \(elements.count - builder.position) elements that belong to no group")
        }
        self.elements = elements
        self.columns = builder.columns
        self.nodes = nodes
        self.schema = Schema(nodes.map(\.field), metadata: metadata)
    }

    /// The leaf whose path is `path`: either the Parquet path (`st.l.list.element`) or the
    /// Tarn field path (`st.x`, `emb.element`); nil when there is none.
    public func column(path: String) -> ColumnDescriptor? {
        if let exact = columns.first(where: { $0.dottedPath == path }) { return exact }
        guard let leaves = try? leafColumns(forPath: path), leaves.count == 1 else { return nil }
        return columns[leaves[0]]
    }

    /// Leaf indices selected by a top-level name or a dotted nested path.
    /// - Throws: `.invalidArgument` when the path names no field.
    func leafColumns(forPath path: String) throws(ParquetError) -> [Int] {
        if let exact = columns.first(where: { $0.dottedPath == path }) { return [exact.index] }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let top = nodes.firstIndex(where: { $0.field.name == first }) else {
            throw .invalidArgument("no column named \(path) in the file")
        }
        var node = nodes[top]
        var rest = parts.dropFirst()
        while let name = rest.first {
            switch node {
            case .leaf:
                throw .invalidArgument("no column named \(path) in the file: \(node.field.name) is not nested")
            case let .structure(_, _, children):
                guard let child = children.first(where: { $0.field.name == name }) else {
                    throw .invalidArgument("no column named \(path) in the file")
                }
                node = child
                rest = rest.dropFirst()
            case let .list(_, _, _, element):
                // `list.element`, `element` and `item` name the element; any other name
                // is looked up inside it.
                if name == "list" || name == "element" || name == "item" || name == "array" {
                    rest = rest.dropFirst()
                    if name == "list", rest.first == "element" || rest.first == "item" { rest = rest.dropFirst() }
                }
                node = element
            case let .map(_, _, _, key, value):
                if name == "key_value" {
                    rest = rest.dropFirst()
                    continue
                }
                if name == "key" {
                    node = key
                } else if name == "value" {
                    node = value
                } else {
                    throw .invalidArgument("no column named \(path) in the file: a map has key and value")
                }
                rest = rest.dropFirst()
            }
        }
        return node.leafColumns
    }
}

/// Walks the flat element list once, depth-first, with bounded depth.
private struct SchemaTreeBuilder {
    let elements: [SchemaElement]
    var position = 0
    var columns: [ColumnDescriptor] = []
    var topLevelIndex = 0

    init(elements: [SchemaElement]) {
        self.elements = elements
    }

    mutating func next(_ what: String) throws(ParquetError) -> SchemaElement {
        guard position < elements.count else {
            throw .corrupt("the schema ends while \(what) still expects children")
        }
        let element = elements[position]
        position += 1
        return element
    }

    /// Reads the children of a group element; their count is checked against what remains.
    mutating func childCount(of element: SchemaElement) throws(ParquetError) -> Int {
        guard let raw = element.numChildren, raw > 0 else {
            throw .unsupported("group \(element.name) has no children")
        }
        let count = Int(raw)
        guard count <= elements.count - position else {
            throw .corrupt("group \(element.name) declares \(count) children but only \(elements.count - position) elements follow")
        }
        return count
    }

    static func levels(of element: SchemaElement, parent: NodeLevels, asRequired: Bool = false) -> NodeLevels {
        var levels = parent
        if asRequired { return levels }
        switch element.repetitionType ?? .required {
        case .required: break
        case .optional: levels.defined += 1
        case .repeated:
            levels.defined += 1
            levels.repetition += 1
        }
        return levels
    }

    static func fieldMetadata(_ element: SchemaElement) -> [String: String] {
        element.fieldID.map { ["parquet.field_id": String($0)] } ?? [:]
    }

    static func isListAnnotated(_ element: SchemaElement) -> Bool {
        element.logicalType == .list || (element.logicalType == nil && element.convertedType == .list)
    }

    static func isMapAnnotated(_ element: SchemaElement) -> Bool {
        element.logicalType == .map
            || (element.logicalType == nil && (element.convertedType == .map || element.convertedType == .mapKeyValue))
    }

    /// Reads the next element (a child of a group whose levels are `parent`) and builds its node.
    mutating func buildChild(path: [String], parent: NodeLevels, depth: Int) throws(ParquetError) -> AssemblyNode {
        let element = try next("a group")
        guard depth <= ParquetSchema.maximumDepth else {
            throw .unsupported("schema nesting deeper than \(ParquetSchema.maximumDepth) levels")
        }
        if element.repetitionType == .repeated {
            // An un-annotated repeated field is a required list of its values.
            let listLevels = parent
            let elementLevels = SchemaTreeBuilder.levels(of: element, parent: parent)
            var inner = elementLevels
            inner.slot = elementLevels.defined
            let elementNode = try buildNode(element, path: path + [element.name], levels: inner, nullable: false, depth: depth)
            var elementField = elementNode.field
            elementField.name = "element"
            let field = Field(element.name, .list(elementField), nullable: false, metadata: SchemaTreeBuilder.fieldMetadata(element))
            return .list(field: field, levels: listLevels, entryLevel: elementLevels.defined, element: elementNode.renamed(elementField))
        }
        let levels = SchemaTreeBuilder.levels(of: element, parent: parent)
        return try buildNode(element, path: path + [element.name], levels: levels, nullable: element.repetitionType == .optional, depth: depth)
    }

    /// Builds the node of `element` (already consumed) whose own levels are `levels`.
    mutating func buildNode(_ element: SchemaElement, path: [String], levels: NodeLevels, nullable: Bool, depth: Int) throws(ParquetError) -> AssemblyNode {
        let metadata = SchemaTreeBuilder.fieldMetadata(element)
        if element.type != nil {
            if element.numChildren.map({ $0 > 0 }) == true {
                throw .corrupt("schema element \(element.name) has a physical type and children")
            }
            return try buildLeaf(element, path: path, levels: levels, nullable: nullable)
        }
        let count = try childCount(of: element)
        if SchemaTreeBuilder.isListAnnotated(element) {
            return try buildList(element, count: count, path: path, levels: levels, nullable: nullable, depth: depth)
        }
        if SchemaTreeBuilder.isMapAnnotated(element) {
            return try buildMap(element, count: count, path: path, levels: levels, nullable: nullable, depth: depth)
        }
        var children: [AssemblyNode] = []
        children.reserveCapacity(count)
        for _ in 0..<count {
            children.append(try buildChild(path: path, parent: levels, depth: depth + 1))
        }
        let field = Field(element.name, .structure(children.map(\.field)), nullable: nullable, metadata: metadata)
        return .structure(field: field, levels: levels, children: children)
    }

    mutating func buildList(_ element: SchemaElement, count: Int, path: [String], levels: NodeLevels, nullable: Bool, depth: Int) throws(ParquetError) -> AssemblyNode {
        guard count == 1 else {
            throw .corrupt("LIST group \(element.name) has \(count) children, expected 1")
        }
        let repeated = try next("LIST group \(element.name)")
        guard repeated.repetitionType == .repeated else {
            throw .corrupt("the child of LIST group \(element.name) is not repeated")
        }
        let repeatedLevels = SchemaTreeBuilder.levels(of: repeated, parent: levels)
        var inner = repeatedLevels
        inner.slot = repeatedLevels.defined
        let repeatedPath = path + [repeated.name]
        let elementNode: AssemblyNode
        if repeated.type != nil {
            // 2-level: the repeated primitive is the element.
            elementNode = try buildNode(repeated, path: repeatedPath, levels: inner, nullable: false, depth: depth + 1)
        } else {
            let innerCount = try childCount(of: repeated)
            let isLegacyGroup = innerCount > 1 || repeated.name == "array" || repeated.name == element.name + "_tuple"
            if isLegacyGroup {
                // 2-level: the repeated group is the element (a struct of its fields).
                var children: [AssemblyNode] = []
                for _ in 0..<innerCount {
                    children.append(try buildChild(path: repeatedPath, parent: inner, depth: depth + 2))
                }
                let field = Field(repeated.name, .structure(children.map(\.field)), nullable: false, metadata: SchemaTreeBuilder.fieldMetadata(repeated))
                elementNode = .structure(field: field, levels: inner, children: children)
            } else {
                // 3-level: the single child of the repeated group is the element.
                let child = try next("repeated group \(repeated.name)")
                guard depth + 2 <= ParquetSchema.maximumDepth else {
                    throw .unsupported("schema nesting deeper than \(ParquetSchema.maximumDepth) levels")
                }
                if child.repetitionType == .repeated {
                    // The element is itself an un-annotated repeated field: a list of lists.
                    position -= 1
                    elementNode = try buildChild(path: repeatedPath, parent: inner, depth: depth + 2)
                } else {
                    let childLevels = SchemaTreeBuilder.levels(of: child, parent: inner)
                    elementNode = try buildNode(child, path: repeatedPath + [child.name], levels: childLevels, nullable: child.repetitionType == .optional, depth: depth + 2)
                }
            }
        }
        var elementField = elementNode.field
        elementField.name = "element"
        let field = Field(element.name, .list(elementField), nullable: nullable, metadata: SchemaTreeBuilder.fieldMetadata(element))
        return .list(field: field, levels: levels, entryLevel: repeatedLevels.defined, element: elementNode.renamed(elementField))
    }

    mutating func buildMap(_ element: SchemaElement, count: Int, path: [String], levels: NodeLevels, nullable: Bool, depth: Int) throws(ParquetError) -> AssemblyNode {
        guard count == 1 else {
            throw .corrupt("MAP group \(element.name) has \(count) children, expected 1")
        }
        let repeated = try next("MAP group \(element.name)")
        guard repeated.repetitionType == .repeated, repeated.type == nil else {
            throw .corrupt("the child of MAP group \(element.name) is not a repeated group")
        }
        let entries = try childCount(of: repeated)
        guard entries == 2 else {
            throw .unsupported("MAP group \(element.name) has \(entries) fields per entry, expected key and value")
        }
        let repeatedLevels = SchemaTreeBuilder.levels(of: repeated, parent: levels)
        var inner = repeatedLevels
        inner.slot = repeatedLevels.defined
        let repeatedPath = path + [repeated.name]
        let key = try buildChild(path: repeatedPath, parent: inner, depth: depth + 2)
        let value = try buildChild(path: repeatedPath, parent: inner, depth: depth + 2)
        var keyField = key.field
        keyField.name = "key"
        keyField.nullable = false
        var valueField = value.field
        valueField.name = "value"
        let field = Field(element.name, .map(key: keyField, value: valueField), nullable: nullable, metadata: SchemaTreeBuilder.fieldMetadata(element))
        return .map(field: field, levels: levels, entryLevel: repeatedLevels.defined, key: key.renamed(keyField), value: value.renamed(valueField))
    }

    mutating func buildLeaf(_ element: SchemaElement, path: [String], levels: NodeLevels, nullable: Bool) throws(ParquetError) -> AssemblyNode {
        guard let physical = element.type else {
            throw .corrupt("schema leaf \(element.name) has no physical type")
        }
        let (type, conversion) = try ParquetTypeMapping.map(element, physical: physical)
        let typeLength = physical == .fixedLenByteArray ? Int(element.typeLength ?? 0) : 0
        if physical == .fixedLenByteArray {
            guard typeLength > 0, typeLength <= 1 << 20 else {
                throw .corrupt("FIXED_LEN_BYTE_ARRAY column \(element.name) has type length \(typeLength)")
            }
        }
        let index = columns.count
        columns.append(ColumnDescriptor(
            path: path, index: index, topLevelFieldIndex: topLevelIndex,
            maxDefinitionLevel: levels.defined, maxRepetitionLevel: levels.repetition,
            physicalType: physical, typeLength: typeLength,
            logicalType: element.logicalType, convertedType: element.convertedType,
            dataType: type, conversion: conversion))
        let field = Field(element.name, type, nullable: nullable, metadata: SchemaTreeBuilder.fieldMetadata(element))
        return .leaf(field: field, levels: levels, column: index)
    }
}

extension AssemblyNode {
    /// The same node under another field (name or nullability changed, same type).
    func renamed(_ newField: Field) -> AssemblyNode {
        switch self {
        case let .leaf(_, levels, column): return .leaf(field: newField, levels: levels, column: column)
        case let .structure(_, levels, children): return .structure(field: newField, levels: levels, children: children)
        case let .list(_, levels, entryLevel, element): return .list(field: newField, levels: levels, entryLevel: entryLevel, element: element)
        case let .map(_, levels, entryLevel, key, value): return .map(field: newField, levels: levels, entryLevel: entryLevel, key: key, value: value)
        }
    }
}

/// The Parquet leaf type → Tarn `DataType` rules (spec/parquet.md, "Reading").
enum ParquetTypeMapping {
    static func map(_ element: SchemaElement, physical: PhysicalType) throws(ParquetError) -> (DataType, LeafConversion) {
        let logical = element.logicalType
        let converted = element.logicalType == nil ? element.convertedType : nil
        if case let .decimal(scale, precision) = logical {
            return try decimal(element, physical: physical, precision: Int(precision), scale: Int(scale))
        }
        if logical == nil, converted == .decimal {
            return try decimal(element, physical: physical, precision: Int(element.precision ?? 0), scale: Int(element.scale ?? 0))
        }
        switch physical {
        case .boolean:
            return (.boolean, .boolean)
        case .int32:
            switch logical {
            case let .integer(bits, signed):
                switch (bits, signed) {
                case (8, true): return (.int8, .int32ToInt8)
                case (16, true): return (.int16, .int32ToInt16)
                case (8, false): return (.uint8, .int32ToUInt8)
                case (16, false): return (.uint16, .int32ToUInt16)
                case (32, false): return (.uint32, .int32ToUInt32)
                default: return (.int32, .int32)
                }
            case .date: return (.date32, .int32)
            default: break
            }
            switch converted {
            case .int8: return (.int8, .int32ToInt8)
            case .int16: return (.int16, .int32ToInt16)
            case .uint8: return (.uint8, .int32ToUInt8)
            case .uint16: return (.uint16, .int32ToUInt16)
            case .uint32: return (.uint32, .int32ToUInt32)
            case .date: return (.date32, .int32)
            default: return (.int32, .int32)
            }
        case .int64:
            switch logical {
            case let .timestamp(utc, unit):
                let zone: TimestampZone = utc ? .utc : .ntz
                switch unit {
                case .millis: return (.timestamp(zone), .int64Times(1000))
                case .micros: return (.timestamp(zone), .int64)
                case .nanos: return (.timestamp(zone), .int64NanosToMicros)
                }
            case let .integer(bits, signed) where bits == 64 && !signed:
                return (.uint64, .int64ToUInt64)
            default: break
            }
            switch converted {
            case .timestampMillis: return (.timestamp(.utc), .int64Times(1000))
            case .timestampMicros: return (.timestamp(.utc), .int64)
            case .uint64: return (.uint64, .int64ToUInt64)
            default: return (.int64, .int64)
            }
        case .int96:
            return (.timestamp(.utc), .int96ToTimestamp)
        case .float:
            return (.float32, .float)
        case .double:
            return (.float64, .double)
        case .byteArray:
            switch logical {
            case .string, .enumeration, .json: return (.string, .bytes)
            case .some: return (.binary, .bytes)
            case nil: break
            }
            switch converted {
            case .utf8, .enumeration, .json: return (.string, .bytes)
            default: return (.binary, .bytes)
            }
        case .fixedLenByteArray:
            if logical == .float16 {
                guard element.typeLength == 2 else {
                    throw .corrupt("FLOAT16 column \(element.name) has type length \(element.typeLength ?? 0), expected 2")
                }
                return (.float32, .float16ToFloat)
            }
            return (.binary, .fixedToBinary)
        }
    }

    static func decimal(_ element: SchemaElement, physical: PhysicalType, precision: Int, scale: Int) throws(ParquetError) -> (DataType, LeafConversion) {
        guard precision >= 1, precision <= 38 else {
            throw .unsupported("decimal column \(element.name) has precision \(precision); Tarn reads 1...38")
        }
        guard scale >= 0, scale <= precision else {
            throw .corrupt("decimal column \(element.name) has scale \(scale) for precision \(precision)")
        }
        let type = DataType.decimal(precision: precision, scale: scale)
        switch physical {
        case .int32: return (type, .decimalFromInt32)
        case .int64: return (type, .decimalFromInt64)
        case .byteArray, .fixedLenByteArray: return (type, .decimalFromBytes)
        default:
            throw .corrupt("decimal column \(element.name) has physical type \(physical)")
        }
    }
}
