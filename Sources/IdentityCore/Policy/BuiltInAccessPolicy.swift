import Foundation
import OAuthProtocol

/// The rules every tenant has, before any Conditional Access policy:
///
/// 1. A locked-out account gets AADSTS50053 whatever it presents (even when the name matches
///    no user, so a lockout never tells whether an account exists).
/// 2. A disabled user (50057) or service principal (7000112) cannot sign in or refresh.
/// 3. A sign-in older than the user's `signInSessionsValidFromDateTime` (set by a password
///    change, a disable, an MFA change or an explicit revocation) must be done again (50173):
///    this is what ends browser sessions and refresh tokens everywhere.
/// 4. A user enrolled in TOTP must have done it (`mfa` in `amr`), else 50076.
public struct BuiltInAccessPolicy: AccessPolicy {
    public init() {}

    public func evaluate(_ context: SignInContext) async throws -> SignInDecision {
        if context.lockedUntil != nil { return .block(.accountLocked) }
        switch context.subject {
        case nil:
            return .block(.invalidUsernameOrPassword)
        case .servicePrincipal(let principal):
            return principal.accountEnabled ? .allow : .block(.clientDisabled(principal.appID))
        case .user(let user):
            guard user.accountEnabled else { return .block(.userDisabled) }
            if let validFrom = user.signInSessionsValidFrom {
                // Whole seconds: `auth_time` and the browser session keep seconds only.
                let authenticated = (context.authenticatedAt ?? .distantPast).timeIntervalSince1970.rounded(.down)
                if authenticated < validFrom.timeIntervalSince1970.rounded(.down) {
                    return .requireReauthentication(.signInSessionsRevoked(
                        issued: GraphDate.format(context.authenticatedAt ?? .distantPast),
                        validFrom: GraphDate.format(validFrom)))
                }
            }
            if user.totp != nil, !context.authenticationMethods.contains("mfa") {
                return .requireSecondFactor(.multiFactorRequired)
            }
            return .allow
        }
    }
}
