// BindingScope: the columns an expression may name, in the order of the batches it
// will be evaluated on, and the rules that resolve a written name to one of them.
// Must never guess: a name that fits no column or more than one is an error.

import TarnColumnar

/// One column visible to an expression: column `i` of the scope is column `i` of the
/// batches the bound expression is evaluated on.
public struct ScopeColumn: Sendable, Hashable {
    /// The table name or alias the column can be qualified with (`o` in `o.amount`);
    /// may be dotted (`sales.orders`), then its last part also qualifies.
    public var qualifier: String?
    public var name: String
    public var type: DataType
    public var nullable: Bool
    /// Reachable only by a qualified name (`l.id`): a join's USING input columns, which
    /// the unqualified name (`id`) leaves to the merged output column.
    public var qualifiedOnly: Bool

    public init(qualifier: String? = nil, name: String, type: DataType, nullable: Bool = true, qualifiedOnly: Bool = false) {
        self.qualifier = qualifier
        self.name = name
        self.type = type
        self.nullable = nullable
        self.qualifiedOnly = qualifiedOnly
    }
}

/// The columns an expression is bound against.
public struct BindingScope: Sendable {
    public var columns: [ScopeColumn]

    public init(_ columns: [ScopeColumn]) {
        self.columns = columns
    }

    /// Every field of `schema`, optionally qualified.
    public init(schema: Schema, qualifier: String? = nil) {
        self.columns = schema.fields.map { ScopeColumn(qualifier: qualifier, name: $0.name, type: $0.type, nullable: $0.nullable) }
    }

    /// The scope of `self` followed by `other` (a join's two sides).
    public func appending(_ other: BindingScope) -> BindingScope {
        BindingScope(columns + other.columns)
    }

    /// What a dotted name resolves to: a scope column and any struct fields below it.
    public struct Resolution: Sendable, Hashable {
        public var index: Int
        /// Struct field names to descend into, in order (empty for a plain column).
        public var fieldPath: [String]
    }

    /// Resolves `parts` (`["amount"]`, `["o", "amount"]`, `["o", "address", "city"]`),
    /// matching names case-insensitively. Qualified readings are tried before reading
    /// the first part as a struct column.
    /// - Throws: `.unknownColumn` (with the closest name as a suggestion) or
    ///   `.ambiguousColumn` (naming the candidates), at `location`.
    public func resolve(_ parts: [String], at location: SourceLocation? = nil) throws(ExpressionError) -> Resolution {
        guard !parts.isEmpty else { throw ExpressionError(.unknownColumn, "empty column name", at: location) }
        // Longest qualifier first: ["a", "b", "c"] may be qualifier "a.b" + column c,
        // qualifier "a" + column b + field c, or column a + fields b, c.
        for split in stride(from: parts.count - 1, through: 0, by: -1) {
            let qualifier = parts[..<split].joined(separator: ".")
            let name = parts[split]
            let matches = columns.indices.filter { i in
                columns[i].name.equalsIgnoringCase(name)
                    && (split == 0 ? !columns[i].qualifiedOnly : qualifies(columns[i].qualifier, qualifier))
            }
            if matches.count > 1 {
                // An exact-case match settles it when it is unique.
                let exact = matches.filter { columns[$0].name == name }
                if exact.count == 1 { return Resolution(index: exact[0], fieldPath: Array(parts[(split + 1)...])) }
                let candidates = matches.map { i in (columns[i].qualifier.map { $0 + "." } ?? "") + columns[i].name }
                throw ExpressionError(
                    .ambiguousColumn,
                    "column name '\(parts.joined(separator: "."))' is ambiguous: it matches \(candidates.joined(separator: ", ")); qualify it with its table",
                    at: location)
            }
            if let only = matches.first { return Resolution(index: only, fieldPath: Array(parts[(split + 1)...])) }
        }
        var message = "unknown column '\(parts.joined(separator: "."))'"
        if let suggestion = suggestion(for: parts) { message += " (did you mean '\(suggestion)'?)" }
        if columns.isEmpty { message += "; no columns are in scope here" }
        throw ExpressionError(.unknownColumn, message, at: location)
    }

    private func qualifies(_ qualifier: String?, _ written: String) -> Bool {
        guard let qualifier else { return false }
        if qualifier.equalsIgnoringCase(written) { return true }
        if let last = qualifier.split(separator: ".").last { return String(last).equalsIgnoringCase(written) }
        return false
    }

    /// The closest visible name (edit distance), if close enough to be a likely typo.
    private func suggestion(for parts: [String]) -> String? {
        let written = parts.joined(separator: ".").lowercased()
        var best: (String, Int)? = nil
        for column in columns {
            let plain = column.name
            let qualified = column.qualifier.map { $0 + "." + plain } ?? plain
            for candidate in Set([plain, qualified]) {
                let d = editDistance(written, candidate.lowercased())
                if best == nil || d < best?.1 ?? Int.max { best = (candidate, d) }
            }
        }
        guard let (name, distance) = best, distance <= max(2, written.count / 3) else { return nil }
        return name
    }
}

/// Levenshtein distance over characters (names are short; capped work).
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.prefix(64)), y = Array(b.prefix(64))
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

extension String {
    /// Case-insensitive equality (Unicode lower-casing; names may be non-ASCII).
    func equalsIgnoringCase(_ other: String) -> Bool {
        if self == other { return true }
        if utf8.count == other.utf8.count, equalsIgnoringASCIICase(other) { return true }
        return lowercased() == other.lowercased()
    }
}
