import Foundation
import IdentityCore
import OAuthProtocol
import Testing

/// One test per rule of the built-in access decision.
@Suite("Built-in access policy")
struct BuiltInAccessPolicyTests {
    private static let tenant = Tenant(id: "11111111-1111-1111-1111-111111111111", name: "contoso",
                                       createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    private static let signedInAt = Date(timeIntervalSince1970: 1_800_000_100)

    private static func user(enabled: Bool = true, totp: Bool = false, validFrom: Date? = nil) -> User {
        User(tenantID: tenant.id, objectID: "22222222-2222-2222-2222-222222222222", userPrincipalName: "alice@contoso.test",
             displayName: "Alice", accountEnabled: enabled,
             totp: totp ? TOTPEnrollment(secret: Array(repeating: 1, count: 20), enrolledAt: tenant.createdAt) : nil,
             createdAt: tenant.createdAt, signInSessionsValidFrom: validFrom)
    }

    private static func decide(_ subject: SignInSubject?, methods: [String] = ["pwd"], lockedUntil: Date? = nil,
                               flow: SignInFlow = .deviceCode) async throws -> SignInDecision {
        var context = SignInContext(tenant: tenant, flow: flow, isInteractive: true, correlationID: "c", subject: subject,
                                    authenticationMethods: methods, authenticatedAt: signedInAt)
        context.lockedUntil = lockedUntil
        return try await BuiltInAccessPolicy().evaluate(context)
    }

    @Test func anEnabledUserWithAPasswordIsAllowed() async throws {
        #expect(try await Self.decide(.user(Self.user())) == .allow)
    }

    @Test func aDisabledUserIsBlockedWith50057() async throws {
        #expect(try await Self.decide(.user(Self.user(enabled: false))) == .block(.userDisabled))
        #expect(try await Self.decide(.user(Self.user(enabled: false)), flow: .refreshToken) == .block(.userDisabled))
    }

    @Test func aLockedAccountIsBlockedWith50053EvenWhenNoUserMatches() async throws {
        let until = Self.signedInAt.addingTimeInterval(60)
        #expect(try await Self.decide(.user(Self.user()), lockedUntil: until) == .block(.accountLocked))
        #expect(try await Self.decide(nil, lockedUntil: until) == .block(.accountLocked))
    }

    @Test func nobodyIdentifiedIsRefusedAsWrongCredentials() async throws {
        #expect(try await Self.decide(nil) == .block(.invalidUsernameOrPassword))
    }

    @Test func aTOTPUserMustHaveDoneTheSecondFactor() async throws {
        #expect(try await Self.decide(.user(Self.user(totp: true))) == .requireSecondFactor(.multiFactorRequired))
        #expect(try await Self.decide(.user(Self.user(totp: true)), methods: ["pwd", "mfa"]) == .allow)
    }

    @Test func aSignInBeforeTheSessionsWereRevokedMustBeDoneAgain() async throws {
        let revokedLater = Self.user(validFrom: Self.signedInAt.addingTimeInterval(1))
        let decision = try await Self.decide(.user(revokedLater), flow: .refreshToken)
        guard case .requireReauthentication(let error) = decision else {
            Issue.record("expected re-authentication, got \(decision)")
            return
        }
        #expect(error.code == 50173 && error.error == "invalid_grant")
        #expect(error.message.contains("2027-01-15T08:01:41Z"))
        // Revoked in the same second as (or before) the sign-in: the sign-in counts.
        #expect(try await Self.decide(.user(Self.user(validFrom: Self.signedInAt))) == .allow)
    }

    @Test func aDisabledServicePrincipalIsBlockedWith7000112() async throws {
        let principal = ServicePrincipal(tenantID: Self.tenant.id, objectID: "33333333-3333-3333-3333-333333333333",
                                         appID: "44444444-4444-4444-4444-444444444444", displayName: "ci",
                                         createdAt: Self.tenant.createdAt)
        #expect(try await Self.decide(.servicePrincipal(principal), flow: .clientCredentials) == .allow)
        var disabled = principal
        disabled.accountEnabled = false
        #expect(try await Self.decide(.servicePrincipal(disabled), flow: .clientCredentials)
                == .block(.clientDisabled(principal.appID)))
    }
}
