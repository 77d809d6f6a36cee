import Foundation
@testable import IdentityCore
import IdentityTesting
import Testing

/// Issue 13 item 5: the directory cache keeps only resource identifiers that resolve, in their
/// registered form, never the attacker-sized text a client sent.
@Suite("Directory cache bounds")
struct DirectoryCacheBoundsTests {
    @Test func onlyRegisteredSpellingsOfResolvingResourcesAreCached() async throws {
        let test = try await TestIssuer.make()
        let fixture = try await DirectoryFixture.make(in: test)
        let (app, _) = try await test.administration.createApplication(
            tenant: "contoso", displayName: "api", identifierURIs: ["api://cached"], accessTokenVersion: 2)
        let tenantID = fixture.tenant.id
        let view = DirectoryView(store: test.store, clock: test.clock, maximumStaleness: 3600)
        let padded = "api://cached" + String(repeating: "/", count: 100_000)
        #expect(try await view.resource(tenantID: tenantID, identifier: padded)?.appID == app.appID)
        #expect(try await view.resource(tenantID: tenantID, identifier: "api://nothing-\(UUID())") == nil)
        #expect(try await view.resource(tenantID: tenantID, identifier: app.appID.uppercased())?.appID == app.appID)
        #expect(view.cachedResourceCount == 0)
        #expect(try await view.resource(tenantID: tenantID, identifier: "api://cached")?.appID == app.appID)
        #expect(try await view.resource(tenantID: tenantID, identifier: app.appID)?.appID == app.appID)
        #expect(view.cachedResourceCount == 2)
    }
}
