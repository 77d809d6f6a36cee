import Foundation
import Testing
@testable import KubeLoginCore

@Suite("AsyncHTTPClient transport")
struct AsyncHTTPClientTransportTests {
    @Test("after shutdown a request fails clearly and no client is created")
    func requestAfterShutdown() async throws {
        let transport = AsyncHTTPClientTransport(environment: ProcessEnvironment([:]))
        await transport.shutdown()
        do {
            _ = try await transport.send(.get("http://127.0.0.1:9/"))
            Issue.record("a request after shutdown must fail")
        } catch let error as HTTPTransportError {
            #expect(error.description == "GET http://127.0.0.1:9/: the HTTP client was already shut down")
        }
        await transport.shutdown()  // a second shutdown is harmless
    }

    /// Issue 13 item 9: the plugin speaks to the identity provider over TLS 1.2 or newer only.
    @Test func tlsBelow12IsRefused() {
        let tls = AsyncHTTPClientTransport.tlsConfiguration(additionalCAFile: nil)
        #expect(String(describing: tls.minimumTLSVersion) == "tlsv12")
    }
}
