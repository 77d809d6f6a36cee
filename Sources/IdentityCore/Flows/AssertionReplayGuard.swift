import Cryptography
import Foundation
import OAuthProtocol

/// Decides whether a client assertion's `jti` has been used before (RFC 7523 §3, SECURITY.md
/// item 12) without breaking MSAL.
///
/// MSAL Python signs one assertion and re-sends that same JWT for 540 s (its `AutoRefresher`);
/// Entra accepts that, so azure-identity's `CertificateCredential` asking for a second scope
/// would fail if every re-presentation were a replay. The rule therefore is:
/// - the first presentation of a `jti` is admitted and remembered together with the exact
///   assertion bytes and the presenting address;
/// - the byte-identical assertion from the same address is admitted again until it expires
///   (the same client process re-using its cached assertion);
/// - the same `jti` with other content, or from another address, is a replay → AADSTS700025.
struct AssertionReplayGuard {
    let cache: any ReplayCache

    func admit(assertion: String, jwtID: String, namespace: String, presenter: String,
               expiresAt: Date, now: Date) async throws {
        let fingerprint = Base64URL.encode(Digest.sha256(Array(assertion.utf8)))
        // Record the exact presentation first: whoever inserts it first owns the jti check below,
        // so two identical concurrent requests can never reject each other.
        let newPresentation = try await cache.recordOnce(namespace: "\(namespace)/presentation",
                                                         id: "\(jwtID)|\(fingerprint)|\(presenter)",
                                                         expiresAt: expiresAt, now: now)
        guard newPresentation else { return }
        let newJWTID = try await cache.recordOnce(namespace: namespace, id: jwtID, expiresAt: expiresAt, now: now)
        guard newJWTID else { throw OAuthError.assertionReplayed }
    }
}
