// TokenCursor: peeking, keyword sequences, identifiers and its error messages.
import Testing
import TarnExpression

@Suite("Token cursor")
struct TokenCursorTests {
    @Test("keywords match any case and sequences are consumed only whole")
    func keywordSequences() throws {
        var cursor = try TokenCursor(text: "version as of 3")
        #expect(cursor.isKeyword("VERSION"))
        let partial = cursor.consumeKeyword("VERSION", "AS", "AT")
        #expect(!partial)
        #expect(cursor.position == 0)
        let whole = cursor.consumeKeyword("VERSION", "AS", "OF")
        #expect(whole)
        #expect(cursor.peek.kind == .integer)
        #expect(cursor.peek(ahead: 5).kind == .end)
        cursor.advance()
        cursor.advance()
        #expect(cursor.isAtEnd)
        let last = cursor.advance()
        #expect(last.kind == .end)
    }

    @Test("parseIdentifier takes names and refuses reserved words with a remedy")
    func identifiers() throws {
        var cursor = try TokenCursor(text: "orders \"select\" from")
        #expect(try cursor.parseIdentifier(what: "table name") == "orders")
        #expect(try cursor.parseIdentifier(what: "table name") == "select")
        #expect {
            try cursor.parseIdentifier(what: "table name")
        } throws: { error in
            (error as? ExpressionError)?.message == "expected table name, found keyword FROM (a reserved word; write \"from\" to use it as a name)"
        }
    }

    @Test("expectations say what was expected and what was found")
    func expectations() throws {
        var cursor = try TokenCursor(text: "a b")
        let consumed = cursor.consumeSymbol("(")
        #expect(consumed == false)
        #expect {
            try cursor.expectSymbol("(")
        } throws: { error in
            let e = error as? ExpressionError
            return e?.message == "expected '(', found identifier a" && e?.location?.column == 1
        }
        #expect {
            try cursor.expectKeyword("FROM")
        } throws: { error in (error as? ExpressionError)?.message == "expected FROM, found identifier a" }
        #expect(try cursor.parseQualifiedName(what: "name") == ["a"])
        var dotted = try TokenCursor(text: "ns.\"T\".c")
        #expect(try dotted.parseQualifiedName(what: "name") == ["ns", "T", "c"])
    }
}
