import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// The real transport: AsyncHTTPClient over TLS that trusts the system store plus the bundle
/// named by `SSL_CERT_FILE` (how a kubeid CA is trusted, as Go programs do on Linux).
/// Invalid certificates fail; there is no switch to skip verification (SECURITY.md item 45).
///
/// The client (and its event-loop threads) is only created on the first request, so a
/// cache hit never pays for it.
public final class AsyncHTTPClientTransport: HTTPTransport, @unchecked Sendable {
    private let additionalCAFile: String?
    private let requestTimeout: TimeAmount
    private let lock = NSLock()
    private var client: HTTPClient?

    public init(environment: ProcessEnvironment, requestTimeout: TimeAmount = .seconds(30)) {
        let file = environment[EnvironmentVariable.sslCertFile]
        self.additionalCAFile = (file?.isEmpty == false && FileManager.default.fileExists(atPath: file!)) ? file : nil
        self.requestTimeout = requestTimeout
    }

    private func sharedClient() -> HTTPClient {
        lock.lock()
        defer { lock.unlock() }
        if let client { return client }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .default
        if let additionalCAFile { tls.additionalTrustRoots = [.file(additionalCAFile)] }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: requestTimeout)
        let created = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        client = created
        return created
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = request.method == "POST" ? .POST : .GET
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        outbound.headers.add(name: "User-Agent", value: "kubelogin/\(KubeLoginVersion.version) (kubeid)")
        if !request.body.isEmpty { outbound.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await sharedClient().execute(outbound, timeout: requestTimeout)
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
    public func shutdown() async {
        let existing: HTTPClient? = lock.withLock {
            defer { client = nil }
            return client
        }
        try? await existing?.shutdown()
    }
}
