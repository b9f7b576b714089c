// TokenCursor: a position in a token list with the small vocabulary every SQL parser
// uses (peek, consume, expect, identifiers) and the nesting budget that keeps
// recursive parsing bounded. Must never step past the `.end` token.

/// A cursor over tokens ending with `.end`. The expression parser and the statement
/// parser share one cursor, so nesting depth is counted across both.
public struct TokenCursor: Sendable {
    public let tokens: [Token]
    /// Index of the current token; save and restore it to backtrack.
    public var position: Int
    /// Current nesting depth (parentheses, subexpressions, operator chains).
    public private(set) var depth = 0
    /// Deepest nesting allowed before parsing fails with a `.syntax` error.
    public var maximumDepth: Int
    /// Parses the query of a subquery inside an expression (`(SELECT …)`, `EXISTS (…)`,
    /// `x IN (SELECT …)`), called on its first word and returning on the `)` after it.
    /// Set by the SQL layer, which owns queries; nil (the default) makes the expression
    /// parser refuse subqueries.
    public var subqueryParser: SubqueryParser?

    /// See `subqueryParser`.
    public typealias SubqueryParser = @Sendable (inout TokenCursor) throws(ExpressionError) -> any SubqueryPayload

    /// The default nesting budget: deep enough for any real query, shallow enough that
    /// parsing, binding and evaluating recursive trees never exhausts a thread stack.
    public static let defaultMaximumDepth = 256

    public init(tokens: [Token], maximumDepth: Int = TokenCursor.defaultMaximumDepth) {
        // Guarantee the terminating `.end` so `peek` always has a token.
        if let last = tokens.last, last.kind == .end {
            self.tokens = tokens
        } else {
            self.tokens = tokens + [Token(kind: .end, text: "", location: tokens.last?.location ?? .start)]
        }
        self.position = 0
        self.maximumDepth = maximumDepth
    }

    /// Tokenizes `text` and starts at its first token.
    public init(text: String) throws(ExpressionError) {
        self.init(tokens: try Lexer.tokenize(text))
    }

    /// The current token.
    public var peek: Token { tokens[min(position, tokens.count - 1)] }

    /// The token `ahead` positions after the current one (the `.end` token past the end).
    public func peek(ahead: Int) -> Token {
        tokens[max(0, min(position + ahead, tokens.count - 1))]
    }

    public var isAtEnd: Bool { peek.kind == .end }

    /// Whether the token `ahead` positions on starts a query (SELECT, WITH or VALUES).
    public func startsQuery(ahead: Int = 0) -> Bool {
        let token = peek(ahead: ahead)
        return token.isWord("SELECT") || token.isWord("WITH") || token.isWord("VALUES")
    }

    /// Returns the current token and moves past it (never past `.end`).
    @discardableResult
    public mutating func advance() -> Token {
        let token = peek
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Whether the current token is the word `word` (keyword or unquoted identifier, any case).
    public func isKeyword(_ word: String) -> Bool { peek.isWord(word) }

    /// Whether the tokens from the current one spell `words` in order.
    public func isKeywords(_ words: [String]) -> Bool {
        for (i, word) in words.enumerated() where !peek(ahead: i).isWord(word) { return false }
        return true
    }

    /// Consumes `words` if the tokens from the current one spell them in order.
    public mutating func consumeKeyword(_ words: String...) -> Bool {
        guard isKeywords(words) else { return false }
        position = min(position + words.count, tokens.count - 1)
        return true
    }

    /// Consumes `words` in order or throws "expected W, found X".
    public mutating func expectKeyword(_ words: String...) throws(ExpressionError) {
        for word in words {
            guard peek.isWord(word) else { throw error(expected: word.uppercased()) }
            advance()
        }
    }

    /// Whether the current token is the symbol `symbol`.
    public func isSymbol(_ symbol: String) -> Bool { peek.isSymbol(symbol) }

    /// Consumes the symbol `symbol` if it is the current token.
    public mutating func consumeSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        advance()
        return true
    }

    /// Consumes the symbol `symbol` or throws "expected 'S', found X".
    public mutating func expectSymbol(_ symbol: String) throws(ExpressionError) {
        guard consumeSymbol(symbol) else { throw error(expected: "'\(symbol)'") }
    }

    /// Whether the current token can be a name: an unreserved word or a quoted name.
    public var isIdentifier: Bool {
        peek.kind == .identifier || peek.kind == .quotedIdentifier
    }

    /// Consumes a name (unreserved word or quoted name) and returns it as written
    /// (quotes removed). `what` names it in the error: "expected table name, found …".
    /// A reserved word is refused with the remedy of quoting it.
    public mutating func parseIdentifier(what: String) throws(ExpressionError) -> String {
        let token = peek
        switch token.kind {
        case .identifier, .quotedIdentifier:
            advance()
            return token.text
        case .keyword:
            throw ExpressionError(
                .syntax,
                "expected \(what), found \(token) (a reserved word; write \"\(token.text)\" to use it as a name)",
                at: token.location)
        default:
            throw error(expected: what)
        }
    }

    /// A dotted name `a.b.c` (each part a name as in `parseIdentifier`).
    public mutating func parseQualifiedName(what: String) throws(ExpressionError) -> [String] {
        var parts = [try parseIdentifier(what: what)]
        while isSymbol("."), peek(ahead: 1).kind == .identifier || peek(ahead: 1).kind == .quotedIdentifier {
            advance()
            parts.append(try parseIdentifier(what: what))
        }
        return parts
    }

    /// "expected X, found Y" at the current token.
    public func error(expected: String) -> ExpressionError {
        ExpressionError(.syntax, "expected \(expected), found \(peek)", at: peek.location)
    }

    /// Enters one level of nesting; throws when the budget is spent.
    public mutating func enterNesting() throws(ExpressionError) {
        depth += 1
        if depth > maximumDepth {
            throw ExpressionError(
                .syntax,
                "expression nested too deeply (more than \(maximumDepth) levels); simplify it or split it up",
                at: peek.location)
        }
    }

    /// Leaves `levels` levels of nesting entered with `enterNesting`.
    public mutating func leaveNesting(_ levels: Int = 1) {
        depth = max(0, depth - levels)
    }
}
