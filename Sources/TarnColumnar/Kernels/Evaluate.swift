// Evaluate: a `Predicate` over a batch, row by row in bulk, with SQL three-valued
// logic (Kleene AND/OR/NOT over true/false/null). Used by scans after file and row-group
// pruning, and by DELETE/UPDATE/MERGE to pick rows. Must never turn an unknown (null)
// into true: `filter(_: Predicate)` keeps only rows where the predicate is true.

// Column names resolve exactly first, then case-insensitively; a dotted name (`a.b`)
// reaches into struct fields, a null struct making its fields null.

/// Rows where a predicate is true, false, or null (neither bit set).
private struct TruthBits {
    var isTrue: Bitmap
    var isFalse: Bitmap

    static func of(_ column: Column) throws(ColumnarError) -> TruthBits {
        guard case let .boolean(bits) = column.storage else {
            throw .typeMismatch(expected: "boolean", actual: "\(column.type)", context: "predicate")
        }
        guard let validity = column.validity else { return TruthBits(isTrue: bits, isFalse: ~bits) }
        return TruthBits(isTrue: bits & validity, isFalse: (~bits) & validity)
    }

    static func constant(_ value: Bool, count: Int) -> TruthBits {
        TruthBits(isTrue: Bitmap(repeating: value, count: count), isFalse: Bitmap(repeating: !value, count: count))
    }

    var column: Column {
        let known = isTrue | isFalse
        return .make(.boolean, count: isTrue.count, validity: known, storage: .boolean(isTrue))
    }
}

extension RecordBatch {
    /// The predicate's value for every row as a boolean column: null where SQL says
    /// unknown (a comparison with a null value or a null literal). Throws `.invalidBatch`
    /// for an unknown column and the compare kernel's errors for incomparable types.
    public func evaluate(_ predicate: Predicate) throws(ColumnarError) -> Column {
        try truth(predicate).column
    }

    /// The rows for which `predicate` is true (unknown rows are dropped).
    public func filter(_ predicate: Predicate) throws(ColumnarError) -> RecordBatch {
        try filter(truth(predicate).isTrue)
    }

    /// The column a (possibly dotted) predicate name refers to, nil when absent.
    public func resolveColumn(_ name: String) -> Column? {
        if let index = schema.index(of: name) ?? schema.lookup(name) { return columns[index] }
        var parts = name.split(separator: ".").map(String.init)
        guard parts.count > 1, let top = schema.lookup(parts.removeFirst()) else { return nil }
        var column = columns[top]
        for part in parts {
            guard case let .structure(fields) = column.type, case let .structure(children) = column.storage else { return nil }
            let lowered = part.lowercased()
            guard let f = fields.firstIndex(where: { $0.name == part }) ?? fields.firstIndex(where: { $0.name.lowercased() == lowered }) else {
                return nil
            }
            let child = children[f]
            if let parentValidity = column.validity {
                let validity = child.validity.map { $0 & parentValidity } ?? parentValidity
                column = .make(child.type, count: child.count, validity: validity, storage: child.storage)
            } else {
                column = child
            }
        }
        return column
    }

    private func column(for name: String) throws(ColumnarError) -> Column {
        guard let column = resolveColumn(name) else {
            throw .invalidBatch("predicate names column '\(name)' which the batch does not have (columns: \(schema.names.joined(separator: ", ")))")
        }
        return column
    }

    private func truth(_ predicate: Predicate) throws(ColumnarError) -> TruthBits {
        switch predicate {
        case let .constant(b):
            return .constant(b, count: rowCount)
        case let .comparison(name, op, value):
            return try .of(try column(for: name).compareThreeValued(op, value))
        case let .isNull(name):
            let nulls = try column(for: name).isNull()
            return TruthBits(isTrue: nulls, isFalse: ~nulls)
        case let .isNotNull(name):
            let valid = try column(for: name).isNotNull()
            return TruthBits(isTrue: valid, isFalse: ~valid)
        case let .inList(name, values):
            let column = try column(for: name)
            var result = TruthBits.constant(false, count: rowCount)
            for value in values {
                let one = try TruthBits.of(try column.compareThreeValued(.equal, value))
                result = TruthBits(isTrue: result.isTrue | one.isTrue, isFalse: result.isFalse & one.isFalse)
            }
            return result
        case let .and(a, b):
            let x = try truth(a), y = try truth(b)
            return TruthBits(isTrue: x.isTrue & y.isTrue, isFalse: x.isFalse | y.isFalse)
        case let .or(a, b):
            let x = try truth(a), y = try truth(b)
            return TruthBits(isTrue: x.isTrue | y.isTrue, isFalse: x.isFalse & y.isFalse)
        case let .not(inner):
            let x = try truth(inner)
            return TruthBits(isTrue: x.isFalse, isFalse: x.isTrue)
        }
    }
}
