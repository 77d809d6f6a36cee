import AsyncHTTPClient
import Foundation
import KubernetesTypes
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// kube-apiserver's side of the TokenReview and SubjectAccessReview webhooks: POSTs v1
/// reviews to the URLs of the webhook kubeconfigs, with their bearer token, trusting their CA.
/// Authenticated TokenReview results are cached for `tokenCacheTTL` (kube-apiserver's
/// `--authentication-token-webhook-cache-ttl`, 2 minutes by default; shorter here so tests see
/// changes). SubjectAccessReviews are not cached, so every request is decided afresh.
public final class KubeAPIServerWebhookClient: Sendable {
    public struct Endpoint: Sendable {
        public var url: String
        public var token: String
        public init(url: String, token: String) {
            self.url = url
            self.token = token
        }
    }

    let authentication: Endpoint
    let authorization: Endpoint?
    let client: HTTPClient
    let tokenCacheTTL: TimeInterval
    private let cache = LockedCache()

    public init(authentication: Endpoint, authorization: Endpoint?, certificateAuthorityPEM: String?, tokenCacheTTL: TimeInterval = 10) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let certificateAuthorityPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificateAuthorityPEM.utf8)))
        }
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        self.authentication = authentication
        self.authorization = authorization
        self.tokenCacheTTL = tokenCacheTTL
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The user a bearer token belongs to, or the webhook's `error` (nil user) when refused.
    public func reviewToken(_ token: String) async throws -> (KubernetesUserInfo?, String?) {
        if let cached = cache.user(for: token) { return (cached, nil) }
        let review = TokenReview(spec: TokenReviewSpec(token: token, audiences: ["https://kubernetes.default.svc"]))
        let answer: TokenReview = try await post(review, to: authentication)
        guard let status = answer.status, status.authenticated == true, let user = status.user else {
            return (nil, answer.status?.error ?? "not authenticated")
        }
        cache.store(user, for: token, until: Date().addingTimeInterval(tokenCacheTTL))
        return (user, nil)
    }

    /// The webhook's decision, or nil when no authorization webhook is configured.
    public func reviewAccess(_ spec: SubjectAccessReviewSpec) async throws -> SubjectAccessReviewStatus? {
        guard let authorization else { return nil }
        let answer: SubjectAccessReview = try await post(SubjectAccessReview(spec: spec), to: authorization)
        return answer.status ?? SubjectAccessReviewStatus(allowed: false)
    }

    private func post<Body: Encodable, Answer: Decodable>(_ body: Body, to endpoint: Endpoint) async throws -> Answer {
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(endpoint.token)")
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200 else {
            throw KubeAPIServerStandInError("webhook \(endpoint.url) answered HTTP \(response.status.code)")
        }
        return try JSONDecoder().decode(Answer.self, from: Data(buffer: data))
    }
}

private final class LockedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (KubernetesUserInfo, Date)] = [:]

    func user(for token: String) -> KubernetesUserInfo? {
        lock.withLock {
            guard let (user, until) = entries[token], until > Date() else { return nil }
            return user
        }
    }

    func store(_ user: KubernetesUserInfo, for token: String, until: Date) {
        lock.withLock { entries[token] = (user, until) }
    }
}
