import IdentityCore
@testable import KubeIDCLI
import Testing

/// The CLI spells the properties an administration error names as the flags the user typed.
@Suite("Flag names")
struct FlagNamesTests {
    @Test(arguments: [
        ("enableAAD", "--enable-aad"), ("aadAdminGroupObjectIDs", "--aad-admin-group-object-ids"),
        ("aadTenantID", "--aad-tenant-id"), ("allowCodeWithoutPKCE", "--allow-code-without-pkce"),
        ("enableAzureRBAC", "--enable-azure-rbac"), ("noAADAdminGroups", "--no-aad-admin-groups"),
        ("userPrincipalName", "--user-principal-name"), ("certificate", "--cert"), ("name", "--name"),
        ("appRoleId", "--permission"), ("endDateTime", "--end-date"),
    ])
    func propertiesBecomeFlags(_ field: String, _ flag: String) {
        #expect(FlagNames.flag(for: field) == flag)
    }

    @Test func everyPropertyInAMessageIsSpelledAsItsFlag() {
        let error = AdministrationError.invalidArgument(
            "\(field: "enableAAD") requires Kubernetes RBAC: it cannot be combined with \(field: "disableRBAC")")
        #expect(FlagNames.phrase(error) == "--enable-aad requires Kubernetes RBAC: it cannot be combined with --disable-rbac")
    }
}
