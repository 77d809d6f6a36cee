import Testing
@testable import IdentityHTTP

/// Issue 13 item 9: federated issuers' discovery documents and keys are fetched over TLS 1.2 or
/// newer only.
@Suite("Outbound TLS")
struct OutboundTLSTests {
    @Test func federatedKeyFetchesNeedTLS12() {
        let tls = HTTPExternalIssuerKeySource.tlsConfiguration(trustedCAFile: nil)
        #expect(String(describing: tls.minimumTLSVersion) == "tlsv12")
    }

    @Test func hostNamesResolveToTheirAddresses() {
        #expect(HTTPExternalIssuerKeySource.addresses(of: "127.0.0.1") == ["127.0.0.1"])
        #expect(HTTPExternalIssuerKeySource.addresses(of: "::1") == ["::1"])
    }
}
