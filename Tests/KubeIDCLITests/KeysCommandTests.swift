import Foundation
import Testing

@Suite("kubeid keys")
struct KeysCommandTests {
    @Test func listIsEmptyUntilARotateCreatesTheActiveKey() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let empty = try await kubeid.run(["keys", "list"])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout == "[]\n")

        let rotated = try #require(try await kubeid.json(["keys", "rotate"]) as? [String: Any])
        #expect(rotated["state"] as? String == "active")
        #expect(rotated["alg"] as? String == "RS256")

        let keys = try #require(try await kubeid.json(["keys", "list"]) as? [[String: Any]])
        try #require(keys.count == 1)
        #expect(keys[0]["kid"] as? String == rotated["kid"] as? String)
        #expect(keys[0]["state"] as? String == "active")
        #expect(keys[0]["retired"] is NSNull)

        let again = try #require(try await kubeid.json(["keys", "rotate", "--signing-algorithm", "ES256"]) as? [String: Any])
        #expect(again["alg"] as? String == "ES256")
        let both = try #require(try await kubeid.json(["keys", "list"]) as? [[String: Any]])
        #expect(both.compactMap { $0["state"] as? String }.sorted() == ["active", "retired"])
        #expect(both.first { $0["kid"] as? String == rotated["kid"] as? String }?["state"] as? String == "retired")
    }

    @Test func anUnknownSigningAlgorithmIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["keys", "rotate", "--signing-algorithm", "HS256"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --signing-algorithm must be RS256 or ES256\n")
    }
}
