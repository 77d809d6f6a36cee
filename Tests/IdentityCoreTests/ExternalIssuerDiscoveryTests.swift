import Foundation
import IdentityCore
import Testing

/// Issue 13 item 10: an external issuer's discovery document is checked before its keys are
/// fetched (OpenID Connect Discovery 1.0 §4.3; server-side request forgery through `jwks_uri`).
@Suite("External issuer discovery")
struct ExternalIssuerDiscoveryTests {
    static let issuer = "https://oidc.example.com/cluster-a"
    static func publicDNS(_ host: String) -> [String] {
        ["metadata.example.com": ["169.254.169.254"], "rebind.example.com": ["203.0.113.7", "::1"]][host] ?? ["203.0.113.10"]
    }

    @Test func theDocumentMustNameTheRegisteredIssuer() throws {
        for documented in [nil, "https://evil.example.com/cluster-a", Self.issuer + "/", "HTTPS://oidc.example.com/cluster-a"] {
            #expect(throws: ExternalIssuerDiscovery.Refusal.issuerMismatch(documented: documented)) {
                try ExternalIssuerDiscovery.jwksURL(registeredIssuer: Self.issuer, documentedIssuer: documented,
                                                    jwksURI: "https://oidc.example.com/keys", resolve: Self.publicDNS)
            }
        }
        let url = try ExternalIssuerDiscovery.jwksURL(registeredIssuer: Self.issuer, documentedIssuer: Self.issuer,
                                                      jwksURI: "https://keys.example.net/jwks", resolve: Self.publicDNS)
        #expect(url.absoluteString == "https://keys.example.net/jwks")
    }

    @Test func jwksMustBeHTTPS() {
        for uri in ["http://oidc.example.com/keys", "file:///etc/passwd", "gopher://x/", "not a url", "https:///keys"] {
            #expect(throws: ExternalIssuerDiscovery.Refusal.jwksNotHTTPS) {
                try ExternalIssuerDiscovery.jwksURL(registeredIssuer: Self.issuer, documentedIssuer: Self.issuer,
                                                    jwksURI: uri, resolve: Self.publicDNS)
            }
        }
    }

    @Test func jwksMayNotPointAtLoopbackOrLinkLocalFromAPublicIssuer() {
        for uri in ["https://169.254.169.254/latest/meta-data", "https://127.0.0.1:10250/keys", "https://localhost/keys",
                    "https://[::1]/keys", "https://[fe80::1]/keys", "https://[::ffff:169.254.169.254]/x",
                    "https://0.0.0.0/keys", "https://metadata.example.com/keys", "https://rebind.example.com/keys"] {
            #expect(throws: ExternalIssuerDiscovery.Refusal.self, "\(uri)") {
                try ExternalIssuerDiscovery.jwksURL(registeredIssuer: Self.issuer, documentedIssuer: Self.issuer,
                                                    jwksURI: uri, resolve: Self.publicDNS)
            }
        }
    }

    @Test func aLoopbackIssuerMayServeItsKeysOnLoopback() throws {
        let local = "https://127.0.0.1:8443"
        let url = try ExternalIssuerDiscovery.jwksURL(registeredIssuer: local, documentedIssuer: local,
                                                      jwksURI: "https://127.0.0.1:8443/openid/v1/jwks", resolve: Self.publicDNS)
        #expect(url.port == 8443)
    }

    @Test func addressClassification() {
        for inside in ["127.0.0.1", "127.255.0.9", "169.254.1.1", "0.0.0.0", "::1", "::", "fe80::1%eth0", "FE80::abcd",
                         "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"] {
            #expect(ExternalIssuerDiscovery.isInternalAddress(inside), "\(inside)")
        }
        for outside in ["203.0.113.7", "10.0.0.1", "2001:db8::1", "fec0::1", "::ffff:8.8.8.8", "example.com", "1.2.3"] {
            #expect(!ExternalIssuerDiscovery.isInternalAddress(outside), "\(outside)")
        }
    }
}
