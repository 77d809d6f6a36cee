import Foundation
import HTTPTypes
import Hummingbird
import IdentityCore
import KubernetesTypes
import Logging
import NIOCore
import NIOFoundationCompat
import OAuthProtocol

/// kube-apiserver's webhooks for a registered cluster, at paths mirroring its resource id:
///
/// - `POST /webhooks/tenants/{tid}/clusters/{name}/tokenreview` (TokenReview webhook)
/// - `POST /webhooks/tenants/{tid}/clusters/{name}/subjectaccessreview` (SubjectAccessReview webhook)
///
/// Only the cluster's kube-apiserver may call them: `Authorization: Bearer <webhook token>`
/// (the `users[].user.token` of the kubeconfig `kubeid cluster apiserver-config` writes). An
/// unknown cluster or a wrong token is a plain 401, which kube-apiserver treats as a transport
/// error (right for a caller that is not the cluster). A review it cannot make is still HTTP 200
/// (`authenticated: false` with a short `error`), so kube-apiserver logs and caches it. Answers
/// use the `apiVersion` of the request (`v1` or `v1beta1`).
struct WebhookRoutes {
    let clusterWebhooks: ClusterWebhooks
    let audit: AuditTrail
    let metrics: IssuerMetrics
    let logger: Logger

    static let maximumBodySize = 64 * 1024

    func register(on router: Router<IdentityRequestContext>) {
        router.post("/webhooks/tenants/{tenant}/clusters/{cluster}/tokenreview") { request, context in
            await handle(request, context) { cluster, body in try await tokenReview(body, cluster: cluster) }
        }
        router.post("/webhooks/tenants/{tenant}/clusters/{cluster}/subjectaccessreview") { request, context in
            await handle(request, context) { cluster, body in try await subjectAccessReview(body, cluster: cluster) }
        }
    }

    private func handle(_ request: Request, _ context: IdentityRequestContext,
                        _ review: (Cluster, Data) async throws -> Response) async -> Response {
        do {
            let tenant = try context.parameters.require("tenant")
            let name = try context.parameters.require("cluster")
            guard let cluster = try await clusterWebhooks.authenticate(tenantID: tenant, clusterName: name,
                                                                              bearer: Self.bearer(request)) else {
                logger.notice("webhook call refused", metadata: ["cluster": "\(name.prefix(63))", "peer": "\(context.remoteAddress)"])
                return Self.plain("Unauthorized", status: .unauthorized)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maximumBodySize)
            } catch {
                return Self.plain("request body too large", status: .contentTooLarge)
            }
            return try await review(cluster, Data(buffer: body))
        } catch let error as BadReview {
            return Self.plain(error.message, status: .badRequest)
        } catch {
            logger.error("webhook failed", metadata: ["error": "\(error)"])
            return Self.plain("temporarily unavailable", status: .serviceUnavailable)
        }
    }

    private func tokenReview(_ body: Data, cluster: Cluster) async throws -> Response {
        guard let review = try? JSONDecoder().decode(TokenReview.self, from: body), review.kind == "TokenReview" else {
            throw BadReview(message: "body is not a TokenReview")
        }
        guard review.apiVersion == TokenReview.v1 || review.apiVersion == TokenReview.v1beta1 else {
            throw BadReview(message: "unsupported apiVersion \(review.apiVersion.prefix(64))")
        }
        let status: TokenReviewStatus
        let started = ContinuousClock.now
        let (outcome, audiences) = try await clusterWebhooks.tokenReviewer.review(
            token: review.spec.token ?? "", for: cluster, requestedAudiences: review.spec.audiences)
        switch outcome {
        case .authenticated(let user):
            // Never the request's `spec.audiences` as such: only those the token has (see
            // ClusterTokenReviewer); none means the API server's own audience.
            status = TokenReviewStatus(
                authenticated: true,
                user: KubernetesUserInfo(username: user.username, uid: user.uid, groups: user.groups, extra: user.extra),
                audiences: audiences.isEmpty ? nil : audiences)
        case .refused(let reason):
            logger.debug("token review refused", metadata: ["cluster": "\(cluster.name)", "reason": "\(reason)"])
            audit.recordLater("cluster.token-refused", tenantID: cluster.tenantID, outcome: "failure",
                                     details: ["cluster": cluster.name, "reason": reason])
            status = TokenReviewStatus(authenticated: false, error: reason)
        }
        metrics.webhookDecision("tokenreview", cluster: cluster.name, allowed: status.authenticated == true,
                                                     seconds: Elapsed.seconds(since: started))
        return Self.json(WebhookReviewJSON.tokenReview(apiVersion: review.apiVersion, status: status))
    }

    private func subjectAccessReview(_ body: Data, cluster: Cluster) async throws -> Response {
        guard let review = try? JSONDecoder().decode(SubjectAccessReview.self, from: body), review.kind == "SubjectAccessReview" else {
            throw BadReview(message: "body is not a SubjectAccessReview")
        }
        guard review.apiVersion == SubjectAccessReview.v1 || review.apiVersion == SubjectAccessReview.v1beta1 else {
            throw BadReview(message: "unsupported apiVersion \(review.apiVersion.prefix(64))")
        }
        let spec = review.spec
        let access: KubernetesAccess
        if let attributes = spec.resourceAttributes {
            access = .resource(ResourceAccess(verb: attributes.verb ?? "", group: attributes.group ?? "",
                                              version: attributes.version ?? "", resource: attributes.resource ?? "",
                                              subresource: attributes.subresource ?? "", name: attributes.name ?? "",
                                              namespace: attributes.namespace ?? ""))
        } else if let attributes = spec.nonResourceAttributes {
            access = .nonResource(path: attributes.path ?? "", verb: attributes.verb ?? "")
        } else {
            throw BadReview(message: "spec needs resourceAttributes or nonResourceAttributes")
        }
        let user = KubernetesUser(username: spec.user ?? "", uid: spec.uid ?? "", groups: spec.groups ?? [],
                                  extra: spec.extra ?? [:])
        let status: SubjectAccessReviewStatus
        let started = ContinuousClock.now
        switch try await clusterWebhooks.authorizer.authorize(user, access, on: cluster) {
        case .allowed(let reason): status = SubjectAccessReviewStatus(allowed: true, reason: reason)
        case .denied(let reason):
            status = SubjectAccessReviewStatus(allowed: false, denied: true, reason: reason)
            audit.recordLater("cluster.access-denied", tenantID: cluster.tenantID, outcome: "failure",
                                     actor: user.objectID, subject: user.username,
                                     details: Self.auditDetails(access, cluster: cluster, reason: reason))
        case .noOpinion(let reason): status = SubjectAccessReviewStatus(allowed: false, reason: reason)
        }
        metrics.webhookDecision("subjectaccessreview", cluster: cluster.name, allowed: status.allowed,
                                                     seconds: Elapsed.seconds(since: started))
        return Self.json(WebhookReviewJSON.subjectAccessReview(apiVersion: review.apiVersion, status: status))
    }

    private struct BadReview: Error { let message: String }

    /// What a denied request asked for, for the audit trail (policy denials; docs/operations.md,
    /// Audit trail).
    private static func auditDetails(_ access: KubernetesAccess, cluster: Cluster, reason: String) -> [String: String] {
        var details = ["cluster": cluster.name, "reason": reason]
        switch access {
        case .resource(let resource):
            details["verb"] = resource.verb
            details["resource"] = resource.group.isEmpty ? resource.resource : "\(resource.resource).\(resource.group)"
            if !resource.namespace.isEmpty { details["namespace"] = resource.namespace }
        case .nonResource(let path, let verb):
            details["verb"] = verb
            details["path"] = path
        }
        return details
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.utf8.count > 7,
              value.utf8.prefix(7).elementsEqual("bearer ".utf8, by: { (0x41...0x5A ~= $0 ? $0 | 0x20 : $0) == $1 }) else {
            return nil
        }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }

    static func plain(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
