import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    /// `Application.isPasswordGrantEnabled` (ROPC) and `allowsCodeWithoutPKCE` round-trip
    /// through create and update (SQLite migrations "v3-application-password-grant" and
    /// "v8-application-code-without-pkce"; every backend needs the columns).
    @Test(arguments: StoreBackend.available)
    func applicationPasswordGrantFlagRoundTrips(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            var enabled = Fixtures.application(displayName: "ropc client")
            enabled.isPasswordGrantEnabled = true
            enabled.allowsCodeWithoutPKCE = true
            let disabled = Fixtures.application(displayName: "plain client")
            for application in [enabled, disabled] {
                try await store.createApplication(application, servicePrincipal: nil, secrets: [], certificates: [])
            }
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: enabled.appID) == enabled)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: disabled.appID)?.isPasswordGrantEnabled == false)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: disabled.appID)?.allowsCodeWithoutPKCE == false)
            let flipped = try await store.updateApplication(tenantID: Fixtures.tenantID, appID: disabled.appID) {
                $0.isPasswordGrantEnabled = true
                $0.allowsCodeWithoutPKCE = true
            }
            #expect(flipped.isPasswordGrantEnabled && flipped.allowsCodeWithoutPKCE)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: disabled.appID) == flipped)
        }
    }
}
