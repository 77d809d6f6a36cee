import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    /// Each kind of directory or credential write must move the version (the server's cache
    /// key); replay-cache traffic, which happens on every assertion, must not.
    @Test(arguments: StoreBackend.available)
    func directoryVersionMovesOnEveryDirectoryWrite(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            var seen: Set<Int64> = [try await store.directoryVersion()]
            func expectNewVersion(after write: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let version = try await store.directoryVersion()
                #expect(seen.insert(version).inserted, "directoryVersion did not change after \(write)",
                        sourceLocation: sourceLocation)
            }

            try await store.createTenant(Fixtures.tenant(id: Fixtures.tenantID, name: "contoso"))
            try await expectNewVersion(after: "createTenant")
            let app = Fixtures.application(appID: "app", identifierURIs: ["api://app"])
            try await store.createApplication(app, servicePrincipal: Fixtures.servicePrincipal(for: app),
                                              secrets: [], certificates: [])
            try await expectNewVersion(after: "createApplication")
            try await store.updateApplication(tenantID: Fixtures.tenantID, appID: "app") { $0.displayName = "renamed" }
            try await expectNewVersion(after: "updateApplication")
            try await store.createGroup(Fixtures.group(objectID: "g", displayName: "g"))
            try await expectNewVersion(after: "createGroup")
            try await store.addMember(GroupMembership(tenantID: Fixtures.tenantID, groupID: "g", memberID: "u",
                                                      memberKind: .user))
            try await expectNewVersion(after: "addMember")
            try await store.removeMember(tenantID: Fixtures.tenantID, groupID: "g", memberID: "u")
            try await expectNewVersion(after: "removeMember")
            try await store.addClientSecret(Fixtures.secret(for: app))
            try await expectNewVersion(after: "addClientSecret")
            try await store.addCertificate(Fixtures.certificate(for: app))
            try await expectNewVersion(after: "addCertificate")
            try await store.replaceCredentials(tenantID: Fixtures.tenantID, appID: "app",
                                               secrets: [Fixtures.secret(for: app)], certificates: [])
            try await expectNewVersion(after: "replaceCredentials")
            try await store.addFederatedCredential(Fixtures.federatedCredential(for: app, name: "n", subject: "s"))
            try await expectNewVersion(after: "addFederatedCredential")

            let before = try await store.directoryVersion()
            _ = try await store.recordOnce(namespace: "jti", id: "x", expiresAt: Fixtures.date(60), now: Fixtures.date(0))
            _ = try await store.recordOnce(namespace: "jti", id: "x", expiresAt: Fixtures.date(60), now: Fixtures.date(0))
            _ = try await store.purgeExpiredReplayEntries(now: Fixtures.date(100), limit: 10)
            #expect(try await store.directoryVersion() == before)
        }
    }

    /// Sign-in flows and the audit trail write on every poll, refresh and sign-in; the server's
    /// directory cache must survive them.
    @Test(arguments: StoreBackend.available)
    func flowAndAuditWritesLeaveDirectoryVersion(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let before = try await store.directoryVersion()
            let device = Fixtures.deviceAuthorization("a")
            try await store.createDeviceAuthorization(device)
            try await store.updateDeviceAuthorization(deviceCodeHash: device.deviceCodeHash) { $0.state = .approved }
            _ = try await store.deleteExpiredDeviceAuthorizations(now: Fixtures.date(10_000), limit: 10)
            let code = Fixtures.authorizationCode("a")
            try await store.createAuthorizationCode(code)
            try await store.updateAuthorizationCode(codeHash: code.codeHash) { $0.redeemedAt = Fixtures.date(1) }
            _ = try await store.deleteExpiredAuthorizationCodes(now: Fixtures.date(10_000), limit: 10)
            try await store.createRefreshToken(Fixtures.refreshToken("rt-1"))
            try await store.updateRefreshToken(id: "rt-1") { $0.state = .rotated }
            try await store.revokeRefreshTokenFamily(familyID: "family-1", now: Fixtures.date(2))
            try await store.revokeRefreshTokens(tenantID: Fixtures.tenantID, userObjectID: "u-1", now: Fixtures.date(2))
            _ = try await store.deleteExpiredRefreshTokens(now: Fixtures.date(86_400 * 365), limit: 10)
            try await store.updateRateLimit(key: "k", now: Fixtures.date(0)) {
                $0 = RateLimitState(count: 1, windowStart: Fixtures.date(0), expiresAt: Fixtures.date(60))
            }
            try await store.updateRateLimit(key: "k", now: Fixtures.date(0)) { $0 = nil }
            _ = try await store.deleteExpiredRateLimits(now: Fixtures.date(100), limit: 10)
            try await store.appendAuditEvent(Fixtures.auditEvent(time: Fixtures.date(0)))
            _ = try await store.deleteAuditEvents(before: Fixtures.date(100), limit: 10)
            #expect(try await store.directoryVersion() == before)
        }
    }
}
