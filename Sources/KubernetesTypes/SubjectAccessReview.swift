/// `authorization.k8s.io/v1` and `v1beta1` SubjectAccessReview (Kubernetes webhook authorization).
/// The two versions differ in one member: the subject's groups are `spec.groups` in v1 and
/// `spec.group` in v1beta1. Decoding accepts either; encoding writes the one of `apiVersion`.
public struct SubjectAccessReview: Codable, Sendable, Equatable {
    public static let v1 = "authorization.k8s.io/v1"
    public static let v1beta1 = "authorization.k8s.io/v1beta1"

    public var apiVersion: String
    public var kind: String
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(apiVersion: String = SubjectAccessReview.v1, spec: SubjectAccessReviewSpec,
                status: SubjectAccessReviewStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = "SubjectAccessReview"
        self.spec = spec
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, spec, status }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decode(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "SubjectAccessReview"
        spec = try container.decodeIfPresent(SubjectAccessReviewSpec.self, forKey: .spec) ?? SubjectAccessReviewSpec()
        status = try container.decodeIfPresent(SubjectAccessReviewStatus.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apiVersion, forKey: .apiVersion)
        try container.encode(kind, forKey: .kind)
        try spec.encode(to: container.superEncoder(forKey: .spec), groupsKey: apiVersion == Self.v1beta1 ? .group : .groups)
        try container.encodeIfPresent(status, forKey: .status)
    }
}

public struct SubjectAccessReviewSpec: Codable, Sendable, Equatable {
    public var resourceAttributes: ResourceAttributes?
    public var nonResourceAttributes: NonResourceAttributes?
    public var user: String?
    /// `groups` (v1) or `group` (v1beta1).
    public var groups: [String]?
    public var extra: [String: [String]]?
    public var uid: String?

    public init(resourceAttributes: ResourceAttributes? = nil, nonResourceAttributes: NonResourceAttributes? = nil,
                user: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil, uid: String? = nil) {
        self.resourceAttributes = resourceAttributes
        self.nonResourceAttributes = nonResourceAttributes
        self.user = user
        self.groups = groups
        self.extra = extra
        self.uid = uid
    }

    enum CodingKeys: String, CodingKey {
        case resourceAttributes, nonResourceAttributes, user, groups, group, extra, uid
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resourceAttributes = try container.decodeIfPresent(ResourceAttributes.self, forKey: .resourceAttributes)
        nonResourceAttributes = try container.decodeIfPresent(NonResourceAttributes.self, forKey: .nonResourceAttributes)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        groups = try container.decodeIfPresent([String].self, forKey: .groups)
            ?? container.decodeIfPresent([String].self, forKey: .group)
        extra = try container.decodeIfPresent([String: [String]].self, forKey: .extra)
        uid = try container.decodeIfPresent(String.self, forKey: .uid)
    }

    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, groupsKey: .groups)
    }

    func encode(to encoder: any Encoder, groupsKey: CodingKeys) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(resourceAttributes, forKey: .resourceAttributes)
        try container.encodeIfPresent(nonResourceAttributes, forKey: .nonResourceAttributes)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(groups, forKey: groupsKey)
        try container.encodeIfPresent(extra, forKey: .extra)
        try container.encodeIfPresent(uid, forKey: .uid)
    }
}

public struct ResourceAttributes: Codable, Sendable, Equatable {
    public var namespace: String?
    public var verb: String?
    public var group: String?
    public var version: String?
    public var resource: String?
    public var subresource: String?
    public var name: String?

    public init(namespace: String? = nil, verb: String? = nil, group: String? = nil, version: String? = nil,
                resource: String? = nil, subresource: String? = nil, name: String? = nil) {
        self.namespace = namespace
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }
}

public struct NonResourceAttributes: Codable, Sendable, Equatable {
    public var path: String?
    public var verb: String?

    public init(path: String? = nil, verb: String? = nil) {
        self.path = path
        self.verb = verb
    }
}

public struct SubjectAccessReviewStatus: Codable, Sendable, Equatable {
    public var allowed: Bool
    /// True short-circuits the other authorizers; false with `allowed` false is "no opinion".
    public var denied: Bool?
    public var reason: String?
    public var evaluationError: String?

    public init(allowed: Bool, denied: Bool? = nil, reason: String? = nil, evaluationError: String? = nil) {
        self.allowed = allowed
        self.denied = denied
        self.reason = reason
        self.evaluationError = evaluationError
    }

    enum CodingKeys: String, CodingKey { case allowed, denied, reason, evaluationError }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowed = try container.decodeIfPresent(Bool.self, forKey: .allowed) ?? false
        denied = try container.decodeIfPresent(Bool.self, forKey: .denied)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        evaluationError = try container.decodeIfPresent(String.self, forKey: .evaluationError)
    }
}
