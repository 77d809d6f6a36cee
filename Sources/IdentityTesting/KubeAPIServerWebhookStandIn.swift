import Cryptography
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import KubernetesTypes
import Logging
import NIOCore
import NIOSSL

/// kube-apiserver in "webhook mode", as a cluster wired to kubeid runs it
/// (`kubeid cluster apiserver-config`): `--client-ca-file`, the TokenReview webhook and the
/// SubjectAccessReview webhook, with `--authorization-mode=Node,RBAC,Webhook`.
///
/// For every request, as kube-apiserver does:
/// 1. **Authentication.** A client certificate (requested, not required, during the TLS
///    handshake) is verified against the client CA file read afresh, since kube-apiserver
///    reloads `--client-ca-file` by itself: a certificate from a rotated-away CA is refused.
///    The user is its CN, its groups its O values. Otherwise a bearer token goes to the
///    TokenReview webhook. Neither → 401 `Unauthorized`.
/// 2. **Authorization.** `system:masters` may do anything (the superuser group). The bootstrap
///    RBAC policy lets every authenticated user read the discovery paths (`/api`, `/apis`,
///    `/version`, …). Everything else is the SubjectAccessReview webhook's (v1): allowed, or
///    403 with kube-apiserver's Status and Forbidden message plus the webhook's reason. No
///    opinion is a denial here, because this stand-in has no RBAC authorizer behind the webhook.
/// 3. **Serving** a few resources kubectl can list and create: nodes, namespaces, pods,
///    configmaps, secrets, services, and apps/deployments.
public final class KubeAPIServerWebhookStandIn: Sendable {
    public let url: String
    public let certificateAuthorityPEM: String
    public let log: KubeAPIServerAccessLog
    private let task: Task<Void, any Error>
    private let webhooks: KubeAPIServerWebhookClient?

    private init(url: String, certificateAuthorityPEM: String, log: KubeAPIServerAccessLog, task: Task<Void, any Error>,
                 webhooks: KubeAPIServerWebhookClient?) {
        self.url = url
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.log = log
        self.task = task
        self.webhooks = webhooks
    }

    /// Starts on `127.0.0.1` with a free port (or `port`) and returns once it listens.
    /// - Parameters:
    ///   - clientCAFile: `--client-ca-file`; read on every request.
    ///   - webhooks: the TokenReview / SubjectAccessReview client (nil: certificates only).
    public static func start(clientCAFile: String, webhooks: KubeAPIServerWebhookClient?, port: Int = 0) async throws -> KubeAPIServerWebhookStandIn {
        let caKey = try PrivateKey.generateP256()
        let ca = try Certificate.selfSigned(commonName: "kube-apiserver stand-in CA", key: caKey, validFor: 86_400,
                                            isCertificateAuthority: true)
        let serverKey = try PrivateKey.generateP256()
        let serverCertificate = try Certificate.issue(commonName: "kube-apiserver", publicKey: serverKey.publicKey, issuer: ca,
                                                      issuerKey: caKey, validFor: 86_400, dnsNames: ["localhost"],
                                                      ipAddresses: ["127.0.0.1"], usages: [.serverAuth])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificate.pem.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemPKCS8.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        // Ask for a client certificate without requiring one; like Go's RequestClientCert, the
        // handshake accepts whatever is presented and the request is authenticated later
        // against the CA file as it is then.
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates([])
        let channel = TLSChannelConfiguration(tlsConfiguration: tls, customAsyncVerificationCallback: { _ in .certificateVerified })

        let log = KubeAPIServerAccessLog()
        let router = Router(context: KubeAPIServerStandInContext.self)
        router.add(middleware: KubeAPIServerWebhookMiddleware(clientCAFile: clientCAFile, webhooks: webhooks, log: log))
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "kube-apiserver-webhook-standin")
        // Stopping cancels the service, which Hummingbird reports at error level.
        logger.logLevel = .critical
        let application = Application(router: router, server: try .tls(.http1(), configuration: channel),
                                      configuration: .init(address: .hostname("127.0.0.1", port: port),
                                                           serverName: "kube-apiserver-standin"),
                                      onServerRunning: { channel in
                                          portContinuation.yield(channel.localAddress?.port ?? 0)
                                          portContinuation.finish()
                                      }, logger: logger)
        let task = Task { try await application.runService() }
        var bound = 0
        for await value in portStream { bound = value }
        guard bound > 0 else {
            task.cancel()
            throw KubeAPIServerStandInError("the webhook-mode stand-in did not start")
        }
        return KubeAPIServerWebhookStandIn(url: "https://127.0.0.1:\(bound)", certificateAuthorityPEM: ca.pem, log: log, task: task,
                                           webhooks: webhooks)
    }

    public func stop() async {
        task.cancel()
        _ = await task.result
        await webhooks?.shutdown()
    }
}

/// The request context: Hummingbird's storage plus the connection, whose TLS handler holds the
/// client certificate.
public struct KubeAPIServerStandInContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// One line per request: who, what, and what the authorizer said.
public struct KubeAPIServerAccess: Sendable, Equatable {
    public var user: String?
    public var groups: [String]
    public var method: String
    public var path: String
    /// `certificate`, `token` or nil (unauthenticated).
    public var authenticatedBy: String?
    /// 200-ish, 401 or 403.
    public var status: Int
    public var reason: String
}

public final class KubeAPIServerAccessLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [KubeAPIServerAccess] = []

    func append(_ entry: KubeAPIServerAccess) { lock.withLock { entries.append(entry) } }
    public var all: [KubeAPIServerAccess] { lock.withLock { entries } }
    public func clear() { lock.withLock { entries.removeAll() } }
}

struct KubeAPIServerWebhookMiddleware: RouterMiddleware {
    typealias Context = KubeAPIServerStandInContext
    let clientCAFile: String
    let webhooks: KubeAPIServerWebhookClient?
    let log: KubeAPIServerAccessLog

    /// What the bootstrap ClusterRoles `system:discovery`, `system:basic-user` and
    /// `system:public-info-viewer` grant every authenticated user.
    static func isDiscovery(_ info: KubeAPIServerRequestInfo) -> Bool {
        guard !info.isResourceRequest, info.verb == "get" else { return false }
        let path = info.path
        return ["/api", "/apis", "/version", "/healthz", "/livez", "/readyz", "/openapi/v2"].contains(path)
            || path.hasPrefix("/api/") || path.hasPrefix("/apis/") || path.hasPrefix("/openapi/") || path.hasPrefix("/version/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let info = KubeAPIServerRequestInfo.make(method: request.method.rawValue, path: path, query: request.uri.query ?? "")
        var entry = KubeAPIServerAccess(user: nil, groups: [], method: request.method.rawValue, path: path, authenticatedBy: nil,
                                        status: 401, reason: "")

        // 1. Authentication: client certificate, then bearer token through TokenReview.
        var user: KubernetesUserInfo?
        if let certificate = try? await context.channel.nioSSL_peerCertificate().get() {
            if let identity = verifiedClientCertificate(certificate) {
                user = identity
                entry.authenticatedBy = "certificate"
            } else {
                entry.reason = "x509: certificate signed by unknown authority or expired"
            }
        }
        if user == nil, let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer "),
           let webhooks {
            let (reviewed, error) = (try? await webhooks.reviewToken(String(authorization.dropFirst(7)))) ?? (nil, "webhook unreachable")
            if let reviewed {
                user = reviewed
                entry.authenticatedBy = "token"
            } else {
                entry.reason = error ?? ""
            }
        }
        guard let user, let username = user.username, !username.isEmpty else {
            log.append(entry)
            return Self.json(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#,
                             status: .unauthorized)
        }
        let groups = (user.groups ?? []) + ["system:authenticated"]
        entry.user = username
        entry.groups = groups

        // 2. Authorization: superusers, the bootstrap discovery rules, then the webhook.
        var allowed = groups.contains("system:masters") || Self.isDiscovery(info)
        var reason = ""
        if !allowed, let webhooks {
            var spec = SubjectAccessReviewSpec(user: username, groups: groups, extra: user.extra, uid: user.uid)
            if info.isResourceRequest {
                spec.resourceAttributes = ResourceAttributes(namespace: info.namespace, verb: info.verb, group: info.apiGroup,
                                                             version: info.apiVersion, resource: info.resource,
                                                             subresource: info.subresource, name: info.name)
            } else {
                spec.nonResourceAttributes = NonResourceAttributes(path: info.path, verb: info.verb)
            }
            do {
                let status = try await webhooks.reviewAccess(spec)
                allowed = status?.allowed ?? false
                reason = status?.reason ?? ""
            } catch {
                reason = "webhook error: \(error)"
            }
        }
        guard allowed else {
            entry.status = 403
            entry.reason = reason
            log.append(entry)
            let status: [String: Any] = [
                "kind": "Status", "apiVersion": "v1", "metadata": [String: Any](), "status": "Failure",
                "message": info.forbiddenMessage(user: username, reason: reason), "reason": "Forbidden",
                "details": ["name": info.name, "group": info.apiGroup, "kind": info.resource].filter { !$0.value.isEmpty },
                "code": 403,
            ]
            let body = try JSONSerialization.data(withJSONObject: status, options: [.sortedKeys, .withoutEscapingSlashes])
            return Self.json(String(decoding: body, as: UTF8.self), status: .forbidden)
        }

        // 3. Serving.
        let body = try await request.body.collect(upTo: 1 << 20)
        let response = KubeAPIServerWebhookResponses.respond(info, body: body)
        entry.status = response.status
        entry.reason = reason
        log.append(entry)
        let contentType = response.status == 201 ? request.headers[.contentType] ?? "application/json" : "application/json"
        return Response(status: HTTPResponse.Status(code: response.status), headers: [.contentType: contentType],
                        body: .init(byteBuffer: response.body))
    }

    /// The certificate's identity if the CA in `clientCAFile` (as it is now) issued it and it is
    /// within its validity period; nil otherwise.
    func verifiedClientCertificate(_ presented: NIOSSLCertificate) -> KubernetesUserInfo? {
        guard let der = try? presented.toDERBytes(), let leaf = try? Certificate(der: der),
              let pem = try? String(contentsOfFile: clientCAFile, encoding: .utf8),
              let authorities = try? Certificate.parseAll(pem: pem) else { return nil }
        let now = Date()
        guard leaf.notBefore <= now, now <= leaf.notAfter,
              authorities.contains(where: { $0.isCertificateAuthority && leaf.isIssued(by: $0) }),
              let name = leaf.subjectCommonName else { return nil }
        return KubernetesUserInfo(username: name, groups: leaf.subjectOrganizations)
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
