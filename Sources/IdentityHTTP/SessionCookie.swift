import Foundation
import Hummingbird
import IdentityCore

/// The sign-in pages' cookie: `__Host-kubeid-session` (Secure, HttpOnly, SameSite=Lax, Path=/,
/// no Domain, as the `__Host-` prefix requires), holding a ``BrowserSession`` sealed with a key
/// derived from the installation key, so every instance on one database reads it.
struct SessionCookie {
    static let name = "__Host-kubeid-session"
    let codec: BrowserSessionCodec
    let lifetime: TimeInterval

    /// The request's session, or nil when absent, forged or expired.
    func read(_ request: Request, now: Date) -> BrowserSession? {
        guard let value = request.cookies[Self.name]?.value else { return nil }
        return codec.open(value, now: now)
    }

    /// The request's session, or a fresh anonymous one.
    func readOrCreate(_ request: Request, now: Date) -> BrowserSession {
        read(request, now: now) ?? BrowserSession.fresh(now: now, lifetime: lifetime)
    }

    /// The `Set-Cookie` value for `session`.
    func header(_ session: BrowserSession, now: Date) -> String {
        let maxAge = max(0, session.expiresAt - Int(now.timeIntervalSince1970))
        return "\(Self.name)=\(codec.seal(session)); Path=/; Max-Age=\(maxAge); Secure; HttpOnly; SameSite=Lax"
    }
}
