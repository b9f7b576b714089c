// SQLParser: the entry point from SQL text to statements. Splits a script at top-level
// ';' (strings, quoted names and comments are tokens, so a ';' inside them never splits),
// parses each statement and keeps its own text. Must never execute anything, and never
// crash or recurse without bound on any input: every failure is a located SQLError.
import TarnExpression

/// Parses SQL scripts into statements.
public enum SQLParser {
    /// Parses `text`: statements separated by `;`, a trailing `;` optional, empty statements
    /// (`;;`, comments only) skipped.
    ///
    /// - Throws: `SQLError` of kind `.syntax` (or `.unsupported` for recognised but
    ///   unimplemented forms) at the first error, with its location in `text`, the failing
    ///   statement's text, and what was expected there. Nothing is returned on error.
    public static func parse(_ text: String) throws(SQLError) -> [ParsedStatement] {
        let characters = Array(text)
        let tokens: [Token]
        do throws(ExpressionError) {
            tokens = try Lexer.tokenize(text)
        } catch {
            let (ownText, start) = statementText(around: error.location, in: characters)
            throw sqlError(error, statementText: ownText, statementLocation: start)
        }
        var parser = StatementParser(tokens: tokens, characters: characters)
        parser.cursor.subqueryParser = subqueryParser(characters)
        var statements: [ParsedStatement] = []
        while true {
            while parser.cursor.consumeSymbol(";") {}
            if parser.cursor.isAtEnd { return statements }
            let startIndex = parser.cursor.position
            let first = parser.peek
            do throws(ExpressionError) {
                let statement = try parser.statement()
                if !parser.cursor.isSymbol(";") && !parser.cursor.isAtEnd {
                    throw parser.fail(expected: "end of statement")
                }
                let lastIndex = parser.cursor.position - 1
                let end = tokenEnd(tokens[max(startIndex, lastIndex)], in: characters)
                let ownText = String(characters[first.location.offset..<max(first.location.offset, end)])
                statements.append(ParsedStatement(statement: statement, text: ownText, location: first.location))
            } catch {
                let end = statementEnd(from: startIndex, tokens: tokens, characters: characters)
                let ownText = String(characters[first.location.offset..<max(first.location.offset, end)])
                throw sqlError(error, statementText: ownText, statementLocation: first.location)
            }
        }
    }

    /// Parses text that must hold exactly one statement (a trailing `;` allowed).
    /// - Throws: `SQLError` as `parse`, and `.syntax` when there are none or several.
    public static func parseStatement(_ text: String) throws(SQLError) -> Statement {
        let statements = try parse(text)
        guard statements.count == 1, let only = statements.first else {
            throw SQLError(.syntax, statements.isEmpty ? "expected a statement, found none"
                           : "expected one statement, found \(statements.count); run them one by one or as a script",
                           location: statements.dropFirst().first?.location, statementText: text, statementLocation: .start)
        }
        return only.statement
    }

    /// Parses text that must be exactly one query (`SELECT …`, `WITH …`, `VALUES …`).
    /// - Throws: `SQLError` as `parseStatement`, and `.syntax` when it is another statement.
    public static func parseQuery(_ text: String) throws(SQLError) -> Query {
        let statement = try parseStatement(text)
        guard case let .query(query) = statement else {
            throw SQLError(.syntax, "expected a query (SELECT, WITH or VALUES), found \(statement.kindName)", statementText: text)
        }
        return query
    }

    /// Whether `text` ends a statement, for an interactive shell collecting lines: the last
    /// token is a `;` outside strings, quoted names and comments. Text with an unterminated
    /// string, quoted name or block comment is not complete; other lexical errors are
    /// (so that running it reports them).
    public static func isComplete(_ text: String) -> Bool {
        do {
            let tokens = try Lexer.tokenize(text)
            return tokens.dropLast().last?.isSymbol(";") ?? false
        } catch {
            return !error.message.hasPrefix("unterminated")
        }
    }

    // MARK: Helpers

    /// The SQLError for a parse failure (syntax, or unsupported when the parser said so).
    static func sqlError(_ error: ExpressionError, statementText: String?, statementLocation: SourceLocation?) -> SQLError {
        let kind: SQLError.Kind = error.kind == .unsupported ? .unsupported : .syntax
        var expected: String?
        if error.message.hasPrefix("expected "), let range = error.message.firstRange(of: ", found ") {
            expected = String(error.message[error.message.index(error.message.startIndex, offsetBy: 9)..<range.lowerBound])
        }
        return SQLError(kind, error.message, location: error.location, statementText: statementText,
                        statementLocation: statementLocation, expected: expected, cause: error)
    }

    /// How expressions parse the query of a subquery (`(SELECT …)`, `EXISTS (…)`,
    /// `IN (SELECT …)`): a statement parser continues on the same cursor (nesting budget
    /// included) and hands the Query back as the expression's opaque payload.
    static func subqueryParser(_ characters: [Character]) -> TokenCursor.SubqueryParser {
        { (cursor: inout TokenCursor) throws(ExpressionError) -> any SubqueryPayload in
            var parser = StatementParser(tokens: [], characters: characters)
            parser.cursor = cursor
            let query = try parser.query()
            cursor = parser.cursor
            return query
        }
    }

    /// The offset just past `token` in the source (quoted tokens are re-scanned, since
    /// their text is unescaped).
    static func tokenEnd(_ token: Token, in characters: [Character]) -> Int {
        let start = token.location.offset
        switch token.kind {
        case .end:
            return start
        case .string, .quotedIdentifier:
            guard start < characters.count else { return start }
            let quote = characters[start]
            var i = start + 1
            while i < characters.count {
                if characters[i] == quote {
                    if i + 1 < characters.count, characters[i + 1] == quote {
                        i += 2
                        continue
                    }
                    return i + 1
                }
                i += 1
            }
            return characters.count
        default:
            return min(characters.count, start + token.text.count)
        }
    }

    /// Where the statement starting at token `startIndex` ends: before the next top-level
    /// `;`, else at the end of the text (for error messages after a failed parse).
    static func statementEnd(from startIndex: Int, tokens: [Token], characters: [Character]) -> Int {
        var depth = 0
        var last = tokens[startIndex]
        for token in tokens[startIndex...] {
            if token.kind == .end { break }
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth = max(0, depth - 1) }
            if token.isSymbol(";"), depth == 0 { break }
            last = token
        }
        return tokenEnd(last, in: characters)
    }

    /// For a lexer error: the text from the `;` before the location to the `;` after it (as
    /// well as can be told without tokens), trimmed, and where that text starts.
    static func statementText(around location: SourceLocation?, in characters: [Character]) -> (String, SourceLocation) {
        guard let location, location.offset <= characters.count else { return (String(characters), .start) }
        var start = location.offset
        while start > 0, characters[start - 1] != ";" { start -= 1 }
        var end = location.offset
        while end < characters.count, characters[end] != ";" { end += 1 }
        while start < end, characters[start].isWhitespace { start += 1 }
        while end > start, characters[end - 1].isWhitespace { end -= 1 }
        return (String(characters[start..<end]), Self.location(ofOffset: start, in: characters))
    }

    /// Line and column of a character offset, counted as the lexer counts them.
    static func location(ofOffset offset: Int, in characters: [Character]) -> SourceLocation {
        var line = 1
        var column = 1
        for character in characters.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(offset: offset, line: line, column: column)
    }
}
