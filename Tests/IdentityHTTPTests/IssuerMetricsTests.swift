import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import MetricsTestKit
import NIOCore
import OAuthProtocol
import Testing

/// The issuer's metrics, through the real router with a test factory: HTTP requests by route
/// pattern and status class, tokens by grant and version, failures by AADSTS code, directory
/// cache hits, log buffer depth.
@Suite("Issuer metrics")
struct IssuerMetricsTests {
    @Test func requestsTokensAndFailuresAreCountedWithBoundedLabels() async throws {
        let recorded = TestMetrics()
        let harness = try await SignInHTTPHarness.make { $0.metrics = IssuerMetrics(factory: recorded) }
        let pipeline = harness.users.directory.pipeline
        try await harness.run { (client: any TestClientProtocol) async throws in
            func token(secret: String) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/contoso/oauth2/v2.0/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "grant_type=client_credentials&client_id=\(pipeline.application.appID)"
                                     + "&client_secret=\(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                                     + "&scope=\(WellKnownApplications.aksServerAppID)/.default")).status
            }
            #expect(try await token(secret: pipeline.password ?? "") == .ok)
            #expect(try await token(secret: pipeline.password ?? "") == .ok)
            #expect(try await token(secret: "wrong") == .unauthorized)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/no/such/path", method: .get).status == .notFound)
        }
        #expect(try recorded.expectCounter("kubeid_tokens_issued_total", [("grant", "clientCredentials"), ("version", "v1")])
            .totalValue == 2)
        #expect(try recorded.expectCounter("kubeid_sign_in_failures_total", [("grant", "clientCredentials"), ("code", "7000215")])
            .totalValue == 1)
        let route = "/{tenant}/oauth2/v2.0/token"
        #expect(try recorded.expectCounter("kubeid_http_requests_total", [("route", route), ("method", "POST"), ("status", "2xx")])
            .totalValue == 2)
        #expect(try recorded.expectCounter("kubeid_http_requests_total", [("route", route), ("method", "POST"), ("status", "4xx")])
            .totalValue == 1)
        #expect(try recorded.expectTimer("kubeid_http_request_duration_seconds", [("route", route), ("method", "POST")])
            .values.count == 3)
        #expect(try recorded.expectCounter("kubeid_http_requests_total", [("route", "/healthz"), ("method", "GET"), ("status", "2xx")])
            .totalValue == 1)
        // No label ever holds a raw path, a tenant name or an id.
        let labels = recorded.counters.flatMap { $0.dimensions.map(\.1) }
        #expect(!labels.contains { $0.contains("contoso") || $0.contains("/no/such") || $0.contains(pipeline.application.appID) })
        #expect(try recorded.expectCounter("kubeid_directory_cache_requests_total", [("result", "hit")]).totalValue > 0)

        await harness.test.issuer.signInLog.buffer.flush()
        #expect(try recorded.expectGauge("kubeid_log_buffer_depth", [("log", "signins")]).lastValue == 0)
        #expect(try recorded.expectGauge("kubeid_signing_keys_published").lastValue == 1)
    }
}
