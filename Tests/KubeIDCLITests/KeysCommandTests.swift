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

        let again = try #require(try await kubeid.json(["keys", "rotate", "--now", "--signing-algorithm", "ES256"]) as? [String: Any])
        #expect(again["alg"] as? String == "ES256")
        let both = try #require(try await kubeid.json(["keys", "list"]) as? [[String: Any]])
        #expect(both.compactMap { $0["state"] as? String }.sorted() == ["active", "retired"])
        #expect(both.first { $0["kid"] as? String == rotated["kid"] as? String }?["state"] as? String == "retired")
    }

    @Test func rotateWithoutNowPrepublishesTheNextKey() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let first = try #require(try await kubeid.json(["keys", "rotate"]) as? [String: Any])
        #expect(first["state"] as? String == "active")

        let next = try #require(try await kubeid.json(["keys", "rotate", "--key-prepublish", "36h"]) as? [String: Any])
        #expect(next["state"] as? String == "pending")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func date(_ value: Any?) -> Date? { (value as? String).flatMap { formatter.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) } }
        let created = try #require(date(next["created"]))
        let activated = try #require(date(next["activated"]))
        #expect(abs(activated.timeIntervalSince(created) - 36 * 3600) < 1)

        let keys = try #require(try await kubeid.json(["keys", "list"]) as? [[String: Any]])
        #expect(keys.compactMap { $0["state"] as? String } == ["active", "pending"])
        // The key still signing retires exactly when the pending one takes over.
        #expect(date(keys[0]["retired"]) == activated)

        // An emergency rotation overtakes the pending key: it never signs.
        let emergency = try #require(try await kubeid.json(["keys", "rotate", "--now"]) as? [String: Any])
        #expect(emergency["state"] as? String == "active")
        let after = try #require(try await kubeid.json(["keys", "list"]) as? [[String: Any]])
        #expect(after.compactMap { $0["state"] as? String } == ["retired", "cancelled", "active"])
    }

    @Test(arguments: [
        (["--key-prepublish", "two days"], "Error: --key-prepublish must be a duration such as 42d, 48h, 90m or 30s (got two days)\n"),
        (["--key-rotation-interval=-1d"], "Error: --key-rotation-interval must be a duration such as 42d, 48h, 90m or 30s (got -1d)\n"),
        (["--key-rotation-interval", "1d", "--key-prepublish", "2d"],
         "Error: --key-rotation-interval (86400 s) must be longer than --key-prepublish (172800 s)\n"),
    ])
    func badRotationDurationsAreRefused(_ flags: [String], _ message: String) async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["keys", "rotate"] + flags)
        #expect(result.status == 1)
        #expect(result.stderr == message)
    }

    @Test func anUnknownSigningAlgorithmIsRefused() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let result = try await kubeid.run(["keys", "rotate", "--signing-algorithm", "HS256"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: --signing-algorithm must be RS256 or ES256\n")
    }
}
