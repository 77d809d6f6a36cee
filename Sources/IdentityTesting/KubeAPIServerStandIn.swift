import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// A small HTTPS stand-in for kube-apiserver, enough for `kubectl get nodes`: it answers
/// `/version`, `/api`, `/apis`, `/api/v1` and `/api/v1/nodes`, and only for requests an
/// ``KubeAPIServerAuthenticator`` accepts. It counts requests so tests can tell what kubectl did.
///
/// TLS uses a CA generated per instance (``certificateAuthorityPEM`` goes into the kubeconfig).
public final class KubeAPIServerStandIn: Sendable {
    public let url: String
    public let certificateAuthorityPEM: String
    public let counters: KubeAPIServerCounters
    private let task: Task<Void, any Error>

    private init(url: String, certificateAuthorityPEM: String, counters: KubeAPIServerCounters, task: Task<Void, any Error>) {
        self.url = url
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.counters = counters
        self.task = task
    }

    /// Starts on `127.0.0.1` with a free port and returns once it listens.
    public static func start(authenticator: any KubeAPIServerAuthenticator) async throws -> KubeAPIServerStandIn {
        let caKey = try PrivateKey.generateRSA()
        let ca = try Certificate.selfSigned(commonName: "kubeid stand-in API server CA", key: caKey, validFor: 86_400, isCertificateAuthority: true)
        let serverKey = try PrivateKey.generateRSA()
        let serverCertificate = try Certificate.issue(commonName: "127.0.0.1", publicKey: serverKey.publicKey, issuer: ca, issuerKey: caKey,
                                                      validFor: 86_400, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"],
                                                      usages: [.serverAuth])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificate.pem.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemPKCS8.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12

        let counters = KubeAPIServerCounters()
        let router = Router()
        router.add(middleware: KubeAPIServerMiddleware(authenticator: authenticator, counters: counters))
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "kube-apiserver-standin")
        logger.logLevel = .critical  // cancellation at stop() logs harmless shutdown "errors"
        let application = Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                                      configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "kube-apiserver-standin"),
                                      onServerRunning: { channel in
                                          portContinuation.yield(channel.localAddress?.port ?? 0)
                                          portContinuation.finish()
                                      }, logger: logger)
        let task = Task { try await application.runService() }
        var port = 0
        for await value in portStream { port = value }
        guard port > 0 else {
            task.cancel()
            throw KubeAPIServerStandInError("the stand-in API server did not start")
        }
        counters.setAddress("127.0.0.1:\(port)")
        return KubeAPIServerStandIn(url: "https://127.0.0.1:\(port)", certificateAuthorityPEM: ca.pem, counters: counters, task: task)
    }

    /// Stops listening (graceful shutdown of the Hummingbird service).
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Request counts, readable while the server runs.
public final class KubeAPIServerCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var authenticated = 0
    private var rejected = 0
    private var paths: [String] = []
    private var identities: [KubeAPIServerIdentity] = []
    private var address = ""

    func record(path: String, identity: KubeAPIServerIdentity?) {
        lock.withLock {
            total += 1
            paths.append(path)
            if let identity {
                authenticated += 1
                identities.append(identity)
            } else {
                rejected += 1
            }
        }
    }

    func setAddress(_ value: String) { lock.withLock { address = value } }
    var serverAddress: String { lock.withLock { address } }

    public var totalRequests: Int { lock.withLock { total } }
    public var authenticatedRequests: Int { lock.withLock { authenticated } }
    public var rejectedRequests: Int { lock.withLock { rejected } }
    public var requestedPaths: [String] { lock.withLock { paths } }
    public var authenticatedIdentities: [KubeAPIServerIdentity] { lock.withLock { identities } }
}

/// Authenticates every request, then serves the few read-only endpoints kubectl needs.
struct KubeAPIServerMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: any KubeAPIServerAuthenticator
    let counters: KubeAPIServerCounters

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        let bearer = authorization.lowercased().hasPrefix("bearer ") ? String(authorization.dropFirst(7)) : nil
        let identity = await authenticator.authenticate(bearerToken: bearer)
        let path = request.uri.path
        counters.record(path: path, identity: identity)
        guard identity != nil else { return json(KubeAPIServerResponses.unauthorized, status: .unauthorized) }
        switch path {
        case "/version": return json(KubeAPIServerResponses.version)
        case "/api": return json(KubeAPIServerResponses.apiVersions(address: counters.serverAddress))
        case "/apis": return json(KubeAPIServerResponses.apiGroupList)
        case "/api/v1": return json(KubeAPIServerResponses.coreResources)
        case "/api/v1/nodes": return json(KubeAPIServerResponses.nodeList)
        default: return json(KubeAPIServerResponses.notFound, status: .notFound)
        }
    }

    private func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
