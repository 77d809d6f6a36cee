import KubernetesTypes
import OAuthProtocol

/// The webhook answers as JSON, built by hand: `JSONEncoder` was a tenth of a TokenReview's
/// cost (Benchmarks/README.md, Webhooks). The shape is what the Codable types in
/// KubernetesTypes encode: members sorted by name, nil members omitted, an empty `spec`.
enum WebhookReviewJSON {
    static func tokenReview(apiVersion: String, status: TokenReviewStatus) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let audiences = status.audiences { members.append(("audiences", .strings(audiences))) }
        if let authenticated = status.authenticated { members.append(("authenticated", .bool(authenticated))) }
        if let error = status.error { members.append(("error", .string(error))) }
        if let user = status.user { members.append(("user", userInfo(user))) }
        return .object([("apiVersion", .string(apiVersion)), ("kind", .string("TokenReview")),
                        ("spec", .object([])), ("status", .object(members))])
    }

    static func subjectAccessReview(apiVersion: String, status: SubjectAccessReviewStatus) -> JSONValue {
        var members: [(String, JSONValue)] = [("allowed", .bool(status.allowed))]
        if let denied = status.denied { members.append(("denied", .bool(denied))) }
        if let evaluationError = status.evaluationError { members.append(("evaluationError", .string(evaluationError))) }
        if let reason = status.reason { members.append(("reason", .string(reason))) }
        return .object([("apiVersion", .string(apiVersion)), ("kind", .string("SubjectAccessReview")),
                        ("spec", .object([])), ("status", .object(members))])
    }

    private static func userInfo(_ user: KubernetesUserInfo) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let extra = user.extra {
            members.append(("extra", .object(extra.sorted { $0.key < $1.key }.map { ($0.key, .strings($0.value)) })))
        }
        if let groups = user.groups { members.append(("groups", .strings(groups))) }
        if let uid = user.uid { members.append(("uid", .string(uid))) }
        if let username = user.username { members.append(("username", .string(username))) }
        return .object(members)
    }
}
