// StatementParser: the recursive-descent parser state shared by every statement form —
// the token cursor (shared with TarnExpression's parser), the record of what could have
// come next (for "expected A, B or C" messages), and small helpers for names, numbers and
// strings. Must never recurse without counting nesting on the cursor.
import TarnColumnar
import TarnExpression

struct StatementParser {
    var cursor: TokenCursor
    /// The whole source text as characters (token offsets index into it).
    let characters: [Character]

    /// Alternatives noted at `notedPosition`: what else the grammar would have accepted
    /// at the current token. Primary notes are the clause keywords of the construct being
    /// parsed; secondary ones (list commas, UNION, ORDER BY …) only show when no primary does.
    private var notedPosition = -1
    private var primaryNotes: [String] = []
    private var secondaryNotes: [String] = []
    /// A word just read as an implicit alias that looks like a mistyped keyword, and the
    /// position of the token after it: an error there mentions it.
    private var suspiciousAlias: (position: Int, word: String, keyword: String)?

    /// Nesting levels one query (or subquery) costs on the cursor's budget: a query level
    /// recurses through several parser functions, an expression level through one.
    static let queryNestingCost = 4

    init(tokens: [Token], characters: [Character]) {
        self.cursor = TokenCursor(tokens: tokens)
        self.characters = characters
    }

    var peek: Token { cursor.peek }

    // MARK: Noting alternatives

    mutating func note(_ alternative: String, primary: Bool = true) {
        if notedPosition != cursor.position {
            notedPosition = cursor.position
            primaryNotes = []
            secondaryNotes = []
        }
        if primary {
            if !primaryNotes.contains(alternative) { primaryNotes.append(alternative) }
        } else if !secondaryNotes.contains(alternative) {
            secondaryNotes.append(alternative)
        }
    }

    /// Whether the tokens from the current one spell `words`; notes them as an alternative.
    mutating func check(_ words: String..., primary: Bool = true) -> Bool {
        if cursor.isKeywords(words) { return true }
        note(words.joined(separator: " ").uppercased(), primary: primary)
        return false
    }

    /// Consumes `words` if the tokens from the current one spell them; else notes them.
    mutating func accept(_ words: String..., primary: Bool = true) -> Bool {
        if cursor.isKeywords(words) {
            cursor.position += words.count
            return true
        }
        note(words.joined(separator: " ").uppercased(), primary: primary)
        return false
    }

    /// Consumes `first second` (GROUP BY, ORDER BY, …): once `first` is there, `second`
    /// must follow. Notes the pair when `first` is not there.
    mutating func acceptPair(_ first: String, _ second: String, primary: Bool = true) throws(ExpressionError) -> Bool {
        guard cursor.isKeyword(first) else {
            note(first.uppercased() + " " + second.uppercased(), primary: primary)
            return false
        }
        cursor.advance()
        try expect(second)
        return true
    }

    /// Consumes `symbol` if it is the current token; else notes it.
    mutating func acceptSymbol(_ symbol: String, primary: Bool = false) -> Bool {
        if cursor.consumeSymbol(symbol) { return true }
        note("'\(symbol)'", primary: primary)
        return false
    }

    /// Consumes `words` or fails with "expected WORDS, found …".
    mutating func expect(_ words: String...) throws(ExpressionError) {
        for word in words {
            guard cursor.isKeyword(word) else { throw fail(expected: word.uppercased(), withNotes: false) }
            cursor.advance()
        }
    }

    mutating func expectSymbol(_ symbol: String) throws(ExpressionError) {
        guard cursor.consumeSymbol(symbol) else { throw fail(expected: "'\(symbol)'", withNotes: false) }
    }

    /// "expected X, found Y" at the current token. With `withNotes`, the alternatives noted
    /// at this token come first ("expected WHERE, GROUP BY or end of statement"). A found
    /// word close to an expected keyword adds "did you mean …?".
    func fail(expected: String, withNotes: Bool = true) -> ExpressionError {
        var alternatives: [String] = []
        if withNotes, notedPosition == cursor.position {
            alternatives = primaryNotes.isEmpty ? secondaryNotes : primaryNotes
        }
        if !alternatives.contains(expected) { alternatives.append(expected) }
        var message = "expected \(Self.list(alternatives)), found \(peek)"
        if let hint = hint(for: alternatives) { message += " (\(hint))" }
        return ExpressionError(.syntax, message, at: peek.location)
    }

    /// "A", "A or B", "A, B or C".
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }

    /// A "did you mean" for a mistyped keyword, or the note about an alias that was one.
    private func hint(for alternatives: [String]) -> String? {
        if let suspicious = suspiciousAlias, suspicious.position == cursor.position {
            return "'\(suspicious.word)' was read as an alias; did you mean \(suspicious.keyword)?"
        }
        let token = peek
        guard token.kind == .identifier || token.kind == .keyword else { return nil }
        let words = alternatives.compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.first?.isLetter == true }
        if let match = Self.nearMiss(token.text, among: words) { return "did you mean \(match)?" }
        return nil
    }

    /// The keyword among `keywords` that `word` is a likely typo of (one edit or one swap
    /// of neighbours, words of three letters or more), nil when none or when it is exact.
    static func nearMiss(_ word: String, among keywords: [String]) -> String? {
        let typed = Array(word.uppercased())
        guard typed.count >= 3, typed.count <= 24 else { return nil }
        for keyword in keywords {
            let target = Array(keyword.uppercased())
            if target == typed || target.count < 3 { continue }
            if editDistanceIsOne(typed, target) { return keyword }
        }
        return nil
    }

    /// Whether `a` becomes `b` by one insertion, deletion, substitution or adjacent swap.
    static func editDistanceIsOne(_ a: [Character], _ b: [Character]) -> Bool {
        if a.count == b.count {
            let diffs = (0..<a.count).filter { a[$0] != b[$0] }
            if diffs.count == 1 { return true }
            if diffs.count == 2, diffs[1] == diffs[0] + 1, a[diffs[0]] == b[diffs[1]], a[diffs[1]] == b[diffs[0]] { return true }
            return false
        }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        guard long.count - short.count == 1 else { return false }
        var i = 0, j = 0, skipped = false
        while i < short.count, j < long.count {
            if short[i] == long[j] {
                i += 1
                j += 1
            } else {
                if skipped { return false }
                skipped = true
                j += 1
            }
        }
        return true
    }

    /// Remembers that `word` was read as an alias although it looks like a keyword that
    /// could come next, so an error at the following token can say so.
    mutating func checkSuspiciousAlias(_ word: String, keywords: [String]) {
        if let keyword = Self.nearMiss(word, among: keywords) {
            suspiciousAlias = (cursor.position, word, keyword)
        }
    }

    // MARK: Nesting

    /// Enters one query level; fails (instead of exhausting the stack) past the budget.
    mutating func enterQuery() throws(ExpressionError) {
        for _ in 0..<Self.queryNestingCost {
            do {
                try cursor.enterNesting()
            } catch {
                throw ExpressionError(
                    .syntax,
                    "query nested too deeply (more than \(cursor.maximumDepth / Self.queryNestingCost) levels of subqueries); flatten it, for example with WITH",
                    at: peek.location)
            }
        }
    }

    /// Most links in one left-deep chain (UNION branches, joined tables). Chains are
    /// parsed in a loop, but the tree they build is as deep as they are long, and later
    /// passes (printing, planning, freeing) walk it recursively.
    static let maximumChainLinks = 256

    /// Fails when a chain grows past `maximumChainLinks`.
    func checkChainLength(_ links: Int, _ what: String) throws(ExpressionError) {
        if links > Self.maximumChainLinks {
            throw ExpressionError(.syntax, "too many \(what) in one query (at most \(Self.maximumChainLinks)); split the query up", at: peek.location)
        }
    }

    mutating func leaveQuery() {
        cursor.leaveNesting(Self.queryNestingCost)
    }

    // MARK: Names, numbers, strings

    /// A name: an unreserved word or a quoted name.
    mutating func identifier(_ what: String) throws(ExpressionError) -> String {
        try cursor.parseIdentifier(what: what)
    }

    /// `name` or `(name, name, …)` lists: here the parenthesised form.
    mutating func parenthesizedIdentifiers(_ what: String) throws(ExpressionError) -> [String] {
        try expectSymbol("(")
        var names = [try identifier(what)]
        while cursor.consumeSymbol(",") { names.append(try identifier(what)) }
        try expectSymbol(")")
        return names
    }

    /// Whether the current token is a name written in backticks (not double quotes).
    var isBacktickQuoted: Bool {
        let token = peek
        guard token.kind == .quotedIdentifier else { return false }
        let offset = token.location.offset
        return offset >= 0 && offset < characters.count && characters[offset] == "`"
    }

    /// A string literal's content, or fails naming `what`.
    mutating func stringLiteral(_ what: String) throws(ExpressionError) -> String {
        guard peek.kind == .string else { throw fail(expected: what, withNotes: false) }
        return cursor.advance().text
    }

    /// A non-negative integer literal that fits Int64.
    mutating func integerLiteral(_ what: String) throws(ExpressionError) -> Int64 {
        let token = peek
        guard token.kind == .integer else { throw fail(expected: what, withNotes: false) }
        guard let value = Int64(token.text) else {
            throw ExpressionError(.syntax, "\(what) \(token.text) is too large (at most \(Int64.max))", at: token.location)
        }
        cursor.advance()
        return value
    }

    /// A non-negative number (integer or decimal) as a Double.
    mutating func numberLiteral(_ what: String) throws(ExpressionError) -> Double {
        let token = peek
        guard token.kind == .integer || token.kind == .decimal, let value = Double(token.text), value.isFinite else {
            throw fail(expected: what, withNotes: false)
        }
        cursor.advance()
        return value
    }

    /// A principal name: a word, a quoted name or a string. Unquoted words joined without
    /// spaces by '@', '.' or '-' form one name (`alice@example.com`, `data-eng`).
    mutating func principalName(_ what: String = "a principal name") throws(ExpressionError) -> String {
        let token = peek
        switch token.kind {
        case .string, .quotedIdentifier:
            cursor.advance()
            guard !token.text.isEmpty else { throw ExpressionError(.syntax, "\(what) cannot be empty", at: token.location) }
            return token.text
        case .identifier:
            cursor.advance()
            var name = token.text
            var end = token.location.offset + token.text.count
            while cursor.peek.kind == .symbol, ["@", ".", "-"].contains(cursor.peek.text), cursor.peek.location.offset == end {
                let next = cursor.peek(ahead: 1)
                guard next.kind == .identifier || next.kind == .integer || next.kind == .keyword,
                      next.location.offset == end + 1 else { break }
                name += cursor.peek.text + next.text
                end = next.location.offset + next.text.count
                cursor.advance()
                cursor.advance()
            }
            return name
        case .keyword:
            throw ExpressionError(
                .syntax,
                "expected \(what), found \(token) (a reserved word; write `\(token.text)` to use it as a name)",
                at: token.location)
        default:
            throw fail(expected: what, withNotes: false)
        }
    }

    // MARK: Expressions and types (TarnExpression)

    mutating func expression() throws(ExpressionError) -> Expression {
        try ExpressionParser.parseExpression(&cursor)
    }

    /// `expr, expr, …`.
    mutating func expressionList() throws(ExpressionError) -> [Expression] {
        var items = [try expression()]
        while cursor.consumeSymbol(",") { items.append(try expression()) }
        return items
    }

    mutating func dataType() throws(ExpressionError) -> DataType {
        try ExpressionParser.parseType(&cursor)
    }
}
