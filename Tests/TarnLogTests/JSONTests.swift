// JSONTests: the log's JSON parser and writer.
import Testing
@testable import TarnLog

@Suite("JSON")
struct JSONTests {
    @Test("integers keep full Int64 precision and other numbers keep their text")
    func numbers() throws {
        let v = try JSONParser.parse(#"{"a":9223372036854775807,"b":-9223372036854775808,"c":1.10,"d":18446744073709551616,"e":1e3}"#)
        #expect(v["a"] == .int(Int64.max))
        #expect(v["b"] == .int(Int64.min))
        #expect(v["c"] == .number("1.10"))
        #expect(v["d"] == .number("18446744073709551616"))
        #expect(v["e"]?.doubleValue == 1000)
        #expect(JSONWriter.string(v) == #"{"a":9223372036854775807,"b":-9223372036854775808,"c":1.10,"d":18446744073709551616,"e":1e3}"#)
    }

    @Test("strings decode escapes and surrogate pairs and re-encode on one line")
    func strings() throws {
        let v = try JSONParser.parse(#"["a\"b\\c\n\t\u00e9\ud83d\ude00/\/"]"#)
        #expect(v == .array([.string("a\"b\\c\n\té😀//")]))
        let text = JSONWriter.string(.string("line\nbreak\u{01}"))
        #expect(text == #""line\nbreak\u0001""#)
        #expect(try JSONParser.parse(text) == .string("line\nbreak\u{01}"))
    }

    @Test("malformed input is an error with an offset, never a crash", arguments: [
        "", "{", "[1,", #"{"a" 1}"#, #""abc"#, "tru", "01", "1.", "-", #"{"a":1}x"#, #""\ud800""#,
        String(repeating: "[", count: 1000), "\u{01}", #""\x""#,
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test("object members keep their order")
    func order() throws {
        let v = try JSONParser.parse(#"{"z":1,"a":2,"m":null}"#)
        #expect(v.members?.map(\.key) == ["z", "a", "m"])
    }
}
