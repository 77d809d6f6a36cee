import Cryptography
import Foundation
import IdentityCore
import IdentityTesting
import OAuthProtocol
import Testing

@Suite("User administration")
struct UserAdministrationTests {
    private static func setUp() async throws -> (TestIssuer, DirectoryAdministration) {
        let test = try await TestIssuer.make()
        _ = try await test.administration.createTenant(name: "contoso")
        return (test, test.administration)
    }

    @Test func createStoresAScryptHashAndFindsByIdOrName() async throws {
        let (test, admin) = try await Self.setUp()
        let user = try await admin.createUser(tenant: "contoso", userPrincipalName: "alice@contoso.test",
                                              displayName: "Alice Jones", givenName: "Alice", familyName: "Jones",
                                              password: "s3cret-passw0rd")
        #expect(ObjectID.canonical(user.objectID) == user.objectID)
        let hash = try #require(user.passwordHash)
        #expect(hash.hasPrefix("$scrypt$ln="))
        #expect(!hash.contains("s3cret"))
        #expect(PasswordHash.verify("s3cret-passw0rd", stored: hash))
        #expect(try await admin.user(tenant: "contoso", id: "ALICE@contoso.test").objectID == user.objectID)
        #expect(try await admin.user(tenant: "contoso", id: user.objectID.uppercased()).userPrincipalName == "alice@contoso.test")
        #expect(try await admin.listUsers(tenant: "contoso").map(\.userPrincipalName) == ["alice@contoso.test"])
        _ = test
    }

    @Test func rulesForNamesAndPasswords() async throws {
        let (_, admin) = try await Self.setUp()
        _ = try await admin.createUser(tenant: "contoso", userPrincipalName: "alice@contoso.test", displayName: "A",
                                       password: "long enough")
        await #expect(throws: AdministrationError.alreadyExists("")) {
            _ = try await admin.createUser(tenant: "contoso", userPrincipalName: "Alice@Contoso.test", displayName: "A2",
                                           password: "long enough")
        }
        for upn in ["alice", "@contoso.test", "a b@contoso.test", "alice@contoso", "alice@@contoso.test"] {
            await #expect(throws: AdministrationError.invalidArgument("")) {
                _ = try await admin.createUser(tenant: "contoso", userPrincipalName: upn, displayName: "X", password: "long enough")
            }
        }
        await #expect(throws: AdministrationError.invalidArgument("")) {
            _ = try await admin.createUser(tenant: "contoso", userPrincipalName: "bob@contoso.test", displayName: "B",
                                           password: "short")
        }
    }

    @Test func setPasswordAndDisableRevokeRefreshTokens() async throws {
        let harness = try await SignInHarness.make()
        let admin = harness.test.administration
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        _ = try await admin.setPassword(tenant: "contoso", id: "alice@contoso.test", password: "a brand new password")
        #expect(await harness.refreshError(token)?.code == 50173)
        let outcome = try await harness.pages.verifyPassword(
            tenant: harness.tenant, userPrincipalName: "alice@contoso.test", password: "a brand new password", address: "x")
        guard case .signedIn = outcome else {
            Issue.record("the new password should work")
            return
        }
    }

    @Test func deleteRemovesMembershipsAndTokens() async throws {
        let harness = try await SignInHarness.make()
        let admin = harness.test.administration
        let token = try #require(try await harness.signInWithDeviceCode().refreshToken)
        try await admin.deleteUser(tenant: "contoso", id: "alice@contoso.test")
        let members = try await admin.listGroupMembers(tenant: "contoso", groupID: harness.users.directory.inner.objectID)
        #expect(!members.contains { $0.memberID == harness.users.alice.objectID })
        #expect(await harness.refreshError(token)?.error == "invalid_grant")
        await #expect(throws: AdministrationError.notFound("")) {
            _ = try await admin.user(tenant: "contoso", id: "alice@contoso.test")
        }
    }

    @Test func groupsAcceptUsersAsMembers() async throws {
        let harness = try await SignInHarness.make()
        let members = try await harness.test.administration.listGroupMembers(tenant: "contoso",
                                                                            groupID: harness.users.directory.inner.objectID)
        #expect(members.contains { $0.memberID == harness.users.alice.objectID && $0.memberKind == .user })
    }

    @Test func mfaEnableGivesAnOtpauthURI() async throws {
        let harness = try await SignInHarness.make()
        let uri = harness.users.bobTOTP
        #expect(uri.hasPrefix("otpauth://totp/kubeid:bob@contoso.test?secret="))
        #expect(uri.hasSuffix("&issuer=kubeid&algorithm=SHA1&digits=6&period=30"))
        #expect(UserFixture.secret(of: uri).count == 20)
        let disabled = try await harness.test.administration.disableMFA(tenant: "contoso", id: "bob@contoso.test")
        #expect(disabled.totp == nil)
    }

    @Test func signInLogRecordsSignInsWithoutSecrets() async throws {
        let harness = try await SignInHarness.make()
        _ = try await harness.pages.verifyPassword(tenant: harness.tenant, userPrincipalName: "alice@contoso.test",
                                                                password: "wrong-password-123", address: "203.0.113.9")
        let response = try await harness.signInWithDeviceCode()
        await harness.test.issuer.signInLog.buffer.flush()
        let records = try await harness.test.store.signIns(SignInQuery(tenantID: harness.tenant.id)).records
        #expect(records.contains { $0.status.errorCode == 50126 && $0.ipAddress == "203.0.113.9" && $0.isInteractive
                && $0.userId == harness.users.alice.objectID && $0.deviceDetail.browser == "Chrome 120.0.0.0"
                && $0.deviceDetail.operatingSystem == "Linux" })
        #expect(records.contains { $0.succeeded && $0.userId == harness.users.alice.objectID && $0.clientAppUsed != nil })
        for record in records {
            let text = "\(record)"
            #expect(!text.contains("wrong-password-123") && !text.contains(response.accessToken))
        }
        let events = try await harness.test.store.auditEvents(tenantID: harness.tenant.id, since: .distantPast, limit: 500)
        #expect(events.contains { $0.kind == "user.created" })
        for event in events {
            let text = "\(event)"
            #expect(!text.contains("wrong-password-123"))
            #expect(!text.contains(response.accessToken))
            #expect(!text.contains(response.refreshToken ?? "-"))
        }
    }
}
