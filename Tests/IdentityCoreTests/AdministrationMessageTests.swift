import IdentityCore
import IdentityTesting
import Testing

/// The administration core names the properties an error is about, never a CLI flag: an HTTP
/// caller must not be told to pass `--enable-aad`.
@Suite("Administration errors name fields")
struct AdministrationMessageTests {
    @Test func aClusterRuleNamesBothPropertiesAndNoFlag() async throws {
        let test = try await TestIssuer.make()
        let directory = try await DirectoryFixture.make(in: test)
        let error = await #expect(throws: AdministrationError.self) {
            _ = try await test.administration.createCluster(tenant: "contoso", ClusterRegistration(
                name: "a", server: "https://a.test:6443", enableAAD: true,
                adminGroupObjectIDs: [directory.outer.objectID], disableRBAC: true))
        }
        #expect(error?.message == "enableAAD requires Kubernetes RBAC: it cannot be combined with disableRBAC")
        #expect(error?.text.fields == ["enableAAD", "disableRBAC"])
        #expect(error?.field == "enableAAD")
    }

    @Test func aUserPropertyIsTheErrorsField() async throws {
        let test = try await TestIssuer.make()
        _ = try await DirectoryFixture.make(in: test)
        let error = await #expect(throws: AdministrationError.self) {
            _ = try await test.administration.createUser(tenant: "contoso", userPrincipalName: "no-at-sign",
                                                          displayName: "X", password: "correct horse battery")
        }
        #expect(error?.field == "userPrincipalName")
        #expect(error?.message.hasPrefix("userPrincipalName 'no-at-sign' is not a valid") == true)
        #expect(error?.message.contains("--") == false)
    }

    @Test func interpolatedValuesStayText() {
        let id = "--looks-like-a-flag"
        let message: AdministrationMessage = "\(field: "ids") '\(id)' is not a role assignment id"
        #expect(message.fields == ["ids"])
        #expect(message.rendered() == "ids '--looks-like-a-flag' is not a role assignment id")
        #expect(message.rendered { "<\($0)>" } == "<ids> '--looks-like-a-flag' is not a role assignment id")
    }
}
