import Cryptography

/// `sub` for user tokens: pairwise per client, as Entra's is ("unique to a particular application
/// ID"), so two apps cannot correlate a user by `sub` (they use `oid` when they must). Stable:
/// the same user, client and tenant always give the same 43-character value.
public enum PairwiseSubject {
    public static func make(userObjectID: String, clientID: String, tenantID: String) -> String {
        Base64URL.encode(Digest.sha256(Array("\(tenantID)|\(userObjectID)|\(clientID.lowercased())".utf8)))
    }
}
