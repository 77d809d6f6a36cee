import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    /// `Application.isPasswordGrantEnabled` (ROPC) round-trips through create and update
    /// (SQLite migration "v3-application-password-grant"; every backend needs the column).
    @Test(arguments: StoreBackend.available)
    func applicationPasswordGrantFlagRoundTrips(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            var enabled = Fixtures.application(displayName: "ropc client")
            enabled.isPasswordGrantEnabled = true
            let disabled = Fixtures.application(displayName: "plain client")
            for application in [enabled, disabled] {
                try await store.createApplication(application, servicePrincipal: nil, secrets: [], certificates: [])
            }
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: enabled.appID) == enabled)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: disabled.appID)?.isPasswordGrantEnabled == false)
            let flipped = try await store.updateApplication(tenantID: Fixtures.tenantID, appID: disabled.appID) {
                $0.isPasswordGrantEnabled = true
            }
            #expect(flipped.isPasswordGrantEnabled)
            #expect(try await store.application(tenantID: Fixtures.tenantID, appID: disabled.appID)?.isPasswordGrantEnabled == true)
        }
    }
}
