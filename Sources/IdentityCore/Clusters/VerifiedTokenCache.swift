import Cryptography
import Foundation
import Synchronization

/// Tokens whose signature TokenReview has checked, by the SHA-256 of the token: kube-apiserver
/// sends the same bearer token for every request a developer's kubectl makes, and the RS256
/// verification with its JSON parsing was the largest part of a review.
///
/// Only the signature check is remembered. Each review still checks the times (an entry is
/// never used past the token's `exp`), the issuer, tenant and audience, that the signing key is
/// still published, and reads the principal and its groups from the directory as it is now, so
/// a removed member, an ended PIM activation or a disabled account count at once.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        let claims: JWTClaims
        let keyID: String
        let expiresAt: Date
    }

    private let entries = Mutex<[[UInt8]: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The verified claims of `token`, if it was verified before and has not expired at `now`.
    func claims(of token: String, now: Date) -> Entry? {
        let key = Digest.sha256(token.utf8)
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now < entry.expiresAt else {
                entries[key] = nil
                return nil
            }
            return entry
        }
    }

    /// Remembers a token whose signature verified; one without `exp` is not kept.
    func remember(_ token: String, claims: JWTClaims, keyID: String, now: Date) {
        guard let expiresAt = claims.expiresAt, now < expiresAt else { return }
        let key = Digest.sha256(token.utf8)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now < $0.value.expiresAt }
                // Still full of live tokens: start again rather than grow (the next review of
                // each pays one verification).
                if entries.count >= capacity { entries = [:] }
            }
            entries[key] = Entry(claims: claims, keyID: keyID, expiresAt: expiresAt)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
