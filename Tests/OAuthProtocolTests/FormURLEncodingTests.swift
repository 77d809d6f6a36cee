import OAuthProtocol
import Testing

@Suite("Form encoding (WHATWG application/x-www-form-urlencoded)")
struct FormURLEncodingTests {
    @Test func keepsOnlyASCIIAlphanumericsAndStarDashDotUnderscore() {
        #expect(FormURLEncoding.encode("aZ09*-._") == "aZ09*-._")
        #expect(FormURLEncoding.encode("a b") == "a+b")
        #expect(FormURLEncoding.encode("~!'()&=+/?#%") == "%7E%21%27%28%29%26%3D%2B%2F%3F%23%25")
        // Non-ASCII letters are letters to Foundation's CharacterSet.alphanumerics, not here.
        #expect(FormURLEncoding.encode("é ü&=") == "%C3%A9+%C3%BC%26%3D")
        #expect(FormURLEncoding.encode("日本") == "%E6%97%A5%E6%9C%AC")
        #expect(FormURLEncoding.encode([("state", "é ü&="), ("code", "x")]) == "state=%C3%A9+%C3%BC%26%3D&code=x")
    }

    @Test func percentEncodeWritesSpaceAsPercent20AndKeepsWhatItIsTold() {
        #expect(FormURLEncoding.percentEncode("a b~é") == "a%20b~%C3%A9")
        #expect(FormURLEncoding.percentEncode("$top", keeping: ["$"]) == "$top")
        #expect(FormURLEncoding.percentEncode("$top") == "%24top")
    }

    @Test func roundTrips() throws {
        let samples = ["", "plain", "é ü&=", "a+b", "100%", "日本語 text", "\u{1F600}", "line\nbreak", "=&=&"]
        for sample in samples {
            #expect(FormURLEncoding.decodeComponent(FormURLEncoding.encode(sample)) == sample)
        }
        let fields = samples.enumerated().map { ("k\($0.offset) é", $0.element) }
        let decoded = try #require(FormURLEncoding.decode(FormURLEncoding.encode(fields)))
        #expect(decoded.map(\.0) == fields.map(\.0))
        #expect(decoded.map(\.1) == fields.map(\.1))
    }

    @Test func decodingIsStrict() {
        #expect(FormURLEncoding.decodeComponent("a+b%20c") == "a b c")
        #expect(FormURLEncoding.decodeComponent("%e9") == nil)      // not UTF-8
        #expect(FormURLEncoding.decodeComponent("%4") == nil)       // short escape
        #expect(FormURLEncoding.decodeComponent("%zz") == nil)
        #expect(FormURLEncoding.decode("a=1&b=%G0") == nil)
        let pairs = FormURLEncoding.decode("a=1&&b&a=2")
        #expect(pairs?.map(\.0) == ["a", "b", "a"])
        #expect(pairs?.map(\.1) == ["1", "", "2"])
    }
}
