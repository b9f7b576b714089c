// Lexer: SQL text into tokens — words, quoted names, strings, numbers, symbols —
// skipping whitespace and comments. Must never crash or loop on any input: every
// character is consumed or reported as an error with its location.

/// Turns SQL text into tokens.
public enum Lexer {
    /// Multi-character symbols first so the longest one wins.
    static let symbols: [String] = [
        "<=>", "::", "!=", "<>", "<=", ">=", "||", "==",
        "(", ")", ",", ".", ";", "*", "+", "-", "/", "%", "=", "<", ">", "@", "[", "]", ":",
    ]

    /// The tokens of `text`, ending with one `.end` token.
    /// - Throws: `.syntax` for an unterminated string, quoted name or comment (at its
    ///   start), a malformed number, or a character that starts no token.
    public static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        var scanner = Scanner(Array(text))
        var tokens: [Token] = []
        while true {
            let token = try scanner.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private struct Scanner {
        let chars: [Character]
        var index = 0
        var line = 1
        var column = 1

        init(_ chars: [Character]) { self.chars = chars }

        var location: SourceLocation { SourceLocation(offset: index, line: line, column: column) }

        func peek(_ ahead: Int = 0) -> Character? {
            index + ahead < chars.count ? chars[index + ahead] : nil
        }

        mutating func bump() {
            guard index < chars.count else { return }
            if chars[index].isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        mutating func next() throws(ExpressionError) -> Token {
            try skipTrivia()
            let start = location
            guard let c = peek() else { return Token(kind: .end, text: "", location: start) }
            if c == "'" { return try quoted("'", kind: .string, start: start, what: "string literal") }
            if c == "\"" { return try quoted("\"", kind: .quotedIdentifier, start: start, what: "quoted identifier") }
            if c == "`" { return try quoted("`", kind: .quotedIdentifier, start: start, what: "quoted identifier") }
            if c.isASCII, c.isNumber { return try number(start) }
            if c == ".", let d = peek(1), d.isASCII, d.isNumber { return try number(start) }
            if c == "_" || c.isLetter { return word(start) }
            for symbol in Lexer.symbols where matches(symbol) {
                for _ in 0..<symbol.count { bump() }
                return Token(kind: .symbol, text: symbol, location: start)
            }
            let shown = c.isNewline || c.unicodeScalars.allSatisfy({ $0.value < 32 })
                ? "U+" + String(c.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true)
                : "'\(c)'"
            throw ExpressionError(.syntax, "unexpected character \(shown)", at: start)
        }

        func matches(_ symbol: String) -> Bool {
            var i = 0
            for ch in symbol {
                guard peek(i) == ch else { return false }
                i += 1
            }
            return true
        }

        mutating func skipTrivia() throws(ExpressionError) {
            while let c = peek() {
                if c.isWhitespace {
                    bump()
                } else if c == "-", peek(1) == "-" {
                    while let d = peek(), !d.isNewline { bump() }
                } else if c == "/", peek(1) == "*" {
                    let start = location
                    bump(); bump()
                    var closed = false
                    while let d = peek() {
                        if d == "*", peek(1) == "/" {
                            bump(); bump()
                            closed = true
                            break
                        }
                        bump()
                    }
                    if !closed { throw ExpressionError(.syntax, "unterminated comment: '/*' has no closing '*/'", at: start) }
                } else {
                    return
                }
            }
        }

        /// A quoted token; the quote character doubled inside stands for itself.
        mutating func quoted(_ quote: Character, kind: TokenKind, start: SourceLocation, what: String) throws(ExpressionError) -> Token {
            bump()
            var text = ""
            while true {
                guard let c = peek() else {
                    throw ExpressionError(.syntax, "unterminated \(what): missing closing \(quote)", at: start)
                }
                bump()
                if c == quote {
                    if peek() == quote {
                        text.append(quote)
                        bump()
                        continue
                    }
                    break
                }
                text.append(c)
            }
            if kind == .quotedIdentifier && text.isEmpty {
                throw ExpressionError(.syntax, "empty quoted identifier", at: start)
            }
            return Token(kind: kind, text: text, location: start)
        }

        mutating func digits(into text: inout String) -> Int {
            var n = 0
            while let d = peek(), d.isASCII, d.isNumber {
                text.append(d)
                bump()
                n += 1
            }
            return n
        }

        mutating func number(_ start: SourceLocation) throws(ExpressionError) -> Token {
            var text = ""
            var isDecimal = false
            _ = digits(into: &text)
            if peek() == ".", !(peek(1) == "." ) {
                isDecimal = true
                text.append(".")
                bump()
                _ = digits(into: &text)
            }
            if let e = peek(), e == "e" || e == "E" {
                var probe = 1
                if let sign = peek(1), sign == "+" || sign == "-" { probe = 2 }
                if let d = peek(probe), d.isASCII, d.isNumber {
                    isDecimal = true
                    for _ in 0..<probe {
                        if let ch = peek() { text.append(ch) }
                        bump()
                    }
                    _ = digits(into: &text)
                } else {
                    throw ExpressionError(.syntax, "malformed number '\(text)\(e)': an exponent needs digits", at: start)
                }
            }
            if let c = peek(), c == "_" || c.isLetter || (c.isASCII && c.isNumber) {
                throw ExpressionError(.syntax, "malformed number '\(text)\(c)': a number cannot run into a name", at: start)
            }
            return Token(kind: isDecimal ? .decimal : .integer, text: text, location: start)
        }

        mutating func word(_ start: SourceLocation) -> Token {
            var text = ""
            while let c = peek(), c == "_" || c == "$" || c.isLetter || c.isNumber {
                text.append(c)
                bump()
            }
            return Token(kind: Keywords.isReserved(text) ? .keyword : .identifier, text: text, location: start)
        }
    }
}
