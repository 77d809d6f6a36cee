/// The user a TokenReview authenticates, and the subject a SubjectAccessReview asks about.
public struct KubernetesUser: Sendable, Hashable {
    public var username: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]

    public init(username: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// The AAD object id: `extra.oid` (what guard and kubeid's TokenReview set), else `uid`
    /// (what kube-apiserver's own JWT authenticator sets from `claimMappings.uid: oid`).
    public var objectID: String? {
        if let oid = extra["oid"]?.first, let canonical = ObjectID.canonical(oid) { return canonical }
        return ObjectID.canonical(uid)
    }
}
