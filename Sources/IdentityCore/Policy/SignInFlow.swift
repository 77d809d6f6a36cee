/// How a sign-in reached kubeid: the grant or page that carried it. The sign-in log shows it as
/// `clientAppUsed` and `isInteractive`; policies (Conditional Access's
/// `authenticationFlows.transferMethods`, `clientAppTypes`) can target it.
public enum SignInFlow: String, Sendable, Codable, CaseIterable {
    /// RFC 8628: the `/devicelogin` pages, then the client's poll that redeems the code.
    case deviceCode
    /// `/authorize` (sign-in pages or single sign-on), then the code's redemption.
    case authorizationCode
    /// A refresh token redeemed for new tokens: no person present.
    case refreshToken
    /// Resource owner password credentials (ROPC): the client sends the user's password.
    case password
    /// A service principal signing in as itself with a secret or certificate.
    case clientCredentials
    /// A service principal signing in with another issuer's token (workload identity).
    case federatedCredential

    /// Graph's `clientAppUsed` for user sign-ins; nil for service principals, which Entra
    /// leaves empty.
    public var clientAppUsed: String? {
        switch self {
        case .authorizationCode: return "Browser"
        case .deviceCode, .refreshToken, .password: return "Mobile Apps and Desktop clients"
        case .clientCredentials, .federatedCredential: return nil
        }
    }

    /// True for flows where a service principal, not a user, signs in.
    public var isApplicationSignIn: Bool { self == .clientCredentials || self == .federatedCredential }
}
