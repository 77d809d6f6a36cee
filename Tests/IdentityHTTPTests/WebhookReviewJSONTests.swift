import Foundation
@testable import IdentityHTTP
import KubernetesTypes
import Testing

/// The webhooks' hand-built answers say what the Codable review types say: the same bytes as
/// `JSONEncoder` with sorted keys for ordinary values, the same decoded review for any value.
@Suite("Webhook answers built by hand")
struct WebhookReviewJSONTests {
    static let tricky = ["alice@contoso.test", "quote \" and \\ backslash", "slash /a/b", "tab\tnew\nline \u{1}", "ünïcødé ✓ 🚀", ""]

    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static let tokenStatuses: [TokenReviewStatus] = [
        TokenReviewStatus(authenticated: true, user: KubernetesUserInfo(
            username: "alice@contoso.test", uid: "0b7b0f7e", groups: ["g1", "g2"], extra: ["oid": ["0b7b0f7e"], "a": []]),
            audiences: ["https://kubernetes.default.svc"]),
        TokenReviewStatus(authenticated: false, error: "token is expired"),
        TokenReviewStatus(authenticated: nil),
        TokenReviewStatus(authenticated: true, user: KubernetesUserInfo(username: "u", groups: [])),
    ]

    static let accessStatuses: [SubjectAccessReviewStatus] = [
        SubjectAccessReviewStatus(allowed: true, reason: "role Reader on /namespaces/dev"),
        SubjectAccessReviewStatus(allowed: false, denied: true, reason: "no"),
        SubjectAccessReviewStatus(allowed: false, evaluationError: "cluster is unknown"),
        SubjectAccessReviewStatus(allowed: false),
    ]

    @Test(arguments: tokenStatuses)
    func tokenReviewBytes(_ status: TokenReviewStatus) throws {
        for version in [TokenReview.v1, TokenReview.v1beta1] {
            let built = WebhookReviewJSON.tokenReview(apiVersion: version, status: status).serialized()
            #expect(built == (try Self.encoded(TokenReview(apiVersion: version, spec: TokenReviewSpec(), status: status))))
        }
    }

    @Test(arguments: accessStatuses)
    func subjectAccessReviewBytes(_ status: SubjectAccessReviewStatus) throws {
        let built = WebhookReviewJSON.subjectAccessReview(apiVersion: SubjectAccessReview.v1, status: status).serialized()
        #expect(built == (try Self.encoded(SubjectAccessReview(spec: SubjectAccessReviewSpec(), status: status))))
    }

    @Test(arguments: tricky)
    func anyStringDecodesToTheSameReview(_ text: String) throws {
        let status = TokenReviewStatus(authenticated: true, user: KubernetesUserInfo(
            username: text, uid: text, groups: [text], extra: [text: [text]]), audiences: [text], error: text)
        let built = WebhookReviewJSON.tokenReview(apiVersion: TokenReview.v1, status: status).serialized()
        let decoded = try JSONDecoder().decode(TokenReview.self, from: Data(built))
        #expect(decoded.status == status && decoded.kind == "TokenReview")

        let access = SubjectAccessReviewStatus(allowed: false, denied: true, reason: text, evaluationError: text)
        let accessBuilt = WebhookReviewJSON.subjectAccessReview(apiVersion: SubjectAccessReview.v1, status: access).serialized()
        #expect(try JSONDecoder().decode(SubjectAccessReview.self, from: Data(accessBuilt)).status == access)
    }
}
