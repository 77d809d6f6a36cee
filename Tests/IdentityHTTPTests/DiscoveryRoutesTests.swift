import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import Testing

@Suite("Discovery documents")
struct DiscoveryRoutesTests {
    @Test func v2DocumentIssuerCarriesTheTenantIDWhicheverSegmentWasUsed() async throws {
        let harness = try await HTTPHarness.make()
        let base = HTTPHarness.base
        let tid = harness.tenantID
        try await harness.run { client in
            for segment in ["contoso", "CONTOSO", tid, tid.uppercased()] {
                let response = try await client.execute(uri: "/\(segment)/v2.0/.well-known/openid-configuration", method: .get)
                #expect(response.status == .ok, "\(segment)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let document = response.jsonObject
                #expect(document["issuer"] as? String == "\(base)/\(tid)/v2.0", "\(segment)")
                #expect(document["token_endpoint"] as? String == "\(base)/\(tid)/oauth2/v2.0/token")
                #expect(document["authorization_endpoint"] as? String == "\(base)/\(tid)/oauth2/v2.0/authorize")
                #expect(document["device_authorization_endpoint"] as? String == "\(base)/\(tid)/oauth2/v2.0/devicecode")
                #expect(document["jwks_uri"] as? String == "\(base)/\(tid)/discovery/v2.0/keys")
                #expect(document["end_session_endpoint"] as? String == "\(base)/\(tid)/oauth2/v2.0/logout")
                #expect(document["scopes_supported"] as? [String] == ["openid", "profile", "email", "offline_access"])
                #expect(document["id_token_signing_alg_values_supported"] as? [String] == ["RS256"])
                #expect(document["token_endpoint_auth_methods_supported"] as? [String]
                        == ["client_secret_post", "private_key_jwt", "client_secret_basic"])
                #expect(document["msgraph_host"] as? String == "issuer.test:8443")
            }
        }
    }

    @Test func msalGoCanDeriveTheDeviceCodeURLFromTheTokenURL() async throws {
        // MSAL Go replaces every "token" in token_endpoint with "devicecode"
        // (docs/compatibility.md, Discovery), so the token URL must not contain "token" anywhere
        // else — even for a tenant named so.
        let harness = try await HTTPHarness.make()
        let tokenland = try await harness.test.administration.createTenant(name: "tokenland")
        try await harness.run { client in
            for segment in ["contoso", "tokenland"] {
                let document = try await client.execute(uri: "/\(segment)/v2.0/.well-known/openid-configuration",
                                                        method: .get).jsonObject
                let token = try #require(document["token_endpoint"] as? String)
                let device = try #require(document["device_authorization_endpoint"] as? String)
                #expect(token.replacingOccurrences(of: "token", with: "devicecode") == device, "\(segment)")
                #expect(token.components(separatedBy: "token").count == 2, "\(token)")
            }
            let tokenlandIssuer = try await client.execute(uri: "/tokenland/v2.0/.well-known/openid-configuration",
                                                           method: .get).jsonObject["issuer"] as? String
            #expect(tokenlandIssuer == "\(HTTPHarness.base)/\(tokenland.id)/v2.0")
        }
    }

    @Test func commonServesKeysBesideTheUserRealmLookup() async throws {
        // A literal `/common/…` route must not hide the `/{tenant}/…` routes for `common`.
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let realm = try await client.execute(uri: "/common/userrealm/alice@contoso.test?api-version=1.0", method: .get)
            #expect(realm.status == .ok)
            #expect(realm.jsonObject["account_type"] as? String == "Managed")
            #expect(realm.jsonObject["domain_name"] as? String == "contoso.test")
            for path in ["/common/discovery/v2.0/keys", "/common/discovery/keys"] {
                #expect(try await client.execute(uri: path, method: .get).status == .ok, "\(path)")
            }
            // Reaches the discovery route (whatever it answers for `common`), not a 404.
            let discovery = try await client.execute(uri: "/common/v2.0/.well-known/openid-configuration", method: .get)
            #expect(discovery.status != .notFound)
            #expect(try await client.execute(uri: "/contoso/userrealm/alice@contoso.test", method: .get).status == .notFound)
        }
    }

    @Test func v1DocumentHasTheTrailingSlashIssuerAndV1Endpoints() async throws {
        let harness = try await HTTPHarness.make()
        let base = HTTPHarness.base
        let tid = harness.tenantID
        try await harness.run { client in
            let response = try await client.execute(uri: "/contoso/.well-known/openid-configuration", method: .get)
            #expect(response.status == .ok)
            let document = response.jsonObject
            #expect(document["issuer"] as? String == "\(base)/\(tid)/")
            #expect(document["token_endpoint"] as? String == "\(base)/\(tid)/oauth2/token")
            #expect(document["authorization_endpoint"] as? String == "\(base)/\(tid)/oauth2/authorize")
            #expect(document["device_authorization_endpoint"] as? String == "\(base)/\(tid)/oauth2/devicecode")
            #expect(document["jwks_uri"] as? String == "\(base)/\(tid)/discovery/keys")
            #expect(document["scopes_supported"] as? [String] == ["openid"])
            #expect(document["microsoft_multi_refresh_token"] as? Bool == true)
            #expect(document["msgraph_host"] as? String == "issuer.test:8443")
        }
    }

    @Test(arguments: ["/fabrikam/v2.0/.well-known/openid-configuration", "/fabrikam/.well-known/openid-configuration",
                      "/fabrikam/discovery/v2.0/keys", "/fabrikam/discovery/keys",
                      "/3f1c7a2e-5b8d-4c6f-9a0e-2d4b6c8e0f11/v2.0/.well-known/openid-configuration"])
    func unknownTenantIs400WithEntrasErrorBody(_ path: String) async throws {
        let harness = try await HTTPHarness.make()
        let correlation = "8afe3606-ea18-4ef4-bbd0-1c13a67be41b"
        try await harness.run { client in
            let response = try await client.execute(uri: path, method: .get,
                                                    headers: [HTTPHarness.clientRequestID: correlation])
            let json = expectEntraError(response, status: .badRequest, error: "invalid_tenant", code: 90002,
                                        correlationID: correlation)
            let description = json["error_description"] as? String ?? ""
            #expect(description.contains("\r\nTrace ID: "))
            #expect(description.contains("Tenant '\(path.split(separator: "/")[0])' not found"))
        }
    }

    @Test func withoutAClientRequestIDTheCorrelationIDIsFresh() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let first = try await client.execute(uri: "/fabrikam/v2.0/.well-known/openid-configuration", method: .get)
            let second = try await client.execute(uri: "/fabrikam/v2.0/.well-known/openid-configuration", method: .get,
                                                  headers: [HTTPHarness.clientRequestID: "not a guid; drop table"])
            let ids = [first, second].map { expectEntraError($0, status: .badRequest, error: "invalid_tenant", code: 90002) }
                .compactMap { $0["correlation_id"] as? String }
            #expect(Set(ids).count == 2)
            #expect(!ids.contains("not a guid; drop table"))
        }
    }
}
