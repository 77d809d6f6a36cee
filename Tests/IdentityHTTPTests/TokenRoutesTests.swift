import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import NIOCore
import Testing
import OAuthProtocol

@Suite("Token endpoint over HTTP")
struct TokenRoutesTests {
    private static func expectNoStore(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        #expect(response.headers[.cacheControl] == "no-store, no-cache", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPHarness.pragma] == "no-cache", sourceLocation: sourceLocation)
    }

    @Test func v2ResponseHasIntegerLifetimesAndNothingElse() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields())
            #expect(response.status == .ok)
            Self.expectNoStore(response)
            let json = response.jsonObject
            #expect(Set(json.keys) == ["token_type", "expires_in", "ext_expires_in", "access_token"])
            #expect(json["token_type"] as? String == "Bearer")
            let expiresIn = try #require(json["expires_in"] as? Int)
            #expect(!(json["expires_in"] is String))
            #expect(json["ext_expires_in"] as? Int == expiresIn)
            #expect((3600...5400).contains(expiresIn))
            #expect(response.text.contains("\"expires_in\":\(expiresIn),"))

            let token = try #require(json["access_token"] as? String)
            for engine in [JWTEngine.libjwt, .openSSL] {
                let claims = try await harness.test.verify(token, audience: HTTPHarness.aksServer,
                                                           tenantID: harness.tenantID, version: 1, engine: engine)
                #expect(claims.string("appid") == harness.pipelineID)
                #expect(claims.string("oid") == harness.fixture.pipeline.servicePrincipal.objectID)
                #expect(Int(claims.expiresAt?.timeIntervalSince1970 ?? 0)
                        == Int(harness.test.clock.now().timeIntervalSince1970) + expiresIn)
            }
        }
    }

    @Test(arguments: ["/contoso/oauth2/token", "/contoso/oauth2/token?api-version=1.0"])
    func v1ResponseHasStringNumbersExpiresOnAndResource(_ path: String) async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.postForm(path, [
                ("grant_type", "client_credentials"), ("client_id", harness.pipelineID),
                ("client_secret", harness.pipelineSecret), ("resource", HTTPHarness.aksServer)])
            #expect(response.status == .ok)
            Self.expectNoStore(response)
            let json = response.jsonObject
            #expect(Set(json.keys) == ["token_type", "expires_in", "ext_expires_in", "expires_on", "not_before",
                                       "resource", "access_token"])
            #expect(json["token_type"] as? String == "Bearer")
            #expect(json["resource"] as? String == HTTPHarness.aksServer)
            let expiresIn = try #require(Int(json["expires_in"] as? String ?? ""))
            let expiresOn = try #require(Int(json["expires_on"] as? String ?? ""))
            let notBefore = try #require(Int(json["not_before"] as? String ?? ""))
            #expect(json["ext_expires_in"] as? String == String(expiresIn))
            #expect(notBefore == Int(harness.test.clock.now().timeIntervalSince1970))
            #expect(expiresOn == notBefore + expiresIn)

            let token = try #require(json["access_token"] as? String)
            for engine in [JWTEngine.libjwt, .openSSL] {
                let claims = try await harness.test.verify(token, audience: HTTPHarness.aksServer,
                                                           tenantID: harness.tenantID, version: 1, engine: engine)
                #expect(claims.expiresAt?.timeIntervalSince1970 == Double(expiresOn))
                #expect(claims.string("ver") == "1.0")
            }
        }
    }

    @Test func basicAuthenticationWorks() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.postForm(
                "/contoso/oauth2/v2.0/token", [("grant_type", "client_credentials"), ("scope", HTTPHarness.aksScope)],
                basic: (harness.pipelineID, harness.pipelineSecret))
            #expect(response.status == .ok)
            let token = try #require(response.jsonObject["access_token"] as? String)
            let claims = try await harness.test.verify(token, audience: HTTPHarness.aksServer, tenantID: harness.tenantID)
            #expect(claims.string("appid") == harness.pipelineID)
            #expect(claims.string("appidacr") == "1")
        }
    }

    @Test(arguments: ["Basic !!!not-base64!!!", "Basic \(Data("no-colon".utf8).base64EncodedString())",
                      "Basic \(Data("id:%zz".utf8).base64EncodedString())"])
    func malformedBasicCredentialsAre400(_ authorization: String) async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields(),
                                                     headers: [.authorization: authorization])
            expectEntraError(response, status: .badRequest, error: "invalid_request", code: 90014)
        }
    }

    @Test func badSecretIs401WithErrorCode7000215() async throws {
        let harness = try await HTTPHarness.make()
        let correlation = "0b4e6c1a-2f3d-4e5a-9b7c-8d1e2f3a4b5c"
        try await harness.run { client in
            let response = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields(secret: "wrong"),
                                                     headers: [HTTPHarness.clientRequestID: correlation])
            let json = expectEntraError(response, status: .unauthorized, error: "invalid_client", code: 7000215,
                                        correlationID: correlation)
            #expect((json["error_description"] as? String)?.contains(harness.pipelineID) == true)
            #expect(json["access_token"] == nil)
        }
    }

    @Test(arguments: ["application/json", "text/plain", "multipart/form-data; boundary=x", ""])
    func wrongContentTypeIs400InvalidRequest(_ contentType: String) async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            var headers: HTTPFields = [:]
            if !contentType.isEmpty { headers[.contentType] = contentType }
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/token", method: .post, headers: headers,
                                                    body: ByteBuffer(string: FormURLEncoding.encode(harness.secretFields())))
            expectEntraError(response, status: .badRequest, error: "invalid_request", code: 900561)
        }
    }

    @Test func formContentTypeWithCharsetIsAccepted() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(
                uri: "/contoso/oauth2/v2.0/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded; charset=utf-8"],
                body: ByteBuffer(string: FormURLEncoding.encode(harness.secretFields())))
            #expect(response.status == .ok)
        }
    }

    @Test func bodiesUpTo64KiBAreReadAndLargerOnesAre413() async throws {
        let harness = try await HTTPHarness.make()
        let form = FormURLEncoding.encode(harness.secretFields()) + "&padding="
        let limit = 64 * 1024
        try await harness.run { client in
            let atLimit = form + String(repeating: "x", count: limit - form.utf8.count)
            #expect(atLimit.utf8.count == limit)
            let accepted = try await client.execute(uri: "/contoso/oauth2/v2.0/token", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: atLimit))
            #expect(accepted.status == .ok)

            let tooLarge = try await client.execute(uri: "/contoso/oauth2/v2.0/token", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: atLimit + "x"))
            expectEntraError(tooLarge, status: .contentTooLarge, error: "invalid_request", code: 90056)
        }
    }

    @Test func aDuplicateParameterIs400() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            for duplicate in [("grant_type", "client_credentials"), ("client_id", harness.pipelineID),
                              ("scope", "api://other/.default")] {
                let response = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields() + [duplicate])
                let json = expectEntraError(response, status: .badRequest, error: "invalid_request", code: 90014)
                #expect((json["error_description"] as? String)?.contains("'\(duplicate.0)'") == true)
            }
        }
    }

    @Test(arguments: ["/contoso/oauth2/v2.0/token", "/contoso/oauth2/token"])
    func getOnTheTokenURLIs405(_ path: String) async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: path, method: .get)
            expectEntraError(response, status: .methodNotAllowed, error: "invalid_request", code: 900561)
        }
    }

    @Test func unknownTenantOnTheTokenURLIs400() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.postForm("/fabrikam/oauth2/v2.0/token", harness.secretFields())
            expectEntraError(response, status: .badRequest, error: "invalid_tenant", code: 90002)
        }
    }

    @Test func protocolErrorsKeepTheirStatus() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            var fields = harness.secretFields()
            fields.append(("resource", HTTPHarness.aksServer))
            expectEntraError(try await client.postForm("/contoso/oauth2/v2.0/token", fields),
                             status: .badRequest, error: "invalid_request", code: 901002)
            expectEntraError(try await client.postForm("/contoso/oauth2/v2.0/token",
                                                       harness.secretFields(scope: "api://nothing/.default")),
                             status: .badRequest, error: "invalid_resource", code: 500011)
            expectEntraError(try await client.postForm("/contoso/oauth2/v2.0/token",
                                                       [("grant_type", "implicit"), ("client_id", harness.pipelineID)]),
                             status: .badRequest, error: "unsupported_grant_type", code: 70003)
        }
    }

    @Test func repeatedBadSecretsAre429WithRetryAfter() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            for _ in 1...20 {
                let response = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields(secret: "guess"))
                #expect(response.status == .unauthorized)
            }
            let throttled = try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields())
            expectEntraError(throttled, status: .tooManyRequests, error: "temporarily_unavailable", code: 50196)
            #expect(throttled.headers[.retryAfter] == "60")
            harness.test.clock.advance(by: 61)
            #expect(try await client.postForm("/contoso/oauth2/v2.0/token", harness.secretFields()).status == .ok)
        }
    }
}
