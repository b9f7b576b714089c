// Lexer: every token kind, comments, quoting, and errors with their locations.
import Testing
import TarnExpression

@Suite("Lexer")
struct LexerTests {
    private func kinds(_ text: String) throws -> [TokenKind] {
        try Lexer.tokenize(text).map(\.kind)
    }

    @Test("each token kind is recognised with its text", arguments: [
        ("orders", TokenKind.identifier, "orders"),
        ("_x$1", .identifier, "_x$1"),
        ("SeLeCt", .keyword, "SeLeCt"),
        ("timestamp", .identifier, "timestamp"),
        ("\"Mixed Case\"", .quotedIdentifier, "Mixed Case"),
        ("\"a\"\"b\"", .quotedIdentifier, "a\"b"),
        ("`back tick`", .quotedIdentifier, "back tick"),
        ("'it''s'", .string, "it's"),
        ("''", .string, ""),
        ("42", .integer, "42"),
        ("3.25", .decimal, "3.25"),
        (".5", .decimal, ".5"),
        ("1e10", .decimal, "1e10"),
        ("2.5E-3", .decimal, "2.5E-3"),
        ("7.", .decimal, "7."),
    ])
    func tokenKind(text: String, kind: TokenKind, value: String) throws {
        let tokens = try Lexer.tokenize(text)
        #expect(tokens.count == 2)
        #expect(tokens[0].kind == kind)
        #expect(tokens[0].text == value)
        #expect(tokens[1].kind == .end)
    }

    @Test("every symbol lexes as one token, longest match first")
    func symbols() throws {
        let all = ["(", ")", ",", ".", ";", "*", "+", "-", "/", "%", "=", "!=", "<>", "<", "<=", ">", ">=",
                   "||", "::", "@", "[", "]", ":", "<=>", "=="]
        let tokens = try Lexer.tokenize(all.joined(separator: " "))
        #expect(tokens.dropLast().map(\.text) == all)
        #expect(tokens.dropLast().allSatisfy { $0.kind == .symbol })
        #expect(try Lexer.tokenize("a<=b").map(\.text) == ["a", "<=", "b", ""])
        #expect(try Lexer.tokenize("x::int").map(\.text) == ["x", "::", "int", ""])
    }

    @Test("comments are skipped; locations count lines and columns in characters")
    func commentsAndLocations() throws {
        let text = "a -- comment\n  /* block\n comment */ é+b"
        let tokens = try Lexer.tokenize(text)
        #expect(tokens.map(\.text) == ["a", "é", "+", "b", ""])
        #expect(tokens[1].location == SourceLocation(offset: 36, line: 3, column: 13))
        #expect(tokens[3].location.column == 15)
        #expect(try kinds("-- only a comment") == [.end])
    }

    @Test("unterminated strings, quoted names and comments are errors at their start", arguments: [
        ("select 'abc", 1, 8, "unterminated string literal"),
        ("a +\n  \"name", 2, 3, "unterminated quoted identifier"),
        ("x /* never closed", 1, 3, "unterminated comment"),
        ("`open", 1, 1, "unterminated quoted identifier"),
    ])
    func unterminated(text: String, line: Int, column: Int, message: String) {
        #expect {
            try Lexer.tokenize(text)
        } throws: { error in
            guard let e = error as? ExpressionError else { return false }
            return e.kind == .syntax && e.location?.line == line && e.location?.column == column && e.message.contains(message)
        }
    }

    @Test("bad characters and malformed numbers are syntax errors", arguments: ["a ? b", "1e", "12abc", "a # b", "\"\""])
    func badInput(text: String) {
        #expect(throws: ExpressionError.self) { try Lexer.tokenize(text) }
    }

    @Test("reserved words are keywords; other words stay identifiers")
    func keywords() throws {
        let tokens = try Lexer.tokenize("select count from date where version")
        #expect(tokens.map(\.kind) == [.keyword, .identifier, .keyword, .identifier, .keyword, .keyword, .end])
        #expect(Keywords.isReserved("Between"))
        #expect(!Keywords.isReserved("timestamp"))
    }

    @Test("rendered errors show the line and a caret under the column")
    func rendered() {
        let error = ExpressionError(.syntax, "expected ')', found end of input", at: SourceLocation(offset: 14, line: 2, column: 5))
        #expect(error.rendered(source: "select\n a + (b") == """
            line 2, column 5: expected ')', found end of input
             a + (b
                ^
            """)
        #expect(error.description == "line 2, column 5: expected ')', found end of input")
    }
}
