import Cryptography
import Foundation
import IdentityCore
import OAuthProtocol

/// People for sign-in tests, in a ``DirectoryFixture`` tenant: `alice` is a member of `inner`
/// (so her tokens carry `inner` and, through nesting, `outer`); `bob` likewise, with TOTP enrolled.
public struct UserFixture: Sendable {
    public var directory: DirectoryFixture
    public var alice: User
    public var bob: User
    /// Bob's `otpauth://` URI.
    public var bobTOTP: String
    public static let password = "correct horse battery staple"

    public static func make(in test: TestIssuer, directory: DirectoryFixture) async throws -> UserFixture {
        let admin = test.administration
        let tenant = directory.tenant.id
        let alice = try await admin.createUser(tenant: tenant, userPrincipalName: "alice@contoso.test",
                                               displayName: "Alice Jones", givenName: "Alice", familyName: "Jones",
                                               password: password)
        let bob = try await admin.createUser(tenant: tenant, userPrincipalName: "bob@contoso.test",
                                             displayName: "Bob Smith", password: password)
        for user in [alice, bob] {
            try await admin.addGroupMember(tenant: tenant, groupID: directory.inner.objectID, memberID: user.objectID)
        }
        let provisioning = try await admin.enableMFA(tenant: tenant, id: bob.objectID)
        return UserFixture(directory: directory, alice: alice, bob: provisioning.user, bobTOTP: provisioning.uri)
    }

    /// The secret of an `otpauth://` URI.
    public static func secret(of uri: String) -> [UInt8] {
        guard let range = uri.range(of: "secret="), let end = uri[range.upperBound...].firstIndex(of: "&") else { return [] }
        return Base32.decode(String(uri[range.upperBound..<end])) ?? []
    }
}
