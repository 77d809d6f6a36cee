/// `authentication.k8s.io/v1` (and `v1beta1`, the same shape) TokenReview: what kube-apiserver's
/// token webhook sends and what the webhook answers (Kubernetes webhook token authentication).
/// Unknown members (`metadata`) are ignored when decoding; nil members are omitted when encoding.
public struct TokenReview: Codable, Sendable, Equatable {
    public static let v1 = "authentication.k8s.io/v1"
    public static let v1beta1 = "authentication.k8s.io/v1beta1"

    public var apiVersion: String
    public var kind: String
    public var spec: TokenReviewSpec
    public var status: TokenReviewStatus?

    public init(apiVersion: String = TokenReview.v1, spec: TokenReviewSpec, status: TokenReviewStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = "TokenReview"
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, spec, status }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decode(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "TokenReview"
        spec = try container.decodeIfPresent(TokenReviewSpec.self, forKey: .spec) ?? TokenReviewSpec()
        status = try container.decodeIfPresent(TokenReviewStatus.self, forKey: .status)
    }
}

public struct TokenReviewSpec: Codable, Sendable, Equatable {
    public var token: String?
    public var audiences: [String]?

    public init(token: String? = nil, audiences: [String]? = nil) {
        self.token = token
        self.audiences = audiences
    }
}

public struct TokenReviewStatus: Codable, Sendable, Equatable {
    public var authenticated: Bool?
    public var user: KubernetesUserInfo?
    public var audiences: [String]?
    public var error: String?

    public init(authenticated: Bool?, user: KubernetesUserInfo? = nil, audiences: [String]? = nil, error: String? = nil) {
        self.authenticated = authenticated
        self.user = user
        self.audiences = audiences
        self.error = error
    }
}

/// `UserInfo`: who a token belongs to.
public struct KubernetesUserInfo: Codable, Sendable, Equatable {
    public var username: String?
    public var uid: String?
    public var groups: [String]?
    public var extra: [String: [String]]?

    public init(username: String?, uid: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }
}
