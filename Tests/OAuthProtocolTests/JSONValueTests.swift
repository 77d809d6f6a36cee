import Foundation
import OAuthProtocol
import Testing

@Suite("Ordered JSON serialisation")
struct JSONValueTests {
    private static func text(_ value: JSONValue) -> String { String(decoding: value.serialized(), as: UTF8.self) }

    @Test func membersKeepTheirOrderAndIntegersHaveNoFraction() {
        let value = JSONValue.object([("z", .integer(3600)), ("a", .number(0.5)), ("m", .bool(true)), ("n", .null),
                                      ("list", .strings(["x", "y"]))])
        #expect(Self.text(value) == #"{"z":3600,"a":0.5,"m":true,"n":null,"list":["x","y"]}"#)
    }

    @Test(arguments: [
        ("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", #""eyJhbGciOiJSUzI1NiJ9.e30.c2ln""#),
        ("Grüße / 日本", #""Grüße / 日本""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"C:\path"#, #""C:\\path""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("bell\u{07}nul\u{00}", #""bell\u0007nul\u0000""#),
        ("", #""""#),
    ])
    func stringsAreEscapedExactlyWhereJSONRequires(_ input: String, _ expected: String) throws {
        let text = Self.text(.string(input))
        #expect(text == expected)
        // And a standard parser reads back the same string.
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == input)
    }
}
