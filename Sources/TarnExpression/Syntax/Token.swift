// Token and TokenKind: the words, literals and symbols SQL text is made of, and the
// small set of reserved words. Owns what counts as a keyword; must never decide what
// a token means in the grammar (that is the parsers' job).

/// What kind of token a `Token` is.
public enum TokenKind: String, Sendable, Hashable {
    /// An unquoted word that is not reserved (`orders`, `count`, `timestamp`).
    case identifier
    /// A `"double"` or `` `backtick` `` quoted name; `text` is the unescaped name.
    case quotedIdentifier
    /// An unquoted reserved word (`SELECT`, `and`); `text` is as written.
    case keyword
    /// A `'single quoted'` string; `text` is the unescaped content.
    case string
    /// Digits only (`42`); `text` is the digits.
    case integer
    /// A number with a point or an exponent (`1.5`, `.5`, `1e10`); `text` as written.
    case decimal
    /// An operator or punctuation (`(`, `<=`, `||`, `::`); `text` is the symbol.
    case symbol
    /// End of input (always the last token).
    case end
}

/// One token with its text and where it starts.
public struct Token: Sendable, Hashable, CustomStringConvertible {
    public var kind: TokenKind
    public var text: String
    public var location: SourceLocation

    public init(kind: TokenKind, text: String, location: SourceLocation) {
        self.kind = kind
        self.text = text
        self.location = location
    }

    /// Whether this is the word `word` (unquoted identifier or keyword, any case).
    public func isWord(_ word: String) -> Bool {
        (kind == .identifier || kind == .keyword) && text.equalsIgnoringASCIICase(word)
    }

    /// Whether this is the symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }

    /// How the token reads in an error message: `keyword FROM`, `'abc'`, `end of input`.
    public var description: String {
        switch kind {
        case .identifier: return "identifier \(text)"
        case .quotedIdentifier: return "identifier \"\(text)\""
        case .keyword: return "keyword \(text.uppercased())"
        case .string: return "string '\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
        case .integer, .decimal: return "number \(text)"
        case .symbol: return "'\(text)'"
        case .end: return "end of input"
        }
    }
}

/// The reserved words: unquoted, they are never column or table names (quote them to
/// use them as names). Everything else — `date`, `timestamp`, `count`, `key` — stays
/// an identifier, and the grammar recognises it by position.
public enum Keywords {
    public static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "BY", "LIMIT", "OFFSET",
        "UNION", "JOIN", "ON", "AND", "OR", "NOT", "AS", "CASE", "WHEN", "THEN", "ELSE",
        "END", "IS", "NULL", "IN", "BETWEEN", "LIKE", "ILIKE", "TRUE", "FALSE", "DISTINCT",
        "ALL", "WITH", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "USING", "VERSION",
    ]

    /// Reserved words that an expression still reads as a column name when no other
    /// reading fits (`SELECT version FROM history`).
    public static let columnNamesToo: Set<String> = ["VERSION"]

    /// Whether `word` (any case) is reserved.
    public static func isReserved(_ word: String) -> Bool {
        reserved.contains(word.uppercased())
    }
}

extension String {
    /// ASCII case-insensitive equality (SQL keywords are ASCII).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            let lx = (x >= 65 && x <= 90) ? x + 32 : x
            let ly = (y >= 65 && y <= 90) ? y + 32 : y
            if lx != ly { return false }
        }
        return true
    }
}
