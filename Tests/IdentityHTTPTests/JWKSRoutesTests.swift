import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import Testing

@Suite("JWKS")
struct JWKSRoutesTests {
    /// What a JWKS entry may hold; anything else (private members above all) fails the test.
    static let allowedMembers: Set<String> = ["kty", "use", "kid", "x5t", "n", "e", "x5c", "issuer"]
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]

    private static func keys(_ response: TestResponse) throws -> [[String: Any]] {
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        return try #require(response.jsonObject["keys"] as? [[String: Any]])
    }

    private static func checkPublicRSAKey(_ key: [String: Any], active: LoadedSigningKey,
                                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(Set(key.keys).isSubset(of: allowedMembers), "\(key.keys.sorted())", sourceLocation: sourceLocation)
        for member in privateMembers {
            #expect(key[member] == nil, "\(member)", sourceLocation: sourceLocation)
        }
        #expect(key["kty"] as? String == "RSA", sourceLocation: sourceLocation)
        #expect(key["use"] as? String == "sig", sourceLocation: sourceLocation)
        #expect(key["kid"] as? String == active.record.keyID, sourceLocation: sourceLocation)
        #expect(key["x5t"] as? String == active.x5t, sourceLocation: sourceLocation)
        #expect(key["e"] as? String == "AQAB", sourceLocation: sourceLocation)
        #expect(Base64URL.decode(key["n"] as? String ?? "")?.count == 256, sourceLocation: sourceLocation)
        let chain = try #require(key["x5c"] as? [String], sourceLocation: sourceLocation)
        #expect(chain.count == 1, sourceLocation: sourceLocation)
        let der = try #require(Data(base64Encoded: chain.first ?? ""), sourceLocation: sourceLocation)
        let certificate = try Certificate(der: Array(der))
        #expect(certificate.publicKey == active.privateKey.publicKey, sourceLocation: sourceLocation)
        #expect(Base64URL.encode(certificate.sha1Thumbprint) == key["x5t"] as? String, sourceLocation: sourceLocation)
    }

    @Test func v2KeysArePublicOnlyAndNameTheV2Issuer() async throws {
        let harness = try await HTTPHarness.make()
        let active = try await harness.test.issuer.keyRing.activeKey()
        try await harness.run { client in
            let keys = try Self.keys(try await client.execute(uri: "/contoso/discovery/v2.0/keys", method: .get))
            try #require(keys.count == 1)
            try Self.checkPublicRSAKey(keys[0], active: active)
            #expect(keys[0]["issuer"] as? String == "\(HTTPHarness.base)/\(harness.tenantID)/v2.0")
        }
    }

    @Test func v1KeysArePublicOnly() async throws {
        let harness = try await HTTPHarness.make()
        let active = try await harness.test.issuer.keyRing.activeKey()
        try await harness.run { client in
            let keys = try Self.keys(try await client.execute(uri: "/\(harness.tenantID)/discovery/keys", method: .get))
            try #require(keys.count == 1)
            try Self.checkPublicRSAKey(keys[0], active: active)
            #expect(keys[0]["issuer"] == nil)
        }
    }

    @Test(arguments: ["/common/discovery/v2.0/keys", "/common/discovery/keys", "/organizations/discovery/v2.0/keys"])
    func aliasesServeTheSameKeys(_ path: String) async throws {
        let harness = try await HTTPHarness.make()
        let active = try await harness.test.issuer.keyRing.activeKey()
        try await harness.run { client in
            let keys = try Self.keys(try await client.execute(uri: path, method: .get))
            try #require(keys.count == 1)
            try Self.checkPublicRSAKey(keys[0], active: active)
        }
    }

    @Test func aRotatedKeyStaysPublishedBesideTheNewOne() async throws {
        let harness = try await HTTPHarness.make()
        let old = try await harness.test.issuer.keyRing.activeKey().record.keyID
        let new = try await harness.test.issuer.keyRing.rotate().keyID
        try await harness.run { client in
            let keys = try Self.keys(try await client.execute(uri: "/contoso/discovery/v2.0/keys", method: .get))
            #expect(Set(keys.compactMap { $0["kid"] as? String }) == [old, new])
            #expect(keys.allSatisfy { Set($0.keys).isSubset(of: Self.allowedMembers) })
        }
    }

    @Test func es256KeysArePublishedAsECWithoutPrivateMembers() async throws {
        let harness = try await HTTPHarness.make { $0.signingAlgorithm = .es256 }
        try await harness.run { client in
            let keys = try Self.keys(try await client.execute(uri: "/contoso/discovery/v2.0/keys", method: .get))
            try #require(keys.count == 1)
            #expect(keys[0]["kty"] as? String == "EC")
            #expect(keys[0]["crv"] as? String == "P-256")
            #expect(keys[0]["x"] != nil && keys[0]["y"] != nil)
            for member in Self.privateMembers {
                #expect(keys[0][member] == nil, "\(member)")
            }
        }
    }
}
