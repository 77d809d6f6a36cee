import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityHTTP
import IdentityTesting
import OAuthProtocol
import Testing

/// An issuer with the standard directory fixture, served in-process by the same router
/// `kubeid serve` builds, so tests exercise the real app.
struct HTTPHarness: Sendable {
    let test: TestIssuer
    let fixture: DirectoryFixture

    static let base = TestIssuer.issuerURL
    static let aksServer = WellKnownApplications.aksServerAppID
    static let aksScope = "\(WellKnownApplications.aksServerAppID)/.default"
    static let clientRequestID = HTTPField.Name("client-request-id")!
    static let pragma = HTTPField.Name("Pragma")!

    var tenantID: String { fixture.tenant.id }
    var pipelineID: String { fixture.pipeline.application.appID }
    var pipelineSecret: String { fixture.pipeline.password ?? "" }

    static func make(configure: @escaping (inout IssuerConfiguration) -> Void = { _ in }) async throws -> HTTPHarness {
        let test = try await TestIssuer.make(configure: configure)
        return HTTPHarness(test: test, fixture: try await DirectoryFixture.make(in: test))
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: IdentityRouter.build(issuer: test.issuer))
        try await app.test(.router, body)
    }

    /// `client_secret_post` fields for the pipeline, v2 shape.
    func secretFields(secret: String? = nil, scope: String = HTTPHarness.aksScope) -> [(String, String)] {
        [("grant_type", "client_credentials"), ("client_id", pipelineID),
         ("client_secret", secret ?? pipelineSecret), ("scope", scope)]
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// `YYYY-MM-DD HH:MM:SSZ`.
func isEntraTimestamp(_ text: String) -> Bool {
    text.range(of: #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression) != nil
}

/// Checks Entra's error body (docs/compatibility.md, Error bodies) and returns it.
@discardableResult
func expectEntraError(_ response: TestResponse, status: HTTPResponse.Status, error: String, code: Int,
                      correlationID: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
    let json = response.jsonObject
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
    #expect(response.headers[.cacheControl] == "no-store, no-cache", sourceLocation: sourceLocation)
    #expect(json["error"] as? String == error, sourceLocation: sourceLocation)
    #expect(json["error_codes"] as? [Int] == [code], sourceLocation: sourceLocation)
    let description = json["error_description"] as? String ?? ""
    #expect(description.hasPrefix("AADSTS\(code): "), sourceLocation: sourceLocation)
    let traceID = json["trace_id"] as? String ?? ""
    let correlation = json["correlation_id"] as? String ?? ""
    let timestamp = json["timestamp"] as? String ?? ""
    #expect(UUID(uuidString: traceID) != nil, sourceLocation: sourceLocation)
    #expect(UUID(uuidString: correlation) != nil, sourceLocation: sourceLocation)
    #expect(isEntraTimestamp(timestamp), "\(timestamp)", sourceLocation: sourceLocation)
    #expect(description.hasSuffix("\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlation)\r\nTimestamp: \(timestamp)"),
            sourceLocation: sourceLocation)
    #expect(json["error_uri"] as? String == "\(HTTPHarness.base)/error?code=\(code)", sourceLocation: sourceLocation)
    #expect(response.headers[HTTPHarness.clientRequestID] == correlation, sourceLocation: sourceLocation)
    if let correlationID {
        #expect(correlation == correlationID, sourceLocation: sourceLocation)
    }
    return json
}
