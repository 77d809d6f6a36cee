import Cryptography
import Foundation
import OAuthProtocol

/// Decides whether a client assertion's `jti` has been used before (RFC 7523 §3) without
/// breaking MSAL.
///
/// MSAL Python signs one assertion and re-sends that same JWT for 540 s (its `AutoRefresher`:
/// the 600 s lifetime less a minute); MSAL Node re-sends its cached assertion until that
/// assertion's 600 s `exp`. Entra accepts that, so azure-identity's `CertificateCredential`
/// asking for a second scope would fail if every re-presentation were a replay. The rule
/// therefore is:
/// - the first presentation of a `jti` (per tenant and client: the caller's `namespace`) is
///   admitted, and only then is the SHA-256 of its exact bytes remembered together with the
///   presenting address;
/// - the byte-identical assertion from that same client and address is admitted again only
///   within ``cachedAssertionReuseWindow`` of its signing time (plus the clock skew allowed for
///   the client's clock): the same client process re-using its cached assertion;
/// - anything else carrying a `jti` already seen is a replay → AADSTS700025: other content, the
///   same bytes from another address (however often it is tried: a refused presentation is
///   never remembered as admitted), or the same bytes after the window.
///
/// Fails closed: a re-presentation racing the first one between its two writes (a few
/// milliseconds) is refused, and the client's retry, sent after, is admitted.
struct AssertionReplayGuard {
    /// How long after signing an MSAL client re-sends one assertion: MSAL Python's 540 s. With
    /// the 60 s clock skew on top it reaches the 600 s `exp` of MSAL's assertions, which covers
    /// MSAL Node's re-use until `exp` too.
    static let cachedAssertionReuseWindow: TimeInterval = 540

    let cache: any ReplayCache

    /// - Parameters:
    ///   - signedAt: when the client made the assertion: `iat`, else `nbf`, else `exp` less
    ///     MSAL's 600 s lifetime. The client signed it, so a replaying party cannot move it.
    ///   - expiresAt: when the assertion stops being acceptable at all (`exp` plus skew).
    func admit(assertion: String, jwtID: String, namespace: String, presenter: String,
               signedAt: Date, expiresAt: Date, now: Date) async throws {
        let fingerprint = Base64URL.encode(Digest.sha256(Array(assertion.utf8)))
        let presentation = "\(jwtID)|\(fingerprint)|\(presenter)"
        let admittedNamespace = "\(namespace)/admitted"
        let reusableUntil = signedAt.addingTimeInterval(Self.cachedAssertionReuseWindow + ClientAuthenticator.clockSkew)
        if try await cache.recordOnce(namespace: namespace, id: jwtID, expiresAt: expiresAt, now: now) {
            // This presentation owns the jti: remember what was admitted, from where, for how long.
            _ = try await cache.recordOnce(namespace: admittedNamespace, id: presentation,
                                           expiresAt: min(expiresAt, reusableUntil), now: now)
            return
        }
        guard now <= reusableUntil else { throw OAuthError.assertionReplayed }
        // A probe: recording an entry that expires now leaves a live one untouched (false: it is
        // the owner's presentation) and otherwise stores nothing that counts (true: a replay).
        let isAnotherPresentation = try await cache.recordOnce(namespace: admittedNamespace, id: presentation,
                                                               expiresAt: now, now: now)
        guard !isAnotherPresentation else { throw OAuthError.assertionReplayed }
    }
}
