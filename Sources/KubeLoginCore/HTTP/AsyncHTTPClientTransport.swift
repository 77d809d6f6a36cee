import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL
import Synchronization

/// The real transport: AsyncHTTPClient over TLS that trusts the system store plus the bundle
/// named by `SSL_CERT_FILE` (how a kubeid CA is trusted, as Go programs do on Linux).
/// Invalid certificates fail; there is no switch to skip verification.
///
/// The client (and its event-loop threads) is only created on the first request, so a
/// cache hit never pays for it. After ``shutdown()`` no client is ever created again: one made
/// then would never be shut down, so a late request fails instead.
public final class AsyncHTTPClientTransport: HTTPTransport, Sendable {
    private enum State {
        case idle
        case running(HTTPClient)
        case shutDown
    }

    private let additionalCAFile: String?
    private let requestTimeout: TimeAmount
    private let state = Mutex(State.idle)

    public init(environment: ProcessEnvironment, requestTimeout: TimeAmount = .seconds(30)) {
        let file = environment[EnvironmentVariable.sslCertFile]
        self.additionalCAFile = (file?.isEmpty == false && FileManager.default.fileExists(atPath: file!)) ? file : nil
        self.requestTimeout = requestTimeout
    }

    /// The client, created on first use; nil once the transport is shut down.
    private func sharedClient() -> HTTPClient? {
        state.withLock { state in
            switch state {
            case .running(let client):
                return client
            case .shutDown:
                return nil
            case .idle:
                let client = makeClient()
                state = .running(client)
                return client
            }
        }
    }

    /// The identity provider's TLS: TLS 1.2 or newer, certificates verified against the system
    /// roots plus `additionalCAFile`.
    static func tlsConfiguration(additionalCAFile: String?) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .default
        if let additionalCAFile { tls.additionalTrustRoots = [.file(additionalCAFile)] }
        return tls
    }

    private func makeClient() -> HTTPClient {
        let tls = Self.tlsConfiguration(additionalCAFile: additionalCAFile)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: requestTimeout)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let client = sharedClient() else {
            throw HTTPTransportError("\(request.method) \(request.url): the HTTP client was already shut down")
        }
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = request.method == "POST" ? .POST : .GET
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        outbound.headers.add(name: "User-Agent", value: "kubelogin/\(KubeLoginVersion.version) (kubeid)")
        if !request.body.isEmpty { outbound.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await client.execute(outbound, timeout: requestTimeout)
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            return HTTPResponse(status: Int(response.status.code), body: Array(buffer: body))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch {
            throw HTTPTransportError("\(request.method) \(request.url): \(error)")
        }
    }

    /// Closes connections and stops the client's threads; call once at the end of the run.
    /// Later requests fail; a second call does nothing.
    public func shutdown() async {
        let existing: HTTPClient? = state.withLock { state in
            defer { state = .shutDown }
            if case .running(let client) = state { return client }
            return nil
        }
        try? await existing?.shutdown()
    }
}
