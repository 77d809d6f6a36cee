import Cryptography
import IdentityCore
import OAuthProtocol

/// The demo that `make run` starts with: tenant `demo`, a group `demo-admins`, and a service
/// principal `demo-pipeline` in that group whose secret is reset (and printed) on each start —
/// secrets are stored hashed, so the only way to show one again is to make a new one.
struct DemoTenant {
    var tenant: IdentityCore.Tenant
    var group: IdentityCore.Group
    var registration: ServicePrincipalRegistration
    /// A developer who signs in with the device-code flow; the password is reset on each start.
    var developer: IdentityCore.User
    var developerPassword: String

    static let tenantName = "demo"
    static let developerName = "dev@demo.kubeid.test"

    static func prepare(administration: DirectoryAdministration) async throws -> DemoTenant {
        let tenant: IdentityCore.Tenant
        if let existing = try? await administration.tenant(tenantName) {
            tenant = existing
        } else {
            tenant = try await administration.createTenant(name: tenantName)
        }
        var group = try await administration.listGroups(tenant: tenant.id, filter: "displayName eq 'demo-admins'").first
        if group == nil {
            group = try await administration.createGroup(tenant: tenant.id, displayName: "demo-admins", mailNickname: nil)
        }
        guard let group else { throw AdministrationError.notFound("demo-admins group") }
        let registration: ServicePrincipalRegistration
        if let principal = try await administration.listServicePrincipals(tenant: tenant.id)
            .first(where: { $0.displayName == "demo-pipeline" }) {
            registration = try await administration.resetCredential(tenant: tenant.id, appID: principal.appID, credential: .secret)
        } else {
            registration = try await administration.createServicePrincipalForRBAC(tenant: tenant.id, name: "demo-pipeline",
                                                                                 credential: .secret)
            try await administration.addGroupMember(tenant: tenant.id, groupID: group.objectID,
                                                    memberID: registration.servicePrincipal.objectID)
        }
        let password = "Demo-" + Base64URL.encode(SecureRandom.bytes(9))
        let developer: IdentityCore.User
        if let existing = try? await administration.user(tenant: tenant.id, id: developerName) {
            developer = try await administration.setPassword(tenant: tenant.id, id: existing.objectID, password: password)
        } else {
            developer = try await administration.createUser(tenant: tenant.id, userPrincipalName: developerName,
                                                            displayName: "Demo Developer", givenName: "Demo",
                                                            familyName: "Developer", password: password)
            try await administration.addGroupMember(tenant: tenant.id, groupID: group.objectID, memberID: developer.objectID)
        }
        return DemoTenant(tenant: tenant, group: group, registration: registration, developer: developer,
                          developerPassword: password)
    }

    func instructions(issuerURL: String, caFile: String) -> String {
        let authority = "\(issuerURL)/\(tenant.id)"
        let scope = "\(WellKnownApplications.aksServerAppID)/.default"
        let appID = registration.application.appID
        let secret = registration.password ?? "<secret>"
        return """

        kubeid demo tenant is ready.
          authority (MSAL):   \(authority)
          tenant:             \(tenant.id)  (name: \(tenant.name))
          CA to trust:        \(caFile)
          service principal:  \(appID)  (member of group demo-admins \(group.objectID))
          client secret:      \(secret)

        Get a token with curl:
          curl --cacert \(caFile) \\
            -d grant_type=client_credentials -d client_id=\(appID) \\
            --data-urlencode 'client_secret=\(secret)' \\
            -d scope=\(scope) \\
            \(authority)/oauth2/v2.0/token

        Or with MSAL for Python (pip install msal):
          python3 -c "import msal; app = msal.ConfidentialClientApplication('\(appID)', \\
            client_credential='\(secret)', authority='\(authority)', \\
            instance_discovery=False, verify='\(caFile)'); \\
            print(app.acquire_token_for_client(['\(scope)'])['access_token'])"

        Sign in as a developer (device code; open the printed page in a browser):
          user:               \(developer.userPrincipalName)  (member of demo-admins)
          password:           \(developerPassword)
          python3 -c "import msal; app = msal.PublicClientApplication('\(WellKnownApplications.aksClientAppID)', \\
            authority='\(authority)', instance_discovery=False, verify='\(caFile)'); \\
            flow = app.initiate_device_flow(['\(scope)']); print(flow['message'], flush=True); \\
            print(app.acquire_token_by_device_flow(flow)['access_token'])"

        Or with Azure's kubelogin (trust the CA with SSL_CERT_FILE=\(caFile)):
          kubelogin get-token --login devicecode --server-id \(WellKnownApplications.aksServerAppID) \\
            --client-id \(WellKnownApplications.aksClientAppID) --tenant-id \(tenant.id) \\
            --authority-host \(issuerURL)/ --disable-instance-discovery

        """
    }
}
